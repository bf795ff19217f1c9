// Package query turns the SDK's parameter structs into query strings, with
// the conventions the Telnyx API expects: nested groups in brackets
// (filter[inserted_at][gte]), lists comma separated, times in RFC 3339 and
// zero values left out. The struct tags carry the names; go-querystring does
// the walking.
package query

import (
	"net/url"
	"reflect"

	"github.com/google/go-querystring/query"
)

// Values encodes the struct v (or a pointer to one). A nil pointer gives
// empty values.
func Values(v any) (url.Values, error) {
	if v == nil {
		return url.Values{}, nil
	}
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.Pointer && rv.IsNil() {
		return url.Values{}, nil
	}
	return query.Values(v)
}
