// Command webhook-receiver is a small HTTP server that receives Telnyx
// port-out webhooks, verifies their signatures and logs each typed event.
//
//	TELNYX_PUBLIC_KEY=... go run ./examples/webhook-receiver -addr :8080
//
// Point the webhook URL of your port-out notification settings at
// http://<host>:8080/webhooks/telnyx (behind TLS in production). Every
// refused delivery is logged too, so that a wrong TELNYX_PUBLIC_KEY shows.
// Ctrl-C stops it gracefully, letting deliveries under way finish.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	telnyx "github.com/a54710f5/telnyx-go"
	"github.com/a54710f5/telnyx-go/examples/internal/cli"
	"github.com/a54710f5/telnyx-go/webhook"
)

func main() {
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop() // from the first signal on, a second one kills the process at once
	}()
	err := run(ctx, os.Args[1:], os.Stderr, os.Getenv("TELNYX_PUBLIC_KEY"), logger)
	stop()
	os.Exit(exitCode(err, os.Stderr, logger))
}

// exitCode reports err, if any, and returns the process's exit status:
// usage mistakes go to stderr, as the flag package prints them, and other
// errors to the log.
func exitCode(err error, stderr io.Writer, logger *slog.Logger) int {
	return cli.ExitCode("webhook-receiver", err, stderr, func(err error) {
		logger.Error("webhook receiver stopped", "err", err)
	})
}

// run listens on the address args name and serves webhooks, verified with
// publicKey, until ctx ends.
func run(ctx context.Context, args []string, stderr io.Writer, publicKey string, logger *slog.Logger) error {
	fs := flag.NewFlagSet("webhook-receiver", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: webhook-receiver [-addr HOST:PORT]")
		fmt.Fprintln(stderr, "Receives Telnyx port-out webhooks at /webhooks/telnyx and logs them. Needs TELNYX_PUBLIC_KEY.")
		fs.PrintDefaults()
	}
	addr := fs.String("addr", ":8080", "address to listen on")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return cli.Shown(err)
	}
	switch {
	case fs.NArg() > 0:
		return cli.Usagef("unexpected argument %q", fs.Arg(0))
	case strings.TrimSpace(*addr) == "":
		return cli.Usagef("-addr must name an address, such as :8080")
	}

	handler, err := newHandler(publicKey, logger)
	if err != nil {
		return err
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", *addr)
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
