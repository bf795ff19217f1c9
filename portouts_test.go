package telnyx

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ts parses an RFC 3339 timestamp for expected values.
func ts(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339Nano, s)
	require.NoError(t, err)
	return v
}

func TestPortoutGet(t *testing.T) {
	t.Parallel()
	c, _, log := recordAll(t, http.StatusOK, fixture(t, "portout.json"))

	p, err := c.Portouts.Get(t.Context(), awkwardID)
	require.NoError(t, err)

	assertRequest(t, log.Last(t), wantRequest{method: "GET", path: "/v2/portouts/" + awkwardIDEscaped})
	want := Portout{
		ID:               "0ccc7b54-4df3-4bca-a65a-3da1ecc777f0",
		AlreadyPorted:    true,
		AuthorizedName:   "McPortersen",
		CarrierName:      "test",
		City:             "Chicago",
		CreatedAt:        time.Date(2018, 2, 2, 22, 25, 27, 521e6, time.UTC),
		CurrentCarrier:   "telnyx",
		EndUserName:      "McPortersen Inc",
		FocDate:          time.Date(2018, 2, 9, 16, 0, 0, 0, time.UTC),
		HostMessaging:    true,
		InsertedAt:       time.Date(2018, 2, 2, 22, 25, 27, 521e3, time.UTC),
		LSR:              []string{"https://example.com/files/lsr.pdf"},
		PhoneNumbers:     []string{"+35312345678", "+35312345679"},
		PON:              "00000000",
		Reason:           "I do not recognize this transaction",
		RecordType:       "portout",
		RejectionCode:    1002,
		RequestedFocDate: ts(t, "2018-02-08T00:00:00+01:00"),
		ServiceAddress:   "000 Example Street",
		SPID:             "987H",
		State:            "IL",
		Status:           PortoutStatusRejectedPending,
		SupportKey:       "PO_764725",
		UpdatedAt:        time.Date(2018, 2, 3, 8, 0, 0, 5e8, time.UTC),
		UserID:           "7865816a-ee85-4e50-b19e-52983dcc6d4a",
		Vendor:           "0e66ed3b-37e6-4fed-93d6-a30ce2493661",
		Zip:              "00000",
	}
	assert.Equal(t, want, *p)
	assert.True(t, p.RequestedFocDate.Equal(time.Date(2018, 2, 7, 23, 0, 0, 0, time.UTC)))
}

func TestPortoutGetErrors(t *testing.T) {
	t.Parallel()
	c, mock := newTestClient(t)
	mock.RegisterNoResponder(jsonResponder(http.StatusNotFound, errorBody("10005", "Resource not found", "no such port-out")))

	p, err := c.Portouts.Get(t.Context(), "0ccc7b54-4df3-4bca-a65a-3da1ecc777f0")
	assert.Nil(t, p)
	require.ErrorIs(t, err, ErrNotFound)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "/portouts/{id}", apiErr.Path)
	assert.Equal(t, "GET", apiErr.Method)
	assert.Equal(t, 1, mock.GetTotalCallCount(), "a 404 is not retried")
}

