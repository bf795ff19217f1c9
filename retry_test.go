package telnyx

import (
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The retry policy as callers see it: which answers and failures are
// retried for GET, PATCH and POST, the backoff waits and Retry-After.

// tracedReset is a transport failure after the request headers went out:
// it reports the write through the request's httptrace, as net/http would.
func tracedReset(req *http.Request) (*http.Response, error) {
	if tr := httptrace.ContextClientTrace(req.Context()); tr != nil && tr.WroteHeaders != nil {
		tr.WroteHeaders()
	}
	return nil, &net.OpError{Op: "read", Net: "tcp", Err: &os.SyscallError{Syscall: "read", Err: syscall.ECONNRESET}}
}

// retryAfterResponder answers 429 with h, or, when dateIn is set, with a
// Retry-After HTTP date dateIn from the moment it answers: a date fixed
// when the table is built would shrink while a busy test run queues the
// subtest.
func retryAfterResponder(h http.Header, dateIn time.Duration) httpmock.Responder {
	if dateIn == 0 {
		return statusWith(429, h)
	}
	return func(req *http.Request) (*http.Response, error) {
		date := time.Now().Add(dateIn).UTC().Format(http.TimeFormat)
		return statusWith(429, http.Header{"Retry-After": {date}})(req)
	}
}

func TestRetryRules(t *testing.T) {
	t.Parallel()
	type method int
	const (
		get method = iota
		patch
		post
	)
	yes := http.Header{"X-Should-Retry": {"true"}}
	no := http.Header{"X-Should-Retry": {"false"}}
	tests := []struct {
		name     string
		method   method
		first    httpmock.Responder // answers every attempt but the last scripted success
		attempts int                // attempts made when first keeps failing (default retries: 2)
		wantConn bool               // the final error is a *ConnectionError, else *APIError
	}{
		{"GET 408", get, statusWith(408, nil), 3, false},
		{"GET 429", get, statusWith(429, nil), 3, false},
		{"GET 500", get, statusWith(500, nil), 3, false},
		{"GET 502", get, statusWith(502, nil), 3, false},
		{"GET 503", get, statusWith(503, nil), 3, false},
		{"GET 504", get, statusWith(504, nil), 3, false},
		{"GET 501 not retried", get, statusWith(501, nil), 1, false},
		{"GET 400 not retried", get, statusWith(400, nil), 1, false},
		{"GET 404 not retried", get, statusWith(404, nil), 1, false},
		{"GET 422 not retried", get, statusWith(422, nil), 1, false},
		{"GET 400 with should-retry", get, statusWith(400, yes), 3, false},
		{"GET 503 with should-retry false", get, statusWith(503, no), 1, false},
		{"GET 429 with should-retry false", get, statusWith(429, no), 1, false},
		{"GET 503 HTML body", get, httpmock.NewStringResponder(503, "<html><body>Service Unavailable</body></html>"), 3, false},
		{"GET 503 empty body", get, httpmock.NewStringResponder(503, ""), 3, false},
		{"GET reset", get, httpmock.NewErrorResponder(readReset), 3, true},
		{"GET refused", get, httpmock.NewErrorResponder(dialRefused), 3, true},
		{"GET EOF", get, httpmock.NewErrorResponder(io.EOF), 3, true},
		{"GET reset after writing", get, tracedReset, 3, true},
		{"GET plain error not retried", get, httpmock.NewErrorResponder(errors.New("boom")), 1, true},
		{"PATCH 503", patch, statusWith(503, nil), 3, false},
		{"PATCH 500", patch, statusWith(500, nil), 3, false},
		{"PATCH reset after writing", patch, tracedReset, 3, true},
		{"POST 500 not retried", post, statusWith(500, nil), 1, false},
		{"POST 502 not retried", post, statusWith(502, nil), 1, false},
		{"POST 503 not retried", post, statusWith(503, nil), 1, false},
		{"POST 504 not retried", post, statusWith(504, nil), 1, false},
		{"POST 408", post, statusWith(408, nil), 3, false},
		{"POST 429", post, statusWith(429, nil), 3, false},
		{"POST 500 with should-retry", post, statusWith(500, yes), 3, false},
		{"POST 429 with should-retry false", post, statusWith(429, no), 1, false},
		{"POST dial refused", post, httpmock.NewErrorResponder(dialRefused), 3, true},
		{"POST reset after writing not retried", post, tracedReset, 1, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			do := func(c *Client) error {
				ctx := t.Context()
				var err error
				switch tt.method {
				case get:
					_, err = c.Portouts.Get(ctx, "p1")
				case patch:
					_, err = c.Portouts.UpdateStatus(ctx, "p1", PortoutStatusAuthorized, PortoutUpdateStatusParams{})
				case post:
					_, err = c.Portouts.Comments.Create(ctx, "p1", PortoutCommentCreateParams{Body: "hello"})
				}
				return err
			}

			// Always failing: how many attempts, and which error.
			c, mock := newTestClient(t)
			mock.RegisterNoResponder(tt.first)
			err := do(c)
			require.Error(t, err)
			assert.Equal(t, tt.attempts, mock.GetTotalCallCount())
			if tt.wantConn {
				var ce *ConnectionError
				require.ErrorAs(t, err, &ce)
				assert.Equal(t, tt.attempts, ce.Attempts)
			} else {
				var ae *APIError
				require.ErrorAs(t, err, &ae)
				assert.Equal(t, tt.attempts, ae.Attempts)
			}

			// Failing once, then a success: retried calls succeed.
			if tt.attempts > 1 {
				ok := `{"data":{"id":"p1","body":"hello"}}`
				c, mock := newTestClient(t)
				mock.RegisterNoResponder(sequence(tt.first, jsonResponder(200, ok)))
				require.NoError(t, do(c))
				assert.Equal(t, 2, mock.GetTotalCallCount())
			}
		})
	}
}

