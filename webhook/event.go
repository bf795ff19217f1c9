package webhook

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"

	telnyx "github.com/a54710f5/telnyx-go"
)

// ParseEvent verifies body and header as Verify does and then decodes body
// into a port-out event. Both forms Telnyx uses are accepted: the flat event
// object, as GET /portouts/events returns it, and the webhook envelope
// {"data": {...event...}, "meta": {...}}. A body with a top-level event_type
// is read as the flat form; otherwise its "data" object is the event.
//
// The event's Payload is chosen by its event_type. An event type this SDK
// does not know is not an error: its payload is a
// *telnyx.UnknownPortoutEventPayload holding the raw JSON, so that a new
// Telnyx event does not break a deployed receiver.
//
// Verification errors wrap the sentinels documented on Verify; a verified
// body that is not a port-out event gives an error wrapping
// ErrMalformedBody. The body is never decoded before it is verified.
func (v *Verifier) ParseEvent(body []byte, header http.Header) (*telnyx.PortoutEvent, error) {
	if err := v.Verify(body, header); err != nil {
		return nil, err
	}
	return decodeEvent(body)
}

// decodeEvent decodes a flat event or an envelope around one.
func decodeEvent(body []byte) (*telnyx.PortoutEvent, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(body, &top); err != nil || top == nil {
		return nil, fmt.Errorf("%w: not a JSON object", ErrMalformedBody)
	}
	raw := json.RawMessage(body)
	if _, flat := top["event_type"]; !flat {
		data, ok := top["data"]
		if !ok || !isObject(data) {
			return nil, fmt.Errorf("%w: neither an event (no event_type) nor an envelope (no data object)", ErrMalformedBody)
		}
		raw = data
	}
	ev := new(telnyx.PortoutEvent)
	if err := json.Unmarshal(raw, ev); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformedBody, err)
	}
	if ev.EventType == "" {
		return nil, fmt.Errorf("%w: empty event_type", ErrMalformedBody)
	}
	return ev, nil
}

// isObject reports whether raw, valid JSON, is an object.
func isObject(raw json.RawMessage) bool {
	raw = bytes.TrimLeft(raw, " \t\r\n")
	return len(raw) > 0 && raw[0] == '{'
}
