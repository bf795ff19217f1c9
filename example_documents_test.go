package telnyx_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	telnyx "github.com/a54710f5/telnyx-go"
	"github.com/a54710f5/telnyx-go/telnyxtest"
)

// The examples below run against telnyxtest, the SDK's in-memory fake of the
// API. Real code calls telnyx.NewClient() with TELNYX_API_KEY set.

func ExampleDocumentService_List() {
	start := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	var (
		mu    sync.Mutex
		clock = start
	)
	tick := func() time.Time { // a clock a minute ahead at each read
		mu.Lock()
		defer mu.Unlock()
		clock = clock.Add(time.Minute)
		return clock
	}
	srv := telnyxtest.NewServer(telnyxtest.WithClock(tick))
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()
	for _, name := range []string{"invoice-march.pdf", "loa.pdf", "Invoice-april.pdf"} {
		if _, err := client.Documents.Upload(ctx, telnyx.DocumentUploadParams{Filename: name, File: strings.NewReader(name)}); err != nil {
			fmt.Println(err)
			return
		}
	}

	page, err := client.Documents.List(ctx, &telnyx.DocumentListParams{
		Filter: telnyx.DocumentListFilter{FilenameContains: "invoice", CreatedAtGt: start},
		Sort:   []telnyx.DocumentSort{telnyx.DocumentSortFilenameDesc},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, d := range page.Data {
		fmt.Println(d.Filename, d.Status, d.AVScanStatus)
	}
	// Output:
	// invoice-march.pdf pending pending_scan
	// Invoice-april.pdf pending pending_scan
}

func ExampleDocumentService_Delete() {
	srv := telnyxtest.NewServer()
	defer srv.Close()
	p := srv.AddPortout(telnyx.Portout{PhoneNumbers: []string{"+13125550142"}})
	client := srv.Client()
	ctx := context.Background()

	docs, err := client.Portouts.SupportingDocuments.Attach(ctx, p.ID, []telnyx.SupportingFile{
		{Type: telnyx.SupportingDocumentLOA, Filename: "loa.pdf", File: strings.NewReader("%PDF-1.7")},
	})
	if err != nil {
		fmt.Println(err)
		return
	}

	// A document that supports a port-out is linked to it, and stays.
	_, err = client.Documents.Delete(ctx, docs[0].DocumentID)
	fmt.Println(errors.Is(err, telnyx.ErrUnprocessable))

	links, err := client.DocumentLinks.List(ctx, &telnyx.DocumentLinkListParams{
		Filter: telnyx.DocumentLinkListFilter{LinkedResourceID: p.ID},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(links.Data), links.Data[0].LinkedRecordType, links.Data[0].DocumentID == docs[0].DocumentID)
	// Output:
	// true
	// 1 portout true
}
