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

func TestParseEvent(t *testing.T) {
	t.Parallel()
	rejected := wantStatusChanged()
	rejectedPayload := *rejected.Payload.(*telnyx.PortoutStatusChangedPayload)
	rejectedPayload.Status = telnyx.PortoutStatusRejected
	rejectedPayload.RejectionReason = "Wrong PIN"
	// Members the SDK does not name are kept, verbatim, in Extra.
	rejectedPayload.Extra = map[string]json.RawMessage{"unknown_payload_field": json.RawMessage(`1`)}
	rejected.Payload = &rejectedPayload
	rejected.Extra = map[string]json.RawMessage{"unknown_top_level_field": json.RawMessage(`true`)}

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
