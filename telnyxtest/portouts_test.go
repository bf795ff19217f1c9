package telnyxtest_test

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	telnyx "github.com/a54710f5/telnyx-go"
	"github.com/a54710f5/telnyx-go/telnyxtest"
)

func TestPortoutListFilters(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	seedFilters(t, srv)
	client := srv.Client()

	tests := []struct {
		name   string
		filter telnyx.PortoutListFilter
		want   []string
	}{
		{"none", telnyx.PortoutListFilter{}, []string{"a", "b", "c", "d", "e"}},
		{"status", telnyx.PortoutListFilter{Status: telnyx.PortoutStatusPending}, []string{"a"}},
		{"status_in", telnyx.PortoutListFilter{StatusIn: []telnyx.PortoutStatus{"authorized", "ported"}}, []string{"b", "c"}},
		{"carrier_name", telnyx.PortoutListFilter{CarrierName: "Lakeside Telecom"}, []string{"a", "c"}},
		{"country_code US", telnyx.PortoutListFilter{CountryCode: "US"}, []string{"a", "e"}},
		{"country_code CA from area code", telnyx.PortoutListFilter{CountryCode: "CA"}, []string{"b"}},
		{"country_code any number", telnyx.PortoutListFilter{CountryCode: "GB"}, []string{"c", "e"}},
		{"country_code_in", telnyx.PortoutListFilter{CountryCodeIn: []string{"CA", "IE"}}, []string{"b", "d"}},
		{"foc_date same day", telnyx.PortoutListFilter{FocDate: day("2025-07-14T00:00:00Z")}, []string{"a"}},
		{"inserted_at range", telnyx.PortoutListFilter{InsertedAt: telnyx.DateRange{
			Gte: day("2025-06-10T00:00:00Z"), Lte: day("2025-06-20T09:00:00Z")}}, []string{"b", "c", "d"}},
		{"inserted_at gte only", telnyx.PortoutListFilter{InsertedAt: telnyx.DateRange{Gte: day("2025-06-21T00:00:00Z")}}, []string{"e"}},
		{"ported_out_at", telnyx.PortoutListFilter{PortedOutAt: telnyx.DateRange{Gte: day("2025-06-01T00:00:00Z")}}, []string{"c"}},
		{"ported_out_at before", telnyx.PortoutListFilter{PortedOutAt: telnyx.DateRange{Lte: day("2025-06-19T00:00:00Z")}}, []string{}},
		{"phone_number", telnyx.PortoutListFilter{PhoneNumber: "+442071838751"}, []string{"e"}},
		{"pon", telnyx.PortoutListFilter{PON: "PON-A"}, []string{"a"}},
		{"spid", telnyx.PortoutListFilter{SPID: "456B"}, []string{"b"}},
		{"support_key", telnyx.PortoutListFilter{SupportKey: "PO_B"}, []string{"b"}},
		{"combined", telnyx.PortoutListFilter{CarrierName: "Lakeside Telecom", CountryCode: "GB"}, []string{"c"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			page, err := client.Portouts.List(t.Context(), &telnyx.PortoutListParams{Filter: tt.filter})
			require.NoError(t, err)
			assert.Equal(t, tt.want, ids(page.Data))
			assert.Equal(t, len(tt.want), page.Meta.TotalResults)
		})
	}
}

func TestPortoutGet(t *testing.T) {
	t.Parallel()
	srv := newServer(t, telnyxtest.WithClock(fixedClock(day("2025-05-01T10:00:00Z"), 0)))
	added := srv.AddPortout(telnyx.Portout{PhoneNumbers: []string{"+13125550142"}, EndUserName: "Brightwater LLC"})
	client := srv.Client()

	assert.NotEmpty(t, added.ID)
	assert.Equal(t, telnyx.PortoutStatusPending, added.Status)
	assert.Equal(t, "portout", added.RecordType)
	assert.Regexp(t, `^PO_\d{6}$`, added.SupportKey)
	assert.Equal(t, telnyxtest.DefaultUserID, added.UserID)
	assert.Equal(t, day("2025-05-01T10:00:00Z"), added.CreatedAt)

	got, err := client.Portouts.Get(t.Context(), added.ID)
	require.NoError(t, err)
	assert.Equal(t, added.ID, got.ID)
	assert.Equal(t, added.PhoneNumbers, got.PhoneNumbers)
	assert.True(t, added.CreatedAt.Equal(got.CreatedAt))
	assert.Equal(t, "Brightwater LLC", got.EndUserName)

	_, err = client.Portouts.Get(t.Context(), "no-such-id")
	e := apiError(t, err)
	assert.True(t, errors.Is(err, telnyx.ErrNotFound))
	assert.Equal(t, http.StatusNotFound, e.StatusCode)
	require.Len(t, e.Errors, 1)
	assert.Equal(t, "10005", e.Errors[0].Code)
	assert.Equal(t, "Resource not found", e.Errors[0].Title)
	assert.Contains(t, e.Errors[0].Detail, "no-such-id")
	assert.NotEmpty(t, e.RequestID, "the fake sets X-Request-Id")

	assert.Panics(t, func() { srv.AddPortout(telnyx.Portout{ID: added.ID}) }, "duplicate IDs are a test bug")
}

