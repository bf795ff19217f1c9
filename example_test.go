package telnyx_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"

	telnyx "github.com/a54710f5/telnyx-go"
)

// fakeAPI starts a local server standing in for the Telnyx API, so that the
// examples run without network access, and a client pointed at it. Real code
// calls telnyx.NewClient() with TELNYX_API_KEY set.
func fakeAPI(h http.HandlerFunc) (*telnyx.Client, func()) {
	srv := httptest.NewServer(h)
	client, err := telnyx.NewClient(
		telnyx.WithAPIKey("KEY_example"),
		telnyx.WithBaseURL(srv.URL+"/v2/"),
		telnyx.WithHTTPClient(srv.Client()),
	)
	if err != nil {
		log.Fatal(err)
	}
	return client, srv.Close
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func ExampleNewClient() {
	client, stop := fakeAPI(func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]any{"data": map[string]any{
			"id":            "0ccc7b54-4df3-4bca-a65a-3da1ecc777f0",
			"status":        "pending",
			"phone_numbers": []string{"+35312345678"},
			"foc_date":      "2018-02-02T22:25:27.521Z",
		}})
	})
	defer stop()

	ctx := context.Background()
	p, err := client.Portouts.Get(ctx, "0ccc7b54-4df3-4bca-a65a-3da1ecc777f0")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(p.Status, p.PhoneNumbers, p.FocDate.Format("2006-01-02"))
	// Output: pending [+35312345678] 2018-02-02
}

func ExamplePortoutService_ListAutoPaging() {
	client, stop := fakeAPI(func(w http.ResponseWriter, r *http.Request) {
		// Two pages of pending port-outs.
		page := r.URL.Query().Get("page[number]")
		data := []map[string]any{{"id": "po-1"}, {"id": "po-2"}}
		number := 1
		if page == "2" {
			data, number = []map[string]any{{"id": "po-3"}}, 2
		}
		writeJSON(w, http.StatusOK, map[string]any{
			"data": data,
			"meta": map[string]any{"page_number": number, "page_size": 2, "total_pages": 2, "total_results": 3},
		})
	})
	defer stop()

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
	client, stop := fakeAPI(func(w http.ResponseWriter, r *http.Request) {
		var body struct{ Reason string }
		_ = json.NewDecoder(r.Body).Decode(&body)
		status := r.URL.Path[strings.LastIndexByte(r.URL.Path, '/')+1:]
		writeJSON(w, http.StatusOK, map[string]any{"data": map[string]any{
			"id": "po-1", "status": status, "reason": body.Reason,
		}})
	})
	defer stop()

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
	client, stop := fakeAPI(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("X-Request-Id", "req-123")
		writeJSON(w, http.StatusNotFound, map[string]any{"errors": []map[string]any{{
			"code": "10005", "title": "Resource not found", "detail": "The requested port-out does not exist",
		}}})
	})
	defer stop()

	_, err := client.Portouts.Get(context.Background(), "no-such-portout")
	if errors.Is(err, telnyx.ErrNotFound) {
		fmt.Println("not found")
	}
	var apiErr *telnyx.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.Path, apiErr.RequestID, apiErr.Errors[0].Code)
	}
	fmt.Println(err)
	// Output:
	// not found
	// 404 /portouts/{id} req-123 10005
	// telnyx: GET /portouts/{id}: 404 Not Found: 10005 Resource not found: The requested port-out does not exist [request req-123]
}

func ExamplePortoutEventService_List() {
	client, stop := fakeAPI(func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]any{"data": []map[string]any{
			{"event_type": "portout.status_changed", "payload": map[string]any{"id": "po-1", "status": "authorized"}},
			{"event_type": "portout.new_comment", "payload": map[string]any{"portout_id": "po-1", "comment": "LOA received"}},
			{"event_type": "portout.foc_date_changed", "payload": map[string]any{"id": "po-1", "foc_date": "2024-09-04T16:00:00Z"}},
			{"event_type": "portout.something_new", "payload": map[string]any{"x": 1}},
		}})
	})
	defer stop()

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
			fmt.Println("unknown", e.EventType, string(p.Raw))
		}
	}
	// Output:
	// status: authorized
	// comment: LOA received
	// FOC date: 2024-09-04 16:00
	// unknown portout.something_new {"x":1}
}

func ExampleDocumentService_Download() {
	client, stop := fakeAPI(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream")
		_, _ = io.WriteString(w, "id,status\npo-1,pending\n")
	})
	defer stop()

	var csv strings.Builder
	n, err := client.Documents.Download(context.Background(), "f1486bae-f067-460c-ad43-73a92848f902", &csv)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d bytes\n%s", n, csv.String())
	// Output:
	// 23 bytes
	// id,status
	// po-1,pending
}
