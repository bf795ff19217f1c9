package telnyxtest_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	telnyx "github.com/a54710f5/telnyx-go"
	"github.com/a54710f5/telnyx-go/telnyxtest"
	"github.com/a54710f5/telnyx-go/webhook"
)

const signedEvent = `{"data":{"id":"e1","event_type":"portout.status_changed","portout_id":"p1",` +
	`"payload":{"id":"p1","status":"authorized"}},"meta":{"attempt":1}}`

// verifierAt returns a webhook.Verifier for key whose clock reads now.
func verifierAt(t *testing.T, key string, now time.Time) *webhook.Verifier {
	t.Helper()
	v, err := webhook.NewVerifier(key, webhook.WithClock(func() time.Time { return now }))
	require.NoError(t, err)
	return v
}

func TestWebhookSigner(t *testing.T) {
	t.Parallel()
	signer := telnyxtest.NewWebhookSigner()
	at := day("2025-06-01T12:00:00Z")
	body := []byte(signedEvent)
	h := signer.Sign(body, at)
	v := verifierAt(t, signer.PublicKey(), at.Add(time.Minute))

	assert.Equal(t, strconv.FormatInt(at.Unix(), 10), h.Get("telnyx-timestamp"))
	assert.NotEmpty(t, h.Get("telnyx-signature-ed25519"))
	assert.Len(t, h, 2, "only the two signature headers")
	require.NoError(t, v.Verify(body, h), "webhook.NewVerifier accepts the signer's deliveries")

	ev, err := v.ParseEvent(body, h)
	require.NoError(t, err)
	assert.Equal(t, telnyx.PortoutEventStatusChanged, ev.EventType)

	t.Run("tampered body", func(t *testing.T) {
		t.Parallel()
		tampered := []byte(strings.Replace(signedEvent, "authorized", "canceled", 1))
		assert.ErrorIs(t, v.Verify(tampered, h), webhook.ErrInvalidSignature)
		assert.ErrorIs(t, v.Verify(append([]byte(signedEvent), ' '), h), webhook.ErrInvalidSignature)
	})
	t.Run("another signer's key", func(t *testing.T) {
		t.Parallel()
		other := telnyxtest.NewWebhookSigner()
		assert.NotEqual(t, signer.PublicKey(), other.PublicKey(), "each signer has its own key")
		assert.ErrorIs(t, v.Verify(body, other.Sign(body, at)), webhook.ErrInvalidSignature)
	})
	t.Run("the timestamp is signed too", func(t *testing.T) {
		t.Parallel()
		moved := signer.Sign(body, at)
		moved.Set("Telnyx-Timestamp", strconv.FormatInt(at.Unix()+1, 10))
		assert.ErrorIs(t, v.Verify(body, moved), webhook.ErrInvalidSignature)
	})
	t.Run("outside the tolerance", func(t *testing.T) {
		t.Parallel()
		assert.ErrorIs(t, v.Verify(body, signer.Sign(body, at.Add(-time.Hour))), webhook.ErrTimestampOutOfTolerance)
	})
	t.Run("each call returns its own header", func(t *testing.T) {
		t.Parallel()
		a, b := signer.Sign(body, at), signer.Sign(body, at)
		assert.Equal(t, a, b, "Ed25519 signatures are deterministic")
		a.Set("Telnyx-Timestamp", "0")
		assert.NotEqual(t, a, b)
	})
	t.Run("through a webhook handler", func(t *testing.T) {
		t.Parallel()
		var got *telnyx.PortoutEvent
		handler := v.Handler(func(_ context.Context, ev *telnyx.PortoutEvent) error {
			got = ev
			return nil
		})
		req := httptest.NewRequestWithContext(t.Context(), http.MethodPost, "/hooks", strings.NewReader(signedEvent))
		for k, vs := range signer.Sign(body, at) {
			req.Header[k] = vs
		}
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, req)
		assert.Equal(t, http.StatusOK, rec.Code)
		require.NotNil(t, got)
		assert.Equal(t, "p1", got.PortoutID)
	})
}

func TestWebhookSignerConcurrent(t *testing.T) {
	t.Parallel()
	signer := telnyxtest.NewWebhookSigner()
	at := day("2025-06-01T12:00:00Z")
	v := verifierAt(t, signer.PublicKey(), at)
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body := []byte(strconv.Itoa(i))
			errs <- v.Verify(body, signer.Sign(body, at))
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		assert.NoError(t, err)
	}
}

func TestWebhookSignerZeroValuePanics(t *testing.T) {
	t.Parallel()
	const msg = "telnyxtest: WebhookSigner not created by NewWebhookSigner"
	var zero telnyxtest.WebhookSigner
	assert.PanicsWithValue(t, msg, func() { zero.Sign(nil, time.Now()) })
	assert.PanicsWithValue(t, msg, func() { _ = zero.PublicKey() })
	var nilSigner *telnyxtest.WebhookSigner
	assert.PanicsWithValue(t, msg, func() { nilSigner.Sign(nil, time.Now()) })
}

func TestServerSignWebhook(t *testing.T) {
	t.Parallel()
	now := day("2025-06-01T12:00:00Z")
	srv := newServer(t, telnyxtest.WithClock(func() time.Time { return now }))
	v := verifierAt(t, srv.WebhookPublicKey(), now)
	body := []byte(signedEvent)

	h := srv.SignWebhook(body)
	assert.Equal(t, strconv.FormatInt(now.Unix(), 10), h.Get("Telnyx-Timestamp"), "signed at the server's clock")
	require.NoError(t, v.Verify(body, h), "the key WebhookPublicKey returns verifies it")
	assert.ErrorIs(t, v.Verify([]byte(strings.Replace(signedEvent, "p1", "p2", 1)), h), webhook.ErrInvalidSignature)

	t.Run("the same signing as deliveries", func(t *testing.T) {
		t.Parallel()
		rc := newReceiver(t, http.StatusOK)
		srv.SendWebhooksTo(rc.url)
		require.NoError(t, srv.SetStatus(srv.AddPortout(telnyx.Portout{}).ID, telnyx.PortoutStatusAuthorized))
		got := rc.deliveries()
		require.Len(t, got, 1)
		want := srv.SignWebhook(got[0].body)
		for k := range want {
			assert.Equal(t, want.Get(k), got[0].header.Get(k), "a delivery carries exactly what SignWebhook gives at that time (%s)", k)
		}
	})

	t.Run("with WithWebhookKey", func(t *testing.T) {
		t.Parallel()
		fixed := newServer(t, telnyxtest.WithWebhookKey(webhookTestKey()), telnyxtest.WithClock(func() time.Time { return now }))
		assert.NoError(t, verifierAt(t, fixed.WebhookPublicKey(), now).Verify(body, fixed.SignWebhook(body)))
		assert.ErrorIs(t, v.Verify(body, fixed.SignWebhook(body)), webhook.ErrInvalidSignature, "another server, another key")
	})
}
