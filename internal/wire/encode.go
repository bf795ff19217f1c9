package wire

import (
	"encoding/json"
	"math"
	"reflect"
	"slices"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"
	"unsafe"
)

// Marshal encodes v as JSON. See the package documentation for the rules.
func Marshal(v any) ([]byte, error) {
	bp := buffers.Get().(*[]byte)
	b, err := AppendMarshal((*bp)[:0], v)
	var out []byte
	if err == nil {
		out = append(make([]byte, 0, len(b)), b...)
	}
	if cap(b) <= maxPooled {
		*bp = b
		buffers.Put(bp)
	}
	return out, err
}

// Marshal encodes into pooled buffers and returns a copy of the exact
// size, rather than growing a new buffer every call. A buffer that grew
// past maxPooled is left to the garbage collector.
var buffers = sync.Pool{New: func() any { return new([]byte) }}

const maxPooled = 1 << 20

// AppendMarshal appends the JSON encoding of v to dst. On error it returns
// dst unchanged.
func AppendMarshal(dst []byte, v any) ([]byte, error) {
	e := encoder{b: dst}
	if err := e.any(v); err != nil {
		return dst, err
	}
	return e.b, nil
}

type encoder struct {
	b     []byte
	depth int
}

// deeper enters a value one level down: an error past maxDepth levels,
// which only a cycle of pointers reaches. The caller decrements depth when
// it leaves.
func (e *encoder) deeper() error {
	e.depth++
	if e.depth > maxDepth {
		return e.fail("nesting deeper than "+strconv.Itoa(maxDepth)+" levels (a cycle?)", nil)
	}
	return nil
}

func (e *encoder) fail(reason string, err error) error {
	return &Error{Offset: -1, Reason: reason, Err: err}
}

// any writes a value known only as an interface: nil is null, a struct or
// a pointer to one goes by its table, any other type by its codec (which
// for a json.Marshaler calls MarshalJSON).
func (e *encoder) any(v any) error {
	if v == nil {
		e.b = append(e.b, "null"...)
		return nil
	}
	rv := reflect.ValueOf(v)
	t := rv.Type()
	if m, ok := v.(json.Marshaler); ok && untagged(t) {
		// A struct that names no member (a holder of raw JSON, say)
		// speaks for itself; it cannot be calling wire on itself.
		b, err := m.MarshalJSON()
		if err != nil {
			return e.fail("cannot encode "+t.String(), err)
		}
		return e.raw(b)
	}
	if t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.Struct {
		if rv.IsNil() {
			e.b = append(e.b, "null"...)
			return nil
		}
		c, err := codecFor(t.Elem())
		if err != nil {
			return err
		}
		return e.value(c, rv.UnsafePointer())
	}
	c, err := codecFor(t)
	if err != nil {
		return err
	}
	// The value inside an interface cannot be addressed: encode a copy.
	cp := reflect.New(t)
	cp.Elem().Set(rv)
	return e.value(c, cp.UnsafePointer())
}

// untagged reports whether t is a struct, or a pointer to one, without a
// single json tag: nothing for a table to write.
func untagged(t reflect.Type) bool {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || t == reflect.TypeFor[time.Time]() {
		return false
	}
	for i := range t.NumField() {
		if _, ok := t.Field(i).Tag.Lookup("json"); ok {
			return false
		}
	}
	return true
}

func (e *encoder) value(c *codec, p unsafe.Pointer) error {
	switch c.kind {
	case kString:
		e.b = appendString(e.b, *(*string)(p))
	case kBool:
		if *(*bool)(p) {
			e.b = append(e.b, "true"...)
		} else {
			e.b = append(e.b, "false"...)
		}
	case kInt:
		e.b = strconv.AppendInt(e.b, loadInt(c.size, p), 10)
	case kUint:
		e.b = strconv.AppendUint(e.b, loadUint(c.size, p), 10)
	case kFloat:
		return e.float(c, p)
	case kTime:
		e.b = appendTime(e.b, *(*time.Time)(p))
	case kRaw:
		return e.raw(*(*json.RawMessage)(p))
	case kStruct:
		return e.object(c.table, p)
	case kPtr:
		q := *(*unsafe.Pointer)(p)
		if q == nil {
			e.b = append(e.b, "null"...)
			return nil
		}
		return e.nested(c.elem, q)
	case kSlice:
		return e.slice(c, p)
	case kMethods:
		return e.methods(c, p)
	default:
		b, err := json.Marshal(reflect.NewAt(c.typ, p).Elem().Interface())
		if err != nil {
			return e.fail("cannot encode "+c.typ.String(), err)
		}
		e.b = append(e.b, b...)
	}
	return nil
}

