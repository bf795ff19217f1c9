package wire_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/a54710f5/telnyx-go/internal/wire"
)

// A resource lists its fields once, in its tags, and its JSON methods call
// wire on itself: wire uses the struct's table, never these methods, so
// they do not recurse.
type Report struct {
	ID         string    `json:"id"`
	Statuses   []string  `json:"params.filters.status__in,omitempty"`
	SizeAmount int64     `json:"size.amount"`
	CreatedAt  time.Time `json:"created_at"`

	Extra map[string]json.RawMessage `json:"-"`
}

func (r *Report) UnmarshalJSON(b []byte) error { return wire.Unmarshal(b, r) }
func (r Report) MarshalJSON() ([]byte, error)  { return wire.Marshal(r) }

func ExampleUnmarshal() {
	in := `{"id":"r1","params":{"filters":{"status__in":["pending"]}},"size":{"amount":1024,"unit":"bytes"},` +
		`"created_at":"2021-03-19T10:07:15.527000Z","new_member":[1]}`
	var r Report
	if err := json.Unmarshal([]byte(in), &r); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.ID, r.Statuses, r.SizeAmount, r.CreatedAt.Format(time.RFC3339Nano), string(r.Extra["new_member"]))
	out, _ := json.Marshal(r)
	fmt.Println(string(out))
	// Output:
	// r1 [pending] 1024 2021-03-19T10:07:15.527Z [1]
	// {"id":"r1","params":{"filters":{"status__in":["pending"]}},"size":{"amount":1024},"created_at":"2021-03-19T10:07:15.527Z","new_member":[1]}
}

// Event's Payload depends on EventType, which may come before or after it.
type Event struct {
	EventType string  `json:"event_type"`
	Payload   Payload `json:"payload"`
}

type Payload interface{ payload() }

type StatusChanged struct {
	Status string `json:"status"`
}

func (*StatusChanged) payload() {}

// DecodeDeferred is called once the whole event is decoded.
func (e *Event) DecodeDeferred(_ string, raw []byte) error {
	if raw == nil {
		return nil // absent or null: no payload
	}
	if e.EventType != "status_changed" {
		return fmt.Errorf("unknown event type %q", e.EventType)
	}
	p := new(StatusChanged)
	if err := wire.Unmarshal(raw, p); err != nil {
		return err
	}
	e.Payload = p
	return nil
}

func ExampleDeferred() {
	var e Event
	err := wire.Unmarshal([]byte(`{"payload":{"status":"ported"},"event_type":"status_changed"}`), &e)
	fmt.Println(e.Payload.(*StatusChanged).Status, err)

	err = wire.Unmarshal([]byte(`[{"event_type":"status_changed","payload":{"status":5}}]`), &[]Event{})
	var we *wire.Error
	if errors.As(err, &we) {
		fmt.Println(we.Path, we.Value, we.Offset)
	}
	fmt.Println(err)
	// Output:
	// ported <nil>
	// [0].payload.status 5 52
	// wire: [0].payload.status: want a string, got a number: 5
}
