package main

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	telnyx "github.com/a54710f5/telnyx-go"
	"github.com/a54710f5/telnyx-go/webhook"
)

var listenCmd = &command{
	name:    "listen",
	args:    "[--addr :8080] [--public-key KEY]",
	summary: "receive webhooks: verify each delivery's signature and print the event",
	about: `Receive Telnyx webhooks on every path of --addr: verify each delivery's
Ed25519 signature with the account's public key (Keys & Credentials in the
portal), print the event, and answer as the SDK's webhook handler does (200;
401 or 400 for a delivery that fails verification, which is logged on stderr).
Ctrl-C stops it gracefully.

With --fake, the fake API signs with its own key and, once listening, delivers a
few events to this listener (a status change, a comment, a FOC date change), so
the whole flow can be watched without an account.`,
	example: `  telnyx-portouts --fake listen --addr 127.0.0.1:8080
  TELNYX_PUBLIC_KEY=... telnyx-portouts listen --addr :8080 --output json`,
	run: runListen,
}

// shutdownGrace bounds how long a stopping listener waits for deliveries
// being handled.
const shutdownGrace = 5 * time.Second

func runListen(ctx context.Context, a *app, c *command, args []string) error {
	fs := a.flagSet(c.name)
	addr := fs.String("addr", ":8080", "listen on this `ADDRESS` (host:port)")
	keyFlag := fs.String("public-key", "", "the account's webhook public `KEY`, base64 (default: $TELNYX_PUBLIC_KEY)")
	pos, err := a.parse(c, fs, args)
	if err != nil {
		return err
	}
	if err := noArgs(pos); err != nil {
		return err
	}
	if strings.TrimSpace(*addr) == "" {
		return usagef("--addr is empty")
	}
	key := strings.TrimSpace(*keyFlag)
	var vopts []webhook.VerifierOption
	if a.fake {
		if key != "" {
			return usagef("--fake signs with its own key: leave out --public-key")
		}
		if _, err := a.getClient(); err != nil { // starts the fake
			return err
		}
		key = a.fakeSrv.WebhookPublicKey()
		// The fake stamps its webhooks with its demo clock.
		vopts = append(vopts, webhook.WithClock(a.clock.now))
	} else if key == "" {
		key = strings.TrimSpace(a.getenv("TELNYX_PUBLIC_KEY"))
	}
	if key == "" {
		return usagef("no public key: set TELNYX_PUBLIC_KEY or pass --public-key (or try --fake)")
	}
	vopts = append(vopts, webhook.WithOnReject(func(r *http.Request, status int, err error) {
		a.msg.printf("refused a delivery from %s: %d %s: %s\n", r.RemoteAddr, status, http.StatusText(status), oneLine(err.Error()))
	}))
	v, err := webhook.NewVerifier(key, vopts...)
	if err != nil {
		return usagef("--public-key: %v", err)
	}

	ln, err := a.listen(*addr)
	if err != nil {
		return err
	}
	var mu sync.Mutex // deliveries arrive on the server's goroutines
	events := eventPrinter{a: a}
	handler := v.Handler(func(_ context.Context, e *telnyx.PortoutEvent) error {
		mu.Lock()
		defer mu.Unlock()
		events.print(e)
		// An event that could not be printed is answered 500, so that
		// Telnyx delivers it again.
		return a.out.failed()
	})
	hs := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       time.Minute,
	}
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	url := "http://" + dialable(ln.Addr()) + "/"
	a.msg.printf("Listening for Telnyx webhooks on %s (Ctrl-C to stop).\n", url)

	var demo sync.WaitGroup
	if a.fake {
		a.fakeSrv.SendWebhooksTo(url)
		demo.Add(1)
		go func() {
			defer demo.Done()
			if err := demoDeliveries(a.fakeSrv); err != nil {
				a.msg.printf("fake: %v\n", err)
			}
		}()
	}

	var serveErr error
	select {
	case <-ctx.Done():
	case serveErr = <-served:
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownGrace)
	defer cancel()
	shutErr := hs.Shutdown(sctx)
	if a.fake {
		a.fakeSrv.SendWebhooksTo("")
	}
	demo.Wait()
	if serveErr != nil && !errors.Is(serveErr, http.ErrServerClosed) {
		return serveErr
	}
	if shutErr != nil {
		return shutErr
	}
	a.msg.printf("Stopped.\n")
	return nil
}

// dialable is the listener's address as a client can reach it: an
// unspecified IP (":8080") becomes the loopback address.
func dialable(addr net.Addr) string {
	host, port, err := net.SplitHostPort(addr.String())
	if err != nil {
		return addr.String()
	}
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}
