// Command follow-events prints the port-out events of the last day, then
// polls for new ones every 30 seconds, ten times, printing each one once.
//
//	TELNYX_API_KEY=KEY... go run ./examples/follow-events
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"time"

	telnyx "github.com/a54710f5/telnyx-go"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt) // Ctrl-C stops
	defer stop()
	client, err := telnyx.NewClient() // reads TELNYX_API_KEY and TELNYX_BASE_URL
	if err != nil {
		log.Fatal(err)
	}
	ticker := time.NewTicker(30 * time.Second)
	defer ticker.Stop()
	err = run(ctx, client, os.Stdout, time.Now().Add(-24*time.Hour), ticker.C, 10)
	// Ctrl-C is context.Canceled, even inside a *telnyx.ConnectionError.
	if err != nil && !errors.Is(err, context.Canceled) {
		log.Fatal(err)
	}
}

// run prints the events created since then, and new ones after each of polls ticks.
func run(ctx context.Context, client *telnyx.Client, out io.Writer, since time.Time, ticks <-chan time.Time, polls int) error {
	seen := map[string]bool{}
	for i := 0; ; i++ {
		// Ask for events from the newest one seen on. The bound is inclusive
		// and sent in whole seconds, so some come again: seen drops them.
		params := &telnyx.PortoutEventListParams{
			Filter: telnyx.PortoutEventListFilter{CreatedAt: telnyx.DateRange{Gte: since}},
		}
		for ev, err := range client.Portouts.Events.ListAutoPaging(ctx, params) {
			if err != nil {
				return err
			}
			if seen[ev.ID] {
				continue
			}
			seen[ev.ID] = true
			if ev.CreatedAt.After(since) {
				since = ev.CreatedAt
			}
			fmt.Fprintf(out, "%s  %s  %s\n", ev.CreatedAt.Format(time.RFC3339), ev.PortoutID, describe(ev))
		}
		if i == polls {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-ticks:
		}
	}
}

// describe tells what happened, by the concrete type of the payload.
func describe(ev *telnyx.PortoutEvent) string {
	switch p := ev.Payload.(type) {
	case *telnyx.PortoutStatusChangedPayload:
		return "status is now " + string(p.Status)
	case *telnyx.PortoutNewCommentPayload:
		return fmt.Sprintf("comment: %q", p.Comment)
	case *telnyx.PortoutFocDateChangedPayload:
		return "FOC date is now " + p.FocDate.Format(time.DateOnly)
	default: // *telnyx.UnknownPortoutEventPayload: a type newer than this SDK
		return string(ev.EventType)
	}
}
