package telnyxtest_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptrace"
	"net/textproto"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	telnyx "github.com/a54710f5/telnyx-go"
	"github.com/a54710f5/telnyx-go/telnyxtest"
)

// TestFailNextRefusesBadStatus: a status outside 100 to 599 used to be
// queued and then panic inside WriteHeader when a request came, which
// dropped the connection and blamed the client. FailNext must refuse it at
// once, saying why, and the server must go on answering.
func TestFailNextRefusesBadStatus(t *testing.T) {
	t.Parallel()
	for _, status := range []int{-1, 0, 99, 600, 999, 1000} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			t.Parallel()
			srv := newServer(t)
			assert.PanicsWithValue(t,
				fmt.Sprintf("telnyxtest: FailNext: status %d is not an HTTP status from 100 to 599", status),
				func() { srv.FailNext(1, status, nil) })
			code, _, _ := raw(t, srv, http.MethodGet, "/portouts", "Bearer k", "", nil)
			assert.Equal(t, http.StatusOK, code, "nothing was queued")
			require.Len(t, srv.Requests(), 1)
		})
	}
}

func TestFailNextWithRetries(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		failures  int
		status    int
		header    http.Header
		retries   int
		wantErr   error
		wantTries int
		wantAfter time.Duration
		wantCode  string
	}{
		{name: "one 503 is retried", failures: 1, status: 503, retries: 2, wantTries: 2},
		{name: "429 with Retry-After is retried", failures: 2, status: 429, header: http.Header{"Retry-After": {"1"}}, retries: 2, wantTries: 3},
		{name: "more failures than retries", failures: 3, status: 503, retries: 2, wantErr: telnyx.ErrServer, wantTries: 3, wantCode: "10007"},
		{name: "Retry-After over the maximum stops", failures: 1, status: 429, header: http.Header{"Retry-After": {"120"}}, retries: 2,
			wantErr: telnyx.ErrRateLimited, wantTries: 1, wantAfter: 120 * time.Second, wantCode: "10011"},
		{name: "400 is not retried", failures: 1, status: 400, retries: 2, wantErr: telnyx.ErrBadRequest, wantTries: 1, wantCode: "10015"},
		{name: "retries disabled", failures: 1, status: 502, retries: 0, wantErr: telnyx.ErrServer, wantTries: 1, wantCode: "10007"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t)
			p := srv.AddPortout(telnyx.Portout{})
			srv.FailNext(tt.failures, tt.status, tt.header)
			start := time.Now()
			got, err := srv.Client(telnyx.WithMaxRetries(tt.retries)).Portouts.Get(t.Context(), p.ID)
			assert.Less(t, time.Since(start), 5*time.Second, "the fake's client never sleeps")
			assert.Len(t, srv.Requests(), tt.wantTries)
			if tt.wantErr == nil {
				require.NoError(t, err)
				assert.Equal(t, p.ID, got.ID)
				return
			}
			e := apiError(t, err)
			assert.True(t, errors.Is(err, tt.wantErr), "%v", err)
			assert.Equal(t, tt.wantTries, e.Attempts)
			assert.Equal(t, tt.wantAfter, e.RetryAfter)
			require.Len(t, e.Errors, 1)
			assert.Equal(t, tt.wantCode, e.Errors[0].Code)
		})
	}
}

func TestFailNextErrorCodes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		status   int
		wantCode string
		wantErr  error
	}{
		{401, "10009", telnyx.ErrUnauthorized},
		{403, "10010", telnyx.ErrForbidden},
		{404, "10005", telnyx.ErrNotFound},
		{409, "10015", telnyx.ErrConflict},
		{422, "10015", telnyx.ErrUnprocessable},
		{504, "10007", telnyx.ErrServer},
	}
	for _, tt := range tests {
		t.Run(http.StatusText(tt.status), func(t *testing.T) {
			t.Parallel()
			srv := newServer(t)
			srv.FailNext(1, tt.status, http.Header{"X-Custom": {"yes"}})
			var resp *http.Response
			_, err := srv.Client(telnyx.WithMaxRetries(0), telnyx.WithResponseInto(&resp)).Portouts.List(t.Context(), nil)
			e := apiError(t, err)
			assert.True(t, errors.Is(err, tt.wantErr), "%v", err)
			assert.Equal(t, tt.wantCode, e.Errors[0].Code)
			assert.NotEmpty(t, e.Errors[0].Title)
			require.NotNil(t, resp)
			assert.Equal(t, "yes", resp.Header.Get("X-Custom"), "FailNext's headers are sent")
		})
	}
}

