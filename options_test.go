package telnyx

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNilOptionsAreIgnored(t *testing.T) {
	t.Parallel()
	c, mock := newTestClient(t, nil)
	mock.RegisterResponder("GET", testURL("portouts/p1"), jsonResponder(200, `{"data":{"id":"p1"}}`))
	p, err := c.Portouts.Get(t.Context(), "p1", nil)
	require.NoError(t, err)
	assert.Equal(t, "p1", p.ID)
}

func TestWithBaseURLNormalizes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
	}{
		{"trailing slash kept", "https://api.test/v2/", "https://api.test/v2/"},
		{"trailing slash added", "https://api.test/v2", "https://api.test/v2/"},
		{"root", "https://api.test", "https://api.test/"},
		{"root with slash", "https://api.test/", "https://api.test/"},
		{"http and port", "http://127.0.0.1:4010", "http://127.0.0.1:4010/"},
		{"spaces trimmed", "  https://api.test/v2  ", "https://api.test/v2/"},
		{"escaped path kept", "https://api.test/a%2Fb", "https://api.test/a%2Fb/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := NewClient(WithAPIKey(testAPIKey), WithBaseURL(tt.in))
			require.NoError(t, err)
			assert.Equal(t, tt.want, c.cfg.BaseURL)
		})
	}
}

func TestBaseURLWithoutSlashStillJoinsPath(t *testing.T) {
	t.Parallel()
	c, mock := newTestClient(t, WithBaseURL("https://api.test/v2"))
	mock.RegisterResponder("GET", "https://api.test/v2/portouts/p1", jsonResponder(200, `{"data":{"id":"p1"}}`))
	_, err := c.Portouts.Get(t.Context(), "p1")
	require.NoError(t, err)
	assert.Equal(t, 1, mock.GetTotalCallCount())
}

func TestDefaultOptions(t *testing.T) {
	t.Parallel()
	c, err := NewClient(WithAPIKey(testAPIKey), WithBaseURL(testBaseURL))
	require.NoError(t, err)
	assert.Equal(t, 2, c.cfg.MaxRetries)
	assert.Equal(t, 500*time.Millisecond, c.cfg.BackoffInitial)
	assert.Equal(t, 8*time.Second, c.cfg.BackoffMax)
	assert.Zero(t, c.cfg.RequestTimeout)
	assert.Zero(t, c.cfg.Prefetch)
	assert.Same(t, defaultHTTPClient, c.cfg.HTTPClient)
	assert.Equal(t, defaultUserAgent, c.cfg.UserAgent[0])
	assert.NotNil(t, c.cfg.Sleep)
	assert.NotNil(t, c.cfg.Jitter)
	assert.NotNil(t, c.Portouts)
	assert.NotNil(t, c.Portouts.Events)
	assert.NotNil(t, c.Portouts.Reports)
	assert.NotNil(t, c.Portouts.Comments)
	assert.NotNil(t, c.Portouts.SupportingDocuments)
	assert.NotNil(t, c.Documents)
}

func TestValidEdgeOptionValues(t *testing.T) {
	t.Parallel()
	c, err := NewClient(WithAPIKey(testAPIKey), WithBaseURL(testBaseURL),
		WithMaxRetries(0), WithRetryBackoff(0, 0), WithRequestTimeout(0),
		WithPrefetch(0), WithPrefetch(maxPrefetch), WithLogger(nil), WithUserAgent(""))
	require.NoError(t, err)
	assert.Equal(t, 0, c.cfg.MaxRetries)
	assert.Equal(t, maxPrefetch, c.cfg.Prefetch)
	assert.Equal(t, defaultUserAgent, c.cfg.UserAgent[0])
}

