// Command quickstart walks through the review of port-out requests with the
// telnyx SDK: list what is pending, look at one request, authorize one,
// reject another, comment, follow the events and export a CSV report.
//
// With no TELNYX_API_KEY it runs against an in-process fake of the API
// (package telnyxtest) holding a few sample port-outs, so nothing leaves the
// machine:
//
//	go run ./examples/quickstart
//
// With a key it runs the read-only steps against your account:
//
//	TELNYX_API_KEY=KEY... go run ./examples/quickstart
//
// and changes only the port-outs you name, when you add -apply:
//
//	go run ./examples/quickstart -apply -authorize <id> -reject <id> -reason "..."
package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"time"

	telnyx "github.com/a54710f5/telnyx-go"
	"github.com/a54710f5/telnyx-go/telnyxtest"
)

func main() {
	os.Exit(realMain(os.Args[1:], os.Stdout, os.Stderr))
}

func realMain(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("quickstart", flag.ContinueOnError)
	fs.SetOutput(stderr)
	apply := fs.Bool("apply", false, "with TELNYX_API_KEY: make the changes (authorize, reject, comment, report); without it nothing is changed")
	authorize := fs.String("authorize", "", "ID of a pending port-out to authorize (with -apply)")
	reject := fs.String("reject", "", "ID of a pending port-out to reject (with -apply)")
	reason := fs.String("reason", "", "why the port-out given to -reject is rejected")
	comment := fs.String("comment", "", "a comment to add to the rejected (or else the authorized) port-out")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	cfg := config{
		Apply:       *apply,
		AuthorizeID: *authorize,
		RejectID:    *reject,
		Reason:      *reason,
		Comment:     *comment,
	}
	var client *telnyx.Client
	if os.Getenv("TELNYX_API_KEY") == "" {
		srv := telnyxtest.NewServer()
		defer srv.Close()
		seedDemo(srv, time.Now())
		client = srv.Client()
		cfg.Demo, cfg.Apply = true, true
	} else {
		c, err := telnyx.NewClient(telnyx.WithUserAgent("telnyx-go-quickstart"))
		if err != nil {
			fmt.Fprintln(stderr, "quickstart:", err)
			return 1
		}
		client = c
	}
	if err := run(ctx, client, stdout, cfg); err != nil {
		fmt.Fprintln(stderr, "quickstart:", err)
		return 1
	}
	return 0
}

// seedDemo fills the fake with port-outs like those a carrier's review queue
// holds, around now.
func seedDemo(srv *telnyxtest.Server, now time.Time) {
	now = now.UTC().Truncate(time.Minute)
	daysAgo := func(d int) time.Time { return now.AddDate(0, 0, -d) }
	midnightIn := func(d int) time.Time { return now.Truncate(24*time.Hour).AddDate(0, 0, d) }

	// Each was last updated when created, except the ported one.
	add := func(p telnyx.Portout) telnyx.Portout {
		p.UpdatedAt = cmp.Or(p.UpdatedAt, p.CreatedAt)
		return srv.AddPortout(p)
	}
	brightwater := add(telnyx.Portout{
		SupportKey: "PO_318204", Status: telnyx.PortoutStatusPending,
		PhoneNumbers: []string{"+13125550142", "+13125550143"},
		EndUserName:  "Brightwater Dental LLC", AuthorizedName: "Maria Lopez",
		CarrierName: "Lakeside Telecom", SPID: "123A", PON: "BW-20250611",
		ServiceAddress: "400 N Michigan Ave", City: "Chicago", State: "IL", Zip: "60611",
		RequestedFocDate: midnightIn(9), CreatedAt: daysAgo(2),
	})
	add(telnyx.Portout{
		SupportKey: "PO_552871", Status: telnyx.PortoutStatusPending,
		PhoneNumbers: []string{"+14165550199"},
		EndUserName:  "Northwind Bakery Inc.", AuthorizedName: "Sam Chen",
		CarrierName: "Maple Mobile", SPID: "456B", PON: "NW-88213",
		ServiceAddress: "88 Queen St W", City: "Toronto", State: "ON", Zip: "M5H 2M5",
		RequestedFocDate: midnightIn(5), CreatedAt: daysAgo(1),
	})
	add(telnyx.Portout{
		SupportKey: "PO_690413", Status: telnyx.PortoutStatusPending,
		PhoneNumbers: []string{"+12065550123"},
		EndUserName:  "Harbor Logistics", AuthorizedName: "Lee Park",
		CarrierName: "Cascade Wireless", SPID: "789C", PON: "HL-4471",
		City: "Seattle", State: "WA", RequestedFocDate: midnightIn(14), CreatedAt: daysAgo(1),
	})
	add(telnyx.Portout{
		SupportKey: "PO_204977", Status: telnyx.PortoutStatusAuthorized,
		PhoneNumbers: []string{"+442071838750"},
		EndUserName:  "Quill & Co", CarrierName: "Thames Telecom", PON: "QC-1102",
		City: "London", FocDate: midnightIn(3), CreatedAt: daysAgo(6),
	})
	add(telnyx.Portout{
		SupportKey: "PO_117350", Status: telnyx.PortoutStatusPorted,
		PhoneNumbers: []string{"+15035550177"},
		EndUserName:  "Pinecrest Clinic", CarrierName: "Cascade Wireless", PON: "PC-0931",
		City: "Portland", State: "OR", FocDate: daysAgo(4), CreatedAt: daysAgo(20), UpdatedAt: daysAgo(4),
	})
	// A note from Telnyx support, as the portal shows it.
	_, _ = srv.AddComment(brightwater.ID, "The gaining carrier sent the account PIN on file. Please confirm before the FOC date.")
}
