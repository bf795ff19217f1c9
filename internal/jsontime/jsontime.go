// Package jsontime parses the timestamps the Telnyx API sends. The API is not
// consistent: the same resource may carry RFC 3339 with milliseconds, with
// microseconds, without a zone, or a bare date. Parse accepts all of them and
// rejects anything else, so that a malformed value never becomes a silent
// wrong time.
package jsontime

import (
	"errors"
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
