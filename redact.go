package telnyx

import (
	"bytes"
	"encoding/json"
	"strings"
	"unicode/utf8"

	"github.com/a54710f5/telnyx-go/internal/requestconfig"
)

// Redaction keeps the API key out of everything the SDK builds from text a
// server or transport sent: error bodies, decoded error details, decode
// errors, request IDs, transport errors and log records. A server may echo
// the Authorization header anywhere, whole, cut short, or JSON-escaped
// (\u004bEY...), so masking replaces every run of at least minKeyRun
// characters of the key, and looks again after undoing JSON escapes. It
// runs before any text is cut to length.

// redacted replaces each run of the key.
const redacted = "[redacted]"

// minKeyRun is the shortest run of the key's characters that is masked. A
// key shorter than that is masked only whole.
const minKeyRun = 8

// redactor masks one API key.
type redactor struct{ key string }

func redactorFor(a *requestconfig.Credentials) redactor {
	if a == nil {
		return redactor{}
	}
	return redactor{key: a.Key}
}

// runLen is the run length masked for this key.
func (r redactor) runLen() int { return min(len(r.key), minKeyRun) }

// String returns s with every run of the key masked, also where s holds it
// JSON-escaped.
func (r redactor) String(s string) string {
	if r.key == "" || len(s) < r.runLen() {
		return s
	}
	return string(r.Bytes([]byte(s)))
}

// Bytes is String for a byte slice; b itself is never changed.
func (r redactor) Bytes(b []byte) []byte { return r.unhide(r.runs(b)) }

// unhide finishes Bytes on b, whose clear runs runs has masked: the key may
// hide behind escapes, so it looks at the text as a JSON decoder would show
// it, and returns that view, masked, if it held the key; else b.
func (r redactor) unhide(b []byte) []byte {
	if r.key == "" || len(b) < r.runLen() || bytes.IndexByte(b, '\\') < 0 {
		return b
	}
	plain := unescapeJSON(b)
	if masked := r.maskRuns(plain); !bytes.Equal(masked, plain) {
		return masked
	}
	return b
}

// runs masks the key's clear runs in b and leaves escapes as they are, so
// that JSON text stays JSON; b itself is never changed.
func (r redactor) runs(b []byte) []byte {
	if r.key == "" || len(b) < r.runLen() {
		return b
	}
	return r.maskRuns(b)
}

// maskRuns replaces each maximal stretch of b covered by runs of the key at
// least runLen long.
func (r redactor) maskRuns(b []byte) []byte {
	k := r.runLen()
	var covered []bool
	for i := 0; i+k <= len(r.key); i++ {
		gram := r.key[i : i+k]
		for off := 0; off+k <= len(b); {
			j := bytes.Index(b[off:], []byte(gram))
			if j < 0 {
				break
			}
			if covered == nil {
				covered = make([]bool, len(b))
			}
			for p := off + j; p < off+j+k; p++ {
				covered[p] = true
			}
			off += j + 1
		}
	}
	if covered == nil {
		return b
	}
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); {
		if !covered[i] {
			out = append(out, b[i])
			i++
			continue
		}
		for i < len(b) && covered[i] {
			i++
		}
		out = append(out, redacted...)
	}
	return out
}

// Error returns err, or when its message holds the key an error whose
// message is masked. The original stays reachable through Unwrap, for
// errors.Is and errors.As, but is never what gets printed.
func (r redactor) Error(err error) error {
	if err == nil || r.key == "" {
		return err
	}
	msg := err.Error()
	masked := r.String(msg)
	if masked == msg {
		return err
	}
	return &maskedError{msg: masked, err: err}
}

// details masks every text of decoded error details in place, the names of
// meta members included: escapes in the body decode back to the clear key.
func (r redactor) details(ds []ErrorDetail) {
	if r.key == "" {
		return
	}
	for i := range ds {
		d := &ds[i]
		for _, s := range []*string{&d.Code, &d.Title, &d.Detail, &d.Source.Pointer, &d.Source.Parameter} {
			*s = r.String(*s)
		}
		if d.Meta != nil {
			d.Meta = r.value(d.Meta).(map[string]any)
		}
	}
}

// value masks the strings inside a decoded JSON value.
func (r redactor) value(v any) any {
	switch v := v.(type) {
	case string:
		return r.String(v)
	case []any:
		for i := range v {
			v[i] = r.value(v[i])
		}
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, x := range v {
			out[r.String(k)] = r.value(x)
		}
		return out
	}
	return v
}

type maskedError struct {
	msg string
	err error
}

func (e *maskedError) Error() string { return e.msg }
func (e *maskedError) Unwrap() error { return e.err }

// unescapeJSON undoes JSON string escapes wherever they appear in b; other
// bytes are kept. It is a view for masking, not a parser: a malformed
// escape is kept as it is.
func unescapeJSON(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c != '\\' || i+1 >= len(b) {
			out = append(out, c)
			continue
		}
		switch e := b[i+1]; e {
		case '"', '\\', '/':
			out = append(out, e)
			i++
		case 'b', 'f', 'n', 'r', 't':
			out = append(out, "\b\f\n\r\t"[strings.IndexByte("bfnrt", e)])
			i++
		case 'u':
			if i+6 > len(b) {
				out = append(out, c)
				continue
			}
			var s string
			if json.Unmarshal([]byte(`"`+string(b[i:i+6])+`"`), &s) != nil {
				out = append(out, c)
				continue
			}
			// A surrogate pair is two escapes.
			if r, _ := utf8.DecodeRuneInString(s); r == utf8.RuneError && i+12 <= len(b) && b[i+6] == '\\' {
				var pair string
				if json.Unmarshal([]byte(`"`+string(b[i:i+12])+`"`), &pair) == nil && !strings.ContainsRune(pair, utf8.RuneError) {
					out = append(out, pair...)
					i += 11
					continue
				}
			}
			out = append(out, s...)
			i += 5
		default:
			out = append(out, c)
		}
	}
	return out
}
