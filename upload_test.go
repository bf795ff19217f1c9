package telnyx

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

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
func readingResponder(r *stuckReader, answer func(req *http.Request) (*http.Response, error)) func(req *http.Request) (*http.Response, error) {
	return func(req *http.Request) (*http.Response, error) {
		go func() { _, _ = io.Copy(io.Discard, req.Body) }()
		<-r.entered
		return answer(req)
	}
}

// uploadWithin runs Upload and returns its error, failing the test when it
// does not return within hangGuard; the reader is then released so that the
// call can end.
func uploadWithin(t *testing.T, ctx context.Context, c *Client, file *stuckReader) error {
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
		err := uploadWithin(t, t.Context(), c, file)
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
		err := uploadWithin(t, ctx, c, file)
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
