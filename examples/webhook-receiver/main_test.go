package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"flag"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
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

// logs is a JSON log destination safe for the server's goroutines.
type logs struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logs) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logs) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// records decodes the log records written so far, without their time.
func (l *logs) records(t *testing.T) []map[string]any {
	t.Helper()
	var out []map[string]any
	sc := bufio.NewScanner(strings.NewReader(l.String()))
	for sc.Scan() {
		var rec map[string]any
		require.NoError(t, json.Unmarshal(sc.Bytes(), &rec), sc.Text())
		delete(rec, slog.TimeKey)
		out = append(out, rec)
	}
	require.NoError(t, sc.Err())
	return out
}

// logger returns a logger writing JSON to l, and, when the server logs
// "listening", its address on the channel.
func (l *logs) logger() (*slog.Logger, <-chan string) {
	listening := make(chan string, 1)
	return slog.New(notifyHandler{slog.NewJSONHandler(l, nil), listening}), listening
}

type notifyHandler struct {
	slog.Handler
	listening chan<- string
}

// Handle writes the record, then tells the address of a "listening" one, if
// the channel has room.
func (h notifyHandler) Handle(ctx context.Context, r slog.Record) error {
	err := h.Handler.Handle(ctx, r)
	if r.Message == "listening" {
		r.Attrs(func(a slog.Attr) bool {
			if a.Key == "addr" {
				select {
				case h.listening <- a.Value.String():
				default:
				}
			}
			return true
		})
	}
	return err
}

// receiver serves newHandler for fake's key on an httptest server, to
// which fake sends its webhooks.
func receiver(t *testing.T, fake *telnyxtest.Server, l *logs) string {
	t.Helper()
	logger, _ := l.logger()
	handler, err := newHandler(fake.WebhookPublicKey(), logger)
	require.NoError(t, err)
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)
	url := srv.URL + "/webhooks/telnyx"
	fake.SendWebhooksTo(url)
	return url
}

// The fake's signed deliveries are accepted and each event is logged once,
// with the typed fields of its payload.
func TestSignedDeliveriesAreLoggedWithTypedFields(t *testing.T) {
	t.Parallel()
	fake := telnyxtest.NewServer()
	t.Cleanup(fake.Close)
	var l logs
	receiver(t, fake, &l)

	p := fake.AddPortout(telnyx.Portout{
		Status: telnyx.PortoutStatusPending, PhoneNumbers: []string{"+13125550142", "+13125550143"},
		CarrierName: "Lakeside Telecom", SPID: "123A",
	})
	require.NoError(t, fake.SetStatus(p.ID, telnyx.PortoutStatusAuthorized))
	c, err := fake.AddComment(p.ID, "Confirmed with the end user.")
	require.NoError(t, err)
	require.NoError(t, fake.SetFocDate(p.ID, time.Date(2025, 6, 20, 9, 30, 0, 0, time.UTC)))

	deliveries := fake.WebhookDeliveries()
	require.Len(t, deliveries, 3)
	for _, d := range deliveries {
		assert.Equal(t, http.StatusOK, d.StatusCode, "delivery of %s", d.EventType)
		require.NoError(t, d.Err)
	}
	assert.Equal(t, []map[string]any{
		{
			"level": "INFO", "msg": "port-out status changed",
			"event_id": deliveries[0].EventID, "event_type": "portout.status_changed", "portout_id": p.ID,
			"status": "authorized", "carrier": "Lakeside Telecom", "spid": "123A",
			"phone_numbers": []any{"+13125550142", "+13125550143"}, "rejection_reason": "",
		},
		{
			"level": "INFO", "msg": "new comment on port-out",
			"event_id": deliveries[1].EventID, "event_type": "portout.new_comment", "portout_id": p.ID,
			"comment_id": c.ID, "user_id": "", "comment": "Confirmed with the end user.",
		},
		{
			"level": "INFO", "msg": "port-out FOC date changed",
			"event_id": deliveries[2].EventID, "event_type": "portout.foc_date_changed", "portout_id": p.ID,
			"foc_date": "2025-06-20T09:30:00Z",
		},
	}, l.records(t))
}

