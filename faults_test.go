package telnyx

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The tests in this file run against real HTTP servers on the loopback
// interface, so that sockets fail the way they do in production: refused,
// reset, cut off, silent. The client's sleep between attempts is faked and
// recorded; only per-attempt timeouts and caller deadlines use real time,
// and they are kept to tens of milliseconds.

const (
	// faultTimeout is the per-attempt timeout against servers that never answer.
	faultTimeout = 50 * time.Millisecond
	// quick bounds a call that involves no real waiting. It is generous for
	// -race on a loaded machine, yet below the 1.5 s the two default
	// backoff waits would take if the client slept for real.
	quick = 1400 * time.Millisecond
)

// seenRequest is what a loopback server saw of one request.
type seenRequest struct {
	Method  string
	RawPath string // the path as sent, still escaped
	Query   string
	Auth    string // the Authorization header
	Host    string
}

// loopback is a real HTTP server on 127.0.0.1. It numbers requests from 1
// and records them; hang makes a handler wait until the client gives up or
// the test ends.
type loopback struct {
	*httptest.Server
	release chan struct{}

	mu     sync.Mutex
	seen   []seenRequest
	closed bool
}

// newLoopback starts a server that hands the n-th request to handle. It is
// closed when the test ends, after handlers blocked in hang are released.
func newLoopback(t testing.TB, handle func(w http.ResponseWriter, r *http.Request, n int)) *loopback {
	t.Helper()
	s := &loopback{release: make(chan struct{})}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.seen = append(s.seen, seenRequest{
			Method: r.Method, RawPath: r.URL.EscapedPath(), Query: r.URL.RawQuery,
			Auth: r.Header.Get("Authorization"), Host: r.Host,
		})
		n := len(s.seen)
		s.mu.Unlock()
		handle(w, r, n)
	}))
	t.Cleanup(s.finish)
	return s
}

// baseURL is the API root the client is pointed at, with a path so that a
// route that lost the base path would show.
func (s *loopback) baseURL() string { return s.URL + "/v2/" }

// finish closes the server once, releasing hung handlers first, and waits
// for every handler to return.
func (s *loopback) finish() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	s.mu.Unlock()
	close(s.release)
	s.Close()
}

// Seen closes the server and returns every request it saw. Closing first
// makes the count final: a handler still running has been counted.
func (s *loopback) Seen() []seenRequest {
	s.finish()
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]seenRequest(nil), s.seen...)
}

// hang never answers: it returns when the client hangs up or the test ends.
func (s *loopback) hang(_ http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	select {
	case <-r.Context().Done():
	case <-s.release:
	}
}

// reply answers one request.
type reply func(w http.ResponseWriter, r *http.Request)

// script answers the n-th request with replies[n-1], repeating the last.
func script(replies ...reply) func(w http.ResponseWriter, r *http.Request, n int) {
	return func(w http.ResponseWriter, r *http.Request, n int) {
		replies[min(n, len(replies))-1](w, r)
	}
}

// answer replies with status and body, JSON unless a Content-Type is among
// the header pairs kv.
func answer(status int, body string, kv ...string) reply {
	return func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		h := w.Header()
		h.Set("Content-Type", "application/json")
		for i := 0; i+1 < len(kv); i += 2 {
			h.Set(kv[i], kv[i+1])
		}
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
}

// resetAfterRead reads the whole request, then drops the connection with a
// TCP reset: the server has the request, the client gets no answer.
func resetAfterRead(w http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	conn, _, err := w.(http.Hijacker).Hijack()
	if err != nil {
		panic(err)
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}

// cutOffPrefix is what cutOff sends of a body it announces as 4096 bytes.
const cutOffPrefix = `{"data":{"id":"p1","status":`

// cutOff announces a 4096-byte body, sends a few bytes of it, then closes
// the connection.
func cutOff(w http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", "4096")
	_, _ = io.WriteString(w, cutOffPrefix)
	w.(http.Flusher).Flush()
	panic(http.ErrAbortHandler) // the server closes the connection, quietly
}

// newLoopbackClient returns a client for baseURL with its own transport (so
// connections are never shared between tests), a recorded fake sleep, no
// jitter, and a count of the TCP connections it opened. opts apply last.
func newLoopbackClient(t testing.TB, baseURL string, opts ...Option) (*Client, *sleepRecorder, *atomic.Int32) {
	t.Helper()
	dials := new(atomic.Int32)
	d := &net.Dialer{Timeout: 2 * time.Second}
	tr := &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			dials.Add(1)
			return d.DialContext(ctx, network, addr)
		},
		MaxIdleConnsPerHost: 8,
	}
	t.Cleanup(tr.CloseIdleConnections)
	rec := &sleepRecorder{}
	c, err := NewClient(append([]Option{
		WithAPIKey(testAPIKey),
		WithBaseURL(baseURL),
		WithHTTPClient(&http.Client{Transport: tr}),
		withSleep(rec.sleep),
		withJitter(noJitter),
	}, opts...)...)
	require.NoError(t, err)
	return c, rec, dials
}

