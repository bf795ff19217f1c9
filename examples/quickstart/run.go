package main

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	telnyx "github.com/a54710f5/telnyx-go"
)

// config says what run may do.
type config struct {
	// Demo means the client talks to the in-process fake: run picks the
	// port-outs to change by itself and may change them.
	Demo bool
	// Apply allows changes: status updates, a comment and a report. Against
	// the real API only the port-outs named below are touched.
	Apply       bool
	AuthorizeID string // in a demo, "" picks the first pending port-out
	RejectID    string // in a demo, "" picks the second pending port-out
	Reason      string // sent with the rejection
	Comment     string // added to the rejected (or else authorized) port-out
}

const (
	demoReason  = "The account owner told us on a callback that they did not ask to move this number."
	demoComment = "Rejected after a callback to the account owner; please contact them before resubmitting."
)

// run is the quickstart: it prints each step of a port-out review to w.
func run(ctx context.Context, client *telnyx.Client, w io.Writer, cfg config) error {
	out := &printer{w: w}
	out.line("Telnyx port-out quickstart")
	switch {
	case cfg.Demo:
		out.line("Running against an in-process fake of the Telnyx API (package telnyxtest): nothing leaves this machine.")
		out.line("Set TELNYX_API_KEY to run the read-only steps against your own account.")
	case cfg.Apply:
		out.line("Running against the Telnyx API with -apply: only the port-outs you named will change.")
	default:
		out.line("Running against the Telnyx API, read-only: nothing will be changed.")
	}

	// 1. The review queue.
	pending, err := listPending(ctx, client)
	if err != nil {
		return fmt.Errorf("listing pending port-outs: %w", err)
	}
	out.section("1. Pending port-out requests (%d)", len(pending))
	if len(pending) == 0 {
		out.line("   Nothing is waiting for review.")
	} else {
		tw := out.table()
		fmt.Fprintln(tw, "   SUPPORT KEY\tPHONE NUMBERS\tEND USER\tGAINING CARRIER\tREQUESTED FOC")
		for _, p := range pending {
			fmt.Fprintf(tw, "   %s\t%s\t%s\t%s\t%s\n", p.SupportKey, strings.Join(p.PhoneNumbers, ", "), p.EndUserName, p.CarrierName, date(p.RequestedFocDate))
		}
		out.flush(tw)
	}

	// Which port-outs to act on.
	authorizeID, rejectID := cfg.AuthorizeID, cfg.RejectID
	if cfg.Demo {
		if authorizeID == "" && len(pending) > 0 {
			authorizeID = pending[0].ID
		}
		if rejectID == "" && len(pending) > 1 {
			rejectID = pending[1].ID
		}
	}
	inspectID := authorizeID
	if inspectID == "" && len(pending) > 0 {
		inspectID = pending[0].ID
	}
	if inspectID == "" {
		out.line("\nNo port-out to look at; done.")
		return out.err
	}

	// 2. One request in detail.
	if err := inspect(ctx, client, out, inspectID); err != nil {
		return err
	}

	if !cfg.Apply {
		if err := printEvents(ctx, client, out, "3. Events of this port-out", inspectID); err != nil {
			return err
		}
		out.section("Read-only run: nothing was changed.")
		out.line("   To act on port-outs, run again with -apply and name them:")
		out.line("   go run ./examples/quickstart -apply -authorize <id> -reject <id> -reason \"...\"")
		return out.err
	}
	if authorizeID == "" && rejectID == "" {
		out.section("Nothing to change: name a pending port-out with -authorize or -reject.")
		return out.err
	}

	// 3. Authorize.
	step := 3
	var touched []string
	if authorizeID != "" {
		out.section("%d. Authorize %s", step, label(pending, authorizeID))
		p, err := client.Portouts.UpdateStatus(ctx, authorizeID, telnyx.PortoutStatusAuthorized, telnyx.PortoutUpdateStatusParams{})
		if err != nil {
			return fmt.Errorf("authorizing %s: %w", authorizeID, err)
		}
		out.line("   %s is now %s.", p.SupportKey, p.Status)
		touched = append(touched, authorizeID)
		step++
	}

	// 4. Reject, with a code that needs a reason.
	if rejectID != "" {
		out.section("%d. Reject %s", step, label(pending, rejectID))
		if err := rejectPortout(ctx, client, out, rejectID, cmp.Or(cfg.Reason, demoReasonIf(cfg.Demo))); err != nil {
			return err
		}
		touched = append(touched, rejectID)
		step++
	}

	// 5. Comment.
	commentOn := cmp.Or(rejectID, authorizeID)
	if text := cmp.Or(cfg.Comment, demoCommentIf(cfg.Demo)); text != "" {
		out.section("%d. Comment on %s", step, label(pending, commentOn))
		c, err := client.Portouts.Comments.Create(ctx, commentOn, telnyx.PortoutCommentCreateParams{Body: text})
		if err != nil {
			return fmt.Errorf("commenting on %s: %w", commentOn, err)
		}
		out.line("   Posted at %s: %q", stamp(c.CreatedAt), c.Body)
		step++
	}

	// 6. What the API recorded.
	if err := printEvents(ctx, client, out, fmt.Sprintf("%d. Events of the port-outs we changed", step), touched...); err != nil {
		return err
	}
	step++

	// 7. The CSV export.
	out.section("%d. CSV export of all port-outs", step)
	var csv bytes.Buffer
	report, err := client.Portouts.Reports.Export(ctx, telnyx.PortoutReportFilters{}, &csv)
	if err != nil {
		return fmt.Errorf("exporting the CSV report: %w", err)
	}
	out.line("   Report %s is %s; its CSV is document %s (%d bytes):", report.ID, report.Status, report.DocumentID, csv.Len())
	out.line("")
	for line := range strings.Lines(csv.String()) {
		out.line("   %s", strings.TrimRight(line, "\r\n"))
	}
	out.section("Done.")
	if cfg.Demo {
		out.line("   Every call above went through the real telnyx.Client; only the server was a fake.")
		out.line("   Use telnyxtest.NewServer in your own tests the same way.")
	}
	return out.err
}