func TestRepublishIsNotRetriedOn503(t *testing.T) {
	t.Parallel()
	c, mock := newTestClient(t)
	mock.RegisterNoResponder(statusWith(503, nil))
	err := c.Portouts.Events.Republish(t.Context(), "e1")
	assert.ErrorIs(t, err, ErrServer)
	assert.Equal(t, 1, mock.GetTotalCallCount())
}

func TestBackoffWaits(t *testing.T) {
	t.Parallel()
	ms := time.Millisecond
	tests := []struct {
		name    string
		opts    []Option
		retries int
		want    []time.Duration
	}{
		{"defaults, no jitter", nil, 2, []time.Duration{500 * ms, 1000 * ms}},
		{"doubling capped at max", []Option{WithMaxRetries(5)}, 5, []time.Duration{500 * ms, 1000 * ms, 2000 * ms, 4000 * ms, 8000 * ms}},
		{"custom backoff", []Option{WithMaxRetries(3), WithRetryBackoff(100*ms, 250*ms)}, 3, []time.Duration{100 * ms, 200 * ms, 250 * ms}},
		{"jitter takes up to a quarter", []Option{withJitter(func() float64 { return 0.5 })}, 2, []time.Duration{437500 * time.Microsecond, 875 * ms}},
		{"zero backoff", []Option{WithRetryBackoff(0, 0)}, 2, []time.Duration{0, 0}},
		{"no retries", []Option{WithMaxRetries(0)}, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, mock, rec := newTestClientSleeps(t, tt.opts...)
			mock.RegisterNoResponder(statusWith(503, nil))
			_, err := c.Portouts.Get(t.Context(), "p1")
			var ae *APIError
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, tt.retries+1, mock.GetTotalCallCount())
			assert.Equal(t, tt.retries+1, ae.Attempts)
			assert.Equal(t, tt.want, rec.Waits())
		})
	}
}

func TestRetryAfterHonoured(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		header http.Header
		dateIn time.Duration // when set, Retry-After is this far ahead as an HTTP date, written when the answer is sent
		min    time.Duration
		max    time.Duration
	}{
		{"seconds", http.Header{"Retry-After": {"2"}}, 0, 2 * time.Second, 2 * time.Second},
		{"zero seconds", http.Header{"Retry-After": {"0"}}, 0, 0, 0},
		{"milliseconds", http.Header{"Retry-After-Ms": {"150"}}, 0, 150 * time.Millisecond, 150 * time.Millisecond},
		{"milliseconds win", http.Header{"Retry-After-Ms": {"150"}, "Retry-After": {"7"}}, 0, 150 * time.Millisecond, 150 * time.Millisecond},
		{"HTTP date", nil, 5 * time.Second, 3 * time.Second, 5 * time.Second},
		{"HTTP date in the past", nil, -time.Minute, 0, 0},
		{"unreadable falls back to backoff", http.Header{"Retry-After": {"later"}}, 0, 500 * time.Millisecond, 500 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, mock, rec := newTestClientSleeps(t)
			mock.RegisterNoResponder(sequence(retryAfterResponder(tt.header, tt.dateIn), jsonResponder(200, portoutJSON)))
			_, err := c.Portouts.Get(t.Context(), "p1")
			require.NoError(t, err)
			waits := rec.Waits()
			require.Len(t, waits, 1)
			assert.GreaterOrEqual(t, waits[0], tt.min)
			assert.LessOrEqual(t, waits[0], tt.max)
		})
	}
}

