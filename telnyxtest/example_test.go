package telnyxtest_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	telnyx "github.com/a54710f5/telnyx-go"
	"github.com/a54710f5/telnyx-go/telnyxtest"
)

// A test starts a fake, adds the port-outs it needs, and hands srv.Client()
// to the code under test.
func Example() {
	srv := telnyxtest.NewServer()
	defer srv.Close()
	p := srv.AddPortout(telnyx.Portout{
		PhoneNumbers: []string{"+13125550142"},
		EndUserName:  "Brightwater LLC",
		CarrierName:  "Lakeside Telecom",
	})

	client := srv.Client()
	ctx := context.Background()
	got, err := client.Portouts.UpdateStatus(ctx, p.ID, telnyx.PortoutStatusAuthorized, telnyx.PortoutUpdateStatusParams{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(got.Status)

	// Only pending port-outs can change: a second PATCH is refused.
	_, err = client.Portouts.UpdateStatus(ctx, p.ID, telnyx.PortoutStatusRejectedPending, telnyx.PortoutUpdateStatusParams{Reason: "late"})
	fmt.Println(errors.Is(err, telnyx.ErrUnprocessable))

	events, _ := client.Portouts.Events.List(ctx, nil)
	fmt.Println(len(events.Data), events.Data[0].EventType)
	// Output:
	// authorized
	// true
	// 1 portout.status_changed
}

// FailNext makes the next requests fail; the fake's client retries without
// sleeping.
func ExampleServer_FailNext() {
	srv := telnyxtest.NewServer()
	defer srv.Close()
	srv.FailNext(2, http.StatusServiceUnavailable, nil)

	page, err := srv.Client().Portouts.List(context.Background(), nil)
	fmt.Println(err, len(page.Data), len(srv.Requests()))
	// Output: <nil> 0 3
}

// SetStatus plays the gaining carrier's part, and records the event a real
// port-out would.
func ExampleServer_SetStatus() {
	srv := telnyxtest.NewServer()
	defer srv.Close()
	p := srv.AddPortout(telnyx.Portout{Status: telnyx.PortoutStatusAuthorized})
	if err := srv.SetStatus(p.ID, telnyx.PortoutStatusPorted); err != nil {
		fmt.Println(err)
	}
	now, _ := srv.Portout(p.ID)
	fmt.Println(now.Status)
	// Output: ported
}
