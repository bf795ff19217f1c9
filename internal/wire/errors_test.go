package wire

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/a54710f5/telnyx-go/internal/jsontime"
)

func TestValueErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		in     string
		path   string
		value  string
		reason string
	}{
		{"bad time deep in a page", `{"data":[{},{},{},{"created_at":"yesterday"}]}`, "data[3].created_at", `"yesterday"`, "invalid timestamp"},
		{"time not a string", `{"data":[{"created_at":5}]}`, "data[0].created_at", `5`, "want a timestamp string, got a number"},
		{"string wanted", `{"data":[{"id":{"a":[1]}}]}`, "data[0].id", `{"a":[1]}`, "want a string, got an object"},
		{"bool wanted", `{"data":[{"host_messaging":"yes"}]}`, "data[0].host_messaging", `"yes"`, "want a boolean, got a string"},
		{"int wanted", `{"data":[{"rejection_code":true}]}`, "data[0].rejection_code", `true`, "want an integer, got a boolean"},
		{"fraction", `{"data":[{"rejection_code":1002.0}]}`, "data[0].rejection_code", `1002.0`, "want an integer, got a number with a fraction or exponent"},
		{"exponent", `{"data":[{"rejection_code":1e3}]}`, "data[0].rejection_code", `1e3`, "want an integer, got a number with a fraction or exponent"},
		{"int too large", `{"data":[{"rejection_code":9223372036854775808}]}`, "data[0].rejection_code", `9223372036854775808`, "integer out of range for int"},
		{"int far too large", `{"data":[{"rejection_code":99999999999999999999}]}`, "data[0].rejection_code", `99999999999999999999`, "integer out of range for int"},
		{"int too small", `{"data":[{"rejection_code":-9223372036854775809}]}`, "data[0].rejection_code", `-9223372036854775809`, "integer out of range for int"},
		{"array wanted", `{"data":{}}`, "data", `{}`, "want an array, got an object"},
		{"string in array", `{"data":[{"lsr":["a",1]}]}`, "data[0].lsr[1]", `1`, "want a string, got a number"},
		{"object wanted", `{"data":[[]]}`, "data[0]", `[]`, "want an object, got an array"},
		{"pointer to object", `{"meta":"x"}`, "meta", `"x"`, "want an object, got a string"},
		{"meta int", `{"meta":{"page_size":"250"}}`, "meta.page_size", `"250"`, "want an integer, got a string"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var p testPage
			err := Unmarshal([]byte(tt.in), &p)
			var we *Error
			require.ErrorAs(t, err, &we)
			assert.Equal(t, tt.path, we.Path)
			assert.Equal(t, tt.value, we.Value)
			assert.Equal(t, tt.reason, we.Reason)
			assert.False(t, we.Syntax)
			assert.Equal(t, tt.value, tt.in[we.Offset:we.Offset+len(tt.value)], "Offset is where the value starts")
			assert.Equal(t, "wire: "+tt.path+": "+tt.reason+": "+tt.value, strings.SplitN(err.Error(), " (", 2)[0])
		})
	}

	var p testPage
	err := Unmarshal([]byte(`{"data":[{"updated_at":"2024-13-01"}]}`), &p)
	require.ErrorIs(t, err, jsontime.ErrInvalid)
	assert.Equal(t, `wire: data[0].updated_at: invalid timestamp: "2024-13-01"`, err.Error(), "the value is shown once, through Value")
}

func TestIntegerRanges(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ in, reason string }{
		{`{"i8":128}`, "integer out of range for int8"},
		{`{"i8":-129}`, "integer out of range for int8"},
		{`{"i16":32768}`, "integer out of range for int16"},
		{`{"i32":2147483648}`, "integer out of range for int32"},
		{`{"u8":256}`, "integer out of range for uint8"},
		{`{"u8":-1}`, "integer out of range for uint8"},
		{`{"u":18446744073709551616}`, "integer out of range for uint"},
		{`{"u64":118446744073709551615}`, "integer out of range for uint64"},
		{`{"u32":1.5}`, "want an integer, got a number with a fraction or exponent"},
		{`{"u16":"1"}`, "want an integer, got a string"},
		{`{"f32":1e39}`, "number out of range for float32"},
		{`{"f64":1e400}`, "number out of range for float64"},
		{`{"f64":"1"}`, "want a number, got a string"},
		{`{"ip":"1"}`, "want an integer, got a string"},
		{`{"up":"bad"}`, "cannot decode wire.upper"},
		{`{"oin":"x"}`, "cannot decode wire.onlyIn"},
		{`{"map":[1]}`, "cannot decode map[string]interface {}"},
		{`{"bytes":"!"}`, "cannot decode []uint8"},
		{`{"in":{"a":1}}`, "want a string, got a number"},
		{`{"is":[1,"x"]}`, "want an integer, got a string"},
		{`{"t":1}`, "want a boolean, got a number"},
		{`{"raw":tru}`, "invalid character '}' in literal true"},
	} {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			var k kinds
			err := Unmarshal([]byte(tt.in), &k)
			var we *Error
			require.ErrorAs(t, err, &we)
			assert.Equal(t, tt.reason, we.Reason)
		})
	}
}

func TestSyntaxErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in     string
		offset int
		reason string
	}{
		{``, 0, "unexpected end of input"},
		{`   `, 3, "unexpected end of input"},
		{`{`, 1, "unexpected end of input"},
		{`{"data"`, 7, "unexpected end of input"},
		{`{"data":`, 8, "unexpected end of input"},
		{`{"data":[`, 9, "unexpected end of input"},
		{`{"data":[{"id":"abc`, 19, "unexpected end of input"},
		{`{"data":[{"id":"a\`, 18, "unexpected end of input"},
		{`{"data":[]`, 10, "unexpected end of input"},
		{`{"data":[] x`, 11, "invalid character 'x' after an object member"},
		{`{"data":[],}`, 11, "invalid character '}' looking for the beginning of a member name"},
		{`{"x":[1,]}`, 8, "invalid character ']' looking for the beginning of a value"},
		{`{"data" [] }`, 8, "invalid character '[' after a member name"},
		{`{data:[]}`, 1, "invalid character 'd' looking for the beginning of a member name"},
		{`{"data":[]}}`, 11, "invalid character '}' after the top-level value"},
		{`{"data":[]} {}`, 12, "invalid character '{' after the top-level value"},
		{`{"data":[{"id":"a` + "\n" + `"}]}`, 17, `invalid character '\n' in a string`},
		{`{"data":[{"id":"\x"}]}`, 17, "invalid character 'x' in a string escape"},
		{`{"data":[{"id":"\u12G4"}]}`, 20, `invalid character 'G' in a \u escape`},
		{`{"x":"\u12"}`, 10, `invalid character '"' in a \u escape`},
		{`{"x":"\q"}`, 7, "invalid character 'q' in a string escape"},
		{`{"x":"a` + "\t" + `"}`, 7, `invalid character '\t' in a string`},
		{`{"x":nul}`, 8, "invalid character '}' in literal null"},
		{`{"x":nul`, 8, "unexpected end of input"},
		{`{"meta":{"page_size":nul}}`, 24, "invalid character '}' in literal null"},
		{`{"x":01}`, 6, "invalid character '1' after an object member"},
		{`{"x":-}`, 6, "invalid character '}' in a number"},
		{`{"x":1.}`, 7, "invalid character '}' after the decimal point of a number"},
		{`{"x":1e+}`, 8, "invalid character '}' in the exponent of a number"},
		{`{"x":+1}`, 5, "invalid character '+' looking for the beginning of a value"},
		{`{"x":[1 2]}`, 8, "invalid character '2' after an array element"},
		{`{"x":{"a" 1}}`, 10, "invalid character '1' after a member name"},
		{`{"x":{"a":1 "b"}}`, 12, `invalid character '"' after an object member`},
		{`{"x":{1:1}}`, 6, "invalid character '1' looking for the beginning of a member name"},
		{`{"meta":{"page_size":-x}}`, 22, "invalid character 'x' in a number"},
		{`{"meta":{"page_size":1.x}}`, 23, "invalid character 'x' after the decimal point of a number"},
		{`{"data":[{"lsr":["a" "b"]}]}`, 21, `invalid character '"' after an array element`},
		{`{"data":[{"id":"a"}}`, 19, "invalid character '}' after an array element"},
		{"\ufeff{}", 0, `invalid character '\xef' looking for the beginning of a value`},
		{`[1]`, 0, "invalid character '[' looking for the beginning of a value"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			var p testPage
			err := Unmarshal([]byte(tt.in), &p)
			var we *Error
			require.ErrorAs(t, err, &we)
			if tt.in == `[1]` {
				// Not a syntax error: an array where an object is wanted.
				assert.False(t, we.Syntax)
				assert.True(t, json.Valid([]byte(tt.in)))
				return
			}
			assert.True(t, we.Syntax, "%v", err)
			assert.Equal(t, tt.reason, we.Reason)
			assert.Equal(t, tt.offset, we.Offset)
			assert.Equal(t, tt.in[min(tt.offset, len(tt.in)):], we.Value)
			assert.False(t, json.Valid([]byte(tt.in)), "encoding/json agrees it is invalid")
			assert.Contains(t, err.Error(), "syntax error at offset ")
		})
	}
}

func TestErrorMessage(t *testing.T) {
	t.Parallel()
	secret := strings.Repeat("s3cr3t", 300)
	in := `{"data":[{"id":"x","created_at":"` + secret + "\n" + `"}]}`
	var p testPage
	err := Unmarshal([]byte(strings.Replace(in, "\n", `\n`, 1)), &p)
	var we *Error
	require.ErrorAs(t, err, &we)
	assert.Len(t, we.Value, MaxValue, "Value keeps 1 KiB of the value")
	msg := err.Error()
	assert.NotContains(t, msg, "\n")
	assert.Less(t, len(msg), 250, "the message shows a short part of the value: %s", msg)
	assert.Contains(t, msg, "…")

	// A caller masks the secret in Value before printing.
	we.Value = strings.ReplaceAll(we.Value, "s3cr3t", "***")
	we.Err = nil
	assert.Equal(t, `wire: data[0].created_at: invalid timestamp: "`+strings.Repeat("***", 21)+`…`, we.Error())

	// Control characters and broken UTF-8 never reach the message.
	e := &Error{Path: "p", Reason: "r", Value: "\"a\x01b\xffc\"", Err: &Error{Reason: "inner\nline"}}
	assert.Equal(t, "wire: p: r: \"a b\ufffdc\" (wire: inner line)", e.Error())
	long := &Error{Reason: "r", Value: strings.Repeat("é", 40)}
	assert.Equal(t, "wire: r: "+strings.Repeat("é", 32)+"…", long.Error(), "cut on a character boundary")
	syn := &Error{Syntax: true, Offset: 3, Path: "a[1]", Reason: "bad"}
	assert.Equal(t, "wire: syntax error at offset 3 in a[1]: bad", syn.Error())
}
