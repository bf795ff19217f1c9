package telnyx

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Production hooks: middleware, rate limiter, poll interval, default HTTP
// client, and prefetching that survives a server's rate limit.

// tracer records the order middleware sees each attempt in.
type tracer struct {
	mu    sync.Mutex
	calls []string
}

func (tr *tracer) middleware(name string) Middleware {
	return func(req *http.Request, next MiddlewareNext) (*http.Response, error) {
		tr.mu.Lock()
		tr.calls = append(tr.calls, name+">")
		tr.mu.Unlock()
		resp, err := next(req)
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		tr.mu.Lock()
		tr.calls = append(tr.calls, fmt.Sprintf("<%s %d", name, status))
		tr.mu.Unlock()
		return resp, err
	}
}

func TestMiddlewareWrapsEveryAttemptInOrder(t *testing.T) {
	t.Parallel()
	tr := &tracer{}
	c, mock := newTestClient(t, WithMiddleware(tr.middleware("outer"), tr.middleware("inner")))
	mock.RegisterNoResponder(sequence(jsonResponder(503, ""), jsonResponder(200, portoutJSON)))
	_, err := c.Portouts.Get(t.Context(), "p1", WithMiddleware(tr.middleware("call")))
	require.NoError(t, err)
	assert.Equal(t, []string{
		"outer>", "inner>", "call>", "<call 503", "<inner 503", "<outer 503",
		"outer>", "inner>", "call>", "<call 200", "<inner 200", "<outer 200",
	}, tr.calls, "first listed is outermost, the call's inside the client's, and a retry passes again")

	// The call's middleware did not stick to the client.
	tr.calls = nil
	_, err = c.Portouts.Get(t.Context(), "p1")
	require.NoError(t, err)
	assert.Equal(t, []string{"outer>", "inner>", "<inner 200", "<outer 200"}, tr.calls)
}

func TestRequestRouteNamesTheRouteNotTheID(t *testing.T) {
	t.Parallel()
	var routes []string
	record := Middleware(func(req *http.Request, next MiddlewareNext) (*http.Response, error) {
		routes = append(routes, RequestRoute(req))
		return next(req)
	})
	c, mock := newTestClient(t, WithMiddleware(record))
	mock.RegisterNoResponder(jsonResponder(200, `{"data":[]}`))
	_, err := c.Portouts.Comments.List(t.Context(), "po/1")
	require.NoError(t, err)
	_, err = c.Portouts.List(t.Context(), nil)
	require.NoError(t, err)
	assert.Equal(t, []string{"/portouts/{id}/comments", "/portouts"}, routes)
	assert.Empty(t, RequestRoute(httptest.NewRequestWithContext(t.Context(), http.MethodGet, "/x", nil)))
	assert.Empty(t, RequestRoute(nil))
}

func TestMiddlewareSeesTheRequestAndCanAnswerIt(t *testing.T) {
	t.Parallel()
	var sawAuth, sawPath string
	short := Middleware(func(req *http.Request, _ MiddlewareNext) (*http.Response, error) {
		sawAuth, sawPath = req.Header.Get("Authorization"), req.URL.Path
		return httpmock.NewStringResponse(200, `{"data":{"id":"from-middleware"}}`), nil
	})
	c, mock := newTestClient(t, WithMiddleware(short))
	p, err := c.Portouts.Get(t.Context(), "p/1")
	require.NoError(t, err)
	assert.Equal(t, "from-middleware", p.ID)
	assert.Equal(t, "Bearer "+testAPIKey, sawAuth, "middleware runs on the request as sent")
	assert.Equal(t, "/v2/portouts/p/1", sawPath)
	assert.Zero(t, mock.GetTotalCallCount(), "nothing reached the transport")

	failing := Middleware(func(*http.Request, MiddlewareNext) (*http.Response, error) {
		return nil, errors.New("circuit open")
	})
	c, _ = newTestClient(t)
	_, err = c.Portouts.Get(t.Context(), "p1", WithMiddleware(failing), WithMaxRetries(0))
	var ce *ConnectionError
	require.ErrorAs(t, err, &ce)
	assert.ErrorContains(t, err, "circuit open")

	_, err = NewClient(WithAPIKey(testAPIKey), WithMiddleware(nil))
	var ipe *InvalidParamsError
	require.ErrorAs(t, err, &ipe)
	assert.Equal(t, "WithMiddleware", ipe.Field)
}

// countingLimiter counts Wait calls and fails once told to.
type countingLimiter struct {
	waits atomic.Int32
	err   error
}

