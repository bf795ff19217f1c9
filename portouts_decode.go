package telnyx

import (
	"strings"

	"github.com/a54710f5/telnyx-go/internal/jsonscan"
)

// Port-outs are the answers users page through by the thousand, so their
// envelopes carry a hand-written decoder (see fastDecoder). It accepts the
// plain shape the API sends and gives up on anything else: a duplicated or
// differently cased key, a value of an unexpected type, a null in an array.
// encoding/json then decodes the same bytes, so results and errors are
// always exactly encoding/json's.

// fastDecoder is a response target that can decode its common shape itself.
// decodeFast leaves the target untouched when it reports false.
type fastDecoder interface {
	decodeFast(b []byte) bool
}

// portoutList is the envelope of a page of port-outs.
type portoutList envelope[[]portoutWire]

// portoutOne is the envelope of a single port-out.
type portoutOne envelope[*portoutWire]

func (e *portoutList) decodeFast(b []byte) bool {
	var out portoutList
	ok := decodeEnvelope(b, &out.Meta, func(s *jsonscan.Scanner) bool {
		if s.Null() {
			out.Data = nil
			return true
		}
		if !s.Consume('[') {
			return false
		}
		out.Data = []portoutWire{}
		if s.Consume(']') {
			return true
		}
		for {
			if s.Peek() != '{' {
				return false
			}
			out.Data = append(out.Data, portoutWire{})
			if !decodePortout(s, &out.Data[len(out.Data)-1]) {
				return false
			}
			if s.Consume(']') {
				return true
			}
			if !s.Consume(',') {
				return false
			}
		}
	})
	if ok {
		*e = out
	}
	return ok
}

func (e *portoutOne) decodeFast(b []byte) bool {
	var out portoutOne
	ok := decodeEnvelope(b, &out.Meta, func(s *jsonscan.Scanner) bool {
		if s.Null() {
			out.Data = nil
			return true
		}
		if s.Peek() != '{' {
			return false
		}
		out.Data = new(portoutWire)
		return decodePortout(s, out.Data)
	})
	if ok {
		*e = out
	}
	return ok
}

var envelopeKeys = []string{"data", "meta"}

// decodeEnvelope reads {"data": ..., "meta": ...}, with data read by data
// and other members skipped.
func decodeEnvelope(b []byte, meta **PageMeta, data func(*jsonscan.Scanner) bool) bool {
	s := jsonscan.New(b)
	var seenData, seenMeta bool
	ok := decodeObject(s, envelopeKeys, func(key []byte) bool {
		switch string(key) {
		case "data":
			if seenData {
				return false
			}
			seenData = true
			return data(s)
		case "meta":
			if seenMeta {
				return false
			}
			seenMeta = true
			return decodeMeta(s, meta)
		}
		return s.Skip()
	})
	return ok && s.AtEnd()
}

var metaKeys = []string{"page_number", "page_size", "total_pages", "total_results"}

func decodeMeta(s *jsonscan.Scanner, meta **PageMeta) bool {
	if s.Null() {
		*meta = nil
		return true
	}
	m := new(PageMeta)
	var seen uint8
	ok := decodeObject(s, metaKeys, func(key []byte) bool {
		var dst *int
		var bit uint8
		switch string(key) {
		case "page_number":
			dst, bit = &m.PageNumber, 1
		case "page_size":
			dst, bit = &m.PageSize, 2
		case "total_pages":
			dst, bit = &m.TotalPages, 4
		case "total_results":
			dst, bit = &m.TotalResults, 8
		default:
			return s.Skip()
		}
		if seen&bit != 0 {
			return false
		}
		seen |= bit
		return decodeInt(s, dst)
	})
	*meta = m
	return ok
}

// decodeObject reads an object, calling member for each key with the
// scanner before its value. A key that is not one of known but matches one
// of them ignoring case is refused: encoding/json would fill that field.
func decodeObject(s *jsonscan.Scanner, known []string, member func(key []byte) bool) bool {
	if !s.Consume('{') {
		return false
	}
	if s.Consume('}') {
		return true
	}
	for {
		key, ok := s.Key()
		if !ok || !knownOrForeign(key, known) || !member(key) {
			return false
		}
		if s.Consume('}') {
			return true
		}
		if !s.Consume(',') {
			return false
		}
	}
}

// knownOrForeign reports whether key is exactly a known key, or unlike all
// of them even ignoring case.
func knownOrForeign(key []byte, known []string) bool {
	for _, k := range known {
		if len(k) == len(key) && strings.EqualFold(k, string(key)) {
			return k == string(key)
		}
	}
	return true
}

func decodeInt(s *jsonscan.Scanner, dst *int) bool {
	if s.Null() {
		return true
	}
	v, ok := s.Int()
	if ok {
		*dst = v
	}
	return ok
}

func decodeString[S ~string](s *jsonscan.Scanner, dst *S) bool {
	if s.Null() {
		return true
	}
	v, ok := s.String()
	if ok {
		*dst = S(v)
	}
	return ok
}

