// Command sdkget fetches one port-out with the SDK. It exists to measure the
// binary size and build time the SDK adds (see scripts/binsize.sh).
package main

import (
	"context"
	"fmt"
	"os"

	telnyx "github.com/a54710f5/telnyx-go"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: sdkget PORTOUT_ID")
		os.Exit(2)
	}
	c, err := telnyx.NewClient()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	p, err := c.Portouts.Get(context.Background(), os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(p.ID, p.Status, p.FocDate)
}
