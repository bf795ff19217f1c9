package telnyx

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"os"
	"regexp"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/a54710f5/telnyx-go/internal/requestconfig"
	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const portoutJSON = `{"data":{"id":"p1","status":"pending"}}`

func TestRequestHeaders(t *testing.T) {
	t.Parallel()
	c, mock := newTestClient(t, WithHeader("X-Team", "billing"))
	var log requestLog
	mock.RegisterNoResponder(log.capture(jsonResponder(200, portoutJSON)))

	_, err := c.Portouts.Get(context.Background(), "p1")
	require.NoError(t, err)
	_, err = c.Portouts.UpdateStatus(context.Background(), "p1", PortoutStatusAuthorized, PortoutUpdateStatusParams{})
	require.NoError(t, err)

	reqs := log.All()
	require.Len(t, reqs, 2)
	for _, r := range reqs {
		assert.Equal(t, "Bearer "+testAPIKey, r.Header.Get("Authorization"), r.Method)
		assert.Equal(t, "application/json", r.Header.Get("Accept"), r.Method)
		assert.Equal(t, "billing", r.Header.Get("X-Team"), r.Method)
		assert.Len(t, r.Header.Values("Authorization"), 1)
	}
	assert.Empty(t, reqs[0].Header.Values("Content-Type"), "no Content-Type without a body")
	assert.Empty(t, reqs[0].Body)
	assert.Equal(t, "application/json", reqs[1].Header.Get("Content-Type"))

	// A POST without a body has no Content-Type either.
	require.NoError(t, c.Portouts.Events.Republish(context.Background(), "e1"))
	last := log.Last(t)
	assert.Equal(t, "POST", last.Method)
	assert.Empty(t, last.Header.Values("Content-Type"))
	assert.Empty(t, last.Body)
}

func TestSetQuery(t *testing.T) {
	t.Parallel()
	raw, err := encodeQuery(&PortoutListParams{Filter: PortoutListFilter{
		InsertedAt: DateRange{Gte: time.Date(2024, 9, 1, 0, 0, 0, 0, time.UTC)},
		StatusIn:   []PortoutStatus{PortoutStatusPorted, PortoutStatusCanceled},
	}})
	require.NoError(t, err)
	got, err := url.ParseQuery(raw)
	require.NoError(t, err)
	assert.Equal(t, url.Values{
		"filter[inserted_at][gte]": {"2024-09-01T00:00:00Z"},
		"filter[status_in]":        {"ported,canceled"},
	}, got)

	raw, err = encodeQuery(nil)
	require.NoError(t, err)
	assert.Empty(t, raw)

	_, err = (&request{method: "GET", route: "portouts", query: 42}).prepare(&requestconfig.Config{BaseURL: "https://api.example.test/"})
	require.Error(t, err)
	assert.Regexp(t, `^telnyx: GET /portouts: encode query: `, err.Error())
}

func TestUserAgent(t *testing.T) {
	t.Parallel()
	pattern := `telnyx-go/` + regexp.QuoteMeta(Version) + ` \(` + regexp.QuoteMeta(runtime.Version()) +
		`; ` + runtime.GOOS + `/` + runtime.GOARCH + `\)`
	assert.Regexp(t, `^go`, runtime.Version())
	tests := []struct {
		name string
		opts []Option
		want string
	}{
		{"default", nil, `^` + pattern + `$`},
		{"product in front", []Option{WithUserAgent("billing-service/1.4")}, `^billing-service/1\.4 ` + pattern + `$`},
		{"product trimmed", []Option{WithUserAgent("  app/1  ")}, `^app/1 ` + pattern + `$`},
		{"last product wins", []Option{WithUserAgent("a/1"), WithUserAgent("b/2")}, `^b/2 ` + pattern + `$`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, mock := newTestClient(t, tt.opts...)
			var log requestLog
			mock.RegisterNoResponder(log.capture(jsonResponder(200, portoutJSON)))
			_, err := c.Portouts.Get(context.Background(), "p1")
			require.NoError(t, err)
			assert.Regexp(t, tt.want, log.Last(t).Header.Get("User-Agent"))
		})
	}
}

