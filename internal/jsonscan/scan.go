// Package jsonscan is a small strict JSON reader for hand-written decoders of
// the API's most common answers. It never guesses: whenever the input leaves
// the plain shape a decoder expects, the decoder reports that it could not
// decode, and the caller hands the whole input to encoding/json, which
// decides and reports errors. So a hand-written decoder only has to be exact
// for what it accepts.
package jsonscan

import (
	"encoding/json"
	"strconv"
	"unicode/utf8"
)

// maxDepth bounds nesting in skipped values; deeper input is left to
// encoding/json.
const maxDepth = 256

// Scanner reads JSON tokens from a byte slice. Methods returning ok=false
// leave the position unspecified; the caller gives up on the input.
type Scanner struct {
	b []byte
	i int
}

// New returns a Scanner at the start of b.
func New(b []byte) *Scanner { return &Scanner{b: b} }

// Reset makes s read b from its start.
func (s *Scanner) Reset(b []byte) { s.b, s.i = b, 0 }

// SkipSpace moves past JSON whitespace.
func (s *Scanner) SkipSpace() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

// Peek returns the next non-space byte, or 0 at the end.
func (s *Scanner) Peek() byte {
	s.SkipSpace()
	if s.i < len(s.b) {
		return s.b[s.i]
	}
	return 0
}

// Consume moves past c, the next non-space byte, or reports false.
func (s *Scanner) Consume(c byte) bool {
	if s.Peek() == c {
		s.i++
		return true
	}
	return false
}

// AtEnd reports whether only whitespace is left.
func (s *Scanner) AtEnd() bool {
	s.SkipSpace()
	return s.i == len(s.b)
}

// Null moves past the literal null if it comes next.
func (s *Scanner) Null() bool {
	if s.Peek() == 'n' && s.literal("null") {
		return true
	}
	return false
}

func (s *Scanner) literal(lit string) bool {
	if len(s.b)-s.i >= len(lit) && string(s.b[s.i:s.i+len(lit)]) == lit {
		s.i += len(lit)
		return true
	}
	return false
}

// Bool reads true or false.
func (s *Scanner) Bool() (v, ok bool) {
	switch s.Peek() {
	case 't':
		return true, s.literal("true")
	case 'f':
		return false, s.literal("false")
	}
	return false, false
}

// stringEnd returns the index just past the closing quote of the string
// starting at s.i, and whether it holds only printable ASCII without escapes
// (so its bytes are its value).
func (s *Scanner) stringEnd() (end int, plain, ok bool) {
	if s.i >= len(s.b) || s.b[s.i] != '"' {
		return 0, false, false
	}
	plain = true
	for j := s.i + 1; j < len(s.b); j++ {
		c := s.b[j]
		switch {
		case c == '"':
			return j + 1, plain, true
		case c == '\\':
			plain = false
			j++
			if j >= len(s.b) {
				return 0, false, false
			}
			switch s.b[j] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if j+4 >= len(s.b) {
					return 0, false, false
				}
				for _, h := range s.b[j+1 : j+5] {
					if !isHex(h) {
						return 0, false, false
					}
				}
				j += 4
			default:
				return 0, false, false
			}
		case c < 0x20:
			return 0, false, false
		case c >= utf8.RuneSelf:
			plain = false
		}
	}
	return 0, false, false
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// String reads a string value. Plain ASCII is converted directly; anything
// with escapes or other bytes is decoded by encoding/json, so the result is
// always exactly what encoding/json would produce.
func (s *Scanner) String() (string, bool) {
	s.SkipSpace()
	end, plain, ok := s.stringEnd()
	if !ok {
		return "", false
	}
	tok := s.b[s.i:end]
	s.i = end
	if plain {
		return string(tok[1 : len(tok)-1]), true
	}
	var v string
	if json.Unmarshal(tok, &v) != nil {
		return "", false
	}
	return v, true
}

// Enum is String for values that usually come from a small known set, such
// as a status: a plain value equal to one of known is returned as that
// string, without allocating.
func (s *Scanner) Enum(known []string) (string, bool) {
	s.SkipSpace()
	end, plain, ok := s.stringEnd()
	if ok && plain {
		v := s.b[s.i+1 : end-1]
		for _, k := range known {
			if string(v) == k {
				s.i = end
				return k, true
			}
		}
	}
	return s.String()
}

