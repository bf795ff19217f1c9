package telnyx

import (
	"bytes"
	"encoding/json"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

// eventTypes are the types decodeEventPayload dispatches on, and one it
// does not know.
var eventTypes = []PortoutEventType{
	PortoutEventStatusChanged, PortoutEventNewComment, PortoutEventFocDateChanged, "portout.not_yet_invented",
}

// FuzzPortoutEvent decodes arbitrary bytes as a PortoutEvent, and as the
// payload of each event type. Decoding must not panic; it must give a
// payload of the type the event type calls for, or an error, never both and
// never neither; and an event that decodes must survive MarshalJSON and
// decode again to the same event.
func FuzzPortoutEvent(f *testing.F) {
	for _, s := range []string{
		`{"event_type":"portout.status_changed","payload":{"status":"authorized","phone_numbers":["+35312345678"],"rejection_reason":null}}`,
		`{"event_type":"portout.new_comment","payload":{"id":"c1","comment":"hi","portout_id":"p1"}}`,
		`{"event_type":"portout.foc_date_changed","payload":{"foc_date":"2021-03-19"},"created_at":"2021-03-19T10:07:15.527000Z"}`,
		`{"event_type":"portout.carrier_reassigned","payload":{"carrier":{"spid":"123A"}}}`,
		`{"event_type":"portout.new_comment","payload":{"comment":5}}`,
		`{"event_type":"portout.status_changed","updated_at":"yesterday"}`,
		`{"event_type":"portout.status_changed","payload":null}`,
		`{"payload":[1,2]}`, `{"event_type":7}`, `null`, `[]`, `""`, ``, `{`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, typ := range eventTypes {
			checkPayloadDispatch(t, typ, body)
		}

		var ev PortoutEvent
		if err := json.Unmarshal(body, &ev); err != nil {
			if ev.Payload != nil {
				t.Fatalf("error %v with payload %T", err, ev.Payload)
			}
			return
		}
		if bytes.Equal(bytes.TrimSpace(body), []byte("null")) {
			return // json.Unmarshal leaves the event alone for a top-level null
		}
		checkPayloadType(t, ev.EventType, ev.Payload)

		b, err := json.Marshal(ev)
		if err != nil {
			t.Fatalf("decoded event does not encode: %v", err)
		}
		var back PortoutEvent
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("encoded event %s does not decode: %v", b, err)
		}
		if !sameEvent(ev, back) {
			t.Fatalf("round trip changed the event:\n%+v\n%+v", ev, back)
		}
	})
}

// checkPayloadDispatch decodes raw as the payload of typ directly.
func checkPayloadDispatch(t *testing.T, typ PortoutEventType, raw []byte) {
	t.Helper()
	p, err := decodeEventPayload(typ, raw)
	if (p == nil) == (err == nil) {
		t.Fatalf("%s: payload %T and error %v", typ, p, err)
	}
	if err != nil {
		return
	}
	checkPayloadType(t, typ, p)
	if u, ok := p.(*UnknownPortoutEventPayload); ok {
		want := raw
		if string(raw) == "null" {
			want = nil
		}
		if !bytes.Equal(u.Raw, want) {
			t.Fatalf("%s: raw %q, want %q", typ, u.Raw, want)
		}
		if len(u.Raw) > 0 && &u.Raw[0] == &raw[0] {
			t.Fatalf("%s: raw payload shares the caller's buffer", typ)
		}
	}
}

// checkPayloadType asserts that p is the payload type typ calls for.
func checkPayloadType(t *testing.T, typ PortoutEventType, p PortoutEventPayload) {
	t.Helper()
	var ok bool
	switch typ {
	case PortoutEventStatusChanged:
		_, ok = p.(*PortoutStatusChangedPayload)
	case PortoutEventNewComment:
		_, ok = p.(*PortoutNewCommentPayload)
	case PortoutEventFocDateChanged:
		_, ok = p.(*PortoutFocDateChangedPayload)
	default:
		_, ok = p.(*UnknownPortoutEventPayload)
	}
	if !ok || reflect.ValueOf(p).IsNil() {
		t.Fatalf("event type %q with payload %T", typ, p)
	}
}

