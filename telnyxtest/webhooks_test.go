package telnyxtest_test

import (
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	telnyx "github.com/a54710f5/telnyx-go"
	"github.com/a54710f5/telnyx-go/telnyxtest"
	"github.com/a54710f5/telnyx-go/webhook"
)

func TestWebhookSignatures(t *testing.T) {
	t.Parallel()
	now := day("2025-06-01T12:00:00Z")
	srv := newServer(t, telnyxtest.WithClock(func() time.Time { return now }))
	rc := newReceiver(t, http.StatusOK)
	srv.SendWebhooksTo(rc.url)
	p := srv.AddPortout(telnyx.Portout{PhoneNumbers: []string{"+13125550142"}, EndUserName: "Ada"})
	client := srv.Client()
	ctx := t.Context()

	_, err := client.Portouts.UpdateStatus(ctx, p.ID, telnyx.PortoutStatusAuthorized, telnyx.PortoutUpdateStatusParams{})
	require.NoError(t, err)
	got := rc.deliveries()
	require.Len(t, got, 1, "delivered before the API call returned")

	d := got[0]
	ts := d.header.Get("telnyx-timestamp")
	assert.Equal(t, strconv.FormatInt(now.Unix(), 10), ts, "the timestamp comes from the server's clock")
	sig, err := base64.StdEncoding.DecodeString(d.header.Get("telnyx-signature-ed25519"))
	require.NoError(t, err)
	key, err := base64.StdEncoding.DecodeString(srv.WebhookPublicKey())
	require.NoError(t, err)
	require.Len(t, key, ed25519.PublicKeySize)
	assert.True(t, ed25519.Verify(key, []byte(ts+"|"+string(d.body)), sig), "signature over timestamp|body")
	assert.False(t, ed25519.Verify(key, []byte(ts+"|"+string(d.body)+" "), sig), "a changed body fails")
	assert.Equal(t, "application/json", d.header.Get("Content-Type"))

	var env struct {
		Data telnyx.PortoutEvent `json:"data"`
		Meta struct {
			Attempt     int    `json:"attempt"`
			DeliveredTo string `json:"delivered_to"`
		} `json:"meta"`
	}
	require.NoError(t, json.Unmarshal(d.body, &env))
	assert.Equal(t, telnyx.PortoutEventStatusChanged, env.Data.EventType)
	assert.Equal(t, p.ID, env.Data.PortoutID)
	assert.Equal(t, 1, env.Meta.Attempt)
	assert.Equal(t, rc.url, env.Meta.DeliveredTo)

	v, err := webhook.NewVerifier(srv.WebhookPublicKey(), webhook.WithClock(func() time.Time { return now }))
	require.NoError(t, err)
	ev, err := v.ParseEvent(d.body, d.header)
	require.NoError(t, err, "the SDK's webhook package accepts the fake's deliveries")
	payload, ok := ev.Payload.(*telnyx.PortoutStatusChangedPayload)
	require.True(t, ok)
	assert.Equal(t, telnyx.PortoutStatusAuthorized, payload.Status)
	assert.Equal(t, "Ada", payload.SubscriberName)
}

