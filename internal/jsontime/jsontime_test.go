package jsontime

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want time.Time
	}{
		{"milliseconds Z", "2018-02-02T22:25:27.521Z", time.Date(2018, 2, 2, 22, 25, 27, 521e6, time.UTC)},
		{"microseconds Z", "2021-03-19T10:07:15.527000Z", time.Date(2021, 3, 19, 10, 7, 15, 527e6, time.UTC)},
		{"whole seconds Z", "2024-09-04T08:00:00Z", time.Date(2024, 9, 4, 8, 0, 0, 0, time.UTC)},
		{"offset", "2024-09-04T10:00:00+02:00", time.Date(2024, 9, 4, 8, 0, 0, 0, time.UTC)},
		{"no zone is UTC", "2024-09-04T08:00:00", time.Date(2024, 9, 4, 8, 0, 0, 0, time.UTC)},
		{"no zone with fraction", "2024-09-04T08:00:00.250", time.Date(2024, 9, 4, 8, 0, 0, 250e6, time.UTC)},
		{"space separator", "2024-09-04 08:00:00Z", time.Date(2024, 9, 4, 8, 0, 0, 0, time.UTC)},
		{"space separator no zone", "2024-09-04 08:00:00", time.Date(2024, 9, 4, 8, 0, 0, 0, time.UTC)},
		{"bare date", "2024-09-04", time.Date(2024, 9, 4, 0, 0, 0, 0, time.UTC)},
		{"empty is zero", "", time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := Parse(tt.in)
			require.NoError(t, err)
			assert.True(t, tt.want.Equal(got), "got %v, want %v", got, tt.want)
			if tt.in != "" && !strings.ContainsAny(tt.in[10:], "Z+") {
				assert.Equal(t, time.UTC, got.Location(), "a value without a zone is UTC")
			}
		})
	}
}

func TestParseRejects(t *testing.T) {
	t.Parallel()
	for _, in := range []string{
		"yesterday", "2024-13-01", "2024-09-04T25:00:00Z", "04/09/2024", "1712345678",
		"2024-09-04T08:00", " 2024-09-04", "2024-09-04Z",
	} {
		t.Run(in, func(t *testing.T) {
			t.Parallel()
			got, err := Parse(in)
			require.Error(t, err)
			assert.True(t, got.IsZero())
			assert.ErrorIs(t, err, ErrInvalid)
			assert.Contains(t, err.Error(), in, "the error names the value")
		})
	}
}

type wire struct {
	At Time `json:"at"`
}

func TestTimeUnmarshalJSON(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		json string
		want time.Time
	}{
		{"milliseconds", `{"at":"2018-02-02T22:25:27.521Z"}`, time.Date(2018, 2, 2, 22, 25, 27, 521e6, time.UTC)},
		{"microseconds", `{"at":"2021-03-19T10:07:15.527000Z"}`, time.Date(2021, 3, 19, 10, 7, 15, 527e6, time.UTC)},
		{"no zone", `{"at":"2021-03-19T10:07:15"}`, time.Date(2021, 3, 19, 10, 7, 15, 0, time.UTC)},
		{"bare date", `{"at":"2024-09-04"}`, time.Date(2024, 9, 4, 0, 0, 0, 0, time.UTC)},
		{"escaped string", `{"at":"2024\u002d09\u002d04"}`, time.Date(2024, 9, 4, 0, 0, 0, 0, time.UTC)},
		{"null", `{"at":null}`, time.Time{}},
		{"empty string", `{"at":""}`, time.Time{}},
		{"absent", `{}`, time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// Start from a non-zero value: null and "" must reset it.
			w := wire{At: Time(time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC))}
			if tt.name == "absent" {
				w = wire{}
			}
			require.NoError(t, json.Unmarshal([]byte(tt.json), &w))
			assert.True(t, tt.want.Equal(time.Time(w.At)), "got %v, want %v", time.Time(w.At), tt.want)
		})
	}
}

func TestTimeUnmarshalJSONBadValueNamesFieldAndValue(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, json, value string
	}{
		{"bad string", `{"at":"next tuesday"}`, `next tuesday`},
		{"number", `{"at":1712345678}`, `1712345678`},
		{"bool", `{"at":true}`, `true`},
		{"object", `{"at":{"x":1}}`, `{"x":1}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var w wire
			err := json.Unmarshal([]byte(tt.json), &w)
			require.Error(t, err)
			var ute *json.UnmarshalTypeError
			require.True(t, errors.As(err, &ute), "want *json.UnmarshalTypeError, got %T", err)
			assert.Equal(t, "at", ute.Field)
			assert.Contains(t, err.Error(), tt.value)
			assert.Contains(t, err.Error(), "at")
			assert.True(t, time.Time(w.At).IsZero())
		})
	}
}

func TestTimeUnmarshalJSONTruncatesHugeValues(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("x", 10000)
	var w wire
	err := json.Unmarshal([]byte(`{"at":"`+long+`"}`), &w)
	require.Error(t, err)
	assert.Less(t, len(err.Error()), 300, "the message stays short")
	assert.NotContains(t, err.Error(), "\n")
}

func TestTimeMarshalJSON(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   time.Time
		want string
	}{
		{"zero is null", time.Time{}, `{"at":null}`},
		{"whole seconds", time.Date(2024, 9, 4, 8, 0, 0, 0, time.UTC), `{"at":"2024-09-04T08:00:00Z"}`},
		{"keeps precision", time.Date(2018, 2, 2, 22, 25, 27, 521e6, time.UTC), `{"at":"2018-02-02T22:25:27.521Z"}`},
		{"keeps offset", time.Date(2024, 9, 4, 8, 0, 0, 0, time.FixedZone("", 2*3600)), `{"at":"2024-09-04T08:00:00+02:00"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b, err := json.Marshal(wire{At: Time(tt.in)})
			require.NoError(t, err)
			assert.JSONEq(t, tt.want, string(b))

			var back wire
			require.NoError(t, json.Unmarshal(b, &back))
			assert.True(t, tt.in.Equal(time.Time(back.At)), "round trip")
		})
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"2018-02-02T22:25:27.521Z", "2024-09-04", "", "2021-03-19T10:07:15.527000Z", "garbage"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := Parse(s)
		if err != nil {
			if !got.IsZero() {
				t.Fatalf("error with non-zero time %v", got)
			}
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error %v does not wrap ErrInvalid", err)
			}
			return
		}
		var w wire
		b, _ := json.Marshal(map[string]string{"at": s})
		if err := json.Unmarshal(b, &w); err != nil {
			t.Fatalf("Parse accepted %q but UnmarshalJSON rejected it: %v", s, err)
		}
		if !got.Equal(time.Time(w.At)) {
			t.Fatalf("Parse(%q) = %v but UnmarshalJSON gives %v", s, got, time.Time(w.At))
		}
		// What MarshalJSON writes decodes to the same instant.
		out, err := json.Marshal(w)
		if err != nil {
			t.Fatalf("%v does not encode: %v", got, err)
		}
		var back wire
		if err := json.Unmarshal(out, &back); err != nil || !got.Equal(time.Time(back.At)) {
			t.Fatalf("%s decodes to %v (%v), want %v", out, time.Time(back.At), err, got)
		}
	})
}
