package wire

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// word is a named string type.
type word string

// upper is a non-struct type with both JSON methods: it is written in
// upper case and read back in lower case.
type upper string

func (u upper) MarshalJSON() ([]byte, error) {
	return json.Marshal(strings.ToUpper(string(u)))
}

func (u *upper) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	if s == "bad" {
		return errors.New("bad is refused")
	}
	*u = upper(strings.ToLower(s))
	return nil
}

// onlyIn has UnmarshalJSON only: Marshal writes it by its kind.
type onlyIn int

func (o *onlyIn) UnmarshalJSON(b []byte) error {
	n, err := strconv.Atoi(strings.Trim(string(b), `"`))
	*o = onlyIn(n)
	return err
}

// onlyOut has MarshalJSON only: Unmarshal reads it by its kind.
type onlyOut int

func (o onlyOut) MarshalJSON() ([]byte, error) {
	return []byte(`"` + strconv.Itoa(int(o)) + `"`), nil
}

type inner struct {
	A string `json:"a"`
	B int    `json:"b,omitempty"`
}

// kinds has a field of every supported kind.
type kinds struct {
	S     string                     `json:"s"`
	W     word                       `json:"w"`
	T     bool                       `json:"t"`
	I     int                        `json:"i"`
	I8    int8                       `json:"i8"`
	I16   int16                      `json:"i16"`
	I32   int32                      `json:"i32"`
	I64   int64                      `json:"i64"`
	U     uint                       `json:"u"`
	U8    uint8                      `json:"u8"`
	U16   uint16                     `json:"u16"`
	U32   uint32                     `json:"u32"`
	U64   uint64                     `json:"u64"`
	F32   float32                    `json:"f32"`
	F64   float64                    `json:"f64"`
	At    time.Time                  `json:"at"`
	AtP   *time.Time                 `json:"at_p"`
	In    inner                      `json:"in"`
	InP   *inner                     `json:"in_p"`
	IP    *int                       `json:"ip"`
	Ss    []string                   `json:"ss"`
	Ws    []word                     `json:"ws"`
	Is    []int                      `json:"is"`
	Ins   []inner                    `json:"ins"`
	InPs  []*inner                   `json:"in_ps"`
	Ats   []time.Time                `json:"ats"`
	Nest  [][]int                    `json:"nest"`
	Raw   json.RawMessage            `json:"raw"`
	Map   map[string]any             `json:"map"`
	Bytes []byte                     `json:"bytes"`
	Arr   [2]int                     `json:"arr"`
	Up    upper                      `json:"up"`
	OIn   onlyIn                     `json:"oin"`
	OOut  onlyOut                    `json:"oout"`
	Ms    map[string]json.RawMessage `json:"ms"`

	Untagged string
	Skipped  string `json:"-"`
	private  string //nolint:unused // an unexported field is never decoded
}

func ptr[T any](v T) *T { return &v }

