package telnyx

import (
	"bytes"
	"context"
	"errors"
	"os"
	"testing"

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