func TestPortoutList(t *testing.T) {
	t.Parallel()
	day := time.Date(2024, 9, 4, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		params *PortoutListParams
		query  url.Values
	}{
		{name: "nil params", params: nil, query: nil},
		{name: "zero params", params: &PortoutListParams{}, query: nil},
		{
			name:   "first page number is left out",
			params: &PortoutListParams{Page: PageParams{Number: 1, Size: 250}},
			query:  url.Values{"page[size]": {"250"}},
		},
		{
			name: "every filter and page",
			params: &PortoutListParams{
				Page: PageParams{Number: 2, Size: 50},
				Filter: PortoutListFilter{
					CarrierName:   "Other Carrier",
					CountryCode:   "US",
					CountryCodeIn: []string{"CA", "US"},
					FocDate:       day,
					InsertedAt:    DateRange{Gte: day, Lte: day.Add(36 * time.Hour)},
					PhoneNumber:   "+13035551212",
					PON:           "00000000",
					PortedOutAt:   DateRange{Gte: day.Add(-24 * time.Hour), Lte: day.Add(time.Hour)},
					SPID:          "987H",
					Status:        PortoutStatusPending,
					StatusIn:      []PortoutStatus{PortoutStatusPending, PortoutStatusRejectedPending},
					SupportKey:    "PO_abc123",
				},
			},
			query: url.Values{
				"page[number]":               {"2"},
				"page[size]":                 {"50"},
				"filter[carrier_name]":       {"Other Carrier"},
				"filter[country_code]":       {"US"},
				"filter[country_code_in]":    {"CA,US"},
				"filter[foc_date]":           {"2024-09-04T00:00:00Z"},
				"filter[inserted_at][gte]":   {"2024-09-04T00:00:00Z"},
				"filter[inserted_at][lte]":   {"2024-09-05T12:00:00Z"},
				"filter[phone_number]":       {"+13035551212"},
				"filter[pon]":                {"00000000"},
				"filter[ported_out_at][gte]": {"2024-09-03T00:00:00Z"},
				"filter[ported_out_at][lte]": {"2024-09-04T01:00:00Z"},
				"filter[spid]":               {"987H"},
				"filter[status]":             {"pending"},
				"filter[status_in]":          {"pending,rejected-pending"},
				"filter[support_key]":        {"PO_abc123"},
			},
		},
		{
			name: "one end of a range",
			params: &PortoutListParams{Filter: PortoutListFilter{
				InsertedAt: DateRange{Lte: time.Date(2024, 9, 4, 12, 0, 0, 0, time.FixedZone("", 2*3600))},
			}},
			query: url.Values{"filter[inserted_at][lte]": {"2024-09-04T12:00:00+02:00"}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, _, log := recordAll(t, http.StatusOK, fixture(t, "portouts_page.json"))
			var before PortoutListParams
			if tc.params != nil {
				before = *tc.params
			}

			page, err := c.Portouts.List(t.Context(), tc.params)
			require.NoError(t, err)

			assertRequest(t, log.Last(t), wantRequest{method: "GET", path: "/v2/portouts", query: tc.query})
			if tc.params != nil {
				assert.Equal(t, before, *tc.params, "params must not be changed")
			}
			require.Len(t, page.Data, 2)
			assert.Equal(t, PageMeta{PageNumber: 2, PageSize: 2, TotalPages: 13, TotalResults: 25}, page.Meta)
		})
	}
}

func TestPortoutListDecodes(t *testing.T) {
	t.Parallel()
	c, _, _ := recordAll(t, http.StatusOK, fixture(t, "portouts_page.json"))

	page, err := c.Portouts.List(t.Context(), nil)
	require.NoError(t, err)

	require.Len(t, page.Data, 2)
	spec := time.Date(2018, 2, 2, 22, 25, 27, 521e6, time.UTC)
	assert.Equal(t, Portout{
		ID:               "0ccc7b54-4df3-4bca-a65a-3da1ecc777f0",
		AuthorizedName:   "McPortersen",
		CarrierName:      "test",
		City:             "Chicago",
		CreatedAt:        spec,
		CurrentCarrier:   "telnyx",
		EndUserName:      "McPortersen",
		FocDate:          spec,
		InsertedAt:       spec,
		LSR:              []string{"https://example.com/files/lsr.pdf"},
		PhoneNumbers:     []string{"+35312345678"},
		PON:              "00000000",
		RecordType:       "portout",
		RejectionCode:    1002,
		RequestedFocDate: spec,
		ServiceAddress:   "000 Example Street",
		SPID:             "0ccc7b54-4df3-4bca-a65a-3da1ecc777f0",
		State:            "IL",
		Status:           PortoutStatusPending,
		SupportKey:       "PO_764725",
		UpdatedAt:        spec,
		UserID:           "7865816a-ee85-4e50-b19e-52983dcc6d4a",
		Vendor:           "0e66ed3b-37e6-4fed-93d6-a30ce2493661",
		Zip:              "00000",
	}, page.Data[0])
	assert.Equal(t, Portout{
		ID:           "5a16902a-2ee9-4882-a247-420fc6627b62",
		Status:       PortoutStatusAuthorized,
		PhoneNumbers: []string{"+13035551212"},
		CreatedAt:    time.Date(2018, 2, 3, 10, 0, 0, 0, time.UTC),
	}, page.Data[1], "null and missing fields read as zero values")
}

