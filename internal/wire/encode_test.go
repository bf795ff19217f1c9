package wire

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// stdJSON encodes v with encoding/json, without HTML escaping, as wire
// writes.
func stdJSON(t *testing.T, v any) string {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	require.NoError(t, enc.Encode(v))
	return string(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
}

func TestMarshalKinds(t *testing.T) {
	t.Parallel()
	at := time.Date(2018, 2, 2, 22, 25, 27, 521e6, time.FixedZone("", 3600))
	k := kinds{
		S: "a\"b\\c\n\r\t\b\f\x01<>&\u2028\u2029é日", W: "w", T: true,
		I: math.MinInt64, I8: -8, I16: 16, I32: -32, I64: math.MaxInt64,
		U: math.MaxUint64, U8: 8, U16: 16, U32: 32, U64: 64,
		F32: 1.1, F64: 1e21, At: at, AtP: &at, In: inner{A: "x"}, InP: &inner{B: 2}, IP: ptr(3),
		Ss: []string{"a"}, Ws: []word{}, Is: []int{1, 2}, Ins: []inner{{}}, InPs: []*inner{nil, {A: "y"}},
		Ats: []time.Time{{}, at}, Nest: [][]int{nil, {1}}, Raw: json.RawMessage(` {"k": 1} `),
		Map: map[string]any{"b": 1, "a": []any{"x"}}, Bytes: []byte("hi"), Arr: [2]int{1, 2},
		Up: "loud", OIn: 5, OOut: 6, Ms: map[string]json.RawMessage{"m": json.RawMessage("1")},
		Untagged: "not written", Skipped: "not written",
	}
	out, err := Marshal(k)
	require.NoError(t, err)
	want := `{"s":"a\"b\\c\n\r\t\b\f\u0001<>&\u2028\u2029é日","w":"w","t":true,` +
		`"i":-9223372036854775808,"i8":-8,"i16":16,"i32":-32,"i64":9223372036854775807,` +
		`"u":18446744073709551615,"u8":8,"u16":16,"u32":32,"u64":64,"f32":1.1,"f64":1e+21,` +
		`"at":"2018-02-02T22:25:27.521+01:00","at_p":"2018-02-02T22:25:27.521+01:00","in":{"a":"x"},"in_p":{"a":"","b":2},"ip":3,` +
		`"ss":["a"],"ws":[],"is":[1,2],"ins":[{"a":""}],"in_ps":[null,{"a":"y"}],"ats":[null,"2018-02-02T22:25:27.521+01:00"],` +
		`"nest":[null,[1]],"raw": {"k": 1} ,"map":{"a":["x"],"b":1},"bytes":"aGk=","arr":[1,2],"up":"LOUD","oin":5,"oout":"6",` +
		`"ms":{"m":1}}`
	assert.Equal(t, want, string(out))

	// Through a pointer, and appended.
	out2, err := AppendMarshal([]byte("x"), &k)
	require.NoError(t, err)
	assert.Equal(t, "x"+want, string(out2))

	var back kinds
	// onlyOut writes a string but reads a number.
	require.NoError(t, Unmarshal(bytes.Replace(out, []byte(`"oout":"6"`), []byte(`"oout":6`), 1), &back))
	assert.True(t, back.At.Equal(at))
	back.At, back.AtP, back.Ats = k.At, k.AtP, k.Ats
	k.Untagged, k.Skipped, k.Up, k.Map = "", "", "loud", map[string]any{"b": 1.0, "a": []any{"x"}}
	back.Raw = json.RawMessage(` {"k": 1} `)
	assert.Equal(t, k, back)
}

func TestMarshalStringsAsEncodingJSON(t *testing.T) {
	t.Parallel()
	for _, s := range []string{
		"", "plain", "\x00\x1f\x7f", "quote \" backslash \\ slash /", "<html> & </html>",
		"é 日本 ☎ 😀", "\u2028\u2029", "bad \xff utf-8 \xc0\xaf", "\xed\xa0\x80", "cut \xe2\x82",
	} {
		out, err := Marshal(s)
		require.NoError(t, err)
		assert.Equal(t, stdJSON(t, s), string(out))
		var back string
		require.NoError(t, Unmarshal(out, &back))
		var std string
		require.NoError(t, json.Unmarshal(out, &std))
		assert.Equal(t, std, back)
	}
}

func TestMarshalFloatsAsEncodingJSON(t *testing.T) {
	t.Parallel()
	for _, f := range []float64{0, math.Copysign(0, -1), 1, -1.5, 1e20, 1e21, 1e-6, 1e-7, 123456789.125, 5e-324, math.MaxFloat64, 0.1} {
		out, err := Marshal(f)
		require.NoError(t, err)
		assert.Equal(t, stdJSON(t, f), string(out))
		if math.IsInf(float64(float32(f)), 0) {
			continue
		}
		out, err = Marshal(float32(f))
		require.NoError(t, err)
		assert.Equal(t, stdJSON(t, float32(f)), string(out))
	}
	for _, f := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		_, err := Marshal(f)
		var we *Error
		require.ErrorAs(t, err, &we)
		assert.Equal(t, -1, we.Offset)
	}
	_, err := Marshal(kinds{F64: math.NaN()})
	var we *Error
	require.ErrorAs(t, err, &we)
	assert.Equal(t, "f64", we.Path)
}