// errKind names the error type of a call's result, for tables and logs.
func errKind(err error) string {
	var (
		ae *APIError
		ce *ConnectionError
		de *DecodeError
		ie *InvalidParamsError
	)
	switch {
	case err == nil:
		return "ok"
	case errors.As(err, &ae):
		return "*APIError"
	case errors.As(err, &ce):
		return "*ConnectionError"
	case errors.As(err, &de):
		return "*DecodeError"
	case errors.As(err, &ie):
		return "*InvalidParamsError"
	}
	return fmt.Sprintf("%T", err)
}

// attemptsOf returns the attempt count an error reports, or 0.
func attemptsOf(err error) int {
	var ae *APIError
	var ce *ConnectionError
	switch {
	case errors.As(err, &ae):
		return ae.Attempts
	case errors.As(err, &ce):
		return ce.Attempts
	}
	return 0
}

// sentinels are the errors the fault table checks errors.Is against.
var sentinels = []struct {
	name string
	err  error
}{
	{"ErrServer", ErrServer},
	{"ErrRateLimited", ErrRateLimited},
	{"DeadlineExceeded", context.DeadlineExceeded},
	{"Canceled", context.Canceled},
	{"ECONNREFUSED", syscall.ECONNREFUSED},
	{"ECONNRESET", syscall.ECONNRESET},
	{"ErrUnexpectedEOF", io.ErrUnexpectedEOF},
}

// isList names every sentinel err matches, for the logged fault table.
func isList(err error) string {
	var out []string
	for _, s := range sentinels {
		if errors.Is(err, s.err) {
			out = append(out, s.name)
		}
	}
	if len(out) == 0 {
		return "-"
	}
	return strings.Join(out, ",")
}

// logFault writes one row of the fault table; run with -v and grep FAULT.
func logFault(t *testing.T, fault string, hits int, err error, elapsed time.Duration) {
	t.Helper()
	t.Logf("FAULT | %s | server saw %d | %s | is %s | %s", fault, hits, errKind(err), isList(err), elapsed.Round(time.Millisecond))
}

// faultCase is one row of a fault table.
type faultCase struct {
	name    string
	replies []reply // by attempt; the last repeats
	hang    bool    // the server never answers (replies unused)
	opts    []Option

	hits    int             // requests the server must see
	kind    string          // errKind of the result
	is      []error         // errors.Is must hold for each
	isNot   []error         // and must not hold for these
	waits   []time.Duration // the fake sleeps, in order; nil means none
	minWait time.Duration   // when set, the single wait lies in [minWait, maxWait]
	maxWait time.Duration
	check   func(t *testing.T, err error)
}

func runFault(t *testing.T, tc faultCase, call func(ctx context.Context, c *Client) error) {
	t.Helper()
	var srv *loopback
	srv = newLoopback(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if tc.hang {
			srv.hang(w, r)
			return
		}
		script(tc.replies...)(w, r, n)
	})
	c, rec, _ := newLoopbackClient(t, srv.baseURL(), tc.opts...)

	start := time.Now()
	err := call(context.Background(), c)
	elapsed := time.Since(start)
	hits := len(srv.Seen())
	logFault(t, t.Name(), hits, err, elapsed)

	assert.Equal(t, tc.hits, hits, "requests the server saw")
	assert.Equal(t, tc.kind, errKind(err), "%v", err)
	for _, target := range tc.is {
		assert.ErrorIs(t, err, target)
	}
	for _, target := range tc.isNot {
		assert.NotErrorIs(t, err, target)
	}
	if k := errKind(err); k == "*APIError" || k == "*ConnectionError" {
		assert.Equal(t, hits, attemptsOf(err), "the error counts the attempts the server saw")
	}
	if err != nil {
		assert.True(t, strings.HasPrefix(err.Error(), "telnyx: "), err.Error())
		assert.NotContains(t, err.Error(), "\n")
	}
	if tc.minWait > 0 {
		w := rec.Waits()
		require.Len(t, w, 1)
		assert.GreaterOrEqual(t, w[0], tc.minWait)
		assert.LessOrEqual(t, w[0], tc.maxWait)
	} else {
		assert.Equal(t, tc.waits, rec.Waits(), "waits between attempts")
	}
	bound := quick
	if tc.hang {
		bound += time.Duration(hits) * faultTimeout
		assert.GreaterOrEqual(t, elapsed, time.Duration(hits)*faultTimeout, "each attempt waited its timeout")
	}
	assert.Less(t, elapsed, bound)
	if tc.check != nil {
		tc.check(t, err)
	}
}