func TestPortoutListAutoPaging(t *testing.T) {
	t.Parallel()
	c, mock := newTestClient(t)
	log := &requestLog{}
	mock.RegisterNoResponder(log.capture(sequence(
		jsonResponder(http.StatusOK, `{"data":[{"id":"p1"},{"id":"p2"}],"meta":{"page_number":1,"page_size":2,"total_pages":2,"total_results":3}}`),
		jsonResponder(http.StatusOK, `{"data":[{"id":"p3"}],"meta":{"page_number":2,"page_size":2,"total_pages":2,"total_results":3}}`),
	)))
	params := &PortoutListParams{
		Page:   PageParams{Size: 2},
		Filter: PortoutListFilter{Status: PortoutStatusPending, CountryCodeIn: []string{"US"}},
	}

	var ids []string
	for p, err := range c.Portouts.ListAutoPaging(t.Context(), params) {
		require.NoError(t, err)
		ids = append(ids, p.ID)
	}

	assert.Equal(t, []string{"p1", "p2", "p3"}, ids)
	reqs := log.All()
	require.Len(t, reqs, 2)
	filters := url.Values{"filter[status]": {"pending"}, "filter[country_code_in]": {"US"}, "page[size]": {"2"}}
	assertRequest(t, reqs[0], wantRequest{method: "GET", path: "/v2/portouts", query: filters})
	second := url.Values{"page[number]": {"2"}}
	for k, v := range filters {
		second[k] = v
	}
	assertRequest(t, reqs[1], wantRequest{method: "GET", path: "/v2/portouts", query: second})
}

func TestPortoutListRejectionCodes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		params *PortoutRejectionCodeListParams
		query  url.Values
	}{
		{name: "nil params", params: nil, query: nil},
		{name: "no codes", params: &PortoutRejectionCodeListParams{}, query: nil},
		{name: "one code", params: &PortoutRejectionCodeListParams{Code: []int{1002}}, query: url.Values{"filter[code]": {"1002"}}},
		{
			name:   "several codes",
			params: &PortoutRejectionCodeListParams{Code: []int{1002, 1003, 1010}},
			query:  url.Values{"filter[code][in]": {"1002,1003,1010"}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, _, log := recordAll(t, http.StatusOK, fixture(t, "rejection_codes.json"))

			codes, err := c.Portouts.ListRejectionCodes(t.Context(), awkwardID, tc.params)
			require.NoError(t, err)

			assertRequest(t, log.Last(t), wantRequest{
				method: "GET", path: "/v2/portouts/rejections/" + awkwardIDEscaped, query: tc.query,
			})
			assert.Equal(t, []PortoutRejectionCode{
				{Code: 1002, Description: "Invalid PIN"},
				{Code: 1003, Description: "Other", ReasonRequired: true},
			}, codes)
		})
	}
}

func TestPortoutUpdateStatus(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		status PortoutStatus
		params PortoutUpdateStatusParams
		path   string
		body   string
	}{
		{
			name:   "authorize keeps messaging",
			status: PortoutStatusAuthorized,
			params: PortoutUpdateStatusParams{HostMessaging: true},
			path:   "/v2/portouts/" + awkwardIDEscaped + "/authorized",
			body:   `{"reason":"","host_messaging":true}`,
		},
		{
			name:   "reject with a reason",
			status: PortoutStatusRejectedPending,
			params: PortoutUpdateStatusParams{Reason: "I do not recognize this transaction"},
			path:   "/v2/portouts/" + awkwardIDEscaped + "/rejected-pending",
			body:   `{"reason":"I do not recognize this transaction","host_messaging":false}`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, _, log := recordAll(t, http.StatusOK, fixture(t, "portout.json"))

			p, err := c.Portouts.UpdateStatus(t.Context(), awkwardID, tc.status, tc.params)
			require.NoError(t, err)

			assertRequest(t, log.Last(t), wantRequest{method: "PATCH", path: tc.path, body: tc.body})
			assert.Equal(t, "0ccc7b54-4df3-4bca-a65a-3da1ecc777f0", p.ID)
			assert.Equal(t, PortoutStatusRejectedPending, p.Status)
		})
	}
}

