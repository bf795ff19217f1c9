package webhook

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strconv"
	"testing"
	"time"

	telnyx "github.com/a54710f5/telnyx-go"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

// TestMain fails the package's tests when a goroutine outlives them.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// testNow is the injected clock of most tests: a whole second, so that
// tolerance boundaries fall exactly on signed timestamps.
var testNow = time.Unix(1700000000, 0)

// fixedKey is derived from a constant seed so that committed fuzz corpus
// files carrying real signatures stay valid. It is a test key only.
var fixedKey = func() ed25519.PrivateKey {
	seed := sha256.Sum256([]byte("telnyx-go webhook test key"))
	return ed25519.NewKeyFromSeed(seed[:])
}()

func newKey(t testing.TB) (string, ed25519.PrivateKey) {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	return base64.StdEncoding.EncodeToString(pub), priv
}

func pubKey(priv ed25519.PrivateKey) string {
	return base64.StdEncoding.EncodeToString(priv.Public().(ed25519.PublicKey))
}

// sign returns the base64 signature Telnyx would send for ts and body.
func sign(priv ed25519.PrivateKey, ts string, body []byte) string {
	msg := append([]byte(ts+"|"), body...)
	return base64.StdEncoding.EncodeToString(ed25519.Sign(priv, msg))
}

// signedHeader returns the headers of a delivery signed at ts.
func signedHeader(priv ed25519.PrivateKey, ts time.Time, body []byte) http.Header {
	s := strconv.FormatInt(ts.Unix(), 10)
	h := http.Header{}
	h.Set(TimestampHeader, s)
	h.Set(SignatureHeader, sign(priv, s, body))
	return h
}

func newTestVerifier(t testing.TB, pub string, opts ...VerifierOption) *Verifier {
	t.Helper()
	v, err := NewVerifier(pub, append([]VerifierOption{WithClock(func() time.Time { return testNow })}, opts...)...)
	require.NoError(t, err)
	return v
}

// padTo returns event with white space appended so that it is n bytes long.
func padTo(event string, n int) []byte {
	return append([]byte(event), bytes.Repeat([]byte(" "), n-len(event))...)
}

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