// nested writes a value one level deeper, bounding the depth so that a
// cycle of pointers ends in an error.
func (e *encoder) nested(c *codec, p unsafe.Pointer) error {
	if err := e.deeper(); err != nil {
		return err
	}
	err := e.value(c, p)
	e.depth--
	return err
}

func loadInt(size uintptr, p unsafe.Pointer) int64 {
	switch size {
	case 1:
		return int64(*(*int8)(p))
	case 2:
		return int64(*(*int16)(p))
	case 4:
		return int64(*(*int32)(p))
	}
	return *(*int64)(p)
}

func loadUint(size uintptr, p unsafe.Pointer) uint64 {
	switch size {
	case 1:
		return uint64(*(*uint8)(p))
	case 2:
		return uint64(*(*uint16)(p))
	case 4:
		return uint64(*(*uint32)(p))
	}
	return *(*uint64)(p)
}

// float writes a number the way encoding/json does: the shortest text
// that reads back as the same value, in exponent form only when very
// large or small.
func (e *encoder) float(c *codec, p unsafe.Pointer) error {
	bits := 64
	var f float64
	if c.size == 4 {
		bits, f = 32, float64(*(*float32)(p))
	} else {
		f = *(*float64)(p)
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return e.fail("cannot encode "+strconv.FormatFloat(f, 'g', -1, bits), nil)
	}
	format := byte('f')
	if a := math.Abs(f); a != 0 && (bits == 64 && (a < 1e-6 || a >= 1e21) || bits == 32 && (float32(a) < 1e-6 || float32(a) >= 1e21)) {
		format = 'e'
	}
	start := len(e.b)
	e.b = strconv.AppendFloat(e.b, f, format, -1, bits)
	if format == 'e' {
		// 1e-07 → 1e-7, as encoding/json writes it.
		if n := len(e.b) - start; n >= 4 && e.b[len(e.b)-4] == 'e' && e.b[len(e.b)-3] == '-' && e.b[len(e.b)-2] == '0' {
			e.b[len(e.b)-2] = e.b[len(e.b)-1]
			e.b = e.b[:len(e.b)-1]
		}
	}
	return nil
}

// appendTime writes RFC 3339 with the precision the time has, or null for
// the zero time.
func appendTime(b []byte, t time.Time) []byte {
	if t.IsZero() {
		return append(b, "null"...)
	}
	b = append(b, '"')
	b = t.AppendFormat(b, time.RFC3339Nano)
	return append(b, '"')
}

// raw writes raw JSON after checking that it is one valid value. Empty is
// null.
func (e *encoder) raw(r []byte) error {
	if len(r) == 0 {
		e.b = append(e.b, "null"...)
		return nil
	}
	if !validValue(r) {
		return e.fail("invalid raw JSON", nil)
	}
	e.b = append(e.b, r...)
	return nil
}

// validValue reports whether b is one JSON value, whitespace around it
// allowed.
func validValue(b []byte) bool {
	d := decoder{b: b}
	d.ws()
	if d.skip() != nil {
		return false
	}
	d.ws()
	return d.i == len(b)
}

func (e *encoder) slice(c *codec, p unsafe.Pointer) error {
	h := (*sliceHeader)(p)
	if h.data == nil {
		e.b = append(e.b, "null"...)
		return nil
	}
	e.b = append(e.b, '[')
	for i := range h.len {
		if i > 0 {
			e.b = append(e.b, ',')
		}
		if err := e.nested(c.elem, unsafe.Add(h.data, uintptr(i)*c.elem.size)); err != nil {
			return atIndex(err, i)
		}
	}
	e.b = append(e.b, ']')
	return nil
}

func (e *encoder) methods(c *codec, p unsafe.Pointer) error {
	if !c.marshaler {
		return e.value(c.elem, p)
	}
	m := reflect.NewAt(c.typ, p).Interface().(json.Marshaler)
	b, err := m.MarshalJSON()
	if err != nil {
		return e.fail("cannot encode "+c.typ.String(), err)
	}
	if !validValue(b) {
		return e.fail("MarshalJSON of "+c.typ.String()+" wrote invalid JSON", nil)
	}
	e.b = append(e.b, b...)
	return nil
}