func TestWebhookEventsAndRepublish(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	rc := newReceiver(t, http.StatusOK)
	p := srv.AddPortout(telnyx.Portout{})
	client := srv.Client()
	ctx := t.Context()

	require.NoError(t, srv.SetStatus(p.ID, telnyx.PortoutStatusAuthorized))
	assert.Empty(t, srv.WebhookDeliveries(), "nothing is sent before SendWebhooksTo")

	srv.SendWebhooksTo(rc.url)
	_, err := client.Portouts.Comments.Create(ctx, p.ID, telnyx.PortoutCommentCreateParams{Body: "hello"})
	require.NoError(t, err)
	require.NoError(t, srv.SetFocDate(p.ID, day("2025-07-01T00:00:00Z")))
	_, err = srv.AddComment(p.ID, "from support")
	require.NoError(t, err)

	events, err := client.Portouts.Events.List(ctx, nil)
	require.NoError(t, err)
	require.Len(t, events.Data, 4)
	require.NoError(t, client.Portouts.Events.Republish(ctx, events.Data[0].ID), "republish an event sent before the URL was set")

	v, err := webhook.NewVerifier(srv.WebhookPublicKey())
	require.NoError(t, err)
	var types []telnyx.PortoutEventType
	var eventIDs []string
	for _, d := range rc.deliveries() {
		ev, err := v.ParseEvent(d.body, d.header)
		require.NoError(t, err)
		types = append(types, ev.EventType)
		eventIDs = append(eventIDs, ev.ID)
	}
	assert.Equal(t, []telnyx.PortoutEventType{
		telnyx.PortoutEventNewComment, telnyx.PortoutEventFocDateChanged, telnyx.PortoutEventNewComment, telnyx.PortoutEventStatusChanged,
	}, types)
	assert.Equal(t, events.Data[0].ID, eventIDs[3])

	log := srv.WebhookDeliveries()
	require.Len(t, log, 4)
	for _, d := range log {
		assert.Equal(t, http.StatusOK, d.StatusCode)
		assert.NoError(t, d.Err)
		assert.Equal(t, rc.url, d.URL)
	}

	srv.SendWebhooksTo("")
	require.NoError(t, srv.SetStatus(p.ID, telnyx.PortoutStatusPorted))
	assert.Len(t, rc.deliveries(), 4, "no deliveries after SendWebhooksTo(\"\")")
}

func TestWebhookFailuresRecorded(t *testing.T) {
	t.Parallel()
	srv := newServer(t, telnyxtest.WithWebhookTimeout(2*time.Second))
	p := srv.AddPortout(telnyx.Portout{})

	failing := newReceiver(t, http.StatusInternalServerError)
	srv.SendWebhooksTo(failing.url)
	require.NoError(t, srv.SetStatus(p.ID, telnyx.PortoutStatusAuthorized))

	gone := httptest.NewServer(http.NotFoundHandler())
	goneURL := gone.URL
	gone.Close()
	srv.SendWebhooksTo(goneURL)
	require.NoError(t, srv.SetStatus(p.ID, telnyx.PortoutStatusPorted))

	log := srv.WebhookDeliveries()
	require.Len(t, log, 2)
	assert.Equal(t, http.StatusInternalServerError, log[0].StatusCode)
	assert.NoError(t, log[0].Err)
	assert.Len(t, failing.deliveries(), 1, "a failed delivery is not retried")
	assert.Equal(t, 0, log[1].StatusCode)
	assert.Error(t, log[1].Err)
	assert.Equal(t, telnyx.PortoutEventStatusChanged, log[1].EventType)
}

func TestWebhookReceiverMayCallTheFake(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	client := srv.Client()
	p := srv.AddPortout(telnyx.Portout{})
	var seen telnyx.PortoutStatus
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, err := client.Portouts.Get(r.Context(), p.ID)
		if err == nil {
			seen = got.Status
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(ts.Close)
	srv.SendWebhooksTo(ts.URL)
	_, err := client.Portouts.UpdateStatus(t.Context(), p.ID, telnyx.PortoutStatusAuthorized, telnyx.PortoutUpdateStatusParams{})
	require.NoError(t, err)
	assert.Equal(t, telnyx.PortoutStatusAuthorized, seen, "the receiver saw the new state, and nothing deadlocked")
}

func TestWebhookFixedKey(t *testing.T) {
	t.Parallel()
	priv := webhookTestKey()
	srv := newServer(t, telnyxtest.WithWebhookKey(priv))
	want := base64.StdEncoding.EncodeToString(priv.Public().(ed25519.PublicKey))
	assert.Equal(t, want, srv.WebhookPublicKey())
	other := newServer(t)
	assert.NotEqual(t, srv.WebhookPublicKey(), other.WebhookPublicKey(), "keys are generated per server")
}
