package wire

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// withExtra keeps unknown members.
type withExtra struct {
	ID    string                     `json:"id"`
	N     int                        `json:"n,omitempty"`
	Extra map[string]json.RawMessage `json:"-"`
}

// report is shaped like telnyx.PortoutReport: a dotted tag reaches into an
// object member, and size.amount and size.unit share a parent.
type report struct {
	ID      string    `json:"id"`
	Filters filters   `json:"params.filters"`
	Size    int64     `json:"size.amount"`
	Unit    string    `json:"size.unit,omitempty"`
	Deep    bool      `json:"a.b.c"`
	Deeper  string    `json:"a.b.d"`
	When    time.Time `json:"a.when"`

	Extra map[string]json.RawMessage `json:"-"`
}

type filters struct {
	Status []word `json:"status__in,omitempty"`
	Name   string `json:"end_user_name,omitempty"`
}

func TestDottedTags(t *testing.T) {
	t.Parallel()
	in := `{"id":"r1","params":{"other":1,"filters":{"status__in":["pending"]},"more":[2]},` +
		`"size":{"amount":1024,"unit":"bytes"},"a":{"b":{"c":true,"d":"x"},"when":"2018-02-02"},"top":true}`
	var got report
	require.NoError(t, Unmarshal([]byte(in), &got))
	want := report{
		ID: "r1", Filters: filters{Status: []word{"pending"}}, Size: 1024, Unit: "bytes", Deep: true, Deeper: "x",
		When:  time.Date(2018, 2, 2, 0, 0, 0, 0, time.UTC),
		Extra: map[string]json.RawMessage{"top": json.RawMessage("true")},
	}
	assert.Equal(t, want, got, "members of params other than filters are ignored, not kept")

	out, err := Marshal(got)
	require.NoError(t, err)
	assert.JSONEq(t, `{"id":"r1","params":{"filters":{"status__in":["pending"]}},"size":{"amount":1024,"unit":"bytes"},`+
		`"a":{"b":{"c":true,"d":"x"},"when":"2018-02-02T00:00:00Z"},"top":true}`, string(out))
	assert.Equal(t, `{"id":"r1","params":{"filters":{"status__in":["pending"]}},"size":{"amount":1024,"unit":"bytes"},`+
		`"a":{"b":{"c":true,"d":"x"},"when":"2018-02-02T00:00:00Z"},"top":true}`, string(out), "a group is written where its first field is")

	var back report
	require.NoError(t, Unmarshal(out, &back))
	assert.Equal(t, got, back)

	// A repeated parent replaces the first whole; null empties it.
	require.NoError(t, Unmarshal([]byte(`{"size":{"amount":1,"unit":"b"},"size":{"amount":2},"a":{"b":{"c":true}},"a":null}`), &got))
	assert.Equal(t, report{Size: 2}, got)

	// Omitempty members left out; the parent stays when any member is
	// written.
	out, err = Marshal(report{})
	require.NoError(t, err)
	assert.Equal(t, `{"id":"","params":{"filters":{}},"size":{"amount":0},"a":{"b":{"c":false,"d":""},"when":null}}`, string(out))

	type allOmitted struct {
		A int    `json:"g.a,omitempty"`
		B string `json:"g.b,omitempty"`
	}
	out, err = Marshal(allOmitted{})
	require.NoError(t, err)
	assert.Equal(t, `{}`, string(out), "a group of empty omitempty fields is left out")
	out, err = Marshal(allOmitted{B: "x"})
	require.NoError(t, err)
	assert.Equal(t, `{"g":{"b":"x"}}`, string(out))

	err = Unmarshal([]byte(`{"size":[1]}`), &got)
	var we *Error
	require.ErrorAs(t, err, &we)
	assert.Equal(t, "size", we.Path)
	assert.Equal(t, "want an object, got an array", we.Reason)

	err = Unmarshal([]byte(`{"a":{"b":{"c":"yes"}}}`), &got)
	require.ErrorAs(t, err, &we)
	assert.Equal(t, "a.b.c", we.Path)
}

func TestBadTags(t *testing.T) {
	t.Parallel()
	// Made at run time: go vet rightly refuses such a type in source.
	twice := reflect.StructOf([]reflect.StructField{
		{Name: "A", Type: reflect.TypeFor[int](), Tag: `json:"a"`},
		{Name: "B", Type: reflect.TypeFor[int](), Tag: `json:"a"`},
	})
	type leafAndParent struct {
		A int `json:"a"`
		B int `json:"a.b"`
	}
	type parentAndLeaf struct {
		B int `json:"a.b"`
		A int `json:"a"`
	}
	type emptySegment struct {
		A int `json:"a..b"`
	}
	type noName struct {
		A int `json:",omitempty"`
	}
	type badOption struct {
		A int `json:"a,string"`
	}
	type badExtra struct {
		Extra map[string]any `json:"-"`
	}
	nested := reflect.StructOf([]reflect.StructField{
		{Name: "In", Type: reflect.SliceOf(twice), Tag: `json:"in"`},
	})
	for _, v := range []any{reflect.New(twice).Interface(), reflect.New(nested).Interface(), &leafAndParent{}, &parentAndLeaf{}, &emptySegment{}, &noName{}, &badOption{}, &badExtra{}} {
		t.Run(fmt.Sprintf("%T", v), func(t *testing.T) {
			t.Parallel()
			err := Unmarshal([]byte(`{}`), v)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "wire: ")
			_, err = Marshal(v)
			require.Error(t, err, "the same error, cached")
		})
	}
}

