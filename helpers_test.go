package telnyx

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/a54710f5/telnyx-go/internal/requestconfig"
	"github.com/jarcoal/httpmock"
	"go.uber.org/goleak"
)

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
)

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

// testURL returns the absolute URL of path (relative, "portouts/abc") under
// testBaseURL, for registering responders.
func testURL(path string) string {
	return testBaseURL + strings.TrimPrefix(path, "/")
}

// jsonResponder answers with status and the JSON text body.
func jsonResponder(status int, body string) httpmock.Responder {
	return httpmock.NewStringResponder(status, body).
		HeaderSet(http.Header{"Content-Type": {"application/json"}})
}

// errorBody is a Telnyx error body with one error.
func errorBody(code, title, detail string) string {
	return `{"errors":[{"code":"` + code + `","title":"` + title + `","detail":"` + detail + `"}]}`
}

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
		l.reqs = append(l.reqs, recordedRequest{
			Method: req.Method,
			URL:    req.URL.String(),
			Header: req.Header.Clone(),
			Body:   body,
		})
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

// sequence answers the n-th call with responders[n], repeating the last one
// once the list is used up.
func sequence(responders ...httpmock.Responder) httpmock.Responder {
	var mu sync.Mutex
	n := 0
	return func(req *http.Request) (*http.Response, error) {
		mu.Lock()
		i := n
		n++
		mu.Unlock()
		if i >= len(responders) {
			i = len(responders) - 1
		}
		return responders[i](req)
	}
}

// blockUntilDone is a responder that never answers: it waits until the
// request's context ends and returns its error, as a stalled server would.
func blockUntilDone(req *http.Request) (*http.Response, error) {
	<-req.Context().Done()
	return nil, req.Context().Err()
}

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
