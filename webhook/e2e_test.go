package webhook_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	telnyx "github.com/a54710f5/telnyx-go"
	"github.com/a54710f5/telnyx-go/telnyxtest"
	"github.com/a54710f5/telnyx-go/webhook"
)

// collector is a webhook callback that keeps the events it is given.
type collector struct {
	mu     sync.Mutex
	events []*telnyx.PortoutEvent
	err    error // returned to the handler
}

func (c *collector) handle(_ context.Context, ev *telnyx.PortoutEvent) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.events = append(c.events, ev)
	return c.err
}

func (c *collector) got() []*telnyx.PortoutEvent {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]*telnyx.PortoutEvent(nil), c.events...)
}

// receive starts a server running the handler of a verifier for key, and
// points the fake's webhooks at it.
func receive(t *testing.T, fake *telnyxtest.Server, key string, c *collector, opts ...webhook.VerifierOption) {
	t.Helper()
	v, err := webhook.NewVerifier(key, opts...)
	require.NoError(t, err)
	srv := httptest.NewServer(v.Handler(c.handle))
	t.Cleanup(srv.Close) // runs after the fake's Close, registered later
	fake.SendWebhooksTo(srv.URL + "/webhooks/telnyx")
}

func TestEndToEndWithFake(t *testing.T) {
	t.Parallel()
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	fake := telnyxtest.NewServer(telnyxtest.WithClock(clock))
	c := &collector{}
	receive(t, fake, fake.WebhookPublicKey(), c, webhook.WithClock(clock))
	t.Cleanup(fake.Close)
	ctx := t.Context()
	client := fake.Client()

	p := fake.AddPortout(telnyx.Portout{
		CarrierName:  "Testing Carrier",
		SPID:         "987H",
		EndUserName:  "John Doe",
		PhoneNumbers: []string{"+35312345678"},
	})
	require.NoError(t, fake.SetStatus(p.ID, telnyx.PortoutStatusAuthorized))
	_, err := client.Portouts.Comments.Create(ctx, p.ID, telnyx.PortoutCommentCreateParams{Body: "This is a comment."})
	require.NoError(t, err)
	foc := time.Date(2025, 6, 10, 0, 0, 0, 0, time.UTC)
	require.NoError(t, fake.SetFocDate(p.ID, foc))

	got := c.got()
	require.Len(t, got, 3)
	for _, d := range fake.WebhookDeliveries() {
		assert.NoError(t, d.Err)
		assert.Equal(t, http.StatusOK, d.StatusCode, "delivery of %s", d.EventType)
	}

	status, ok := got[0].Payload.(*telnyx.PortoutStatusChangedPayload)
	require.True(t, ok, "first payload is %T", got[0].Payload)
	assert.Equal(t, telnyx.PortoutEventStatusChanged, got[0].EventType)
	assert.Equal(t, p.ID, got[0].PortoutID)
	assert.Equal(t, p.ID, status.ID)
	assert.Equal(t, telnyx.PortoutStatusAuthorized, status.Status)
	assert.Equal(t, "Testing Carrier", status.CarrierName)
	assert.Equal(t, "987H", status.SPID)
	assert.Equal(t, "John Doe", status.SubscriberName)
	assert.Equal(t, []string{"+35312345678"}, status.PhoneNumbers)

	comment, ok := got[1].Payload.(*telnyx.PortoutNewCommentPayload)
	require.True(t, ok, "second payload is %T", got[1].Payload)
	assert.Equal(t, "This is a comment.", comment.Comment)
	assert.Equal(t, p.ID, comment.PortoutID)

	focPayload, ok := got[2].Payload.(*telnyx.PortoutFocDateChangedPayload)
	require.True(t, ok, "third payload is %T", got[2].Payload)
	assert.True(t, foc.Equal(focPayload.FocDate), "FOC date %v", focPayload.FocDate)

	// What the webhook carried is what the events API returns.
	for _, ev := range got {
		listed, err := client.Portouts.Events.Get(ctx, ev.ID)
		require.NoError(t, err)
		assert.Equal(t, listed, ev)
	}

	// A republished event arrives again and verifies too.
	require.NoError(t, client.Portouts.Events.Republish(ctx, got[0].ID))
	again := c.got()
	require.Len(t, again, 4)
	assert.Equal(t, got[0], again[3])
}

func TestEndToEndWithFakeRejections(t *testing.T) {
	t.Parallel()
	otherPub, _, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

	tests := []struct {
		name       string
		key        func(fake *telnyxtest.Server) string
		verifierAt time.Time
		fnErr      error
		wantStatus int
		wantCalls  int
	}{
		{name: "another account's key", key: func(*telnyxtest.Server) string { return base64.StdEncoding.EncodeToString(otherPub) },
			verifierAt: now, wantStatus: http.StatusUnauthorized},
		{name: "receiver clock 10 minutes ahead", key: (*telnyxtest.Server).WebhookPublicKey,
			verifierAt: now.Add(10 * time.Minute), wantStatus: http.StatusUnauthorized},
		{name: "callback fails", key: (*telnyxtest.Server).WebhookPublicKey,
			verifierAt: now, fnErr: errors.New("database down"), wantStatus: http.StatusInternalServerError, wantCalls: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fake := telnyxtest.NewServer(telnyxtest.WithClock(func() time.Time { return now }))
			c := &collector{err: tc.fnErr}
			receive(t, fake, tc.key(fake), c, webhook.WithClock(func() time.Time { return tc.verifierAt }))
			t.Cleanup(fake.Close)

			p := fake.AddPortout(telnyx.Portout{})
			require.NoError(t, fake.SetStatus(p.ID, telnyx.PortoutStatusAuthorized))

			deliveries := fake.WebhookDeliveries()
			require.Len(t, deliveries, 1)
			assert.NoError(t, deliveries[0].Err)
			assert.Equal(t, tc.wantStatus, deliveries[0].StatusCode)
			assert.Len(t, c.got(), tc.wantCalls)
		})
	}
}
