// Package webhook verifies the signatures Telnyx puts on webhook deliveries
// and decodes port-out events into typed values.
//
// Telnyx signs each delivery with Ed25519. The request carries two headers:
// telnyx-timestamp, the Unix time in seconds at which it was signed, and
// telnyx-signature-ed25519, the base64 signature of
//
//	timestamp + "|" + raw request body
//
// A [Verifier] holds the account's public key (the base64 string shown in
// the Telnyx portal under Keys & Credentials) and checks both headers.
// [NewVerifier] refuses a key that is not a point on the curve, or that is a
// point of small order (such as 32 zero bytes), with which forged
// signatures would verify. [Verifier.ParseEvent] verifies and then decodes the
// body into a [telnyx.PortoutEvent] whose Payload is one of
// *telnyx.PortoutStatusChangedPayload, *telnyx.PortoutNewCommentPayload,
// *telnyx.PortoutFocDateChangedPayload, or *telnyx.UnknownPortoutEventPayload
// for an event type this SDK does not know yet.
//
// [Verifier.Handler] wraps all of that in a [net/http.Handler]:
//
//	v, err := webhook.NewVerifier(os.Getenv("TELNYX_PUBLIC_KEY"))
//	if err != nil {
//		log.Fatal(err)
//	}
//	http.Handle("/webhooks/telnyx", v.Handler(func(ctx context.Context, ev *telnyx.PortoutEvent) error {
//		switch p := ev.Payload.(type) {
//		case *telnyx.PortoutStatusChangedPayload:
//			return markStatus(ctx, p.ID, p.Status)
//		case *telnyx.PortoutNewCommentPayload:
//			return storeComment(ctx, p.PortoutID, p.Comment)
//		}
//		return nil // ignore other events, but acknowledge them
//	}))
//
// The handler answers 200 when the callback returns nil and 500 when it
// returns an error, so that Telnyx delivers the event again. Deliveries may
// therefore arrive more than once: make the callback idempotent, for
// example by remembering the IDs of the events already handled.
package webhook
