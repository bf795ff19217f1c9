package telnyx

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// invalidOptions are option values each of which must be refused, with the
// error naming the option.
var invalidOptions = []struct {
	name   string
	opt    Option
	option string
}{
	{"empty API key", WithAPIKey(""), "WithAPIKey"},
	{"blank API key", WithAPIKey("  "), "WithAPIKey"},
	{"API key with line break", WithAPIKey("abc\r\nX-Evil: 1"), "WithAPIKey"},
	{"empty base URL", WithBaseURL(""), "WithBaseURL"},
	{"unparsable base URL", WithBaseURL("http://[::1"), "WithBaseURL"},
	{"relative base URL", WithBaseURL("/v2/"), "WithBaseURL"},
	{"ftp base URL", WithBaseURL("ftp://api.test/v2/"), "WithBaseURL"},
	{"base URL without host", WithBaseURL("https:///v2/"), "WithBaseURL"},
	{"base URL with credentials", WithBaseURL("https://user:pw@api.test/v2/"), "WithBaseURL"},
	{"base URL with query", WithBaseURL("https://api.test/v2/?x=1"), "WithBaseURL"},
	{"base URL with fragment", WithBaseURL("https://api.test/v2/#top"), "WithBaseURL"},
	{"nil HTTP client", WithHTTPClient(nil), "WithHTTPClient"},
	{"negative retries", WithMaxRetries(-1), "WithMaxRetries"},
	{"negative initial backoff", WithRetryBackoff(-time.Second, time.Second), "WithRetryBackoff"},
	{"negative max backoff", WithRetryBackoff(0, -time.Second), "WithRetryBackoff"},
	{"initial above max", WithRetryBackoff(2*time.Second, time.Second), "WithRetryBackoff"},
	{"negative request timeout", WithRequestTimeout(-time.Millisecond), "WithRequestTimeout"},
	{"empty header name", WithHeader("", "x"), "WithHeader"},
	{"Authorization header", WithHeader("Authorization", "Bearer other"), "WithHeader"},
	{"authorization any case", WithHeader(" authorization ", "Bearer other"), "WithHeader"},
	{"header name with colon", WithHeader("X-A:B", "x"), "WithHeader"},
	{"header name with space", WithHeader("X A", "x"), "WithHeader"},
	{"header value with line break", WithHeader("X-A", "a\r\nX-Evil: 1"), "WithHeader"},
	{"user agent with line break", WithUserAgent("app/1\nX-Evil: 1"), "WithUserAgent"},
	{"negative prefetch", WithPrefetch(-1), "WithPrefetch"},
	{"huge prefetch", WithPrefetch(maxPrefetch + 1), "WithPrefetch"},
	{"nil response destination", WithResponseInto(nil), "WithResponseInto"},
}

func TestNewClientRejectsInvalidOptions(t *testing.T) {
	t.Parallel()
	for _, tt := range invalidOptions {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := NewClient(WithAPIKey(testAPIKey), tt.opt)
			require.Error(t, err)
			assert.Nil(t, c)
			var ipe *InvalidParamsError
			require.ErrorAs(t, err, &ipe)
			assert.Equal(t, tt.option, ipe.Field)
			assert.True(t, strings.HasPrefix(err.Error(), "telnyx: "), err.Error())
			assert.Contains(t, err.Error(), tt.option)
			assert.NotContains(t, err.Error(), "\n")
		})
	}
}

func TestCallRejectsInvalidOptionsBeforeSending(t *testing.T) {
	t.Parallel()
	for _, tt := range invalidOptions {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, mock := newTestClient(t)
			mock.RegisterNoResponder(jsonResponder(200, `{"data":{"id":"p1"}}`))

			p, err := c.Portouts.Get(context.Background(), "p1", tt.opt)
			assert.Nil(t, p)
			var ipe *InvalidParamsError
			require.ErrorAs(t, err, &ipe)
			assert.Equal(t, tt.option, ipe.Field)
			assert.Zero(t, mock.GetTotalCallCount(), "nothing is sent")
		})
	}
}

func TestInvalidOptionErrorNeverShowsKey(t *testing.T) {
	t.Parallel()
	_, err := NewClient(WithAPIKey(testAPIKey+"\n"+testAPIKey), WithMaxRetries(1))
	require.Error(t, err)
	assert.NotContains(t, err.Error(), testAPIKey)
}

func TestFirstInvalidOptionWins(t *testing.T) {
	t.Parallel()
	_, err := NewClient(WithAPIKey(testAPIKey), WithMaxRetries(-1), WithRequestTimeout(-1))
	var ipe *InvalidParamsError
	require.ErrorAs(t, err, &ipe)
	assert.Equal(t, "WithMaxRetries", ipe.Field)
}

