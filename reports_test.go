package telnyx

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPortoutReportGet(t *testing.T) {
	t.Parallel()
	c, _, log := recordAll(t, http.StatusOK, fixture(t, "report.json"))

	r, err := c.Portouts.Reports.Get(t.Context(), awkwardID)
	require.NoError(t, err)

	assertRequest(t, log.Last(t), wantRequest{method: "GET", path: "/v2/portouts/reports/" + awkwardIDEscaped})
	assert.Equal(t, PortoutReport{
		ID:         "eef3340b-8903-4466-b445-89b697315a3a",
		DocumentID: "f1486bae-f067-460c-ad43-73a92848f902",
		RecordType: "portout_report",
		ReportType: PortoutReportTypeExportCSV,
		Status:     PortoutReportStatusCompleted,
		Filters: PortoutReportFilters{
			CreatedAtGt:          time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC),
			CreatedAtLt:          time.Date(2021, 3, 1, 0, 0, 0, 250e6, time.UTC),
			CustomerReferenceIn:  []string{"my-customer-reference", "other-reference"},
			EndUserName:          "McPortersen",
			PhoneNumbersOverlaps: []string{"+1234567890"},
			StatusIn:             []PortoutStatus{PortoutStatusPending, PortoutStatusRejectedPending},
		},
		CreatedAt: time.Date(2021, 3, 19, 10, 7, 15, 527e6, time.UTC),
		UpdatedAt: time.Date(2021, 3, 19, 10, 9, 0, 0, time.UTC),
	}, *r)
}

func TestPortoutReportCreate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		params PortoutReportCreateParams
		body   string
	}{
		{
			name:   "empty filters are sent as {}",
			params: PortoutReportCreateParams{},
			body:   `{"report_type":"export_portouts_csv","params":{"filters":{}}}`,
		},
		{
			name: "every filter",
			params: PortoutReportCreateParams{
				ReportType: PortoutReportTypeExportCSV,
				Filters: PortoutReportFilters{
					CreatedAtGt:          time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC),
					CreatedAtLt:          time.Date(2021, 3, 1, 12, 30, 0, 500e6, time.UTC),
					CustomerReferenceIn:  []string{"my-customer-reference"},
					EndUserName:          "McPortersen",
					PhoneNumbersOverlaps: []string{"+1234567890", "+13035551212"},
					StatusIn:             []PortoutStatus{PortoutStatusPorted, PortoutStatusCanceled},
				},
			},
			body: `{"report_type":"export_portouts_csv","params":{"filters":{
				"created_at__gt":"2021-01-01T00:00:00Z",
				"created_at__lt":"2021-03-01T12:30:00.5Z",
				"customer_reference__in":["my-customer-reference"],
				"end_user_name":"McPortersen",
				"phone_numbers__overlaps":["+1234567890","+13035551212"],
				"status__in":["ported","canceled"]}}}`,
		},
		{
			name: "one end of the range",
			params: PortoutReportCreateParams{Filters: PortoutReportFilters{
				CreatedAtLt: time.Date(2021, 3, 1, 0, 0, 0, 0, time.UTC),
			}},
			body: `{"report_type":"export_portouts_csv","params":{"filters":{"created_at__lt":"2021-03-01T00:00:00Z"}}}`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, mock := newTestClient(t)
			log := &requestLog{}
			mock.RegisterNoResponder(log.capture(jsonResponder(http.StatusCreated, fixture(t, "report.json"))))

			r, err := c.Portouts.Reports.Create(t.Context(), tc.params)
			require.NoError(t, err)

			assertRequest(t, log.Last(t), wantRequest{method: "POST", path: "/v2/portouts/reports", body: tc.body})
			assert.Equal(t, "eef3340b-8903-4466-b445-89b697315a3a", r.ID)
			assert.Equal(t, PortoutReportStatusCompleted, r.Status)
		})
	}
}

func TestPortoutReportList(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		params *PortoutReportListParams
		query  url.Values
	}{
		{name: "nil params", params: nil, query: nil},
		{
			name: "every filter and page",
			params: &PortoutReportListParams{
				Page:   PageParams{Number: 2, Size: 10},
				Filter: PortoutReportListFilter{ReportType: PortoutReportTypeExportCSV, Status: PortoutReportStatusCompleted},
			},
			query: url.Values{
				"page[number]":        {"2"},
				"page[size]":          {"10"},
				"filter[report_type]": {"export_portouts_csv"},
				"filter[status]":      {"completed"},
			},
		},
		{
			name:   "pending only",
			params: &PortoutReportListParams{Filter: PortoutReportListFilter{Status: PortoutReportStatusPending}},
			query:  url.Values{"filter[status]": {"pending"}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, _, log := recordAll(t, http.StatusOK, fixture(t, "reports_page.json"))

			page, err := c.Portouts.Reports.List(t.Context(), tc.params)
			require.NoError(t, err)

			assertRequest(t, log.Last(t), wantRequest{method: "GET", path: "/v2/portouts/reports", query: tc.query})
			assert.Equal(t, PageMeta{PageNumber: 1, PageSize: 20, TotalPages: 1, TotalResults: 1}, page.Meta)
			at := time.Date(2021, 3, 19, 10, 7, 15, 527e6, time.UTC)
			assert.Equal(t, []PortoutReport{{
				ID:         "eef3340b-8903-4466-b445-89b697315a3a",
				RecordType: "portout_report",
				ReportType: PortoutReportTypeExportCSV,
				Status:     PortoutReportStatusPending,
				CreatedAt:  at,
				UpdatedAt:  at,
			}}, page.Data)
		})
	}
}

