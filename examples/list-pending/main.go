// Command list-pending lists port-out requests waiting for a decision, or
// any other status, with the filters of GET /portouts.
//
//	TELNYX_API_KEY=KEY... go run ./examples/list-pending -country US -since 2024-09-01
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
	"text/tabwriter"
	"time"

	telnyx "github.com/a54710f5/telnyx-go"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr, connect)
	stop()
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
	case errors.Is(err, errUsage):
		fmt.Fprintln(os.Stderr, "list-pending:", err)
		os.Exit(2)
	default:
		fmt.Fprintln(os.Stderr, "list-pending:", err)
		os.Exit(1)
	}
}

// connect builds the client from TELNYX_API_KEY and TELNYX_BASE_URL.
func connect() (*telnyx.Client, error) {
	return telnyx.NewClient(telnyx.WithUserAgent("telnyx-go-list-pending"))
}

// errUsage marks a mistake on the command line.
var errUsage = errors.New("usage")

func usagef(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{errUsage}, args...)...)
}

// run parses args, lists the port-outs they select and prints them to
// stdout as a table.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, connect func() (*telnyx.Client, error)) error {
	fs := flag.NewFlagSet("list-pending", flag.ContinueOnError)
	fs.SetOutput(stderr)
	status := fs.String("status", "pending", "port-out status (pending, authorized, ported, rejected, rejected-pending, canceled); empty for any")
	country := fs.String("country", "", "2-letter country code, or several separated by commas")
	carrier := fs.String("carrier", "", "new carrier name")
	phone := fs.String("phone", "", "phone number on the port-out, E.164")
	supportKey := fs.String("support-key", "", "support key, such as PO_764725")
	since := fs.String("since", "", "created on or after this date (2006-01-02, from its start) or RFC 3339 time")
	until := fs.String("until", "", "created on or before this date (2006-01-02, to its end) or RFC 3339 time")
	focDate := fs.String("foc", "", "FOC date (2006-01-02)")
	limit := fs.Int("limit", 100, "stop after this many port-outs; 0 for all")
	pageSize := fs.Int("page-size", 50, "port-outs per request (1 to 250)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usagef("%v", err)
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", fs.Arg(0))
	}
	if *limit < 0 {
		return usagef("-limit %d is negative", *limit)
	}
	if *pageSize < 1 || *pageSize > 250 {
		return usagef("-page-size %d is outside 1 to 250", *pageSize)
	}
	st := telnyx.PortoutStatus(*status)
	if st != "" && !st.Valid() {
		return usagef("-status %q is not a port-out status", *status)
	}

	params := &telnyx.PortoutListParams{
		Page: telnyx.PageParams{Size: *pageSize},
		Filter: telnyx.PortoutListFilter{
			Status:      st,
			CarrierName: *carrier,
			PhoneNumber: *phone,
			SupportKey:  *supportKey,
		},
	}
	if codes := strings.Split(*country, ","); len(codes) > 1 {
		params.Filter.CountryCodeIn = codes
	} else {
		params.Filter.CountryCode = *country
	}
	var err error
	if params.Filter.InsertedAt.Gte, err = parseTime("since", *since, false); err != nil {
		return err
	}
	if params.Filter.InsertedAt.Lte, err = parseTime("until", *until, true); err != nil {
		return err
	}
	if params.Filter.FocDate, err = parseTime("foc", *focDate, false); err != nil {
		return err
	}

	client, err := connect()
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSTATUS\tFOC DATE\tNEW CARRIER\tNUMBERS\tSUPPORT KEY")
	n := 0
	for p, err := range client.Portouts.ListAutoPaging(ctx, params) {
		if err != nil {
			return err
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", p.ID, p.Status, day(p.FocDate), p.CarrierName,
			strings.Join(p.PhoneNumbers, " "), p.SupportKey)
		n++
		if *limit > 0 && n >= *limit {
			break
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d port-out(s)\n", n)
	return nil
}

// parseTime reads a flag holding a date or an RFC 3339 time; "" is zero. A
// bare date means its first instant, or with endOfDay its last, so that
// "-until 2024-09-30" includes that whole day.
func parseTime(name, s string, endOfDay bool) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		if endOfDay {
			t = t.Add(24*time.Hour - time.Second)
		}
		return t, nil
	}
	return time.Time{}, usagef("-%s: %q is neither a date (2006-01-02) nor an RFC 3339 time", name, s)
}

func day(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.Format(time.DateOnly)
}