// Deliveries that are not Telnyx's are answered 401, or 405, and logged as
// refused with the reason; nothing is logged as an event.
func TestRefusedDeliveriesAreLogged(t *testing.T) {
	t.Parallel()
	fake := telnyxtest.NewServer()
	t.Cleanup(fake.Close)
	var l logs
	url := receiver(t, fake, &l)
	body := `{"data":{"id":"5f1c","event_type":"portout.status_changed","payload":{"id":"x","status":"authorized"}}}`
	client := &http.Client{Transport: &http.Transport{}}
	t.Cleanup(client.CloseIdleConnections)

	send := func(method string, header http.Header) int {
		req, err := http.NewRequestWithContext(t.Context(), method, url, strings.NewReader(body))
		require.NoError(t, err)
		for k, v := range header {
			req.Header[k] = v
		}
		resp, err := client.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		_, _ = io.Copy(io.Discard, resp.Body)
		return resp.StatusCode
	}

	// Signed with another account's key.
	other := telnyxtest.NewServer()
	t.Cleanup(other.Close)
	other.SendWebhooksTo(url)
	q := other.AddPortout(telnyx.Portout{Status: telnyx.PortoutStatusPending})
	require.NoError(t, other.SetStatus(q.ID, telnyx.PortoutStatusAuthorized))
	require.Len(t, other.WebhookDeliveries(), 1)
	assert.Equal(t, http.StatusUnauthorized, other.WebhookDeliveries()[0].StatusCode)

	assert.Equal(t, http.StatusUnauthorized, send(http.MethodPost, nil), "unsigned")
	assert.Equal(t, http.StatusUnauthorized, send(http.MethodPost, http.Header{
		"Telnyx-Timestamp":         {strconv.FormatInt(time.Now().Unix(), 10)},
		"Telnyx-Signature-Ed25519": {base64.StdEncoding.EncodeToString(make([]byte, ed25519.SignatureSize))},
	}), "forged")
	assert.Equal(t, http.StatusMethodNotAllowed, send(http.MethodGet, nil))

	recs := l.records(t)
	require.Len(t, recs, 4, l.String())
	for i, want := range []struct {
		status float64
		err    string
	}{
		{401, "invalid signature"},
		{401, "missing header"},
		{401, "invalid signature"},
		{405, "method not allowed"},
	} {
		assert.Equal(t, "WARN", recs[i]["level"])
		assert.Equal(t, "webhook refused", recs[i]["msg"])
		assert.Equal(t, want.status, recs[i]["status"])
		assert.Contains(t, recs[i]["err"], want.err)
		assert.Contains(t, recs[i]["remote"], "127.0.0.1:")
	}
}

// A delivery signed with the right key an hour ago, such as a replay, is
// refused.
func TestAReplayedDeliveryIsRefused(t *testing.T) {
	t.Parallel()
	fake := telnyxtest.NewServer(telnyxtest.WithClock(func() time.Time { return time.Now().Add(-time.Hour) }))
	t.Cleanup(fake.Close)
	var l logs
	receiver(t, fake, &l)
	p := fake.AddPortout(telnyx.Portout{Status: telnyx.PortoutStatusPending})
	require.NoError(t, fake.SetStatus(p.ID, telnyx.PortoutStatusCanceled))

	require.Len(t, fake.WebhookDeliveries(), 1)
	assert.Equal(t, http.StatusUnauthorized, fake.WebhookDeliveries()[0].StatusCode)
	recs := l.records(t)
	require.Len(t, recs, 1, l.String())
	assert.Equal(t, "webhook refused", recs[0]["msg"])
	assert.Contains(t, recs[0]["err"], "timestamp out of tolerance")
}

// Event types this SDK does not know, and events without a payload, are
// logged too.
func TestLogEventWithoutATypedPayload(t *testing.T) {
	t.Parallel()
	var l logs
	logger, _ := l.logger()
	logEvent(t.Context(), logger, &telnyx.PortoutEvent{
		ID: "e1", EventType: "portout.archived", PortoutID: "p1",
		Payload: &telnyx.UnknownPortoutEventPayload{Raw: json.RawMessage(`{"why":"old"}`)},
	})
	logEvent(t.Context(), logger, &telnyx.PortoutEvent{ID: "e2", EventType: telnyx.PortoutEventNewComment, PortoutID: "p2"})
	assert.Equal(t, []map[string]any{
		{
			"level": "INFO", "msg": "port-out event of a type this SDK does not know",
			"event_id": "e1", "event_type": "portout.archived", "portout_id": "p1", "payload": `{"why":"old"}`,
		},
		{
			"level": "WARN", "msg": "port-out event without payload",
			"event_id": "e2", "event_type": "portout.new_comment", "portout_id": "p2",
		},
	}, l.records(t))
}

func TestMissingOrBadKey(t *testing.T) {
	t.Parallel()
	var l logs
	logger, _ := l.logger()
	_, err := newHandler("", logger)
	assert.ErrorContains(t, err, "TELNYX_PUBLIC_KEY is not set")
	_, err = newHandler("not a key", logger)
	assert.ErrorContains(t, err, "invalid public key")

	err = run(t.Context(), []string{"-addr", "127.0.0.1:0"}, io.Discard, "", logger)
	require.ErrorContains(t, err, "TELNYX_PUBLIC_KEY is not set")
	assert.Equal(t, 1, exitCode(err, io.Discard, logger))
	recs := l.records(t)
	require.Len(t, recs, 1)
	assert.Equal(t, "ERROR", recs[0]["level"])
	assert.Equal(t, "webhook receiver stopped", recs[0]["msg"])
	assert.Contains(t, recs[0]["err"], "TELNYX_PUBLIC_KEY is not set")
}

