package telnyx

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Socket-level faults that need a test of their own: refused connections,
// caller deadlines, large and cut-off bodies, a 101 answer that hands over
// the connection, and connection reuse.

func TestFaultConnectionRefused(t *testing.T) {
	t.Parallel()
	get := func(ctx context.Context, c *Client) error {
		_, err := c.Portouts.Get(ctx, "p1")
		return err
	}
	ops := []struct {
		name  string
		dials int
		call  func(ctx context.Context, c *Client) error
	}{
		{"Portouts.Get", 3, get},
	}
	// A refused connection proves nothing was sent: POSTs are retried too.
	for _, op := range postOps() {
		ops = append(ops, struct {
			name  string
			dials int
			call  func(ctx context.Context, c *Client) error
		}{op.name, 3, op.call})
	}
	// An upload from a reader that cannot be rewound is never sent twice.
	ops = append(ops, struct {
		name  string
		dials int
		call  func(ctx context.Context, c *Client) error
	}{"Documents.Upload unseekable", 1, func(ctx context.Context, c *Client) error {
		_, err := c.Documents.Upload(ctx, DocumentUploadParams{Filename: "loa.pdf", File: io.MultiReader(strings.NewReader("%PDF"))})
		return err
	}})
	for _, op := range ops {
		t.Run(op.name, func(t *testing.T) {
			t.Parallel()
			c, rec, dials := newLoopbackClient(t, "http://"+closedPort(t)+"/v2/")
			start := time.Now()
			err := op.call(t.Context(), c)
			elapsed := time.Since(start)
			logFault(t, "connection refused "+op.name, 0, err, elapsed)

			var ce *ConnectionError
			require.ErrorAs(t, err, &ce)
			assert.ErrorIs(t, err, syscall.ECONNREFUSED)
			assert.NotErrorIs(t, err, context.DeadlineExceeded)
			assert.Equal(t, op.dials, ce.Attempts)
			assert.Equal(t, op.dials, int(dials.Load()), "connection attempts")
			assert.Len(t, rec.Waits(), op.dials-1)
			assert.Less(t, elapsed, quick)
			assert.Regexp(t, `^telnyx: (GET|POST) /\S+: .*connection refused \(after \d attempts?\)$`, err.Error())
		})
	}
}

func TestFaultCallerDeadline(t *testing.T) {
	t.Parallel()
	t.Run("no per-attempt timeout", func(t *testing.T) {
		t.Parallel()
		var srv *loopback
		srv = newLoopback(t, func(w http.ResponseWriter, r *http.Request, _ int) { srv.hang(w, r) })
		c, rec, _ := newLoopbackClient(t, srv.baseURL())
		const deadline = 80 * time.Millisecond
		ctx, cancel := context.WithTimeout(t.Context(), deadline)
		defer cancel()
		start := time.Now()
		_, err := c.Portouts.Get(ctx, "p1")
		elapsed := time.Since(start)
		hits := len(srv.Seen())
		logFault(t, "never answers, caller deadline", hits, err, elapsed)

		var ce *ConnectionError
		require.ErrorAs(t, err, &ce)
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Equal(t, 1, ce.Attempts, "the caller's deadline is not retried")
		assert.Equal(t, 1, hits)
		assert.Empty(t, rec.Waits())
		assert.GreaterOrEqual(t, elapsed, deadline)
		assert.Less(t, elapsed, deadline+quick)
	})
	t.Run("with per-attempt timeout", func(t *testing.T) {
		t.Parallel()
		// Attempts of 50 ms inside a call of 130 ms: the caller's deadline
		// ends the call in the middle of the third attempt, whatever the
		// retry budget.
		var srv *loopback
		srv = newLoopback(t, func(w http.ResponseWriter, r *http.Request, _ int) { srv.hang(w, r) })
		c, _, _ := newLoopbackClient(t, srv.baseURL(), WithRequestTimeout(faultTimeout), WithMaxRetries(100))
		const deadline = 130 * time.Millisecond
		ctx, cancel := context.WithTimeout(t.Context(), deadline)
		defer cancel()
		start := time.Now()
		_, err := c.Portouts.Comments.List(ctx, "p1")
		elapsed := time.Since(start)
		hits := len(srv.Seen())
		logFault(t, "never answers, per-attempt timeout inside caller deadline", hits, err, elapsed)

		var ce *ConnectionError
		require.ErrorAs(t, err, &ce)
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Error(t, ctx.Err(), "the caller's deadline ended the call")
		// Timing decides between 2 and 3 under load; never more.
		assert.GreaterOrEqual(t, ce.Attempts, 2)
		assert.LessOrEqual(t, ce.Attempts, 3)
		assert.Equal(t, ce.Attempts, hits)
		assert.GreaterOrEqual(t, elapsed, deadline)
		assert.Less(t, elapsed, deadline+quick)
	})
}

