package telnyx

import (
	"context"
	"errors"
	"net/http"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The environment tests use t.Setenv and so cannot run in parallel.

func TestNewClientReadsAPIKeyFromEnv(t *testing.T) {
	t.Setenv("TELNYX_API_KEY", " env-key ")
	t.Setenv("TELNYX_BASE_URL", "")
	c, err := NewClient()
	require.NoError(t, err)
	assert.Equal(t, "env-key", c.cfg.Auth.Key)
	assert.Equal(t, DefaultBaseURL, c.cfg.BaseURL)
}

func TestNewClientOptionBeatsEnvKey(t *testing.T) {
	t.Setenv("TELNYX_API_KEY", "env-key")
	t.Setenv("TELNYX_BASE_URL", "")
	c, err := NewClient(WithAPIKey("option-key"))
	require.NoError(t, err)
	assert.Equal(t, "option-key", c.cfg.Auth.Key)
}

func TestNewClientMissingAPIKey(t *testing.T) {
	for _, env := range []string{"", "   "} {
		t.Run("env "+`"`+env+`"`, func(t *testing.T) {
			t.Setenv("TELNYX_API_KEY", env)
			c, err := NewClient(WithBaseURL(testBaseURL))
			assert.Nil(t, c)
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrMissingAPIKey)
			assert.Regexp(t, `^telnyx: `, err.Error())
		})
	}
}

func TestNewClientEnvKeyWithLineBreak(t *testing.T) {
	t.Setenv("TELNYX_API_KEY", testAPIKey+"\nX-Evil: 1")
	_, err := NewClient()
	var ipe *InvalidParamsError
	require.ErrorAs(t, err, &ipe)
	assert.Equal(t, "TELNYX_API_KEY", ipe.Field)
	assert.NotContains(t, err.Error(), testAPIKey)
}

func TestNewClientReadsBaseURLFromEnv(t *testing.T) {
	t.Setenv("TELNYX_API_KEY", testAPIKey)
	t.Setenv("TELNYX_BASE_URL", "http://127.0.0.1:4010")
	c, err := NewClient()
	require.NoError(t, err)
	assert.Equal(t, "http://127.0.0.1:4010/", c.cfg.BaseURL, "a trailing slash is added")

	c, err = NewClient(WithBaseURL("https://api.test/v2"))
	require.NoError(t, err)
	assert.Equal(t, "https://api.test/v2/", c.cfg.BaseURL, "the option beats the environment")
}

func TestNewClientInvalidBaseURLFromEnv(t *testing.T) {
	t.Setenv("TELNYX_API_KEY", testAPIKey)
	t.Setenv("TELNYX_BASE_URL", "ftp://files.test/")
	_, err := NewClient()
	var ipe *InvalidParamsError
	require.ErrorAs(t, err, &ipe)
	assert.Equal(t, "TELNYX_BASE_URL", ipe.Field)
}

func TestNewClientEnvKeyIsSent(t *testing.T) {
	t.Setenv("TELNYX_API_KEY", "from-env")
	t.Setenv("TELNYX_BASE_URL", "https://ignored.test/")
	mock := httpmock.NewMockTransport()
	var log requestLog
	mock.RegisterNoResponder(log.capture(jsonResponder(200, `{"data":{"id":"p1"}}`)))
	c, err := NewClient(WithBaseURL(testBaseURL), WithHTTPClient(&http.Client{Transport: mock}))
	require.NoError(t, err)
	_, err = c.Portouts.Get(t.Context(), "p1")
	require.NoError(t, err)
	assert.Equal(t, "Bearer from-env", log.Last(t).Header.Get("Authorization"))
}

func TestDefaultHTTPClientHasPhaseTimeoutsOnly(t *testing.T) {
	t.Parallel()
	assert.Zero(t, defaultHTTPClient.Timeout, "the context, not the client, bounds a whole call")
	tr, ok := defaultHTTPClient.Transport.(*http.Transport)
	require.True(t, ok)
	assert.NotNil(t, tr.DialContext)
	assert.NotNil(t, tr.Proxy)
	assert.Positive(t, tr.TLSHandshakeTimeout)
	assert.Positive(t, tr.ResponseHeaderTimeout)
	assert.Positive(t, tr.IdleConnTimeout)
	assert.GreaterOrEqual(t, tr.MaxIdleConnsPerHost, 2)
}