func TestQueryEncodingOfParamStructs(t *testing.T) {
	t.Parallel()
	gte := time.Date(2024, 9, 1, 0, 0, 0, 0, time.UTC)
	lte := time.Date(2024, 9, 30, 23, 59, 59, 0, time.FixedZone("", 2*3600))
	foc := time.Date(2024, 10, 2, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		call func(context.Context, *Client) error
		path string
		want url.Values
	}{
		{"portouts nil params", func(ctx context.Context, c *Client) error {
			_, err := c.Portouts.List(ctx, nil)
			return err
		}, "/v2/portouts", url.Values{}},
		{"portouts zero params", func(ctx context.Context, c *Client) error {
			_, err := c.Portouts.List(ctx, &PortoutListParams{})
			return err
		}, "/v2/portouts", url.Values{}},
		{"portouts every filter", func(ctx context.Context, c *Client) error {
			_, err := c.Portouts.List(ctx, &PortoutListParams{
				Page: PageParams{Size: 50},
				Filter: PortoutListFilter{
					CarrierName:   "Acme Tel & Co",
					CountryCode:   "US",
					CountryCodeIn: []string{"US", "CA"},
					FocDate:       foc,
					InsertedAt:    DateRange{Gte: gte, Lte: lte},
					PhoneNumber:   "+13035551212",
					PON:           "PON-1",
					PortedOutAt:   DateRange{Gte: gte},
					SPID:          "123A",
					Status:        PortoutStatusPending,
					StatusIn:      []PortoutStatus{PortoutStatusPending, PortoutStatusAuthorized},
					SupportKey:    "PO_abc",
				},
			})
			return err
		}, "/v2/portouts", url.Values{
			"page[size]":                 {"50"},
			"filter[carrier_name]":       {"Acme Tel & Co"},
			"filter[country_code]":       {"US"},
			"filter[country_code_in]":    {"US,CA"},
			"filter[foc_date]":           {"2024-10-02T00:00:00Z"},
			"filter[inserted_at][gte]":   {"2024-09-01T00:00:00Z"},
			"filter[inserted_at][lte]":   {"2024-09-30T23:59:59+02:00"},
			"filter[phone_number]":       {"+13035551212"},
			"filter[pon]":                {"PON-1"},
			"filter[ported_out_at][gte]": {"2024-09-01T00:00:00Z"},
			"filter[spid]":               {"123A"},
			"filter[status]":             {"pending"},
			"filter[status_in]":          {"pending,authorized"},
			"filter[support_key]":        {"PO_abc"},
		}},
		{"portouts page 3", func(ctx context.Context, c *Client) error {
			_, err := c.Portouts.List(ctx, &PortoutListParams{Page: PageParams{Number: 3, Size: 10}})
			return err
		}, "/v2/portouts", url.Values{"page[number]": {"3"}, "page[size]": {"10"}}},
		{"events", func(ctx context.Context, c *Client) error {
			_, err := c.Portouts.Events.List(ctx, &PortoutEventListParams{Filter: PortoutEventListFilter{
				CreatedAt: DateRange{Lte: gte},
				EventType: PortoutEventStatusChanged,
				PortoutID: "p1",
			}})
			return err
		}, "/v2/portouts/events", url.Values{
			"filter[created_at][lte]": {"2024-09-01T00:00:00Z"},
			"filter[event_type]":      {"portout.status_changed"},
			"filter[portout_id]":      {"p1"},
		}},
		{"reports", func(ctx context.Context, c *Client) error {
			_, err := c.Portouts.Reports.List(ctx, &PortoutReportListParams{Filter: PortoutReportListFilter{
				ReportType: "export_portouts_csv", Status: "completed",
			}})
			return err
		}, "/v2/portouts/reports", url.Values{
			"filter[report_type]": {"export_portouts_csv"},
			"filter[status]":      {"completed"},
		}},
		{"one rejection code", func(ctx context.Context, c *Client) error {
			_, err := c.Portouts.ListRejectionCodes(ctx, "p1", &PortoutRejectionCodeListParams{Code: []int{1002}})
			return err
		}, "/v2/portouts/rejections/p1", url.Values{"filter[code]": {"1002"}}},
		{"several rejection codes", func(ctx context.Context, c *Client) error {
			_, err := c.Portouts.ListRejectionCodes(ctx, "p1", &PortoutRejectionCodeListParams{Code: []int{1002, 1003}})
			return err
		}, "/v2/portouts/rejections/p1", url.Values{"filter[code][in]": {"1002,1003"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, mock := newTestClient(t)
			var log requestLog
			mock.RegisterNoResponder(log.capture(jsonResponder(200, `{"data":[]}`)))
			require.NoError(t, tt.call(context.Background(), c))
			u, err := url.Parse(log.Last(t).URL)
			require.NoError(t, err)
			assert.Equal(t, tt.path, u.Path)
			got, err := url.ParseQuery(u.RawQuery)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestParamsAreNotMutated(t *testing.T) {
	t.Parallel()
	c, mock := newTestClient(t)
	mock.RegisterNoResponder(jsonResponder(200, `{"data":[{"id":"a"}],"meta":{"page_number":1,"total_pages":2}}`))
	params := &PortoutListParams{Page: PageParams{Number: 1, Size: 1}, Filter: PortoutListFilter{StatusIn: []PortoutStatus{"pending"}}}
	before := *params
	p, err := c.Portouts.List(context.Background(), params)
	require.NoError(t, err)
	_, err = p.NextPage(context.Background())
	require.NoError(t, err)
	assert.Equal(t, before, *params)
}

func TestPathEscaping(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, id, wantPath string
	}{
		{"plain", "4f2a-99", "/v2/portouts/4f2a-99"},
		{"slash", "a/b", "/v2/portouts/a%2Fb"},
		{"dot dot slash", "../documents", "/v2/portouts/..%2Fdocuments"},
		{"dots inside", "a..b", "/v2/portouts/a..b"},
		{"triple dot", "...", "/v2/portouts/..."},
		{"question mark", "a?b=1", "/v2/portouts/a%3Fb=1"},
		{"hash", "a#b", "/v2/portouts/a%23b"},
		{"percent", "100%", "/v2/portouts/100%25"},
		{"escaped looking", "a%2Fb", "/v2/portouts/a%252Fb"},
		{"space", "a b", "/v2/portouts/a%20b"},
		{"unicode", "portóut-ü", "/v2/portouts/port%C3%B3ut-%C3%BC"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, mock := newTestClient(t)
			var log requestLog
			var gotPath, gotQuery, gotFragment string
			mock.RegisterNoResponder(log.capture(func(req *http.Request) (*http.Response, error) {
				gotPath, gotQuery, gotFragment = req.URL.EscapedPath(), req.URL.RawQuery, req.URL.Fragment
				return jsonResponder(200, portoutJSON)(req)
			}))
			_, err := c.Portouts.Get(context.Background(), tt.id)
			require.NoError(t, err)
			assert.Equal(t, tt.wantPath, gotPath)
			assert.Empty(t, gotQuery, "the ID never becomes a query")
			assert.Empty(t, gotFragment)

			// The escaped segment decodes back to the ID.
			u, err := url.Parse(log.Last(t).URL)
			require.NoError(t, err)
			assert.Equal(t, "/v2/portouts/"+tt.id, u.Path)
		})
	}
}

func TestPathIDsRejected(t *testing.T) {
	t.Parallel()
	for _, id := range []string{"", " ", "\t", ".", ".."} {
		t.Run(fmt.Sprintf("%q", id), func(t *testing.T) {
			t.Parallel()
			c, mock := newTestClient(t)
			mock.RegisterNoResponder(jsonResponder(200, portoutJSON))
			ctx := context.Background()

			_, err := c.Portouts.Get(ctx, id)
			var ipe *InvalidParamsError
			require.ErrorAs(t, err, &ipe)
			assert.Equal(t, "id", ipe.Field)

			_, err = c.Portouts.ListRejectionCodes(ctx, id, nil)
			require.ErrorAs(t, err, &ipe)
			assert.Equal(t, "portout_id", ipe.Field)

			_, err = c.Portouts.Comments.Create(ctx, id, PortoutCommentCreateParams{Body: "hi"})
			require.ErrorAs(t, err, &ipe)

			assert.Zero(t, mock.GetTotalCallCount(), "nothing is sent")
		})
	}
}

func TestNewRequestRoutes(t *testing.T) {
	t.Parallel()
	cfg := &requestconfig.Config{BaseURL: "https://api.example.test/v2/"}
	r := request{method: "GET", route: "portouts/{id}/supporting_documents", ids: []string{"a/b"}}
	p, err := r.prepare(cfg)
	require.NoError(t, err)
	assert.Equal(t, "/portouts/{id}/supporting_documents", p.route)
	assert.Equal(t, "https://api.example.test/v2/portouts/a%2Fb/supporting_documents", p.url)

	p, err = (&request{method: "POST", route: "documents"}).prepare(cfg)
	require.NoError(t, err)
	assert.Equal(t, "/documents", p.route)
	assert.Equal(t, "https://api.example.test/v2/documents", p.url)

	assert.Panics(t, func() { _, _ = fillRoute("portouts", []string{"x"}) }, "a programming error")
}

func TestJSONBodySameBytesOnEveryAttempt(t *testing.T) {
	t.Parallel()
	c, mock := newTestClient(t)
	var log requestLog
	mock.RegisterNoResponder(log.capture(sequence(
		jsonResponder(503, ""), jsonResponder(502, ""), jsonResponder(200, portoutJSON))))

	_, err := c.Portouts.UpdateStatus(context.Background(), "p1", PortoutStatusRejectedPending,
		PortoutUpdateStatusParams{Reason: "Customer asked – ünïcode", HostMessaging: true})
	require.NoError(t, err)

	reqs := log.All()
	require.Len(t, reqs, 3)
	assert.JSONEq(t, `{"reason":"Customer asked – ünïcode","host_messaging":true}`, string(reqs[0].Body))
	for i, r := range reqs {
		assert.Equal(t, "PATCH", r.Method)
		assert.Equal(t, testURL("portouts/p1/rejected-pending"), r.URL)
		assert.Equal(t, reqs[0].Body, r.Body, "attempt %d", i+1)
	}
}

// tracedReset is a transport failure after the request headers went out:
// it reports the write through the request's httptrace, as net/http would.
func tracedReset(req *http.Request) (*http.Response, error) {
	if tr := httptrace.ContextClientTrace(req.Context()); tr != nil && tr.WroteHeaders != nil {
		tr.WroteHeaders()
	}
	return nil, &net.OpError{Op: "read", Net: "tcp", Err: &os.SyscallError{Syscall: "read", Err: syscall.ECONNRESET}}
}

var (
	dialRefused = &net.OpError{Op: "dial", Net: "tcp", Err: &os.SyscallError{Syscall: "connect", Err: syscall.ECONNREFUSED}}
	readReset   = &net.OpError{Op: "read", Net: "tcp", Err: &os.SyscallError{Syscall: "read", Err: syscall.ECONNRESET}}
)

func statusWith(status int, h http.Header) httpmock.Responder {
	return jsonResponder(status, `{"errors":[{"code":"10000","title":"x"}]}`).HeaderAdd(h)
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
				ctx := context.Background()
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
	err := c.Portouts.Events.Republish(context.Background(), "e1")
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
			_, err := c.Portouts.Get(context.Background(), "p1")
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
			_, err := c.Portouts.Get(context.Background(), "p1")
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
			_, err := c.Portouts.Get(context.Background(), "p1")
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
	_, err := c.Portouts.Get(context.Background(), "p1")
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, time.Second, ae.RetryAfter)
	assert.Equal(t, 2, ae.Attempts)
	assert.Equal(t, []time.Duration{time.Second}, rec.Waits())
}

func TestCancelDuringBackoff(t *testing.T) {
	t.Parallel()
	t.Run("fake sleep", func(t *testing.T) {
		t.Parallel()
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		entered := make(chan struct{})
		blockingSleep := func(ctx context.Context, _ time.Duration) error {
			close(entered)
			<-ctx.Done()
			return ctx.Err()
		}
		c, mock := newTestClient(t, withSleep(blockingSleep))
		mock.RegisterNoResponder(statusWith(503, nil))
		go func() {
			<-entered
			cancel()
		}()
		_, err := c.Portouts.Get(ctx, "p1")
		require.Error(t, err)
		assert.ErrorIs(t, err, context.Canceled)
		var ce *ConnectionError
		require.ErrorAs(t, err, &ce)
		assert.Equal(t, 1, ce.Attempts)
		var ae *APIError
		assert.ErrorAs(t, err, &ae, "the last answer stays reachable")
		assert.Equal(t, 1, mock.GetTotalCallCount())
		assert.NotContains(t, err.Error(), "\n")
	})
	t.Run("real sleep with an hour of backoff", func(t *testing.T) {
		t.Parallel()
		ctx, cancel := context.WithCancel(context.Background())
		c, mock := newTestClient(t, withSleep(sleepContext), WithRetryBackoff(time.Hour, time.Hour))
		mock.RegisterNoResponder(func(req *http.Request) (*http.Response, error) {
			cancel() // the caller gives up while the client would wait
			return statusWith(503, nil)(req)
		})
		start := time.Now()
		_, err := c.Portouts.Get(ctx, "p1")
		assert.ErrorIs(t, err, context.Canceled)
		assert.Less(t, time.Since(start), 5*time.Second, "returns promptly")
		assert.Equal(t, 1, mock.GetTotalCallCount())
	})
}

func TestCancelledContextIsNotRetried(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	c, mock, rec := newTestClientSleeps(t)
	mock.RegisterNoResponder(func(req *http.Request) (*http.Response, error) {
		return nil, req.Context().Err()
	})
	_, err := c.Portouts.Get(ctx, "p1")
	var ce *ConnectionError
	require.ErrorAs(t, err, &ce)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Zero(t, mock.GetTotalCallCount(), "a dead context sends nothing, whatever the transport")
	assert.Zero(t, ce.Attempts)
	assert.Equal(t, "telnyx: GET /portouts/{id}: context canceled (after 0 attempts)", err.Error())
	assert.Empty(t, rec.Waits())
}

// A sleep that ignores the context must not lead to another attempt once
// the caller has given up.
func TestSleepIgnoringContextStillStops(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	deaf := func(context.Context, time.Duration) error { cancel(); return nil }
	c, mock := newTestClient(t, withSleep(deaf))
	mock.RegisterNoResponder(statusWith(503, nil))
	_, err := c.Portouts.Get(ctx, "p1")
	assert.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, 1, mock.GetTotalCallCount())
}

func TestCallerDeadline(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Millisecond)
	defer cancel()
	c, mock, rec := newTestClientSleeps(t)
	mock.RegisterNoResponder(blockUntilDone)
	_, err := c.Portouts.Get(ctx, "p1")
	var ce *ConnectionError
	require.ErrorAs(t, err, &ce)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Equal(t, 1, ce.Attempts, "the caller's deadline is never retried")
	assert.Equal(t, 1, mock.GetTotalCallCount())
	assert.Empty(t, rec.Waits())
	assert.NotContains(t, err.Error(), testBaseURL, "no full URL in the message")
}

