// Package cli is what the example commands share about their command lines:
// usage mistakes, and the exit status and message each error gets. It keeps
// each example's main.go about the SDK.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"
)

// UsageError is a mistake on the command line; it exits with status 2.
// Shown is set when the flag package has already printed it.
type UsageError struct {
	Msg   string
	Shown bool
}

func (e *UsageError) Error() string { return e.Msg }

// Usagef returns a *UsageError with a formatted message.
func Usagef(format string, args ...any) error {
	return &UsageError{Msg: fmt.Sprintf(format, args...)}
}

// Shown wraps an error of flag.FlagSet.Parse, which the flag package has
// already printed along with the flags.
func Shown(err error) error {
	return &UsageError{Msg: err.Error(), Shown: true}
}

// ExitCode reports err, if any, and returns the exit status of the command
// called name: 0 for success or -h, 2 for a usage mistake (printed once,
// with a hint to run -h), 1 for anything else. report prints other errors;
// nil prints them to stderr after the command's name.
func ExitCode(name string, err error, stderr io.Writer, report func(error)) int {
	var usage *UsageError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &usage):
		if !usage.Shown {
			fmt.Fprintln(stderr, name+":", err)
			fmt.Fprintln(stderr, "Run "+name+" -h for the flags.")
		}
		return 2
	default:
		if report != nil {
			report(err)
		} else {
			fmt.Fprintln(stderr, name+":", err)
		}
		return 1
	}
}

// ParseTime reads a flag holding a date or an RFC 3339 time; "" is zero,
// and anything else is a *UsageError naming the flag. A bare date means its
// first instant, or with endOfDay its last, so that "-until 2024-09-30"
// includes that whole day.
func ParseTime(name, s string, endOfDay bool) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		if endOfDay {
			t = t.Add(24*time.Hour - time.Second)
		}
		return t, nil
	}
	return time.Time{}, Usagef("-%s: %q is neither a date (2006-01-02) nor an RFC 3339 time", name, s)
}
