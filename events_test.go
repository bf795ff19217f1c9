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

func TestPortoutEventGetDecodesEachType(t *testing.T) {
	t.Parallel()
	created := time.Date(2021, 3, 19, 10, 7, 15, 527e6, time.UTC)
	tests := []struct {
		name    string
		fixture string
		want    PortoutEvent
	}{
		{
			name:    "status changed",
			fixture: "event_status_changed.json",
			want: PortoutEvent{
				ID:                           "eef3340b-8903-4466-b445-89b697315a3a",
				EventType:                    PortoutEventStatusChanged,
				PortoutID:                    "9471c873-e3eb-4ca1-957d-f9a451334d52",
				PayloadStatus:                "created",
				AvailableNotificationMethods: []NotificationMethod{NotificationMethodEmail, NotificationMethodWebhook},
				RecordType:                   "portout_event",
				CreatedAt:                    created,
				UpdatedAt:                    time.Date(2021, 3, 19, 10, 8, 0, 0, time.UTC),
				Payload: &PortoutStatusChangedPayload{
					ID:              "96dfa9e4-c753-4fd3-97cd-42d66f26cf0c",
					AttemptedPin:    "1234",
					CarrierName:     "Testing Carrier",
					PhoneNumbers:    []string{"+35312345678"},
					RejectionReason: "PIN mismatch",
					SPID:            "987H",
					Status:          PortoutStatusAuthorized,
					SubscriberName:  "John Doe",
					UserID:          "96dfa9e4-c753-4fd3-97cd-42d66f26cf0c",
				},
			},
		},
		{
			name:    "new comment",
			fixture: "event_new_comment.json",
			want: PortoutEvent{
				ID:                           "eef3340b-8903-4466-b445-89b697315a3b",
				EventType:                    PortoutEventNewComment,
				PortoutID:                    "d26109e5-0605-4671-a235-d3c649cc8406",
				PayloadStatus:                "completed",
				AvailableNotificationMethods: []NotificationMethod{NotificationMethodWebhook},
				RecordType:                   "portout_event",
				CreatedAt:                    created,
				UpdatedAt:                    created,
				Payload: &PortoutNewCommentPayload{
					ID:        "96dfa9e4-c753-4fd3-97cd-42d66f26cf0c",
					Comment:   "This is a comment.",
					PortoutID: "d26109e5-0605-4671-a235-d3c649cc8406",
					UserID:    "1c45c968-c2e0-4559-b1dd-db073962fc61",
				},
			},
		},
		{
			name:    "FOC date changed",
			fixture: "event_foc_date_changed.json",
			want: PortoutEvent{
				ID:                           "eef3340b-8903-4466-b445-89b697315a3c",
				EventType:                    PortoutEventFocDateChanged,
				PortoutID:                    "96dfa9e4-c753-4fd3-97cd-42d66f26cf0c",
				PayloadStatus:                "created",
				AvailableNotificationMethods: []NotificationMethod{NotificationMethodEmail},
				RecordType:                   "portout_event",
				CreatedAt:                    created,
				UpdatedAt:                    created,
				Payload: &PortoutFocDateChangedPayload{
					ID:      "96dfa9e4-c753-4fd3-97cd-42d66f26cf0c",
					FocDate: time.Date(2021, 3, 26, 15, 0, 0, 125e6, time.UTC),
					UserID:  "0e19c89e-f0ce-458a-a36c-3c60bc2014b1",
				},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, _, log := recordAll(t, http.StatusOK, fixture(t, tc.fixture))

			e, err := c.Portouts.Events.Get(t.Context(), awkwardID)
			require.NoError(t, err)

			assertRequest(t, log.Last(t), wantRequest{method: "GET", path: "/v2/portouts/events/" + awkwardIDEscaped})
			assert.Equal(t, tc.want, *e)
		})
	}
}