// Every option works per call, on top of the client's options, and leaves
// the client's own configuration untouched.
func TestOptionsPerCall(t *testing.T) {
	t.Parallel()
	ok := `{"data":{"id":"p1"}}`

	t.Run("WithAPIKey", func(t *testing.T) {
		t.Parallel()
		c, mock := newTestClient(t)
		var log requestLog
		mock.RegisterNoResponder(log.capture(jsonResponder(200, ok)))
		_, err := c.Portouts.Get(t.Context(), "p1", WithAPIKey("other-key"))
		require.NoError(t, err)
		_, err = c.Portouts.Get(t.Context(), "p1")
		require.NoError(t, err)
		reqs := log.All()
		require.Len(t, reqs, 2)
		assert.Equal(t, "Bearer other-key", reqs[0].Header.Get("Authorization"))
		assert.Equal(t, "Bearer "+testAPIKey, reqs[1].Header.Get("Authorization"))
	})

	t.Run("WithBaseURL", func(t *testing.T) {
		t.Parallel()
		c, mock := newTestClient(t)
		mock.RegisterResponder("GET", "https://eu.api.test/v2/portouts/p1", jsonResponder(200, ok))
		_, err := c.Portouts.Get(t.Context(), "p1", WithBaseURL("https://eu.api.test/v2"))
		require.NoError(t, err)
		assert.Equal(t, 1, mock.GetCallCountInfo()["GET https://eu.api.test/v2/portouts/p1"])
		assert.Equal(t, testBaseURL, c.cfg.BaseURL)
	})

	t.Run("WithHTTPClient", func(t *testing.T) {
		t.Parallel()
		c, mock := newTestClient(t)
		other := httpmock.NewMockTransport()
		other.RegisterNoResponder(jsonResponder(200, ok))
		_, err := c.Portouts.Get(t.Context(), "p1", WithHTTPClient(&http.Client{Transport: other}))
		require.NoError(t, err)
		assert.Equal(t, 1, other.GetTotalCallCount())
		assert.Zero(t, mock.GetTotalCallCount())
	})

	t.Run("WithMaxRetries", func(t *testing.T) {
		t.Parallel()
		c, mock := newTestClient(t)
		mock.RegisterNoResponder(jsonResponder(503, ""))
		_, err := c.Portouts.Get(t.Context(), "p1", WithMaxRetries(4))
		require.Error(t, err)
		assert.Equal(t, 5, mock.GetTotalCallCount())
		_, err = c.Portouts.Get(t.Context(), "p1")
		require.Error(t, err)
		assert.Equal(t, 8, mock.GetTotalCallCount(), "the client's default of 2 retries is untouched")
	})

	t.Run("WithRetryBackoff", func(t *testing.T) {
		t.Parallel()
		c, mock, rec := newTestClientSleeps(t)
		mock.RegisterNoResponder(jsonResponder(503, ""))
		_, err := c.Portouts.Get(t.Context(), "p1", WithRetryBackoff(10*time.Millisecond, 15*time.Millisecond))
		require.Error(t, err)
		assert.Equal(t, []time.Duration{10 * time.Millisecond, 15 * time.Millisecond}, rec.Waits())
	})

	t.Run("WithRequestTimeout", func(t *testing.T) {
		t.Parallel()
		c, mock := newTestClient(t, WithMaxRetries(0))
		mock.RegisterNoResponder(blockUntilDone)
		_, err := c.Portouts.Get(t.Context(), "p1", WithRequestTimeout(5*time.Millisecond))
		var ce *ConnectionError
		require.ErrorAs(t, err, &ce)
		assert.ErrorIs(t, err, context.DeadlineExceeded)
	})

	t.Run("WithHeader", func(t *testing.T) {
		t.Parallel()
		c, mock := newTestClient(t, WithHeader("X-Client", "yes"))
		var log requestLog
		mock.RegisterNoResponder(log.capture(jsonResponder(200, ok)))
		_, err := c.Portouts.Get(t.Context(), "p1", WithHeader("X-Call", "1"), WithHeader("x-client", "overridden"))
		require.NoError(t, err)
		_, err = c.Portouts.Get(t.Context(), "p1")
		require.NoError(t, err)
		reqs := log.All()
		require.Len(t, reqs, 2)
		assert.Equal(t, "1", reqs[0].Header.Get("X-Call"))
		assert.Equal(t, []string{"overridden"}, reqs[0].Header.Values("X-Client"))
		assert.Empty(t, reqs[1].Header.Get("X-Call"), "a per-call header does not leak into the client")
		assert.Equal(t, "yes", reqs[1].Header.Get("X-Client"))
		assert.Equal(t, http.Header{"X-Client": {"yes"}}, c.cfg.Header)
	})

	t.Run("WithUserAgent", func(t *testing.T) {
		t.Parallel()
		c, mock := newTestClient(t, WithUserAgent("billing/2.0"))
		var log requestLog
		mock.RegisterNoResponder(log.capture(jsonResponder(200, ok)))
		_, err := c.Portouts.Get(t.Context(), "p1", WithUserAgent("report-job/1"))
		require.NoError(t, err)
		_, err = c.Portouts.Get(t.Context(), "p1")
		require.NoError(t, err)
		reqs := log.All()
		require.Len(t, reqs, 2)
		assert.Equal(t, "report-job/1 "+defaultUserAgent, reqs[0].Header.Get("User-Agent"))
		assert.Equal(t, "billing/2.0 "+defaultUserAgent, reqs[1].Header.Get("User-Agent"))
	})

	t.Run("WithLogger", func(t *testing.T) {
		t.Parallel()
		c, mock := newTestClient(t)
		mock.RegisterNoResponder(jsonResponder(200, ok))
		var buf syncBuffer
		l := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
		_, err := c.Portouts.Get(t.Context(), "p1", WithLogger(l))
		require.NoError(t, err)
		_, err = c.Portouts.Get(t.Context(), "p1")
		require.NoError(t, err)
		assert.Len(t, logRecords(t, &buf), 1, "only the call with the logger logs")
	})

	t.Run("WithResponseInto", func(t *testing.T) {
		t.Parallel()
		c, mock := newTestClient(t)
		mock.RegisterNoResponder(jsonResponder(200, ok).HeaderAdd(http.Header{"X-Ratelimit-Remaining": {"99"}}))
		var resp *http.Response
		_, err := c.Portouts.Get(t.Context(), "p1", WithResponseInto(&resp))
		require.NoError(t, err)
		require.NotNil(t, resp)
		assert.Equal(t, 200, resp.StatusCode)
		assert.Equal(t, "99", resp.Header.Get("X-Ratelimit-Remaining"))
		assert.Nil(t, c.cfg.ResponseInto)
	})

	t.Run("WithPrefetch", func(t *testing.T) {
		t.Parallel()
		c, _ := newTestClient(t)
		cfg, err := c.config([]Option{WithPrefetch(3)})
		require.NoError(t, err)
		assert.Equal(t, 3, cfg.Prefetch)
		assert.Zero(t, c.cfg.Prefetch)
	})
}