func demoReasonIf(demo bool) string {
	if demo {
		return demoReason
	}
	return ""
}

func demoCommentIf(demo bool) string {
	if demo {
		return demoComment
	}
	return ""
}

// listPending returns every pending port-out, page after page.
func listPending(ctx context.Context, client *telnyx.Client) ([]telnyx.Portout, error) {
	var out []telnyx.Portout
	params := &telnyx.PortoutListParams{
		Page:   telnyx.PageParams{Size: 50},
		Filter: telnyx.PortoutListFilter{Status: telnyx.PortoutStatusPending},
	}
	for p, err := range client.Portouts.ListAutoPaging(ctx, params) {
		if err != nil {
			return nil, err
		}
		out = append(out, *p)
	}
	return out, nil
}

// inspect prints one port-out with its comments and rejection codes.
func inspect(ctx context.Context, client *telnyx.Client, out *printer, id string) error {
	p, err := client.Portouts.Get(ctx, id)
	if err != nil {
		return fmt.Errorf("reading port-out %s: %w", id, err)
	}
	comments, err := client.Portouts.Comments.List(ctx, id)
	if err != nil {
		return fmt.Errorf("reading the comments of %s: %w", id, err)
	}
	codes, err := client.Portouts.ListRejectionCodes(ctx, id, nil)
	if err != nil {
		return fmt.Errorf("reading the rejection codes of %s: %w", id, err)
	}

	out.section("2. A closer look at %s", p.SupportKey)
	tw := out.table()
	row := func(k, v string) {
		if v != "" {
			fmt.Fprintf(tw, "   %s\t%s\n", k, v)
		}
	}
	row("ID", p.ID)
	row("Status", string(p.Status))
	row("End user", p.EndUserName)
	row("Authorized by", p.AuthorizedName)
	row("Phone numbers", strings.Join(p.PhoneNumbers, ", "))
	row("Gaining carrier", strings.TrimSpace(p.CarrierName+" "+paren("SPID "+p.SPID, p.SPID)))
	row("PON", p.PON)
	row("Service address", joinNonEmpty(", ", p.ServiceAddress, p.City, joinNonEmpty(" ", p.State, p.Zip)))
	row("Requested FOC", date(p.RequestedFocDate))
	row("Confirmed FOC", date(p.FocDate))
	out.flush(tw)

	out.line("")
	out.line("   Comments (%d):", len(comments))
	for _, c := range comments {
		who := "you"
		if c.UserID == "" {
			who = "Telnyx support"
		}
		out.line("     %s  %s: %s", stamp(c.CreatedAt), who, c.Body)
	}
	out.line("")
	out.line("   Rejection codes you may use for it:")
	tw = out.table()
	for _, c := range codes {
		if c.ReasonRequired {
			fmt.Fprintf(tw, "     %d\t%s\t(needs a reason)\n", c.Code, c.Description)
		} else {
			fmt.Fprintf(tw, "     %d\t%s\n", c.Code, c.Description)
		}
	}
	out.flush(tw)
	return nil
}

