package telnyx

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A typed nil reader or writer is refused up front, like a plain nil, instead
// of panicking once streaming starts.
func TestTypedNilReadersAndWritersAreInvalid(t *testing.T) {
	c, mock := newTestClient(t)
	ctx := context.Background()

	_, err := c.Documents.Upload(ctx, DocumentUploadParams{Filename: "loa.pdf", File: (*bytes.Reader)(nil)})
	var inv *InvalidParamsError
	require.ErrorAs(t, err, &inv)
	assert.Equal(t, "File", inv.Field)

	_, err = c.Documents.Download(ctx, "doc1", (*bytes.Buffer)(nil))
	require.ErrorAs(t, err, &inv)

	_, err = c.Portouts.SupportingDocuments.Attach(ctx, "po1", []SupportingFile{
		{Type: SupportingDocumentLOA, Filename: "loa.pdf", File: (*os.File)(nil)},
	})
	require.ErrorAs(t, err, &inv)
	assert.Equal(t, "files[0].File", inv.Field)
	assert.Zero(t, mock.GetTotalCallCount())
}

func TestAttachErrorSaysWhenTheLinkIsUnconfirmed(t *testing.T) {
	uploaded := []SupportingDocumentParam{{DocumentID: "doc1", Type: SupportingDocumentLOA}}
	lost := &AttachError{PortoutID: "po1", Uploaded: uploaded, Err: &ConnectionError{Method: "POST", Path: "/portouts/{id}/supporting_documents", Attempts: 1, Err: errors.New("connection reset")}}
	assert.Contains(t, lost.Error(), "link unconfirmed: doc1")
	refused := &AttachError{PortoutID: "po1", Uploaded: uploaded, Err: &APIError{StatusCode: 422, Method: "POST", Path: "/portouts/{id}/supporting_documents"}}
	assert.Contains(t, refused.Error(), "not linked: doc1")
}

// seekOnce is a reader that can tell its position but not rewind, like a
// file whose descriptor was closed between attempts.
type seekOnce struct {
	*strings.Reader
}

var errRewind = errors.New("cannot rewind")

func (s seekOnce) Seek(offset int64, whence int) (int64, error) {
	if whence == io.SeekStart {
		return 0, errRewind
	}
	return s.Reader.Seek(offset, whence)
}

// A body that cannot be opened again for a retry ends the call with a
// *ConnectionError that names the cause, as any failure without an answer.
func TestUploadRetryThatCannotRewindIsAConnectionError(t *testing.T) {
	c, mock := newTestClient(t)
	mock.RegisterResponder("POST", testURL("documents"), httpmock.NewStringResponder(http.StatusTooManyRequests, `{"errors":[]}`))

	_, err := c.Documents.Upload(context.Background(), DocumentUploadParams{Filename: "loa.pdf", File: seekOnce{strings.NewReader("%PDF-1.7")}})
	var ce *ConnectionError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, 1, ce.Attempts, "one attempt was sent before the body could not be opened again")
	assert.ErrorIs(t, err, errRewind)
	assert.Equal(t, 1, mock.GetTotalCallCount())
	assert.True(t, strings.HasPrefix(err.Error(), "telnyx: POST /documents"), err.Error())
}