// run listens on the address -addr names, accepts the fake's deliveries
// there, and when the context ends shuts down and returns nil, leaving no
// goroutine behind (goleak in TestMain).
func TestRunServesUntilTheContextEnds(t *testing.T) {
	t.Parallel()
	fake := telnyxtest.NewServer()
	t.Cleanup(fake.Close)
	var l logs
	logger, listening := l.logger()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0"}, io.Discard, fake.WebhookPublicKey(), logger)
	}()

	addr := <-listening
	fake.SendWebhooksTo("http://" + addr + "/webhooks/telnyx")
	p := fake.AddPortout(telnyx.Portout{Status: telnyx.PortoutStatusPending})
	require.NoError(t, fake.SetStatus(p.ID, telnyx.PortoutStatusAuthorized))
	require.Len(t, fake.WebhookDeliveries(), 1)
	assert.Equal(t, http.StatusOK, fake.WebhookDeliveries()[0].StatusCode)

	cancel()
	require.NoError(t, <-done)
	assert.Equal(t, 0, exitCode(nil, io.Discard, logger))
	var msgs []any
	for _, r := range l.records(t) {
		msgs = append(msgs, r["msg"])
	}
	assert.Equal(t, []any{"listening", "port-out status changed", "shutting down"}, msgs)
	var d net.Dialer
	_, err := d.DialContext(t.Context(), "tcp", addr)
	assert.Error(t, err, "the listener is closed")
}

func TestRunCannotListen(t *testing.T) {
	t.Parallel()
	var lc net.ListenConfig
	taken, err := lc.Listen(t.Context(), "tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, taken.Close()) })
	fake := telnyxtest.NewServer()
	t.Cleanup(fake.Close)
	var l logs
	logger, _ := l.logger()
	err = run(t.Context(), []string{"-addr", taken.Addr().String()}, io.Discard, fake.WebhookPublicKey(), logger)
	require.Error(t, err)
	assert.Contains(t, err.Error(), taken.Addr().String())
	assert.Equal(t, 1, exitCode(err, io.Discard, logger))
}

// serve shuts down with the context and reports a failing listener.
func TestServe(t *testing.T) {
	t.Parallel()
	var l logs
	logger, listening := l.logger()
	var lc net.ListenConfig
	ln, err := lc.Listen(t.Context(), "tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- serve(ctx, ln, http.NotFoundHandler(), logger) }()
	assert.Equal(t, ln.Addr().String(), <-listening)
	cancel()
	require.NoError(t, <-done)

	ln, err = lc.Listen(t.Context(), "tcp", "127.0.0.1:0")
	require.NoError(t, err)
	require.NoError(t, ln.Close())
	err = serve(context.Background(), ln, http.NotFoundHandler(), logger)
	assert.ErrorIs(t, err, net.ErrClosed)
}

func TestUsageErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"-addr"}, "flag needs an argument: -addr"},
		{[]string{"-addr", " "}, "-addr must name an address"},
		{[]string{"-port", "8080"}, "flag provided but not defined: -port"},
		{[]string{":8080"}, `unexpected argument ":8080"`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			t.Parallel()
			var l logs
			logger, _ := l.logger()
			var stderr bytes.Buffer
			// Without a key: the command line is checked first.
			err := run(t.Context(), tt.args, &stderr, "", logger)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			var msg bytes.Buffer
			assert.Equal(t, 2, exitCode(err, &msg, logger), "a usage mistake exits 2")
			out := msg.String() + stderr.String()
			assert.Equal(t, 1, strings.Count(out, tt.want), "the mistake is shown once: %s", out)
			assert.Empty(t, l.String(), "usage mistakes are not logged")
		})
	}
}

func TestHelp(t *testing.T) {
	t.Parallel()
	var l logs
	logger, _ := l.logger()
	var stderr bytes.Buffer
	err := run(t.Context(), []string{"-h"}, &stderr, "", logger)
	require.ErrorIs(t, err, flag.ErrHelp)
	assert.Equal(t, 0, exitCode(err, io.Discard, logger))
	assert.Contains(t, stderr.String(), "-addr")
	assert.Contains(t, stderr.String(), "TELNYX_PUBLIC_KEY")
	assert.Empty(t, l.String())
}
