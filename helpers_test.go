package telnyx

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/a54710f5/telnyx-go/internal/requestconfig"
	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

// The shared helpers of the package's tests. Three kinds of fake stand in
// for the API:
//
//   - httpmock (newTestClient): precise assertions on what goes on the
//     wire, and scripted answers;
//   - telnyxtest, in package telnyx_test (workflows_test.go,
//     example_test.go): a working API for tests of whole workflows;
//   - loopback servers (newLoopback): socket-level faults only, such as a
//     reset, a cut-off body or a silent server.
//
// Helpers of one concern live with its tests: the fake list endpoint of the
// paging tests (pager) in pagination_test.go, the fault-table helpers in
// faults_test.go, and the key and log helpers of the masking tests in
// secrets_test.go.

// TestMain fails the package's tests when a goroutine outlives them.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

const (
	// testAPIKey is the key every test client sends. Tests assert that it
	// never shows up in errors or logs, so it is distinctive.
	testAPIKey = "KEYtest_SECRET_0123456789abcdef"
	// testBaseURL has a non-empty path, so that a route built as an
	// absolute path (dropping /v2/) would miss every registered responder.
	testBaseURL = "https://api.test/v2/"
	// portoutJSON is the smallest answer of a port-out call.
	portoutJSON = `{"data":{"id":"p1","status":"pending"}}`
	// awkwardID needs escaping in a path segment; tests check it arrives
	// as one.
	awkwardID        = "a/b c?d#e"
	awkwardIDEscaped = "a%2Fb%20c%3Fd%23e"
)

// ---- Time ----

// sleepRecorder is a fake sleep: it records each requested wait and returns
// at once (with the context's error when it has ended), never sleeping.
type sleepRecorder struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (s *sleepRecorder) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.waits = append(s.waits, d)
	s.mu.Unlock()
	return ctx.Err()
}

// Waits returns a copy of the waits recorded so far.
func (s *sleepRecorder) Waits() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.waits...)
}

// Option makes a client wait through s.
func (s *sleepRecorder) Option() Option { return withSleep(s.sleep) }

// SleepRecorder is sleepRecorder for the tests of package telnyx_test,
// which cannot name unexported identifiers.
type SleepRecorder = sleepRecorder

// withSleep replaces how the client waits between attempts and polls.
func withSleep(fn func(ctx context.Context, d time.Duration) error) Option {
	return func(c *requestconfig.Config) { c.Sleep = fn }
}

// withJitter replaces the backoff's random source.
func withJitter(fn func() float64) Option {
	return func(c *requestconfig.Config) { c.Jitter = fn }
}

// noJitter makes every backoff wait its full, predictable length.
func noJitter() float64 { return 0 }

// ---- httpmock clients and answers ----

// newTestClient returns a client wired to a fresh httpmock transport under
// testBaseURL, with testAPIKey, a fake sleep and no jitter. opts apply last,
// so a test can override any of these.
func newTestClient(t testing.TB, opts ...Option) (*Client, *httpmock.MockTransport) {
	t.Helper()
	c, mock, _ := newTestClientSleeps(t, opts...)
	return c, mock
}

// newTestClientSleeps is newTestClient that also returns the fake sleep, so
// a test can check the waits between attempts.
func newTestClientSleeps(t testing.TB, opts ...Option) (*Client, *httpmock.MockTransport, *sleepRecorder) {
	t.Helper()
	mock := httpmock.NewMockTransport()
	rec := &sleepRecorder{}
	all := append([]Option{
		WithAPIKey(testAPIKey),
		WithBaseURL(testBaseURL),
		WithHTTPClient(&http.Client{Transport: mock}),
		withSleep(rec.sleep),
		withJitter(noJitter),
	}, opts...)
	c, err := NewClient(all...)
	if err != nil {
		t.Fatalf("newTestClient: %v", err)
	}
	return c, mock, rec
}

