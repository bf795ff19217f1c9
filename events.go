package telnyx

import (
	"context"
	"encoding/json"
	"iter"
	"net/http"
	"time"

	"github.com/a54710f5/telnyx-go/internal/wire"
)

// PortoutEventService reads the events of port-out requests: status
// changes, new comments and FOC date changes.
type PortoutEventService service

// PortoutEventType names the kind of a port-out event.
type PortoutEventType string

// The port-out event types. Others may appear as Telnyx adds them; they are
// kept as their string, with an *UnknownPortoutEventPayload.
const (
	PortoutEventStatusChanged  PortoutEventType = "portout.status_changed"
	PortoutEventNewComment     PortoutEventType = "portout.new_comment"
	PortoutEventFocDateChanged PortoutEventType = "portout.foc_date_changed"
)

// PortoutEventPayloadStatus tells how far Telnyx has got in building an
// event's payload. A value the API sends that this SDK does not know is kept
// as it is.
type PortoutEventPayloadStatus string

// The payload statuses of an event.
const (
	PortoutEventPayloadCreated   PortoutEventPayloadStatus = "created"
	PortoutEventPayloadCompleted PortoutEventPayloadStatus = "completed"
)

// NotificationMethod is a way Telnyx tells you about an event. A value the
// API sends that this SDK does not know is kept as it is.
type NotificationMethod string

// The notification methods.
const (
	NotificationMethodEmail   NotificationMethod = "email"
	NotificationMethodWebhook NotificationMethod = "webhook"
)

// PortoutEvent is one event in the life of a port-out request, as listed by
// the API or delivered by webhook.
type PortoutEvent struct {
	// ID identifies the event itself (for Get and Republish).
	ID        string           `json:"id"`
	EventType PortoutEventType `json:"event_type"`
	// PortoutID is the port-out the event belongs to.
	PortoutID string `json:"portout_id"`
	// PayloadStatus is how far the payload's generation has got.
	PayloadStatus PortoutEventPayloadStatus `json:"payload_status"`
	// AvailableNotificationMethods are the ways Telnyx notified about
	// the event.
	AvailableNotificationMethods []NotificationMethod `json:"available_notification_methods"`
	RecordType                   string               `json:"record_type"` // "portout_event"
	CreatedAt                    time.Time            `json:"created_at"`
	UpdatedAt                    time.Time            `json:"updated_at"`
	// Payload is decoded according to EventType.
	Payload PortoutEventPayload `json:"payload"`

	// Extra holds the members this SDK does not name, verbatim (see
	// Portout.Extra); nil when there are none.
	Extra map[string]json.RawMessage `json:"-"`
}

// PortoutEventPayload is the event-specific part of a PortoutEvent: one of
// *PortoutStatusChangedPayload, *PortoutNewCommentPayload,
// *PortoutFocDateChangedPayload, or *UnknownPortoutEventPayload for an event
// type this SDK does not know. Switch on the concrete type.
type PortoutEventPayload interface {
	isPortoutEventPayload()
}

