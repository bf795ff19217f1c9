// Command follow-events prints the events of port-out requests — status
// changes, comments, FOC date changes — for one port-out or a time range,
// and with -poll keeps printing new ones as they appear.
//
//	go run ./examples/follow-events -portout 34dc46a9-53ed-4e01-9454-26227ea13326
//	go run ./examples/follow-events -since 2024-09-01 -type portout.status_changed -poll 30s
//
// It needs TELNYX_API_KEY. TELNYX_BASE_URL, when set, points the client at
// another server, such as a local mock of the API. Ctrl-C ends -poll.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	telnyx "github.com/a54710f5/telnyx-go"
	"github.com/a54710f5/telnyx-go/examples/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr, connect, sleep)
	stop()
	os.Exit(exitCode(err, os.Stderr))
}

// connect builds the client from TELNYX_API_KEY and TELNYX_BASE_URL.
func connect() (*telnyx.Client, error) {
	return telnyx.NewClient(telnyx.WithUserAgent("telnyx-go-follow-events"))
}

// sleep waits for d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// exitCode prints err, if any, and returns the process's exit status.
func exitCode(err error, stderr io.Writer) int {
	return cli.ExitCode("follow-events", err, stderr, nil)
}

// config is what the command line asks for.
type config struct {
	filter telnyx.PortoutEventListFilter
	poll   time.Duration
}

func parseArgs(args []string, stderr io.Writer) (config, error) {
	fs := flag.NewFlagSet("follow-events", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: follow-events [flags]")
		fmt.Fprintln(stderr, "Prints port-out events, and with -poll keeps printing new ones. Needs TELNYX_API_KEY.")
		fs.PrintDefaults()
	}
	portoutID := fs.String("portout", "", "only events of this port-out ID")
	eventType := fs.String("type", "", "only this event type (portout.status_changed, portout.new_comment, portout.foc_date_changed)")
	since := fs.String("since", "", "created on or after (2006-01-02 or RFC 3339)")
	until := fs.String("until", "", "created on or before (2006-01-02, to its end, or RFC 3339)")
	poll := fs.Duration("poll", 0, "keep polling for new events at this interval (0: list once)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return config{}, err
		}
		return config{}, cli.Shown(err)
	}
	switch {
	case fs.NArg() > 0:
		return config{}, cli.Usagef("unexpected argument %q", fs.Arg(0))
	case *poll < 0:
		return config{}, cli.Usagef("-poll %v is negative", *poll)
	case *poll > 0 && *poll < time.Second:
		return config{}, cli.Usagef("-poll %v is under a second; be gentle with the API", *poll)
	}
	typ := telnyx.PortoutEventType(strings.TrimSpace(*eventType))
	switch typ {
	case "", telnyx.PortoutEventStatusChanged, telnyx.PortoutEventNewComment, telnyx.PortoutEventFocDateChanged:
	default:
		return config{}, cli.Usagef("-type %q is not a port-out event type", *eventType)
	}

	cfg := config{
		poll:   *poll,
		filter: telnyx.PortoutEventListFilter{PortoutID: strings.TrimSpace(*portoutID), EventType: typ},
	}
	var err error
	if cfg.filter.CreatedAt.Gte, err = cli.ParseTime("since", *since, false); err != nil {
		return config{}, err
	}
	if cfg.filter.CreatedAt.Lte, err = cli.ParseTime("until", *until, true); err != nil {
		return config{}, err
	}
	if gte, lte := cfg.filter.CreatedAt.Gte, cfg.filter.CreatedAt.Lte; !gte.IsZero() && !lte.IsZero() && gte.After(lte) {
		return config{}, cli.Usagef("-since is after -until")
	}
	return cfg, nil
}

// run prints the events args select to stdout and, with -poll, keeps
// printing new ones, waiting with wait between polls, until ctx ends.
// connect supplies the client once the arguments are known to be good.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, connect func() (*telnyx.Client, error),
	wait func(context.Context, time.Duration) error) error {
	cfg, err := parseArgs(args, stderr)
	if err != nil {
		return err
	}
	filter, poll := cfg.filter, cfg.poll

	client, err := connect()
	if err != nil {
		return err
	}

	// Each poll asks only for events from the second of the newest one
	// printed on (the API compares whole seconds); seen holds the IDs
	// printed since that second began, so that no event is printed twice
	// and the set stays small however long the command runs.
	seen := map[string]time.Time{}
	for {
		newest := filter.CreatedAt.Gte
		params := &telnyx.PortoutEventListParams{Page: telnyx.PageParams{Size: 100}, Filter: filter}
		for e, err := range client.Portouts.Events.ListAutoPaging(ctx, params) {
			if err != nil {
				switch {
				case ctx.Err() != nil && poll > 0:
					return nil // interrupted: a normal way to stop following
				case errors.Is(err, context.Canceled):
					return fmt.Errorf("interrupted: %w", err)
				}
				return err
			}
			if _, ok := seen[e.ID]; ok {
				continue
			}
			printEvent(stdout, e)
			seen[e.ID] = e.CreatedAt
			if e.CreatedAt.After(newest) {
				newest = e.CreatedAt
			}
		}
		cutoff := newest.Truncate(time.Second)
		for id, at := range seen {
			if at.Before(cutoff) {
				delete(seen, id)
			}
		}
		filter.CreatedAt.Gte = cutoff
		if poll <= 0 {
			return nil
		}
		if err := wait(ctx, poll); err != nil {
			return nil // interrupted: a normal way to stop following
		}
	}
}

func printEvent(w io.Writer, e *telnyx.PortoutEvent) {
	head := fmt.Sprintf("%s  %-8s", e.CreatedAt.Format(time.RFC3339), short(e.PortoutID))
	switch p := e.Payload.(type) {
	case *telnyx.PortoutStatusChangedPayload:
		line := fmt.Sprintf("%s  status → %s (%s)", head, p.Status, strings.Join(p.PhoneNumbers, ", "))
		if p.RejectionReason != "" {
			line += ": " + p.RejectionReason
		}
		fmt.Fprintln(w, line)
	case *telnyx.PortoutNewCommentPayload:
		fmt.Fprintf(w, "%s  comment: %s\n", head, p.Comment)
	case *telnyx.PortoutFocDateChangedPayload:
		fmt.Fprintf(w, "%s  FOC date → %s\n", head, p.FocDate.Format(time.RFC3339))
	case *telnyx.UnknownPortoutEventPayload:
		fmt.Fprintf(w, "%s  %s: %s\n", head, e.EventType, p.Raw)
	default:
		fmt.Fprintf(w, "%s  %s\n", head, e.EventType)
	}
}

func short(id string) string {
	if len(id) > 8 {
		return id[:8]
	}
	return id
}
