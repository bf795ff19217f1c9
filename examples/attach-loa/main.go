// Command attach-loa uploads a letter of authorization (LOA) and attaches it
// to a port-out request.
//
//	TELNYX_API_KEY=KEY... go run ./examples/attach-loa PORTOUT_ID loa.pdf
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"

	telnyx "github.com/a54710f5/telnyx-go"
)

func main() {
	flag.Parse()
	if flag.NArg() != 2 {
		log.Fatal("usage: attach-loa PORTOUT_ID FILE")
	}
	client, err := telnyx.NewClient() // reads TELNYX_API_KEY and TELNYX_BASE_URL
	if err != nil {
		log.Fatal(err)
	}
	if err := run(context.Background(), client, os.Stdout, flag.Arg(0), flag.Arg(1)); err != nil {
		log.Fatal(err)
	}
}

// run uploads the file at path and links it to the port-out as its LOA.
func run(ctx context.Context, client *telnyx.Client, out io.Writer, portoutID, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer func() { _ = f.Close() }() // opened read-only: a failed Close loses nothing

	// Attach streams the file to Telnyx (never reading it whole into
	// memory), then links the upload to the port-out.
	docs, err := client.Portouts.SupportingDocuments.Attach(ctx, portoutID, []telnyx.SupportingFile{
		{Type: telnyx.SupportingDocumentLOA, Filename: filepath.Base(path), File: f},
	})
	var attachErr *telnyx.AttachError
	if errors.As(err, &attachErr) {
		// Attach failed after these uploads. Telnyx deletes unlinked uploads
		// after 30 minutes: link them (SupportingDocuments.Create) before then.
		for _, d := range attachErr.Uploaded {
			fmt.Fprintf(out, "uploaded but not attached: document %s (%s)\n", d.DocumentID, d.Type)
		}
	}
	if err != nil {
		return err
	}
	for _, d := range docs {
		fmt.Fprintf(out, "attached document %s to port-out %s as %s\n", d.DocumentID, d.PortoutID, d.Type)
	}
	return nil
}