func TestUnmarshalKinds(t *testing.T) {
	t.Parallel()
	at := time.Date(2018, 2, 2, 22, 25, 27, 521e6, time.UTC)
	tests := []struct {
		name string
		in   string
		want kinds
	}{
		{"empty object", `{}`, kinds{}},
		{"strings", `{"s":"plain","w":"named"}`, kinds{S: "plain", W: "named"}},
		{"bools", `{"t":true}`, kinds{T: true}},
		{"ints at their limits", `{"i":-9223372036854775808,"i8":-128,"i16":32767,"i32":-2147483648,"i64":9223372036854775807}`,
			kinds{I: math.MinInt64, I8: math.MinInt8, I16: math.MaxInt16, I32: math.MinInt32, I64: math.MaxInt64}},
		{"uints at their limits", `{"u":18446744073709551615,"u8":255,"u16":65535,"u32":4294967295,"u64":0}`,
			kinds{U: math.MaxUint, U8: math.MaxUint8, U16: math.MaxUint16, U32: math.MaxUint32}},
		{"minus zero", `{"i":-0,"u":-0,"f64":-0}`, kinds{F64: math.Copysign(0, -1)}},
		{"floats", `{"f32":1.5,"f64":-2.5e-3}`, kinds{F32: 1.5, F64: -2.5e-3}},
		{"float from integer", `{"f64":12}`, kinds{F64: 12}},
		{"times", `{"at":"2018-02-02T22:25:27.521Z","at_p":"2018-02-02T22:25:27.521Z","ats":["2018-02-02T22:25:27.521Z",null,""]}`,
			kinds{At: at, AtP: &at, Ats: []time.Time{at, {}, {}}}},
		{"lenient times", `{"at":"2018-02-02"}`, kinds{At: time.Date(2018, 2, 2, 0, 0, 0, 0, time.UTC)}},
		{"escaped time", `{"at":"2018-02-02T22:25:27.521\u005a"}`, kinds{At: at}},
		{"empty time", `{"at":"","at_p":""}`, kinds{}},
		{"structs", `{"in":{"a":"x","b":2},"in_p":{"a":"y"}}`, kinds{In: inner{A: "x", B: 2}, InP: &inner{A: "y"}}},
		{"pointer to int", `{"ip":7}`, kinds{IP: ptr(7)}},
		{"slices", `{"ss":["a","b"],"ws":["c"],"is":[1,-2,3],"ins":[{"a":"x"},null,{"b":1}],"in_ps":[{"a":"y"},null]}`, kinds{
			Ss: []string{"a", "b"}, Ws: []word{"c"}, Is: []int{1, -2, 3},
			Ins: []inner{{A: "x"}, {}, {B: 1}}, InPs: []*inner{{A: "y"}, nil},
		}},
		{"many elements", `{"is":[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17]}`, kinds{Is: []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17}}},
		{"nested slices", `{"nest":[[1],[],null]}`, kinds{Nest: [][]int{{1}, {}, nil}}},
		{"empty arrays are not nil", `{"ss":[],"is":[],"ins":[]}`, kinds{Ss: []string{}, Is: []int{}, Ins: []inner{}}},
		{"null string in slice", `{"ss":["a",null]}`, kinds{Ss: []string{"a", ""}}},
		{"raw", `{"raw": {"k" : [1, 2]} }`, kinds{Raw: json.RawMessage(`{"k" : [1, 2]}`)}},
		{"fallback kinds", `{"map":{"k":[1,"x"]},"bytes":"aGk=","arr":[1,2],"ms":{"a":1}}`, kinds{
			Map: map[string]any{"k": []any{1.0, "x"}}, Bytes: []byte("hi"), Arr: [2]int{1, 2},
			Ms: map[string]json.RawMessage{"a": json.RawMessage("1")},
		}},
		{"methods", `{"up":"LOUD","oin":"42","oout":43}`, kinds{Up: "loud", OIn: 42, OOut: 43}},
		{"skipped fields", `{"Untagged":"x","Skipped":"y","-":"z","private":"p"}`, kinds{}},
		{"whitespace everywhere", " {\n\t\"s\" : \"a\" ,\r \"is\" : [ 1 , 2 ] , \"in\" : { } } \n", kinds{S: "a", Is: []int{1, 2}}},
		{"unknown members skipped", `{"x":{"y":[1,2.5e3,true,false,null,"s\u00e9",{}]},"s":"a","z":-1}`, kinds{S: "a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got kinds
			require.NoError(t, Unmarshal([]byte(tt.in), &got))
			assert.Equal(t, tt.want, got)
		})
	}
}

