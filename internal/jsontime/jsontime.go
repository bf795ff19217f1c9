// Package jsontime parses the timestamps the Telnyx API sends. The API is not
// consistent: the same resource may carry RFC 3339 with milliseconds, with
// microseconds, without a zone, or a bare date. Parse accepts all of them and
// rejects anything else, so that a malformed value never becomes a silent
// wrong time.
package jsontime

import (
	"encoding/json"
	"errors"
	"reflect"
	"strconv"
	"time"
)

// layouts are tried in order. time.Parse accepts any number of fractional
// second digits after the seconds when the layout has none, so these cover
// "…:27Z", "…:27.521Z" and "…:15.527000Z" alike.
var layouts = []string{
	time.RFC3339,
	"2006-01-02T15:04:05", // no zone: read as UTC
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05",
	"2006-01-02",
}

// ErrInvalid is wrapped by every error Parse returns.
var ErrInvalid = errors.New("invalid timestamp")

// Parse reads s as a Telnyx timestamp. The empty string is the zero time.
// A value without a zone is taken as UTC.
func Parse(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	for _, l := range layouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, &parseError{value: s}
}

type parseError struct{ value string }

func (e *parseError) Error() string { return "invalid timestamp " + strconv.Quote(e.value) }
func (e *parseError) Unwrap() error { return ErrInvalid }

var timeType = reflect.TypeFor[time.Time]()

// Time is a time.Time that decodes leniently and encodes the zero value as
// JSON null. It exists for wire structs; exported types use time.Time.
type Time time.Time

// UnmarshalJSON accepts a JSON string in any layout Parse knows, "" or null.
// A bad value is reported as a *json.UnmarshalTypeError, so that
// encoding/json adds the name of the field it was decoding.
func (t *Time) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*t = Time{}
		return nil
	}
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return &json.UnmarshalTypeError{Value: "non-string " + truncate(string(b)), Type: timeType}
	}
	// Fast path, without allocating: most values are RFC 3339 in UTC.
	var v time.Time
	if len(b) > 2 && v.UnmarshalText(b[1:len(b)-1]) == nil {
		*t = Time(v)
		return nil
	}
	s := string(b[1 : len(b)-1])
	if needsUnquote(b) {
		var err error
		if s, err = strconv.Unquote(string(b)); err != nil {
			return &json.UnmarshalTypeError{Value: "string " + truncate(string(b)), Type: timeType}
		}
	}
	v, err := Parse(s)
	if err != nil {
		return &json.UnmarshalTypeError{Value: "string " + truncate(strconv.Quote(s)), Type: timeType}
	}
	*t = Time(v)
	return nil
}

// MarshalJSON writes RFC 3339 with the precision the value has, or null for
// the zero time.
func (t Time) MarshalJSON() ([]byte, error) {
	v := time.Time(t)
	if v.IsZero() {
		return []byte("null"), nil
	}
	b := make([]byte, 0, len(time.RFC3339Nano)+2)
	b = append(b, '"')
	b = v.AppendFormat(b, time.RFC3339Nano)
	return append(b, '"'), nil
}

func needsUnquote(b []byte) bool {
	for _, c := range b[1 : len(b)-1] {
		if c == '\\' || c == '"' || c < 0x20 {
			return true
		}
	}
	return false
}

// truncate keeps error messages one short line even for a hostile value.
func truncate(s string) string {
	const limit = 64
	if len(s) <= limit {
		return s
	}
	return s[:limit] + "…"
}
