// Command export-report asks Telnyx for a CSV export of port-outs, waits
// until the report is ready, and downloads it.
//
//	go run ./examples/export-report -status pending,authorized -since 2024-09-01 -out portouts.csv
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
		fmt.Fprintln(os.Stderr, "export-report:", err)
		os.Exit(1)
	}
}

func run() error {
	out := flag.String("out", "-", "where to write the CSV; - for standard output")
	statuses := flag.String("status", "", "only these statuses, separated by commas")
	since := flag.String("since", "", "created after (2006-01-02 or RFC 3339)")
	until := flag.String("until", "", "created before (2006-01-02 or RFC 3339)")
	endUser := flag.String("end-user", "", "only this end user name")
	phones := flag.String("phones", "", "only port-outs holding any of these numbers, separated by commas")
	refs := flag.String("refs", "", "only these customer references, separated by commas")
	timeout := flag.Duration("timeout", 10*time.Minute, "give up waiting for the report after this long")
	flag.Parse()

	filters := telnyx.PortoutReportFilters{
		EndUserName:          *endUser,
		PhoneNumbersOverlaps: split(*phones),
		CustomerReferenceIn:  split(*refs),
	}
	for _, s := range split(*statuses) {
		filters.StatusIn = append(filters.StatusIn, telnyx.PortoutStatus(s))
	}
	var err error
	if filters.CreatedAtGt, err = parseTime("since", *since); err != nil {
		return err
	}
	if filters.CreatedAtLt, err = parseTime("until", *until); err != nil {
		return err
	}

	client, err := telnyx.NewClient() // TELNYX_API_KEY, TELNYX_BASE_URL
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()

	report, err := client.Portouts.Reports.Create(ctx, telnyx.PortoutReportCreateParams{Filters: filters})
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "report %s created, waiting", report.ID)

	// Poll until completed: 1s, 2s, 4s... at most 15s apart, until ctx ends.
	wait := time.Second
	for report.Status != telnyx.ReportStatusCompleted {
		select {
		case <-ctx.Done():
			fmt.Fprintln(os.Stderr)
			return fmt.Errorf("report %s still %s: %w", report.ID, report.Status, ctx.Err())
		case <-time.After(wait):
		}
		wait = min(2*wait, 15*time.Second)
		if report, err = client.Portouts.Reports.Get(ctx, report.ID); err != nil {
			fmt.Fprintln(os.Stderr)
			return err
		}
		fmt.Fprint(os.Stderr, ".")
	}
	fmt.Fprintln(os.Stderr, " completed")
	if report.DocumentID == "" {
		return fmt.Errorf("report %s completed without a document", report.ID)
	}

	w := os.Stdout
	if *out != "-" {
		if w, err = os.Create(*out); err != nil {
			return err
		}
		defer w.Close() // a no-op after the Close below
	}
	n, err := client.Documents.Download(ctx, report.DocumentID, w)
	if err != nil {
		return err
	}
	if w != os.Stdout {
		if err := w.Close(); err != nil {
			return err
		}
	}
	fmt.Fprintf(os.Stderr, "wrote %d bytes (document %s)\n", n, report.DocumentID)
	return nil
}

func split(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
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