// TestUnmarshalNullIsZero sets every field, then null in a repeated
// member (the last one wins) must leave that field at its zero value.
func TestUnmarshalNullIsZero(t *testing.T) {
	t.Parallel()
	const full = `{"s":"a","w":"b","t":true,"i":1,"i8":1,"i16":1,"i32":1,"i64":1,"u":1,"u8":1,"u16":1,"u32":1,"u64":1,` +
		`"f32":1,"f64":1,"at":"2018-02-02","at_p":"2018-02-02","in":{"a":"x"},"in_p":{},"ip":1,"ss":["a"],"ws":["a"],` +
		`"is":[1],"ins":[{}],"in_ps":[{}],"ats":[""],"nest":[[]],"raw":1,"map":{},"bytes":"","arr":[1,1],"up":"a",` +
		`"oin":1,"oout":1,"ms":{}}`
	rt := reflect.TypeFor[kinds]()
	for i := range rt.NumField() {
		name, _, _ := strings.Cut(rt.Field(i).Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var want kinds
			require.NoError(t, Unmarshal([]byte(full), &want))
			f := reflect.ValueOf(&want).Elem().Field(i)
			require.False(t, f.IsZero(), "the full input sets the field")
			f.SetZero()
			var got kinds
			require.NoError(t, Unmarshal([]byte(full[:len(full)-1]+`,"`+name+`":null}`), &got))
			assert.Equal(t, want, got)
		})
	}
	// The top-level value is reset, and null resets it too.
	got := kinds{S: "old", Untagged: "reset too"}
	require.NoError(t, Unmarshal([]byte(`{"i":1}`), &got))
	assert.Equal(t, kinds{I: 1}, got)
	require.NoError(t, Unmarshal([]byte(`null`), &got))
	assert.Equal(t, kinds{}, got)
	p := &inner{A: "x"}
	require.NoError(t, Unmarshal([]byte(`null`), &p))
	assert.Nil(t, p)
}

func TestUnmarshalAgreesWithEncodingJSON(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("../../testdata/portouts_page.json")
	require.NoError(t, err)
	var got, want testPage
	require.NoError(t, Unmarshal(b, &got))
	require.NoError(t, json.Unmarshal(b, &want))
	assert.Equal(t, want, got)
	assert.Len(t, got.Data, 2)
	assert.Equal(t, testPortoutStatus("authorized"), got.Data[1].Status)
	assert.Nil(t, got.Data[0].Extra, "no unknown members: Extra stays nil")

	page := benchPage(variedPortoutJSON)
	require.NoError(t, Unmarshal(page, &got))
	require.NoError(t, json.Unmarshal(page, &want))
	assert.Equal(t, want, got)
}

func TestUnmarshalStrings(t *testing.T) {
	t.Parallel()
	for _, in := range []string{
		`""`, `"plain ascii"`, `"a long plain string that runs over several words of eight bytes"`,
		`"\" \\ \/ \b \f \n \r \t"`, `"\u00e9\u00E9 caf\u00e9"`, `"Zürich 日本語 ☎"`,
		`"\ud83d\ude00 pair"`, `"\ud83d lone high"`, `"\ude00 lone low"`, `"\ud83d\u0041 high then letter"`,
		`"\ud83d\ud83d\ude00 high high low"`, `"end with high \ud83d"`,
		"\"bad \xff utf-8\"", "\"cut \xe2\x82 rune\"", "\"overlong \xc0\xaf\"", "\"surrogate in utf-8 \xed\xa0\x80\"",
		"\"\x7f del\"", `"\u0000 nul"`, `"mixed \n and ü and \u2028"`,
	} {
		t.Run(in, func(t *testing.T) {
			t.Parallel()
			var got, want string
			require.NoError(t, json.Unmarshal([]byte(in), &want))
			require.NoError(t, Unmarshal([]byte(in), &got))
			assert.Equal(t, want, got)
			// Inside a struct, a slice and as a key too.
			var k kinds
			require.NoError(t, Unmarshal([]byte(`{"s":`+in+`,"ss":[`+in+`]}`), &k))
			assert.Equal(t, want, k.S)
			assert.Equal(t, []string{want}, k.Ss)
			var e withExtra
			require.NoError(t, Unmarshal([]byte(`{`+in+`:1}`), &e))
			assert.Contains(t, e.Extra, want)
		})
	}
}

