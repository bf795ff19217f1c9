package telnyx

import (
	"bytes"
	"context"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// onlyReader hides every method but Read, so the SDK cannot seek or stat it.
type onlyReader struct{ r io.Reader }

func (o onlyReader) Read(p []byte) (int, error) { return o.r.Read(p) }

// formPart is one part of a multipart body as the server saw it.
type formPart struct {
	FormName    string
	FileName    string
	ContentType string
	Content     string
}

// parseForm reads a recorded multipart/form-data request.
func parseForm(t *testing.T, req recordedRequest) []formPart {
	t.Helper()
	mt, params, err := mime.ParseMediaType(req.Header.Get("Content-Type"))
	require.NoError(t, err)
	require.Equal(t, "multipart/form-data", mt)
	require.NotEmpty(t, params["boundary"])
	mr := multipart.NewReader(bytes.NewReader(req.Body), params["boundary"])
	var parts []formPart
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return parts
		}
		require.NoError(t, err)
		b, err := io.ReadAll(p)
		require.NoError(t, err)
		parts = append(parts, formPart{
			FormName:    p.FormName(),
			FileName:    p.FileName(),
			ContentType: p.Header.Get("Content-Type"),
			Content:     string(b),
		})
	}
}

func TestDocumentUpload(t *testing.T) {
	t.Parallel()
	content := strings.Repeat("%PDF-1.7 letter of authorization\n", 4096) // bigger than any pipe buffer
	tests := []struct {
		name   string
		params DocumentUploadParams
		want   []formPart
	}{
		{
			name:   "with customer reference",
			params: DocumentUploadParams{Filename: "loa.pdf", File: onlyReader{strings.NewReader(content)}, CustomerReference: "MY REF 001"},
			want: []formPart{
				{FormName: "customer_reference", Content: "MY REF 001"},
				{FormName: "file", FileName: "loa.pdf", ContentType: "application/pdf", Content: content},
			},
		},
		{
			name:   "file only, unknown extension",
			params: DocumentUploadParams{Filename: "bill of 2024.xyz", File: onlyReader{strings.NewReader("abc")}},
			want: []formPart{
				{FormName: "file", FileName: "bill of 2024.xyz", ContentType: "application/octet-stream", Content: "abc"},
			},
		},
		{
			name:   "quotes in the file name",
			params: DocumentUploadParams{Filename: `my "final" loa.pdf`, File: strings.NewReader("x")},
			want: []formPart{
				{FormName: "file", FileName: `my "final" loa.pdf`, ContentType: "application/pdf", Content: "x"},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, _, log := recordAll(t, http.StatusOK, fixture(t, "document.json"))

			doc, err := c.Documents.Upload(context.Background(), tc.params)
			require.NoError(t, err)

			req := log.Last(t)
			assert.Equal(t, "POST", req.Method)
			assert.Equal(t, testBaseURL+"documents", req.URL)
			assert.Equal(t, "Bearer "+testAPIKey, req.Header.Get("Authorization"))
			assert.Equal(t, tc.want, parseForm(t, req))
			assert.Equal(t, Document{
				ID:                "6a09cdc3-8948-47f0-aa62-74ac943d6c58",
				Filename:          "loa.pdf",
				ContentType:       "application/pdf",
				CustomerReference: "MY REF 001",
				SHA256:            "08a96c641c3a74e44eb59afb61a24f2cb9f4d7188748e76ba4bb5edfa3cb7d1c",
				Status:            "pending",
				AVScanStatus:      "pending_scan",
				RecordType:        "document",
				Size:              123456,
				SizeUnit:          "bytes",
				CreatedAt:         time.Date(2018, 2, 2, 22, 25, 27, 521e6, time.UTC),
				UpdatedAt:         time.Date(2018, 2, 2, 22, 25, 28, 0, time.UTC),
			}, *doc)
		})
	}
}

// TestDocumentUploadDisposition pins the part header to the form browsers
// send: name first, values quoted. Prism's multipart parser, like other
// simple ones, fails on unquoted or RFC 2231 values.
func TestDocumentUploadDisposition(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		filename string
		want     string
		parsed   string
	}{
		{name: "plain", filename: "loa.pdf", want: `form-data; name="file"; filename="loa.pdf"`, parsed: "loa.pdf"},
		{name: "quotes and backslash", filename: `a "b" \c.pdf`, want: `form-data; name="file"; filename="a \"b\" \\c.pdf"`, parsed: `a "b" \c.pdf`},
		{name: "UTF-8 as is", filename: "lettre d'autorisation é.pdf", want: `form-data; name="file"; filename="lettre d'autorisation é.pdf"`, parsed: "lettre d'autorisation é.pdf"},
		{name: "line breaks cannot add headers", filename: "x\r\nX-Evil: 1.pdf", want: `form-data; name="file"; filename="x%0D%0AX-Evil: 1.pdf"`, parsed: "x%0D%0AX-Evil: 1.pdf"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, _, log := recordAll(t, http.StatusOK, fixture(t, "document.json"))

			_, err := c.Documents.Upload(context.Background(), DocumentUploadParams{Filename: tc.filename, File: strings.NewReader("x")})
			require.NoError(t, err)

			req := log.Last(t)
			assert.Contains(t, string(req.Body), "\r\nContent-Disposition: "+tc.want+"\r\n")
			assert.NotContains(t, string(req.Body), "X-Evil: 1.pdf\r\n")
			parts := parseForm(t, req)
			require.Len(t, parts, 1)
			assert.Equal(t, tc.parsed, parts[0].FileName)
		})
	}
}

