// Command telnyx-portouts reviews Telnyx port-out requests from a terminal:
// list and inspect them, authorize or reject them, comment, follow their
// events, export CSV reports, attach supporting documents and receive
// webhooks. Run it with --fake to try every command against an in-process
// fake of the API seeded with demo data, with no account.
//
//	go install github.com/a54710f5/telnyx-go/cmd/telnyx-portouts@latest
//	telnyx-portouts --fake list
//	telnyx-portouts -h
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
