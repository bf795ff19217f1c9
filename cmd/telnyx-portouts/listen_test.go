package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/a54710f5/telnyx-go/telnyxtest"
	"github.com/a54710f5/telnyx-go/webhook"
)

// notifyWriter is a stdout that signals each write, so a test can wait for
// output without sleeping.
type notifyWriter struct {
	syncBuffer
	wrote chan struct{}
}

func newNotifyWriter() *notifyWriter { return &notifyWriter{wrote: make(chan struct{}, 100)} }

func (w *notifyWriter) Write(p []byte) (int, error) {
	n, err := w.syncBuffer.Write(p)
	select {
	case w.wrote <- struct{}{}:
	default:
	}
	return n, err
}

// waitLines waits until w holds n lines.
func (w *notifyWriter) waitLines(t *testing.T, n int) {
	t.Helper()
	guard := time.NewTimer(10 * time.Second) // only a failing test waits this long
	defer guard.Stop()
	for strings.Count(w.String(), "\n") < n {
		select {
		case <-w.wrote:
		case <-guard.C:
			t.Fatalf("waited for %d lines; have:\n%s", n, w.String())
		}
	}
}

// listenApp returns an app whose listener is ln, running listen with args
// in the background; stop cancels it and returns the exit status.
func listenApp(t *testing.T, ln net.Listener, args ...string) (stdout *notifyWriter, stderr *syncBuffer, stop func() int) {
	t.Helper()
	stdout, stderr = newNotifyWriter(), &syncBuffer{}
	a := newApp(strings.NewReader(""), stdout, stderr)
	a.getenv = func(string) string { return "" }
	a.listen = func(string) (net.Listener, error) { return ln, nil }
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan int, 1)
	go func() { done <- a.main(ctx, args) }()
	return stdout, stderr, func() int {
		cancel()
		return <-done
	}
}

