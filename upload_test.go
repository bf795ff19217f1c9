package telnyx

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
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

			doc, err := c.Documents.Upload(t.Context(), tc.params)
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

			_, err := c.Documents.Upload(t.Context(), DocumentUploadParams{Filename: tc.filename, File: strings.NewReader("x")})
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
		_, err := c.Documents.Upload(t.Context(), DocumentUploadParams{Filename: "loa.pdf", File: file})
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

			doc, err := c.Documents.Upload(t.Context(), DocumentUploadParams{
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

	doc, err := c.Documents.Upload(t.Context(), DocumentUploadParams{Filename: "loa.pdf", File: file})
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
		_, err := c.Documents.Upload(t.Context(), DocumentUploadParams{Filename: "big.pdf", File: file})
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

	_, err := c.Documents.Upload(t.Context(), DocumentUploadParams{Filename: "loa.pdf", File: seekOnce{strings.NewReader("%PDF-1.7")}})
	var ce *ConnectionError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, 1, ce.Attempts, "one attempt was sent before the body could not be opened again")
	assert.ErrorIs(t, err, errRewind)
	assert.Equal(t, 1, mock.GetTotalCallCount())
	assert.True(t, strings.HasPrefix(err.Error(), "telnyx: POST /documents"), err.Error())
}

// stuckReader is a file whose first Read blocks until the test releases
// it, like a reader on a stalled network share. entered is closed when
// that Read starts.
type stuckReader struct {
	entered, release   chan struct{}
	enterOnce, freeOne sync.Once
}

func newStuckReader(t *testing.T) *stuckReader {
	r := &stuckReader{entered: make(chan struct{}), release: make(chan struct{})}
	t.Cleanup(r.free) // the SDK's goroutine then ends (goleak checks)
	return r
}

// free lets the blocked Read return.
func (r *stuckReader) free() { r.freeOne.Do(func() { close(r.release) }) }

func (r *stuckReader) Read([]byte) (int, error) {
	r.enterOnce.Do(func() { close(r.entered) })
	<-r.release
	return 0, errors.New("released")
}

// readingResponder reads the request body in the background, as a server
// does while it decides, and answers with answer once the file's reader is
// stuck.
func readingResponder(r *stuckReader, answer httpmock.Responder) httpmock.Responder {
	return func(req *http.Request) (*http.Response, error) {
		go func() { _, _ = io.Copy(io.Discard, req.Body) }()
		<-r.entered
		return answer(req)
	}
}

// uploadWithin runs Upload and returns its error, failing the test when it
// does not return within hangGuard; the reader is then released so that the
// call can end.
func uploadWithin(ctx context.Context, t *testing.T, c *Client, file *stuckReader) error {
	t.Helper()
	done := make(chan error, 1)
	go func() {
		_, err := c.Documents.Upload(ctx, DocumentUploadParams{Filename: "loa.pdf", File: file})
		done <- err
	}()
	select {
	case err := <-done:
		return err
	case <-time.After(hangGuard):
		t.Error("Upload waits for the file's reader")
		file.free()
		return <-done
	}
}

// Item 5: Upload returns as soon as the answer arrives or the context ends,
// even while the file's reader is blocked; the goroutine reading it ends
// later, when the reader returns.
func TestUploadDoesNotWaitForAStuckReader(t *testing.T) {
	t.Parallel()
	t.Run("server answers at once", func(t *testing.T) {
		t.Parallel()
		file := newStuckReader(t)
		c, mock := newTestClient(t)
		mock.RegisterNoResponder(readingResponder(file, jsonResponder(401, errorBody("10009", "Authentication failed", ""))))
		err := uploadWithin(t.Context(), t, c, file)
		assert.ErrorIs(t, err, ErrUnauthorized)
		assert.Equal(t, 1, mock.GetTotalCallCount())
	})
	t.Run("context ends", func(t *testing.T) {
		t.Parallel()
		file := newStuckReader(t)
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		c, mock := newTestClient(t)
		mock.RegisterNoResponder(readingResponder(file, func(req *http.Request) (*http.Response, error) {
			cancel()
			<-req.Context().Done()
			return nil, req.Context().Err()
		}))
		err := uploadWithin(ctx, t, c, file)
		var ce *ConnectionError
		require.ErrorAs(t, err, &ce)
		assert.ErrorIs(t, err, context.Canceled)
		assert.Equal(t, 1, mock.GetTotalCallCount())
	})
}

// panicReader panics on Read. It can Seek, so that the upload counts as
// replayable: only the panic forbids a retry.
type panicReader struct{ reads atomic.Int32 }

func (r *panicReader) Read([]byte) (int, error) {
	r.reads.Add(1)
	panic("disk on fire")
}

func (r *panicReader) Seek(int64, int) (int64, error) { return 0, nil }

// Item 6: a reader that panics runs on a goroutine of the SDK, where the
// caller's recover cannot reach. The panic fails the upload instead of the
// process, and is never retried.
func TestUploadReaderPanicIsAnError(t *testing.T) {
	t.Parallel()
	srv := newLoopback(t, script(answer(201, `{"data":{"id":"d1"}}`)))
	c, rec, _ := newLoopbackClient(t, srv.baseURL())
	file := &panicReader{}
	_, err := c.Documents.Upload(t.Context(), DocumentUploadParams{Filename: "loa.pdf", File: file})
	var ce *ConnectionError
	require.ErrorAs(t, err, &ce)
	assert.Contains(t, err.Error(), "reading loa.pdf panicked: disk on fire")
	assert.Equal(t, 1, ce.Attempts)
	assert.EqualValues(t, 1, file.reads.Load(), "not retried, though the file can be rewound")
	assert.Empty(t, rec.Waits())
	assert.LessOrEqual(t, len(srv.Seen()), 1)
}

// Item 14: a file name with a control character other than CR and LF
// (which are escaped) would make a malformed multipart body; it is refused
// before anything is sent.
func TestUploadFilenameWithControlCharacterIsRefused(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"a\x00b.pdf", "\x01.pdf", "a\tb.pdf", "a\x1bb.pdf", "a\x1fb.pdf", "a\x7fb.pdf", "loa.pdf\x00"} {
		t.Run(fmt.Sprintf("%q", name), func(t *testing.T) {
			t.Parallel()
			c, mock := newTestClient(t)
			mock.RegisterNoResponder(jsonResponder(201, `{"data":{"id":"d1"}}`))
			d, err := c.Documents.Upload(t.Context(), DocumentUploadParams{Filename: name, File: &panicReader{}})
			assert.Nil(t, d)
			var ipe *InvalidParamsError
			require.ErrorAs(t, err, &ipe)
			assert.Equal(t, "Filename", ipe.Field)
			assert.Contains(t, ipe.Reason, "control character")
			assert.Zero(t, mock.GetTotalCallCount(), "nothing is sent")

			// Attach checks its files the same way, before any upload.
			_, err = c.Portouts.SupportingDocuments.Attach(t.Context(), "po1", []SupportingFile{
				{Type: SupportingDocumentLOA, Filename: "ok.pdf", File: &panicReader{}},
				{Type: SupportingDocumentLOA, Filename: name, File: &panicReader{}},
			})
			require.ErrorAs(t, err, &ipe)
			assert.Zero(t, mock.GetTotalCallCount(), "nothing is sent")
		})
	}
}
