package wire

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unsafe"

	"github.com/a54710f5/telnyx-go/internal/jsontime"
)

// maxDepth bounds the nesting of arrays and objects in the input.
const maxDepth = 1000

// decoder reads one input. Decoders are pooled; nothing they hold outlives
// the Unmarshal call that used them.
type decoder struct {
	b     []byte
	i     int
	depth int

	// scratch receives the decoded text of strings with escapes or
	// non-ASCII bytes.
	scratch []byte

	// cache holds, for each string member (by its slot), the last string
	// decoded for it during this call: a page of items repeating a value
	// (a record type, a user ID) allocates it once. Slots lo to hi were
	// written, and are cleared when the call ends.
	cache  []string
	lo, hi int32

	// pend holds the interface members met in the objects being decoded,
	// innermost object last, to be handed over once their object ends.
	pend []pending
}

type pending struct {
	m   *member
	raw []byte
	at  int // offset of the value in the input
}

var decoders = sync.Pool{New: func() any { return new(decoder) }}

// cacheStrings turns the per-member string cache on; benchmarks turn it off
// to measure what it saves.
var cacheStrings = true

// Unmarshal decodes the JSON value in data into v, which must be a non-nil
// pointer. See the package documentation for the rules. data is not
// retained: every string and raw value is copied out of it. On error v may
// be partly written.
func Unmarshal(data []byte, v any) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return fmt.Errorf("wire: Unmarshal needs a non-nil pointer, not %T", v)
	}
	c, err := codecFor(rv.Type().Elem())
	if err != nil {
		return err
	}
	d := decoders.Get().(*decoder)
	d.b, d.i, d.depth = data, 0, 0
	switch n := int(slots.Load()); {
	case !cacheStrings:
		d.cache = nil
	case len(d.cache) < n:
		d.cache = make([]string, n+32)
	}
	d.lo, d.hi = math.MaxInt32, -1
	err = d.top(c, rv.UnsafePointer())
	if d.lo <= d.hi {
		clear(d.cache[d.lo : d.hi+1])
	}
	clear(d.pend)
	d.b, d.pend = nil, d.pend[:0]
	if cap(d.scratch) > 64<<10 {
		d.scratch = nil
	}
	decoders.Put(d)
	if e, ok := err.(*Error); ok && e.Syntax && e.Err == nil { //nolint:errorlint // decode returns *Error itself, unwrapped
		e.Err = stdSyntaxError(data)
	}
	return err
}

// stdSyntaxError is encoding/json's *json.SyntaxError for data, or nil, so
// that errors.As finds the standard type behind a syntax error. It parses
// the input again, which only the error path pays for.
func stdSyntaxError(data []byte) error {
	var se *json.SyntaxError
	if errors.As(json.Unmarshal(data, new(json.RawMessage)), &se) {
		return se
	}
	return nil
}

func (d *decoder) top(c *codec, p unsafe.Pointer) error {
	d.ws()
	if err := d.value(c, p, -1); err != nil {
		return err
	}
	d.ws()
	if d.i < len(d.b) {
		return d.syntax("invalid character " + quoteChar(d.b[d.i]) + " after the top-level value")
	}
	return nil
}

