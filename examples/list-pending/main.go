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
	"os"
	"os/signal"
	"strings"
	"text/tabwriter"
	"time"

	telnyx "github.com/a54710f5/telnyx-go"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "list-pending:", err)
		os.Exit(1)
	}
}

func run() error {
	status := flag.String("status", "pending", "port-out status (pending, authorized, ported, rejected, rejected-pending, canceled); empty for any")
	country := flag.String("country", "", "2-letter country code, or several separated by commas")
	carrier := flag.String("carrier", "", "new carrier name")
	phone := flag.String("phone", "", "phone number on the port-out, E.164")
	supportKey := flag.String("support-key", "", "support key, such as PO_764725")
	since := flag.String("since", "", "created on or after this date (2006-01-02 or RFC 3339)")
	until := flag.String("until", "", "created on or before this date (2006-01-02 or RFC 3339)")
	focDate := flag.String("foc", "", "FOC date (2006-01-02)")
	limit := flag.Int("limit", 100, "stop after this many port-outs; 0 for all")
	pageSize := flag.Int("page-size", 50, "port-outs per request (1 to 250)")
	flag.Parse()

	params := &telnyx.PortoutListParams{
		Page: telnyx.PageParams{Size: *pageSize},
		Filter: telnyx.PortoutListFilter{
			Status:      telnyx.PortoutStatus(*status),
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
	if params.Filter.InsertedAt.Gte, err = parseTime("since", *since); err != nil {
		return err
	}
	if params.Filter.InsertedAt.Lte, err = parseTime("until", *until); err != nil {
		return err
	}
	if params.Filter.FocDate, err = parseTime("foc", *focDate); err != nil {
		return err
	}

	client, err := telnyx.NewClient() // TELNYX_API_KEY, TELNYX_BASE_URL
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
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
	fmt.Printf("%d port-out(s)\n", n)
	return nil
}

// parseTime reads a flag holding a date or an RFC 3339 time; "" is zero.
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

func day(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.Format(time.DateOnly)
}
