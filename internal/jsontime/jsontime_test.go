package jsontime

import (
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
		// What the SDK writes back (RFC 3339 with the precision the value
		// has) parses to the same instant.
		out := got.Format(time.RFC3339Nano)
		back, err := Parse(out)
		if err != nil || !got.Equal(back) {
			t.Fatalf("%s parses to %v (%v), want %v", out, back, err, got)
		}
	})
}