func TestMarshalTopLevel(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		v    any
		want string
	}{
		{nil, `null`},
		{(*inner)(nil), `null`},
		{inner{A: "x"}, `{"a":"x"}`},
		{&inner{A: "x"}, `{"a":"x"}`},
		{[]inner{{A: "x"}}, `[{"a":"x"}]`},
		{[]*inner{nil}, `[null]`},
		{[]string(nil), `null`},
		{ptr(ptr(3)), `3`},
		{(*int)(nil), `null`},
		{word("w"), `"w"`},
		{true, `true`},
		{time.Time{}, `null`},
		{time.Date(2024, 9, 4, 8, 0, 0, 1, time.UTC), `"2024-09-04T08:00:00.000000001Z"`},
		{json.RawMessage(nil), `null`},
		{map[string]int{"b": 1, "a": 2}, `{"a":2,"b":1}`},
		{onlyIn(7), `7`},
		{struct{}{}, `{}`},
	} {
		out, err := Marshal(tt.v)
		require.NoError(t, err)
		assert.Equal(t, tt.want, string(out), "%#v", tt.v)
	}
}

func TestOmitempty(t *testing.T) {
	t.Parallel()
	type omitted struct {
		S    string          `json:"s,omitempty"`
		T    bool            `json:"t,omitempty"`
		I    int8            `json:"i,omitempty"`
		U    uint16          `json:"u,omitempty"`
		F    float32         `json:"f,omitempty"`
		G    float64         `json:"g,omitempty"`
		At   time.Time       `json:"at,omitempty"`
		In   inner           `json:"in,omitempty"`
		P    *inner          `json:"p,omitempty"`
		Ss   []string        `json:"ss,omitempty"`
		Raw  json.RawMessage `json:"raw,omitempty"`
		M    map[string]int  `json:"m,omitempty"`
		A    [0]int          `json:"a,omitempty"`
		Up   upper           `json:"up,omitempty"`
		Pay  payload         `json:"pay,omitempty"`
		Kept string          `json:"kept"`
	}
	out, err := Marshal(omitted{Ss: []string{}, M: map[string]int{}})
	require.NoError(t, err)
	assert.Equal(t, `{"kept":""}`, string(out), "zero values, empty slices and maps are left out")

	full := omitted{S: "s", T: true, I: 1, U: 1, F: 1, G: 1, At: time.Date(2024, 9, 4, 0, 0, 0, 0, time.UTC), In: inner{B: 1},
		P: &inner{}, Ss: []string{""}, Raw: json.RawMessage("0"), M: map[string]int{"": 0}, Up: "u", Pay: textPayload("p")}
	out, err = Marshal(full)
	require.NoError(t, err)
	assert.Equal(t, `{"s":"s","t":true,"i":1,"u":1,"f":1,"g":1,"at":"2024-09-04T00:00:00Z","in":{"a":"","b":1},"p":{"a":""},`+
		`"ss":[""],"raw":0,"m":{"":0},"up":"U","pay":"p","kept":""}`, string(out))
}

type failing int

func (failing) MarshalJSON() ([]byte, error) { return nil, errors.New("no") }

type garbage int

func (garbage) MarshalJSON() ([]byte, error) { return []byte(`{"a"`), nil }

type cycle struct {
	Next *cycle `json:"next"`
}

type cycleSlice struct {
	In []cycleSlice `json:"in"`
}

func TestMarshalErrors(t *testing.T) {
	t.Parallel()
	var we *Error
	_, err := Marshal(struct {
		F []failing `json:"f"`
	}{F: []failing{0}})
	require.ErrorAs(t, err, &we)
	assert.Equal(t, "f[0]", we.Path)
	assert.EqualError(t, errors.Unwrap(err), "no")

	_, err = Marshal(garbage(0))
	require.ErrorAs(t, err, &we)
	assert.Contains(t, we.Reason, "invalid JSON")

	_, err = Marshal(kinds{Raw: json.RawMessage(`{} {}`)})
	require.ErrorAs(t, err, &we)
	assert.Equal(t, "raw", we.Path)

	_, err = Marshal(kinds{Map: map[string]any{"c": make(chan int)}})
	require.ErrorAs(t, err, &we)
	assert.Equal(t, "map", we.Path)

	c := &cycle{}
	c.Next = c
	_, err = Marshal(c)
	require.ErrorAs(t, err, &we)
	assert.Contains(t, we.Reason, "nesting deeper than 1000")

	deep := cycleSlice{}
	for range 1001 {
		deep = cycleSlice{In: []cycleSlice{deep}}
	}
	_, err = Marshal(deep)
	require.ErrorAs(t, err, &we)

	type withIface struct {
		P any `json:"p"`
	}
	w := &withIface{}
	w.P = w
	_, err = Marshal(w)
	require.ErrorAs(t, err, &we)

	out, err := AppendMarshal([]byte("keep"), c)
	require.Error(t, err)
	assert.Equal(t, "keep", string(out), "dst is returned unchanged on error")
}

// rawHolder names no member and speaks for itself, as the SDK's holder of
// an unknown event payload does.
type rawHolder struct{ Raw json.RawMessage }

func (h rawHolder) MarshalJSON() ([]byte, error) { return h.Raw, nil }

type withHolder struct {
	Kind    string `json:"kind"`
	Payload any    `json:"payload"`
}

func TestMarshalUntaggedMarshalerSpeaksForItself(t *testing.T) {
	b, err := Marshal(withHolder{Kind: "x", Payload: &rawHolder{Raw: json.RawMessage(`{"a":[1,2]}`)}})
	require.NoError(t, err)
	assert.JSONEq(t, `{"kind":"x","payload":{"a":[1,2]}}`, string(b))
}
