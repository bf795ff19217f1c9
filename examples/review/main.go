// Command review shows one port-out request — its details, its comments and
// the rejection codes that apply to it — and, when asked, authorizes or
// rejects it.
//
//	go run ./examples/review -id 0ccc7b54-4df3-4bca-a65a-3da1ecc777f0
//	go run ./examples/review -id ... -authorize
//	go run ./examples/review -id ... -reject -code 1002 -reason "PIN does not match"
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
		fmt.Fprintln(os.Stderr, "review:", err)
		os.Exit(1)
	}
}

func run() error {
	id := flag.String("id", "", "port-out ID (required)")
	authorize := flag.Bool("authorize", false, "authorize the port-out")
	reject := flag.Bool("reject", false, "reject the port-out (with -code)")
	code := flag.Int("code", 0, "rejection code, one of those listed as eligible")
	reason := flag.String("reason", "", "reason sent with the rejection; defaults to the code's description")
	hostMessaging := flag.Bool("host-messaging", false, "with -authorize: keep messaging with Telnyx after the port-out")
	flag.Parse()

	switch {
	case *id == "":
		return errors.New("-id is required")
	case *authorize && *reject:
		return errors.New("use -authorize or -reject, not both")
	case *reject && *code == 0:
		return errors.New("-reject needs -code; run without -reject to see the eligible codes")
	}

	client, err := telnyx.NewClient() // TELNYX_API_KEY, TELNYX_BASE_URL
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	p, err := client.Portouts.Get(ctx, *id)
	if err != nil {
		return err
	}
	printPortout(p)

	comments, err := client.Portouts.Comments.List(ctx, *id)
	if err != nil {
		return err
	}
	fmt.Printf("\nComments (%d)\n", len(comments))
	for _, c := range comments {
		author := c.UserID
		if author == "" {
			author = "Telnyx"
		}
		fmt.Printf("  %s  %s: %s\n", stamp(c.CreatedAt), author, c.Body)
	}

	codes, err := client.Portouts.ListRejectionCodes(ctx, *id, nil)
	if err != nil {
		return err
	}
	fmt.Printf("\nEligible rejection codes (%d)\n", len(codes))
	for _, c := range codes {
		note := ""
		if c.ReasonRequired {
			note = " (reason required)"
		}
		fmt.Printf("  %d  %s%s\n", c.Code, c.Description, note)
	}

	switch {
	case *authorize:
		p, err = client.Portouts.UpdateStatus(ctx, *id, telnyx.PortoutStatusAuthorized,
			telnyx.PortoutUpdateStatusParams{HostMessaging: *hostMessaging})
	case *reject:
		var chosen *telnyx.PortoutRejectionCode
		for i := range codes {
			if codes[i].Code == *code {
				chosen = &codes[i]
			}
		}
		if chosen == nil {
			return fmt.Errorf("code %d is not eligible for this port-out", *code)
		}
		text := strings.TrimSpace(*reason)
		if text == "" {
			if chosen.ReasonRequired {
				return fmt.Errorf("code %d requires -reason", *code)
			}
			text = chosen.Description
		}
		p, err = client.Portouts.UpdateStatus(ctx, *id, telnyx.PortoutStatusRejectedPending,
			telnyx.PortoutUpdateStatusParams{Reason: text})
	default:
		return nil
	}
	if err != nil {
		return err
	}
	fmt.Printf("\nStatus is now %s\n", p.Status)
	return nil
}

func printPortout(p *telnyx.Portout) {
	rows := [][2]string{
		{"ID", p.ID},
		{"Status", string(p.Status)},
		{"Phone numbers", strings.Join(p.PhoneNumbers, ", ")},
		{"End user", p.EndUserName},
		{"Authorized by", p.AuthorizedName},
		{"Service address", strings.Join(nonEmpty(p.ServiceAddress, p.City, p.State, p.Zip), ", ")},
		{"New carrier", fmt.Sprintf("%s (SPID %s)", p.CarrierName, p.SPID)},
		{"PON", p.PON},
		{"Requested FOC", stamp(p.RequestedFocDate)},
		{"FOC date", stamp(p.FocDate)},
		{"Support key", p.SupportKey},
		{"Created", stamp(p.CreatedAt)},
	}
	if p.Reason != "" {
		rows = append(rows, [2]string{"Reason", p.Reason})
	}
	for _, r := range rows {
		fmt.Printf("%-16s %s\n", r[0]+":", r[1])
	}
}

func nonEmpty(s ...string) []string {
	var out []string
	for _, v := range s {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.Format("2006-01-02 15:04 MST")
}