func TestNilOptionsAreIgnored(t *testing.T) {
	t.Parallel()
	c, mock := newTestClient(t, nil)
	mock.RegisterResponder("GET", testURL("portouts/p1"), jsonResponder(200, `{"data":{"id":"p1"}}`))
	p, err := c.Portouts.Get(context.Background(), "p1", nil)
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
	_, err := c.Portouts.Get(context.Background(), "p1")
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
		_, err := c.Portouts.Get(context.Background(), "p1", WithAPIKey("other-key"))
		require.NoError(t, err)
		_, err = c.Portouts.Get(context.Background(), "p1")
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
		_, err := c.Portouts.Get(context.Background(), "p1", WithBaseURL("https://eu.api.test/v2"))
		require.NoError(t, err)
		assert.Equal(t, 1, mock.GetCallCountInfo()["GET https://eu.api.test/v2/portouts/p1"])
		assert.Equal(t, testBaseURL, c.cfg.BaseURL)
	})

	t.Run("WithHTTPClient", func(t *testing.T) {
		t.Parallel()
		c, mock := newTestClient(t)
		other := httpmock.NewMockTransport()
		other.RegisterNoResponder(jsonResponder(200, ok))
		_, err := c.Portouts.Get(context.Background(), "p1", WithHTTPClient(&http.Client{Transport: other}))
		require.NoError(t, err)
		assert.Equal(t, 1, other.GetTotalCallCount())
		assert.Zero(t, mock.GetTotalCallCount())
	})

	t.Run("WithMaxRetries", func(t *testing.T) {
		t.Parallel()
		c, mock := newTestClient(t)
		mock.RegisterNoResponder(jsonResponder(503, ""))
		_, err := c.Portouts.Get(context.Background(), "p1", WithMaxRetries(4))
		require.Error(t, err)
		assert.Equal(t, 5, mock.GetTotalCallCount())
		_, err = c.Portouts.Get(context.Background(), "p1")
		require.Error(t, err)
		assert.Equal(t, 8, mock.GetTotalCallCount(), "the client's default of 2 retries is untouched")
	})

	t.Run("WithRetryBackoff", func(t *testing.T) {
		t.Parallel()
		c, mock, rec := newTestClientSleeps(t)
		mock.RegisterNoResponder(jsonResponder(503, ""))
		_, err := c.Portouts.Get(context.Background(), "p1", WithRetryBackoff(10*time.Millisecond, 15*time.Millisecond))
		require.Error(t, err)
		assert.Equal(t, []time.Duration{10 * time.Millisecond, 15 * time.Millisecond}, rec.Waits())
	})

	t.Run("WithRequestTimeout", func(t *testing.T) {
		t.Parallel()
		c, mock := newTestClient(t, WithMaxRetries(0))
		mock.RegisterNoResponder(blockUntilDone)
		_, err := c.Portouts.Get(context.Background(), "p1", WithRequestTimeout(5*time.Millisecond))
		var ce *ConnectionError
		require.ErrorAs(t, err, &ce)
		assert.ErrorIs(t, err, context.DeadlineExceeded)
	})

	t.Run("WithHeader", func(t *testing.T) {
		t.Parallel()
		c, mock := newTestClient(t, WithHeader("X-Client", "yes"))
		var log requestLog
		mock.RegisterNoResponder(log.capture(jsonResponder(200, ok)))
		_, err := c.Portouts.Get(context.Background(), "p1", WithHeader("X-Call", "1"), WithHeader("x-client", "overridden"))
		require.NoError(t, err)
		_, err = c.Portouts.Get(context.Background(), "p1")
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
		_, err := c.Portouts.Get(context.Background(), "p1", WithUserAgent("report-job/1"))
		require.NoError(t, err)
		_, err = c.Portouts.Get(context.Background(), "p1")
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
		_, err := c.Portouts.Get(context.Background(), "p1", WithLogger(l))
		require.NoError(t, err)
		_, err = c.Portouts.Get(context.Background(), "p1")
		require.NoError(t, err)
		assert.Len(t, logRecords(t, &buf), 1, "only the call with the logger logs")
	})

	t.Run("WithResponseInto", func(t *testing.T) {
		t.Parallel()
		c, mock := newTestClient(t)
		mock.RegisterNoResponder(jsonResponder(200, ok).HeaderAdd(http.Header{"X-Ratelimit-Remaining": {"99"}}))
		var resp *http.Response
		_, err := c.Portouts.Get(context.Background(), "p1", WithResponseInto(&resp))
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
	_, err := c.Portouts.Get(context.Background(), "p1", WithMaxRetries(-1))
	require.Error(t, err)
	_, err = c.Portouts.Get(context.Background(), "p1")
	require.NoError(t, err)
	assert.Nil(t, c.cfg.Err)
	assert.False(t, errors.Is(err, ErrBadRequest))
}