// TestFaultLargeBodies is not parallel: it moves megabytes, and running it
// before the parallel tests keeps its load from stretching their timing.
func TestFaultLargeBodies(t *testing.T) {
	t.Run("several MiB of valid JSON decode", func(t *testing.T) {
		const n = 12000
		var b bytes.Buffer
		b.WriteString(`{"data":[`)
		pad := strings.Repeat("x", 200)
		for i := range n {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `{"id":"p%05d","status":"pending","pon":"%s","phone_numbers":["+13035550000"]}`, i, pad)
		}
		b.WriteString(`],"meta":{"page_number":1,"page_size":20000,"total_pages":1,"total_results":20000}}`)
		body := b.String()
		require.Greater(t, len(body), 3<<20, "several MiB")
		srv := newLoopback(t, script(answer(200, body)))
		c, _, _ := newLoopbackClient(t, srv.baseURL())
		start := time.Now()
		page, err := c.Portouts.List(t.Context(), nil)
		elapsed := time.Since(start)
		logFault(t, fmt.Sprintf("200 with %.1f MiB of JSON", float64(len(body))/(1<<20)), len(srv.Seen()), err, elapsed)
		require.NoError(t, err)
		require.Len(t, page.Data, n)
		assert.Equal(t, "p00000", page.Data[0].ID)
		assert.Equal(t, fmt.Sprintf("p%05d", n-1), page.Data[n-1].ID)
		assert.Equal(t, pad, page.Data[n-1].PON)
		assert.False(t, page.HasNextPage())
		assert.Less(t, elapsed, 10*time.Second)
	})
	t.Run("several MiB error body is bounded", func(t *testing.T) {
		body := `{"errors":[{"code":"10007","detail":"` + strings.Repeat("y", 5<<20) + `"}]}`
		srv := newLoopback(t, script(answer(500, body)))
		c, _, _ := newLoopbackClient(t, srv.baseURL(), WithMaxRetries(0))
		start := time.Now()
		_, err := c.Portouts.Get(t.Context(), "p1")
		elapsed := time.Since(start)
		logFault(t, "500 with a 5 MiB error body", len(srv.Seen()), err, elapsed)
		var ae *APIError
		require.ErrorAs(t, err, &ae)
		assert.ErrorIs(t, err, ErrServer)
		assert.Len(t, ae.Body, maxErrorBody, "the body is kept up to 1 MiB")
		assert.Equal(t, body[:maxErrorBody], string(ae.Body))
		assert.Empty(t, ae.Errors, "a cut JSON body decodes to nothing")
		assert.Equal(t, "telnyx: GET /portouts/{id}: 500 Internal Server Error", err.Error())
		assert.Less(t, elapsed, 10*time.Second)
	})
}

func TestFaultDownload(t *testing.T) {
	t.Parallel()
	t.Run("cut off after bytes reached the writer", func(t *testing.T) {
		t.Parallel()
		srv := newLoopback(t, script(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/csv")
			w.Header().Set("Content-Length", "1000")
			_, _ = io.WriteString(w, "id,status\np1,pending\n")
			w.(http.Flusher).Flush()
			panic(http.ErrAbortHandler)
		}, answer(200, "never asked for")))
		c, rec, _ := newLoopbackClient(t, srv.baseURL())
		var out bytes.Buffer
		start := time.Now()
		n, err := c.Documents.Download(t.Context(), "d1", &out)
		elapsed := time.Since(start)
		hits := len(srv.Seen())
		logFault(t, "download cut off mid-body", hits, err, elapsed)
		var ce *ConnectionError
		require.ErrorAs(t, err, &ce)
		assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
		assert.Equal(t, 1, hits, "bytes were written: not retried")
		assert.Equal(t, int64(out.Len()), n)
		assert.Equal(t, "id,status\np1,pending\n", out.String())
		assert.Empty(t, rec.Waits())
		assert.Contains(t, err.Error(), "after 21 bytes")
		assert.Less(t, elapsed, quick)
	})
	t.Run("reset before any byte", func(t *testing.T) {
		t.Parallel()
		srv := newLoopback(t, script(resetAfterRead, answer(200, "id\np1\n", "Content-Type", "text/csv")))
		c, _, _ := newLoopbackClient(t, srv.baseURL())
		var out bytes.Buffer
		n, err := c.Documents.Download(t.Context(), "d1", &out)
		hits := len(srv.Seen())
		logFault(t, "download reset once then ok", hits, err, 0)
		require.NoError(t, err)
		assert.Equal(t, 2, hits)
		assert.Equal(t, int64(6), n)
		assert.Equal(t, "id\np1\n", out.String())
	})
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
				defer func() { _ = conn.Close() }()
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

// An answer the SDK has no use for (a 204 that carries a body anyway) is
// read before closing, so the next call reuses the connection.
func TestUnusedBodyIsDrainedForReuse(t *testing.T) {
	srv := newLoopback(t, script(answer(http.StatusOK, strings.Repeat("x", 1000), "Content-Type", "text/plain")))
	c, _, dials := newLoopbackClient(t, srv.baseURL())

	var reused []bool
	ctx := httptrace.WithClientTrace(t.Context(), &httptrace.ClientTrace{
		GotConn: func(info httptrace.GotConnInfo) { reused = append(reused, info.Reused) },
	})
	for range 3 {
		require.NoError(t, c.Portouts.Events.Republish(ctx, "ev1"))
	}
	assert.Equal(t, []bool{false, true, true}, reused)
	assert.EqualValues(t, 1, dials.Load(), "one connection for the three calls")
	assert.Len(t, srv.Seen(), 3)
}
