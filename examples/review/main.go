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
	"io"
	"os"
	"os/signal"
	"strings"
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
		fmt.Fprintln(os.Stderr, "review:", err)
		os.Exit(2)
	default:
		fmt.Fprintln(os.Stderr, "review:", err)
		os.Exit(1)
	}
}

// connect builds the client from TELNYX_API_KEY and TELNYX_BASE_URL.
func connect() (*telnyx.Client, error) {
	return telnyx.NewClient(telnyx.WithUserAgent("telnyx-go-review"))
}

// errUsage marks a mistake on the command line.
var errUsage = errors.New("usage")

func usagef(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{errUsage}, args...)...)
}

// run shows the port-out args name on stdout and, when asked, authorizes
// or rejects it.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, connect func() (*telnyx.Client, error)) error {
	fs := flag.NewFlagSet("review", flag.ContinueOnError)
	fs.SetOutput(stderr)
	id := fs.String("id", "", "port-out ID (required)")
	authorize := fs.Bool("authorize", false, "authorize the port-out")
	reject := fs.Bool("reject", false, "reject the port-out (with -code)")
	code := fs.Int("code", 0, "rejection code, one of those listed as eligible")
	reason := fs.String("reason", "", "reason sent with the rejection; defaults to the code's description")
	hostMessaging := fs.Bool("host-messaging", false, "with -authorize: keep messaging with Telnyx after the port-out")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usagef("%v", err)
	}

	switch {
	case fs.NArg() > 0:
		return usagef("unexpected argument %q", fs.Arg(0))
	case strings.TrimSpace(*id) == "":
		return usagef("-id is required")
	case *authorize && *reject:
		return usagef("use -authorize or -reject, not both")
	case *reject && *code == 0:
		return usagef("-reject needs -code; run without -reject to see the eligible codes")
	case !*reject && (*code != 0 || *reason != ""):
		return usagef("-code and -reason go with -reject")
	case *hostMessaging && !*authorize:
		return usagef("-host-messaging goes with -authorize")
	}

	client, err := connect()
	if err != nil {
		return err
	}

	p, err := client.Portouts.Get(ctx, *id)
	if err != nil {
		return err
	}
	printPortout(stdout, p)

	comments, err := client.Portouts.Comments.List(ctx, *id)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\nComments (%d)\n", len(comments))
	for _, c := range comments {
		author := c.UserID
		if author == "" {
			author = "Telnyx"
		}
		fmt.Fprintf(stdout, "  %s  %s: %s\n", stamp(c.CreatedAt), author, c.Body)
	}

	codes, err := client.Portouts.ListRejectionCodes(ctx, *id, nil)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\nEligible rejection codes (%d)\n", len(codes))
	for _, c := range codes {
		note := ""
		if c.ReasonRequired {
			note = " (reason required)"
		}
		fmt.Fprintf(stdout, "  %d  %s%s\n", c.Code, c.Description, note)
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
	fmt.Fprintf(stdout, "\nStatus is now %s\n", p.Status)
	return nil
}

func printPortout(w io.Writer, p *telnyx.Portout) {
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
		fmt.Fprintf(w, "%-16s %s\n", r[0]+":", r[1])
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