func TestCallerHTTPClientIsNotMutated(t *testing.T) {
	t.Parallel()
	mock := httpmock.NewMockTransport()
	mock.RegisterNoResponder(jsonResponder(503, `{}`))
	redirect := func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	hc := &http.Client{Transport: mock, Timeout: 42 * time.Second, CheckRedirect: redirect}

	c, err := NewClient(WithAPIKey(testAPIKey), WithBaseURL(testBaseURL), WithHTTPClient(hc),
		withSleep((&sleepRecorder{}).sleep), WithRequestTimeout(time.Minute), WithMaxRetries(1))
	require.NoError(t, err)
	_, err = c.Portouts.Get(t.Context(), "p1")
	require.Error(t, err)

	assert.Same(t, mock, hc.Transport.(*httpmock.MockTransport), "the transport is used as given")
	assert.Equal(t, 42*time.Second, hc.Timeout)
	assert.NotNil(t, hc.CheckRedirect)
	assert.Nil(t, hc.Jar)
	assert.Equal(t, reflect.ValueOf(redirect).Pointer(), reflect.ValueOf(hc.CheckRedirect).Pointer(), "the caller's policy is left in place")
	assert.NotSame(t, hc, c.cfg.HTTPClient, "the SDK sends through a copy")
	assert.Same(t, mock, c.cfg.HTTPClient.Transport.(*httpmock.MockTransport))
	assert.Equal(t, 42*time.Second, c.cfg.HTTPClient.Timeout)
	assert.Equal(t, 2, mock.GetTotalCallCount(), "requests went through the caller's transport")
}

func TestClientIsSafeForConcurrentUse(t *testing.T) {
	t.Parallel()
	c, mock := newTestClient(t, WithHeader("X-Shared", "1"))
	mock.RegisterNoResponder(sequence(jsonResponder(503, ""), jsonResponder(200, `{"data":{"id":"p1"}}`)))
	var wg sync.WaitGroup
	errs := make(chan error, 32)
	for i := range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var opts []Option
			if i%2 == 0 {
				opts = append(opts, WithHeader("X-Call", "c"), WithMaxRetries(3))
			}
			_, err := c.Portouts.Get(t.Context(), "p1", opts...)
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		assert.NoError(t, err)
	}
	assert.Equal(t, http.Header{"X-Shared": {"1"}}, c.cfg.Header)
}

func TestSleepContext(t *testing.T) {
	t.Parallel()
	t.Run("zero returns at once", func(t *testing.T) {
		t.Parallel()
		assert.NoError(t, sleepContext(t.Context(), 0))
		assert.NoError(t, sleepContext(t.Context(), -time.Second))
	})
	t.Run("short wait elapses", func(t *testing.T) {
		t.Parallel()
		assert.NoError(t, sleepContext(t.Context(), time.Millisecond))
	})
	t.Run("cancelled context ends a long wait", func(t *testing.T) {
		t.Parallel()
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		start := time.Now()
		err := sleepContext(ctx, time.Hour)
		assert.ErrorIs(t, err, context.Canceled)
		assert.Less(t, time.Since(start), time.Second)
		assert.ErrorIs(t, sleepContext(ctx, 0), context.Canceled)
	})
}

func TestNilContextIsRejected(t *testing.T) {
	t.Parallel()
	c, mock := newTestClient(t)
	var nilCtx context.Context // a nil context is the point of the test
	_, err := c.Portouts.Get(nilCtx, "p1")
	var ipe *InvalidParamsError
	require.True(t, errors.As(err, &ipe), "got %v", err)
	assert.Equal(t, "ctx", ipe.Field)
	assert.Zero(t, mock.GetTotalCallCount())
}