func TestFailNextQueues(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	srv.FailNext(1, 503, nil)
	srv.FailNext(1, 429, http.Header{"Retry-After": {"0"}})
	srv.FailNext(0, 500, nil) // nothing
	client := srv.Client(telnyx.WithMaxRetries(0))
	ctx := t.Context()
	_, err := client.Portouts.List(ctx, nil)
	assert.True(t, errors.Is(err, telnyx.ErrServer))
	_, err = client.Portouts.List(ctx, nil)
	assert.True(t, errors.Is(err, telnyx.ErrRateLimited))
	_, err = client.Portouts.List(ctx, nil)
	assert.NoError(t, err)
}

func TestFailNextPostNotRetried(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	p := srv.AddPortout(telnyx.Portout{})
	srv.FailNext(1, 503, nil)
	client := srv.Client()
	_, err := client.Portouts.Comments.Create(t.Context(), p.ID, telnyx.PortoutCommentCreateParams{Body: "hi"})
	assert.True(t, errors.Is(err, telnyx.ErrServer))
	comments, err := client.Portouts.Comments.List(t.Context(), p.ID)
	require.NoError(t, err)
	assert.Empty(t, comments, "the failed POST changed nothing and was not resent")
	assert.Len(t, srv.Requests(), 2)
}

// TestInjectOnlyMatchingRequests fails the PATCH of a rejection with 429
// while the listing before it goes through, and checks that the failed
// PATCH is recorded but changed nothing.
func TestInjectOnlyMatchingRequests(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	p := srv.AddPortout(telnyx.Portout{})
	srv.Inject(telnyxtest.Fault{Method: http.MethodPatch, Path: "/portouts/*/rejected-pending", Status: http.StatusTooManyRequests})
	client := srv.Client(telnyx.WithMaxRetries(0))
	ctx := t.Context()

	page, err := client.Portouts.List(ctx, nil)
	require.NoError(t, err, "the listing does not match")
	require.Len(t, page.Data, 1)
	_, err = client.Portouts.Authorize(ctx, "no-such-id", telnyx.PortoutAuthorizeParams{})
	require.ErrorIs(t, err, telnyx.ErrNotFound, "another PATCH does not match")

	_, err = client.Portouts.Reject(ctx, p.ID, "not ours")
	require.ErrorIs(t, err, telnyx.ErrRateLimited)
	e := apiError(t, err)
	require.Len(t, e.Errors, 1)
	assert.Equal(t, "10011", e.Errors[0].Code)
	assert.Equal(t, "Injected by telnyxtest.", e.Errors[0].Detail)

	got, _ := srv.Portout(p.ID)
	assert.Equal(t, telnyx.PortoutStatusPending, got.Status, "the failed PATCH changed nothing")
	events, err := client.Portouts.Events.List(ctx, nil)
	require.NoError(t, err)
	assert.Empty(t, events.Data, "and recorded no event")

	reqs := srv.Requests()
	require.Len(t, reqs, 4)
	assert.Equal(t, http.MethodPatch, reqs[2].Method)
	assert.Equal(t, "/portouts/"+p.ID+"/rejected-pending", reqs[2].Path)
	assert.JSONEq(t, `{"reason":"not ours","host_messaging":false}`, string(reqs[2].Body), "the failed request is recorded whole")

	_, err = client.Portouts.Reject(ctx, p.ID, "not ours")
	require.NoError(t, err, "the fault was used up")
}

func TestInjectTimes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		times, wantFailures int
	}{
		{times: 0, wantFailures: 1},
		{times: 1, wantFailures: 1},
		{times: 3, wantFailures: 3},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.times), func(t *testing.T) {
			t.Parallel()
			srv := newServer(t)
			p := srv.AddPortout(telnyx.Portout{})
			srv.Inject(telnyxtest.Fault{Method: http.MethodGet, Path: "/portouts/*", Times: tt.times, Status: http.StatusServiceUnavailable})
			client := srv.Client(telnyx.WithMaxRetries(0))
			failures := 0
			for range 5 {
				_, err := client.Portouts.List(t.Context(), nil)
				require.NoError(t, err, "a request that does not match uses up nothing")
				if _, err := client.Portouts.Get(t.Context(), p.ID); err != nil {
					require.ErrorIs(t, err, telnyx.ErrServer)
					failures++
				}
			}
			assert.Equal(t, tt.wantFailures, failures)
		})
	}
}

