package telnyx

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// secretKey is the API key of the tests in this file: distinctive, so that
// any copy of it in an error, a log line or a panic shows.
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
		{name: "transport error quoting the header", opts: []Option{WithHTTPClient(&http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
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
			noPanic(t, func() { err = call(context.Background(), c) })
			require.Error(t, err)
			assertNoSecret(t, err)
			assert.NotEmpty(t, logs.String(), "one record per attempt")
			assert.NotContains(t, logs.String(), secretKey, "the key in the logs")
			t.Logf("%s: %v", tt.name, err)
		})
	}
}

// roundTripFunc is an http.RoundTripper made of a function.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestSecretMaskedInAPIErrorFields(t *testing.T) {
	t.Parallel()
	srv := newLoopback(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		answer(401, errorBody("10009", "Authentication failed", "bad token "+echoAuth(r)), "X-Request-Id", "req-"+echoAuth(r))(w, r)
	})
	c, _, _ := newLoopbackClient(t, srv.baseURL(), WithAPIKey(secretKey))
	_, err := c.Portouts.Get(context.Background(), "p1")
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
			srv := newLoopback(t, script(answer(200, `{"data":{"id":"p1"}}`)))
			c, _, _ := newLoopbackClient(t, srv.baseURL(), WithAPIKey(secretKey))
			noPanic(t, func() { _, err = c.Portouts.Get(context.Background(), "p1", opt) })
			require.ErrorAs(t, err, &ipe)
			assertNoSecret(t, err)
			assert.Empty(t, srv.Seen())
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
	_, err = c.Portouts.Get(context.Background(), "p1")
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

func TestRedirectAuthorization(t *testing.T) {
	t.Parallel()
	ownClient := func(t *testing.T) Option {
		tr := &http.Transport{}
		t.Cleanup(tr.CloseIdleConnections)
		return WithHTTPClient(&http.Client{Transport: tr})
	}
	tests := []struct {
		name     string
		own      bool   // the caller's http.Client instead of the SDK's
		target   string // "port": same host name, other port; "host": other host name; "path": same server
		status   int
		method   string
		wantAuth bool // the second request carries Authorization
	}{
		{"SDK client, other host name", false, "host", 302, "GET", false},
		{"SDK client, same host name, other port", false, "port", 302, "GET", false},
		{"SDK client, 307 PATCH to other port", false, "port", 307, "PATCH", false},
		{"SDK client, same server", false, "path", 302, "GET", true},
		{"SDK client, 308 PATCH on same server", false, "path", 308, "PATCH", true},
		{"own client, other host name", true, "host", 302, "GET", false},
		{"own client, same server", true, "path", 302, "GET", true},
		// Go's own rule keeps Authorization when only the port changes;
		// the SDK sends through a copy of the caller's client that drops
		// it on any change of origin.
		{"own client, same host name, other port", true, "port", 302, "GET", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ok := `{"data":{"id":"p1","status":"authorized"}}`
			second := newLoopback(t, script(answer(200, ok)))
			var first *loopback
			first = newLoopback(t, func(w http.ResponseWriter, r *http.Request, n int) {
				if n > 1 {
					answer(200, ok)(w, r) // the redirected request, on the same server
					return
				}
				u, err := url.Parse(second.URL)
				if err != nil {
					panic(err)
				}
				switch tt.target {
				case "host":
					u.Host = "localhost:" + u.Port()
				case "path":
					u, _ = url.Parse(first.URL)
				}
				u.Path = "/v2/moved" + r.URL.Path
				http.Redirect(w, r, u.String(), tt.status)
			})
			var opts []Option
			if tt.own {
				opts = append(opts, ownClient(t))
			}
			c, err := NewClient(append([]Option{WithAPIKey(secretKey), WithBaseURL(first.baseURL()), WithMaxRetries(0)}, opts...)...)
			require.NoError(t, err)
			if tt.method == "PATCH" {
				_, err = c.Portouts.UpdateStatus(context.Background(), "p1", PortoutStatusAuthorized, PortoutUpdateStatusParams{})
			} else {
				_, err = c.Portouts.Get(context.Background(), "p1")
			}
			require.NoError(t, err)

			all := append(first.Seen(), second.Seen()...)
			require.Len(t, all, 2, "the request and its redirect")
			assert.Equal(t, "Bearer "+secretKey, all[0].Auth)
			assert.Equal(t, tt.method, all[1].Method)
			assert.Equal(t, "/v2/moved/v2/portouts/p1", strings.TrimSuffix(all[1].RawPath, "/authorized"))
			if tt.wantAuth {
				assert.Equal(t, "Bearer "+secretKey, all[1].Auth)
			} else {
				assert.Empty(t, all[1].Auth, "Authorization must not follow a redirect to %s", all[1].Host)
			}
		})
	}
}

