package telnyx

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The API key never shows in an error, a log record, a panic or a printed
// Client, whatever a server, a transport or a bad option does with it.
// redact_test.go covers keys cut short or JSON-escaped.

// secretKey is the API key of the masking and redirect tests: distinctive,
// so that any copy of it in an error, a log line or a panic shows.
const secretKey = "KEY_SECRET_abc123"

// printedForms returns the ways an error commonly ends up in a log.
func printedForms(err error) map[string]string {
	return map[string]string{
		"Error()": err.Error(),
		"%v":      fmt.Sprintf("%v", err),
		"%+v":     fmt.Sprintf("%+v", err),
		"%#v":     fmt.Sprintf("%#v", err),
		"%s":      fmt.Sprintf("%s", err),
		"%q":      fmt.Sprintf("%q", err),
	}
}

// debugLogger logs at Debug level as text and as JSON into buf.
func debugLogger(buf *syncBuffer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: slog.LevelDebug}
	return slog.New(teeHandler{slog.NewTextHandler(buf, opts), slog.NewJSONHandler(buf, opts)})
}

// teeHandler hands every record to each of its handlers.
type teeHandler []slog.Handler

func (h teeHandler) Enabled(ctx context.Context, l slog.Level) bool {
	for _, x := range h {
		if x.Enabled(ctx, l) {
			return true
		}
	}
	return false
}

func (h teeHandler) Handle(ctx context.Context, r slog.Record) error {
	for _, x := range h {
		if err := x.Handle(ctx, r.Clone()); err != nil {
			return err
		}
	}
	return nil
}

func (h teeHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	out := make(teeHandler, len(h))
	for i, x := range h {
		out[i] = x.WithAttrs(attrs)
	}
	return out
}

func (h teeHandler) WithGroup(name string) slog.Handler {
	out := make(teeHandler, len(h))
	for i, x := range h {
		out[i] = x.WithGroup(name)
	}
	return out
}

// assertNoSecret fails when the key shows in any printed form of err.
func assertNoSecret(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	for form, s := range printedForms(err) {
		assert.NotContains(t, s, secretKey, "the key in %s of the error", form)
	}
}

// noPanic runs fn and fails the test if it panics, after checking that the
// panic value does not print the key.
func noPanic(t *testing.T, fn func()) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			assert.NotContains(t, fmt.Sprint(r), secretKey, "the key in a panic")
			t.Errorf("panic: %v", r)
		}
	}()
	fn()
}

// mockTransport is an httpmock transport answering every request with
// respond.
func mockTransport(respond httpmock.Responder) *httpmock.MockTransport {
	mock := httpmock.NewMockTransport()
	mock.RegisterNoResponder(respond)
	return mock
}

// echoAuth returns the request's Authorization header, which a hostile or
// careless server may copy into its answer.
func echoAuth(r *http.Request) string { return r.Header.Get("Authorization") }