func TestExtra(t *testing.T) {
	t.Parallel()
	in := []byte(`{"z":[1, 2],"id":"a","n":3,"a":{"deep":"x"},"s":"\u00e9","nul":null}`)
	var got withExtra
	require.NoError(t, Unmarshal(in, &got))
	assert.Equal(t, withExtra{ID: "a", N: 3, Extra: map[string]json.RawMessage{
		"z": json.RawMessage(`[1, 2]`), "a": json.RawMessage(`{"deep":"x"}`),
		"s": json.RawMessage(`"\u00e9"`), "nul": json.RawMessage(`null`),
	}}, got, "raw values are kept byte for byte")

	out, err := Marshal(&got)
	require.NoError(t, err)
	assert.Equal(t, `{"id":"a","n":3,"a":{"deep":"x"},"nul":null,"s":"\u00e9","z":[1, 2]}`, string(out),
		"fields first, then Extra in key order")

	var back withExtra
	require.NoError(t, Unmarshal(out, &back))
	assert.Equal(t, got, back)

	// A key a field wrote is not written again; one it left out is.
	out, err = Marshal(withExtra{ID: "a", Extra: map[string]json.RawMessage{"id": json.RawMessage(`"b"`), "n": json.RawMessage(`7`), "e": nil}})
	require.NoError(t, err)
	assert.Equal(t, `{"id":"a","e":null,"n":7}`, string(out))

	_, err = Marshal(withExtra{Extra: map[string]json.RawMessage{"bad": json.RawMessage(`{`)}})
	var we *Error
	require.ErrorAs(t, err, &we)
	assert.Equal(t, "bad", we.Path)

	// No unknown members: Extra stays nil, even when it was set before.
	got.Extra = map[string]json.RawMessage{"old": nil}
	require.NoError(t, Unmarshal([]byte(`{"id":"b"}`), &got))
	assert.Nil(t, got.Extra)

	// Extra of a nested struct is its own.
	var outer struct {
		In    withExtra                  `json:"in"`
		Extra map[string]json.RawMessage `json:"-"`
	}
	require.NoError(t, Unmarshal([]byte(`{"in":{"x":1},"y":2}`), &outer))
	assert.Equal(t, map[string]json.RawMessage{"x": json.RawMessage("1")}, outer.In.Extra)
	assert.Equal(t, map[string]json.RawMessage{"y": json.RawMessage("2")}, outer.Extra)
}

// event is shaped like telnyx.PortoutEvent: the concrete type of Payload
// depends on EventType, which may come after it.
type event struct {
	EventType string    `json:"event_type"`
	Payload   payload   `json:"payload"`
	Other     payload   `json:"meta.other,omitempty"`
	At        time.Time `json:"at"`

	calls int
}

type payload interface{ isPayload() }

type commentPayload struct {
	Comment string `json:"comment"`
	N       int    `json:"n"`
}

// rawPayload is a payload of an unknown event type.
type rawPayload json.RawMessage

func (p rawPayload) MarshalJSON() ([]byte, error) { return p, nil }

type textPayload string

func (*commentPayload) isPayload() {}
func (rawPayload) isPayload()      {}
func (textPayload) isPayload()     {}

func (e *event) DecodeDeferred(member string, raw []byte) error {
	if raw == nil {
		return nil
	}
	e.calls++
	var p payload
	switch {
	case member == "meta.other":
		p = textPayload(raw)
	case e.EventType == "comment":
		c := new(commentPayload)
		if err := Unmarshal(raw, c); err != nil {
			return err
		}
		p = c
	case e.EventType == "fail":
		return errors.New("refused")
	default:
		p = rawPayload(raw)
	}
	if member == "payload" {
		e.Payload = p
	} else {
		e.Other = p
	}
	return nil
}