// gatedReader blocks its first Read until gate is closed.
type gatedReader struct {
	gate <-chan struct{}
	r    io.Reader
}

func (g *gatedReader) Read(p []byte) (int, error) {
	<-g.gate
	return g.r.Read(p)
}

// TestDocumentUploadStreams proves the file is not read whole before
// sending: its second half only becomes readable once the server has
// received the first half.
func TestDocumentUploadStreams(t *testing.T) {
	t.Parallel()
	c, mock := newTestClient(t)
	gate := make(chan struct{})
	var received []byte
	mock.RegisterNoResponder(func(req *http.Request) (*http.Response, error) {
		buf := make([]byte, 512)
		for !bytes.Contains(received, []byte("first half;")) {
			n, err := req.Body.Read(buf)
			received = append(received, buf[:n]...)
			if err != nil {
				return nil, err
			}
		}
		close(gate)
		rest, err := io.ReadAll(req.Body)
		if err != nil {
			return nil, err
		}
		received = append(received, rest...)
		return httpmock.NewStringResponse(http.StatusOK, fixture(t, "document.json")), nil
	})
	file := io.MultiReader(strings.NewReader("first half;"), &gatedReader{gate: gate, r: strings.NewReader("second half")})

	done := make(chan error, 1)
	go func() {
		_, err := c.Documents.Upload(context.Background(), DocumentUploadParams{Filename: "loa.pdf", File: file})
		done <- err
	}()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(10 * time.Second):
		t.Fatal("Upload read the whole file before sending it")
	}
	assert.Contains(t, string(received), "first half;second half")
}

func TestDocumentUploadNotReplayable(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		status int
		header http.Header
	}{
		{name: "503 the server says may be retried", status: http.StatusServiceUnavailable, header: http.Header{"X-Should-Retry": {"true"}}},
		{name: "429", status: http.StatusTooManyRequests},
		{name: "408", status: http.StatusRequestTimeout},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, mock := newTestClient(t)
			log := &requestLog{}
			mock.RegisterNoResponder(log.capture(
				httpmock.NewStringResponder(tc.status, errorBody("1", "try again", "")).HeaderSet(tc.header),
			))

			doc, err := c.Documents.Upload(context.Background(), DocumentUploadParams{
				Filename: "loa.pdf", File: onlyReader{strings.NewReader("once only")},
			})

			assert.Nil(t, doc)
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tc.status, apiErr.StatusCode)
			assert.Equal(t, 1, mock.GetTotalCallCount(), "a reader that cannot be rewound is sent once")
			assert.Equal(t, "once only", parseForm(t, log.Last(t))[0].Content)
		})
	}
}

func TestDocumentUploadSeekerIsReplayed(t *testing.T) {
	t.Parallel()
	c, mock, sleeps := newTestClientSleeps(t)
	log := &requestLog{}
	mock.RegisterNoResponder(log.capture(sequence(
		jsonResponder(http.StatusTooManyRequests, errorBody("10011", "Too many requests", "")),
		jsonResponder(http.StatusOK, fixture(t, "document.json")),
	)))
	file := strings.NewReader("skip:the letter")
	_, err := file.Seek(int64(len("skip:")), io.SeekStart)
	require.NoError(t, err)

	doc, err := c.Documents.Upload(context.Background(), DocumentUploadParams{Filename: "loa.pdf", File: file})
	require.NoError(t, err)

	assert.Equal(t, "6a09cdc3-8948-47f0-aa62-74ac943d6c58", doc.ID)
	reqs := log.All()
	require.Len(t, reqs, 2)
	for i, req := range reqs {
		parts := parseForm(t, req)
		require.Len(t, parts, 1)
		assert.Equal(t, "the letter", parts[0].Content, "attempt %d sends the file from where it started", i+1)
	}
	assert.Len(t, sleeps.Waits(), 1)
}

// TestDocumentUploadUnreadBody checks that Upload returns, leaving no
// goroutine behind, when the server answers without reading the body.
func TestDocumentUploadUnreadBody(t *testing.T) {
	t.Parallel()
	c, mock := newTestClient(t)
	mock.RegisterNoResponder(jsonResponder(http.StatusUnprocessableEntity, errorBody("10015", "Too large", "")))
	file := readerFunc(func(p []byte) (int, error) { return copy(p, "endless "), nil })

	done := make(chan error, 1)
	go func() {
		_, err := c.Documents.Upload(context.Background(), DocumentUploadParams{Filename: "big.pdf", File: file})
		done <- err
	}()
	select {
	case err := <-done:
		require.ErrorIs(t, err, ErrUnprocessable)
	case <-time.After(10 * time.Second):
		t.Fatal("Upload did not return after an early answer")
	}
}

type readerFunc func(p []byte) (int, error)

func (f readerFunc) Read(p []byte) (int, error) { return f(p) }

func TestDocumentDownload(t *testing.T) {
	t.Parallel()
	content := bytes.Repeat([]byte("id,status\n0ccc7b54,pending\n"), 10000)
	c, mock := newTestClient(t)
	log := &requestLog{}
	mock.RegisterNoResponder(log.capture(httpmock.NewBytesResponder(http.StatusOK, content).
		HeaderSet(http.Header{"Content-Type": {"application/octet-stream"}})))

	var buf bytes.Buffer
	n, err := c.Documents.Download(context.Background(), awkwardID, &buf)
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
	n, err := c.Documents.Download(context.Background(), "d1", &buf)

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
	n, err := c.Documents.Download(context.Background(), "d1", &buf)

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
	n, err := c.Documents.Download(context.Background(), "d1", &buf)

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