// object writes a struct: its fields in order, a group's fields in an
// object where the group's first field is, then the members of Extra that
// no field wrote, in sorted order.
func (e *encoder) object(t *table, base unsafe.Pointer) error {
	if err := e.deeper(); err != nil {
		return err
	}
	e.b = append(e.b, '{')
	var written []bool
	if t.hasExtra {
		written = make([]bool, len(t.members))
	}
	n, err := e.members(t, base, written)
	if err != nil {
		return err
	}
	if t.hasExtra {
		extra := *(*map[string]json.RawMessage)(unsafe.Add(base, t.extraOff))
		keys := make([]string, 0, len(extra))
		for k := range extra {
			if m := t.index.find([]byte(k)); m == nil || !written[m.seq] {
				keys = append(keys, k)
			}
		}
		slices.Sort(keys)
		for _, k := range keys {
			if n > 0 {
				e.b = append(e.b, ',')
			}
			n++
			e.b = appendKey(e.b, k)
			if err := e.raw(extra[k]); err != nil {
				return atField(err, k)
			}
		}
	}
	e.b = append(e.b, '}')
	e.depth--
	return nil
}

// members writes the members of t and returns how many it wrote. written,
// if not nil, records which.
func (e *encoder) members(t *table, base unsafe.Pointer, written []bool) (int, error) {
	n := 0
	for _, m := range t.members {
		if m.group != nil {
			if groupEmpty(m.group, base) {
				continue
			}
		} else if m.omit && isZero(m, base) {
			continue
		}
		if n > 0 {
			e.b = append(e.b, ',')
		}
		n++
		if written != nil {
			written[m.seq] = true
		}
		e.b = append(e.b, m.key...)
		var err error
		switch {
		case m.group != nil:
			e.b = append(e.b, '{')
			_, err = e.members(m.group, base, nil)
			e.b = append(e.b, '}')
		case m.iface:
			err = e.iface(m, base)
		default:
			err = e.nested(m.codec, unsafe.Add(base, m.off))
		}
		if err != nil {
			return n, atField(err, m.name)
		}
	}
	return n, nil
}

// groupEmpty reports whether a group would have no members: all its
// fields are omitempty and empty. Such a group is left out.
func groupEmpty(g *table, base unsafe.Pointer) bool {
	for _, m := range g.leaves {
		if !m.omit || !isZero(m, base) {
			return false
		}
	}
	return true
}

// iface writes the dynamic value of an interface field.
func (e *encoder) iface(m *member, base unsafe.Pointer) error {
	v := reflect.NewAt(m.ifaceT, unsafe.Add(base, m.off)).Elem()
	if err := e.deeper(); err != nil {
		return err
	}
	var err error
	if v.IsNil() {
		e.b = append(e.b, "null"...)
	} else {
		err = e.any(v.Elem().Interface())
	}
	e.depth--
	return err
}

// isZero reports whether a field holds its type's zero value, or an empty
// slice or map, for omitempty.
func isZero(m *member, base unsafe.Pointer) bool {
	p := unsafe.Add(base, m.off)
	if m.iface {
		return reflect.NewAt(m.ifaceT, p).Elem().IsNil()
	}
	switch m.codec.kind {
	case kString:
		return *(*string)(p) == ""
	case kBool:
		return !*(*bool)(p)
	case kInt:
		return loadInt(m.codec.size, p) == 0
	case kUint:
		return loadUint(m.codec.size, p) == 0
	case kFloat:
		if m.codec.size == 4 {
			return *(*float32)(p) == 0
		}
		return *(*float64)(p) == 0
	case kTime:
		return (*time.Time)(p).IsZero()
	case kPtr:
		return *(*unsafe.Pointer)(p) == nil
	case kSlice, kRaw:
		return (*sliceHeader)(p).len == 0
	}
	v := reflect.NewAt(m.codec.typ, p).Elem()
	switch v.Kind() {
	case reflect.Map, reflect.Slice, reflect.Array:
		return v.Len() == 0
	}
	return v.IsZero()
}

// appendString writes s as a JSON string. Invalid UTF-8 becomes U+FFFD;
// U+2028 and U+2029 are escaped, as encoding/json does; <, > and & are
// not (encoding/json's HTML escaping is left to whoever embeds the JSON in
// HTML).
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			default:
				const hex = "0123456789abcdef"
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, `\u202`...)
			b = append(b, "89"[r-'\u2028'])
		default:
			i += n
			continue
		}
		i += n
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
