// Command review shows one port-out request with the rejection codes that
// apply to it, and authorizes or rejects it when asked.
//
//	go run ./examples/review ID                      # look only
//	go run ./examples/review -authorize ID
//	go run ./examples/review -reject "The owner did not ask for this." ID
//
// To review many, collect the pending IDs first, then act: acting while paging
// the offset-paged list skips some (25 pending, page size 10: only 15 seen).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"

	telnyx "github.com/a54710f5/telnyx-go"
)

func main() {
	authorize := flag.Bool("authorize", false, "authorize the port-out")
	reject := flag.String("reject", "", "reject the port-out with this reason")
	flag.Parse()
	if flag.NArg() != 1 || (*authorize && *reject != "") {
		log.Fatal("usage: review [-authorize | -reject REASON] PORTOUT_ID")
	}
	client, err := telnyx.NewClient() // reads TELNYX_API_KEY and TELNYX_BASE_URL
	if err != nil {
		log.Fatal(err)
	}
	if err := run(context.Background(), client, os.Stdout, flag.Arg(0), *authorize, *reject); err != nil {
		log.Fatal(err)
	}
}

// run shows port-out id, then authorizes it or rejects it with rejectReason.
func run(ctx context.Context, client *telnyx.Client, out io.Writer, id string, authorize bool, rejectReason string) error {
	p, err := client.Portouts.Get(ctx, id)
	if errors.Is(err, telnyx.ErrNotFound) {
		return fmt.Errorf("no port-out with ID %q in this account", id)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%s  %s  %v  %s → %s\n", p.SupportKey, p.Status, p.PhoneNumbers, p.EndUserName, p.CarrierName)

	// The codes tell which reasons apply; Reject sends a reason, never a code.
	codes, err := client.Portouts.ListRejectionCodes(ctx, id, nil)
	if err != nil {
		return err
	}
	for _, c := range codes {
		fmt.Fprintf(out, "  %d  %s (reason required: %t)\n", c.Code, c.Description, c.ReasonRequired)
	}

	switch {
	case authorize:
		p, err = client.Portouts.Authorize(ctx, id, telnyx.PortoutAuthorizeParams{})
	case rejectReason != "":
		p, err = client.Portouts.Reject(ctx, id, rejectReason)
	default:
		return nil
	}
	// An *APIError carries Telnyx's error list; a 422 usually means the
	// port-out is no longer pending: someone else got there first.
	var apiErr *telnyx.APIError
	if errors.As(err, &apiErr) {
		for _, e := range apiErr.Errors {
			fmt.Fprintf(out, "refused (%d, code %s): %s\n", apiErr.StatusCode, e.Code, e.Detail)
		}
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%s is now %s\n", p.SupportKey, p.Status)
	return nil
}