// rejectPortout rejects a port-out, explaining which rejection code calls
// for the reason sent.
func rejectPortout(ctx context.Context, client *telnyx.Client, out *printer, id, reason string) error {
	codes, err := client.Portouts.ListRejectionCodes(ctx, id, nil)
	if err != nil {
		return fmt.Errorf("reading the rejection codes of %s: %w", id, err)
	}
	if i := slices.IndexFunc(codes, func(c telnyx.PortoutRejectionCode) bool { return c.ReasonRequired }); i >= 0 {
		out.line("   Code %d (%s) needs a reason, so we send one:", codes[i].Code, codes[i].Description)
	}
	if reason == "" {
		return errors.New("rejecting needs a reason: pass -reason")
	}
	out.line("   %q", reason)
	p, err := client.Portouts.UpdateStatus(ctx, id, telnyx.PortoutStatusRejectedPending, telnyx.PortoutUpdateStatusParams{Reason: reason})
	if err != nil {
		var apiErr *telnyx.APIError
		if errors.As(err, &apiErr) && errors.Is(err, telnyx.ErrUnprocessable) {
			return fmt.Errorf("the API refused the rejection (%d): %w", apiErr.StatusCode, err)
		}
		return fmt.Errorf("rejecting %s: %w", id, err)
	}
	out.line("   %s is now %s, with rejection code %d.", p.SupportKey, p.Status, p.RejectionCode)
	return nil
}

// printEvents prints the events of the given port-outs, oldest first.
func printEvents(ctx context.Context, client *telnyx.Client, out *printer, title string, portoutIDs ...string) error {
	var events []telnyx.PortoutEvent
	for _, id := range portoutIDs {
		params := &telnyx.PortoutEventListParams{Filter: telnyx.PortoutEventListFilter{PortoutID: id}}
		for ev, err := range client.Portouts.Events.ListAutoPaging(ctx, params) {
			if err != nil {
				return fmt.Errorf("listing the events of %s: %w", id, err)
			}
			events = append(events, *ev)
		}
	}
	slices.SortStableFunc(events, func(a, b telnyx.PortoutEvent) int { return a.CreatedAt.Compare(b.CreatedAt) })

	out.section("%s (%d)", title, len(events))
	tw := out.table()
	for _, ev := range events {
		fmt.Fprintf(tw, "   %s\t%s\t%s\n", stamp(ev.CreatedAt), ev.EventType, describe(ev))
	}
	out.flush(tw)
	return nil
}

// describe says what an event's payload tells, by its concrete type.
func describe(ev telnyx.PortoutEvent) string {
	switch p := ev.Payload.(type) {
	case *telnyx.PortoutStatusChangedPayload:
		s := fmt.Sprintf("%s → %s", strings.Join(p.PhoneNumbers, ", "), p.Status)
		if p.RejectionReason != "" {
			s += fmt.Sprintf(" (reason: %q)", p.RejectionReason)
		}
		return s
	case *telnyx.PortoutNewCommentPayload:
		return fmt.Sprintf("%q", p.Comment)
	case *telnyx.PortoutFocDateChangedPayload:
		return "FOC date is now " + date(p.FocDate)
	default:
		return "(an event type this SDK version does not know)"
	}
}

// label names a port-out by its support key when the list has it.
func label(ps []telnyx.Portout, id string) string {
	for _, p := range ps {
		if p.ID == id {
			return fmt.Sprintf("%s (%s, %s)", p.SupportKey, p.EndUserName, strings.Join(p.PhoneNumbers, ", "))
		}
	}
	return id
}

func date(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format("2006-01-02")
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}

func paren(s, cond string) string {
	if cond == "" {
		return ""
	}
	return "(" + s + ")"
}

func joinNonEmpty(sep string, parts ...string) string {
	return strings.Join(slices.DeleteFunc(parts, func(s string) bool { return strings.TrimSpace(s) == "" }), sep)
}

// printer writes lines and keeps the first write error.
type printer struct {
	w   io.Writer
	err error
}

func (p *printer) line(format string, args ...any) {
	if p.err == nil {
		_, p.err = fmt.Fprintf(p.w, format+"\n", args...)
	}
}

func (p *printer) section(format string, args ...any) {
	p.line("")
	p.line(format, args...)
}

func (p *printer) table() *tabwriter.Writer {
	return tabwriter.NewWriter(p.w, 0, 4, 2, ' ', 0)
}

func (p *printer) flush(tw *tabwriter.Writer) {
	if err := tw.Flush(); err != nil && p.err == nil {
		p.err = err
	}
}
