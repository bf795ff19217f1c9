package telnyx_test

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"log"
	"strings"
	"time"

	telnyx "github.com/a54710f5/telnyx-go"
	"github.com/a54710f5/telnyx-go/telnyxtest"
)

// The examples run against telnyxtest, the SDK's in-memory fake of the
// port-out API, so that they need no network and no account. Real code
// builds its client with telnyx.NewClient() and TELNYX_API_KEY set.

func ExampleNewClient() {
	srv := telnyxtest.NewServer()
	defer srv.Close()
	srv.AddPortout(telnyx.Portout{
		ID:           "0ccc7b54-4df3-4bca-a65a-3da1ecc777f0",
		PhoneNumbers: []string{"+35312345678"},
		FocDate:      time.Date(2018, 2, 2, 22, 25, 27, 521e6, time.UTC),
	})

	// Real code: telnyx.NewClient() reads TELNYX_API_KEY and talks to
	// telnyx.DefaultBaseURL.
	client, err := telnyx.NewClient(
		telnyx.WithAPIKey(telnyxtest.APIKey),
		telnyx.WithBaseURL(srv.URL),
		telnyx.WithMaxRetries(3),
	)
	if err != nil {
		log.Fatal(err)
	}

	ctx := context.Background()
	p, err := client.Portouts.Get(ctx, "0ccc7b54-4df3-4bca-a65a-3da1ecc777f0")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(p.Status, p.PhoneNumbers, p.FocDate.Format("2006-01-02"))
	// Output: pending [+35312345678] 2018-02-02
}

func ExamplePortoutService_ListAutoPaging() {
	srv := telnyxtest.NewServer()
	defer srv.Close()
	for _, id := range []string{"po-1", "po-2", "po-3"} {
		srv.AddPortout(telnyx.Portout{ID: id})
	}
	srv.AddPortout(telnyx.Portout{ID: "po-4", Status: telnyx.PortoutStatusPorted})
	client := srv.Client()

	// Pages of two pending port-outs, fetched as the loop goes.
	ctx := context.Background()
	params := &telnyx.PortoutListParams{
		Page:   telnyx.PageParams{Size: 2},
		Filter: telnyx.PortoutListFilter{Status: telnyx.PortoutStatusPending},
	}
	for p, err := range client.Portouts.ListAutoPaging(ctx, params) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(p.ID)
	}
	// Output:
	// po-1
	// po-2
	// po-3
}

func ExamplePortoutService_UpdateStatus() {
	srv := telnyxtest.NewServer()
	defer srv.Close()
	srv.AddPortout(telnyx.Portout{ID: "po-1"})
	client := srv.Client()

	ctx := context.Background()
	p, err := client.Portouts.UpdateStatus(ctx, "po-1", telnyx.PortoutStatusRejectedPending,
		telnyx.PortoutUpdateStatusParams{Reason: "I do not recognize this transaction"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(p.Status, "-", p.Reason)

	// Only authorized and rejected-pending can be set; anything else fails
	// before a request is sent.
	_, err = client.Portouts.UpdateStatus(ctx, "po-1", telnyx.PortoutStatusPorted, telnyx.PortoutUpdateStatusParams{})
	var invalid *telnyx.InvalidParamsError
	fmt.Println(errors.As(err, &invalid), invalid.Field)
	// Output:
	// rejected-pending - I do not recognize this transaction
	// true status
}

func ExampleAPIError() {
	srv := telnyxtest.NewServer()
	defer srv.Close()
	client := srv.Client()

	_, err := client.Portouts.Get(context.Background(), "no-such-portout")
	if errors.Is(err, telnyx.ErrNotFound) {
		fmt.Println("not found")
	}
	var apiErr *telnyx.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.Path, apiErr.Errors[0].Code, apiErr.Errors[0].Title)
		fmt.Println(apiErr.Errors[0].Detail)
		// Quote the request ID when asking Telnyx support about a call;
		// err.Error() ends with it: "... [request <id>]".
		fmt.Println(apiErr.RequestID != "", strings.HasSuffix(err.Error(), "[request "+apiErr.RequestID+"]"))
	}
	// Output:
	// not found
	// 404 /portouts/{id} 10005 Resource not found
	// No port-out with ID "no-such-portout".
	// true true
}

