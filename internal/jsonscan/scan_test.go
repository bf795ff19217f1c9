package jsonscan

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
)

// Skip must accept exactly what encoding/json accepts as one value.
func TestSkipMatchesJSONValidity(t *testing.T) {
	for _, in := range []string{
		`0`, `-0`, `12`, `-12.5e+3`, `1E9`, `1.0`, `01`, `1.`, `.5`, `-`, `1e`, `+1`,
		`"a"`, `"\u00e9\n\/"`, `"\x"`, `"\u12"`, "\"a\tb\"", `"unterminated`,
		`true`, `false`, `null`, `tru`, `nul`,
		`[]`, `[1,2]`, `[1,]`, `[,1]`, `{}`, `{"a":1}`, `{"a":1,}`, `{"a"}`, `{a:1}`, `{"a":[{"b":{}}]}`,
		` [ 1 , { "x" : null } ] `,
	} {
		s := New([]byte(in))
		got := s.Skip() && s.AtEnd()
		assert.Equal(t, json.Valid([]byte(in)), got, "%q", in)
	}
}

func TestSkipRefusesDeepNesting(t *testing.T) {
	deep := make([]byte, 0, 2*(maxDepth+2))
	for range maxDepth + 2 {
		deep = append(deep, '[')
	}
	for range maxDepth + 2 {
		deep = append(deep, ']')
	}
	assert.False(t, New(deep).Skip())
}

func TestStringDecodesLikeEncodingJSON(t *testing.T) {
	for _, in := range []string{`"plain"`, `""`, `"caf\u00e9"`, `"café"`, `"a\"b\\c\/d"`, `"\ud83d\ude00"`, `"\ud800"`, "\"\xff\""} {
		var want string
		wantErr := json.Unmarshal([]byte(in), &want)
		got, ok := New([]byte(in)).String()
		assert.Equal(t, wantErr == nil, ok, "%q", in)
		assert.Equal(t, want, got, "%q", in)
	}
}

func TestIntBounds(t *testing.T) {
	for in, want := range map[string]bool{`0`: true, `-7`: true, `9223372036854775807`: true, `9223372036854775808`: false, `1.5`: false, `1e3`: false, `"1"`: false} {
		_, ok := New([]byte(in)).Int()
		assert.Equal(t, want, ok, in)
	}
}

func TestStringsAndBool(t *testing.T) {
	v, ok := New([]byte(`["a", "b"]`)).Strings()
	assert.True(t, ok)
	assert.Equal(t, []string{"a", "b"}, v)
	v, ok = New([]byte(`null`)).Strings()
	assert.True(t, ok)
	assert.Nil(t, v)
	v, ok = New([]byte(`[]`)).Strings()
	assert.True(t, ok)
	assert.Equal(t, []string{}, v)
	for _, bad := range []string{`["a",1]`, `["a" "b"]`, `[null]`, `{}`, `["a",]`} {
		_, ok = New([]byte(bad)).Strings()
		assert.False(t, ok, bad)
	}
	b, ok := New([]byte(` true`)).Bool()
	assert.True(t, ok)
	assert.True(t, b)
	_, ok = New([]byte(`fals`)).Bool()
	assert.False(t, ok)
	k, ok := New([]byte(`"key" : 1`)).Key()
	assert.True(t, ok)
	assert.Equal(t, "key", string(k))
	_, ok = New([]byte(`"k\u0065y":1`)).Key()
	assert.False(t, ok, "escaped keys are left to encoding/json")
}

func TestEnumReturnsKnownValuesWithoutAllocating(t *testing.T) {
	known := []string{"pending", "authorized"}
	in := []byte(`"authorized"`)
	allocs := testing.AllocsPerRun(100, func() {
		v, ok := New(in).Enum(known)
		if !ok || v != "authorized" {
			t.Fatalf("got %q, %v", v, ok)
		}
	})
	assert.Zero(t, allocs)
	for _, tc := range []struct{ in, want string }{{`"ported"`, "ported"}, {`"pend\u0069ng"`, "pending"}, {`""`, ""}} {
		v, ok := New([]byte(tc.in)).Enum(known)
		assert.True(t, ok, tc.in)
		assert.Equal(t, tc.want, v, tc.in)
	}
	_, ok := New([]byte(`12`)).Enum(known)
	assert.False(t, ok)
}