// PortoutStatusChangedPayload is the payload of portout.status_changed. Its
// ID is the port-out whose status changed, not an ID of the payload or of
// the event.
type PortoutStatusChangedPayload struct {
	ID              string        `json:"id"`               // the port-out's ID
	AttemptedPin    string        `json:"attempted_pin"`    // the PIN tried to authorize the port-out
	CarrierName     string        `json:"carrier_name"`     // the carrier the numbers go to
	PhoneNumbers    []string      `json:"phone_numbers"`    // E.164
	RejectionReason string        `json:"rejection_reason"` // null on the wire reads as ""
	SPID            string        `json:"spid"`             // the gaining carrier's SPID
	Status          PortoutStatus `json:"status"`           // the new status
	SubscriberName  string        `json:"subscriber_name"`  // the port-out's end user
	UserID          string        `json:"user_id"`          // the user the port-out belongs to

	// Extra holds the members this SDK does not name, verbatim (see
	// Portout.Extra); nil when there are none.
	Extra map[string]json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes the API's form: timestamps in any layout the API
// uses, unknown members into Extra.
func (p *PortoutStatusChangedPayload) UnmarshalJSON(b []byte) error { return wire.Unmarshal(b, p) }

// MarshalJSON encodes the API's form, zero times as null, Extra included.
func (p PortoutStatusChangedPayload) MarshalJSON() ([]byte, error) { return wire.Marshal(&p) }

// PortoutNewCommentPayload is the payload of portout.new_comment. Its ID is
// the new comment's (as PortoutComment.ID); the port-out it was added to is
// PortoutID.
type PortoutNewCommentPayload struct {
	ID        string `json:"id"`         // the comment's ID
	Comment   string `json:"comment"`    // the comment's text
	PortoutID string `json:"portout_id"` // the port-out commented on
	UserID    string `json:"user_id"`    // who wrote the comment

	// Extra holds the members this SDK does not name, verbatim (see
	// Portout.Extra); nil when there are none.
	Extra map[string]json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes the API's form: timestamps in any layout the API
// uses, unknown members into Extra.
func (p *PortoutNewCommentPayload) UnmarshalJSON(b []byte) error { return wire.Unmarshal(b, p) }

// MarshalJSON encodes the API's form, zero times as null, Extra included.
func (p PortoutNewCommentPayload) MarshalJSON() ([]byte, error) { return wire.Marshal(&p) }

// PortoutFocDateChangedPayload is the payload of portout.foc_date_changed.
// Its ID is the port-out whose FOC date changed, not an ID of its own.
type PortoutFocDateChangedPayload struct {
	ID      string    `json:"id"`       // the port-out's ID
	FocDate time.Time `json:"foc_date"` // the new FOC date
	UserID  string    `json:"user_id"`  // the organization that owns the port-out

	// Extra holds the members this SDK does not name, verbatim (see
	// Portout.Extra); nil when there are none.
	Extra map[string]json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes the API's form: timestamps in any layout the API
// uses, unknown members into Extra.
func (p *PortoutFocDateChangedPayload) UnmarshalJSON(b []byte) error { return wire.Unmarshal(b, p) }

// MarshalJSON encodes the API's form, zero times as null, Extra included.
func (p PortoutFocDateChangedPayload) MarshalJSON() ([]byte, error) { return wire.Marshal(&p) }

// UnknownPortoutEventPayload holds the payload of an event type this SDK
// does not know yet, as the raw JSON it arrived in.
type UnknownPortoutEventPayload struct {
	Raw json.RawMessage
}

func (*PortoutStatusChangedPayload) isPortoutEventPayload()  {}
func (*PortoutNewCommentPayload) isPortoutEventPayload()     {}
func (*PortoutFocDateChangedPayload) isPortoutEventPayload() {}
func (*UnknownPortoutEventPayload) isPortoutEventPayload()   {}

// UnmarshalJSON decodes a flat event object: timestamps in any layout the
// API uses, the payload by event_type, unknown members into Extra.
func (e *PortoutEvent) UnmarshalJSON(b []byte) error { return wire.Unmarshal(b, e) }

// MarshalJSON encodes the event in the API's form, Extra included.
func (e PortoutEvent) MarshalJSON() ([]byte, error) { return wire.Marshal(&e) }

// The payload is decoded once the whole event is, whatever the order of its
// members: its type follows event_type.
var _ = wire.Defer(func(e *PortoutEvent, _ string, raw []byte) error {
	p, err := decodeEventPayload(e.EventType, raw)
	e.Payload = p
	return err
})

func decodeEventPayload(t PortoutEventType, raw json.RawMessage) (PortoutEventPayload, error) {
	if len(raw) == 0 || string(raw) == "null" {
		raw = nil
	}
	var p PortoutEventPayload
	switch t {
	case PortoutEventStatusChanged:
		p = new(PortoutStatusChangedPayload)
	case PortoutEventNewComment:
		p = new(PortoutNewCommentPayload)
	case PortoutEventFocDateChanged:
		p = new(PortoutFocDateChangedPayload)
	default:
		return &UnknownPortoutEventPayload{Raw: append(json.RawMessage(nil), raw...)}, nil
	}
	if raw == nil {
		return p, nil
	}
	if err := wire.Unmarshal(raw, p); err != nil {
		return nil, err
	}
	return p, nil
}

// MarshalJSON writes the raw payload back as it came. Inside an event, or
// in any json.Marshal call, encoding/json then escapes <, > and & in its
// strings (as \u003c, \u003e, \u0026), which decodes to the same text.
func (p UnknownPortoutEventPayload) MarshalJSON() ([]byte, error) {
	if len(p.Raw) == 0 {
		return []byte("null"), nil
	}
	return p.Raw, nil
}

// PortoutEventListParams filters and pages PortoutEventService.List.
type PortoutEventListParams struct {
	Page   PageParams             `url:"page"`
	Filter PortoutEventListFilter `url:"filter"`
}

// PortoutEventListFilter narrows a list of events.
type PortoutEventListFilter struct {
	CreatedAt DateRange        `url:"created_at"`
	EventType PortoutEventType `url:"event_type,omitempty"`
	PortoutID string           `url:"portout_id,omitempty"`
}

const eventsRoute = "portouts/events"

// List fetches one page of port-out events. params may be nil.
func (s *PortoutEventService) List(ctx context.Context, params *PortoutEventListParams, opts ...Option) (*Page[PortoutEvent], error) {
	return list[PortoutEvent](ctx, (*service)(s).client(), eventsRoute, params, opts)
}

// ListAutoPaging yields every port-out event matching params, page after
// page, fetching lazily. On an error it yields (nil, err) once and stops.
func (s *PortoutEventService) ListAutoPaging(ctx context.Context, params *PortoutEventListParams, opts ...Option) iter.Seq2[*PortoutEvent, error] {
	return listAll[PortoutEvent](ctx, (*service)(s).client(), eventsRoute, params, opts)
}

// Get fetches one port-out event.
func (s *PortoutEventService) Get(ctx context.Context, id string, opts ...Option) (*PortoutEvent, error) {
	r := request{method: http.MethodGet, route: "portouts/events/{id}", ids: []string{id}}
	return fetch[PortoutEvent](ctx, (*service)(s).client(), r, opts)
}

// Republish asks Telnyx to deliver the event's webhook again.
func (s *PortoutEventService) Republish(ctx context.Context, id string, opts ...Option) error {
	r := request{method: http.MethodPost, route: "portouts/events/{id}/republish", ids: []string{id}}
	return (*service)(s).client().do(ctx, r, nil, opts)
}