// recordAll returns a test client whose every request is recorded and
// answered with status and the JSON body.
func recordAll(t testing.TB, status int, body string) (*Client, *httpmock.MockTransport, *requestLog) {
	t.Helper()
	c, mock := newTestClient(t)
	log := &requestLog{}
	mock.RegisterNoResponder(log.capture(jsonResponder(status, body)))
	return c, mock, log
}

// testURL returns the absolute URL of path (relative, "portouts/abc") under
// testBaseURL, for registering responders.
func testURL(path string) string {
	return testBaseURL + strings.TrimPrefix(path, "/")
}

// fixture returns the text of testdata/name.
func fixture(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return string(b)
}

// jsonResponder answers with status and the JSON text body.
func jsonResponder(status int, body string) httpmock.Responder {
	return httpmock.NewStringResponder(status, body).
		HeaderSet(http.Header{"Content-Type": {"application/json"}})
}

// statusWith answers status with a Telnyx error body and the headers h.
func statusWith(status int, h http.Header) httpmock.Responder {
	return jsonResponder(status, `{"errors":[{"code":"10000","title":"x"}]}`).HeaderAdd(h)
}

// errorBody is a Telnyx error body with one error.
func errorBody(code, title, detail string) string {
	return `{"errors":[{"code":"` + code + `","title":"` + title + `","detail":"` + detail + `"}]}`
}

// sequence answers the n-th call with responders[n], repeating the last one
// once the list is used up.
func sequence(responders ...httpmock.Responder) httpmock.Responder {
	var mu sync.Mutex
	n := 0
	return func(req *http.Request) (*http.Response, error) {
		mu.Lock()
		i := min(n, len(responders)-1)
		n++
		mu.Unlock()
		return responders[i](req)
	}
}

// blockUntilDone is a responder that never answers: it waits until the
// request's context ends and returns its error, as a stalled server would.
func blockUntilDone(req *http.Request) (*http.Response, error) {
	<-req.Context().Done()
	return nil, req.Context().Err()
}

// Transport failures, as net/http reports them.
var (
	dialRefused = &net.OpError{Op: "dial", Net: "tcp", Err: &os.SyscallError{Syscall: "connect", Err: syscall.ECONNREFUSED}}
	readReset   = &net.OpError{Op: "read", Net: "tcp", Err: &os.SyscallError{Syscall: "read", Err: syscall.ECONNRESET}}
)

// cutBody is a 200 body that fails after its first bytes.
type cutBody struct{ sent bool }

func (b *cutBody) Read(p []byte) (int, error) {
	if b.sent {
		return 0, io.ErrUnexpectedEOF
	}
	b.sent = true
	return copy(p, `{"data":{"id":`), nil
}

func (b *cutBody) Close() error { return nil }

// cutResponder answers 200 with a body cut off mid-JSON.
func cutResponder(req *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: http.StatusOK, Header: http.Header{"Content-Type": {"application/json"}}, Body: &cutBody{}, Request: req}, nil
}

// ---- Recording what was sent ----

// recordedRequest is what a capturing responder saw of one request.
type recordedRequest struct {
	Method string
	URL    string
	Header http.Header
	Body   []byte
}

// requestLog collects the requests a capture responder receives. It is safe
// for concurrent use (prefetching lists fetch pages in parallel).
type requestLog struct {
	mu   sync.Mutex
	reqs []recordedRequest
}

// capture wraps next so that every request (headers and body) is recorded
// before next answers it.
func (l *requestLog) capture(next httpmock.Responder) httpmock.Responder {
	return func(req *http.Request) (*http.Response, error) {
		var body []byte
		if req.Body != nil {
			b, err := io.ReadAll(req.Body)
			if err != nil {
				return nil, err
			}
			body = b
		}
		l.mu.Lock()
		l.reqs = append(l.reqs, recordedRequest{Method: req.Method, URL: req.URL.String(), Header: req.Header.Clone(), Body: body})
		l.mu.Unlock()
		return next(req)
	}
}