// decodeEnum is decodeString for a field whose values are mostly known.
func decodeEnum[S ~string](s *jsonscan.Scanner, dst *S, known []string) bool {
	if s.Null() {
		return true
	}
	v, ok := s.Enum(known)
	if ok {
		*dst = S(v)
	}
	return ok
}

// The values of enum-like port-out fields, shared by every decoded item
// instead of being allocated for each.
var (
	portoutStatuses = []string{
		string(PortoutStatusPending), string(PortoutStatusAuthorized), string(PortoutStatusPorted),
		string(PortoutStatusRejected), string(PortoutStatusRejectedPending), string(PortoutStatusCanceled),
	}
	portoutRecordTypes = []string{"portout"}
)

func decodeBool(s *jsonscan.Scanner, dst *bool) bool {
	if s.Null() {
		return true
	}
	v, ok := s.Bool()
	if ok {
		*dst = v
	}
	return ok
}

var portoutKeys = []string{
	"id", "already_ported", "authorized_name", "carrier_name", "city", "created_at",
	"current_carrier", "end_user_name", "foc_date", "host_messaging", "inserted_at", "lsr",
	"phone_numbers", "pon", "reason", "record_type", "rejection_code", "requested_foc_date",
	"service_address", "spid", "state", "status", "support_key", "updated_at", "user_id",
	"vendor", "zip",
}

// decodePortout reads one port-out object into w, which must be zero.
func decodePortout(s *jsonscan.Scanner, w *portoutWire) bool {
	var seen uint32
	return decodeObject(s, portoutKeys, func(key []byte) bool {
		var bit uint32
		var ok bool
		switch string(key) {
		case "id":
			bit, ok = 1<<0, decodeString(s, &w.ID)
		case "already_ported":
			bit, ok = 1<<1, decodeBool(s, &w.AlreadyPorted)
		case "authorized_name":
			bit, ok = 1<<2, decodeString(s, &w.AuthorizedName)
		case "carrier_name":
			bit, ok = 1<<3, decodeString(s, &w.CarrierName)
		case "city":
			bit, ok = 1<<4, decodeString(s, &w.City)
		case "created_at":
			bit, ok = 1<<5, decodeTime(s, &w.CreatedAt)
		case "current_carrier":
			bit, ok = 1<<6, decodeString(s, &w.CurrentCarrier)
		case "end_user_name":
			bit, ok = 1<<7, decodeString(s, &w.EndUserName)
		case "foc_date":
			bit, ok = 1<<8, decodeTime(s, &w.FocDate)
		case "host_messaging":
			bit, ok = 1<<9, decodeBool(s, &w.HostMessaging)
		case "inserted_at":
			bit, ok = 1<<10, decodeTime(s, &w.InsertedAt)
		case "lsr":
			w.LSR, ok = s.Strings()
			bit = 1 << 11
		case "phone_numbers":
			w.PhoneNumbers, ok = s.Strings()
			bit = 1 << 12
		case "pon":
			bit, ok = 1<<13, decodeString(s, &w.PON)
		case "reason":
			bit, ok = 1<<14, decodeString(s, &w.Reason)
		case "record_type":
			bit, ok = 1<<15, decodeEnum(s, &w.RecordType, portoutRecordTypes)
		case "rejection_code":
			bit, ok = 1<<16, decodeInt(s, &w.RejectionCode)
		case "requested_foc_date":
			bit, ok = 1<<17, decodeTime(s, &w.RequestedFocDate)
		case "service_address":
			bit, ok = 1<<18, decodeString(s, &w.ServiceAddress)
		case "spid":
			bit, ok = 1<<19, decodeString(s, &w.SPID)
		case "state":
			bit, ok = 1<<20, decodeString(s, &w.State)
		case "status":
			bit, ok = 1<<21, decodeEnum(s, &w.Status, portoutStatuses)
		case "support_key":
			bit, ok = 1<<22, decodeString(s, &w.SupportKey)
		case "updated_at":
			bit, ok = 1<<23, decodeTime(s, &w.UpdatedAt)
		case "user_id":
			bit, ok = 1<<24, decodeString(s, &w.UserID)
		case "vendor":
			bit, ok = 1<<25, decodeString(s, &w.Vendor)
		case "zip":
			bit, ok = 1<<26, decodeString(s, &w.Zip)
		default:
			return s.Skip()
		}
		if !ok || seen&bit != 0 {
			return false
		}
		seen |= bit
		return true
	})
}

// decodeTime hands the raw value to the same UnmarshalJSON encoding/json
// would call; a value it refuses sends the input to encoding/json for the
// error message.
func decodeTime(s *jsonscan.Scanner, dst interface{ UnmarshalJSON([]byte) error }) bool {
	raw, ok := s.Raw()
	return ok && dst.UnmarshalJSON(raw) == nil
}
