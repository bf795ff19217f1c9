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
	if err := run(*addr, os.Getenv("TELNYX_PUBLIC_KEY"), logger); err != nil {
		logger.Error("webhook receiver stopped", "err", err)
		os.Exit(1)
	}
}

func run(addr, publicKey string, logger *slog.Logger) error {
	if publicKey == "" {
		return errors.New("TELNYX_PUBLIC_KEY is not set (copy the public key from the Telnyx portal)")
	}
	v, err := webhook.NewVerifier(publicKey,
		// Refused deliveries are otherwise silent: a wrong key in
		// TELNYX_PUBLIC_KEY would show only as Telnyx retrying.
		webhook.WithOnReject(func(r *http.Request, status int, err error) {
			logger.WarnContext(r.Context(), "webhook refused", "status", status, "remote", r.RemoteAddr, "err", err)
		}))
	if err != nil {
		return err
	}

	mux := http.NewServeMux()
	mux.Handle("/webhooks/telnyx", v.Handler(func(ctx context.Context, ev *telnyx.PortoutEvent) error {
		logEvent(ctx, logger, ev)
		return nil // return an error to answer 500 and have Telnyx deliver again
	}))

	srv := &http.Server{
		Addr:              addr,
		Handler:           mux,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      15 * time.Second,
		IdleTimeout:       60 * time.Second,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	errc := make(chan error, 1)
	go func() {
		logger.Info("listening", "addr", addr, "path", "/webhooks/telnyx")
		errc <- srv.ListenAndServe()
	}()

	select {
	case err := <-errc:
		return err // could not listen
	case <-ctx.Done():
	}
	stop() // a second signal kills the process at once

	logger.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
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