// All returns a copy of the recorded requests, in arrival order.
func (l *requestLog) All() []recordedRequest {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]recordedRequest(nil), l.reqs...)
}

// Len returns how many requests were recorded.
func (l *requestLog) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.reqs)
}

// Last returns the most recent request; it fails the test when there is none.
func (l *requestLog) Last(t testing.TB) recordedRequest {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.reqs) == 0 {
		t.Fatal("no request was recorded")
	}
	return l.reqs[len(l.reqs)-1]
}

// wantRequest is what one operation must put on the wire.
type wantRequest struct {
	method string
	path   string     // escaped, with the base path: "/v2/portouts/a%2Fb"
	query  url.Values // nil: no query at all
	body   string     // JSON compared semantically; "": no body
}

// assertRequest checks method, escaped path, parsed query, body and the
// headers every call carries.
func assertRequest(t *testing.T, got recordedRequest, want wantRequest) {
	t.Helper()
	u, err := url.Parse(got.URL)
	require.NoError(t, err)
	assert.Equal(t, want.method, got.Method, "method")
	assert.Equal(t, want.path, u.EscapedPath(), "path")
	q, err := url.ParseQuery(u.RawQuery)
	require.NoError(t, err)
	if want.query == nil {
		want.query = url.Values{}
	}
	assert.Equal(t, want.query, q, "query")
	if want.body == "" {
		assert.Empty(t, got.Body, "body")
		assert.Empty(t, got.Header.Get("Content-Type"), "Content-Type")
	} else {
		assert.JSONEq(t, want.body, string(got.Body), "body")
		assert.Equal(t, "application/json", got.Header.Get("Content-Type"))
	}
	assert.Equal(t, "Bearer "+testAPIKey, got.Header.Get("Authorization"))
}

// badInputCase is a call that must fail with an *InvalidParamsError naming
// field, before any request.
type badInputCase struct {
	name  string
	field string
	call  func(ctx context.Context, c *Client) error
}

func runBadInput(t *testing.T, cases []badInputCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, mock := newTestClient(t)
			mock.RegisterNoResponder(jsonResponder(http.StatusOK, `{"data":{}}`))
			err := tc.call(t.Context(), c)
			var ipe *InvalidParamsError
			require.ErrorAs(t, err, &ipe)
			assert.Equal(t, tc.field, ipe.Field)
			assert.True(t, strings.HasPrefix(err.Error(), "telnyx: "), err.Error())
			assert.Zero(t, mock.GetTotalCallCount(), "no request may be sent")
		})
	}
}

// firstErr runs an iterator and returns the first error it yields, or an
// error saying it yielded none.
func firstErr[T any](seq func(yield func(*T, error) bool)) error {
	for _, err := range seq {
		if err != nil {
			return err
		}
	}
	return errors.New("the iterator yielded no error")
}

// ---- Logs ----

// syncBuffer is a bytes.Buffer safe for concurrent writes, for capturing
// slog output.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// logRecords parses the JSON lines a slog.JSONHandler wrote into buf.
func logRecords(t testing.TB, buf *syncBuffer) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line %q is not JSON: %v", line, err)
		}
		out = append(out, m)
	}
	return out
}

// ---- Loopback servers, for socket-level faults ----

const (
	// faultTimeout is the per-attempt timeout against servers that never answer.
	faultTimeout = 50 * time.Millisecond
	// quick bounds a call that involves no real waiting. It is generous for
	// -race on a loaded machine, yet below the 1.5 s the two default
	// backoff waits would take if the client slept for real.
	quick = 1400 * time.Millisecond
	// hangGuard bounds how long a test waits for a call that must return at
	// once: it only elapses when the test fails.
	hangGuard = 2 * time.Second
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

// closedPort returns the address of a loopback port nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := (&net.ListenConfig{}).Listen(t.Context(), "tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())
	return addr
}