func TestFaultsOnReads(t *testing.T) {
	t.Parallel()
	ok := answer(200, `{"data":{"id":"p1","status":"pending"}}`)
	html := answer(502, "<html><body><h1>502 Bad Gateway</h1>nginx</body></html>", "Content-Type", "text/html")
	backoff2 := []time.Duration{500 * time.Millisecond, time.Second}
	tests := []faultCase{
		{name: "reset after request read", replies: []reply{resetAfterRead},
			hits: 3, kind: "*ConnectionError", is: []error{syscall.ECONNRESET}, waits: backoff2},
		{name: "reset once then ok", replies: []reply{resetAfterRead, ok},
			hits: 2, kind: "ok", waits: backoff2[:1]},
		{name: "cut off mid-body", replies: []reply{cutOff},
			hits: 3, kind: "*ConnectionError", is: []error{io.ErrUnexpectedEOF}, waits: backoff2},
		{name: "cut off once then ok", replies: []reply{cutOff, ok},
			hits: 2, kind: "ok", waits: backoff2[:1]},
		{name: "never answers, per-attempt timeout", hang: true, opts: []Option{WithRequestTimeout(faultTimeout)},
			hits: 3, kind: "*ConnectionError", is: []error{context.DeadlineExceeded}, waits: backoff2},
		{name: "502 503 504 then ok", replies: []reply{answer(502, ""), answer(503, ""), answer(504, ""), ok},
			opts: []Option{WithMaxRetries(3)},
			hits: 4, kind: "ok", waits: []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second}},
		{name: "502 503 504 outlast the retries", replies: []reply{answer(502, ""), answer(503, ""), answer(504, ""), ok},
			hits: 3, kind: "*APIError", is: []error{ErrServer}, waits: backoff2,
			check: func(t *testing.T, err error) {
				var ae *APIError
				require.ErrorAs(t, err, &ae)
				assert.Equal(t, 504, ae.StatusCode, "the last attempt's status")
			}},
		{name: "501 not retried", replies: []reply{answer(501, "")},
			hits: 1, kind: "*APIError", is: []error{ErrServer}},
		{name: "HTML 502 from a proxy", replies: []reply{html},
			hits: 3, kind: "*APIError", is: []error{ErrServer}, isNot: []error{ErrRateLimited}, waits: backoff2,
			check: func(t *testing.T, err error) {
				var ae *APIError
				require.ErrorAs(t, err, &ae)
				assert.Empty(t, ae.Errors)
				assert.Contains(t, string(ae.Body), "<h1>502 Bad Gateway</h1>")
				assert.Equal(t, "telnyx: GET /portouts/{id}: 502 Bad Gateway", err.Error())
			}},
		{name: "429 Retry-After seconds", replies: []reply{answer(429, "", "Retry-After", "2"), ok},
			hits: 2, kind: "ok", waits: []time.Duration{2 * time.Second}},
		{name: "429 Retry-After HTTP date", replies: []reply{func(w http.ResponseWriter, r *http.Request) {
			answer(429, "", "Retry-After", time.Now().Add(3*time.Second).UTC().Format(http.TimeFormat))(w, r)
		}, ok},
			hits: 2, kind: "ok", minWait: time.Second, maxWait: 3 * time.Second},
		{name: "429 Retry-After-Ms", replies: []reply{answer(429, "", "Retry-After-Ms", "1500", "Retry-After", "7"), ok},
			hits: 2, kind: "ok", waits: []time.Duration{1500 * time.Millisecond}},
		{name: "429 asking for an hour", replies: []reply{answer(429, errorBody("10011", "Too many requests", ""), "Retry-After", "3600"), ok},
			hits: 1, kind: "*APIError", is: []error{ErrRateLimited}, isNot: []error{ErrServer},
			check: func(t *testing.T, err error) {
				var ae *APIError
				require.ErrorAs(t, err, &ae)
				assert.Equal(t, time.Hour, ae.RetryAfter)
				assert.Contains(t, err.Error(), "(retry after 1h0m0s)")
			}},
		{name: "429 asking for an hour in ms", replies: []reply{answer(429, "", "Retry-After-Ms", "3600000"), ok},
			hits: 1, kind: "*APIError", is: []error{ErrRateLimited},
			check: func(t *testing.T, err error) {
				var ae *APIError
				require.ErrorAs(t, err, &ae)
				assert.Equal(t, time.Hour, ae.RetryAfter)
			}},
		{name: "empty 200 body", replies: []reply{answer(200, "")},
			hits: 1, kind: "*DecodeError"},
		{name: "malformed JSON in 200", replies: []reply{answer(200, `{"data":{"id":"p1",,}}`)},
			hits: 1, kind: "*DecodeError", check: func(t *testing.T, err error) {
				var se *json.SyntaxError
				assert.ErrorAs(t, err, &se)
			}},
		{name: "truncated JSON in 200", replies: []reply{answer(200, `{"data":{"id":"p1","stat`)},
			hits: 1, kind: "*DecodeError", isNot: []error{io.ErrUnexpectedEOF}},
		{name: "HTML in 200", replies: []reply{answer(200, "<html>captive portal</html>", "Content-Type", "text/html")},
			hits: 1, kind: "*DecodeError"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			runFault(t, tc, func(ctx context.Context, c *Client) error {
				p, err := c.Portouts.Get(ctx, "p1")
				if err == nil {
					assert.Equal(t, "p1", p.ID)
				} else {
					assert.Nil(t, p)
				}
				return err
			})
		})
	}
}