func TestConfigWithoutOptionsSharesClientConfig(t *testing.T) {
	t.Parallel()
	c, _ := newTestClient(t)
	cfg, err := c.config(nil)
	require.NoError(t, err)
	assert.Same(t, &c.cfg, cfg)
}

func TestPerCallErrorDoesNotPoisonClient(t *testing.T) {
	t.Parallel()
	c, mock := newTestClient(t)
	mock.RegisterNoResponder(jsonResponder(200, `{"data":{"id":"p1"}}`))
	_, err := c.Portouts.Get(t.Context(), "p1", WithMaxRetries(-1))
	require.Error(t, err)
	_, err = c.Portouts.Get(t.Context(), "p1")
	require.NoError(t, err)
	assert.Nil(t, c.cfg.Err)
	assert.False(t, errors.Is(err, ErrBadRequest))
}

// An Option is a value a program keeps and passes to many calls, from many
// goroutines at once: applying it must not write what it captured. Run
// with -race.
func TestOptionsAreSafeToShare(t *testing.T) {
	t.Parallel()
	shared := []Option{
		WithAPIKey("  " + testAPIKey + "  "), WithUserAgent("  job/1  "), WithBaseURL(" " + testBaseURL + " "),
		WithHeader(" x-team ", "billing"), WithMaxRetries(1), WithRetryBackoff(0, 0), WithRequestTimeout(time.Second),
		WithPrefetch(2), WithLogger(nil), WithPollInterval(0, 0),
		WithMiddleware(func(r *http.Request, next MiddlewareNext) (*http.Response, error) { return next(r) }),
	}
	c, mock := newTestClient(t)
	var log requestLog
	mock.RegisterNoResponder(log.capture(jsonResponder(200, portoutJSON)))
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := NewClient(shared...)
			assert.NoError(t, err)
			_, err = c.Portouts.Get(t.Context(), "p1", shared...)
			assert.NoError(t, err)
		}()
	}
	wg.Wait()
	for _, r := range log.All() {
		assert.Equal(t, "Bearer "+testAPIKey, r.Header.Get("Authorization"))
		assert.Equal(t, "job/1 "+defaultUserAgent, r.Header.Get("User-Agent"))
		assert.Equal(t, "billing", r.Header.Get("X-Team"))
	}
	assert.Equal(t, 8, log.Len())
}