func TestRedirectPolicy(t *testing.T) {
	t.Parallel()
	req := func(raw string) *http.Request {
		r, err := http.NewRequestWithContext(context.Background(), http.MethodGet, raw, nil)
		require.NoError(t, err)
		r.Header.Set("Authorization", "Bearer "+secretKey)
		return r
	}
	tests := []struct {
		from, to string
		keep     bool
	}{
		{"https://api.telnyx.com/v2/documents/d1/download", "https://api.telnyx.com/v2/files/d1", true},
		{"https://api.telnyx.com/v2/x", "https://API.telnyx.com:443/v2/y", true},
		{"https://api.telnyx.com/v2/x", "http://api.telnyx.com/v2/x", false}, // TLS downgrade
		{"https://api.telnyx.com/v2/x", "https://api.telnyx.com:8443/v2/x", false},
		{"https://api.telnyx.com/v2/x", "https://files.telnyx.com/x", false},
		{"https://api.telnyx.com/v2/x", "https://s3.amazonaws.com/bucket/x", false},
		{"https://api.telnyx.com/v2/x", "https://api.telnyx.com.evil.example/x", false},
	}
	for _, tt := range tests {
		next := req(tt.to)
		require.NoError(t, keyStaysHome(nil)(next, []*http.Request{req(tt.from)}))
		if tt.keep {
			assert.Equal(t, "Bearer "+secretKey, next.Header.Get("Authorization"), "%s -> %s", tt.from, tt.to)
		} else {
			assert.Empty(t, next.Header.Get("Authorization"), "%s -> %s", tt.from, tt.to)
		}
	}
	via := make([]*http.Request, 10)
	for i := range via {
		via[i] = req("https://api.telnyx.com/v2/x")
	}
	assert.Error(t, keyStaysHome(nil)(req("https://api.telnyx.com/v2/y"), via), "at most 10 redirects")
	assert.NotNil(t, defaultHTTPClient.CheckRedirect, "the SDK's client uses the policy")
}

// hostileIDs change a URL's meaning when pasted into a path unescaped.
var hostileIDs = []string{
	"a/b", "../documents", "../../", "./x", "..%2F..%2Fdocuments", "?filter[status]=ported", "a?b=1",
	"#frag", "a#b", "100%", "%", "%2F", "%2e%2e", "%252F", "a b", " padded ", "ünïcødé/ü", "日本",
	"\x00", "a\x00b", "\r\nX-Evil: 1", "\\..\\", "a;b", "@evil.example", "//evil.example/x",
	"http://evil.example/", "+", "a&b=c", "~user", strings.Repeat("é", 300),
}

// rejectedIDs are refused before any request.
var rejectedIDs = []string{"", " ", "\t\n", ".", ".."}

// idOp is a call that puts an ID in the path.
type idOp struct {
	name  string
	route string // the path the server sees, {id} for the ID
	call  func(ctx context.Context, c *Client, id string) error
}

func idOps() []idOp {
	return []idOp{
		{"Portouts.Get", "/v2/portouts/{id}", func(ctx context.Context, c *Client, id string) error {
			_, err := c.Portouts.Get(ctx, id)
			return err
		}},
		{"Portouts.UpdateStatus", "/v2/portouts/{id}/rejected-pending", func(ctx context.Context, c *Client, id string) error {
			_, err := c.Portouts.UpdateStatus(ctx, id, PortoutStatusRejectedPending, PortoutUpdateStatusParams{Reason: "x"})
			return err
		}},
		{"Portouts.ListRejectionCodes", "/v2/portouts/rejections/{id}", func(ctx context.Context, c *Client, id string) error {
			_, err := c.Portouts.ListRejectionCodes(ctx, id, nil)
			return err
		}},
		{"Comments.List", "/v2/portouts/{id}/comments", func(ctx context.Context, c *Client, id string) error {
			_, err := c.Portouts.Comments.List(ctx, id)
			return err
		}},
		{"Comments.Create", "/v2/portouts/{id}/comments", func(ctx context.Context, c *Client, id string) error {
			_, err := c.Portouts.Comments.Create(ctx, id, PortoutCommentCreateParams{Body: "x"})
			return err
		}},
		{"SupportingDocuments.List", "/v2/portouts/{id}/supporting_documents", func(ctx context.Context, c *Client, id string) error {
			_, err := c.Portouts.SupportingDocuments.List(ctx, id)
			return err
		}},
		{"SupportingDocuments.Create", "/v2/portouts/{id}/supporting_documents", func(ctx context.Context, c *Client, id string) error {
			_, err := c.Portouts.SupportingDocuments.Create(ctx, id, PortoutSupportingDocumentCreateParams{
				Documents: []SupportingDocumentParam{{DocumentID: "d1", Type: SupportingDocumentInvoice}},
			})
			return err
		}},
		{"Events.Get", "/v2/portouts/events/{id}", func(ctx context.Context, c *Client, id string) error {
			_, err := c.Portouts.Events.Get(ctx, id)
			return err
		}},
		{"Events.Republish", "/v2/portouts/events/{id}/republish", func(ctx context.Context, c *Client, id string) error {
			return c.Portouts.Events.Republish(ctx, id)
		}},
		{"Reports.Get", "/v2/portouts/reports/{id}", func(ctx context.Context, c *Client, id string) error {
			_, err := c.Portouts.Reports.Get(ctx, id)
			return err
		}},
		{"Documents.Download", "/v2/documents/{id}/download", func(ctx context.Context, c *Client, id string) error {
			_, err := c.Documents.Download(ctx, id, io.Discard)
			return err
		}},
	}
}