func TestFaultsOnPatch(t *testing.T) {
	t.Parallel()
	ok := answer(200, `{"data":{"id":"p1","status":"authorized"}}`)
	backoff2 := []time.Duration{500 * time.Millisecond, time.Second}
	tests := []faultCase{
		// PATCH sets a status: sending it twice is harmless, so it is
		// retried like a GET.
		{name: "reset after request read", replies: []reply{resetAfterRead},
			hits: 3, kind: "*ConnectionError", is: []error{syscall.ECONNRESET}, waits: backoff2},
		{name: "503 503 then ok", replies: []reply{answer(503, ""), answer(503, ""), ok},
			hits: 3, kind: "ok", waits: backoff2},
		{name: "cut off then ok", replies: []reply{cutOff, ok},
			hits: 2, kind: "ok", waits: backoff2[:1]},
		{name: "422 not retried", replies: []reply{answer(422, errorBody("10015", "Bad Request", "reason is required"))},
			hits: 1, kind: "*APIError", is: []error{ErrUnprocessable}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			runFault(t, tc, func(ctx context.Context, c *Client) error {
				p, err := c.Portouts.UpdateStatus(ctx, "p1", PortoutStatusAuthorized, PortoutUpdateStatusParams{})
				if err == nil {
					assert.Equal(t, PortoutStatusAuthorized, p.Status)
				}
				return err
			})
		})
	}
}

// postOp is one of the API's POST calls, which create or trigger something
// and so must reach the server at most once unless the server cannot have
// acted on it.
type postOp struct {
	name      string
	path      string // the escaped path the server sees
	ok        reply  // a success answer
	readsBody bool   // the call decodes the response body
	call      func(ctx context.Context, c *Client) error
}