func TestRejectionCodes(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	p := srv.AddPortout(telnyx.Portout{})
	client := srv.Client()
	ctx := t.Context()

	codesOf := func(rc []telnyx.PortoutRejectionCode) []int {
		out := make([]int, len(rc))
		for i, c := range rc {
			out[i] = c.Code
		}
		return out
	}
	tests := []struct {
		name   string
		params *telnyx.PortoutRejectionCodeListParams
		want   []int
	}{
		{"all", nil, []int{1001, 1002, 1003, 1004, 1010, 1099}},
		{"one code", &telnyx.PortoutRejectionCodeListParams{Code: []int{1002}}, []int{1002}},
		{"several codes", &telnyx.PortoutRejectionCodeListParams{Code: []int{1002, 1010, 4242}}, []int{1002, 1010}},
		{"none eligible", &telnyx.PortoutRejectionCodeListParams{Code: []int{4242}}, []int{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := client.Portouts.ListRejectionCodes(ctx, p.ID, tt.params)
			require.NoError(t, err)
			assert.Equal(t, tt.want, codesOf(got))
		})
	}

	got, err := client.Portouts.ListRejectionCodes(ctx, p.ID, &telnyx.PortoutRejectionCodeListParams{Code: []int{1010}})
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.True(t, got[0].ReasonRequired)
	assert.NotEmpty(t, got[0].Description)

	require.NoError(t, srv.SetRejectionCodes(p.ID, telnyx.PortoutRejectionCode{Code: 7, Description: "Custom"}))
	got, err = client.Portouts.ListRejectionCodes(ctx, p.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, []telnyx.PortoutRejectionCode{{Code: 7, Description: "Custom"}}, got)

	_, err = client.Portouts.ListRejectionCodes(ctx, "nope", nil)
	assert.True(t, errors.Is(err, telnyx.ErrNotFound))

	status, _, body := raw(t, srv, http.MethodGet, "/portouts/rejections/"+p.ID+"?filter%5Bcode%5D=abc", "Bearer k", "", nil)
	assert.Equal(t, http.StatusUnprocessableEntity, status)
	assert.Equal(t, "filter[code]", errorBody(t, body).Source.Parameter)
}

func TestRejectionCodesOption(t *testing.T) {
	t.Parallel()
	srv := newServer(t, telnyxtest.WithRejectionCodes(telnyx.PortoutRejectionCode{Code: 5, Description: "Only", ReasonRequired: true}))
	p := srv.AddPortout(telnyx.Portout{})
	got, err := srv.Client().Portouts.ListRejectionCodes(t.Context(), p.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, []telnyx.PortoutRejectionCode{{Code: 5, Description: "Only", ReasonRequired: true}}, got)
}