func TestInjectOrder(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	srv.Inject(telnyxtest.Fault{Path: "/portouts/events", Status: http.StatusBadGateway})
	srv.FailNext(1, http.StatusConflict, nil)
	srv.Inject(telnyxtest.Fault{Status: http.StatusForbidden, Times: 2})
	client := srv.Client(telnyx.WithMaxRetries(0))
	ctx := t.Context()

	status := func(err error) int {
		if err == nil {
			return http.StatusOK
		}
		return apiError(t, err).StatusCode
	}
	list := func() int { _, err := client.Portouts.List(ctx, nil); return status(err) }
	events := func() int { _, err := client.Portouts.Events.List(ctx, nil); return status(err) }
	assert.Equal(t, http.StatusConflict, list(), "the listing skips the events fault and takes FailNext's")
	assert.Equal(t, http.StatusBadGateway, events(), "the first injected is checked first")
	assert.Equal(t, http.StatusForbidden, events())
	assert.Equal(t, http.StatusForbidden, list())
	assert.Equal(t, http.StatusOK, events())
	assert.Equal(t, http.StatusOK, list())
}

func TestInjectHeaderAndBody(t *testing.T) {
	t.Parallel()
	const custom = `{"errors":[{"code":"90001","title":"Port-out locked","detail":"Try later."}]}`
	tests := []struct {
		name            string
		fault           telnyxtest.Fault
		wantContentType string
		wantBody        string // "" checks the default Telnyx body
		wantCode        string
	}{
		{
			name:            "default body for the status",
			fault:           telnyxtest.Fault{Status: http.StatusTooManyRequests, Header: http.Header{"Retry-After": {"7"}, "X-Custom": {"a", "b"}}},
			wantContentType: "application/json",
			wantCode:        "10011",
		},
		{
			name:            "custom JSON body",
			fault:           telnyxtest.Fault{Status: http.StatusConflict, Body: []byte(custom), Header: http.Header{"X-Custom": {"a", "b"}}},
			wantContentType: "application/json",
			wantBody:        custom,
			wantCode:        "90001",
		},
		{
			name:            "HTML from a proxy",
			fault:           telnyxtest.Fault{Status: http.StatusBadGateway, Body: []byte("<html><body>Bad gateway</body></html>")},
			wantContentType: "text/html; charset=utf-8",
			wantBody:        "<html><body>Bad gateway</body></html>",
		},
		{
			name: "Content-Type from Header",
			fault: telnyxtest.Fault{Status: http.StatusServiceUnavailable, Body: []byte("down"),
				Header: http.Header{"Content-Type": {"text/x-custom"}}},
			wantContentType: "text/x-custom",
			wantBody:        "down",
		},
		{
			name:     "empty body",
			fault:    telnyxtest.Fault{Status: http.StatusInternalServerError, Body: []byte{}},
			wantBody: "",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t)
			srv.Inject(tt.fault)
			var resp *http.Response
			_, err := srv.Client(telnyx.WithMaxRetries(0), telnyx.WithResponseInto(&resp)).Portouts.List(t.Context(), nil)
			e := apiError(t, err)
			assert.Equal(t, tt.fault.Status, e.StatusCode)
			require.NotNil(t, resp)
			assert.Equal(t, tt.wantContentType, resp.Header.Get("Content-Type"))
			for k, v := range tt.fault.Header {
				assert.Equal(t, v, resp.Header.Values(k), k)
			}
			if tt.wantBody != "" || tt.fault.Body != nil {
				assert.Equal(t, tt.wantBody, string(e.Body))
			}
			if tt.wantCode != "" {
				require.Len(t, e.Errors, 1)
				assert.Equal(t, tt.wantCode, e.Errors[0].Code)
			} else {
				assert.Empty(t, e.Errors)
			}
		})
	}

	t.Run("Retry-After reaches the client", func(t *testing.T) {
		t.Parallel()
		srv := newServer(t)
		srv.Inject(telnyxtest.Fault{Status: http.StatusTooManyRequests, Header: http.Header{"Retry-After": {"120"}}})
		_, err := srv.Client().Portouts.List(t.Context(), nil)
		e := apiError(t, err)
		assert.Equal(t, 120*time.Second, e.RetryAfter)
		assert.Equal(t, 1, e.Attempts, "a wait over the client's maximum ends retrying")
	})

	t.Run("the fault keeps its own copies", func(t *testing.T) {
		t.Parallel()
		srv := newServer(t)
		h := http.Header{"X-Custom": {"before"}}
		body := []byte(`{"errors":[]}`)
		srv.Inject(telnyxtest.Fault{Status: http.StatusConflict, Header: h, Body: body})
		h.Set("X-Custom", "after")
		body[2] = 'X'
		status, header, got := raw(t, srv, http.MethodGet, "/portouts", "Bearer k", "", nil)
		assert.Equal(t, http.StatusConflict, status)
		assert.Equal(t, "before", header.Get("X-Custom"))
		assert.Equal(t, `{"errors":[]}`, string(got))
	})
}

