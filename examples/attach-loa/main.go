// Command attach-loa uploads a letter of authorization (or an invoice) and
// links it to a port-out request. Telnyx deletes an upload that is not
// linked within 30 minutes, so both steps run together.
//
//	go run ./examples/attach-loa -portout 0ccc7b54-4df3-4bca-a65a-3da1ecc777f0 -file loa.pdf
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"

	telnyx "github.com/a54710f5/telnyx-go"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "attach-loa:", err)
		os.Exit(1)
	}
}

func run() error {
	portoutID := flag.String("portout", "", "port-out ID (required)")
	path := flag.String("file", "", "file to upload (required)")
	docType := flag.String("type", string(telnyx.SupportingDocumentLOA), "document type: loa or invoice")
	ref := flag.String("ref", "", "customer reference stored with the upload")
	flag.Parse()

	switch {
	case *portoutID == "":
		return errors.New("-portout is required")
	case *path == "":
		return errors.New("-file is required")
	}

	client, err := telnyx.NewClient() // TELNYX_API_KEY, TELNYX_BASE_URL
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	f, err := os.Open(*path)
	if err != nil {
		return err
	}
	defer f.Close()

	// The file is streamed, not read into memory first.
	doc, err := client.Documents.Upload(ctx, telnyx.DocumentUploadParams{
		Filename:          filepath.Base(*path),
		File:              f,
		CustomerReference: *ref,
	})
	if err != nil {
		return err
	}
	fmt.Printf("uploaded %s as document %s (%d bytes)\n", doc.Filename, doc.ID, doc.Size)

	linked, err := client.Portouts.SupportingDocuments.Create(ctx, *portoutID, telnyx.PortoutSupportingDocumentCreateParams{
		Documents: []telnyx.SupportingDocumentParam{{DocumentID: doc.ID, Type: telnyx.SupportingDocumentType(*docType)}},
	})
	if err != nil {
		return fmt.Errorf("document %s was uploaded but not linked (link it within 30 minutes): %w", doc.ID, err)
	}
	for _, d := range linked {
		fmt.Printf("linked %s %s to port-out %s\n", d.Type, d.DocumentID, d.PortoutID)
	}
	return nil
}