func TestUpdateStatusThroughSDK(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		from        telnyx.PortoutStatus
		to          telnyx.PortoutStatus
		params      telnyx.PortoutUpdateStatusParams
		wantStatus  int // 0: success
		wantCode    string
		wantReason  string
		wantRejCode int
	}{
		{name: "authorize pending", from: "pending", to: "authorized", params: telnyx.PortoutUpdateStatusParams{HostMessaging: true}},
		{name: "reject pending with a reason", from: "pending", to: "rejected-pending",
			params: telnyx.PortoutUpdateStatusParams{Reason: "  Customer says they never asked  "}, wantReason: "Customer says they never asked", wantRejCode: 1010},
		{name: "reject without a reason", from: "pending", to: "rejected-pending", wantStatus: 422, wantCode: "10004"},
		{name: "authorize authorized", from: "authorized", to: "authorized", wantStatus: 422, wantCode: "10015"},
		{name: "reject ported", from: "ported", to: "rejected-pending", params: telnyx.PortoutUpdateStatusParams{Reason: "x"}, wantStatus: 422, wantCode: "10015"},
		{name: "authorize rejected-pending", from: "rejected-pending", to: "authorized", wantStatus: 422, wantCode: "10015"},
		{name: "authorize canceled", from: "canceled", to: "authorized", wantStatus: 422, wantCode: "10015"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t)
			p := srv.AddPortout(telnyx.Portout{Status: tt.from, PhoneNumbers: []string{"+13125550142"}, EndUserName: "Ada"})
			client := srv.Client()
			ctx := t.Context()

			got, err := client.Portouts.UpdateStatus(ctx, p.ID, tt.to, tt.params)
			events, lerr := client.Portouts.Events.List(ctx, nil)
			require.NoError(t, lerr)
			stored, _ := srv.Portout(p.ID)

			if tt.wantStatus != 0 {
				e := apiError(t, err)
				assert.Equal(t, tt.wantStatus, e.StatusCode)
				require.NotEmpty(t, e.Errors)
				assert.Equal(t, tt.wantCode, e.Errors[0].Code)
				assert.NotEmpty(t, e.Errors[0].Detail)
				assert.Equal(t, tt.from, stored.Status, "a refused change changes nothing")
				assert.Empty(t, events.Data, "a refused change records no event")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.to, got.Status)
			assert.Equal(t, tt.to, stored.Status)
			assert.Equal(t, tt.wantReason, got.Reason)
			assert.Equal(t, tt.wantRejCode, got.RejectionCode)
			assert.Equal(t, tt.params.HostMessaging, got.HostMessaging)
			require.Len(t, events.Data, 1)
			ev := events.Data[0]
			assert.Equal(t, telnyx.PortoutEventStatusChanged, ev.EventType)
			assert.Equal(t, p.ID, ev.PortoutID)
			payload, ok := ev.Payload.(*telnyx.PortoutStatusChangedPayload)
			require.True(t, ok, "payload %T", ev.Payload)
			assert.Equal(t, tt.to, payload.Status)
			assert.Equal(t, tt.wantReason, payload.RejectionReason)
			assert.Equal(t, []string{"+13125550142"}, payload.PhoneNumbers)
			assert.Equal(t, "Ada", payload.SubscriberName)
		})
	}
}

func TestUpdateStatusRaw(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		path        string // after /portouts/{id}
		contentType string
		body        string
		wantStatus  int
		wantCode    string
		wantPointer string
		wantRejCode int
	}{
		{name: "status outside the enum", path: "/ported", body: `{"reason":""}`, wantStatus: 422, wantCode: "10015"},
		{name: "reason missing", path: "/authorized", body: `{}`, wantStatus: 422, wantCode: "10004", wantPointer: "/reason"},
		{name: "reason null authorizes", path: "/authorized", body: `{"reason":null}`, wantStatus: 200},
		{name: "reason of the wrong type", path: "/authorized", body: `{"reason":5}`, wantStatus: 422, wantCode: "10015", wantPointer: "/reason"},
		{name: "not JSON", path: "/authorized", contentType: "text/plain", body: `reason=x`, wantStatus: 415, wantCode: "10014"},
		{name: "malformed JSON", path: "/authorized", body: `{"reason":`, wantStatus: 400, wantCode: "10015"},
		{name: "code without a required reason", path: "/rejected-pending", body: `{"reason":"","rejection_code":1002}`, wantStatus: 200, wantRejCode: 1002},
		{name: "code that needs a reason", path: "/rejected-pending", body: `{"reason":" ","rejection_code":1010}`, wantStatus: 422, wantCode: "10004", wantPointer: "/reason"},
		{name: "code with its reason", path: "/rejected-pending", body: `{"reason":"fraud","rejection_code":1010}`, wantStatus: 200, wantRejCode: 1010},
		{name: "code not eligible", path: "/rejected-pending", body: `{"reason":"x","rejection_code":4242}`, wantStatus: 422, wantCode: "10015", wantPointer: "/rejection_code"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t)
			p := srv.AddPortout(telnyx.Portout{})
			ct := tt.contentType
			if ct == "" {
				ct = "application/json"
			}
			status, _, body := raw(t, srv, http.MethodPatch, "/portouts/"+p.ID+tt.path, "Bearer k", ct, []byte(tt.body))
			require.Equal(t, tt.wantStatus, status, string(body))
			stored, _ := srv.Portout(p.ID)
			if status != 200 {
				e := errorBody(t, body)
				assert.Equal(t, tt.wantCode, e.Code)
				assert.Equal(t, tt.wantPointer, e.Source.Pointer)
				assert.Equal(t, telnyx.PortoutStatusPending, stored.Status)
				return
			}
			assert.Equal(t, tt.wantRejCode, stored.RejectionCode)
		})
	}
}

