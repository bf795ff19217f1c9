package telnyx

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Option values that are refused, by NewClient and per call, before
// anything is sent.

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

			p, err := c.Portouts.Get(t.Context(), "p1", tt.opt)
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

// unsendableOptions are values net/http refuses to put on the wire. Each is
// refused up front with the option's name, never left to fail every call
// as a *ConnectionError that names no option.
var unsendableOptions = []struct {
	name   string
	opt    Option
	option string
}{
	{"NUL in the API key", WithAPIKey("KEY\x00abc"), "WithAPIKey"},
	{"DEL in the API key", WithAPIKey("KEY\x7fabc"), "WithAPIKey"},
	{"escape in the API key", WithAPIKey("KEY\x1b[2Jabc"), "WithAPIKey"},
	{"NUL in the user agent", WithUserAgent("app\x00/1"), "WithUserAgent"},
	{"DEL in the user agent", WithUserAgent("app/1\x7f"), "WithUserAgent"},
	{"header name with a slash", WithHeader("X/Team", "a"), "WithHeader"},
	{"header name with a quote", WithHeader(`X"Team`, "a"), "WithHeader"},
	{"header name with non-ASCII", WithHeader("X-Téam", "a"), "WithHeader"},
	{"header name with NUL", WithHeader("X-Team\x00", "a"), "WithHeader"},
	{"header value with NUL", WithHeader("X-Team", "a\x00b"), "WithHeader"},
	{"header value with DEL", WithHeader("X-Team", "a\x7f"), "WithHeader"},
	{"header value with a bell", WithHeader("X-Team", "a\x07"), "WithHeader"},
	{"base URL port above 65535", WithBaseURL("http://127.0.0.1:70000/v2/"), "WithBaseURL"},
	{"base URL port zero", WithBaseURL("http://127.0.0.1:0/v2/"), "WithBaseURL"},
}

// Item 15: NewClient, and a call given the option, refuse values net/http
// cannot send, naming the option, before anything is sent or retried.
func TestUnsendableOptionValuesAreRefused(t *testing.T) {
	t.Parallel()
	for _, tt := range unsendableOptions {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := NewClient(WithAPIKey(testAPIKey), tt.opt)
			assert.Nil(t, c)
			var ipe *InvalidParamsError
			require.ErrorAs(t, err, &ipe)
			assert.Equal(t, tt.option, ipe.Field)
			assert.NotContains(t, err.Error(), "\x00")

			srv := newLoopback(t, script(answer(200, `{"data":{"id":"p1"}}`)))
			c, rec, dials := newLoopbackClient(t, srv.baseURL())
			_, err = c.Portouts.Get(t.Context(), "p1", tt.opt)
			require.ErrorAs(t, err, &ipe)
			assert.Equal(t, tt.option, ipe.Field)
			assert.Empty(t, srv.Seen(), "nothing is sent")
			assert.Zero(t, dials.Load(), "no connection is opened")
			assert.Empty(t, rec.Waits(), "nothing is retried")
		})
	}
	t.Run("valid edge values still work", func(t *testing.T) {
		t.Parallel()
		srv := newLoopback(t, script(answer(200, `{"data":{"id":"p1"}}`)))
		c, _, _ := newLoopbackClient(t, srv.baseURL(),
			WithHeader("X-Team", "tab\tinside, ünïcode"), WithUserAgent("app/1 (tab\tok)"))
		_, err := c.Portouts.Get(t.Context(), "p1")
		require.NoError(t, err)
	})
}

// Item 15, from the environment: a key or base URL read from TELNYX_API_KEY
// or TELNYX_BASE_URL is checked the same way, with the variable's name. Not
// parallel: it sets the environment.
func TestUnsendableEnvironmentValuesAreRefused(t *testing.T) {
	for _, tt := range []struct {
		name, key, base, field string
	}{
		{"DEL in TELNYX_API_KEY", "KEY\x7fabc", "", "TELNYX_API_KEY"},
		{"escape in TELNYX_API_KEY", "KEY\x1babc", "", "TELNYX_API_KEY"},
		{"port above 65535 in TELNYX_BASE_URL", "KEY_ok", "http://127.0.0.1:99999/v2/", "TELNYX_BASE_URL"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("TELNYX_API_KEY", tt.key)
			t.Setenv("TELNYX_BASE_URL", tt.base)
			c, err := NewClient()
			assert.Nil(t, c)
			var ipe *InvalidParamsError
			require.ErrorAs(t, err, &ipe)
			assert.Equal(t, tt.field, ipe.Field)
		})
	}
}