func postOps() []postOp {
	return []postOp{
		{"Comments.Create", "/v2/portouts/p1/comments", answer(201, `{"data":{"id":"c1","body":"hello"}}`), true,
			func(ctx context.Context, c *Client) error {
				_, err := c.Portouts.Comments.Create(ctx, "p1", PortoutCommentCreateParams{Body: "hello"})
				return err
			}},
		{"Reports.Create", "/v2/portouts/reports", answer(201, `{"data":{"id":"r1","status":"pending"}}`), true,
			func(ctx context.Context, c *Client) error {
				_, err := c.Portouts.Reports.Create(ctx, PortoutReportCreateParams{})
				return err
			}},
		{"Events.Republish", "/v2/portouts/events/e1/republish", answer(204, ""), false,
			func(ctx context.Context, c *Client) error {
				return c.Portouts.Events.Republish(ctx, "e1")
			}},
		{"SupportingDocuments.Create", "/v2/portouts/p1/supporting_documents", answer(201, `{"data":[{"id":"s1"}]}`), true,
			func(ctx context.Context, c *Client) error {
				_, err := c.Portouts.SupportingDocuments.Create(ctx, "p1", PortoutSupportingDocumentCreateParams{
					Documents: []SupportingDocumentParam{{DocumentID: "d1", Type: SupportingDocumentLOA}},
				})
				return err
			}},
		{"Documents.Upload", "/v2/documents", answer(201, `{"data":{"id":"d1"}}`), true,
			func(ctx context.Context, c *Client) error {
				// A seekable file: the upload may be replayed when the
				// rules allow it.
				_, err := c.Documents.Upload(ctx, DocumentUploadParams{Filename: "loa.pdf", File: bytes.NewReader([]byte("%PDF-1.4 test"))})
				return err
			}},
	}
}

func TestFaultsOnPosts(t *testing.T) {
	t.Parallel()
	html := answer(502, "<html>bad gateway</html>", "Content-Type", "text/html")
	for _, op := range postOps() {
		// Every fault the server may have acted on: the POST is sent once.
		// Only answers that prove it did not act (408, 429, x-should-retry:
		// true) are followed by a second attempt.
		tests := []faultCase{
			{name: "reset after request read", replies: []reply{resetAfterRead, op.ok},
				hits: 1, kind: "*ConnectionError", is: []error{syscall.ECONNRESET}},
			{name: "never answers, per-attempt timeout", hang: true, opts: []Option{WithRequestTimeout(faultTimeout)},
				hits: 1, kind: "*ConnectionError", is: []error{context.DeadlineExceeded}},
			{name: "500", replies: []reply{answer(500, errorBody("10007", "Unexpected error", "")), op.ok},
				hits: 1, kind: "*APIError", is: []error{ErrServer}},
			{name: "HTML 502", replies: []reply{html, op.ok},
				hits: 1, kind: "*APIError", is: []error{ErrServer}},
			{name: "503", replies: []reply{answer(503, ""), op.ok},
				hits: 1, kind: "*APIError", is: []error{ErrServer}},
			{name: "504", replies: []reply{answer(504, ""), op.ok},
				hits: 1, kind: "*APIError", is: []error{ErrServer}},
			{name: "503 with x-should-retry false", replies: []reply{answer(503, "", "X-Should-Retry", "false"), op.ok},
				hits: 1, kind: "*APIError", is: []error{ErrServer}},
			{name: "503 with x-should-retry true then ok", replies: []reply{answer(503, "", "X-Should-Retry", "true"), op.ok},
				hits: 2, kind: "ok", waits: []time.Duration{500 * time.Millisecond}},
			{name: "429 Retry-After then ok", replies: []reply{answer(429, "", "Retry-After", "1"), op.ok},
				hits: 2, kind: "ok", waits: []time.Duration{time.Second}},
			{name: "429 with x-should-retry false", replies: []reply{answer(429, "", "X-Should-Retry", "false"), op.ok},
				hits: 1, kind: "*APIError", is: []error{ErrRateLimited}},
			{name: "408 then ok", replies: []reply{answer(408, ""), op.ok},
				hits: 2, kind: "ok", waits: []time.Duration{500 * time.Millisecond}},
		}
		cut := faultCase{name: "cut off mid-body", replies: []reply{cutOff, op.ok}, hits: 1}
		if op.readsBody {
			cut.kind, cut.is = "*ConnectionError", []error{io.ErrUnexpectedEOF}
		} else {
			cut.kind = "ok" // a 2xx status is the whole answer; the body is not read
		}
		tests = append(tests, cut)
		for _, tc := range tests {
			t.Run(op.name+"/"+tc.name, func(t *testing.T) {
				t.Parallel()
				runFault(t, tc, op.call)
			})
		}
	}
}