// sameEvent compares events with times compared as instants and unknown
// payloads compared as compact JSON.
func sameEvent(a, b PortoutEvent) bool {
	if !a.CreatedAt.Equal(b.CreatedAt) || !a.UpdatedAt.Equal(b.UpdatedAt) {
		return false
	}
	a.CreatedAt, a.UpdatedAt, b.CreatedAt, b.UpdatedAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	pa, pb := a.Payload, b.Payload
	a.Payload, b.Payload = nil, nil
	if !sameExtra(a.Extra, b.Extra) {
		return false
	}
	a.Extra, b.Extra = nil, nil
	if !reflect.DeepEqual(a, b) {
		return false
	}
	switch x := pa.(type) {
	case *PortoutFocDateChangedPayload:
		y, ok := pb.(*PortoutFocDateChangedPayload)
		return ok && x.FocDate.Equal(y.FocDate) && x.ID == y.ID && x.UserID == y.UserID
	case *UnknownPortoutEventPayload:
		y, ok := pb.(*UnknownPortoutEventPayload)
		return ok && sameJSON(x.Raw, y.Raw)
	default:
		return reflect.DeepEqual(pa, pb)
	}
}

// sameExtra compares unknown members as JSON values (see sameJSON).
func sameExtra(a, b map[string]json.RawMessage) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		w, ok := b[k]
		if !ok || !sameJSON(v, w) {
			return false
		}
	}
	return true
}

// sameJSON reports whether a and b hold the same JSON value. Bytes may
// differ: json.Marshal escapes <, > and & in strings (as \u003c...) even
// inside a raw payload, which decodes to the same text.
func sameJSON(a, b []byte) bool {
	if bytes.Equal(a, b) {
		return true
	}
	var va, vb any
	if json.Unmarshal(a, &va) != nil || json.Unmarshal(b, &vb) != nil {
		return false
	}
	return reflect.DeepEqual(va, vb)
}