func TestPortoutReportListAutoPaging(t *testing.T) {
	t.Parallel()
	c, mock := newTestClient(t)
	log := &requestLog{}
	mock.RegisterNoResponder(log.capture(sequence(
		jsonResponder(http.StatusOK, `{"data":[{"id":"r1"}],"meta":{"page_number":1,"total_pages":2}}`),
		jsonResponder(http.StatusOK, `{"data":[{"id":"r2"}],"meta":{"page_number":2,"total_pages":2}}`),
	)))
	params := &PortoutReportListParams{Filter: PortoutReportListFilter{Status: PortoutReportStatusCompleted}}

	var ids []string
	for r, err := range c.Portouts.Reports.ListAutoPaging(t.Context(), params) {
		require.NoError(t, err)
		ids = append(ids, r.ID)
	}

	assert.Equal(t, []string{"r1", "r2"}, ids)
	reqs := log.All()
	require.Len(t, reqs, 2)
	assertRequest(t, reqs[1], wantRequest{method: "GET", path: "/v2/portouts/reports", query: url.Values{
		"filter[status]": {"completed"}, "page[number]": {"2"},
	}})
}

func TestPortoutReportCreateNotRetriedOnServerError(t *testing.T) {
	t.Parallel()
	c, mock := newTestClient(t)
	mock.RegisterNoResponder(jsonResponder(http.StatusServiceUnavailable, errorBody("90000", "Unavailable", "")))

	_, err := c.Portouts.Reports.Create(t.Context(), PortoutReportCreateParams{})

	require.ErrorIs(t, err, ErrServer)
	assert.Equal(t, 1, mock.GetTotalCallCount(), "a POST that reached the server is not repeated")
}

func TestPortoutReportBadInput(t *testing.T) {
	t.Parallel()
	jan := time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)
	runBadInput(t, []badInputCase{
		{"Get empty ID", "id", func(ctx context.Context, c *Client) error { _, err := c.Portouts.Reports.Get(ctx, ""); return err }},
		{"Get dot", "id", func(ctx context.Context, c *Client) error { _, err := c.Portouts.Reports.Get(ctx, "."); return err }},
		{"Get dot dot", "id", func(ctx context.Context, c *Client) error { _, err := c.Portouts.Reports.Get(ctx, ".."); return err }},
		{"Create unknown report type", "ReportType", func(ctx context.Context, c *Client) error {
			_, err := c.Portouts.Reports.Create(ctx, PortoutReportCreateParams{ReportType: "export_portins_csv"})
			return err
		}},
		{"Create unknown status", "Filters.StatusIn", func(ctx context.Context, c *Client) error {
			_, err := c.Portouts.Reports.Create(ctx, PortoutReportCreateParams{Filters: PortoutReportFilters{StatusIn: []PortoutStatus{"gone"}}})
			return err
		}},
		{"Create inverted range", "Filters.CreatedAtGt", func(ctx context.Context, c *Client) error {
			_, err := c.Portouts.Reports.Create(ctx, PortoutReportCreateParams{Filters: PortoutReportFilters{CreatedAtGt: jan, CreatedAtLt: jan}})
			return err
		}},
		{"List unknown report type", "Filter.ReportType", func(ctx context.Context, c *Client) error {
			_, err := c.Portouts.Reports.List(ctx, &PortoutReportListParams{Filter: PortoutReportListFilter{ReportType: "csv"}})
			return err
		}},
		{"List unknown status", "Filter.Status", func(ctx context.Context, c *Client) error {
			_, err := c.Portouts.Reports.List(ctx, &PortoutReportListParams{Filter: PortoutReportListFilter{Status: "failed"}})
			return err
		}},
		{"List page size 251", "Page.Size", func(ctx context.Context, c *Client) error {
			_, err := c.Portouts.Reports.List(ctx, &PortoutReportListParams{Page: PageParams{Size: 251}})
			return err
		}},
		{"List page number negative", "Page.Number", func(ctx context.Context, c *Client) error {
			_, err := c.Portouts.Reports.List(ctx, &PortoutReportListParams{Page: PageParams{Number: -1}})
			return err
		}},
		{"ListAutoPaging unknown report type", "Filter.ReportType", func(ctx context.Context, c *Client) error {
			return firstErr(c.Portouts.Reports.ListAutoPaging(ctx, &PortoutReportListParams{Filter: PortoutReportListFilter{ReportType: "x"}}))
		}},
		{"ListAutoPaging page size too big", "Page.Size", func(ctx context.Context, c *Client) error {
			return firstErr(c.Portouts.Reports.ListAutoPaging(ctx, &PortoutReportListParams{Page: PageParams{Size: 300}}))
		}},
	})
}