func TestPerAttemptTimeoutIsRetried(t *testing.T) {
	t.Parallel()
	t.Run("then succeeds", func(t *testing.T) {
		t.Parallel()
		c, mock, rec := newTestClientSleeps(t, WithRequestTimeout(5*time.Millisecond))
		mock.RegisterNoResponder(sequence(blockUntilDone, jsonResponder(200, portoutJSON)))
		p, err := c.Portouts.Get(context.Background(), "p1")
		require.NoError(t, err)
		assert.Equal(t, "p1", p.ID)
		assert.Equal(t, 2, mock.GetTotalCallCount())
		assert.Len(t, rec.Waits(), 1)
	})
	t.Run("always times out", func(t *testing.T) {
		t.Parallel()
		c, mock := newTestClient(t, WithRequestTimeout(2*time.Millisecond))
		mock.RegisterNoResponder(blockUntilDone)
		_, err := c.Portouts.Get(context.Background(), "p1")
		var ce *ConnectionError
		require.ErrorAs(t, err, &ce)
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Equal(t, 3, ce.Attempts)
		assert.Equal(t, 3, mock.GetTotalCallCount())
		assert.Equal(t, "GET", ce.Method)
		assert.Equal(t, "/portouts/{id}", ce.Path)
	})
	t.Run("POST timed out before writing", func(t *testing.T) {
		t.Parallel()
		c, mock := newTestClient(t, WithRequestTimeout(2*time.Millisecond))
		mock.RegisterNoResponder(sequence(blockUntilDone, jsonResponder(200, `{"data":{"id":"c1"}}`)))
		_, err := c.Portouts.Comments.Create(context.Background(), "p1", PortoutCommentCreateParams{Body: "x"})
		require.NoError(t, err)
		assert.Equal(t, 2, mock.GetTotalCallCount())
	})
}