// closedPort returns the address of a loopback port nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := (&net.ListenConfig{}).Listen(t.Context(), "tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())
	return addr
}

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
			err := op.call(context.Background(), c)
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
		ctx, cancel := context.WithTimeout(context.Background(), deadline)
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
		ctx, cancel := context.WithTimeout(context.Background(), deadline)
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
		page, err := c.Portouts.List(context.Background(), nil)
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
		_, err := c.Portouts.Get(context.Background(), "p1")
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

// pagingServer answers GET /v2/portouts from a fixed listing of total
// port-outs, perPage at a time. mode decides the meta member: "ok",
// "missing", "zero", or "stuck" (the server ignores page[number] and always
// answers page 1, with meta saying 1 of 5).
func pagingServer(t *testing.T, total, perPage int, mode string) *loopback {
	t.Helper()
	return newLoopback(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n > 50 {
			t.Errorf("more than 50 page requests: endless paging")
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		page := 1
		if v := r.URL.Query().Get("page[number]"); v != "" {
			page, _ = strconv.Atoi(v)
		}
		if mode == "stuck" {
			page = 1
		}
		pages := (total + perPage - 1) / perPage
		var b strings.Builder
		b.WriteString(`{"data":[`)
		for i := (page - 1) * perPage; i < min(page*perPage, total); i++ {
			if i > (page-1)*perPage {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `{"id":"p%d"}`, i)
		}
		b.WriteString(`]`)
		switch mode {
		case "ok":
			fmt.Fprintf(&b, `,"meta":{"page_number":%d,"page_size":%d,"total_pages":%d,"total_results":%d}`, page, perPage, pages, total)
		case "zero":
			b.WriteString(`,"meta":{"page_number":0,"page_size":0,"total_pages":0,"total_results":0}`)
		case "stuck":
			fmt.Fprintf(&b, `,"meta":{"page_number":1,"page_size":%d,"total_pages":5,"total_results":%d}`, perPage, 5*perPage)
		}
		b.WriteString(`}`)
		answer(200, b.String())(w, r)
	})
}

func TestFaultPaginationMeta(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		mode     string
		total    int
		prefetch int
		items    int // items yielded
		minReqs  int // requests the server saw
		maxReqs  int
	}{
		{"meta present", "ok", 45, 0, 45, 3, 3},
		{"meta present, prefetch", "ok", 45, 4, 45, 3, 3},
		{"meta missing", "missing", 45, 0, 45, 3, 3},
		{"meta missing, exact multiple", "missing", 40, 0, 40, 3, 3}, // the third page is empty
		{"meta missing, prefetch falls back", "missing", 45, 4, 45, 3, 3},
		{"meta zero", "zero", 45, 0, 45, 3, 3},
		{"meta zero, prefetch falls back", "zero", 45, 4, 45, 3, 3},
		// A server stuck on page 1: the second answer repeats the first, so
		// paging stops there without yielding the repeat.
		{"meta stuck on page 1", "stuck", 100, 0, 20, 2, 2},
		// With prefetch, pages 2 to 5 are asked for at once; the first of
		// them that repeats ends the listing and cancels the rest.
		{"meta stuck on page 1, prefetch", "stuck", 100, 4, 20, 2, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := pagingServer(t, tt.total, 20, tt.mode)
			c, _, _ := newLoopbackClient(t, srv.baseURL())
			start := time.Now()
			n := 0
			for p, err := range c.Portouts.ListAutoPaging(context.Background(), nil, WithPrefetch(tt.prefetch)) {
				require.NoError(t, err)
				require.NotNil(t, p)
				n++
			}
			elapsed := time.Since(start)
			reqs := len(srv.Seen())
			t.Logf("FAULT | pagination %s | server saw %d | %d items | %s", tt.name, reqs, n, elapsed.Round(time.Millisecond))
			assert.Equal(t, tt.items, n)
			assert.GreaterOrEqual(t, reqs, tt.minReqs)
			assert.LessOrEqual(t, reqs, tt.maxReqs)
			assert.Less(t, elapsed, quick)
		})
	}
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
		n, err := c.Documents.Download(context.Background(), "d1", &out)
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
		n, err := c.Documents.Download(context.Background(), "d1", &out)
		hits := len(srv.Seen())
		logFault(t, "download reset once then ok", hits, err, 0)
		require.NoError(t, err)
		assert.Equal(t, 2, hits)
		assert.Equal(t, int64(6), n)
		assert.Equal(t, "id\np1\n", out.String())
	})
}