func TestHostileIDsStayInTheirSegment(t *testing.T) {
	t.Parallel()
	// Answers that every call decodes: an object that is also harmless
	// where a list is expected is not possible, so answer by route.
	handle := func(w http.ResponseWriter, r *http.Request, _ int) {
		switch {
		case r.Method == http.MethodGet && (strings.HasSuffix(r.URL.Path, "/comments") || strings.HasSuffix(r.URL.Path, "/supporting_documents") ||
			strings.Contains(r.URL.Path, "/rejections/")):
			answer(200, `{"data":[]}`)(w, r)
		case r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/supporting_documents"):
			answer(201, `{"data":[]}`)(w, r)
		case strings.HasSuffix(r.URL.Path, "/download"):
			answer(200, "csv", "Content-Type", "text/csv")(w, r)
		default:
			answer(200, `{"data":{"id":"x"}}`)(w, r)
		}
	}
	for _, id := range hostileIDs {
		t.Run(fmt.Sprintf("%q", id), func(t *testing.T) {
			t.Parallel()
			srv := newLoopback(t, handle)
			c, _, _ := newLoopbackClient(t, srv.baseURL(), WithMaxRetries(0))
			ops := idOps()
			for _, op := range ops {
				require.NoError(t, op.call(context.Background(), c, id), op.name)
			}
			seen := srv.Seen()
			require.Len(t, seen, len(ops), "one request per call")
			for i, op := range ops {
				got := seen[i]
				want := strings.Split(op.route, "/")
				segs := strings.Split(got.RawPath, "/")
				require.Len(t, segs, len(want), "%s: %s has the route's segment count", op.name, got.RawPath)
				for j, w := range want {
					if w == "{id}" {
						dec, err := url.PathUnescape(segs[j])
						require.NoError(t, err)
						assert.Equal(t, id, dec, "%s: the segment decodes back to the ID", op.name)
						continue
					}
					assert.Equal(t, w, segs[j], "%s: segment %d", op.name, j)
				}
				assert.Empty(t, got.Query, "%s: the ID never becomes a query", op.name)
			}
		})
	}
	for _, id := range rejectedIDs {
		t.Run(fmt.Sprintf("rejected %q", id), func(t *testing.T) {
			t.Parallel()
			srv := newLoopback(t, handle)
			c, _, _ := newLoopbackClient(t, srv.baseURL())
			for _, op := range idOps() {
				err := op.call(context.Background(), c, id)
				var ipe *InvalidParamsError
				require.ErrorAs(t, err, &ipe, op.name)
				assert.NotEmpty(t, ipe.Field)
			}
			assert.Empty(t, srv.Seen(), "nothing is sent")
		})
	}
}

// countingWriter counts what a handler managed to write.
type countingWriter struct {
	w http.ResponseWriter
	n atomic.Int64
}

// stream writes up to total bytes of filler (after prefix) in 64 KiB
// chunks, stopping at the first write error: the client hung up.
func (c *countingWriter) stream(prefix string, total int64) {
	n, err := io.WriteString(c.w, prefix)
	c.n.Add(int64(n))
	if err != nil {
		return
	}
	chunk := bytes.Repeat([]byte(" "), 64<<10)
	for c.n.Load() < total {
		n, err := c.w.Write(chunk)
		c.n.Add(int64(n))
		if err != nil {
			return
		}
	}
}

