// Command follow-events prints the events of port-out requests — status
// changes, comments, FOC date changes — for one port-out or a time range,
// and with -poll keeps printing new ones as they appear.
//
//	go run ./examples/follow-events -portout 34dc46a9-53ed-4e01-9454-26227ea13326
//	go run ./examples/follow-events -since 2024-09-01 -type portout.status_changed -poll 30s
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"time"

	telnyx "github.com/a54710f5/telnyx-go"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "follow-events:", err)
		os.Exit(1)
	}
}

func run() error {
	portoutID := flag.String("portout", "", "only events of this port-out ID")
	eventType := flag.String("type", "", "only this event type (portout.status_changed, portout.new_comment, portout.foc_date_changed)")
	since := flag.String("since", "", "created on or after (2006-01-02 or RFC 3339)")
	until := flag.String("until", "", "created on or before (2006-01-02 or RFC 3339)")
	poll := flag.Duration("poll", 0, "keep polling for new events at this interval (0: list once)")
	flag.Parse()

	filter := telnyx.PortoutEventListFilter{PortoutID: *portoutID, EventType: telnyx.PortoutEventType(*eventType)}
	var err error
	if filter.CreatedAt.Gte, err = parseTime("since", *since); err != nil {
		return err
	}
	if filter.CreatedAt.Lte, err = parseTime("until", *until); err != nil {
		return err
	}

	client, err := telnyx.NewClient() // TELNYX_API_KEY, TELNYX_BASE_URL
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	seen := map[string]bool{}
	for {
		params := &telnyx.PortoutEventListParams{Page: telnyx.PageParams{Size: 100}, Filter: filter}
		for e, err := range client.Portouts.Events.ListAutoPaging(ctx, params) {
			if err != nil {
				return err
			}
			if seen[e.ID] {
				continue
			}
			seen[e.ID] = true
			printEvent(e)
			if e.CreatedAt.After(filter.CreatedAt.Gte) {
				filter.CreatedAt.Gte = e.CreatedAt // the next poll asks only for newer events
			}
		}
		if *poll <= 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return nil // interrupted: a normal way to stop following
		case <-time.After(*poll):
		}
	}
}

func printEvent(e *telnyx.PortoutEvent) {
	head := fmt.Sprintf("%s  %-8s", e.CreatedAt.Format(time.RFC3339), short(e.PortoutID))
	switch p := e.Payload.(type) {
	case *telnyx.PortoutStatusChangedPayload:
		line := fmt.Sprintf("%s  status → %s (%s)", head, p.Status, strings.Join(p.PhoneNumbers, ", "))
		if p.RejectionReason != "" {
			line += ": " + p.RejectionReason
		}
		fmt.Println(line)
	case *telnyx.PortoutNewCommentPayload:
		fmt.Printf("%s  comment: %s\n", head, p.Comment)
	case *telnyx.PortoutFocDateChangedPayload:
		fmt.Printf("%s  FOC date → %s\n", head, p.FocDate.Format(time.RFC3339))
	case *telnyx.UnknownPortoutEventPayload:
		fmt.Printf("%s  %s: %s\n", head, e.EventType, p.Raw)
	default:
		fmt.Printf("%s  %s\n", head, e.EventType)
	}
}

func short(id string) string {
	if len(id) > 8 {
		return id[:8]
	}
	return id
}

func parseTime(name, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{time.RFC3339, time.DateOnly} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, errors.New("-" + name + ": " + s + " is neither a date (2006-01-02) nor an RFC 3339 time")
}
