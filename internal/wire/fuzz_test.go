package wire

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

// fuzzDoc has a field of most kinds, dotted tags, Extra and an interface
// field decoded through DecodeDeferred.
type fuzzDoc struct {
	ID     string                     `json:"id"`
	Status testPortoutStatus          `json:"status,omitempty"`
	On     bool                       `json:"on"`
	N      int                        `json:"n"`
	Small  int8                       `json:"small,omitempty"`
	U      uint32                     `json:"u"`
	F      float64                    `json:"f"`
	F32    float32                    `json:"f32,omitempty"`
	At     time.Time                  `json:"at"`
	AtP    *time.Time                 `json:"at_p,omitempty"`
	Tags   []string                   `json:"tags"`
	Codes  []int                      `json:"codes,omitempty"`
	Kids   []fuzzKid                  `json:"kids"`
	KidP   *fuzzKid                   `json:"kid_p"`
	Amount int64                      `json:"size.amount"`
	Unit   string                     `json:"size.unit,omitempty"`
	Deep   []string                   `json:"a.b.c"`
	Raw    json.RawMessage            `json:"raw"`
	Any    map[string]any             `json:"any,omitempty"`
	Kind   string                     `json:"kind"`
	Body   payload                    `json:"body"`
	Extra  map[string]json.RawMessage `json:"-"`
}

type fuzzKid struct {
	Name  string                     `json:"name"`
	When  time.Time                  `json:"when,omitempty"`
	Extra map[string]json.RawMessage `json:"-"`
}

func (d *fuzzDoc) DecodeDeferred(_ string, raw []byte) error {
	if raw == nil {
		return nil
	}
	if d.Kind == "comment" {
		c := new(commentPayload)
		if err := Unmarshal(raw, c); err != nil {
			return err
		}
		d.Body = c
		return nil
	}
	d.Body = rawPayload(raw)
	return nil
}

// FuzzUnmarshal checks, for any input: no panic; whatever Unmarshal accepts
// is valid JSON; and Marshal of the decoded value decodes to an equal
// value, and encodes again to the same bytes.
func FuzzUnmarshal(f *testing.F) {
	for _, s := range []string{
		`{"id":"a","status":"pending","on":true,"n":-3,"small":7,"u":9,"f":1.5e3,"f32":0.25,"at":"2018-02-02T22:25:27.521Z",` +
			`"at_p":"2018-02-02","tags":["x","y"],"codes":[1,2],"kids":[{"name":"k","when":"2024-09-04 08:00:00"},{"z":1}],` +
			`"kid_p":{"name":"p"},"size":{"amount":10,"unit":"bytes","other":1},"a":{"b":{"c":["d"]}},"raw":{"r":[1]},` +
			`"any":{"k":[true,null]},"kind":"comment","body":{"comment":"hi","n":2},"unknown":{"u":"\u00e9"}}`,
		`{"body":[1,2],"kind":"other","ID":"case","id":"x","id":"y"}`,
		`{"tags":[],"kids":[],"kid_p":null,"size":null,"at":null,"raw":null,"body":null}`,
		`{"id":"\ud83d\ude00 \ud83d \u0041 \"q\" \\ \/ \b\f\n\r\t","tags":["\u2028"]}`,
		"{\"id\":\"\xff\xfe bad utf-8\",\"x\xff\":\"\xc0\"}",
		`{"n":1.5}`, `{"n":99999999999999999999}`, `{"at":"yesterday"}`, `{"kind":"comment","body":{"n":"x"}}`,
		`[]`, `null`, `{}`, ``, `{`, `{"id":"a"} x`, `{"a":{"b":{"c":[[[[]]]]}}}`, ` {"f":-0.0e-0} `,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		var doc fuzzDoc
		if err := Unmarshal(in, &doc); err != nil {
			if _, ok := err.(*Error); !ok { //nolint:errorlint // the error itself must be a *Error
				t.Fatalf("error %T is not a *Error: %v", err, err)
			}
			return
		}
		if !json.Valid(in) {
			t.Fatalf("accepted invalid JSON %q", in)
		}
		out, err := Marshal(&doc)
		if err != nil {
			t.Fatalf("decoded %q, cannot encode it: %v", in, err)
		}
		if !json.Valid(out) {
			t.Fatalf("Marshal wrote invalid JSON %q", out)
		}
		var back fuzzDoc
		if err := Unmarshal(out, &back); err != nil {
			t.Fatalf("Marshal wrote %q, which does not decode: %v", out, err)
		}
		if a, b := normalize(doc), normalize(back); !reflect.DeepEqual(a, b) {
			t.Fatalf("round trip changed the value:\n%#v\n%#v\nfrom %q via %q", a, b, in, out)
		}
		again, err := Marshal(&back)
		if err != nil || !bytes.Equal(out, again) {
			t.Fatalf("encoded twice differently: %q, %q (%v)", out, again, err)
		}
	})
}

// normalize puts every time in UTC, as times decoded from different texts
// of the same offset carry different *time.Location values; and it makes
// the empty slices and maps of omitempty fields nil, since Marshal leaves
// them out.
func normalize(d fuzzDoc) fuzzDoc {
	if len(d.Codes) == 0 {
		d.Codes = nil
	}
	if len(d.Any) == 0 {
		d.Any = nil
	}
	utc := func(t time.Time) time.Time {
		if t.IsZero() {
			return t
		}
		_, off := t.Zone()
		return t.UTC().Add(time.Duration(off) * time.Nanosecond) // keep the offset in the compared value
	}
	d.At = utc(d.At)
	if d.AtP != nil {
		v := utc(*d.AtP)
		d.AtP = &v
	}
	kids := make([]fuzzKid, len(d.Kids))
	for i, k := range d.Kids {
		k.When = utc(k.When)
		kids[i] = k
	}
	if d.Kids != nil {
		d.Kids = kids
	}
	if d.KidP != nil {
		k := *d.KidP
		k.When = utc(k.When)
		d.KidP = &k
	}
	return d
}
