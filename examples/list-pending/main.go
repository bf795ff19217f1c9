// Command list-pending lists port-out requests waiting for a decision, or
// any other status, with the filters of GET /portouts.
//
//	TELNYX_API_KEY=KEY... go run ./examples/list-pending -country US -since 2024-09-01
//
// TELNYX_BASE_URL, when set, points the client at another server, such as
// a local mock of the API.
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
	"text/tabwriter"
	"time"

	telnyx "github.com/a54710f5/telnyx-go"
	"github.com/a54710f5/telnyx-go/examples/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr, connect)
	stop()
	os.Exit(exitCode(err, os.Stderr))
}

// connect builds the client from TELNYX_API_KEY and TELNYX_BASE_URL.
func connect() (*telnyx.Client, error) {
	return telnyx.NewClient(telnyx.WithUserAgent("telnyx-go-list-pending"))
}

// exitCode prints err, if any, and returns the process's exit status.
func exitCode(err error, stderr io.Writer) int {
	return cli.ExitCode("list-pending", err, stderr, nil)
}

// config is what the command line asks for.
type config struct {
	params telnyx.PortoutListParams
	limit  int
}

func parseArgs(args []string, stderr io.Writer) (config, error) {
	fs := flag.NewFlagSet("list-pending", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: list-pending [flags]")
		fmt.Fprintln(stderr, "Lists port-out requests as a table. Needs TELNYX_API_KEY.")
		fs.PrintDefaults()
	}
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
			return config{}, err
		}
		return config{}, cli.Shown(err)
	}
	switch {
	case fs.NArg() > 0:
		return config{}, cli.Usagef("unexpected argument %q", fs.Arg(0))
	case *limit < 0:
		return config{}, cli.Usagef("-limit %d is negative", *limit)
	case *pageSize < 1 || *pageSize > 250:
		return config{}, cli.Usagef("-page-size %d is outside 1 to 250", *pageSize)
	}
	st := telnyx.PortoutStatus(strings.TrimSpace(*status))
	if st != "" && !st.Valid() {
		return config{}, cli.Usagef("-status %q is not a port-out status", *status)
	}

	cfg := config{
		limit: *limit,
		params: telnyx.PortoutListParams{
			Page: telnyx.PageParams{Size: *pageSize},
			Filter: telnyx.PortoutListFilter{
				Status:      st,
				CarrierName: strings.TrimSpace(*carrier),
				PhoneNumber: strings.TrimSpace(*phone),
				SupportKey:  strings.TrimSpace(*supportKey),
			},
		},
	}
	f := &cfg.params.Filter
	codes := split(*country)
	for i, c := range codes {
		if !isCountryCode(c) {
			return config{}, cli.Usagef("-country: %q is not a 2-letter country code", c)
		}
		codes[i] = strings.ToUpper(c)
	}
	if len(codes) == 1 {
		f.CountryCode = codes[0]
	} else {
		f.CountryCodeIn = codes
	}
	var err error
	if f.InsertedAt.Gte, err = cli.ParseTime("since", *since, false); err != nil {
		return config{}, err
	}
	if f.InsertedAt.Lte, err = cli.ParseTime("until", *until, true); err != nil {
		return config{}, err
	}
	if gte, lte := f.InsertedAt.Gte, f.InsertedAt.Lte; !gte.IsZero() && !lte.IsZero() && gte.After(lte) {
		return config{}, cli.Usagef("-since is after -until")
	}
	if f.FocDate, err = cli.ParseTime("foc", *focDate, false); err != nil {
		return config{}, err
	}
	return cfg, nil
}

// run lists the port-outs that args select and prints them to stdout as a
// table. connect supplies the client once the arguments are known to be
// good.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, connect func() (*telnyx.Client, error)) error {
	cfg, err := parseArgs(args, stderr)
	if err != nil {
		return err
	}
	client, err := connect()
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSTATUS\tFOC DATE\tNEW CARRIER\tNUMBERS\tSUPPORT KEY")
	n := 0
	for p, err := range client.Portouts.ListAutoPaging(ctx, &cfg.params) {
		if err != nil {
			if errors.Is(err, context.Canceled) {
				return fmt.Errorf("interrupted: %w", err)
			}
			return err
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", p.ID, p.Status, day(p.FocDate), p.CarrierName,
			strings.Join(p.PhoneNumbers, " "), p.SupportKey)
		n++
		if cfg.limit > 0 && n >= cfg.limit {
			break
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d port-out(s)\n", n)
	return nil
}

// split returns the non-empty, trimmed values of a comma-separated list.
func split(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

func isCountryCode(s string) bool {
	if len(s) != 2 {
		return false
	}
	for _, r := range s {
		if (r < 'A' || r > 'Z') && (r < 'a' || r > 'z') {
			return false
		}
	}
	return true
}

func day(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.Format(time.DateOnly)
}