// FuzzQueryRoundTrip builds the list parameters of every resource from
// arbitrary strings, numbers and times, encodes them the way requests do,
// and parses the query back as a server would: each value must come back as
// it went in, whatever characters it holds.
//
// Times are sent in RFC 3339 to the second, so they come back truncated to
// the second; the inputs stay in the years and whole-minute offsets RFC 3339
// can write. A list is sent comma separated, so it comes back joined.
func FuzzQueryRoundTrip(f *testing.F) {
	f.Add("Testing Carrier", "US", "a,b", "+13035551212", "pending|ported", 2, 50, int64(1725436800), uint32(0), int16(0))
	f.Add("a&b=c%d+e[f]g", "", "[]", "日本語 ☎", "", 0, 0, int64(0), uint32(0), int16(0))
	f.Add("100%", "%zz", "x;y", "", "rejected-pending", -1, 251, int64(-62135596800), uint32(999999999), int16(-720))
	f.Add(" ", "\x00", "\xff", "#frag?q", "|", 1, 1, int64(253402300799), uint32(1), int16(839))
	f.Fuzz(func(t *testing.T, s1, s2, s3, s4, list string, n1, n2 int, sec int64, nsec uint32, offMin int16) {
		at := fuzzTime(sec, nsec, offMin)
		var items []string
		if list != "" {
			items = strings.Split(list, "|")
		}
		statuses := make([]PortoutStatus, len(items))
		for i, s := range items {
			statuses[i] = PortoutStatus(s)
		}
		page := PageParams{Number: n1, Size: n2}
		rng := DateRange{Gte: at, Lte: at.Add(time.Hour)}

		want := url.Values{}
		add := func(key, v string) {
			if v != "" {
				want.Set(key, v)
			}
		}
		add("page[number]", intOrEmpty(n1))
		add("page[size]", intOrEmpty(n2))
		addTime := func(key string, v time.Time) {
			if !v.IsZero() {
				want.Set(key, v.Format(time.RFC3339))
			}
		}

		// Port-outs: every kind of field.
		portouts := &PortoutListParams{Page: page, Filter: PortoutListFilter{
			CarrierName: s1, CountryCode: s2, CountryCodeIn: items, FocDate: at, InsertedAt: rng,
			PhoneNumber: s3, PON: s4, PortedOutAt: DateRange{Lte: at}, SPID: s2, Status: PortoutStatus(s3),
			StatusIn: statuses, SupportKey: s1,
		}}
		add("filter[carrier_name]", s1)
		add("filter[country_code]", s2)
		if items != nil {
			want.Set("filter[country_code_in]", strings.Join(items, ","))
			want.Set("filter[status_in]", strings.Join(items, ","))
		}
		addTime("filter[foc_date]", at)
		addTime("filter[inserted_at][gte]", rng.Gte)
		addTime("filter[inserted_at][lte]", rng.Lte)
		add("filter[phone_number]", s3)
		add("filter[pon]", s4)
		addTime("filter[ported_out_at][lte]", at)
		add("filter[spid]", s2)
		add("filter[status]", s3)
		add("filter[support_key]", s1)
		checkQuery(t, portouts, want, at)

		// Events and reports share the page keys.
		for k := range want {
			if strings.HasPrefix(k, "filter[") {
				delete(want, k)
			}
		}
		events := &PortoutEventListParams{Page: page, Filter: PortoutEventListFilter{
			CreatedAt: rng, EventType: PortoutEventType(s1), PortoutID: s4,
		}}
		eventsWant := cloneValues(want)
		addTime("filter[created_at][gte]", rng.Gte)
		addTime("filter[created_at][lte]", rng.Lte)
		add("filter[event_type]", s1)
		add("filter[portout_id]", s4)
		checkQuery(t, events, want, at)

		reports := &PortoutReportListParams{Page: page, Filter: PortoutReportListFilter{ReportType: PortoutReportType(s3), Status: PortoutReportStatus(s2)}}
		want = eventsWant
		add("filter[report_type]", s3)
		add("filter[status]", s2)
		checkQuery(t, reports, want, at)
	})
}

// fuzzTime makes a time from fuzz inputs: zero when sec is zero, otherwise
// an instant in the years 1 to 9999 at an offset of whole minutes within a
// day, so that RFC 3339 can write it.
func fuzzTime(sec int64, nsec uint32, offMin int16) time.Time {
	if sec == 0 {
		return time.Time{}
	}
	const first, last = -62135596800 + 86400, 253402300799 - 2*86400 // 0001-01-02 to 9999-12-29, room for an hour and a day of offset
	if sec < first || sec > last {
		sec = first + (sec%(last-first)+(last-first))%(last-first)
	}
	off := int(offMin) % (24 * 60)
	return time.Unix(sec, int64(nsec%1e9)).In(time.FixedZone("", off*60))
}

func intOrEmpty(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

func cloneValues(v url.Values) url.Values {
	c := url.Values{}
	for k, vs := range v {
		c[k] = append([]string(nil), vs...)
	}
	return c
}

// checkQuery encodes params as a request does and parses the result back.
// Times must also name the same instant, to the second, as at.
func checkQuery(t *testing.T, params any, want url.Values, at time.Time) {
	t.Helper()
	raw, err := encodeQuery(params)
	if err != nil {
		t.Fatalf("encode %+v: %v", params, err)
	}
	got, err := url.ParseQuery(raw)
	if err != nil {
		t.Fatalf("query %q does not parse: %v", raw, err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("query %q parses to\n%v\nwant\n%v", raw, got, want)
	}
	for _, key := range []string{"filter[foc_date]", "filter[inserted_at][gte]", "filter[created_at][gte]"} {
		if s := got.Get(key); s != "" {
			back, err := time.Parse(time.RFC3339, s)
			if err != nil || !back.Equal(at.Truncate(time.Second)) {
				t.Fatalf("%s=%q names %v (%v), want %v", key, s, back, err, at.Truncate(time.Second))
			}
		}
	}
}
