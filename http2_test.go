package telnyx

import (
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// h2Server is an HTTP/2 server over TLS whose first request is cut by
// reset (a stream reset: the handler panics with http.ErrAbortHandler);
// later requests get ok. It counts the requests.
func h2Server(t *testing.T, reset func(w http.ResponseWriter), ok string) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		if n.Add(1) == 1 {
			reset(w)
			panic(http.ErrAbortHandler)
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, ok)
	}))
	srv.EnableHTTP2 = true
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv, &n
}

// resetBeforeHeaders resets the stream before any answer.
func resetBeforeHeaders(http.ResponseWriter) {}

// resetInBody sends the headers and part of the body, then resets.
func resetInBody(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", "4096")
	_, _ = io.WriteString(w, cutOffPrefix)
	w.(http.Flusher).Flush()
}

// Item 8: over HTTP/2 a stream reset (INTERNAL_ERROR) is retried for an
// idempotent request, before the answer's headers or in its body, as a
// reset connection is over HTTP/1.1. A POST is still sent once.
func TestHTTP2StreamResetIsRetriedWhenIdempotent(t *testing.T) {
	t.Parallel()
	get := func(t *testing.T, c *Client) error {
		p, err := c.Portouts.Get(t.Context(), "p1")
		if err == nil {
			assert.Equal(t, "p1", p.ID)
		}
		return err
	}
	patch := func(t *testing.T, c *Client) error {
		_, err := c.Portouts.Authorize(t.Context(), "p1", PortoutAuthorizeParams{Reason: "ok"})
		return err
	}
	post := func(t *testing.T, c *Client) error {
		_, err := c.Portouts.Comments.Create(t.Context(), "p1", PortoutCommentCreateParams{Body: "hi"})
		return err
	}
	tests := []struct {
		name  string
		reset func(http.ResponseWriter)
		call  func(*testing.T, *Client) error
		hits  int32 // requests the server saw
	}{
		{"GET reset before headers", resetBeforeHeaders, get, 2},
		{"GET reset in the body", resetInBody, get, 2},
		{"PATCH reset before headers", resetBeforeHeaders, patch, 2},
		{"POST reset before headers", resetBeforeHeaders, post, 1},
		{"POST reset in the body", resetInBody, post, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, hits := h2Server(t, tt.reset, `{"data":{"id":"p1","status":"authorized"}}`)
			rec := &sleepRecorder{}
			c, err := NewClient(WithAPIKey(testAPIKey), WithBaseURL(srv.URL+"/v2/"),
				WithHTTPClient(srv.Client()), withSleep(rec.sleep), withJitter(noJitter))
			require.NoError(t, err)
			var resp *http.Response
			err = tt.call(t, c)
			assert.Equal(t, tt.hits, hits.Load())
			if tt.hits == 1 {
				var ce *ConnectionError
				require.ErrorAs(t, err, &ce, "a POST the server may have acted on is not retried")
				assert.Equal(t, 1, ce.Attempts)
				assert.Empty(t, rec.Waits())
				return
			}
			require.NoError(t, err)
			assert.Equal(t, []time.Duration{500 * time.Millisecond}, rec.Waits())

			// The answers did come over HTTP/2.
			_, err = c.Portouts.Get(t.Context(), "p1", WithResponseInto(&resp))
			require.NoError(t, err)
			assert.Equal(t, 2, resp.ProtoMajor)
		})
	}
}
