package webhook

import (
	"encoding/json"
	"errors"
	"net/http"
	"testing"
	"time"

	telnyx "github.com/a54710f5/telnyx-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The event bodies below follow the examples of the WebhookPortout* schemas
// in openapi/portouts.yml. Where the spec repeats one example value for two
// fields (payload id and user_id), one is changed so that a swapped field
// would be caught.
const (
	statusChangedJSON = `{
		"id": "eef3340b-8903-4466-b445-89b697315a3a",
		"event_type": "portout.status_changed",
		"portout_id": "9471c873-e3eb-4ca1-957d-f9a451334d52",
		"payload_status": "created",
		"available_notification_methods": ["email", "webhook"],
		"record_type": "portout_event",
		"created_at": "2021-03-19T10:07:15.527000Z",
		"updated_at": "2021-03-19T10:08:16.000000Z",
		"payload": {
			"attempted_pin": "1234",
			"carrier_name": "Testing Carrier",
			"id": "96dfa9e4-c753-4fd3-97cd-42d66f26cf0c",
			"phone_numbers": ["+35312345678"],
			"rejection_reason": null,
			"spid": "987H",
			"status": "authorized",
			"subscriber_name": "John Doe",
			"user_id": "0e19c89e-f0ce-458a-a36c-3c60bc2014b1"
		}
	}`
	newCommentJSON = `{
		"id": "eef3340b-8903-4466-b445-89b697315a3a",
		"event_type": "portout.new_comment",
		"portout_id": "9471c873-e3eb-4ca1-957d-f9a451334d52",
		"payload_status": "completed",
		"available_notification_methods": ["webhook"],
		"record_type": "portout_event",
		"created_at": "2021-03-19T10:07:15.527000Z",
		"updated_at": "2021-03-19T10:08:16.000000Z",
		"payload": {
			"comment": "This is a comment.",
			"id": "96dfa9e4-c753-4fd3-97cd-42d66f26cf0c",
			"portout_id": "d26109e5-0605-4671-a235-d3c649cc8406",
			"user_id": "1c45c968-c2e0-4559-b1dd-db073962fc61"
		}
	}`
	focDateChangedJSON = `{
		"id": "eef3340b-8903-4466-b445-89b697315a3a",
		"event_type": "portout.foc_date_changed",
		"portout_id": "9471c873-e3eb-4ca1-957d-f9a451334d52",
		"payload_status": "created",
		"available_notification_methods": ["email"],
		"record_type": "portout_event",
		"created_at": "2021-03-19T10:07:15.527000Z",
		"updated_at": "2021-03-19T10:08:16.000000Z",
		"payload": {
			"foc_date": "2021-03-19T10:07:15.527Z",
			"id": "96dfa9e4-c753-4fd3-97cd-42d66f26cf0c",
			"user_id": "0e19c89e-f0ce-458a-a36c-3c60bc2014b1"
		}
	}`
	unknownJSON = `{
		"id": "eef3340b-8903-4466-b445-89b697315a3a",
		"event_type": "portout.something_new",
		"portout_id": "9471c873-e3eb-4ca1-957d-f9a451334d52",
		"record_type": "portout_event",
		"payload": {"answer": 42, "nested": {"list": [1, "two", null]}}
	}`
)

// envelope wraps an event the way Telnyx wraps webhook deliveries.
func envelope(event string) string {
	return `{"data": ` + event + `, "meta": {"attempt": 1, "delivered_to": "https://example.com/webhooks"}}`
}

var (
	created   = time.Date(2021, 3, 19, 10, 7, 15, 527000000, time.UTC)
	updated   = time.Date(2021, 3, 19, 10, 8, 16, 0, time.UTC)
	baseEvent = telnyx.PortoutEvent{
		ID:            "eef3340b-8903-4466-b445-89b697315a3a",
		PortoutID:     "9471c873-e3eb-4ca1-957d-f9a451334d52",
		PayloadStatus: "created",
		RecordType:    "portout_event",
		CreatedAt:     created,
		UpdatedAt:     updated,
	}
)

func wantStatusChanged() *telnyx.PortoutEvent {
	e := baseEvent
	e.EventType = telnyx.PortoutEventStatusChanged
	e.AvailableNotificationMethods = []telnyx.NotificationMethod{telnyx.NotificationMethodEmail, telnyx.NotificationMethodWebhook}
	e.Payload = &telnyx.PortoutStatusChangedPayload{
		ID:             "96dfa9e4-c753-4fd3-97cd-42d66f26cf0c",
		AttemptedPin:   "1234",
		CarrierName:    "Testing Carrier",
		PhoneNumbers:   []string{"+35312345678"},
		SPID:           "987H",
		Status:         telnyx.PortoutStatusAuthorized,
		SubscriberName: "John Doe",
		UserID:         "0e19c89e-f0ce-458a-a36c-3c60bc2014b1",
	}
	return &e
}

func wantNewComment() *telnyx.PortoutEvent {
	e := baseEvent
	e.EventType = telnyx.PortoutEventNewComment
	e.PayloadStatus = "completed"
	e.AvailableNotificationMethods = []telnyx.NotificationMethod{telnyx.NotificationMethodWebhook}
	e.Payload = &telnyx.PortoutNewCommentPayload{
		ID:        "96dfa9e4-c753-4fd3-97cd-42d66f26cf0c",
		Comment:   "This is a comment.",
		PortoutID: "d26109e5-0605-4671-a235-d3c649cc8406",
		UserID:    "1c45c968-c2e0-4559-b1dd-db073962fc61",
	}
	return &e
}

func wantFocDateChanged() *telnyx.PortoutEvent {
	e := baseEvent
	e.EventType = telnyx.PortoutEventFocDateChanged
	e.AvailableNotificationMethods = []telnyx.NotificationMethod{telnyx.NotificationMethodEmail}
	e.Payload = &telnyx.PortoutFocDateChangedPayload{
		ID:      "96dfa9e4-c753-4fd3-97cd-42d66f26cf0c",
		FocDate: created,
		UserID:  "0e19c89e-f0ce-458a-a36c-3c60bc2014b1",
	}
	return &e
}

func TestParseEvent(t *testing.T) {
	t.Parallel()
	rejected := wantStatusChanged()
	rejectedPayload := *rejected.Payload.(*telnyx.PortoutStatusChangedPayload)
	rejectedPayload.Status = telnyx.PortoutStatusRejected
	rejectedPayload.RejectionReason = "Wrong PIN"
	rejected.Payload = &rejectedPayload

	noPayload := baseEvent
	noPayload.EventType = telnyx.PortoutEventNewComment
	noPayload.PayloadStatus = ""
	noPayload.RecordType = ""
	noPayload.CreatedAt, noPayload.UpdatedAt = time.Time{}, time.Time{}
	noPayload.Payload = &telnyx.PortoutNewCommentPayload{}

	tests := []struct {
		name string
		body string
		want *telnyx.PortoutEvent
	}{
		{name: "status changed flat", body: statusChangedJSON, want: wantStatusChanged()},
		{name: "status changed envelope", body: envelope(statusChangedJSON), want: wantStatusChanged()},
		{name: "new comment flat", body: newCommentJSON, want: wantNewComment()},
		{name: "new comment envelope", body: envelope(newCommentJSON), want: wantNewComment()},
		{name: "FOC date changed flat", body: focDateChangedJSON, want: wantFocDateChanged()},
		{name: "FOC date changed envelope", body: envelope(focDateChangedJSON), want: wantFocDateChanged()},
		{name: "envelope with data last", body: `{"meta": {"attempt": 2}, "data": ` + newCommentJSON + `}`, want: wantNewComment()},
		{name: "envelope without meta", body: `{"data": ` + newCommentJSON + `}`, want: wantNewComment()},
		{name: "rejection reason", body: `{
			"id": "eef3340b-8903-4466-b445-89b697315a3a",
			"event_type": "portout.status_changed",
			"portout_id": "9471c873-e3eb-4ca1-957d-f9a451334d52",
			"payload_status": "created",
			"available_notification_methods": ["email", "webhook"],
			"record_type": "portout_event",
			"created_at": "2021-03-19T10:07:15.527000Z",
			"updated_at": "2021-03-19T10:08:16.000000Z",
			"unknown_top_level_field": true,
			"payload": {
				"attempted_pin": "1234", "carrier_name": "Testing Carrier",
				"id": "96dfa9e4-c753-4fd3-97cd-42d66f26cf0c", "phone_numbers": ["+35312345678"],
				"rejection_reason": "Wrong PIN", "spid": "987H", "status": "rejected",
				"subscriber_name": "John Doe", "user_id": "0e19c89e-f0ce-458a-a36c-3c60bc2014b1",
				"unknown_payload_field": 1
			}
		}`, want: rejected},
		{name: "known type without payload", body: `{"id": "eef3340b-8903-4466-b445-89b697315a3a",
			"event_type": "portout.new_comment", "portout_id": "9471c873-e3eb-4ca1-957d-f9a451334d52"}`, want: &noPayload},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			v := newTestVerifier(t, pubKey(fixedKey))
			body := []byte(tc.body)
			got, err := v.ParseEvent(body, signedHeader(fixedKey, testNow, body))
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
			assert.True(t, tc.want.CreatedAt.Equal(got.CreatedAt))
		})
	}
}

