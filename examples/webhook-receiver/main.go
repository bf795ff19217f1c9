// Command webhook-receiver is a small HTTP server that receives Telnyx
// port-out webhooks, verifies their signatures and logs each typed event.
//
//	TELNYX_PUBLIC_KEY=... go run ./examples/webhook-receiver -addr :8080
//
// Point the webhook URL of your port-out notification settings at
// http://<host>:8080/webhooks/telnyx (behind TLS in production).
package main

import (
	"context"
	"errors"
	"flag"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	telnyx "github.com/a54710f5/telnyx-go"
	"github.com/a54710f5/telnyx-go/webhook"
)

func main() {
	addr := flag.String("addr", ":8080", "address to listen on")
	flag.Parse()

	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop() // from the first signal on, a second one kills the process at once
	}()
	err := run(ctx, *addr, os.Getenv("TELNYX_PUBLIC_KEY"), logger)
	stop()
	if err != nil {
		logger.Error("webhook receiver stopped", "err", err)
		os.Exit(1)
	}
}

// run listens on addr and serves webhooks until ctx ends.
func run(ctx context.Context, addr, publicKey string, logger *slog.Logger) error {
	handler, err := newHandler(publicKey, logger)
	if err != nil {
		return err
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return err
	}
	return serve(ctx, ln, handler, logger)
}

// newHandler routes /webhooks/telnyx to a verifying webhook handler that
// logs each event, and logs every refused delivery.
func newHandler(publicKey string, logger *slog.Logger) (http.Handler, error) {
	if publicKey == "" {
		return nil, errors.New("TELNYX_PUBLIC_KEY is not set (copy the public key from the Telnyx portal)")
	}
	v, err := webhook.NewVerifier(publicKey,
		// Refused deliveries are otherwise silent: a wrong key in
		// TELNYX_PUBLIC_KEY would show only as Telnyx retrying.
		webhook.WithOnReject(func(r *http.Request, status int, err error) {
			logger.WarnContext(r.Context(), "webhook refused", "status", status, "remote", r.RemoteAddr, "err", err)
		}))
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("/webhooks/telnyx", v.Handler(func(ctx context.Context, ev *telnyx.PortoutEvent) error {
		logEvent(ctx, logger, ev)
		return nil // return an error to answer 500 and have Telnyx deliver again
	}))
	return mux, nil
}

// serve answers on ln until ctx ends, then shuts down gracefully, giving
// deliveries in progress up to 10 seconds.
func serve(ctx context.Context, ln net.Listener, handler http.Handler, logger *slog.Logger) error {
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      15 * time.Second,
		IdleTimeout:       60 * time.Second,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() {
		logger.Info("listening", "addr", ln.Addr().String(), "path", "/webhooks/telnyx")
		errc <- srv.Serve(ln)
	}()

	select {
	case err := <-errc:
		return err // the listener failed
	case <-ctx.Done():
	}

	logger.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// logEvent logs one event with the fields of its payload type.
func logEvent(ctx context.Context, logger *slog.Logger, ev *telnyx.PortoutEvent) {
	l := logger.With("event_id", ev.ID, "event_type", string(ev.EventType), "portout_id", ev.PortoutID)
	switch p := ev.Payload.(type) {
	case *telnyx.PortoutStatusChangedPayload:
		l.InfoContext(ctx, "port-out status changed",
			"status", string(p.Status),
			"carrier", p.CarrierName,
			"spid", p.SPID,
			"phone_numbers", p.PhoneNumbers,
			"rejection_reason", p.RejectionReason)
	case *telnyx.PortoutNewCommentPayload:
		l.InfoContext(ctx, "new comment on port-out",
			"comment_id", p.ID,
			"user_id", p.UserID,
			"comment", p.Comment)
	case *telnyx.PortoutFocDateChangedPayload:
		l.InfoContext(ctx, "port-out FOC date changed",
			"foc_date", p.FocDate)
	case *telnyx.UnknownPortoutEventPayload:
		l.InfoContext(ctx, "port-out event of a type this SDK does not know",
			"payload", string(p.Raw))
	default:
		l.WarnContext(ctx, "port-out event without payload")
	}
}