func TestSecretNeverInErrorsLogsOrPanics(t *testing.T) {
	t.Parallel()
	get := func(ctx context.Context, c *Client) error {
		_, err := c.Portouts.Get(ctx, "p1")
		return err
	}
	tests := []struct {
		name   string
		handle func(s *loopback, w http.ResponseWriter, r *http.Request)
		base   func(t *testing.T) string // overrides the server's base URL
		opts   []Option
		call   func(ctx context.Context, c *Client) error
	}{
		{name: "401 detail echoes the header", handle: func(_ *loopback, w http.ResponseWriter, r *http.Request) {
			answer(401, errorBody("10009", "Authentication failed", "could not authenticate "+echoAuth(r)))(w, r)
		}},
		{name: "403 every error field echoes the header", handle: func(_ *loopback, w http.ResponseWriter, r *http.Request) {
			a := echoAuth(r)
			answer(403, `{"errors":[{"code":"`+a+`","title":"`+a+`","detail":"`+a+`","source":{"pointer":"`+a+`","parameter":"`+a+`"},"meta":{"token":"`+a+`","nested":{"list":["`+a+`"]}}},{"code":"`+a+`"}]}`)(w, r)
		}},
		{name: "500 text dump of the request headers", handle: func(_ *loopback, w http.ResponseWriter, r *http.Request) {
			answer(500, fmt.Sprintf("headers: %v", r.Header), "Content-Type", "text/plain")(w, r)
		}},
		{name: "400 request ID echoes the header", handle: func(_ *loopback, w http.ResponseWriter, r *http.Request) {
			answer(400, errorBody("10015", "Bad Request", ""), "X-Request-Id", echoAuth(r))(w, r)
		}},
		{name: "503 retried, echoing each time", handle: func(_ *loopback, w http.ResponseWriter, r *http.Request) {
			answer(503, errorBody("", "Unavailable", echoAuth(r)), "Request-Id", echoAuth(r))(w, r)
		}},
		{name: "429 for an hour, echoing", handle: func(_ *loopback, w http.ResponseWriter, r *http.Request) {
			answer(429, errorBody("10011", echoAuth(r), ""), "Retry-After", "3600")(w, r)
		}},
		{name: "200 timestamp echoes the header", handle: func(_ *loopback, w http.ResponseWriter, r *http.Request) {
			answer(200, `{"data":{"id":"p1","created_at":"`+echoAuth(r)+`"}}`)(w, r)
		}},
		{name: "200 wrong type echoes the header", handle: func(_ *loopback, w http.ResponseWriter, r *http.Request) {
			answer(200, `{"data":{"id":"p1","rejection_code":"`+echoAuth(r)+`"}}`)(w, r)
		}},
		{name: "200 malformed around the header", handle: func(_ *loopback, w http.ResponseWriter, r *http.Request) {
			answer(200, `{"data":{"id":`+echoAuth(r)+`}}`)(w, r)
		}},
		{name: "connection reset", handle: func(_ *loopback, w http.ResponseWriter, r *http.Request) { resetAfterRead(w, r) }},
		{name: "cut off mid-body", handle: func(_ *loopback, w http.ResponseWriter, r *http.Request) { cutOff(w, r) }},
		{name: "never answers", handle: func(s *loopback, w http.ResponseWriter, r *http.Request) { s.hang(w, r) },
			opts: []Option{WithRequestTimeout(faultTimeout)}},
		{name: "connection refused", base: func(t *testing.T) string { return "http://" + closedPort(t) + "/v2/" }},
		{name: "TLS server not trusted", base: func(t *testing.T) string {
			srv := httptest.NewTLSServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
			t.Cleanup(srv.Close)
			return srv.URL + "/v2/"
		}},
		{name: "transport error quoting the header", opts: []Option{WithHTTPClient(&http.Client{Transport: mockTransport(func(r *http.Request) (*http.Response, error) {
			return nil, fmt.Errorf("proxy refused request with %s", echoAuth(r))
		})})}},
		{name: "POST comment 422 echoes", handle: func(_ *loopback, w http.ResponseWriter, r *http.Request) {
			answer(422, `{"errors":[{"code":"10015","detail":"body rejected for `+echoAuth(r)+`","source":{"pointer":"/body"}}]}`)(w, r)
		}, call: func(ctx context.Context, c *Client) error {
			_, err := c.Portouts.Comments.Create(ctx, "p1", PortoutCommentCreateParams{Body: "hello"})
			return err
		}},
		{name: "download 401 echoes", handle: func(_ *loopback, w http.ResponseWriter, r *http.Request) {
			answer(401, "token "+echoAuth(r)+" refused", "Content-Type", "text/plain")(w, r)
		}, call: func(ctx context.Context, c *Client) error {
			_, err := c.Documents.Download(ctx, "d1", io.Discard)
			return err
		}},
		{name: "list page echoes in meta type error", handle: func(_ *loopback, w http.ResponseWriter, r *http.Request) {
			answer(200, `{"data":[],"meta":{"page_number":"`+echoAuth(r)+`"}}`)(w, r)
		}, call: func(ctx context.Context, c *Client) error {
			for _, err := range c.Portouts.ListAutoPaging(ctx, nil) {
				return err
			}
			return nil
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			base := "http://127.0.0.1:1/v2/" // unused: the transport answers
			switch {
			case tt.base != nil:
				base = tt.base(t)
			case tt.handle != nil:
				var srv *loopback
				srv = newLoopback(t, func(w http.ResponseWriter, r *http.Request, _ int) { tt.handle(srv, w, r) })
				base = srv.baseURL()
			}
			var logs syncBuffer
			opts := append([]Option{WithAPIKey(secretKey), WithLogger(debugLogger(&logs))}, tt.opts...)
			c, _, _ := newLoopbackClient(t, base, opts...)
			call := tt.call
			if call == nil {
				call = get
			}
			var err error
			noPanic(t, func() { err = call(t.Context(), c) })
			require.Error(t, err)
			assertNoSecret(t, err)
			assert.NotEmpty(t, logs.String(), "one record per attempt")
			assert.NotContains(t, logs.String(), secretKey, "the key in the logs")
			t.Logf("%s: %v", tt.name, err)
		})
	}
}

func TestSecretMaskedInAPIErrorFields(t *testing.T) {
	t.Parallel()
	c, mock := newTestClient(t, WithAPIKey(secretKey))
	mock.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
		resp := httpmock.NewStringResponse(401, errorBody("10009", "Authentication failed", "bad token "+echoAuth(r)))
		resp.Header.Set("X-Request-Id", "req-"+echoAuth(r))
		return resp, nil
	})
	_, err := c.Portouts.Get(t.Context(), "p1")
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	assert.ErrorIs(t, err, ErrUnauthorized)
	// What the server sent is kept, with the key masked.
	assert.NotContains(t, string(ae.Body), secretKey)
	assert.Contains(t, string(ae.Body), "bad token Bearer [redacted]")
	require.Len(t, ae.Errors, 1)
	assert.Equal(t, "bad token Bearer [redacted]", ae.Errors[0].Detail)
	assert.Equal(t, "10009", ae.Errors[0].Code)
	assert.Equal(t, "req-Bearer [redacted]", ae.RequestID)
	assert.Equal(t, "telnyx: GET /portouts/{id}: 401 Unauthorized: 10009 Authentication failed: bad token Bearer [redacted] [request req-Bearer [redacted]]", err.Error())
}

