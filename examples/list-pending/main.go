// Command list-pending prints the port-out requests waiting for your review.
//
//	TELNYX_API_KEY=KEY... go run ./examples/list-pending
package main

import (
	"context"
	"fmt"
	"io"
	"log"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	telnyx "github.com/a54710f5/telnyx-go"
)

func main() {
	// NewClient reads TELNYX_API_KEY (and TELNYX_BASE_URL, if set).
	client, err := telnyx.NewClient()
	if err != nil {
		log.Fatal(err)
	}
	if err := run(context.Background(), client, os.Stdout); err != nil {
		log.Fatal(err)
	}
}

// run prints every pending port-out as a table.
func run(ctx context.Context, client *telnyx.Client, out io.Writer) error {
	params := &telnyx.PortoutListParams{
		Page:   telnyx.PageParams{Size: 100},
		Filter: telnyx.PortoutListFilter{Status: telnyx.PortoutStatusPending},
	}
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSUPPORT KEY\tPHONE NUMBERS\tEND USER\tREQUESTED FOC")

	// ListAutoPaging fetches the next page only when the loop needs it.
	//
	// Do not authorize or reject port-outs inside this loop. The list is
	// offset-paged: once a port-out leaves "pending", every later one moves
	// up a place, onto a page the loop has already read. With 25 pending and
	// a page size of 10, acting on each as it comes sees only 15 of them.
	// Collect the IDs first, then act on them (see examples/review).
	for p, err := range client.Portouts.ListAutoPaging(ctx, params) {
		if err != nil {
			return err
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", p.ID, p.SupportKey,
			strings.Join(p.PhoneNumbers, ", "), p.EndUserName, p.RequestedFocDate.Format(time.DateOnly))
	}
	return tw.Flush()
}