func (l *countingLimiter) Wait(ctx context.Context) error {
	l.waits.Add(1)
	if l.err != nil {
		return l.err
	}
	return ctx.Err()
}

func TestRateLimiterIsWaitedOnBeforeEveryAttempt(t *testing.T) {
	t.Parallel()
	lim := &countingLimiter{}
	c, mock := newTestClient(t, WithRateLimiter(lim))
	mock.RegisterNoResponder(sequence(jsonResponder(503, ""), jsonResponder(429, ""), jsonResponder(200, portoutJSON)))
	_, err := c.Portouts.Get(t.Context(), "p1")
	require.NoError(t, err)
	assert.EqualValues(t, 3, lim.waits.Load(), "once per attempt, retries included")
	assert.Equal(t, 3, mock.GetTotalCallCount())
}

func TestRateLimiterErrorEndsTheCallBeforeSending(t *testing.T) {
	t.Parallel()
	lim := &countingLimiter{err: context.DeadlineExceeded}
	c, mock := newTestClient(t, WithRateLimiter(lim))
	mock.RegisterNoResponder(jsonResponder(200, portoutJSON))
	_, err := c.Portouts.Get(t.Context(), "p1")
	var ce *ConnectionError
	require.ErrorAs(t, err, &ce)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Equal(t, 0, ce.Attempts)
	assert.Zero(t, mock.GetTotalCallCount(), "nothing is sent")

	_, err = NewClient(WithAPIKey(testAPIKey), WithRateLimiter((*countingLimiter)(nil)))
	var ipe *InvalidParamsError
	require.ErrorAs(t, err, &ipe)
	assert.Equal(t, "WithRateLimiter", ipe.Field)
}

func TestRateLimiterCoversPrefetchedPages(t *testing.T) {
	t.Parallel()
	lim := &countingLimiter{}
	srv := portoutPages(t, 6, 5, true)
	c, mock := newTestClient(t, WithRateLimiter(lim))
	mock.RegisterNoResponder(srv.respond)
	ids, errs := collect(t, c, WithPrefetch(3))
	require.Empty(t, errs)
	assert.Equal(t, wantIDs(6, 5), ids)
	assert.EqualValues(t, 6, lim.waits.Load(), "every page, prefetched ones included")
}

func TestRetryIsLoggedAtWarnWithoutTheKey(t *testing.T) {
	t.Parallel()
	var buf syncBuffer
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelInfo}))
	c, mock := newTestClient(t, WithLogger(logger))
	mock.RegisterNoResponder(sequence(
		statusWith(429, http.Header{"Retry-After-Ms": {"250"}, "X-Request-Id": {testAPIKey}}),
		jsonResponder(200, portoutJSON)))
	_, err := c.Portouts.Get(t.Context(), "p1")
	require.NoError(t, err)
	recs := logRecords(t, &buf)
	require.Len(t, recs, 1, "at Info, only the retry shows")
	assert.Equal(t, "WARN", recs[0]["level"])
	assert.EqualValues(t, 429, recs[0]["status"])
	assert.EqualValues(t, float64(250*time.Millisecond), recs[0]["wait"])
	assert.NotContains(t, buf.String(), testAPIKey)
}

func TestPollIntervalSpacesReportPolls(t *testing.T) {
	t.Parallel()
	c, mock, sleeps := newTestClientSleeps(t, WithPollInterval(2*time.Second, 5*time.Second))
	pending := `{"data":{"id":"r1","status":"pending"}}`
	mock.RegisterNoResponder(sequence(jsonResponder(200, pending), jsonResponder(200, pending), jsonResponder(200, pending),
		jsonResponder(200, pending), jsonResponder(200, `{"data":{"id":"r1","status":"completed","document_id":"d1"}}`)))
	_, err := c.Portouts.Reports.Wait(t.Context(), "r1")
	require.NoError(t, err)
	assert.Equal(t, []time.Duration{2 * time.Second, 4 * time.Second, 5 * time.Second, 5 * time.Second}, sleeps.Waits())

	c, mock, sleeps = newTestClientSleeps(t, WithPollInterval(0, 0))
	mock.RegisterNoResponder(sequence(jsonResponder(200, pending), jsonResponder(200, `{"data":{"id":"r1","status":"completed","document_id":"d1"}}`)))
	_, err = c.Portouts.Reports.Wait(t.Context(), "r1")
	require.NoError(t, err)
	assert.Equal(t, []time.Duration{0}, sleeps.Waits(), "0, 0 polls again at once")

	for _, tt := range []struct{ first, max time.Duration }{{-1, 0}, {0, -1}, {2 * time.Second, time.Second}} {
		_, err := NewClient(WithAPIKey(testAPIKey), WithPollInterval(tt.first, tt.max))
		var ipe *InvalidParamsError
		require.ErrorAs(t, err, &ipe, "%v, %v", tt.first, tt.max)
		assert.Equal(t, "WithPollInterval", ipe.Field)
	}
}