// TestInjectPathPatterns matches a fault on an ID that needs escaping: "*"
// takes the whole escaped segment, a literal ID is written escaped, and the
// client's choice of escaping does not matter.
func TestInjectPathPatterns(t *testing.T) {
	t.Parallel()
	const id = "odd/id with space*"
	escaped := url.PathEscape(id) // odd%2Fid%20with%20space%2A
	tests := []struct {
		name, pattern, method string
		match                 bool
	}{
		{name: "star for the ID", pattern: "/portouts/*/comments", match: true},
		{name: "literal escaped ID", pattern: "/portouts/" + escaped + "/comments", match: true},
		{name: "without leading slash", pattern: "portouts/*/comments", match: true},
		{name: "method in lower case", pattern: "/portouts/*/comments", method: "get", match: true},
		{name: "character class", pattern: "/portouts/odd[%]*/comments", match: true},
		{name: "unescaped ID", pattern: "/portouts/" + id + "/comments"},
		{name: "slash of the ID is not a segment", pattern: "/portouts/odd/*/comments"},
		{name: "star is one segment", pattern: "/portouts/*"},
		{name: "other method", pattern: "/portouts/*/comments", method: http.MethodPost},
		{name: "root", pattern: "/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t)
			srv.AddPortout(telnyx.Portout{ID: id})
			srv.Inject(telnyxtest.Fault{Method: tt.method, Path: tt.pattern, Status: http.StatusTeapot})
			_, err := srv.Client(telnyx.WithMaxRetries(0)).Portouts.Comments.List(t.Context(), id)
			if !tt.match {
				require.NoError(t, err)
				return
			}
			assert.Equal(t, http.StatusTeapot, apiError(t, err).StatusCode)
		})
	}

	t.Run("escaped otherwise by the client", func(t *testing.T) {
		t.Parallel()
		srv := newServer(t)
		srv.AddPortout(telnyx.Portout{ID: id})
		srv.Inject(telnyxtest.Fault{Path: "/portouts/" + escaped + "/comments", Status: http.StatusTeapot, Times: 2})
		for _, p := range []string{
			"/portouts/odd%2fid%20with%20space*/comments",         // lower-case hex, * left as is
			"/portouts/%6F%64%64%2Fid%20with%20space%2A/comments", // letters escaped too
		} {
			status, _, _ := raw(t, srv, http.MethodGet, p, "Bearer k", "", nil)
			assert.Equal(t, http.StatusTeapot, status, p)
		}
		status, _, _ := raw(t, srv, http.MethodGet, "/portouts/"+escaped+"/comments", "Bearer k", "", nil)
		assert.Equal(t, http.StatusOK, status, "both uses were taken")
	})
}

