package wire

import (
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MaxValue is how many bytes of an offending value an *Error keeps.
const MaxValue = 1024

// displayValue is how many bytes of Value Error prints, displayErr of
// Err's message.
const (
	displayValue = 64
	displayErr   = 256
)

// Error is every error Unmarshal returns for bad input, and Marshal for a
// value it cannot encode. Path and Value say where and what; Error prints
// them on one line with Value cut short, so a caller that must hide
// secrets in the input masks Value (which holds up to MaxValue bytes)
// before printing the error.
type Error struct {
	// Path locates the value: "data[3].created_at". It is empty for the
	// top-level value.
	Path string
	// Offset is where the value, or for a syntax error the offending byte,
	// starts in the input. It is -1 for Marshal errors.
	Offset int
	// Value is the raw JSON text of the offending value, at most MaxValue
	// bytes of it. For a syntax error it is the input from Offset on.
	Value string
	// Reason says what is wrong, such as "want a string, got a number".
	Reason string
	// Syntax is set when the input is not valid JSON.
	Syntax bool
	// Err is the underlying error, if any: jsontime.ErrInvalid for a
	// timestamp, or the error of a DecodeDeferred, UnmarshalJSON or
	// MarshalJSON method, or of encoding/json for the kinds handed to it.
	// Error prints its message too (cut to 256 bytes); encoding/json's
	// messages may quote part of the value.
	Err error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("wire: ")
	if e.Syntax {
		b.WriteString("syntax error at offset ")
		b.WriteString(strconv.Itoa(e.Offset))
		if e.Path != "" {
			b.WriteString(" in ")
			b.WriteString(e.Path)
		}
		b.WriteString(": ")
		b.WriteString(e.Reason)
		return b.String()
	}
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	b.WriteString(e.Reason)
	if e.Value != "" {
		b.WriteString(": ")
		b.WriteString(display(e.Value))
	}
	if _, typeErr := e.Err.(*json.UnmarshalTypeError); e.Err != nil && !typeErr { //nolint:errorlint // only mismatch sets one, directly
		if msg := e.Err.Error(); msg != e.Reason {
			b.WriteString(" (")
			b.WriteString(cut(oneLine(msg), displayErr))
			b.WriteByte(')')
		}
	}
	return b.String()
}

// Unwrap returns Err.
func (e *Error) Unwrap() error { return e.Err }

// display makes v printable on one line, cut to displayValue bytes.
func display(v string) string {
	return cut(oneLine(v), displayValue)
}

// cut cuts s to at most n bytes on a character boundary, marking the cut.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// oneLine replaces control characters and invalid UTF-8.
func oneLine(s string) string {
	clean := true
	for i := range len(s) {
		if c := s[i]; c < 0x20 || c == 0x7f || c >= utf8.RuneSelf {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r < 0x20 || r == 0x7f:
			b.WriteByte(' ')
		default:
			b.WriteRune(r) // utf8.RuneError for invalid bytes
		}
	}
	return b.String()
}

// prependField puts a member name in front of the path.
func (e *Error) prependField(name string) {
	switch {
	case e.Path == "":
		e.Path = name
	case e.Path[0] == '[':
		e.Path = name + e.Path
	default:
		e.Path = name + "." + e.Path
	}
}

// prependIndex puts an array index in front of the path.
func (e *Error) prependIndex(i int) {
	idx := "[" + strconv.Itoa(i) + "]"
	switch {
	case e.Path == "" || e.Path[0] == '[':
		e.Path = idx + e.Path
	default:
		e.Path = idx + "." + e.Path
	}
}

// atField adds a member name to the path of err if it is an *Error.
func atField(err error, name string) error {
	if e, ok := err.(*Error); ok { //nolint:errorlint // only the package's own, unwrapped errors get a path
		e.prependField(name)
	}
	return err
}

// atIndex adds an array index to the path of err if it is an *Error.
func atIndex(err error, i int) error {
	if e, ok := err.(*Error); ok { //nolint:errorlint // only the package's own, unwrapped errors get a path
		e.prependIndex(i)
	}
	return err
}

// keep returns at most MaxValue bytes of b as a string (a copy).
func keep(b []byte) string {
	if len(b) > MaxValue {
		b = b[:MaxValue]
	}
	return string(b)
}