func TestUnmarshalEscapedKeys(t *testing.T) {
	t.Parallel()
	var got kinds
	require.NoError(t, Unmarshal([]byte(`{"\u0073":"a","\u0069n":{"\u0061":"b"}}`), &got))
	assert.Equal(t, kinds{S: "a", In: inner{A: "b"}}, got)
}

func TestUnmarshalDuplicatesLastWins(t *testing.T) {
	t.Parallel()
	var got kinds
	require.NoError(t, Unmarshal([]byte(`{"s":"a","s":"b","in":{"a":"x","b":1},"in":{"a":"y"},"is":[1,2],"is":[3],"in_p":{"b":1},"in_p":{"a":"z"}}`), &got))
	assert.Equal(t, kinds{S: "b", In: inner{A: "y"}, Is: []int{3}, InP: &inner{A: "z"}}, got, "a repeated object replaces the first, not merged")

	var e withExtra
	require.NoError(t, Unmarshal([]byte(`{"x":1,"x":2}`), &e))
	assert.Equal(t, map[string]json.RawMessage{"x": json.RawMessage("2")}, e.Extra)
}

func TestUnmarshalCaseSensitive(t *testing.T) {
	t.Parallel()
	var e withExtra
	require.NoError(t, Unmarshal([]byte(`{"ID":"a","Id":"b","id":"c"}`), &e))
	assert.Equal(t, "c", e.ID)
	assert.Equal(t, map[string]json.RawMessage{"ID": json.RawMessage(`"a"`), "Id": json.RawMessage(`"b"`)}, e.Extra)
}

func TestUnmarshalTopLevelKinds(t *testing.T) {
	t.Parallel()
	var s []inner
	require.NoError(t, Unmarshal([]byte(` [{"a":"x"},{"b":2}] `), &s))
	assert.Equal(t, []inner{{A: "x"}, {B: 2}}, s)

	var ps []*inner
	require.NoError(t, Unmarshal([]byte(`[{"a":"x"},null]`), &ps))
	assert.Equal(t, []*inner{{A: "x"}, nil}, ps)

	var n int
	require.NoError(t, Unmarshal([]byte(`42`), &n))
	assert.Equal(t, 42, n)

	var w word
	require.NoError(t, Unmarshal([]byte(`"x"`), &w))
	assert.Equal(t, word("x"), w)

	var a any
	require.NoError(t, Unmarshal([]byte(`{"k":[true]}`), &a))
	assert.Equal(t, map[string]any{"k": []any{true}}, a)

	var pp *inner
	require.NoError(t, Unmarshal([]byte(`{"a":"x"}`), &pp))
	assert.Equal(t, &inner{A: "x"}, pp)

	var at time.Time
	require.NoError(t, Unmarshal([]byte(`"2018-02-02T22:25:27+01:00"`), &at))
	assert.True(t, at.Equal(time.Date(2018, 2, 2, 21, 25, 27, 0, time.UTC)))
}

func TestUnmarshalNeedsPointer(t *testing.T) {
	t.Parallel()
	var k kinds
	for _, v := range []any{nil, k, (*kinds)(nil), 3} {
		err := Unmarshal([]byte(`{}`), v)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "non-nil pointer")
	}
}

func TestUnmarshalCopiesInput(t *testing.T) {
	t.Parallel()
	in := []byte(`{"s":"abc","ss":["def"],"raw":[1],"in":{"a":"ghi"},"map":{"k":"v"}}`)
	var k kinds
	require.NoError(t, Unmarshal(in, &k))
	var e withExtra
	ein := []byte(`{"unknown":{"k":"v"},"payload":"x"}`)
	require.NoError(t, Unmarshal(ein, &e))
	for i := range in {
		in[i] = 'X'
	}
	for i := range ein {
		ein[i] = 'X'
	}
	assert.Equal(t, "abc", k.S)
	assert.Equal(t, []string{"def"}, k.Ss)
	assert.Equal(t, json.RawMessage("[1]"), k.Raw)
	assert.Equal(t, "ghi", k.In.A)
	assert.Equal(t, json.RawMessage(`{"k":"v"}`), e.Extra["unknown"])
}