func TestRetryAfterLongerThanMaxStopsAtOnce(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		header http.Header
		dateIn time.Duration
		want   time.Duration
	}{
		{"an hour in seconds", http.Header{"Retry-After": {"3600"}}, 0, time.Hour},
		{"ms over max", http.Header{"Retry-After-Ms": {"9000"}}, 0, 9 * time.Second},
		{"HTTP date far ahead", nil, 2 * time.Hour, 2 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, mock, rec := newTestClientSleeps(t)
			mock.RegisterNoResponder(retryAfterResponder(tt.header, tt.dateIn))
			_, err := c.Portouts.Get(t.Context(), "p1")
			var ae *APIError
			require.ErrorAs(t, err, &ae)
			assert.ErrorIs(t, err, ErrRateLimited)
			assert.Equal(t, 1, mock.GetTotalCallCount(), "no further attempt")
			assert.Empty(t, rec.Waits(), "no sleep at all")
			assert.InDelta(t, float64(tt.want), float64(ae.RetryAfter), float64(2*time.Second))
			assert.Contains(t, ae.Error(), "retry after")
		})
	}
}

func TestRetryAfterWithinMaxIsKeptOnFinalError(t *testing.T) {
	t.Parallel()
	c, mock, rec := newTestClientSleeps(t, WithMaxRetries(1))
	mock.RegisterNoResponder(statusWith(503, http.Header{"Retry-After": {"1"}}))
	_, err := c.Portouts.Get(t.Context(), "p1")
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, time.Second, ae.RetryAfter)
	assert.Equal(t, 2, ae.Attempts)
	assert.Equal(t, []time.Duration{time.Second}, rec.Waits())
}

func TestErrorBodyDecodeDoesNotDecideRetry(t *testing.T) {
	t.Parallel()
	// A well-formed Telnyx body on 400 is not retried; a malformed body on
	// 503 is. The decision comes from the status alone.
	c, mock := newTestClient(t)
	mock.RegisterNoResponder(sequence(httpmock.NewStringResponder(503, `{"errors":[`), jsonResponder(200, portoutJSON)))
	_, err := c.Portouts.Get(t.Context(), "p1")
	require.NoError(t, err)

	c, mock = newTestClient(t)
	mock.RegisterNoResponder(jsonResponder(400, errorBody("10015", "Bad Request", "nope")))
	_, err = c.Portouts.Get(t.Context(), "p1")
	assert.ErrorIs(t, err, ErrBadRequest)
	assert.Equal(t, 1, mock.GetTotalCallCount())
}

func TestCutOffResponse(t *testing.T) {
	t.Parallel()
	t.Run("GET retried", func(t *testing.T) {
		t.Parallel()
		c, mock := newTestClient(t)
		mock.RegisterNoResponder(sequence(cutResponder, jsonResponder(200, portoutJSON)))
		p, err := c.Portouts.Get(t.Context(), "p1")
		require.NoError(t, err)
		assert.Equal(t, "p1", p.ID)
		assert.Equal(t, 2, mock.GetTotalCallCount())
	})
	t.Run("POST not retried", func(t *testing.T) {
		t.Parallel()
		c, mock := newTestClient(t)
		mock.RegisterNoResponder(cutResponder)
		_, err := c.Portouts.Comments.Create(t.Context(), "p1", PortoutCommentCreateParams{Body: "x"})
		var ce *ConnectionError
		require.ErrorAs(t, err, &ce)
		assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
		assert.Equal(t, 1, mock.GetTotalCallCount())
	})
}
