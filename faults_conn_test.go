package telnyx

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hangGuard bounds how long a test waits for a call that the fix under test
// makes return at once: it only elapses when the test fails.
const hangGuard = 2 * time.Second

// switchingServer is a raw TCP server that answers every request with
// "101 Switching Protocols" and then keeps the connection open, silent,
// until the test ends: the body net/http hands back is the connection
// itself.
func switchingServer(t *testing.T) (baseURL string, hits *atomic.Int32, release func()) {
	t.Helper()
	ln, err := (&net.ListenConfig{}).Listen(t.Context(), "tcp", "127.0.0.1:0")
	require.NoError(t, err)
	hits = new(atomic.Int32)
	done := make(chan struct{})
	var once sync.Once
	release = func() { once.Do(func() { close(done) }) }
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			hits.Add(1)
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer conn.Close()
				req, err := http.ReadRequest(bufio.NewReader(conn))
				if err != nil {
					return
				}
				_, _ = io.Copy(io.Discard, req.Body)
				_, _ = io.WriteString(conn, "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n")
				<-done
			}()
		}
	}()
	t.Cleanup(func() {
		release()
		_ = ln.Close()
		wg.Wait()
	})
	return "http://" + ln.Addr().String() + "/v2/", hits, release
}

// Item 4: a 101 answer is an *APIError at once. Reading its body would
// wait for the server, past the caller's deadline and the per-attempt
// timeout.
func TestSwitchingProtocolsAnswerFailsAtOnce(t *testing.T) {
	t.Parallel()
	base, hits, release := switchingServer(t)
	c, rec, _ := newLoopbackClient(t, base, WithRequestTimeout(faultTimeout))

	type result struct {
		err     error
		elapsed time.Duration
	}
	done := make(chan result, 1)
	go func() {
		start := time.Now()
		_, err := c.Portouts.Get(t.Context(), "p1")
		done <- result{err, time.Since(start)}
	}()
	var res result
	select {
	case res = <-done:
	case <-time.After(hangGuard):
		t.Error("the call waits on the switched connection")
		release()
		res = <-done
	}
	var ae *APIError
	require.ErrorAs(t, res.err, &ae)
	assert.Equal(t, http.StatusSwitchingProtocols, ae.StatusCode)
	assert.Equal(t, 1, ae.Attempts, "not retried")
	assert.Empty(t, ae.Body, "the body is never read")
	assert.Equal(t, "telnyx: GET /portouts/{id}: 101 Switching Protocols", res.err.Error())
	assert.EqualValues(t, 1, hits.Load())
	assert.Empty(t, rec.Waits())
	assert.Less(t, res.elapsed, quick)
}

// Item 9: a download whose answer is cut before the first byte of its body
// wrote nothing, so it is retried like any GET.
func TestDownloadCutBeforeFirstByteIsRetried(t *testing.T) {
	t.Parallel()
	headersOnly := func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "text/csv")
		w.Header().Set("Content-Length", "100")
		w.WriteHeader(http.StatusOK)
		w.(http.Flusher).Flush()
		panic(http.ErrAbortHandler) // the connection closes: no body at all
	}
	t.Run("then ok", func(t *testing.T) {
		t.Parallel()
		srv := newLoopback(t, script(headersOnly, answer(200, "id\np1\n", "Content-Type", "text/csv")))
		c, rec, _ := newLoopbackClient(t, srv.baseURL())
		var out bytes.Buffer
		n, err := c.Documents.Download(t.Context(), "d1", &out)
		require.NoError(t, err)
		assert.Equal(t, int64(6), n)
		assert.Equal(t, "id\np1\n", out.String())
		assert.Len(t, srv.Seen(), 2)
		assert.Equal(t, []time.Duration{500 * time.Millisecond}, rec.Waits())
	})
	t.Run("every attempt", func(t *testing.T) {
		t.Parallel()
		srv := newLoopback(t, script(headersOnly))
		c, rec, _ := newLoopbackClient(t, srv.baseURL())
		var out bytes.Buffer
		n, err := c.Documents.Download(t.Context(), "d1", &out)
		var ce *ConnectionError
		require.ErrorAs(t, err, &ce)
		assert.True(t, errors.Is(err, io.ErrUnexpectedEOF), "%v", err)
		assert.Equal(t, 3, ce.Attempts)
		assert.Zero(t, n)
		assert.Zero(t, out.Len())
		assert.Len(t, srv.Seen(), 3)
		assert.Len(t, rec.Waits(), 2)
	})
}