func TestPortoutEventUnknownTypeKeepsRawPayload(t *testing.T) {
	t.Parallel()
	c, _, _ := recordAll(t, http.StatusOK, fixture(t, "event_unknown.json"))

	e, err := c.Portouts.Events.Get(t.Context(), "eef3340b-8903-4466-b445-89b697315a3d")
	require.NoError(t, err)

	at := time.Date(2021, 3, 19, 10, 7, 15, 0, time.UTC)
	assert.Equal(t, PortoutEventType("portout.carrier_reassigned"), e.EventType)
	assert.Equal(t, "eef3340b-8903-4466-b445-89b697315a3d", e.ID)
	assert.Equal(t, "9471c873-e3eb-4ca1-957d-f9a451334d52", e.PortoutID)
	assert.Equal(t, PortoutEventPayloadCreated, e.PayloadStatus)
	assert.Equal(t, []NotificationMethod{NotificationMethodWebhook}, e.AvailableNotificationMethods)
	assert.Equal(t, "portout_event", e.RecordType)
	assert.Equal(t, at, e.CreatedAt)
	assert.Equal(t, at, e.UpdatedAt)
	unknown, ok := e.Payload.(*UnknownPortoutEventPayload)
	require.True(t, ok, "payload is %T", e.Payload)
	assert.JSONEq(t, `{"carrier":{"name":"Other Carrier","spid":"123A"},"numbers":["+35312345678"]}`, string(unknown.Raw))

	// The raw payload survives a round trip through the SDK's own encoding.
	b, err := json.Marshal(e)
	require.NoError(t, err)
	var again PortoutEvent
	require.NoError(t, json.Unmarshal(b, &again))
	againRaw, ok := again.Payload.(*UnknownPortoutEventPayload)
	require.True(t, ok, "payload is %T", again.Payload)
	assert.JSONEq(t, string(unknown.Raw), string(againRaw.Raw))
	again.Payload, e.Payload = nil, nil
	assert.Equal(t, *e, again)
}

func TestPortoutEventPayloadEdgeCases(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		json string
		want PortoutEventPayload
	}{
		{
			name: "null rejection reason",
			json: `{"event_type":"portout.status_changed","payload":{"rejection_reason":null,"status":"ported"}}`,
			want: &PortoutStatusChangedPayload{Status: PortoutStatusPorted},
		},
		{
			name: "missing payload of a known type",
			json: `{"event_type":"portout.new_comment"}`,
			want: &PortoutNewCommentPayload{},
		},
		{
			name: "null FOC date",
			json: `{"event_type":"portout.foc_date_changed","payload":{"foc_date":null,"id":"p1"}}`,
			want: &PortoutFocDateChangedPayload{ID: "p1"},
		},
		{
			name: "no event type",
			json: `{"payload":{"x":1}}`,
			want: &UnknownPortoutEventPayload{Raw: json.RawMessage(`{"x":1}`)},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var e PortoutEvent
			require.NoError(t, json.Unmarshal([]byte(tc.json), &e))
			assert.Equal(t, tc.want, e.Payload)
		})
	}
}

func TestPortoutEventBadPayloadIsDecodeError(t *testing.T) {
	t.Parallel()
	c, _, _ := recordAll(t, http.StatusOK, `{"data":{"event_type":"portout.foc_date_changed","payload":{"foc_date":"next tuesday"}}}`)

	_, err := c.Portouts.Events.Get(t.Context(), "e1")

	var de *DecodeError
	require.ErrorAs(t, err, &de)
	assert.Contains(t, err.Error(), "next tuesday")
}

func TestPortoutEventList(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		params *PortoutEventListParams
		query  url.Values
	}{
		{name: "nil params", params: nil, query: nil},
		{
			name: "every filter and page",
			params: &PortoutEventListParams{
				Page: PageParams{Number: 3, Size: 25},
				Filter: PortoutEventListFilter{
					CreatedAt: DateRange{
						Gte: time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC),
						Lte: time.Date(2021, 1, 31, 23, 59, 59, 0, time.UTC),
					},
					EventType: PortoutEventStatusChanged,
					PortoutID: "34dc46a9-53ed-4e01-9454-26227ea13326",
				},
			},
			query: url.Values{
				"page[number]":            {"3"},
				"page[size]":              {"25"},
				"filter[created_at][gte]": {"2021-01-01T00:00:00Z"},
				"filter[created_at][lte]": {"2021-01-31T23:59:59Z"},
				"filter[event_type]":      {"portout.status_changed"},
				"filter[portout_id]":      {"34dc46a9-53ed-4e01-9454-26227ea13326"},
			},
		},
		{
			name: "only a lower bound",
			params: &PortoutEventListParams{Filter: PortoutEventListFilter{
				CreatedAt: DateRange{Gte: time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)},
			}},
			query: url.Values{"filter[created_at][gte]": {"2021-01-01T00:00:00Z"}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, _, log := recordAll(t, http.StatusOK, fixture(t, "events_page.json"))

			page, err := c.Portouts.Events.List(t.Context(), tc.params)
			require.NoError(t, err)

			assertRequest(t, log.Last(t), wantRequest{method: "GET", path: "/v2/portouts/events", query: tc.query})
			assert.Equal(t, PageMeta{PageNumber: 1, PageSize: 25, TotalPages: 1, TotalResults: 2}, page.Meta)
			require.Len(t, page.Data, 2)
			assert.Equal(t, &PortoutStatusChangedPayload{ID: "96dfa9e4-c753-4fd3-97cd-42d66f26cf0c", Status: PortoutStatusPorted}, page.Data[0].Payload)
			assert.Equal(t, &PortoutNewCommentPayload{ID: "c0000000-0000-4000-8000-000000000001", Comment: "Thanks"}, page.Data[1].Payload)
			assert.Equal(t, time.Date(2021, 3, 19, 11, 0, 0, 0, time.UTC), page.Data[1].CreatedAt)
		})
	}
}