func localListener(t *testing.T) net.Listener {
	t.Helper()
	var lc net.ListenConfig
	ln, err := lc.Listen(t.Context(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return ln
}

// With --fake, the fake delivers signed events to the listener, which
// verifies and prints them, and Ctrl-C stops it cleanly.
func TestFakeListen(t *testing.T) {
	ln := localListener(t)
	stdout, stderr, stop := listenApp(t, ln, "--fake", "listen", "--addr", "127.0.0.1:0")
	stdout.waitLines(t, 4)
	if code := stop(); code != exitOK {
		t.Fatalf("exit status %d; stderr %s", code, stderr)
	}
	wantText(t, "stdout", stdout.String(), eventsHeader+
		"2026-11-24 15:00:00  8c1f0c3a-4d2b-4f6e-9a51-2d7f60e10004  portout.status_changed    status: ported\n"+
		"2026-11-24 15:00:00  8c1f0c3a-4d2b-4f6e-9a51-2d7f60e10002  portout.new_comment       comment: Verizon confirmed the requested FOC date.\n"+
		"2026-11-24 15:00:00  8c1f0c3a-4d2b-4f6e-9a51-2d7f60e10003  portout.foc_date_changed  FOC date: 2026-12-10\n")
	wantText(t, "stderr", stderr.String(),
		"Listening for Telnyx webhooks on http://"+ln.Addr().String()+"/ (Ctrl-C to stop).\nStopped.\n")
}

// Deliveries are verified with the account's key: a forged or altered one
// is refused with 401 and logged on stderr, and only the genuine one is
// printed.
func TestListenVerifiesSignatures(t *testing.T) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	_, otherKey, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ln := localListener(t)
	url := "http://" + ln.Addr().String() + "/webhooks/telnyx"
	stdout, stderr, stop := listenApp(t, ln, "--output", "json", "listen", "--public-key", base64.StdEncoding.EncodeToString(pub))

	body := []byte(`{"data":{"id":"ev-1","event_type":"portout.new_comment","portout_id":"po-1",` +
		`"created_at":"2026-11-05T10:00:00Z","payload":{"id":"c-1","comment":"hi","portout_id":"po-1","user_id":""}},"meta":{"attempt":1}}`)
	sign := func(key ed25519.PrivateKey, b []byte) http.Header {
		ts := strconv.FormatInt(time.Now().Unix(), 10)
		h := http.Header{}
		h.Set(webhook.TimestampHeader, ts)
		h.Set(webhook.SignatureHeader, base64.StdEncoding.EncodeToString(ed25519.Sign(key, append([]byte(ts+"|"), b...))))
		return h
	}
	post := func(b []byte, h http.Header) int {
		req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, url, bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		req.Header = h
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		return resp.StatusCode
	}

	if got := post(body, sign(otherKey, body)); got != http.StatusUnauthorized {
		t.Errorf("forged delivery answered %d", got)
	}
	altered := bytes.Replace(body, []byte(`"hi"`), []byte(`"ha"`), 1)
	if got := post(altered, sign(priv, body)); got != http.StatusUnauthorized {
		t.Errorf("altered delivery answered %d", got)
	}
	if got := post(body, nil); got != http.StatusUnauthorized {
		t.Errorf("unsigned delivery answered %d", got)
	}
	if got := post(body, sign(priv, body)); got != http.StatusOK {
		t.Errorf("genuine delivery answered %d", got)
	}
	stdout.waitLines(t, 1)
	if code := stop(); code != exitOK {
		t.Fatalf("exit status %d", code)
	}
	got := decodeLines(t, stdout.String())
	if len(got) != 1 || got[0]["id"] != "ev-1" || got[0]["payload"].(map[string]any)["comment"] != "hi" {
		t.Errorf("printed %v", got)
	}
	log := lines(stderr.String())
	if len(log) != 5 {
		t.Fatalf("stderr:\n%s", stderr)
	}
	for i, want := range []string{"invalid signature", "invalid signature", "missing header"} {
		if !strings.HasPrefix(log[1+i], "refused a delivery from 127.0.0.1:") || !strings.Contains(log[1+i], ": 401 Unauthorized: ") || !strings.Contains(log[1+i], want) {
			t.Errorf("refusal %d: %q", i, log[1+i])
		}
	}
}

func TestListenUsageAndFailures(t *testing.T) {
	key := telnyxtest.NewServer()
	pub := key.WebhookPublicKey()
	key.Close()
	tests := map[string][]string{
		"no key":          {"listen"},
		"bad key":         {"listen", "--public-key", "bm90IGEga2V5"},
		"fake with a key": {"--fake", "listen", "--public-key", pub},
		"empty address":   {"listen", "--public-key", pub, "--addr", " "},
		"argument":        {"listen", "--public-key", pub, "8080"},
		"dry run":         {"--dry-run", "listen", "--public-key", pub},
	}
	for name, args := range tests {
		t.Run(name, func(t *testing.T) {
			a, _, _ := testApp(nil, "")
			a.listen = func(string) (net.Listener, error) { panic("listened") }
			if code := a.main(t.Context(), args); code != exitUsage {
				t.Errorf("exit status %d", code)
			}
		})
	}

	a, _, stderr := testApp(nil, "")
	a.listen = func(string) (net.Listener, error) {
		return nil, errors.New("listen tcp :8080: bind: address already in use")
	}
	if code := a.main(t.Context(), []string{"listen", "--public-key", pub}); code != exitFailure {
		t.Errorf("exit status %d", code)
	}
	wantText(t, "stderr", stderr.String(), "telnyx-portouts listen: listen tcp :8080: bind: address already in use\n")
}

func TestDialable(t *testing.T) {
	for in, want := range map[string]string{
		"[::]:8080":     "127.0.0.1:8080",
		"0.0.0.0:80":    "127.0.0.1:80",
		"10.0.0.5:8080": "10.0.0.5:8080",
		"[::1]:9000":    "[::1]:9000",
	} {
		addr, err := net.ResolveTCPAddr("tcp", in)
		if err != nil {
			t.Fatal(err)
		}
		if got := dialable(addr); got != want {
			t.Errorf("dialable(%s) = %s, want %s", in, got, want)
		}
	}
}
