package main

import (
	"bytes"
	"context"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	telnyx "github.com/a54710f5/telnyx-go"
	"github.com/a54710f5/telnyx-go/telnyxtest"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// syncBuffer is a log destination safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func newLogger(w *syncBuffer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// The fake's signed deliveries are accepted and logged with their typed
// fields; a delivery signed with another key is refused and logged.
func TestDeliveriesFromTheFake(t *testing.T) {
	fake := telnyxtest.NewServer()
	defer fake.Close()
	var logs syncBuffer
	handler, err := newHandler(fake.WebhookPublicKey(), newLogger(&logs))
	require.NoError(t, err)
	receiver := httptest.NewServer(handler)
	defer receiver.Close()
	fake.SendWebhooksTo(receiver.URL + "/webhooks/telnyx")

	p := fake.AddPortout(telnyx.Portout{Status: telnyx.PortoutStatusPending, PhoneNumbers: []string{"+13125550142"}, CarrierName: "Lakeside Telecom"})
	require.NoError(t, fake.SetStatus(p.ID, telnyx.PortoutStatusAuthorized))
	_, err = fake.AddComment(p.ID, "Confirmed with the end user.")
	require.NoError(t, err)
	require.NoError(t, fake.SetFocDate(p.ID, time.Date(2025, 6, 20, 0, 0, 0, 0, time.UTC)))

	deliveries := fake.WebhookDeliveries()
	require.Len(t, deliveries, 3)
	for _, d := range deliveries {
		assert.Equal(t, http.StatusOK, d.StatusCode, "delivery of %s", d.EventType)
	}
	out := logs.String()
	assert.Contains(t, out, `msg="port-out status changed"`)
	assert.Contains(t, out, "status=authorized")
	assert.Contains(t, out, "portout_id="+p.ID)
	assert.Contains(t, out, `comment="Confirmed with the end user."`)
	assert.Contains(t, out, "foc_date=2025-06-20T00:00:00.000Z")
	assert.NotContains(t, out, "refused")

	// A delivery signed with another account's key.
	other := telnyxtest.NewServer()
	defer other.Close()
	other.SendWebhooksTo(receiver.URL + "/webhooks/telnyx")
	q := other.AddPortout(telnyx.Portout{Status: telnyx.PortoutStatusPending})
	require.NoError(t, other.SetStatus(q.ID, telnyx.PortoutStatusAuthorized))
	require.Len(t, other.WebhookDeliveries(), 1)
	assert.Equal(t, http.StatusUnauthorized, other.WebhookDeliveries()[0].StatusCode)
	assert.Contains(t, logs.String(), `msg="webhook refused" status=401`)
	assert.Contains(t, logs.String(), "invalid signature")
}

func TestMissingOrBadKey(t *testing.T) {
	var logs syncBuffer
	_, err := newHandler("", newLogger(&logs))
	assert.ErrorContains(t, err, "TELNYX_PUBLIC_KEY is not set")
	_, err = newHandler("not a key", newLogger(&logs))
	assert.Error(t, err)
	err = run(context.Background(), "127.0.0.1:0", "", newLogger(&logs))
	assert.ErrorContains(t, err, "TELNYX_PUBLIC_KEY")
}

// serve answers until the context ends, then shuts down and returns nil,
// leaving no goroutine behind (goleak in TestMain).
func TestServeShutsDownWithTheContext(t *testing.T) {
	fake := telnyxtest.NewServer()
	defer fake.Close()
	var logs syncBuffer
	handler, err := newHandler(fake.WebhookPublicKey(), newLogger(&logs))
	require.NoError(t, err)
	var lc net.ListenConfig
	ln, err := lc.Listen(t.Context(), "tcp", "127.0.0.1:0")
	require.NoError(t, err)

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- serve(ctx, ln, handler, newLogger(&logs)) }()

	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, "http://"+ln.Addr().String()+"/webhooks/telnyx", nil)
	require.NoError(t, err)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	_ = resp.Body.Close()
	assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)
	http.DefaultClient.CloseIdleConnections()

	cancel()
	require.NoError(t, <-done)
	assert.True(t, strings.Contains(logs.String(), "shutting down"))
	var d net.Dialer
	_, err = d.DialContext(t.Context(), "tcp", ln.Addr().String())
	assert.Error(t, err, "the listener is closed")
}

func TestServeReportsAListenerFailure(t *testing.T) {
	var lc net.ListenConfig
	ln, err := lc.Listen(t.Context(), "tcp", "127.0.0.1:0")
	require.NoError(t, err)
	require.NoError(t, ln.Close())
	var logs syncBuffer
	err = serve(context.Background(), ln, http.NotFoundHandler(), newLogger(&logs))
	assert.Error(t, err)
}