func TestParseEventUnknownType(t *testing.T) {
	t.Parallel()
	wantRaw := `{"answer": 42, "nested": {"list": [1, "two", null]}}`
	tests := []struct {
		name    string
		body    string
		wantRaw string
	}{
		{name: "flat", body: unknownJSON, wantRaw: wantRaw},
		{name: "envelope", body: envelope(unknownJSON), wantRaw: wantRaw},
		{name: "no payload", body: `{"event_type": "portout.other"}`, wantRaw: ""},
		{name: "null payload", body: `{"event_type": "portout.other", "payload": null}`, wantRaw: ""},
		{name: "non-object payload", body: `{"event_type": "portout.other", "payload": [1, 2]}`, wantRaw: "[1, 2]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			v := newTestVerifier(t, pubKey(fixedKey))
			body := []byte(tc.body)
			got, err := v.ParseEvent(body, signedHeader(fixedKey, testNow, body))
			require.NoError(t, err)
			assert.NotEmpty(t, got.EventType)
			p, ok := got.Payload.(*telnyx.UnknownPortoutEventPayload)
			require.True(t, ok, "payload is %T", got.Payload)
			if tc.wantRaw == "" {
				assert.Empty(t, p.Raw)
			} else {
				assert.JSONEq(t, tc.wantRaw, string(p.Raw))
			}
		})
	}

	t.Run("fields", func(t *testing.T) {
		t.Parallel()
		v := newTestVerifier(t, pubKey(fixedKey))
		body := []byte(unknownJSON)
		got, err := v.ParseEvent(body, signedHeader(fixedKey, testNow, body))
		require.NoError(t, err)
		assert.Equal(t, telnyx.PortoutEventType("portout.something_new"), got.EventType)
		assert.Equal(t, "eef3340b-8903-4466-b445-89b697315a3a", got.ID)
		assert.Equal(t, "9471c873-e3eb-4ca1-957d-f9a451334d52", got.PortoutID)
	})
}