func TestInjectRefusesBadFaults(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		fault telnyxtest.Fault
		want  string
	}{
		{name: "status 0", fault: telnyxtest.Fault{}, want: "telnyxtest: Inject: status 0 is not an HTTP status from 100 to 599"},
		{name: "status 99", fault: telnyxtest.Fault{Status: 99}, want: "telnyxtest: Inject: status 99 is not an HTTP status from 100 to 599"},
		{name: "status 600", fault: telnyxtest.Fault{Status: 600}, want: "telnyxtest: Inject: status 600 is not an HTTP status from 100 to 599"},
		{name: "status 1000", fault: telnyxtest.Fault{Status: 1000}, want: "telnyxtest: Inject: status 1000 is not an HTTP status from 100 to 599"},
		{name: "status 101", fault: telnyxtest.Fault{Status: 101}, want: "telnyxtest: Inject: status 101 would switch the connection away from HTTP"},
		{name: "negative Times", fault: telnyxtest.Fault{Status: 503, Times: -1}, want: "telnyxtest: Inject: Times -1 is negative"},
		{name: "bad pattern", fault: telnyxtest.Fault{Status: 503, Path: "/portouts/[a"},
			want: `telnyxtest: Inject: Path "/portouts/[a" is not a path.Match pattern: syntax error in pattern`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t)
			assert.PanicsWithValue(t, tt.want, func() { srv.Inject(tt.fault) })
			status, _, _ := raw(t, srv, http.MethodGet, "/portouts", "Bearer k", "", nil)
			assert.Equal(t, http.StatusOK, status, "nothing was injected")
		})
	}

	t.Run("FailNext with no requests still checks the status", func(t *testing.T) {
		t.Parallel()
		srv := newServer(t)
		assert.Panics(t, func() { srv.FailNext(0, 0, nil) })
		assert.NotPanics(t, func() { srv.FailNext(-1, 503, nil) })
	})
}

// TestInjectInformational sends a 1xx before the real answer: Go's client
// passes it to httptrace and goes on reading the final response.
func TestInjectInformational(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	srv.AddPortout(telnyx.Portout{})
	srv.Inject(telnyxtest.Fault{Status: http.StatusEarlyHints, Header: http.Header{"Link": {"</style.css>; rel=preload"}}})

	var interim []int
	var link string
	trace := &httptrace.ClientTrace{Got1xxResponse: func(code int, h textproto.MIMEHeader) error {
		interim = append(interim, code)
		link = h.Get("Link")
		return nil
	}}
	req, err := http.NewRequestWithContext(httptrace.WithClientTrace(t.Context(), trace), http.MethodGet, srv.URL+"portouts", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer k")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	defer http.DefaultClient.CloseIdleConnections()

	assert.Equal(t, []int{http.StatusEarlyHints}, interim)
	assert.Equal(t, "</style.css>; rel=preload", link)
	assert.Equal(t, http.StatusOK, resp.StatusCode, "the request is then served")
	assert.Empty(t, resp.Header.Get("Link"), "the fault's header went with the interim response only")
	var page struct{ Data []json.RawMessage }
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&page))
	assert.Len(t, page.Data, 1)
}

// TestInjectConcurrent fails exactly Times of many concurrent requests.
func TestInjectConcurrent(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	srv.Inject(telnyxtest.Fault{Method: http.MethodGet, Path: "/portouts", Times: 10, Status: http.StatusServiceUnavailable})
	client := srv.Client(telnyx.WithMaxRetries(0))
	var wg sync.WaitGroup
	var failed atomic.Int32
	for range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := client.Portouts.List(t.Context(), nil); errors.Is(err, telnyx.ErrServer) {
				failed.Add(1)
			}
		}()
	}
	wg.Wait()
	assert.Equal(t, int32(10), failed.Load())
	assert.Len(t, srv.Requests(), 40)
}

// TestInjectOnUpload fails a streamed upload: the fake still reads the body,
// so that Requests shows what the client sent.
func TestInjectOnUpload(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	srv.Inject(telnyxtest.Fault{Method: http.MethodPost, Path: "/documents", Status: http.StatusServiceUnavailable})
	client := srv.Client()
	params := func() telnyx.DocumentUploadParams {
		return telnyx.DocumentUploadParams{Filename: "loa.pdf", File: strings.NewReader("%PDF-1.7 letter of authorization")}
	}
	_, err := client.Documents.Upload(t.Context(), params())
	require.ErrorIs(t, err, telnyx.ErrServer)
	reqs := srv.Requests()
	require.Len(t, reqs, 1, "a POST that reached the server is not retried")
	assert.Contains(t, string(reqs[0].Body), "%PDF-1.7 letter of authorization")

	doc, err := client.Documents.Upload(t.Context(), params())
	require.NoError(t, err)
	_, content, ok := srv.Document(doc.ID)
	require.True(t, ok)
	assert.Equal(t, "%PDF-1.7 letter of authorization", string(content), "the upload after the fault is stored")
}
