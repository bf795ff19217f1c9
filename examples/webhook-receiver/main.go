// Command webhook-receiver is an HTTP server that verifies Telnyx port-out
// webhooks at /webhooks/telnyx and logs each event. It listens on localhost:
// put a TLS proxy or a tunnel in front, and give its URL to Telnyx.
//
//	TELNYX_PUBLIC_KEY=... go run ./examples/webhook-receiver [-addr :8080]
//
// Ctrl-C stops it gracefully: deliveries under way are answered first.
package main

import (
	"context"
	"errors"
	"flag"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"time"

	telnyx "github.com/a54710f5/telnyx-go"
	"github.com/a54710f5/telnyx-go/webhook"
)

func main() {
	addr := flag.String("addr", "localhost:8080", "address to listen on (:8080 for every interface)")
	flag.Parse()
	key := os.Getenv("TELNYX_PUBLIC_KEY")
	if key == "" {
		log.Fatal("set TELNYX_PUBLIC_KEY to the public key in the portal (Keys & Credentials)")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	if err := run(ctx, ln, key, os.Stderr); err != nil {
		log.Fatal(err)
	}
}

// run serves webhooks on ln, logging each event to out, until ctx ends.
func run(ctx context.Context, ln net.Listener, publicKey string, out io.Writer) error {
	logger := log.New(out, "", log.LstdFlags)
	v, err := webhook.NewVerifier(publicKey)
	if err != nil {
		return err
	}
	// The handler refuses unsigned, forged and stale deliveries without
	// calling this function. An error returned here answers 500, so Telnyx
	// delivers the event again: make the work safe to repeat.
	mux := http.NewServeMux()
	mux.Handle("POST /webhooks/telnyx", v.Handler(func(_ context.Context, ev *telnyx.PortoutEvent) error {
		logger.Printf("%s %s port-out %s", ev.ID, ev.EventType, ev.PortoutID)
		if p, ok := ev.Payload.(*telnyx.PortoutStatusChangedPayload); ok {
			logger.Printf("  status is now %s", p.Status)
		}
		return nil
	}))

	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	select {
	case err := <-serveErr:
		return err
	case <-ctx.Done():
	}
	// Stop accepting, and give deliveries in flight 10 seconds to finish.
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-serveErr; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
