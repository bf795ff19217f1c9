package webhook_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"time"

	telnyx "github.com/a54710f5/telnyx-go"
	"github.com/a54710f5/telnyx-go/webhook"
)

// This example wires the handler into a ServeMux and feeds it one signed
// delivery, as Telnyx would send it. In a real service the public key comes
// from the Telnyx portal, e.g. through os.Getenv("TELNYX_PUBLIC_KEY").
func Example() {
	pub, priv, err := ed25519.GenerateKey(rand.Reader) // stands in for Telnyx's key pair
	if err != nil {
		log.Fatal(err)
	}
	v, err := webhook.NewVerifier(base64.StdEncoding.EncodeToString(pub))
	if err != nil {
		log.Fatal(err)
	}

	mux := http.NewServeMux()
	mux.Handle("/webhooks/telnyx", v.Handler(func(_ context.Context, ev *telnyx.PortoutEvent) error {
		switch p := ev.Payload.(type) {
		case *telnyx.PortoutStatusChangedPayload:
			fmt.Printf("port-out %s is now %s\n", p.ID, p.Status)
		case *telnyx.PortoutNewCommentPayload:
			fmt.Printf("comment on %s: %q\n", p.PortoutID, p.Comment)
		case *telnyx.PortoutFocDateChangedPayload:
			fmt.Printf("port-out %s: FOC date %s\n", p.ID, p.FocDate.Format(time.DateOnly))
		case *telnyx.UnknownPortoutEventPayload:
			fmt.Printf("ignoring %s\n", ev.EventType)
		}
		return nil // a non-nil error answers 500 and Telnyx redelivers
	}))

	// What Telnyx sends: the body, the time, and a signature over both.
	body := `{"data": {"event_type": "portout.status_changed", "id": "eef3340b-8903-4466-b445-89b697315a3a",
		"payload": {"id": "96dfa9e4-c753-4fd3-97cd-42d66f26cf0c", "status": "authorized"}},
		"meta": {"attempt": 1}}`
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	sig := ed25519.Sign(priv, []byte(ts+"|"+body))

	req := httptest.NewRequestWithContext(context.Background(), http.MethodPost, "/webhooks/telnyx", strings.NewReader(body))
	req.Header.Set("telnyx-timestamp", ts)
	req.Header.Set("telnyx-signature-ed25519", base64.StdEncoding.EncodeToString(sig))
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, req)
	fmt.Println("status", rec.Code)

	// The same delivery with a tampered body never reaches the callback.
	req = httptest.NewRequestWithContext(context.Background(), http.MethodPost, "/webhooks/telnyx", strings.NewReader(strings.Replace(body, "authorized", "canceled", 1)))
	req.Header.Set("telnyx-timestamp", ts)
	req.Header.Set("telnyx-signature-ed25519", base64.StdEncoding.EncodeToString(sig))
	rec = httptest.NewRecorder()
	mux.ServeHTTP(rec, req)
	fmt.Println("status", rec.Code)

	// Output:
	// port-out 96dfa9e4-c753-4fd3-97cd-42d66f26cf0c is now authorized
	// status 200
	// status 401
}

// ParseEvent suits frameworks that hand over the body and headers rather
// than an http.Handler slot. WithClock pins the time to the delivery's, as
// when replaying a recorded delivery.
func ExampleVerifier_ParseEvent() {
	priv := ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize)) // a fixed test key
	pub := base64.StdEncoding.EncodeToString(priv.Public().(ed25519.PublicKey))
	signedAt := time.Date(2021, 3, 19, 10, 7, 15, 0, time.UTC)

	body := []byte(`{"event_type": "portout.new_comment", "portout_id": "9471c873-e3eb-4ca1-957d-f9a451334d52",
		"payload": {"comment": "This is a comment.", "user_id": "1c45c968-c2e0-4559-b1dd-db073962fc61"}}`)
	ts := strconv.FormatInt(signedAt.Unix(), 10)
	header := http.Header{}
	header.Set("Telnyx-Timestamp", ts)
	header.Set("Telnyx-Signature-Ed25519", base64.StdEncoding.EncodeToString(ed25519.Sign(priv, append([]byte(ts+"|"), body...))))

	v, err := webhook.NewVerifier(pub, webhook.WithClock(func() time.Time { return signedAt.Add(time.Minute) }))
	if err != nil {
		log.Fatal(err)
	}
	ev, err := v.ParseEvent(body, header)
	if err != nil {
		log.Fatal(err)
	}
	if c, ok := ev.Payload.(*telnyx.PortoutNewCommentPayload); ok {
		fmt.Println(ev.EventType, ev.PortoutID)
		fmt.Println(c.Comment)
	}

	// An hour later the same delivery is a replay.
	late, err := webhook.NewVerifier(pub, webhook.WithClock(func() time.Time { return signedAt.Add(time.Hour) }))
	if err != nil {
		log.Fatal(err)
	}
	_, err = late.ParseEvent(body, header)
	fmt.Println(err)

	// Output:
	// portout.new_comment 9471c873-e3eb-4ca1-957d-f9a451334d52
	// This is a comment.
	// telnyx: webhook: timestamp out of tolerance: signed at 1616148435, more than 5m0s from now
}