// ws moves past whitespace.
func (d *decoder) ws() {
	for d.i < len(d.b) {
		switch d.b[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

func (d *decoder) eof() error {
	d.i = len(d.b)
	return &Error{Syntax: true, Offset: d.i, Reason: "unexpected end of input"}
}

// deeper enters an array or object: a syntax error past maxDepth levels.
// The caller decrements depth when it leaves.
func (d *decoder) deeper() error {
	d.depth++
	if d.depth > maxDepth {
		return d.syntax("nesting deeper than " + strconv.Itoa(maxDepth) + " levels")
	}
	return nil
}

// syntax reports a syntax error at d.i.
func (d *decoder) syntax(reason string) error {
	if d.i >= len(d.b) {
		return d.eof()
	}
	return &Error{Syntax: true, Offset: d.i, Value: keep(d.b[d.i:]), Reason: reason}
}

// unexpected reports the byte at d.i where a value should start.
func (d *decoder) unexpected(where string) error {
	if d.i >= len(d.b) {
		return d.eof()
	}
	return d.syntax("invalid character " + quoteChar(d.b[d.i]) + " " + where)
}

func quoteChar(c byte) string {
	switch c {
	case '\'':
		return `'\''`
	case '"':
		return `'"'`
	}
	q := strconv.Quote(string([]byte{c}))
	return "'" + q[1:len(q)-1] + "'"
}

// mismatch reports that the value at d.i is not of the kind wanted. It
// moves past the value, to quote it whole.
func (d *decoder) mismatch(want string) error {
	start := d.i
	if err := d.skip(); err != nil {
		return err
	}
	got := describe(d.b[start])
	return &Error{Offset: start, Value: keep(d.b[start:d.i]), Reason: "want " + want + ", got " + got,
		Err: &json.UnmarshalTypeError{Value: strings.TrimPrefix(strings.TrimPrefix(got, "an "), "a "), Type: wantTypes[want], Offset: int64(start)}}
}

// wantTypes names a Go type for each kind mismatch wants, for the
// *json.UnmarshalTypeError behind a mismatch: code written against
// encoding/json finds the type error it expects with errors.As.
var wantTypes = map[string]reflect.Type{
	"an object":          reflect.TypeFor[map[string]any](),
	"a string":           reflect.TypeFor[string](),
	"a timestamp string": reflect.TypeFor[time.Time](),
	"a boolean":          reflect.TypeFor[bool](),
	"an integer":         reflect.TypeFor[int64](),
	"a number":           reflect.TypeFor[float64](),
	"an array":           reflect.TypeFor[[]any](),
}

func describe(c byte) string {
	switch c {
	case '"':
		return "a string"
	case '{':
		return "an object"
	case '[':
		return "an array"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

// invalid reports a value that has the right kind but cannot be stored.
func (d *decoder) invalid(start int, reason string, err error) error {
	return &Error{Offset: start, Value: keep(d.b[start:d.i]), Reason: reason, Err: err}
}

// literal moves past lit, which the input at d.i starts with by its first
// byte.
func (d *decoder) literal(lit string) error {
	if len(d.b)-d.i >= len(lit) && string(d.b[d.i:d.i+len(lit)]) == lit {
		d.i += len(lit)
		return nil
	}
	for k := 1; k < len(lit); k++ {
		if d.i+k >= len(d.b) {
			return d.eof()
		}
		if d.b[d.i+k] != lit[k] {
			d.i += k
			return d.syntax("invalid character " + quoteChar(d.b[d.i]) + " in literal " + lit)
		}
	}
	return d.eof() // not reached
}

// null moves past null if it comes next; it reports an error for another
// word starting with n.
func (d *decoder) null() (bool, error) {
	if d.b[d.i] != 'n' {
		return false, nil
	}
	return true, d.literal("null")
}

// value decodes the value at d.i (whitespace skipped) into the c-typed
// memory at p. slot is the string cache slot of the member, or -1.
func (d *decoder) value(c *codec, p unsafe.Pointer, slot int32) error {
	if d.i >= len(d.b) {
		return d.eof()
	}
	switch c.kind {
	case kString:
		s, err := d.readString(c, slot)
		if err != nil {
			return err
		}
		*(*string)(p) = s
		return nil
	case kTime:
		return d.time(p)
	case kBool:
		return d.bool(p)
	case kInt:
		return d.int(c, p)
	case kUint:
		return d.uint(c, p)
	case kFloat:
		return d.float(c, p)
	case kSlice:
		return d.slice(c, p, slot)
	case kPtr:
		return d.ptr(c, p, slot)
	case kStruct:
		zero(c, p)
		if d.b[d.i] == '{' {
			return d.object(c.table, p)
		}
		if ok, err := d.null(); ok || err != nil {
			return err
		}
		return d.mismatch("an object")
	case kRaw:
		return d.raw(p)
	case kMethods:
		return d.methods(c, p, slot)
	default:
		return d.fallback(c, p)
	}
}

// zero sets the c-typed memory at p to its zero value.
func zero(c *codec, p unsafe.Pointer) {
	switch c.kind {
	case kString:
		*(*string)(p) = ""
	case kSlice:
		*(*sliceHeader)(p) = sliceHeader{}
	case kPtr:
		*(*unsafe.Pointer)(p) = nil
	case kTime:
		*(*time.Time)(p) = time.Time{}
	default:
		reflect.NewAt(c.typ, p).Elem().SetZero()
	}
}

// object decodes the object at d.i into the struct of table t at base.
func (d *decoder) object(t *table, base unsafe.Pointer) error {
	if err := d.deeper(); err != nil {
		return err
	}
	d.i++
	frame := len(d.pend)
	err := d.members(t, base, frame)
	if err == nil && (len(d.pend) > frame || t.settle != nil) {
		err = d.handOver(t, base, frame)
	}
	clear(d.pend[frame:])
	d.pend = d.pend[:frame]
	d.depth--
	return err
}

// members decodes the members of an object, d.i just past its '{'. t is
// the struct's table or one of its groups; frame is where the struct's
// pending interface members start in d.pend.
func (d *decoder) members(t *table, base unsafe.Pointer, frame int) error {
	d.ws()
	if d.i < len(d.b) && d.b[d.i] == '}' {
		d.i++
		return nil
	}
	for {
		if d.i >= len(d.b) {
			return d.eof()
		}
		if d.b[d.i] != '"' {
			return d.unexpected("looking for the beginning of a member name")
		}
		key, err := d.strBytes()
		if err != nil {
			return err
		}
		m := t.index.find(key)
		if d.i < len(d.b) && d.b[d.i] == ':' {
			d.i++
		} else {
			d.ws()
			if d.i >= len(d.b) || d.b[d.i] != ':' {
				return d.unexpected("after a member name")
			}
			d.i++
		}
		if d.i < len(d.b) && d.b[d.i] <= ' ' {
			d.ws()
		}
		if d.i >= len(d.b) {
			return d.eof()
		}
		switch {
		case m == nil:
			err = d.unknown(t, base, key)
		case m.group != nil:
			err = d.group(m, base, frame)
		case m.iface:
			err = d.iface(t, m, base, frame)
		default:
			err = d.value(m.codec, unsafe.Add(base, m.off), m.slot)
		}
		if err != nil {
			if m != nil {
				return atField(err, m.name)
			}
			return err
		}
		if d.i < len(d.b) && d.b[d.i] <= ' ' {
			d.ws()
		}
		if d.i >= len(d.b) {
			return d.eof()
		}
		switch d.b[d.i] {
		case ',':
			d.i++
			if d.i < len(d.b) && d.b[d.i] <= ' ' {
				d.ws()
			}
		case '}':
			d.i++
			return nil
		default:
			return d.unexpected("after an object member")
		}
	}
}

// unknown moves past the value of a member no field names, keeping a copy
// in Extra if t has it.
func (d *decoder) unknown(t *table, base unsafe.Pointer, key []byte) error {
	if !t.hasExtra {
		return d.skip()
	}
	name := string(key) // key may live in d.scratch
	start := d.i
	if err := d.skip(); err != nil {
		return err
	}
	extra := (*map[string]json.RawMessage)(unsafe.Add(base, t.extraOff))
	if *extra == nil {
		*extra = make(map[string]json.RawMessage)
	}
	(*extra)[name] = append(json.RawMessage(nil), d.b[start:d.i]...)
	return nil
}

// group decodes the object holding the fields of a group of dotted tags.
// Members no field names are skipped.
func (d *decoder) group(g *member, base unsafe.Pointer, frame int) error {
	d.resetGroup(g.group, base, frame)
	if d.b[d.i] != '{' {
		if ok, err := d.null(); ok || err != nil {
			return err
		}
		return d.mismatch("an object")
	}
	if err := d.deeper(); err != nil {
		return err
	}
	d.i++
	err := d.members(g.group, base, frame)
	d.depth--
	return err
}

// resetGroup zeroes the fields of a group, so that a repeated parent
// member replaces the first one whole.
func (d *decoder) resetGroup(g *table, base unsafe.Pointer, frame int) {
	for _, m := range g.leaves {
		if m.iface {
			d.dropPending(m, frame)
			reflect.NewAt(m.ifaceT, unsafe.Add(base, m.off)).Elem().SetZero()
			continue
		}
		zero(m.codec, unsafe.Add(base, m.off))
	}
}

func (d *decoder) dropPending(m *member, frame int) {
	for k := frame; k < len(d.pend); k++ {
		if d.pend[k].m == m {
			d.pend = append(d.pend[:k], d.pend[k+1:]...)
			d.pend[len(d.pend):cap(d.pend)][0] = pending{}
			return
		}
	}
}

// iface keeps a copy of an interface member's value for handOver.
func (d *decoder) iface(t *table, m *member, base unsafe.Pointer, frame int) error {
	d.dropPending(m, frame)
	if ok, err := d.null(); ok || err != nil {
		reflect.NewAt(m.ifaceT, unsafe.Add(base, m.off)).Elem().SetZero()
		return err
	}
	start := d.i
	if err := d.skip(); err != nil {
		return err
	}
	if t.settle == nil {
		return d.invalid(start, fmt.Sprintf("interface field %s.%s cannot be decoded: *%v does not implement wire.Deferred",
			t.typ, m.field, t.typ), nil)
	}
	d.pend = append(d.pend, pending{m: m, raw: append([]byte(nil), d.b[start:d.i]...), at: start})
	return nil
}

// handOver gives the struct the interface members of the object it was
// decoded from.
func (d *decoder) handOver(t *table, base unsafe.Pointer, frame int) error {
	v := reflect.NewAt(t.typ, base).Interface()
	// An interface member that was absent or null is handed over as nil,
	// so that the struct can settle its field either way.
	for _, m := range t.members {
		if !m.iface || slices.ContainsFunc(d.pend[frame:], func(p pending) bool { return p.m == m }) {
			continue
		}
		if err := t.settle(v, m.tag, nil); err != nil {
			return &Error{Path: m.tag, Offset: -1, Reason: "cannot decode", Err: err}
		}
	}
	for _, p := range d.pend[frame:] {
		err := t.settle(v, p.m.tag, p.raw)
		if err == nil {
			continue
		}
		if e, ok := err.(*Error); ok { //nolint:errorlint // a wire error of the member's own decoding, placed in the input
			inner := *e
			inner.prependField(p.m.tag)
			if inner.Offset >= 0 {
				inner.Offset += p.at
			}
			return &inner
		}
		return &Error{Path: p.m.tag, Offset: p.at, Value: keep(p.raw), Reason: "cannot decode", Err: err}
	}
	return nil
}

// readString reads a string, or null as "".
func (d *decoder) readString(c *codec, slot int32) (string, error) {
	if d.b[d.i] != '"' {
		if ok, err := d.null(); ok || err != nil {
			return "", err
		}
		return "", d.mismatch("a string")
	}
	s, err := d.strBytes()
	if err != nil {
		return "", err
	}
	return d.makeString(c, s, slot), nil
}

// makeString returns s as a string: an interned value, the member's last
// value, or a new string.
func (d *decoder) makeString(c *codec, s []byte, slot int32) string {
	if c.intern != nil {
		if set := c.intern.set.Load(); set != nil {
			if v, ok := set.find(s); ok {
				return v
			}
		}
	}
	if slot >= 0 && int(slot) < len(d.cache) {
		if v := d.cache[slot]; v == string(s) {
			return v
		}
		v := string(s)
		d.cache[slot] = v
		d.lo, d.hi = min(d.lo, slot), max(d.hi, slot)
		return v
	}
	return string(s)
}

func (d *decoder) time(p unsafe.Pointer) error {
	if d.b[d.i] != '"' {
		if ok, err := d.null(); ok || err != nil {
			*(*time.Time)(p) = time.Time{}
			return err
		}
		return d.mismatch("a timestamp string")
	}
	start := d.i
	s, err := d.strBytes()
	if err != nil {
		return err
	}
	var t time.Time
	if len(s) > 0 && t.UnmarshalText(s) != nil {
		if t, err = jsontime.Parse(string(s)); err != nil {
			// Not err itself: it quotes the whole value, which Error
			// shows only through Value.
			return d.invalid(start, "invalid timestamp", jsontime.ErrInvalid)
		}
	}
	*(*time.Time)(p) = t
	return nil
}

func (d *decoder) bool(p unsafe.Pointer) error {
	switch d.b[d.i] {
	case 't':
		*(*bool)(p) = true
		return d.literal("true")
	case 'f':
		*(*bool)(p) = false
		return d.literal("false")
	case 'n':
		*(*bool)(p) = false
		return d.literal("null")
	}
	return d.mismatch("a boolean")
}

// digits reads the integer at d.i: its magnitude, whether it is negative,
// and whether it fits in a uint64. A number with a fraction or exponent is
// an error.
func (d *decoder) digits() (u uint64, neg, fits bool, err error) {
	b := d.b
	start := d.i
	i := start
	if b[i] == '-' {
		neg = true
		i++
	}
	if i >= len(b) {
		d.i = i
		return 0, false, false, d.eof()
	}
	switch c := b[i]; {
	case c == '0':
		i++
		fits = true
	case '1' <= c && c <= '9':
		n := 0
		for i < len(b) && '0' <= b[i] && b[i] <= '9' {
			u = u*10 + uint64(b[i]-'0')
			i++
			n++
		}
		fits = n < 20
		if n == 20 {
			// Up to 18446744073709551615; beyond it u has wrapped.
			fits = string(b[i-20:i]) <= "18446744073709551615"
		}
	default:
		if !neg {
			return 0, false, false, d.mismatch("an integer")
		}
		d.i = i
		return 0, false, false, d.unexpected("in a number")
	}
	if i < len(b) && (b[i] == '.' || b[i] == 'e' || b[i] == 'E') {
		if _, err := d.number(); err != nil {
			return 0, false, false, err
		}
		return 0, false, false, d.invalid(start, "want an integer, got a number with a fraction or exponent", nil)
	}
	d.i = i
	return u, neg, fits, nil
}

func (d *decoder) int(c *codec, p unsafe.Pointer) error {
	start := d.i
	if ok, err := d.null(); ok || err != nil {
		storeInt(c.size, p, 0)
		return err
	}
	u, neg, fits, err := d.digits()
	if err != nil {
		return err
	}
	limit := uint64(1) << (c.size*8 - 1) // of the magnitude of a negative value
	var v int64
	switch {
	case !fits || neg && u > limit || !neg && u >= limit:
		return d.invalid(start, "integer out of range for "+c.typ.String(), nil)
	case neg:
		v = int64(-u) //nolint:gosec // u ≤ 1<<63: the two's complement is the value
	default:
		v = int64(u) //nolint:gosec // u < 1<<63, checked above
	}
	storeInt(c.size, p, v)
	return nil
}

func storeInt(size uintptr, p unsafe.Pointer, v int64) {
	switch size {
	case 1:
		*(*int8)(p) = int8(v) //nolint:gosec // range checked by the caller
	case 2:
		*(*int16)(p) = int16(v) //nolint:gosec // range checked by the caller
	case 4:
		*(*int32)(p) = int32(v) //nolint:gosec // range checked by the caller
	default:
		*(*int64)(p) = v
	}
}

func (d *decoder) uint(c *codec, p unsafe.Pointer) error {
	start := d.i
	if ok, err := d.null(); ok || err != nil {
		storeUint(c.size, p, 0)
		return err
	}
	u, neg, fits, err := d.digits()
	if err != nil {
		return err
	}
	if !fits || neg && u != 0 || c.size < 8 && u >= 1<<(c.size*8) {
		return d.invalid(start, "integer out of range for "+c.typ.String(), nil)
	}
	storeUint(c.size, p, u)
	return nil
}

func storeUint(size uintptr, p unsafe.Pointer, v uint64) {
	switch size {
	case 1:
		*(*uint8)(p) = uint8(v) //nolint:gosec // range checked by the caller
	case 2:
		*(*uint16)(p) = uint16(v) //nolint:gosec // range checked by the caller
	case 4:
		*(*uint32)(p) = uint32(v) //nolint:gosec // range checked by the caller
	default:
		*(*uint64)(p) = v
	}
}

func (d *decoder) float(c *codec, p unsafe.Pointer) error {
	if ok, err := d.null(); ok || err != nil {
		if c.size == 4 {
			*(*float32)(p) = 0
		} else {
			*(*float64)(p) = 0
		}
		return err
	}
	if b := d.b[d.i]; b != '-' && (b < '0' || b > '9') {
		return d.mismatch("a number")
	}
	start := d.i
	text, err := d.number()
	if err != nil {
		return err
	}
	bits := int(c.size * 8)
	f, err := strconv.ParseFloat(string(text), bits)
	if err != nil {
		return d.invalid(start, "number out of range for "+c.typ.String(), nil)
	}
	if bits == 32 {
		*(*float32)(p) = float32(f)
	} else {
		*(*float64)(p) = f
	}
	return nil
}

// number moves past the number at d.i, following the JSON grammar, and
// returns its text.
func (d *decoder) number() ([]byte, error) {
	b := d.b
	start := d.i
	i := start
	if i < len(b) && b[i] == '-' {
		i++
	}
	digits := func() bool {
		n := i
		for i < len(b) && '0' <= b[i] && b[i] <= '9' {
			i++
		}
		return i > n
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && '1' <= b[i] && b[i] <= '9':
		digits()
	default:
		d.i = i
		return nil, d.unexpected("in a number")
	}
	if i < len(b) && b[i] == '.' {
		i++
		if !digits() {
			d.i = i
			return nil, d.unexpected("after the decimal point of a number")
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if !digits() {
			d.i = i
			return nil, d.unexpected("in the exponent of a number")
		}
	}
	d.i = i
	return b[start:i], nil
}

// slice decodes an array into a slice.
func (d *decoder) slice(c *codec, p unsafe.Pointer, slot int32) error {
	if d.b[d.i] != '[' {
		if ok, err := d.null(); ok || err != nil {
			*(*sliceHeader)(p) = sliceHeader{}
			return err
		}
		return d.mismatch("an array")
	}
	if err := d.deeper(); err != nil {
		return err
	}
	d.i++
	var err error
	if c.plainString {
		err = d.strings(c.elem, p, slot)
	} else {
		err = d.elements(c, p, slot)
	}
	d.depth--
	return err
}

// next moves past the ',' or ']' after an element and reports whether
// the array goes on.
func (d *decoder) next() (bool, error) {
	if d.i < len(d.b) && d.b[d.i] <= ' ' {
		d.ws()
	}
	if d.i >= len(d.b) {
		return false, d.eof()
	}
	switch d.b[d.i] {
	case ',':
		d.i++
		if d.i < len(d.b) && d.b[d.i] <= ' ' {
			d.ws()
		}
		if d.i >= len(d.b) {
			return false, d.eof()
		}
		return true, nil
	case ']':
		d.i++
		return false, nil
	}
	return false, d.unexpected("after an array element")
}

// first moves past the whitespace after '[' and reports whether the array
// has an element.
func (d *decoder) first() (bool, error) {
	d.ws()
	if d.i >= len(d.b) {
		return false, d.eof()
	}
	if d.b[d.i] == ']' {
		d.i++
		return false, nil
	}
	return true, nil
}

// strings builds a slice of a string kind, which has []string's layout.
func (d *decoder) strings(elem *codec, p unsafe.Pointer, slot int32) error {
	out := []string{}
	more, err := d.first()
	for more && err == nil {
		var s string
		if s, err = d.readString(elem, slot); err != nil {
			err = atIndex(err, len(out))
			break
		}
		out = append(out, s)
		more, err = d.next()
	}
	if err != nil {
		return err
	}
	*(*[]string)(p) = out
	return nil
}

// elements builds a slice of any other element type, decoding each
// element in place in arrays allocated by reflect.
func (d *decoder) elements(c *codec, p unsafe.Pointer, slot int32) error {
	var arr reflect.Value // the array being filled, once there is one
	var data unsafe.Pointer
	n := 0
	elem := c.elem
	more, err := d.first()
	for more && err == nil {
		if !arr.IsValid() || n == arr.Len() {
			arr = grow(c.typ, arr)
			data = arr.UnsafePointer()
		}
		e := unsafe.Add(data, uintptr(n)*elem.size)
		if elem.kind == kStruct && d.b[d.i] == '{' {
			err = d.object(elem.table, e) // new memory: already zero
		} else {
			err = d.value(elem, e, slot)
		}
		if err != nil {
			err = atIndex(err, n)
			break
		}
		n++
		more, err = d.next()
	}
	if err != nil {
		return err
	}
	if !arr.IsValid() {
		arr = reflect.MakeSlice(c.typ, 0, 0) // [] is empty, not nil
		data = arr.UnsafePointer()
	}
	*(*sliceHeader)(p) = sliceHeader{data: data, len: n, cap: arr.Len()}
	return nil
}

// grow returns an array of slice type t twice as long as arr, which is
// full, holding its elements.
func grow(t reflect.Type, arr reflect.Value) reflect.Value {
	if !arr.IsValid() {
		return reflect.MakeSlice(t, 4, 4)
	}
	a := reflect.MakeSlice(t, 2*arr.Len(), 2*arr.Len())
	reflect.Copy(a, arr)
	return a
}

// ptr allocates a new value for a non-null pointer.
func (d *decoder) ptr(c *codec, p unsafe.Pointer, slot int32) error {
	if ok, err := d.null(); ok || err != nil {
		*(*unsafe.Pointer)(p) = nil
		return err
	}
	if c.elem.kind == kTime && d.i+1 < len(d.b) && d.b[d.i] == '"' && d.b[d.i+1] == '"' {
		// "" is no time, as null is: Marshal writes the zero time as null.
		*(*unsafe.Pointer)(p) = nil
		d.i += 2
		return nil
	}
	v := reflect.New(c.elem.typ).UnsafePointer()
	var err error
	if c.elem.kind == kStruct && d.b[d.i] == '{' {
		err = d.object(c.elem.table, v)
	} else {
		err = d.value(c.elem, v, slot)
	}
	if err != nil {
		return err
	}
	*(*unsafe.Pointer)(p) = v
	return nil
}

// raw keeps a copy of a value's text.
func (d *decoder) raw(p unsafe.Pointer) error {
	if ok, err := d.null(); ok || err != nil {
		*(*json.RawMessage)(p) = nil
		return err
	}
	start := d.i
	if err := d.skip(); err != nil {
		return err
	}
	*(*json.RawMessage)(p) = append(json.RawMessage(nil), d.b[start:d.i]...)
	return nil
}

// methods decodes a non-struct type through its UnmarshalJSON.
func (d *decoder) methods(c *codec, p unsafe.Pointer, slot int32) error {
	if !c.unmarshaler {
		return d.value(c.elem, p, slot)
	}
	if ok, err := d.null(); ok || err != nil {
		zero(c, p)
		return err
	}
	start := d.i
	if err := d.skip(); err != nil {
		return err
	}
	u := reflect.NewAt(c.typ, p).Interface().(json.Unmarshaler)
	if err := u.UnmarshalJSON(d.b[start:d.i]); err != nil {
		return d.invalid(start, "cannot decode "+c.typ.String(), err)
	}
	return nil
}

// fallback hands the value to encoding/json.
func (d *decoder) fallback(c *codec, p unsafe.Pointer) error {
	zero(c, p)
	if ok, err := d.null(); ok || err != nil {
		return err
	}
	start := d.i
	if err := d.skip(); err != nil {
		return err
	}
	if err := json.Unmarshal(d.b[start:d.i], reflect.NewAt(c.typ, p).Interface()); err != nil {
		return d.invalid(start, "cannot decode "+c.typ.String(), err)
	}
	return nil
}