func TestDefaultHTTPClientIsNewAndTuned(t *testing.T) {
	t.Parallel()
	a, b := DefaultHTTPClient(), DefaultHTTPClient()
	require.NotSame(t, a, b)
	require.NotSame(t, a.Transport, b.Transport, "wrapping one never touches another")
	tr, ok := a.Transport.(*http.Transport)
	require.True(t, ok)
	assert.Equal(t, 10*time.Second, tr.TLSHandshakeTimeout)
	assert.Equal(t, 60*time.Second, tr.ResponseHeaderTimeout)
	assert.True(t, tr.ForceAttemptHTTP2)
	assert.Zero(t, a.Timeout, "the caller's context and WithRequestTimeout bound calls")

	// Its redirect policy drops the key on another origin.
	from, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, "https://api.telnyx.com/v2/documents/d1/download", nil)
	to, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, "https://files.telnyx.com/d1", nil)
	to.Header.Set("Authorization", "Bearer "+testAPIKey)
	require.NoError(t, a.CheckRedirect(to, []*http.Request{from}))
	assert.Empty(t, to.Header.Get("Authorization"))

	// Wrapped and passed back, it is what the SDK sends through.
	var wrapped atomic.Int32
	mock := httpmock.NewMockTransport()
	mock.RegisterNoResponder(jsonResponder(200, portoutJSON))
	hc := DefaultHTTPClient()
	hc.Transport = roundTripFunc(func(r *http.Request) (*http.Response, error) {
		wrapped.Add(1)
		return mock.RoundTrip(r)
	})
	c, err := NewClient(WithAPIKey(testAPIKey), WithBaseURL(testBaseURL), WithHTTPClient(hc))
	require.NoError(t, err)
	_, err = c.Portouts.Get(t.Context(), "p1")
	require.NoError(t, err)
	assert.EqualValues(t, 1, wrapped.Load())
}

// A 429 on a prefetched page is the SDK's own concurrency meeting the
// server's limit: the page is asked again after the server's delay, without
// spending the call's retries, and every item arrives once, in order.
func TestPrefetchSurvivesRateLimits(t *testing.T) {
	t.Parallel()
	srv := portoutPages(t, 12, 5, true)
	var mu sync.Mutex
	refused := map[int]int{}
	c, mock, sleeps := newTestClientSleeps(t, WithMaxRetries(0))
	mock.RegisterNoResponder(func(req *http.Request) (*http.Response, error) {
		n := pageNumber(req)
		mu.Lock()
		refused[n]++
		first := refused[n] <= 2 && n > 1
		mu.Unlock()
		if first {
			return statusWith(429, http.Header{"Retry-After-Ms": {"40"}})(req)
		}
		return srv.respond(req)
	})
	ids, errs := collect(t, c, WithPrefetch(8))
	require.Empty(t, errs, "no retry budget is spent on the SDK's own concurrency")
	assert.Equal(t, wantIDs(12, 5), ids, "every item once, in order")
	for _, w := range sleeps.Waits() {
		assert.Equal(t, 40*time.Millisecond, w, "the server's delay is honoured")
	}
	assert.Len(t, sleeps.Waits(), 2*11)
}

// A server that only ever answers 429 still ends the listing, with its
// error, after a bounded number of asks.
func TestPrefetchRateLimitIsBounded(t *testing.T) {
	t.Parallel()
	srv := portoutPages(t, 3, 5, true)
	var asks atomic.Int32
	c, mock := newTestClient(t, WithMaxRetries(0))
	mock.RegisterNoResponder(func(req *http.Request) (*http.Response, error) {
		if pageNumber(req) == 2 {
			asks.Add(1)
			return statusWith(429, http.Header{"Retry-After-Ms": {"1"}})(req)
		}
		return srv.respond(req)
	})
	ids, errs := collect(t, c, WithPrefetch(2))
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], ErrRateLimited)
	assert.Equal(t, wantIDs(1, 5), ids, "the first page, then the error where page 2 belongs")
	assert.EqualValues(t, rateLimitRetries+1, asks.Load())
}

func pageNumber(req *http.Request) int {
	n := 1
	if v := req.URL.Query().Get("page[number]"); v != "" {
		_, _ = fmt.Sscan(strings.TrimSpace(v), &n)
	}
	return n
}

// roundTripFunc is an http.RoundTripper made of a function.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