func TestPortoutUpdateStatusError(t *testing.T) {
	t.Parallel()
	c, mock := newTestClient(t)
	mock.RegisterNoResponder(jsonResponder(http.StatusUnprocessableEntity, errorBody("10015", "Invalid status", "reason is required")))

	_, err := c.Portouts.UpdateStatus(t.Context(), "p1", PortoutStatusRejectedPending, PortoutUpdateStatusParams{})

	require.ErrorIs(t, err, ErrUnprocessable)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "PATCH", apiErr.Method)
	assert.Equal(t, "/portouts/{id}/rejected-pending", apiErr.Path)
	require.Len(t, apiErr.Errors, 1)
	assert.Equal(t, "10015", apiErr.Errors[0].Code)
}

func TestPortoutBadInput(t *testing.T) {
	t.Parallel()
	var upd PortoutUpdateStatusParams
	runBadInput(t, []badInputCase{
		{"Get empty ID", "id", func(ctx context.Context, c *Client) error { _, err := c.Portouts.Get(ctx, ""); return err }},
		{"Get blank ID", "id", func(ctx context.Context, c *Client) error { _, err := c.Portouts.Get(ctx, "  "); return err }},
		{"Get dot", "id", func(ctx context.Context, c *Client) error { _, err := c.Portouts.Get(ctx, "."); return err }},
		{"Get dot dot", "id", func(ctx context.Context, c *Client) error { _, err := c.Portouts.Get(ctx, ".."); return err }},
		{"ListRejectionCodes empty ID", "portout_id", func(ctx context.Context, c *Client) error {
			_, err := c.Portouts.ListRejectionCodes(ctx, "", nil)
			return err
		}},
		{"ListRejectionCodes dot dot", "portout_id", func(ctx context.Context, c *Client) error {
			_, err := c.Portouts.ListRejectionCodes(ctx, "..", &PortoutRejectionCodeListParams{Code: []int{1002}})
			return err
		}},
		{"UpdateStatus empty ID", "id", func(ctx context.Context, c *Client) error {
			_, err := c.Portouts.UpdateStatus(ctx, "", PortoutStatusAuthorized, upd)
			return err
		}},
		{"UpdateStatus dot dot", "id", func(ctx context.Context, c *Client) error {
			_, err := c.Portouts.UpdateStatus(ctx, "..", PortoutStatusRejectedPending, upd)
			return err
		}},
		{"UpdateStatus ported", "status", func(ctx context.Context, c *Client) error {
			_, err := c.Portouts.UpdateStatus(ctx, "p1", PortoutStatusPorted, upd)
			return err
		}},
		{"UpdateStatus pending", "status", func(ctx context.Context, c *Client) error {
			_, err := c.Portouts.UpdateStatus(ctx, "p1", PortoutStatusPending, upd)
			return err
		}},
		{"UpdateStatus rejected", "status", func(ctx context.Context, c *Client) error {
			_, err := c.Portouts.UpdateStatus(ctx, "p1", PortoutStatusRejected, upd)
			return err
		}},
		{"UpdateStatus empty status", "status", func(ctx context.Context, c *Client) error {
			_, err := c.Portouts.UpdateStatus(ctx, "p1", "", upd)
			return err
		}},
		{"UpdateStatus path-like status", "status", func(ctx context.Context, c *Client) error {
			_, err := c.Portouts.UpdateStatus(ctx, "p1", "../authorized", upd)
			return err
		}},
		{"List page size 251", "Page.Size", func(ctx context.Context, c *Client) error {
			_, err := c.Portouts.List(ctx, &PortoutListParams{Page: PageParams{Size: 251}})
			return err
		}},
		{"List page size negative", "Page.Size", func(ctx context.Context, c *Client) error {
			_, err := c.Portouts.List(ctx, &PortoutListParams{Page: PageParams{Size: -1}})
			return err
		}},
		{"List page number negative", "Page.Number", func(ctx context.Context, c *Client) error {
			_, err := c.Portouts.List(ctx, &PortoutListParams{Page: PageParams{Number: -3}})
			return err
		}},
		{"List unknown status", "Filter.Status", func(ctx context.Context, c *Client) error {
			_, err := c.Portouts.List(ctx, &PortoutListParams{Filter: PortoutListFilter{Status: "done"}})
			return err
		}},
		{"List unknown status in list", "Filter.StatusIn", func(ctx context.Context, c *Client) error {
			_, err := c.Portouts.List(ctx, &PortoutListParams{Filter: PortoutListFilter{StatusIn: []PortoutStatus{PortoutStatusPending, "Pending"}}})
			return err
		}},
		{"ListAutoPaging page size 1000", "Page.Size", func(ctx context.Context, c *Client) error {
			return firstErr(c.Portouts.ListAutoPaging(ctx, &PortoutListParams{Page: PageParams{Size: 1000}}))
		}},
		{"ListAutoPaging unknown status", "Filter.Status", func(ctx context.Context, c *Client) error {
			return firstErr(c.Portouts.ListAutoPaging(ctx, &PortoutListParams{Filter: PortoutListFilter{Status: "x"}}))
		}},
	})
}