func TestIntern(t *testing.T) {
	t.Parallel()
	type color string
	const red color = "red"
	Intern(red, "green", red)
	Intern[color]("blue")
	var got struct {
		C  color   `json:"c"`
		Cs []color `json:"cs"`
	}
	require.NoError(t, Unmarshal([]byte(`{"c":"red","cs":["green","blue","r\u0065d","other"]}`), &got))
	assert.Equal(t, []color{"green", "blue", "red", "other"}, got.Cs)
	same := func(a, b color) bool {
		return unsafe.StringData(string(a)) == unsafe.StringData(string(b)) //nolint:gosec // G103: the test checks which memory strings share
	}
	assert.True(t, same(red, got.C), "an interned value is the registered string")
	assert.True(t, same(red, got.Cs[2]), "an escaped value is interned once decoded")

	// Many values switch the set to a map. The values live in a package
	// variable so that a second run (-count above 1) registers the same strings.
	Intern(manyValues...)
	var m []many
	require.NoError(t, Unmarshal([]byte(`["v3","v19","w"]`), &m))
	assert.Equal(t, []many{"v3", "v19", "w"}, m)
	assert.True(t, same2(string(manyValues[19]), string(m[1])))

	assert.Panics(t, func() { InternType(timeType, "x") })
}

func TestStringCacheSharesRepeatedValues(t *testing.T) {
	t.Parallel()
	var got []inner
	require.NoError(t, Unmarshal([]byte(`[{"a":"same"},{"a":"same"},{"a":"other"}]`), &got))
	assert.True(t, same2(got[0].A, got[1].A))
	assert.Equal(t, "other", got[2].A)
}

func TestUnmarshalDepth(t *testing.T) {
	t.Parallel()
	nest := func(n int) string { return strings.Repeat("[", n) + strings.Repeat("]", n) }
	var a any
	var k kinds
	require.NoError(t, Unmarshal([]byte(`{"x":`+nest(999)+`}`), &k), "1000 levels, the object included")
	err := Unmarshal([]byte(`{"x":`+nest(1000)+`}`), &k)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "nesting deeper than 1000")

	objs := strings.Repeat(`{"x":`, 1001) + "1" + strings.Repeat("}", 1001)
	require.Error(t, Unmarshal([]byte(objs), &k))
	require.Error(t, Unmarshal([]byte(`{"nest":[`+nest(999)+`]}`), &k))
	require.Error(t, Unmarshal([]byte(nest(1001)), &a))

	type deep struct {
		Next *deep  `json:"next"`
		In   []deep `json:"in"`
		G    int    `json:"g.h"`
	}
	var d deep
	require.Error(t, Unmarshal([]byte(strings.Repeat(`{"next":`, 1001)+"null"+strings.Repeat("}", 1001)), &d))
	require.Error(t, Unmarshal([]byte(strings.Repeat(`{"in":[`, 501)+strings.Repeat("]}", 501)), &d))
	require.Error(t, Unmarshal([]byte(strings.Repeat(`{"next":`, 999)+`{"g":{}}`+strings.Repeat("}", 999)), &d))
	require.NoError(t, Unmarshal([]byte(strings.Repeat(`{"next":`, 998)+`{"g":{}}`+strings.Repeat("}", 998)), &d))
}

// same2 reports whether two strings share their bytes.
// many is a string type with enough interned values to use a map.
type many string

var manyValues = func() []many {
	var vals []many
	for i := range 20 {
		vals = append(vals, many("v"+strconv.Itoa(i)))
	}
	return vals
}()

func same2(a, b string) bool {
	return unsafe.StringData(a) == unsafe.StringData(b) //nolint:gosec // G103: the test checks which memory strings share
}