func ExamplePortoutEventService_List() {
	srv := telnyxtest.NewServer()
	defer srv.Close()
	srv.AddPortout(telnyx.Portout{ID: "po-1"})
	// What the carrier and Telnyx support do, each recording an event.
	_ = srv.SetStatus("po-1", telnyx.PortoutStatusAuthorized)
	_, _ = srv.AddComment("po-1", "LOA received")
	_ = srv.SetFocDate("po-1", time.Date(2024, 9, 4, 16, 0, 0, 0, time.UTC))
	client := srv.Client()

	page, err := client.Portouts.Events.List(context.Background(), &telnyx.PortoutEventListParams{
		Filter: telnyx.PortoutEventListFilter{PortoutID: "po-1"},
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, e := range page.Data {
		switch p := e.Payload.(type) {
		case *telnyx.PortoutStatusChangedPayload:
			fmt.Println("status:", p.Status)
		case *telnyx.PortoutNewCommentPayload:
			fmt.Println("comment:", p.Comment)
		case *telnyx.PortoutFocDateChangedPayload:
			fmt.Println("FOC date:", p.FocDate.Format("2006-01-02 15:04"))
		case *telnyx.UnknownPortoutEventPayload:
			// An event type newer than this SDK: its JSON is kept.
			fmt.Println("unknown", e.EventType, string(p.Raw))
		}
	}
	// Output:
	// status: authorized
	// comment: LOA received
	// FOC date: 2024-09-04 16:00
}

func ExampleDocumentService_Download() {
	srv := telnyxtest.NewServer()
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()
	doc, err := client.Documents.Upload(ctx, telnyx.DocumentUploadParams{
		Filename: "portouts.csv",
		File:     strings.NewReader("id,status\npo-1,pending\n"),
	})
	if err != nil {
		log.Fatal(err)
	}

	var out strings.Builder
	n, err := client.Documents.Download(ctx, doc.ID, &out)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d bytes\n%s", n, out.String())
	// Output:
	// 23 bytes
	// id,status
	// po-1,pending
}

// Export runs a report from start to finish.
func ExamplePortoutReportService_Export() {
	srv := telnyxtest.NewServer()
	defer srv.Close()
	srv.AddPortout(telnyx.Portout{Status: telnyx.PortoutStatusPending, PhoneNumbers: []string{"+13125550142"}})
	srv.AddPortout(telnyx.Portout{Status: telnyx.PortoutStatusPorted, PhoneNumbers: []string{"+13125550143"}})
	client := srv.Client()

	var buf strings.Builder
	report, err := client.Portouts.Reports.Export(context.Background(),
		telnyx.PortoutReportFilters{StatusIn: []telnyx.PortoutStatus{telnyx.PortoutStatusPending}},
		&buf,
		telnyx.WithWaitProgress(func(r *telnyx.PortoutReport, _ time.Duration) {
			fmt.Println("report is", r.Status) // the time waited so far suits a progress line
		}))
	if err != nil {
		fmt.Println(err)
		return
	}
	rows, _ := csv.NewReader(strings.NewReader(buf.String())).ReadAll()
	fmt.Println(report.Status, "with", len(rows)-1, "port-out")
	fmt.Println(rows[1][2], rows[1][3])
	// Output:
	// report is pending
	// report is completed
	// completed with 1 port-out
	// pending +13125550142
}

// Attach uploads files and links them to a port-out in one call. When it
// fails after an upload, the *AttachError lists what was uploaded.
func ExamplePortoutSupportingDocumentService_Attach() {
	srv := telnyxtest.NewServer()
	defer srv.Close()
	p := srv.AddPortout(telnyx.Portout{PhoneNumbers: []string{"+13125550142"}})
	client := srv.Client()

	// Real code passes an *os.File; it is streamed, not read into memory.
	loa := strings.NewReader("%PDF-1.7 letter of authorization")
	docs, err := client.Portouts.SupportingDocuments.Attach(context.Background(), p.ID, []telnyx.SupportingFile{
		{Type: telnyx.SupportingDocumentLOA, Filename: "loa.pdf", File: loa},
	})
	var ae *telnyx.AttachError
	switch {
	case errors.As(err, &ae):
		for _, u := range ae.Uploaded {
			fmt.Println("uploaded, not linked:", u.Type, u.DocumentID)
		}
		return
	case err != nil:
		fmt.Println(err)
		return
	}
	fmt.Println("linked", len(docs), "document:", docs[0].Type)
	// Output:
	// linked 1 document: loa
}