func TestParseEventMalformedBody(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		body string
	}{
		{name: "empty", body: ""},
		{name: "not JSON", body: "event_type=portout.new_comment"},
		{name: "null", body: "null"},
		{name: "array", body: `[` + newCommentJSON + `]`},
		{name: "string", body: `"portout.new_comment"`},
		{name: "empty object", body: `{}`},
		{name: "only meta", body: `{"meta": {"attempt": 1}}`},
		{name: "data not an object", body: `{"data": "portout.new_comment"}`},
		{name: "data null", body: `{"data": null}`},
		{name: "data array", body: `{"data": [` + newCommentJSON + `]}`},
		{name: "data without event_type", body: `{"data": {"id": "x", "payload": {}}}`},
		{name: "event_type null", body: `{"event_type": null, "payload": {}}`},
		{name: "event_type empty", body: `{"event_type": "", "payload": {}}`},
		{name: "event_type not a string", body: `{"event_type": 7}`},
		{name: "payload of the wrong shape", body: `{"event_type": "portout.status_changed", "payload": {"phone_numbers": "+35312345678"}}`},
		{name: "payload not an object", body: `{"event_type": "portout.new_comment", "payload": "hi"}`},
		{name: "bad created_at", body: `{"event_type": "portout.new_comment", "created_at": "last tuesday"}`},
		{name: "bad foc_date", body: `{"event_type": "portout.foc_date_changed", "payload": {"foc_date": "soon"}}`},
		{name: "trailing data", body: newCommentJSON + `{}`},
		{name: "truncated", body: newCommentJSON[:len(newCommentJSON)-2]},
		{name: "envelope with bad event", body: `{"data": {"event_type": "portout.new_comment", "payload": {"comment": 5}}}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			v := newTestVerifier(t, pubKey(fixedKey))
			body := []byte(tc.body)
			got, err := v.ParseEvent(body, signedHeader(fixedKey, testNow, body))
			require.Error(t, err)
			assert.Nil(t, got)
			assert.ErrorIs(t, err, ErrMalformedBody)
			assert.NotErrorIs(t, err, ErrInvalidSignature)
		})
	}

	t.Run("JSON error is reachable", func(t *testing.T) {
		t.Parallel()
		_, err := decodeEvent([]byte(`{"event_type": "portout.new_comment", "payload": {"comment": 5}}`))
		var typeErr *json.UnmarshalTypeError
		assert.True(t, errors.As(err, &typeErr), "%v", err)
	})
}

func TestParseEventVerifiesFirst(t *testing.T) {
	t.Parallel()
	_, otherKey := newKey(t)
	tests := []struct {
		name   string
		body   string
		header func(body []byte) http.Header
		want   error
	}{
		{name: "valid event, wrong key", body: newCommentJSON,
			header: func(b []byte) http.Header { return signedHeader(otherKey, testNow, b) }, want: ErrInvalidSignature},
		{name: "malformed body, wrong key", body: `not json`,
			header: func(b []byte) http.Header { return signedHeader(otherKey, testNow, b) }, want: ErrInvalidSignature},
		{name: "valid event, no headers", body: newCommentJSON,
			header: func([]byte) http.Header { return nil }, want: ErrMissingHeader},
		{name: "valid event, stale", body: newCommentJSON,
			header: func(b []byte) http.Header { return signedHeader(fixedKey, testNow.Add(-time.Hour), b) }, want: ErrTimestampOutOfTolerance},
		{name: "valid event, malformed timestamp", body: newCommentJSON,
			header: func(b []byte) http.Header {
				h := signedHeader(fixedKey, testNow, b)
				h.Set(TimestampHeader, "now")
				return h
			}, want: ErrMalformedHeader},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			v := newTestVerifier(t, pubKey(fixedKey))
			body := []byte(tc.body)
			got, err := v.ParseEvent(body, tc.header(body))
			assert.Nil(t, got)
			assert.ErrorIs(t, err, tc.want)
			assert.NotErrorIs(t, err, ErrMalformedBody)
		})
	}
}
