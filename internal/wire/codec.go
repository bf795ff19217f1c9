package wire

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"
)

// Deferred is implemented by a pointer to a struct with an interface-typed
// field. Unmarshal cannot choose the field's concrete type itself, so once
// the whole object is decoded (its other fields, before or after the
// member, included) it hands over a copy of the member's raw JSON. member
// is the field's tag name, such as "payload". For an absent member, or
// null, it is called with raw nil (the field is nil then), so that the
// struct can settle the field either way.
type Deferred interface {
	DecodeDeferred(member string, raw []byte) error
}

// deferFuncs holds the functions registered with Defer, by struct type.
var deferFuncs sync.Map // reflect.Type -> func(any, string, []byte) error

// Defer registers fn to settle T's interface members as Deferred does, for
// a type that should not export a DecodeDeferred method. Register before
// the first decode of T (at package initialization): a table built
// before does not see it. The result is only there so that a package can
// register in a variable declaration.
func Defer[T any](fn func(v *T, member string, raw []byte) error) struct{} {
	deferFuncs.Store(reflect.TypeFor[T](), func(v any, member string, raw []byte) error {
		return fn(v.(*T), member, raw)
	})
	return struct{}{}
}

// settlerFor returns how the struct type t takes its interface members:
// its DecodeDeferred method, else the function registered with Defer, else
// nil (t cannot have interface members). Tables look it up once.
func settlerFor(t reflect.Type) func(v any, member string, raw []byte) error {
	if reflect.PointerTo(t).Implements(deferredType) {
		return func(v any, member string, raw []byte) error { return v.(Deferred).DecodeDeferred(member, raw) }
	}
	if fn, ok := deferFuncs.Load(t); ok {
		return fn.(func(any, string, []byte) error)
	}
	return nil
}

// kind says how a codec reads and writes its type.
type kind uint8

const (
	kString   kind = iota + 1 // any string kind
	kBool                     // bool
	kInt                      // int, int8 … int64
	kUint                     // uint, uint8 … uint64, uintptr
	kFloat                    // float32, float64
	kTime                     // time.Time
	kRaw                      // json.RawMessage
	kStruct                   // a struct with a table
	kPtr                      // a pointer to any supported type
	kSlice                    // a slice of any supported type ([]byte excepted)
	kMethods                  // a non-struct type with MarshalJSON or UnmarshalJSON
	kFallback                 // everything else: encoding/json
)

// codec is what the package knows about one type. Codecs are built once
// and never change once published.
type codec struct {
	typ  reflect.Type
	kind kind
	size uintptr // typ.Size()

	elem   *codec       // kPtr, kSlice; kMethods: the codec by kind, for the direction without a method
	table  *table       // kStruct
	intern *internCache // kString: the type's interned values

	// plainString is set for a kSlice whose elements are a string kind:
	// such slices share []string's layout and are built with append.
	plainString bool

	// kMethods: which of the methods the type (or its pointer) has.
	unmarshaler, marshaler bool
}

// A table lists the members of a struct type, or of one object inside it
// named by dotted tags (a group).
type table struct {
	typ     reflect.Type
	members []*member // in field order; a group sits where its first field is
	index   keyIndex

	// leaves are every field below a group, to reset it before decoding.
	leaves []*member

	hasExtra bool
	extraOff uintptr

	// settle hands interface members to a *typ (settlerFor); nil when typ
	// has no way to take them.
	settle func(v any, member string, raw []byte) error
}

// member is one member of an object: a field, or a group of fields named
// by dotted tags.
type member struct {
	name   string // the JSON member name
	tag    string // the whole tag name, such as "params.filters"
	key    []byte // `"name":`, ready to write
	field  string // the Go field name, for messages
	off    uintptr
	codec  *codec
	group  *table       // set for a group; off and codec are then unused
	iface  bool         // an interface-typed field: decoded through Deferred
	omit   bool         // omitempty
	slot   int32        // string cache slot, or -1
	seq    int          // index among its table's members
	ifaceT reflect.Type // the field's interface type, when iface
}