// cutBody is a response body that fails halfway.
type cutBody struct{ sent bool }

func (b *cutBody) Read(p []byte) (int, error) {
	if b.sent {
		return 0, io.ErrUnexpectedEOF
	}
	b.sent = true
	return copy(p, `{"data":{"id":`), nil
}
func (b *cutBody) Close() error { return nil }

func cutResponder(req *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: http.StatusOK, Header: http.Header{"Content-Type": {"application/json"}}, Body: &cutBody{}, Request: req}, nil
}

func TestCutOffResponse(t *testing.T) {
	t.Parallel()
	t.Run("GET retried", func(t *testing.T) {
		t.Parallel()
		c, mock := newTestClient(t)
		mock.RegisterNoResponder(sequence(cutResponder, jsonResponder(200, portoutJSON)))
		p, err := c.Portouts.Get(context.Background(), "p1")
		require.NoError(t, err)
		assert.Equal(t, "p1", p.ID)
		assert.Equal(t, 2, mock.GetTotalCallCount())
	})
	t.Run("POST not retried", func(t *testing.T) {
		t.Parallel()
		c, mock := newTestClient(t)
		mock.RegisterNoResponder(cutResponder)
		_, err := c.Portouts.Comments.Create(context.Background(), "p1", PortoutCommentCreateParams{Body: "x"})
		var ce *ConnectionError
		require.ErrorAs(t, err, &ce)
		assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
		assert.Equal(t, 1, mock.GetTotalCallCount())
	})
}

