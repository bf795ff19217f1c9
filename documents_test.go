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

func TestDocumentDownload(t *testing.T) {
	t.Parallel()
	content := bytes.Repeat([]byte("id,status\n0ccc7b54,pending\n"), 10000)
	c, mock := newTestClient(t)
	log := &requestLog{}
	mock.RegisterNoResponder(log.capture(httpmock.NewBytesResponder(http.StatusOK, content).
		HeaderSet(http.Header{"Content-Type": {"application/octet-stream"}})))

	var buf bytes.Buffer
	n, err := c.Documents.Download(t.Context(), awkwardID, &buf)
	require.NoError(t, err)

	assert.Equal(t, int64(len(content)), n)
	assert.Equal(t, content, buf.Bytes())
	req := log.Last(t)
	assertRequest(t, req, wantRequest{method: "GET", path: "/v2/documents/" + awkwardIDEscaped + "/download"})
	assert.Equal(t, "*/*", req.Header.Get("Accept"))
}

func TestDocumentDownloadRetriesBeforeTheFirstByte(t *testing.T) {
	t.Parallel()
	c, mock := newTestClient(t)
	mock.RegisterNoResponder(sequence(
		jsonResponder(http.StatusServiceUnavailable, errorBody("1", "busy", "")),
		httpmock.NewStringResponder(http.StatusOK, "the bytes"),
	))

	var buf bytes.Buffer
	n, err := c.Documents.Download(t.Context(), "d1", &buf)

	require.NoError(t, err)
	assert.Equal(t, int64(9), n)
	assert.Equal(t, "the bytes", buf.String(), "the error body never reaches the writer")
	assert.Equal(t, 2, mock.GetTotalCallCount())
}

// brokenBody yields some bytes, then fails, as a dropped connection would.
type brokenBody struct{ r io.Reader }

func (b *brokenBody) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if errors.Is(err, io.EOF) {
		return n, io.ErrUnexpectedEOF
	}
	return n, err
}

func (b *brokenBody) Close() error { return nil }

func TestDocumentDownloadCutOff(t *testing.T) {
	t.Parallel()
	c, mock := newTestClient(t)
	mock.RegisterNoResponder(func(*http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: http.StatusOK, Header: http.Header{}, Body: &brokenBody{strings.NewReader("partial")}}, nil
	})

	var buf bytes.Buffer
	n, err := c.Documents.Download(t.Context(), "d1", &buf)

	var ce *ConnectionError
	require.ErrorAs(t, err, &ce)
	require.ErrorIs(t, err, io.ErrUnexpectedEOF)
	assert.Equal(t, int64(7), n, "the count says how much reached the writer")
	assert.Equal(t, "partial", buf.String())
	assert.Equal(t, 1, mock.GetTotalCallCount(), "bytes already written are never written twice")
}

func TestDocumentDownloadNotFound(t *testing.T) {
	t.Parallel()
	c, mock := newTestClient(t)
	mock.RegisterNoResponder(jsonResponder(http.StatusNotFound, errorBody("10005", "Not found", "")))

	var buf bytes.Buffer
	n, err := c.Documents.Download(t.Context(), "d1", &buf)

	require.ErrorIs(t, err, ErrNotFound)
	assert.Zero(t, n)
	assert.Zero(t, buf.Len())
}

func TestDocumentBadInput(t *testing.T) {
	t.Parallel()
	file := strings.NewReader("x")
	upload := func(p DocumentUploadParams) func(ctx context.Context, c *Client) error {
		return func(ctx context.Context, c *Client) error { _, err := c.Documents.Upload(ctx, p); return err }
	}
	download := func(id string, w io.Writer) func(ctx context.Context, c *Client) error {
		return func(ctx context.Context, c *Client) error { _, err := c.Documents.Download(ctx, id, w); return err }
	}
	runBadInput(t, []badInputCase{
		{"Upload nil reader", "File", upload(DocumentUploadParams{Filename: "loa.pdf"})},
		{"Upload empty filename", "Filename", upload(DocumentUploadParams{File: file})},
		{"Upload blank filename", "Filename", upload(DocumentUploadParams{Filename: "  ", File: file})},
		{"Download nil writer", "w", download("d1", nil)},
		{"Download empty ID", "id", download("", io.Discard)},
		{"Download dot", "id", download(".", io.Discard)},
		{"Download dot dot", "id", download("..", io.Discard)},
	})
}

// A typed nil reader or writer is refused up front, like a plain nil, instead
// of panicking once streaming starts.
func TestTypedNilReadersAndWritersAreInvalid(t *testing.T) {
	c, mock := newTestClient(t)
	ctx := t.Context()

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
