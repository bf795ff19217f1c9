package wire

import (
	"encoding/binary"
	"math/bits"
	"unicode/utf16"
	"unicode/utf8"
)

// Strings are scanned 8 bytes at a time: special reports, in the high bit
// of each byte, the bytes that end the plain run of a string — a quote, a
// backslash, a control character or a non-ASCII byte. A borrow can mark a
// byte above a marked one, never below, so the lowest mark is exact.
const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
)

func special(x uint64) uint64 {
	q := x ^ (ones * '"')
	bs := x ^ (ones * '\\')
	return ((q - ones) &^ q) | ((bs - ones) &^ bs) | ((x - ones*0x20) &^ x) | x&highs
}

// plainRun returns the index of the first byte at or after j that ends
// the plain run of a string, or len(b).
func plainRun(b []byte, j int) int {
	for j+8 <= len(b) {
		if m := special(binary.LittleEndian.Uint64(b[j:])) & highs; m != 0 {
			return j + bits.TrailingZeros64(m)>>3
		}
		j += 8
	}
	for j < len(b) {
		if c := b[j]; c == '"' || c == '\\' || c < 0x20 || c >= utf8.RuneSelf {
			return j
		}
		j++
	}
	return j
}

// strBytes reads the string whose opening quote is at d.i and returns its
// text: a part of the input when the string is plain ASCII, else its
// decoded text in d.scratch, valid until the next call.
func (d *decoder) strBytes() ([]byte, error) {
	start := d.i + 1
	j := plainRun(d.b, start)
	if j < len(d.b) && d.b[j] == '"' {
		d.i = j + 1
		return d.b[start:j], nil
	}
	return d.strSlow(start, j)
}

// strSlow decodes a string from start, the plain run ending at j:
// escapes are resolved, and bytes that are not UTF-8 become U+FFFD.
func (d *decoder) strSlow(start, j int) ([]byte, error) {
	b := d.b
	d.scratch = append(d.scratch[:0], b[start:j]...)
	out := d.scratch
	for j < len(b) {
		c := b[j]
		switch {
		case c == '"':
			d.scratch = out
			d.i = j + 1
			return out, nil
		case c == '\\':
			var err error
			if out, j, err = d.escape(out, j); err != nil {
				d.scratch = out
				return nil, err
			}
		case c < 0x20:
			d.i = j
			d.scratch = out
			return nil, d.syntax("invalid character " + quoteChar(c) + " in a string")
		case c < utf8.RuneSelf:
			k := plainRun(b, j+1)
			out = append(out, b[j:k]...)
			j = k
		default:
			r, n := utf8.DecodeRune(b[j:])
			if r == utf8.RuneError && n == 1 {
				out = utf8.AppendRune(out, utf8.RuneError)
			} else {
				out = append(out, b[j:j+n]...)
			}
			j += n
		}
	}
	d.scratch = out
	return nil, d.eof()
}

// escape decodes the escape sequence at j (its backslash) onto out.
func (d *decoder) escape(out []byte, j int) ([]byte, int, error) {
	b := d.b
	if j+1 >= len(b) {
		return out, j, d.eof()
	}
	switch c := b[j+1]; c {
	case '"', '\\', '/':
		return append(out, c), j + 2, nil
	case 'b':
		return append(out, '\b'), j + 2, nil
	case 'f':
		return append(out, '\f'), j + 2, nil
	case 'n':
		return append(out, '\n'), j + 2, nil
	case 'r':
		return append(out, '\r'), j + 2, nil
	case 't':
		return append(out, '\t'), j + 2, nil
	case 'u':
		r, err := d.hex4(j + 2)
		if err != nil {
			return out, j, err
		}
		j += 6
		if utf16.IsSurrogate(r) {
			r2 := rune(-1)
			if j+1 < len(b) && b[j] == '\\' && b[j+1] == 'u' {
				if r2, err = d.hex4(j + 2); err != nil {
					return out, j, err
				}
			}
			if pair := utf16.DecodeRune(r, r2); pair != utf8.RuneError {
				r = pair
				j += 6
			} else {
				r = utf8.RuneError // a lone surrogate; the escape after it is read on its own
			}
		}
		return utf8.AppendRune(out, r), j, nil
	}
	d.i = j + 1
	return out, j, d.syntax("invalid character " + quoteChar(b[j+1]) + " in a string escape")
}

// hex4 reads the four hex digits of a \u escape starting at j.
func (d *decoder) hex4(j int) (rune, error) {
	var r rune
	for k := j; k < j+4; k++ {
		if k >= len(d.b) {
			return 0, d.eof()
		}
		c := d.b[k]
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			d.i = k
			return 0, d.syntax("invalid character " + quoteChar(c) + " in a \\u escape")
		}
		r = r<<4 | rune(c)
	}
	return r, nil
}

// skipString moves past the string whose opening quote is at d.i,
// checking its escapes but not decoding it.
func (d *decoder) skipString() error {
	b := d.b
	j := d.i + 1
	for {
		j = plainRun(b, j)
		if j >= len(b) {
			return d.eof()
		}
		switch c := b[j]; {
		case c == '"':
			d.i = j + 1
			return nil
		case c == '\\':
			if j+1 >= len(b) {
				return d.eof()
			}
			switch b[j+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				j += 2
			case 'u':
				if _, err := d.hex4(j + 2); err != nil {
					return err
				}
				j += 6
			default:
				d.i = j + 1
				return d.syntax("invalid character " + quoteChar(b[j+1]) + " in a string escape")
			}
		case c < 0x20:
			d.i = j
			return d.syntax("invalid character " + quoteChar(c) + " in a string")
		default:
			j++ // non-ASCII: kept as it is
		}
	}
}

// skip moves past the value at d.i, checking that it is well formed.
func (d *decoder) skip() error {
	if d.i >= len(d.b) {
		return d.eof()
	}
	switch c := d.b[d.i]; {
	case c == '"':
		return d.skipString()
	case c == '{':
		return d.skipObject()
	case c == '[':
		return d.skipArray()
	case c == 't':
		return d.literal("true")
	case c == 'f':
		return d.literal("false")
	case c == 'n':
		return d.literal("null")
	case c == '-' || '0' <= c && c <= '9':
		_, err := d.number()
		return err
	}
	return d.unexpected("looking for the beginning of a value")
}

func (d *decoder) skipObject() error {
	if err := d.deeper(); err != nil {
		return err
	}
	d.i++
	d.ws()
	if d.i < len(d.b) && d.b[d.i] == '}' {
		d.i++
		d.depth--
		return nil
	}
	for {
		if d.i >= len(d.b) {
			return d.eof()
		}
		if d.b[d.i] != '"' {
			return d.unexpected("looking for the beginning of a member name")
		}
		if err := d.skipString(); err != nil {
			return err
		}
		d.ws()
		if d.i >= len(d.b) || d.b[d.i] != ':' {
			return d.unexpected("after a member name")
		}
		d.i++
		d.ws()
		if err := d.skip(); err != nil {
			return err
		}
		d.ws()
		if d.i >= len(d.b) {
			return d.eof()
		}
		switch d.b[d.i] {
		case ',':
			d.i++
			d.ws()
		case '}':
			d.i++
			d.depth--
			return nil
		default:
			return d.unexpected("after an object member")
		}
	}
}

func (d *decoder) skipArray() error {
	if err := d.deeper(); err != nil {
		return err
	}
	d.i++
	more, err := d.first()
	for more && err == nil {
		if err = d.skip(); err == nil {
			more, err = d.next()
		}
	}
	if err == nil {
		d.depth--
	}
	return err
}