// TestHostileBodiesAreBounded is not parallel: it moves tens of megabytes,
// and running it before the parallel tests keeps its load from stretching
// their timing.
func TestHostileBodiesAreBounded(t *testing.T) {
	const huge = 50 << 20
	t.Run("50 MiB error body", func(t *testing.T) {
		var cw countingWriter
		srv := newLoopback(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
			cw.w = w
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusInternalServerError)
			cw.stream(`{"errors":[{"detail":"`, huge)
		})
		c, _, _ := newLoopbackClient(t, srv.baseURL(), WithMaxRetries(0))
		start := time.Now()
		_, err := c.Portouts.Get(context.Background(), "p1")
		elapsed := time.Since(start)
		hits := len(srv.Seen()) // waits for the handler to stop writing
		logFault(t, "500 streaming 50 MiB", hits, err, elapsed)
		var ae *APIError
		require.ErrorAs(t, err, &ae)
		assert.ErrorIs(t, err, ErrServer)
		assert.Len(t, ae.Body, maxErrorBody)
		assert.Less(t, cw.n.Load(), int64(huge/2), "the client stopped reading early")
		t.Logf("server wrote %.1f MiB of 50 before the client hung up", float64(cw.n.Load())/(1<<20))
	})
	t.Run("success body beyond the bound", func(t *testing.T) {
		var cw countingWriter
		srv := newLoopback(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
			cw.w = w
			w.Header().Set("Content-Type", "application/json")
			cw.stream(`{"data":[`, huge+maxResponseBody)
		})
		c, _, _ := newLoopbackClient(t, srv.baseURL())
		start := time.Now()
		_, err := c.Portouts.List(context.Background(), nil)
		elapsed := time.Since(start)
		hits := len(srv.Seen())
		logFault(t, "200 streaming past the response bound", hits, err, elapsed)
		var de *DecodeError
		require.ErrorAs(t, err, &de)
		assert.ErrorIs(t, err, errBodyTooLarge)
		assert.Equal(t, 1, hits, "not retried")
		assert.Less(t, cw.n.Load(), int64(maxResponseBody+huge/2), "the client stopped reading early")
		assert.Contains(t, err.Error(), "larger than 32 MiB")
	})
	t.Run("declared length beyond the bound", func(t *testing.T) {
		var cw countingWriter
		srv := newLoopback(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
			cw.w = w
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Content-Length", fmt.Sprint(maxResponseBody+1))
			cw.stream(`{"data":[`, maxResponseBody+1)
		})
		c, _, _ := newLoopbackClient(t, srv.baseURL())
		_, err := c.Portouts.List(context.Background(), nil)
		hits := len(srv.Seen())
		assert.ErrorIs(t, err, errBodyTooLarge)
		assert.Equal(t, 1, hits)
		assert.Less(t, cw.n.Load(), int64(maxResponseBody/2), "refused on the declared length, before reading")
	})
}

// tlsWeakening finds code that turns TLS checks off or accepts old versions.
var tlsWeakening = regexp.MustCompile(`InsecureSkipVerify|(?:MinVersion|MaxVersion)\s*[:=]\s*(?:tls\.)?Version(?:SSL30|TLS10|TLS11)\b|\b0x030[0-2]\b`)

func TestNoTLSWeakeningInTheSource(t *testing.T) {
	t.Parallel()
	// The matcher itself catches what it should.
	for _, s := range []string{"InsecureSkipVerify: true", "MinVersion: tls.VersionTLS10", "c.MaxVersion = tls.VersionSSL30", "MinVersion: 0x0301"} {
		assert.Regexp(t, tlsWeakening, s)
	}
	assert.NotRegexp(t, tlsWeakening, "MinVersion: tls.VersionTLS12")

	var scanned []string
	root := os.DirFS(".")
	err := fs.WalkDir(root, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != "." && (strings.HasPrefix(name, ".") || name == "testdata" || name == "vendor" || name == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		b, err := fs.ReadFile(root, path)
		if err != nil {
			return err
		}
		scanned = append(scanned, path)
		for i, line := range strings.Split(string(b), "\n") {
			if tlsWeakening.MatchString(line) {
				t.Errorf("%s:%d weakens TLS: %s", path, i+1, strings.TrimSpace(line))
			}
		}
		return nil
	})
	require.NoError(t, err)
	assert.Contains(t, scanned, "client.go")
	assert.Contains(t, scanned, "webhook/verifier.go")
	assert.Greater(t, len(scanned), 15)
	assert.True(t, strings.HasPrefix(DefaultBaseURL, "https://"), "the default API root is HTTPS")
}
