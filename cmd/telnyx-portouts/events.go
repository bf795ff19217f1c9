package main

import (
	"context"
	"encoding/json"
	"flag"
	"slices"
	"strings"
	"time"

	telnyx "github.com/a54710f5/telnyx-go"
)

var eventsCmd = &command{
	name:    "events",
	args:    "[--portout ID] [--type T] [--since DATE] [--follow [--interval D]]",
	summary: "list port-out events; --follow keeps printing new ones until Ctrl-C",
	about: `List port-out events (status changes, comments, FOC date changes), oldest
first. With --follow, keep polling and print each new event once, until Ctrl-C.`,
	example: `  telnyx-portouts --fake events --portout ` + demoAcme + `
  telnyx-portouts events --type portout.status_changed --since 2026-11-01 --follow --interval 1m`,
	run: runEvents,
}

var eventTypes = []telnyx.PortoutEventType{
	telnyx.PortoutEventStatusChanged, telnyx.PortoutEventNewComment, telnyx.PortoutEventFocDateChanged,
}

func runEvents(ctx context.Context, a *app, c *command, args []string) error {
	fs := a.flagSet(c.name)
	portout := fs.String("portout", "", "only events of this port-out `ID`")
	typ := fs.String("type", "", "only events of this `TYPE`: portout.status_changed, portout.new_comment or portout.foc_date_changed")
	since := &timeFlag{}
	fs.Var(since, "since", "only events created on or after `DATE` (2006-01-02 or RFC 3339)")
	follow := fs.Bool("follow", false, "keep polling for new events until Ctrl-C")
	interval := fs.Duration("interval", 30*time.Second, "with --follow, the wait between polls (at least 1s)")
	pos, err := a.parse(c, fs, args)
	if err != nil {
		return err
	}
	if err := noArgs(pos); err != nil {
		return err
	}
	filter := telnyx.PortoutEventListFilter{
		PortoutID: strings.TrimSpace(*portout),
		EventType: telnyx.PortoutEventType(strings.TrimSpace(*typ)),
		CreatedAt: telnyx.DateRange{Gte: since.first()},
	}
	if filter.EventType != "" && !slices.Contains(eventTypes, filter.EventType) {
		return usagef("--type %q: use portout.status_changed, portout.new_comment or portout.foc_date_changed", *typ)
	}
	intervalSet := false
	fs.Visit(func(f *flag.Flag) { intervalSet = intervalSet || f.Name == "interval" })
	switch {
	case intervalSet && !*follow:
		return usagef("--interval goes with --follow")
	case *follow && *interval < time.Second:
		return usagef("--interval %v is under a second", *interval)
	}
	client, err := a.getClient()
	if err != nil {
		return err
	}
	f := &follower{out: eventPrinter{a: a}, client: client, filter: filter, seen: map[string]bool{}}
	if !*follow {
		n, err := f.poll(ctx)
		if err == nil && n == 0 && !a.jsonOut() {
			a.msg.printf("No events match.\n")
		}
		return err
	}
	for {
		if _, err := f.poll(ctx); err != nil {
			if ctx.Err() != nil {
				return nil //nolint:nilerr // Ctrl-C is the usual way to stop following, not a failure
			}
			return err
		}
		if err := a.wait(ctx, *interval); err != nil {
			return nil //nolint:nilerr // the wait ends only when ctx does: Ctrl-C
		}
	}
}

// follower lists events and prints each one once. The API compares
// filter[created_at][gte] in whole seconds, so each poll starts again at
// the second of the newest event printed so far, and seen holds only the
// IDs of the events printed from that second: memory stays small however
// long --follow runs.
type follower struct {
	out    eventPrinter
	client *telnyx.Client
	filter telnyx.PortoutEventListFilter
	seen   map[string]bool
}

// poll prints the events not printed yet and returns how many it printed.
func (f *follower) poll(ctx context.Context) (int, error) {
	params := &telnyx.PortoutEventListParams{Filter: f.filter, Page: telnyx.PageParams{Size: maxPageSize}}
	newest := f.filter.CreatedAt.Gte
	var printed []*telnyx.PortoutEvent
	for e, err := range f.client.Portouts.Events.ListAutoPaging(ctx, params) {
		if err != nil {
			f.advance(newest, printed)
			return len(printed), err
		}
		if f.seen[e.ID] {
			continue
		}
		f.out.print(e)
		printed = append(printed, e)
		if e.CreatedAt.After(newest) {
			newest = e.CreatedAt
		}
	}
	f.advance(newest, printed)
	return len(printed), nil
}

// advance moves the next poll's start to newest's second and keeps only the
// IDs seen from that second on.
func (f *follower) advance(newest time.Time, printed []*telnyx.PortoutEvent) {
	cut := newest.Truncate(time.Second)
	if !cut.Equal(f.filter.CreatedAt.Gte.Truncate(time.Second)) {
		clear(f.seen) // everything seen so far is older than cut
	}
	for _, e := range printed {
		if !e.CreatedAt.Before(cut) {
			f.seen[e.ID] = true
		}
	}
	f.filter.CreatedAt.Gte = cut
}

// eventPrinter prints events as they come (events --follow, listen): JSON
// lines, or rows of a table whose header comes with the first event.
type eventPrinter struct {
	a     *app
	table *streamTable
}

func (p *eventPrinter) print(e *telnyx.PortoutEvent) {
	if p.a.jsonOut() {
		p.a.out.json(e)
		return
	}
	if p.table == nil {
		p.table = &streamTable{p: p.a.out, widths: []int{len("2006-01-02 15:04:05"), 36, len("portout.foc_date_changed")}}
		p.table.row([]string{"TIME (UTC)", "PORT-OUT", "EVENT", "DETAIL"})
	}
	p.table.row(eventRow(e))
}

func eventRow(e *telnyx.PortoutEvent) []string {
	return []string{stamp(e.CreatedAt), e.PortoutID, string(e.EventType), eventDetail(e)}
}

// eventDetail says in a few words what the event is about.
func eventDetail(e *telnyx.PortoutEvent) string {
	switch p := e.Payload.(type) {
	case *telnyx.PortoutStatusChangedPayload:
		s := "status: " + string(p.Status)
		if p.RejectionReason != "" {
			s += " (reason: " + p.RejectionReason + ")"
		}
		return s
	case *telnyx.PortoutNewCommentPayload:
		return "comment: " + p.Comment
	case *telnyx.PortoutFocDateChangedPayload:
		return "FOC date: " + date(p.FocDate)
	case *telnyx.UnknownPortoutEventPayload:
		b, _ := json.Marshal(p.Raw)
		return string(b)
	}
	return ""
}