func TestUpdateStatusUnknownPortout(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	_, err := srv.Client().Portouts.UpdateStatus(t.Context(), "missing", telnyx.PortoutStatusAuthorized, telnyx.PortoutUpdateStatusParams{})
	assert.True(t, errors.Is(err, telnyx.ErrNotFound), "%v", err)
}

func TestUpdateStatusRefusedBySDK(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	p := srv.AddPortout(telnyx.Portout{})
	_, err := srv.Client().Portouts.UpdateStatus(t.Context(), p.ID, telnyx.PortoutStatusPorted, telnyx.PortoutUpdateStatusParams{})
	var ipe *telnyx.InvalidParamsError
	require.ErrorAs(t, err, &ipe)
	assert.Empty(t, srv.Requests(), "nothing is sent")
}

func TestSetStatus(t *testing.T) {
	t.Parallel()
	clock := fixedClock(day("2025-08-01T12:00:00Z"), time.Second)
	srv := newServer(t, telnyxtest.WithClock(clock))
	p := srv.AddPortout(telnyx.Portout{Status: telnyx.PortoutStatusAuthorized})
	client := srv.Client()
	ctx := t.Context()

	require.NoError(t, srv.SetStatus(p.ID, telnyx.PortoutStatusPorted))
	require.NoError(t, srv.SetStatus(p.ID, telnyx.PortoutStatusPorted), "setting the same status again")
	assert.Error(t, srv.SetStatus(p.ID, "lost"))
	assert.Error(t, srv.SetStatus("missing", telnyx.PortoutStatusPorted))

	events, err := client.Portouts.Events.List(ctx, nil)
	require.NoError(t, err)
	require.Len(t, events.Data, 1, "only a real change records an event")
	assert.Equal(t, telnyx.PortoutStatusPorted, events.Data[0].Payload.(*telnyx.PortoutStatusChangedPayload).Status)

	page, err := client.Portouts.List(ctx, &telnyx.PortoutListParams{Filter: telnyx.PortoutListFilter{
		PortedOutAt: telnyx.DateRange{Gte: day("2025-08-01T00:00:00Z"), Lte: day("2025-08-02T00:00:00Z")},
	}})
	require.NoError(t, err)
	assert.Equal(t, []string{p.ID}, ids(page.Data), "porting sets ported_out_at")
}

func TestSetFocDateAndCountry(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	p := srv.AddPortout(telnyx.Portout{PhoneNumbers: []string{"+13125550142"}})
	client := srv.Client()
	ctx := t.Context()
	foc := day("2025-09-04T00:00:00Z")

	require.NoError(t, srv.SetFocDate(p.ID, foc))
	assert.Error(t, srv.SetFocDate("missing", foc))
	got, err := client.Portouts.Get(ctx, p.ID)
	require.NoError(t, err)
	assert.True(t, foc.Equal(got.FocDate))

	events, err := client.Portouts.Events.List(ctx, &telnyx.PortoutEventListParams{Filter: telnyx.PortoutEventListFilter{EventType: telnyx.PortoutEventFocDateChanged}})
	require.NoError(t, err)
	require.Len(t, events.Data, 1)
	payload, ok := events.Data[0].Payload.(*telnyx.PortoutFocDateChangedPayload)
	require.True(t, ok)
	assert.True(t, foc.Equal(payload.FocDate))
	assert.Equal(t, p.ID, payload.ID)

	require.NoError(t, srv.SetCountryCode(p.ID, "pr"))
	page, err := client.Portouts.List(ctx, &telnyx.PortoutListParams{Filter: telnyx.PortoutListFilter{CountryCode: "PR"}})
	require.NoError(t, err)
	assert.Len(t, page.Data, 1, "SetCountryCode overrides the number's country")
	page, err = client.Portouts.List(ctx, &telnyx.PortoutListParams{Filter: telnyx.PortoutListFilter{CountryCode: "US"}})
	require.NoError(t, err)
	assert.Empty(t, page.Data)
	assert.Error(t, srv.SetCountryCode("missing", "US"))
	assert.Error(t, srv.SetCustomerReference("missing", "x"))
	assert.Error(t, srv.SetRejectionCodes("missing"))
}

