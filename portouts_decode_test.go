package telnyx

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The hand-written port-out decoder must take the API's usual answers, and
// whatever it accepts must decode exactly as encoding/json decodes it.

func TestPortoutDecodeFastTakesSpecShapes(t *testing.T) {
	for _, file := range []string{"testdata/portouts_page.json"} {
		b, err := os.ReadFile(file)
		require.NoError(t, err)
		var fast portoutList
		require.True(t, fast.decodeFast(b), file)
		var std envelope[[]portoutWire]
		require.NoError(t, json.Unmarshal(b, &std))
		assert.Equal(t, std, envelope[[]portoutWire](fast))
		assert.NotEmpty(t, fast.Data)
	}
	b, err := os.ReadFile("testdata/portout.json")
	require.NoError(t, err)
	var one portoutOne
	require.True(t, one.decodeFast(b))
	var std envelope[*portoutWire]
	require.NoError(t, json.Unmarshal(b, &std))
	assert.Equal(t, std, envelope[*portoutWire](one))
	assert.NotEmpty(t, one.Data.ID)
}

func TestPortoutDecodeFastAgreesWithEncodingJSON(t *testing.T) {
	cases := []struct {
		name string
		in   string
		fast bool // whether the hand-written decoder should take it
	}{
		{"empty page", `{"data":[],"meta":{"page_number":1,"page_size":20,"total_pages":0,"total_results":0}}`, true},
		{"null data and meta", `{"data":null,"meta":null}`, true},
		{"no members", `{}`, true},
		{"whitespace everywhere", " { \"data\" : [ { \"id\" : \"a\" , \"lsr\" : [ \"x\" , \"y\" ] } ] , \"meta\" : { } } \n", true},
		{"unknown members skipped", `{"links":{"next":[1,2.5e3,true,null,"s\u00e9"]},"data":[{"id":"a","new_field":{"deep":[{}]}}],"url":"u"}`, true},
		{"escaped and unicode strings", `{"data":[{"id":"a\/b\"c","city":"Zürich","end_user_name":"\ud83d\ude00"}]}`, true},
		{"nulls keep zero values", `{"data":[{"id":null,"already_ported":null,"rejection_code":null,"lsr":null,"created_at":null}]}`, true},
		{"empty arrays stay non-nil", `{"data":[{"lsr":[],"phone_numbers":[]}]}`, true},
		{"lenient times", `{"data":[{"created_at":"2021-03-19T10:07:15.527000Z","foc_date":"2024-09-04","updated_at":""}]}`, true},
		{"negative code", `{"data":[{"rejection_code":-3}]}`, true},
		{"duplicate key", `{"data":[{"id":"a","id":"b"}]}`, false},
		{"duplicate data", `{"data":[],"data":[{"id":"b"}]}`, false},
		{"duplicate meta merges in encoding/json", `{"meta":{"page_number":2},"meta":{"total_pages":3}}`, false},
		{"key in another case", `{"data":[{"ID":"a"}]}`, false},
		{"envelope key in another case", `{"Data":[{"id":"a"}]}`, false},
		{"null element", `{"data":[null,{"id":"a"}]}`, false},
		{"null string in array", `{"data":[{"lsr":["a",null]}]}`, false},
		{"fractional code", `{"data":[{"rejection_code":1002.0}]}`, false},
		{"code too large", `{"data":[{"rejection_code":99999999999999999999}]}`, false},
		{"string where bool", `{"data":[{"already_ported":"yes"}]}`, false},
		{"bad time", `{"data":[{"created_at":"yesterday"}]}`, false},
		{"object data", `{"data":{"id":"a"}}`, false},
		{"trailing garbage", `{"data":[]} x`, false},
		{"truncated", `{"data":[{"id":"a"`, false},
		{"top-level null", `null`, false},
		{"bad escape", `{"data":[{"id":"\x"}]}`, false},
		{"leading zero", `{"meta":{"page_number":01}}`, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var fast portoutList
			ok := fast.decodeFast([]byte(tc.in))
			assert.Equal(t, tc.fast, ok)
			var std envelope[[]portoutWire]
			err := json.Unmarshal([]byte(tc.in), &std)
			if ok {
				require.NoError(t, err)
				assert.Equal(t, std, envelope[[]portoutWire](fast))
			} else {
				assert.Equal(t, portoutList{}, fast, "a refused input leaves the target untouched")
			}
		})
	}
}

func TestPortoutOneDecodeFast(t *testing.T) {
	for _, in := range []string{`{"data":null}`, `{"data":{"id":"a","status":"pending"}}`, `{}`} {
		var fast portoutOne
		require.True(t, fast.decodeFast([]byte(in)), in)
		var std envelope[*portoutWire]
		require.NoError(t, json.Unmarshal([]byte(in), &std))
		assert.Equal(t, std, envelope[*portoutWire](fast), in)
	}
	var fast portoutOne
	assert.False(t, fast.decodeFast([]byte(`{"data":[{"id":"a"}]}`)))
	assert.Nil(t, fast.Data)
}

// FuzzPortoutDecode checks the hand-written decoder against encoding/json:
// whatever it accepts, encoding/json accepts with the same result.
func FuzzPortoutDecode(f *testing.F) {
	for _, file := range []string{"testdata/portouts_page.json", "testdata/portout.json"} {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"data":[{"id":"a","lsr":["x"],"rejection_code":1002,"created_at":"2024-09-04"}],"meta":{"total_pages":2}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var list portoutList
		if list.decodeFast(b) {
			var std envelope[[]portoutWire]
			if err := json.Unmarshal(b, &std); err != nil {
				t.Fatalf("fast decoder accepted what encoding/json refuses (%v): %q", err, b)
			}
			if !assert.ObjectsAreEqual(std, envelope[[]portoutWire](list)) {
				t.Fatalf("list decoded differently from encoding/json: %q", b)
			}
		}
		var one portoutOne
		if one.decodeFast(b) {
			var std envelope[*portoutWire]
			if err := json.Unmarshal(b, &std); err != nil {
				t.Fatalf("fast decoder accepted what encoding/json refuses (%v): %q", err, b)
			}
			if !assert.ObjectsAreEqual(std, envelope[*portoutWire](one)) {
				t.Fatalf("port-out decoded differently from encoding/json: %q", b)
			}
		}
	})
}