func TestDeferred(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		in    string
		want  payload
		calls int
	}{
		{"type first", `{"event_type":"comment","payload":{"comment":"hi"}}`, &commentPayload{Comment: "hi"}, 1},
		{"payload first", `{"payload":{"comment":"hi"},"event_type":"comment"}`, &commentPayload{Comment: "hi"}, 1},
		{"unknown type", `{"payload":{"x":[1]},"event_type":"new"}`, rawPayload(`{"x":[1]}`), 1},
		{"null payload", `{"event_type":"comment","payload":null}`, nil, 0},
		{"absent payload", `{"event_type":"comment"}`, nil, 0},
		{"repeated payload: the last wins", `{"payload":{"comment":"a"},"event_type":"comment","payload":{"comment":"b"}}`, &commentPayload{Comment: "b"}, 1},
		{"null after a value", `{"payload":{"comment":"a"},"event_type":"comment","payload":null}`, nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			in := []byte(tt.in)
			var e event
			require.NoError(t, Unmarshal(in, &e))
			for i := range in {
				in[i] = ' '
			}
			assert.Equal(t, tt.want, e.Payload, "the raw bytes were copied")
			assert.Equal(t, tt.calls, e.calls)
		})
	}

	var e event
	require.NoError(t, Unmarshal([]byte(`{"meta":{"other":"x"},"payload":1}`), &e))
	assert.Equal(t, textPayload(`"x"`), e.Other)
	assert.Equal(t, rawPayload(`1`), e.Payload)
	assert.Equal(t, 2, e.calls)
	require.NoError(t, Unmarshal([]byte(`{"meta":{"other":"x"},"meta":{}}`), &e))
	assert.Nil(t, e.Other, "a repeated group drops the first one's pending member")

	// In slices, each element gets its own members.
	var es []event
	require.NoError(t, Unmarshal([]byte(`[{"event_type":"comment","payload":{"n":1}},{"payload":{"n":2},"event_type":"comment"},{}]`), &es))
	require.Len(t, es, 3)
	assert.Equal(t, &commentPayload{N: 1}, es[0].Payload)
	assert.Equal(t, &commentPayload{N: 2}, es[1].Payload)
	assert.Nil(t, es[2].Payload)
}

func TestDeferredErrors(t *testing.T) {
	t.Parallel()
	var we *Error
	var e event
	err := Unmarshal([]byte(`{"event_type":"fail","payload":{"x":1}}`), &e)
	require.ErrorAs(t, err, &we)
	assert.Equal(t, "payload", we.Path)
	assert.Equal(t, `{"x":1}`, we.Value)
	assert.Equal(t, 31, we.Offset)
	assert.EqualError(t, errors.Unwrap(err), "refused")

	// An error of wire inside DecodeDeferred is placed in the whole input.
	in := `[{"event_type":"comment","payload":{"comment":5}}]`
	err = Unmarshal([]byte(in), &[]event{})
	require.ErrorAs(t, err, &we)
	assert.Equal(t, "[0].payload.comment", we.Path)
	assert.Equal(t, "5", we.Value)
	assert.Equal(t, in[we.Offset:we.Offset+1], "5")

	type noDeferred struct {
		Payload payload `json:"payload"`
	}
	var nd noDeferred
	require.NoError(t, Unmarshal([]byte(`{"payload":null}`), &nd), "null needs no DecodeDeferred")
	err = Unmarshal([]byte(`{"payload":{}}`), &nd)
	require.ErrorAs(t, err, &we)
	assert.Contains(t, we.Reason, "does not implement wire.Deferred")
	assert.Equal(t, "payload", we.Path)

	// Marshal writes the dynamic value.
	for _, tt := range []struct {
		p    payload
		want string
	}{
		{nil, `null`},
		{&commentPayload{Comment: "hi"}, `{"comment":"hi","n":0}`},
		{(*commentPayload)(nil), `null`},
		{rawPayload(`{"x":[1]}`), `{"x":[1]}`},
		{textPayload("t"), `"t"`},
	} {
		out, err := Marshal(noDeferred{Payload: tt.p})
		require.NoError(t, err)
		assert.Equal(t, `{"payload":`+tt.want+`}`, string(out))
	}
	_, err = Marshal(noDeferred{Payload: rawPayload(`{`)})
	require.ErrorAs(t, err, &we)
	assert.Equal(t, "payload", we.Path)
}

// selfCoded calls wire on itself from its JSON methods, as the SDK's
// resources will: the codec must use its table, not these methods.
type selfCoded struct {
	Name string    `json:"name"`
	At   time.Time `json:"at"`
	Kids []selfCoded
	Next *selfCoded `json:"next,omitempty"`
}

func (s *selfCoded) UnmarshalJSON(b []byte) error { return Unmarshal(b, s) }
func (s selfCoded) MarshalJSON() ([]byte, error)  { return Marshal(s) }

func TestSelfCodedStructsDoNotRecurse(t *testing.T) {
	t.Parallel()
	in := `{"name":"a","at":"2018-02-02","next":{"name":"b","at":null}}`
	var s selfCoded
	require.NoError(t, json.Unmarshal([]byte(in), &s))
	assert.Equal(t, "b", s.Next.Name)
	out, err := json.Marshal(s)
	require.NoError(t, err)
	assert.JSONEq(t, `{"name":"a","at":"2018-02-02T00:00:00Z","next":{"name":"b","at":null}}`, string(out))
	var list []selfCoded
	require.NoError(t, Unmarshal([]byte(`[`+in+`]`), &list))
	assert.Equal(t, s, list[0])
}
