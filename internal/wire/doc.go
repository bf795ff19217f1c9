// Package wire decodes and encodes the SDK's resources as JSON, driven by
// nothing but their structs' json tags: the public struct is the only list
// of a resource's fields. A table is built once per struct type by
// reflection (cached by reflect.Type, safe for concurrent use), and
// Unmarshal and Marshal then run off it without reflection per field.
//
// # Fields
//
// A struct field is a member of the JSON object when its json tag names
// one:
//
//   - `json:"name"` is member name; `json:"name,omitempty"` is left out by
//     Marshal when the field holds its zero value or an empty slice or map
//     (a zero time.Time and a zero struct included).
//   - `json:"-"` is skipped, and so is a field with no json tag at all and
//     an unexported field: the tags are the complete list, so a field meant
//     for Go callers only needs nothing. Embedded structs are not flattened:
//     they follow the same rule as any other field.
//   - A dotted tag `json:"params.filters"` is member filters of the object
//     member params. Several fields may share a parent ("size.amount",
//     "size.unit"), at any depth. Marshal writes the parent object, where
//     its first field is, with those members; it leaves the parent out when
//     all of them are omitempty and empty. Members of the parent that no
//     field names are skipped when decoding and not kept.
//   - A field named Extra, of type map[string]json.RawMessage and tagged
//     `json:"-"`, receives a copy of every top-level member no field names
//     (a dotted parent counts as named); it stays nil when there is none.
//     Marshal writes its members after the fields, in sorted key order,
//     leaving out any key a field has written.
//   - An interface-typed field cannot be decoded by its type alone. Once
//     its whole object is decoded, the field's member is handed, as a copy
//     of its raw JSON, to the struct's DecodeDeferred method (see
//     Deferred), which sets the field; the member may come before or after
//     the sibling members that say what it holds. An absent or null member
//     is handed over as nil. A struct with such a field whose pointer is
//     not a Deferred fails to decode when the member is present. Marshal
//     writes the dynamic value: nil as null, a struct or a pointer to one
//     through its table, another type through its codec (MarshalJSON for a
//     json.Marshaler), and a struct without a single json tag that is a
//     json.Marshaler (a holder of raw JSON) through its MarshalJSON.
//
// Field types: every string kind (named string types included), bool,
// every integer kind, float32 and float64, time.Time, structs (through
// their own table), pointers (allocated when the member is not null),
// slices of any of these, and json.RawMessage (copied verbatim). A
// non-struct type with an UnmarshalJSON or MarshalJSON method goes through
// it. []byte and every other type (maps, arrays, interfaces inside slices)
// are handed to encoding/json: Unmarshal gives it the value's raw bytes,
// Marshal the value.
//
// The codec never calls MarshalJSON or UnmarshalJSON of a struct type: it
// uses the struct's table, so that a resource's own methods can call
// Unmarshal and Marshal on themselves. time.Time is not decoded as a struct:
// a JSON string is read by jsontime.Parse's lenient layouts ("" and null
// are the zero time, and a nil *time.Time); Marshal writes the zero time as
// null and any other in RFC 3339 with the precision it has.
//
// # Decoding
//
//   - The input must be exactly one JSON value, with only whitespace after
//     it; anything malformed is a syntax error.
//   - Member names match exactly, case included (as in encoding/json/v2,
//     unlike encoding/json): "ID" does not fill a field tagged "id" but
//     lands in Extra.
//   - A member that appears twice: the last one wins, whole (a repeated
//     object member is not merged into the first).
//   - null, for a field of any type, sets its zero value (a nil pointer,
//     slice, map or interface). [] gives an empty, non-nil slice.
//   - Decoding replaces rather than merges: the value v points to is reset
//     first, a struct member starts from zero, a pointer gets a new value,
//     a slice a new array.
//   - Strings support every escape, surrogate pairs included; a lone
//     surrogate, and bytes that are not UTF-8, become U+FFFD, as in
//     encoding/json. Raw values (json.RawMessage, Extra, interface members)
//     are kept byte for byte.
//   - Arrays and objects nest at most 1000 deep.
//   - An integer field takes only an integer in its type's range: 1.0, 1e3
//     or 300 for an int8 are errors. A float field takes any number in
//     range.
//   - Strings are copied out of the input, which the caller may reuse
//     once Unmarshal returns. Within one call, a string member equal to its
//     previous value (the same record type on every item of a page) shares
//     it instead of allocating again; Intern registers values shared
//     across calls.
//
// Every error about the input is an *Error, giving the path of the value
// ("data[3].created_at"), its offset, its raw text and the reason.
//
// # Encoding
//
// Marshal writes members in field order, compact. Strings are escaped as
// encoding/json escapes them, except that <, > and & are written as they
// are; invalid UTF-8 is written as U+FFFD. Raw values are checked to be
// valid JSON and written as they are. A nil slice or pointer is null; floats
// are written as encoding/json writes them, NaN and infinities being errors.
//
// # Why unsafe
//
// Fields are read and written through their offsets with unsafe pointer
// arithmetic, confined to this package: the table knows each field's type
// and offset, and setting fields through reflect.Value costs several times
// more per field, which the listing of thousands of port-outs cannot
// afford. Arrays and values of types that hold pointers are always
// allocated through reflect, so the garbage collector sees every pointer.
package wire