// Key reads an object key and the colon after it. The key is returned as
// its raw bytes, valid until the next call; keys with escapes or non-ASCII
// bytes are refused, since encoding/json matches them by rules a decoder
// would have to repeat.
func (s *Scanner) Key() ([]byte, bool) {
	s.SkipSpace()
	end, plain, ok := s.stringEnd()
	if !ok || !plain {
		return nil, false
	}
	k := s.b[s.i+1 : end-1]
	s.i = end
	return k, s.Consume(':')
}

// Int reads an integer that fits in an int: no fraction, no exponent.
func (s *Scanner) Int() (int, bool) {
	s.SkipSpace()
	start := s.i
	end, integer, ok := s.numberEnd()
	if !ok || !integer {
		return 0, false
	}
	s.i = end
	v, err := strconv.ParseInt(string(s.b[start:end]), 10, strconv.IntSize)
	if err != nil {
		return 0, false
	}
	return int(v), true
}

// numberEnd returns the index just past the number at s.i, following the
// JSON grammar exactly, and whether it is an integer.
func (s *Scanner) numberEnd() (end int, integer, ok bool) {
	j := s.i
	b := s.b
	if j < len(b) && b[j] == '-' {
		j++
	}
	switch {
	case j < len(b) && b[j] == '0':
		j++
	case j < len(b) && '1' <= b[j] && b[j] <= '9':
		for j < len(b) && '0' <= b[j] && b[j] <= '9' {
			j++
		}
	default:
		return 0, false, false
	}
	integer = true
	if j < len(b) && b[j] == '.' {
		integer = false
		j++
		if j >= len(b) || b[j] < '0' || b[j] > '9' {
			return 0, false, false
		}
		for j < len(b) && '0' <= b[j] && b[j] <= '9' {
			j++
		}
	}
	if j < len(b) && (b[j] == 'e' || b[j] == 'E') {
		integer = false
		j++
		if j < len(b) && (b[j] == '+' || b[j] == '-') {
			j++
		}
		if j >= len(b) || b[j] < '0' || b[j] > '9' {
			return 0, false, false
		}
		for j < len(b) && '0' <= b[j] && b[j] <= '9' {
			j++
		}
	}
	return j, integer, true
}

// Raw reads any value and returns its bytes, valid as long as the input.
func (s *Scanner) Raw() ([]byte, bool) {
	s.SkipSpace()
	start := s.i
	if !s.skip(0) {
		return nil, false
	}
	return s.b[start:s.i], true
}

// Skip moves past any well-formed value.
func (s *Scanner) Skip() bool {
	s.SkipSpace()
	return s.skip(0)
}

func (s *Scanner) skip(depth int) bool {
	if depth > maxDepth || s.i >= len(s.b) {
		return false
	}
	switch c := s.b[s.i]; {
	case c == '"':
		end, _, ok := s.stringEnd()
		if !ok {
			return false
		}
		s.i = end
		return true
	case c == '{':
		s.i++
		if s.Consume('}') {
			return true
		}
		for {
			s.SkipSpace()
			end, _, ok := s.stringEnd()
			if !ok {
				return false
			}
			s.i = end
			if !s.Consume(':') {
				return false
			}
			s.SkipSpace()
			if !s.skip(depth + 1) {
				return false
			}
			if s.Consume('}') {
				return true
			}
			if !s.Consume(',') {
				return false
			}
		}
	case c == '[':
		s.i++
		if s.Consume(']') {
			return true
		}
		for {
			s.SkipSpace()
			if !s.skip(depth + 1) {
				return false
			}
			if s.Consume(']') {
				return true
			}
			if !s.Consume(',') {
				return false
			}
		}
	case c == 't':
		return s.literal("true")
	case c == 'f':
		return s.literal("false")
	case c == 'n':
		return s.literal("null")
	case c == '-' || '0' <= c && c <= '9':
		end, _, ok := s.numberEnd()
		if ok {
			s.i = end
		}
		return ok
	}
	return false
}

// Strings reads an array of strings, or null as a nil slice. Elements that
// are not strings are refused.
func (s *Scanner) Strings() ([]string, bool) {
	if s.Null() {
		return nil, true
	}
	if !s.Consume('[') {
		return nil, false
	}
	out := []string{}
	if s.Consume(']') {
		return out, true
	}
	for {
		v, ok := s.String()
		if !ok {
			return nil, false
		}
		out = append(out, v)
		if s.Consume(']') {
			return out, true
		}
		if !s.Consume(',') {
			return nil, false
		}
	}
}
