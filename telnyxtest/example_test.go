package telnyxtest_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	telnyx "github.com/a54710f5/telnyx-go"
	"github.com/a54710f5/telnyx-go/telnyxtest"
	"github.com/a54710f5/telnyx-go/webhook"
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

// Inject fails only the requests that match: here the rejection PATCH is
// rate limited, while the listing before it goes through.
func ExampleServer_Inject() {
	srv := telnyxtest.NewServer()
	defer srv.Close()
	p := srv.AddPortout(telnyx.Portout{})
	srv.Inject(telnyxtest.Fault{
		Method: http.MethodPatch,
		Path:   "/portouts/*/rejected-pending",
		Status: http.StatusTooManyRequests,
		Header: http.Header{"Retry-After": {"60"}}, // over the client's maximum wait: no retry
	})

	client := srv.Client()
	ctx := context.Background()
	page, err := client.Portouts.List(ctx, nil)
	fmt.Println(len(page.Data), err)
	_, err = client.Portouts.Reject(ctx, p.ID, "not our customer")
	fmt.Println(errors.Is(err, telnyx.ErrRateLimited))
	// Output:
	// 1 <nil>
	// true
}

// A WebhookSigner signs bodies as Telnyx does, for testing a webhook
// handler without a Server.
func ExampleWebhookSigner() {
	signer := telnyxtest.NewWebhookSigner()
	v, err := webhook.NewVerifier(signer.PublicKey())
	if err != nil {
		fmt.Println(err)
		return
	}
	body := []byte(`{"data":{"id":"e1","event_type":"portout.new_comment","payload":{"comment":"hi"}}}`)
	header := signer.Sign(body, time.Now())
	fmt.Println(v.Verify(body, header))
	fmt.Println(errors.Is(v.Verify([]byte(`{}`), header), webhook.ErrInvalidSignature))
	// Output:
	// <nil>
	// true
}