func TestUndecodableSuccessIsNotRetried(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, body string }{
		{"malformed", `{"data":{"id":`},
		{"HTML", `<html>oops</html>`},
		{"wrong type", `{"data":{"id":42}}`},
		{"missing data", `{}`},
		{"null data", `{"data":null}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, mock := newTestClient(t)
			mock.RegisterNoResponder(jsonResponder(200, tt.body))
			p, err := c.Portouts.Get(context.Background(), "p1")
			assert.Nil(t, p)
			var de *DecodeError
			require.ErrorAs(t, err, &de)
			assert.Equal(t, "GET", de.Method)
			assert.Equal(t, "/portouts/{id}", de.Path)
			assert.Equal(t, 200, de.StatusCode)
			assert.Regexp(t, `^telnyx: GET /portouts/\{id\}: decoding 200 response: `, err.Error())
			assert.Equal(t, 1, mock.GetTotalCallCount())
		})
	}
}

func TestDecodeErrorNamesFieldAndValue(t *testing.T) {
	t.Parallel()
	c, mock := newTestClient(t)
	mock.RegisterNoResponder(jsonResponder(200, `{"data":{"id":"p1","created_at":"31/12/2024 noon"}}`))
	_, err := c.Portouts.Get(context.Background(), "p1")
	var de *DecodeError
	require.ErrorAs(t, err, &de)
	assert.Contains(t, err.Error(), "created_at")
	assert.Contains(t, err.Error(), "31/12/2024 noon")
}

func TestTimestampLayoutsInResponses(t *testing.T) {
	t.Parallel()
	c, mock := newTestClient(t)
	mock.RegisterNoResponder(jsonResponder(200, `{"data":{
		"id":"p1",
		"created_at":"2018-02-02T22:25:27.521Z",
		"updated_at":"2021-03-19T10:07:15.527000Z",
		"inserted_at":"2021-03-19T10:07:15",
		"foc_date":"2024-09-04",
		"requested_foc_date":null}}`))
	p, err := c.Portouts.Get(context.Background(), "p1")
	require.NoError(t, err)
	assert.True(t, time.Date(2018, 2, 2, 22, 25, 27, 521e6, time.UTC).Equal(p.CreatedAt))
	assert.True(t, time.Date(2021, 3, 19, 10, 7, 15, 527e6, time.UTC).Equal(p.UpdatedAt))
	assert.True(t, time.Date(2021, 3, 19, 10, 7, 15, 0, time.UTC).Equal(p.InsertedAt))
	assert.Equal(t, time.UTC, p.InsertedAt.Location())
	assert.True(t, time.Date(2024, 9, 4, 0, 0, 0, 0, time.UTC).Equal(p.FocDate))
	assert.True(t, p.RequestedFocDate.IsZero())

	mock.RegisterNoResponder(jsonResponder(200, `{"data":{"id":"p1","created_at":"","foc_date":null}}`))
	p, err = c.Portouts.Get(context.Background(), "p1")
	require.NoError(t, err)
	assert.True(t, p.CreatedAt.IsZero())
	assert.True(t, p.FocDate.IsZero())
}

func TestUnknownFieldsAndEnumValues(t *testing.T) {
	t.Parallel()
	c, mock := newTestClient(t)
	mock.RegisterNoResponder(jsonResponder(200, `{"data":{"id":"p1","status":"on-hold","brand_new_field":{"x":[1,2]},"reason":null},"extra_top":1}`))
	p, err := c.Portouts.Get(context.Background(), "p1")
	require.NoError(t, err)
	assert.Equal(t, PortoutStatus("on-hold"), p.Status, "an unknown status is kept as its string")
	assert.False(t, p.Status.Valid())
	assert.Empty(t, p.Reason)
}

func TestWithLoggerOneRecordPerAttempt(t *testing.T) {
	t.Parallel()
	var buf syncBuffer
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, mock := newTestClient(t, WithLogger(logger))
	mock.RegisterNoResponder(sequence(
		statusWith(503, http.Header{"X-Request-Id": {"req-1"}}),
		httpmock.NewErrorResponder(readReset),
		jsonResponder(200, portoutJSON).HeaderAdd(http.Header{"Request-Id": {"req-3"}}),
	))
	_, err := c.Portouts.Get(context.Background(), "a/b")
	require.NoError(t, err)

	all := logRecords(t, &buf)
	var recs, warns []map[string]any
	for _, r := range all {
		if r["level"] == "WARN" {
			warns = append(warns, r)
		} else {
			recs = append(recs, r)
		}
	}
	require.Len(t, recs, 3, "one record per attempt")
	// Each retry is also a Warn record, seen by services that log at Info.
	require.Len(t, warns, 2, "one Warn record per retried attempt")
	assert.EqualValues(t, 503, warns[0]["status"])
	assert.Equal(t, "telnyx request will be retried", warns[0]["msg"])
	assert.EqualValues(t, float64(500*time.Millisecond), warns[0]["wait"])
	assert.Equal(t, "connection", warns[1]["error_kind"])
	assert.NotContains(t, warns[1], "status")
	for i, w := range warns {
		assert.EqualValues(t, i+1, w["attempt"])
		assert.Equal(t, "/portouts/{id}", w["path"])
		assert.Equal(t, "GET", w["method"])
	}
	for i, r := range recs {
		assert.Equal(t, "DEBUG", r["level"])
		assert.Equal(t, "GET", r["method"])
		assert.Equal(t, "/portouts/{id}", r["path"], "the route, not the ID")
		assert.EqualValues(t, i+1, r["attempt"])
		assert.Contains(t, r, "duration")
		assert.Contains(t, r, "status")
	}
	assert.EqualValues(t, 503, recs[0]["status"])
	assert.Equal(t, "req-1", recs[0]["request_id"])
	assert.EqualValues(t, 0, recs[1]["status"])
	assert.NotContains(t, recs[1], "request_id")
	assert.Contains(t, recs[1], "error")
	assert.EqualValues(t, 200, recs[2]["status"])
	assert.Equal(t, "req-3", recs[2]["request_id"])

	out := buf.String()
	assert.NotContains(t, out, testAPIKey)
	assert.NotContains(t, out, "Bearer")
	assert.NotContains(t, out, "Authorization")
}

func TestWithLoggerAboveDebugLogsNothing(t *testing.T) {
	t.Parallel()
	var buf syncBuffer
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelInfo}))
	c, mock := newTestClient(t, WithLogger(logger))
	mock.RegisterNoResponder(jsonResponder(200, portoutJSON))
	_, err := c.Portouts.Get(context.Background(), "p1")
	require.NoError(t, err)
	assert.Empty(t, buf.String())
}

func TestWithResponseInto(t *testing.T) {
	t.Parallel()
	t.Run("last attempt of a retried call", func(t *testing.T) {
		t.Parallel()
		c, mock := newTestClient(t)
		mock.RegisterNoResponder(sequence(
			statusWith(503, http.Header{"X-Attempt": {"1"}}),
			jsonResponder(200, portoutJSON).HeaderAdd(http.Header{"X-Attempt": {"2"}}),
		))
		var resp *http.Response
		_, err := c.Portouts.Get(context.Background(), "p1", WithResponseInto(&resp))
		require.NoError(t, err)
		require.NotNil(t, resp)
		assert.Equal(t, "2", resp.Header.Get("X-Attempt"))
		b, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		assert.Empty(t, b, "the body has been consumed")
	})
	t.Run("error response", func(t *testing.T) {
		t.Parallel()
		c, mock := newTestClient(t, WithResponseInto(new(*http.Response)))
		mock.RegisterNoResponder(statusWith(404, http.Header{"X-Request-Id": {"r404"}}))
		var resp *http.Response
		_, err := c.Portouts.Get(context.Background(), "p1", WithResponseInto(&resp))
		assert.ErrorIs(t, err, ErrNotFound)
		require.NotNil(t, resp)
		assert.Equal(t, 404, resp.StatusCode)
		assert.Equal(t, "r404", resp.Header.Get("X-Request-Id"))
	})
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
			_, err := c.Portouts.Get(context.Background(), "p1")
			require.Error(t, err)
			for _, s := range []string{err.Error(), fmt.Sprintf("%v", err), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err), buf.String()} {
				assert.NotContains(t, s, testAPIKey)
			}
			assert.True(t, strings.HasPrefix(err.Error(), "telnyx: "), err.Error())
			assert.NotContains(t, err.Error(), "\n")
		})
	}
}

func TestCallDecodesDataEnvelope(t *testing.T) {
	t.Parallel()
	c, mock := newTestClient(t)
	mock.RegisterNoResponder(jsonResponder(200, `{"data":[{"code":1002,"description":"Wrong PIN","reason_required":true}],"meta":{}}`))
	codes, err := c.Portouts.ListRejectionCodes(context.Background(), "p1", nil)
	require.NoError(t, err)
	assert.Equal(t, []PortoutRejectionCode{{Code: 1002, Description: "Wrong PIN", ReasonRequired: true}}, codes)
}

func TestErrorBodyDecodeDoesNotDecideRetry(t *testing.T) {
	t.Parallel()
	// A well-formed Telnyx body on 400 is not retried; a malformed body on
	// 503 is. The decision comes from the status alone.
	c, mock := newTestClient(t)
	mock.RegisterNoResponder(sequence(httpmock.NewStringResponder(503, `{"errors":[`), jsonResponder(200, portoutJSON)))
	_, err := c.Portouts.Get(context.Background(), "p1")
	require.NoError(t, err)

	c, mock = newTestClient(t)
	mock.RegisterNoResponder(jsonResponder(400, errorBody("10015", "Bad Request", "nope")))
	_, err = c.Portouts.Get(context.Background(), "p1")
	assert.ErrorIs(t, err, ErrBadRequest)
	assert.Equal(t, 1, mock.GetTotalCallCount())
}

// A request body that cannot be marshalled fails before any request.
func TestSetJSONError(t *testing.T) {
	t.Parallel()
	r := &request{method: "POST", route: "x", body: map[string]any{"f": func() {}}}
	_, err := r.prepare(&requestconfig.Config{BaseURL: "https://api.example.test/"})
	require.Error(t, err)
	assert.Regexp(t, `^telnyx: POST /x: encode body: `, err.Error())
	var ute *json.UnsupportedTypeError
	assert.ErrorAs(t, err, &ute)
}