func TestSecretNeverInInvalidOptionErrors(t *testing.T) {
	t.Parallel()
	bad := map[string]Option{
		"key with line break":          WithAPIKey(secretKey + "\nmore"),
		"key with header injection":    WithAPIKey(secretKey + "\r\nX-Evil: 1"),
		"Authorization as a header":    WithHeader("Authorization", "Bearer "+secretKey),
		"authorization in lower case":  WithHeader(" authorization ", secretKey),
		"header value with line break": WithHeader("X-Token", secretKey+"\n"),
		"base URL with credentials":    WithBaseURL("https://user:" + secretKey + "@api.telnyx.com/v2/"),
	}
	for name, opt := range bad {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var err error
			noPanic(t, func() { _, err = NewClient(WithAPIKey(secretKey), opt) })
			var ipe *InvalidParamsError
			require.ErrorAs(t, err, &ipe)
			assertNoSecret(t, err)

			// The same option on one call fails that call alone, before
			// anything is sent.
			c, mock := newTestClient(t, WithAPIKey(secretKey))
			mock.RegisterNoResponder(jsonResponder(200, `{"data":{"id":"p1"}}`))
			noPanic(t, func() { _, err = c.Portouts.Get(t.Context(), "p1", opt) })
			require.ErrorAs(t, err, &ipe)
			assertNoSecret(t, err)
			assert.Zero(t, mock.GetTotalCallCount())
		})
	}
}

// TestSecretFromEnvNeverInErrors cannot run in parallel: it sets the
// environment.
func TestSecretFromEnvNeverInErrors(t *testing.T) {
	t.Setenv("TELNYX_API_KEY", secretKey+"\nX: y")
	t.Setenv("TELNYX_BASE_URL", "")
	_, err := NewClient()
	var ipe *InvalidParamsError
	require.ErrorAs(t, err, &ipe)
	assert.Equal(t, "TELNYX_API_KEY", ipe.Field)
	assertNoSecret(t, err)

	t.Setenv("TELNYX_API_KEY", secretKey)
	t.Setenv("TELNYX_BASE_URL", "http://"+closedPort(t)+"/v2/")
	c, err := NewClient(WithMaxRetries(0))
	require.NoError(t, err)
	_, err = c.Portouts.Get(t.Context(), "p1")
	require.Error(t, err)
	assertNoSecret(t, err)
}

func TestSecretNotPrintedWithTheClient(t *testing.T) {
	t.Parallel()
	c, err := NewClient(WithAPIKey(secretKey), WithBaseURL("https://api.test/v2/"))
	require.NoError(t, err)
	// Printing the client, a service or an option, as a debug line or a
	// test failure might, does not show the key.
	for _, v := range []any{c, *c, c.Portouts, c.Documents, c.Portouts.Comments} {
		for _, format := range []string{"%v", "%+v", "%#v"} {
			assert.NotContains(t, fmt.Sprintf(format, v), secretKey, format)
		}
	}
	var logs syncBuffer
	debugLogger(&logs).Debug("client", "client", c, "value", *c)
	assert.NotContains(t, logs.String(), secretKey)
}

func TestKeyNeverInErrors(t *testing.T) {
	t.Parallel()
	echoKey := func(_ *http.Request) (*http.Response, error) {
		// A hostile or buggy server echoing the header back: the SDK keeps
		// the body (callers asked for it) but never prints it.
		return httpmock.NewStringResponse(401, `{"errors":[{"code":"10009","title":"Authentication failed"}]}`), nil
	}
	responders := map[string]httpmock.Responder{
		"401":        echoKey,
		"503":        statusWith(503, nil),
		"reset":      httpmock.NewErrorResponder(readReset),
		"undecoded":  jsonResponder(200, `{"data":{"created_at":"bad"}}`),
		"timed out":  blockUntilDone,
		"plain":      httpmock.NewErrorResponder(errors.New("proxy said no")),
		"cut off":    cutResponder,
		"HTML 502":   httpmock.NewStringResponder(502, "<html>bad gateway</html>"),
		"retry hour": statusWith(429, http.Header{"Retry-After": {"3600"}}),
	}
	for name, resp := range responders {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var buf syncBuffer
			logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
			c, mock := newTestClient(t, WithRequestTimeout(2*time.Millisecond), WithLogger(logger))
			mock.RegisterNoResponder(resp)
			_, err := c.Portouts.Get(t.Context(), "p1")
			require.Error(t, err)
			for _, s := range []string{err.Error(), fmt.Sprintf("%v", err), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err), buf.String()} {
				assert.NotContains(t, s, testAPIKey)
			}
			assert.True(t, strings.HasPrefix(err.Error(), "telnyx: "), err.Error())
			assert.NotContains(t, err.Error(), "\n")
		})
	}
}