var (
	timeType      = reflect.TypeFor[time.Time]()
	rawType       = reflect.TypeFor[json.RawMessage]()
	extraType     = reflect.TypeFor[map[string]json.RawMessage]()
	deferredType  = reflect.TypeFor[Deferred]()
	unmarshalType = reflect.TypeFor[json.Unmarshaler]()
	marshalType   = reflect.TypeFor[json.Marshaler]()
)

var (
	codecs  sync.Map   // reflect.Type → *codec, or error
	buildMu sync.Mutex // held while codecs are built and interned sets change

	// slots counts the string cache slots handed out (see decoder.cache).
	slots atomic.Int32

	// interns holds each string type's interned values. Written with buildMu.
	interns = map[reflect.Type]*internCache{}
)

// codecFor returns the codec of t, building and caching it on first use.
func codecFor(t reflect.Type) (*codec, error) {
	if v, ok := codecs.Load(t); ok {
		if c, ok := v.(*codec); ok {
			return c, nil
		}
		return nil, v.(error)
	}
	buildMu.Lock()
	defer buildMu.Unlock()
	if v, ok := codecs.Load(t); ok {
		if c, ok := v.(*codec); ok {
			return c, nil
		}
		return nil, v.(error)
	}
	b := builder{building: map[reflect.Type]*codec{}}
	c, err := b.codec(t)
	if err != nil {
		// Nothing built alongside is published: each type is built again
		// (and fails again) on its own.
		codecs.Store(t, err)
		return nil, err
	}
	for typ, built := range b.building {
		codecs.Store(typ, built)
	}
	return c, nil
}

// builder builds the codecs of a type and every type it reaches. Types
// under construction are in building, so recursive types terminate.
type builder struct {
	building map[reflect.Type]*codec
}

func (b *builder) codec(t reflect.Type) (*codec, error) {
	if v, ok := codecs.Load(t); ok {
		if c, ok := v.(*codec); ok {
			return c, nil
		}
		return nil, v.(error)
	}
	if c, ok := b.building[t]; ok {
		return c, nil
	}
	c := &codec{typ: t, size: t.Size()}
	b.building[t] = c
	var err error
	switch {
	case t == timeType:
		c.kind = kTime
	case t == rawType:
		c.kind = kRaw
	case t.Kind() == reflect.Struct:
		c.kind = kStruct
		c.table, err = b.table(t)
	case t.Kind() != reflect.Pointer && t.Kind() != reflect.Interface &&
		(reflect.PointerTo(t).Implements(unmarshalType) || reflect.PointerTo(t).Implements(marshalType)):
		c.kind = kMethods
		c.unmarshaler = reflect.PointerTo(t).Implements(unmarshalType)
		c.marshaler = reflect.PointerTo(t).Implements(marshalType)
		if !c.unmarshaler || !c.marshaler {
			// The other direction goes by the type's kind.
			var plain *codec
			plain, err = b.plain(t)
			if err == nil {
				c.elem = plain
			}
		}
	default:
		var plain *codec
		plain, err = b.plain(t)
		if err == nil {
			*c = *plain
		}
	}
	if err != nil {
		delete(b.building, t)
		return nil, err
	}
	return c, nil
}

// plain returns a codec for t by its kind alone, ignoring methods.
func (b *builder) plain(t reflect.Type) (*codec, error) {
	c := &codec{typ: t, size: t.Size()}
	switch t.Kind() {
	case reflect.String:
		c.kind = kString
		c.intern = internFor(t)
	case reflect.Bool:
		c.kind = kBool
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		c.kind = kInt
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		c.kind = kUint
	case reflect.Float32, reflect.Float64:
		c.kind = kFloat
	case reflect.Pointer:
		elem, err := b.codec(t.Elem())
		if err != nil {
			return nil, err
		}
		c.kind, c.elem = kPtr, elem
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			c.kind = kFallback // base64, as encoding/json does
			break
		}
		elem, err := b.codec(t.Elem())
		if err != nil {
			return nil, err
		}
		c.kind, c.elem = kSlice, elem
		c.plainString = elem.kind == kString
	default:
		c.kind = kFallback
	}
	return c, nil
}

