package telnyx

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"runtime"
	"testing"
	"time"

	"github.com/a54710f5/telnyx-go/internal/requestconfig"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// What a call puts on the wire: headers, query, path escaping and JSON
// bodies.

func TestRequestHeaders(t *testing.T) {
	t.Parallel()
	c, mock := newTestClient(t, WithHeader("X-Team", "billing"))
	var log requestLog
	mock.RegisterNoResponder(log.capture(jsonResponder(200, portoutJSON)))

	_, err := c.Portouts.Get(t.Context(), "p1")
	require.NoError(t, err)
	_, err = c.Portouts.UpdateStatus(t.Context(), "p1", PortoutStatusAuthorized, PortoutUpdateStatusParams{})
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
	require.NoError(t, c.Portouts.Events.Republish(t.Context(), "e1"))
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
			_, err := c.Portouts.Get(t.Context(), "p1")
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
			require.NoError(t, tt.call(t.Context(), c))
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
	p, err := c.Portouts.List(t.Context(), params)
	require.NoError(t, err)
	_, err = p.NextPage(t.Context())
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
			_, err := c.Portouts.Get(t.Context(), tt.id)
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
			ctx := t.Context()

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

	_, err := c.Portouts.UpdateStatus(t.Context(), "p1", PortoutStatusRejectedPending,
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