// roundTrip decodes the "data" member of a fixture into T, encodes it with
// the SDK's MarshalJSON and decodes it again: nothing may be lost.
func roundTrip[T any](t *testing.T, name string) {
	t.Helper()
	var env struct {
		Data T `json:"data"`
	}
	require.NoError(t, json.Unmarshal([]byte(fixture(t, name)), &env))
	b, err := json.Marshal(env.Data)
	require.NoError(t, err)
	var again T
	require.NoError(t, json.Unmarshal(b, &again), string(b))
	assert.Equal(t, env.Data, again, string(b))
}

func TestResourceJSONRoundTrip(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		run  func(t *testing.T)
	}{
		{"Portout", func(t *testing.T) { roundTrip[Portout](t, "portout.json") }},
		{"Portout page", func(t *testing.T) { roundTrip[[]Portout](t, "portouts_page.json") }},
		{"status changed event", func(t *testing.T) { roundTrip[PortoutEvent](t, "event_status_changed.json") }},
		{"new comment event", func(t *testing.T) { roundTrip[PortoutEvent](t, "event_new_comment.json") }},
		{"FOC date event", func(t *testing.T) { roundTrip[PortoutEvent](t, "event_foc_date_changed.json") }},
		{"report", func(t *testing.T) { roundTrip[PortoutReport](t, "report.json") }},
		{"comments", func(t *testing.T) { roundTrip[[]PortoutComment](t, "comments.json") }},
		{"supporting documents", func(t *testing.T) { roundTrip[[]PortoutSupportingDocument](t, "supporting_documents.json") }},
		{"document", func(t *testing.T) { roundTrip[Document](t, "document.json") }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.run(t)
		})
	}
}

func TestPortoutMarshalJSONWireNames(t *testing.T) {
	t.Parallel()
	b, err := json.Marshal(Portout{ID: "p1", Status: PortoutStatusPending, FocDate: time.Date(2024, 9, 4, 16, 0, 0, 0, time.UTC)})
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m))
	assert.Equal(t, "p1", m["id"])
	assert.Equal(t, "pending", m["status"])
	assert.Equal(t, "2024-09-04T16:00:00Z", m["foc_date"])
	assert.Nil(t, m["created_at"], "a zero time is null")
	assert.Contains(t, m, "created_at")
}
