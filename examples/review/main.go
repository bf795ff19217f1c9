// Command review shows one port-out request — its details, its comments and
// the rejection codes that apply to it — and, when asked, authorizes or
// rejects it.
//
//	go run ./examples/review -id 0ccc7b54-4df3-4bca-a65a-3da1ecc777f0
//	go run ./examples/review -id ... -authorize
//	go run ./examples/review -id ... -reject -code 1002 -reason "PIN does not match"
//
// It needs TELNYX_API_KEY. TELNYX_BASE_URL, when set, points the client at
// another server, such as a local mock of the API.
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
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr, connect)
	stop()
	os.Exit(exitCode(err, os.Stderr))
}

// connect builds the client from TELNYX_API_KEY and TELNYX_BASE_URL.
func connect() (*telnyx.Client, error) {
	return telnyx.NewClient(telnyx.WithUserAgent("telnyx-go-review"))
}

// exitCode prints err, if any, and returns the process's exit status.
func exitCode(err error, stderr io.Writer) int {
	return cli.ExitCode("review", err, stderr, nil)
}

// config is what the command line asks for.
type config struct {
	id            string
	authorize     bool
	reject        bool
	code          int
	reason        string
	hostMessaging bool
}

func parseArgs(args []string, stderr io.Writer) (config, error) {
	fs := flag.NewFlagSet("review", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: review -id ID [-authorize [-host-messaging] | -reject -code N [-reason TEXT]]")
		fmt.Fprintln(stderr, "Shows a port-out request and, when asked, authorizes or rejects it. Needs TELNYX_API_KEY.")
		fs.PrintDefaults()
	}
	var cfg config
	fs.StringVar(&cfg.id, "id", "", "port-out ID (required)")
	fs.BoolVar(&cfg.authorize, "authorize", false, "authorize the port-out")
	fs.BoolVar(&cfg.reject, "reject", false, "reject the port-out (with -code)")
	fs.IntVar(&cfg.code, "code", 0, "rejection code, one of those listed as eligible; the API takes only the reason, "+
		"so the code is checked and its description is the default reason")
	fs.StringVar(&cfg.reason, "reason", "", "reason sent with the rejection; defaults to the code's description")
	fs.BoolVar(&cfg.hostMessaging, "host-messaging", false, "with -authorize: keep messaging with Telnyx after the port-out")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return config{}, err
		}
		return config{}, cli.Shown(err)
	}
	cfg.id = strings.TrimSpace(cfg.id)
	cfg.reason = strings.TrimSpace(cfg.reason)
	switch {
	case fs.NArg() > 0:
		return config{}, cli.Usagef("unexpected argument %q", fs.Arg(0))
	case cfg.id == "":
		return config{}, cli.Usagef("-id is required")
	case cfg.authorize && cfg.reject:
		return config{}, cli.Usagef("use -authorize or -reject, not both")
	case cfg.reject && cfg.code == 0:
		return config{}, cli.Usagef("-reject needs -code; run without -reject to see the eligible codes")
	case cfg.reject && cfg.code < 0:
		return config{}, cli.Usagef("-code %d is not a rejection code", cfg.code)
	case !cfg.reject && (cfg.code != 0 || cfg.reason != ""):
		return config{}, cli.Usagef("-code and -reason go with -reject")
	case cfg.hostMessaging && !cfg.authorize:
		return config{}, cli.Usagef("-host-messaging goes with -authorize")
	}
	return cfg, nil
}

// run shows the port-out args name on stdout and, when asked, authorizes
// or rejects it. connect supplies the client once the arguments are known
// to be good.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, connect func() (*telnyx.Client, error)) error {
	cfg, err := parseArgs(args, stderr)
	if err != nil {
		return err
	}
	id := cfg.id

	client, err := connect()
	if err != nil {
		return err
	}

	p, err := client.Portouts.Get(ctx, id)
	if err != nil {
		return err
	}
	printPortout(stdout, p)

	comments, err := client.Portouts.Comments.List(ctx, id)
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

	codes, err := client.Portouts.ListRejectionCodes(ctx, id, nil)
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
	case cfg.authorize:
		p, err = client.Portouts.UpdateStatus(ctx, id, telnyx.PortoutStatusAuthorized,
			telnyx.PortoutUpdateStatusParams{HostMessaging: cfg.hostMessaging})
	case cfg.reject:
		var chosen *telnyx.PortoutRejectionCode
		for i := range codes {
			if codes[i].Code == cfg.code {
				chosen = &codes[i]
			}
		}
		if chosen == nil {
			return fmt.Errorf("code %d is not eligible for this port-out; nothing was changed", cfg.code)
		}
		text := cfg.reason
		if text == "" {
			if chosen.ReasonRequired {
				return fmt.Errorf("code %d requires -reason; nothing was changed", cfg.code)
			}
			text = chosen.Description
		}
		p, err = client.Portouts.UpdateStatus(ctx, id, telnyx.PortoutStatusRejectedPending,
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
