// Command quickstart walks through a port-out review: list the pending
// requests, look at one with its rejection codes, authorize it and reject
// another. Without TELNYX_API_KEY it runs against telnyxtest, an in-process
// fake of the API holding sample port-outs (no account, no network); with a
// key it only lists and looks, and changes nothing.
//
//	go run ./examples/quickstart
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os"

	telnyx "github.com/a54710f5/telnyx-go"
	"github.com/a54710f5/telnyx-go/telnyxtest"
)

func main() {
	client, err := telnyx.NewClient() // reads TELNYX_API_KEY and TELNYX_BASE_URL
	demo := errors.Is(err, telnyx.ErrMissingAPIKey)
	if demo {
		srv := telnyxtest.NewServer()
		defer srv.Close()
		srv.AddPortout(telnyx.Portout{EndUserName: "Brightwater Dental", CarrierName: "Lakeside Telecom", PhoneNumbers: []string{"+13125550142"}})
		srv.AddPortout(telnyx.Portout{EndUserName: "Northwind Bakery", CarrierName: "Maple Mobile", PhoneNumbers: []string{"+14165550199"}})
		client, err = srv.Client(), nil // a real *telnyx.Client; only the server is fake
	}
	if err != nil {
		log.Fatal(err)
	}
	if err := run(context.Background(), client, os.Stdout, demo); err != nil {
		log.Fatal(err)
	}
}

// run reviews the pending port-outs; it changes them only when act is set.
func run(ctx context.Context, client *telnyx.Client, out io.Writer, act bool) error {
	// 1. Collect first, act later: acting while paging this offset-paged list skips some.
	var pending []*telnyx.Portout
	params := &telnyx.PortoutListParams{Filter: telnyx.PortoutListFilter{Status: telnyx.PortoutStatusPending}}
	for p, err := range client.Portouts.ListAutoPaging(ctx, params) {
		if err != nil {
			return err
		}
		pending = append(pending, p)
		fmt.Fprintf(out, "pending: %s  %s  %v\n", p.SupportKey, p.EndUserName, p.PhoneNumbers)
	}
	if len(pending) == 0 {
		return nil
	}

	// 2. One request in detail, and the reasons a rejection of it may give.
	p, err := client.Portouts.Get(ctx, pending[0].ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "\n%s: %s wants to move %v to %s\n", p.SupportKey, p.EndUserName, p.PhoneNumbers, p.CarrierName)
	codes, err := client.Portouts.ListRejectionCodes(ctx, p.ID, nil)
	if err != nil {
		return err
	}
	for _, c := range codes {
		fmt.Fprintf(out, "  rejection code %d: %s (reason required: %t)\n", c.Code, c.Description, c.ReasonRequired)
	}
	if !act || len(pending) < 2 {
		return nil
	}

	// 3. Authorize the first; reject the second, with a reason (never a code).
	a, err := client.Portouts.Authorize(ctx, pending[0].ID, telnyx.PortoutAuthorizeParams{})
	if err != nil {
		return err
	}
	r, err := client.Portouts.Reject(ctx, pending[1].ID, "The account owner did not ask for this.")
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "\n%s is now %s\n%s is now %s: %q\n", a.SupportKey, a.Status, r.SupportKey, r.Status, r.Reason)
	return nil
}