// table builds the table of struct type t from its fields' json tags.
func (b *builder) table(t reflect.Type) (*table, error) {
	top := &table{typ: t, settle: settlerFor(t)}
	for i := range t.NumField() {
		f := t.Field(i)
		tag, hasTag := f.Tag.Lookup("json")
		if f.Name == "Extra" && tag == "-" {
			if f.Type != extraType {
				return nil, fmt.Errorf("wire: %v.Extra is %v, not map[string]json.RawMessage", t, f.Type)
			}
			top.hasExtra, top.extraOff = true, f.Offset
			continue
		}
		if !hasTag || tag == "-" || !f.IsExported() {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if name == "" {
			return nil, fmt.Errorf("wire: %v.%s: the json tag names no member", t, f.Name)
		}
		omit := false
		for o := range strings.SplitSeq(opts, ",") {
			switch o {
			case "omitempty":
				omit = true
			case "":
			default:
				return nil, fmt.Errorf("wire: %v.%s: unknown json tag option %q", t, f.Name, o)
			}
		}
		path := strings.Split(name, ".")
		if slices.Contains(path, "") {
			return nil, fmt.Errorf("wire: %v.%s: empty member name in %q", t, f.Name, name)
		}
		m := &member{
			name:  path[len(path)-1],
			tag:   name,
			field: f.Name,
			off:   f.Offset,
			omit:  omit,
			slot:  -1,
		}
		if f.Type.Kind() == reflect.Interface {
			m.iface, m.ifaceT = true, f.Type
		} else {
			c, err := b.codec(f.Type)
			if err != nil {
				return nil, err
			}
			m.codec = c
			if stringish(c) {
				m.slot = slots.Add(1) - 1
			}
		}
		if err := top.add("", path[:len(path)-1], m); err != nil {
			return nil, fmt.Errorf("wire: %v.%s: %w", t, f.Name, err)
		}
	}
	top.finish()
	return top, nil
}

// stringish reports whether values of c are strings or slices of them, so
// that a member of that type gets a string cache slot.
func stringish(c *codec) bool {
	switch c.kind {
	case kString:
		return true
	case kSlice, kPtr:
		return c.elem.kind == kString
	}
	return false
}

// add puts m in the group that parents names, creating groups as needed.
// prefix is the dotted name of t itself ("" for the struct).
func (t *table) add(prefix string, parents []string, m *member) error {
	if len(parents) == 0 {
		for _, o := range t.members {
			if o.name == m.name {
				return fmt.Errorf("member %q is named twice", m.tag)
			}
		}
		m.key = appendKey(nil, m.name)
		t.members = append(t.members, m)
		return nil
	}
	tag := parents[0]
	if prefix != "" {
		tag = prefix + "." + tag
	}
	var g *member
	for _, o := range t.members {
		if o.name == parents[0] {
			if o.group == nil {
				return fmt.Errorf("%q is both a member and the parent of %q", tag, m.tag)
			}
			g = o
		}
	}
	if g == nil {
		g = &member{name: parents[0], tag: tag, key: appendKey(nil, parents[0]), slot: -1, group: &table{typ: t.typ}}
		t.members = append(t.members, g)
	}
	return g.group.add(tag, parents[1:], m)
}

// finish numbers members, builds key indexes and lists group leaves.
func (t *table) finish() {
	names := make([]string, len(t.members))
	for i, m := range t.members {
		m.seq = i
		names[i] = m.name
		if m.group != nil {
			m.group.settle = t.settle
			m.group.finish()
		}
	}
	t.index = newKeyIndex(t.members)
	t.leaves = t.leaves[:0]
	for _, m := range t.members {
		if m.group != nil {
			t.leaves = append(t.leaves, m.group.leaves...)
		} else {
			t.leaves = append(t.leaves, m)
		}
	}
}

// appendKey appends `"name":` with name escaped as a JSON string.
func appendKey(dst []byte, name string) []byte {
	dst = appendString(dst, name)
	return append(dst, ':')
}

// internCache holds the interned values of one string type. The set is
// replaced whole when values are added, so readers never lock.
type internCache struct {
	set atomic.Pointer[internSet]
}

// internSet is an immutable set of strings, looked up by bytes.
type internSet struct {
	few  []string          // when there are few values: scanned in order
	many map[string]string // otherwise
}

const fewInterned = 8

func (s *internSet) find(b []byte) (string, bool) {
	if s.many != nil {
		v, ok := s.many[string(b)]
		return v, ok
	}
	for _, v := range s.few {
		if v == string(b) {
			return v, true
		}
	}
	return "", false
}

// internFor returns the interned values of t, creating an empty set. It is
// called with buildMu held.
func internFor(t reflect.Type) *internCache {
	c := interns[t]
	if c == nil {
		c = new(internCache)
		interns[t] = c
	}
	return c
}

// Intern registers known values of the string type S, such as the values
// of an enum: Unmarshal then gives every field of type S holding one of
// them the registered string itself instead of allocating a new one. Any
// value may still be decoded; others are allocated as usual. Intern may be
// called at any time, from any goroutine; it is meant for package
// initialization. Intern[string] applies to every plain string field.
func Intern[S ~string](values ...S) {
	vs := make([]string, len(values))
	for i, v := range values {
		vs[i] = string(v)
	}
	InternType(reflect.TypeFor[S](), vs...)
}

// InternType is Intern for a type known only at run time, which must be of
// a string kind.
func InternType(t reflect.Type, values ...string) {
	if t.Kind() != reflect.String {
		panic(fmt.Sprintf("wire: Intern of %v, not a string type", t))
	}
	buildMu.Lock()
	defer buildMu.Unlock()
	c := internFor(t)
	var all []string
	if old := c.set.Load(); old != nil {
		all = append(all, old.few...)
		for v := range old.many {
			all = append(all, v)
		}
	}
	for _, v := range values {
		if !slices.Contains(all, v) {
			all = append(all, v)
		}
	}
	s := &internSet{}
	if len(all) <= fewInterned {
		s.few = all
	} else {
		s.many = make(map[string]string, len(all))
		for _, v := range all {
			s.many[v] = v
		}
	}
	c.set.Store(s)
}

// keyIndex finds a member by its name's bytes. It is an open-addressing
// hash table over a cheap hash of the name's length and a few of its
// bytes, with a multiplier searched at build time so that the names
// usually land each in its own slot: a lookup is then one hash and one
// comparison.
type keyIndex struct {
	slots []*member // len is a power of 2
	mul   uint32
	shift uint32
	mask  uint32 // len(slots)-1
	exact bool   // no two names share a slot: stop after the first
}

func hashKey(k []byte, mul uint32) uint32 {
	x := uint32(len(k)) //nolint:gosec // G115: the length is only mixed into a hash; wrapping is harmless
	if n := len(k); n > 0 {
		x |= uint32(k[0])<<8 | uint32(k[n-1])<<16 | uint32(k[n/2])<<24
	}
	return x * mul
}

func newKeyIndex(ms []*member) keyIndex {
	keys := make([][]byte, len(ms))
	for i, m := range ms {
		keys[i] = []byte(m.name)
	}
	bits := uint32(1)
	for 1<<bits < 2*len(ms) {
		bits++
	}
	var best keyIndex
	bestCollisions := -1
	mul := uint32(0x9E3779B1)
	for range 3 { // table sizes 2n, 4n, 8n
		for range 256 {
			ix := keyIndex{slots: make([]*member, 1<<bits), mul: mul, shift: 32 - bits, mask: 1<<bits - 1}
			collisions := 0
			for i, m := range ms {
				h := hashKey(keys[i], mul) >> ix.shift
				for ix.slots[h] != nil {
					collisions++
					h = (h + 1) & ix.mask
				}
				ix.slots[h] = m
			}
			if bestCollisions < 0 || collisions < bestCollisions {
				best, bestCollisions = ix, collisions
			}
			if collisions == 0 {
				best.exact = true
				return best
			}
			mul = mul*0x2C1B3C6D + 0x297A2D39 | 1
		}
		bits++
	}
	return best
}

func (ix *keyIndex) find(k []byte) *member {
	if len(ix.slots) == 0 {
		return nil
	}
	h := hashKey(k, ix.mul) >> ix.shift
	for {
		m := ix.slots[h]
		if m == nil {
			return nil
		}
		if m.name == string(k) {
			return m
		}
		if ix.exact {
			return nil
		}
		h = (h + 1) & ix.mask
	}
}

// sliceHeader is the layout of every slice.
type sliceHeader struct {
	data     unsafe.Pointer
	len, cap int
}