func TestComments(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	p := srv.AddPortout(telnyx.Portout{})
	client := srv.Client()
	ctx := t.Context()

	support, err := srv.AddComment(p.ID, "Please confirm the PIN with the end user.")
	require.NoError(t, err)
	assert.Empty(t, support.UserID, "Telnyx-side comments have no user")
	_, err = srv.AddComment("missing", "x")
	assert.Error(t, err)

	c, err := client.Portouts.Comments.Create(ctx, p.ID, telnyx.PortoutCommentCreateParams{Body: "PIN confirmed."})
	require.NoError(t, err)
	assert.Equal(t, "PIN confirmed.", c.Body)
	assert.Equal(t, telnyxtest.DefaultUserID, c.UserID)
	assert.Equal(t, p.ID, c.PortoutID)
	assert.False(t, c.CreatedAt.IsZero())

	list, err := client.Portouts.Comments.List(ctx, p.ID)
	require.NoError(t, err)
	require.Len(t, list, 2)
	assert.Equal(t, []string{support.ID, c.ID}, []string{list[0].ID, list[1].ID})

	events, err := client.Portouts.Events.List(ctx, &telnyx.PortoutEventListParams{Filter: telnyx.PortoutEventListFilter{
		EventType: telnyx.PortoutEventNewComment, PortoutID: p.ID}})
	require.NoError(t, err)
	require.Len(t, events.Data, 2)
	payload := events.Data[1].Payload.(*telnyx.PortoutNewCommentPayload)
	assert.Equal(t, telnyx.PortoutNewCommentPayload{ID: c.ID, Comment: "PIN confirmed.", PortoutID: p.ID, UserID: telnyxtest.DefaultUserID}, *payload)

	_, err = client.Portouts.Comments.Create(ctx, "missing", telnyx.PortoutCommentCreateParams{Body: "x"})
	assert.True(t, errors.Is(err, telnyx.ErrNotFound))
	_, err = client.Portouts.Comments.List(ctx, "missing")
	assert.True(t, errors.Is(err, telnyx.ErrNotFound))

	status, body := rawJSON(t, srv, http.MethodPost, "/portouts/"+p.ID+"/comments", map[string]string{"body": "  "})
	assert.Equal(t, http.StatusUnprocessableEntity, status)
	assert.Equal(t, "/body", errorBody(t, body).Source.Pointer)
}

func TestRejectionCodeChosen(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		codes []telnyx.PortoutRejectionCode
		want  int
	}{
		{"first that needs a reason", []telnyx.PortoutRejectionCode{{Code: 1}, {Code: 2, ReasonRequired: true}, {Code: 3, ReasonRequired: true}}, 2},
		{"first when none needs a reason", []telnyx.PortoutRejectionCode{{Code: 4}, {Code: 5}}, 4},
		{"zero when none is eligible", nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t)
			p := srv.AddPortout(telnyx.Portout{})
			require.NoError(t, srv.SetRejectionCodes(p.ID, tt.codes...))
			got, err := srv.Client().Portouts.UpdateStatus(t.Context(), p.ID, telnyx.PortoutStatusRejectedPending,
				telnyx.PortoutUpdateStatusParams{Reason: "not ours"})
			require.NoError(t, err)
			assert.Equal(t, tt.want, got.RejectionCode)
		})
	}
}

func TestWithUserID(t *testing.T) {
	t.Parallel()
	srv := newServer(t, telnyxtest.WithUserID("org-1"))
	p := srv.AddPortout(telnyx.Portout{})
	assert.Equal(t, "org-1", p.UserID)
	c, err := srv.Client().Portouts.Comments.Create(t.Context(), p.ID, telnyx.PortoutCommentCreateParams{Body: "hi"})
	require.NoError(t, err)
	assert.Equal(t, "org-1", c.UserID)
	kept := srv.AddPortout(telnyx.Portout{UserID: "org-2"})
	assert.Equal(t, "org-2", kept.UserID)
}