func TestPortoutEventListAutoPaging(t *testing.T) {
	t.Parallel()
	c, mock := newTestClient(t)
	log := &requestLog{}
	mock.RegisterNoResponder(log.capture(sequence(
		jsonResponder(http.StatusOK, `{"data":[{"id":"e1","event_type":"portout.new_comment","payload":{"comment":"a"}}],"meta":{"page_number":1,"total_pages":2}}`),
		jsonResponder(http.StatusOK, `{"data":[{"id":"e2","event_type":"portout.x","payload":{"y":2}}],"meta":{"page_number":2,"total_pages":2}}`),
	)))
	params := &PortoutEventListParams{Filter: PortoutEventListFilter{PortoutID: "p1"}}

	var got []PortoutEventPayload
	for e, err := range c.Portouts.Events.ListAutoPaging(t.Context(), params) {
		require.NoError(t, err)
		got = append(got, e.Payload)
	}

	require.Len(t, got, 2)
	assert.Equal(t, &PortoutNewCommentPayload{Comment: "a"}, got[0])
	assert.Equal(t, &UnknownPortoutEventPayload{Raw: json.RawMessage(`{"y":2}`)}, got[1])
	reqs := log.All()
	require.Len(t, reqs, 2)
	assertRequest(t, reqs[0], wantRequest{method: "GET", path: "/v2/portouts/events", query: url.Values{"filter[portout_id]": {"p1"}}})
	assertRequest(t, reqs[1], wantRequest{method: "GET", path: "/v2/portouts/events", query: url.Values{"filter[portout_id]": {"p1"}, "page[number]": {"2"}}})
}

func TestPortoutEventRepublish(t *testing.T) {
	t.Parallel()
	c, mock := newTestClient(t)
	log := &requestLog{}
	mock.RegisterNoResponder(log.capture(jsonResponder(http.StatusNoContent, "")))

	err := c.Portouts.Events.Republish(t.Context(), awkwardID)
	require.NoError(t, err)

	assertRequest(t, log.Last(t), wantRequest{method: "POST", path: "/v2/portouts/events/" + awkwardIDEscaped + "/republish"})
}

func TestPortoutEventRepublishNotFound(t *testing.T) {
	t.Parallel()
	c, mock := newTestClient(t)
	mock.RegisterNoResponder(jsonResponder(http.StatusNotFound, errorBody("10005", "Not found", "")))

	err := c.Portouts.Events.Republish(t.Context(), "e1")

	require.ErrorIs(t, err, ErrNotFound)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "/portouts/events/{id}/republish", apiErr.Path)
}

func TestPortoutEventBadInput(t *testing.T) {
	t.Parallel()
	runBadInput(t, []badInputCase{
		{"Get empty ID", "id", func(ctx context.Context, c *Client) error { _, err := c.Portouts.Events.Get(ctx, ""); return err }},
		{"Get dot", "id", func(ctx context.Context, c *Client) error { _, err := c.Portouts.Events.Get(ctx, "."); return err }},
		{"Get dot dot", "id", func(ctx context.Context, c *Client) error { _, err := c.Portouts.Events.Get(ctx, ".."); return err }},
		{"Republish empty ID", "id", func(ctx context.Context, c *Client) error { return c.Portouts.Events.Republish(ctx, "") }},
		{"Republish dot dot", "id", func(ctx context.Context, c *Client) error { return c.Portouts.Events.Republish(ctx, "..") }},
		{"List page size 0 is fine but 251 is not", "Page.Size", func(ctx context.Context, c *Client) error {
			_, err := c.Portouts.Events.List(ctx, &PortoutEventListParams{Page: PageParams{Size: 251}})
			return err
		}},
		{"List page number negative", "Page.Number", func(ctx context.Context, c *Client) error {
			_, err := c.Portouts.Events.List(ctx, &PortoutEventListParams{Page: PageParams{Number: -1}})
			return err
		}},
		{"ListAutoPaging page size negative", "Page.Size", func(ctx context.Context, c *Client) error {
			return firstErr(c.Portouts.Events.ListAutoPaging(ctx, &PortoutEventListParams{Page: PageParams{Size: -5}}))
		}},
	})
}
