package telnyxtest

import (
	"errors"
	"fmt"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	telnyx "github.com/a54710f5/telnyx-go"
)

// query reads the filter[...] and page[...] parameters of a list request.
// The first problem met is kept in err; later reads return zero values.
type query struct {
	v   url.Values
	err *apiError
}

// newQuery checks that every filter[...] and page[...] key is one the route
// knows; filters names the filter keys, such as "filter[status]".
func newQuery(v url.Values, paged bool, filters ...string) *query {
	q := &query{v: v}
	for k := range v {
		switch {
		case strings.HasPrefix(k, "page["):
			if !paged || (k != "page[number]" && k != "page[size]") {
				q.fail(errInvalidParam(k, fmt.Sprintf("Unknown query parameter %s.", k)))
			}
		case strings.HasPrefix(k, "filter["):
			if !slices.Contains(filters, strings.TrimSuffix(k, "[]")) {
				q.fail(errInvalidParam(k, fmt.Sprintf("Unknown filter %s.", k)))
			}
		}
	}
	return q
}

func (q *query) fail(e *apiError) {
	if q.err == nil {
		q.err = e
	}
}

// str returns the value of key, "" when absent.
func (q *query) str(key string) string { return q.v.Get(key) }

// list returns the values of key, splitting comma-separated values and
// accepting key[] as well.
func (q *query) list(key string) []string {
	var out []string
	for _, raw := range append(q.v[key], q.v[key+"[]"]...) {
		for _, s := range strings.Split(raw, ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

// time parses key as RFC 3339 or a bare date; absent gives the zero time.
func (q *query) time(key string) time.Time {
	s := q.str(key)
	if s == "" {
		return time.Time{}
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t
		}
	}
	q.fail(errInvalidParam(key, fmt.Sprintf("%q is not an ISO 8601 date-time.", s)))
	return time.Time{}
}

// status reads a port-out status, checking it against the enum.
func (q *query) status(key string) telnyx.PortoutStatus {
	s := telnyx.PortoutStatus(q.str(key))
	if s != "" && !s.Valid() {
		q.fail(errInvalidParam(key, fmt.Sprintf("%q is not a port-out status.", s)))
	}
	return s
}

// statuses reads a list of port-out statuses.
func (q *query) statuses(key string) []telnyx.PortoutStatus {
	var out []telnyx.PortoutStatus
	for _, v := range q.list(key) {
		s := telnyx.PortoutStatus(v)
		if !s.Valid() {
			q.fail(errInvalidParam(key, fmt.Sprintf("%q is not a port-out status.", v)))
		}
		out = append(out, s)
	}
	return out
}

// enum reads key, which must be one of allowed when present.
func (q *query) enum(key string, allowed ...string) string {
	s := q.str(key)
	if s != "" && !slices.Contains(allowed, s) {
		q.fail(errInvalidParam(key, fmt.Sprintf("%q is not one of %s.", s, strings.Join(allowed, ", "))))
	}
	return s
}

// ints reads a list of integers.
func (q *query) ints(key string) []int {
	var out []int
	for _, v := range q.list(key) {
		n, err := strconv.Atoi(v)
		if err != nil {
			q.fail(errInvalidParam(key, fmt.Sprintf("%q is not an integer.", v)))
			continue
		}
		out = append(out, n)
	}
	return out
}

const (
	defaultPageSize = 20
	maxPageSize     = 250
)

// page reads page[number] (from 1, default 1) and page[size] (1 to 250,
// default 20), the bounds of the API reference; anything else is a 422, as
// the reference answers invalid parameters. page[number] has no maximum
// there; the fake takes any number that fits in an int, and answers a
// number past the last page with an empty page (see paginate).
func (q *query) page() (number, size int) {
	number, size = 1, defaultPageSize
	if s := q.str("page[number]"); s != "" {
		n, err := strconv.Atoi(s)
		switch {
		case errors.Is(err, strconv.ErrRange) && !strings.HasPrefix(s, "-"):
			// The spec sets no maximum, but a page this far out cannot be
			// told apart from the ones before it in an int.
			q.fail(errInvalidParam("page[number]", fmt.Sprintf("page[number] must be at most %d, not %q.", math.MaxInt, s)))
		case err != nil || n < 1:
			q.fail(errInvalidParam("page[number]", fmt.Sprintf("page[number] must be an integer of at least 1, not %q.", s)))
		}
		number = n
	}
	if s := q.str("page[size]"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > maxPageSize {
			q.fail(errInvalidParam("page[size]", fmt.Sprintf("page[size] must be an integer from 1 to %d, not %q.", maxPageSize, s)))
		}
		size = n
	}
	return number, size
}

// paginate cuts one page out of items and builds its meta. number is at
// least 1 and size from 1 to maxPageSize, as page checks; number may be as
// large as an int goes. A page past the last one is empty, and its meta
// still echoes the number asked for, as the real API's does.
func paginate[T any](items []T, number, size int) ([]T, telnyx.PageMeta) {
	total := len(items)
	meta := telnyx.PageMeta{
		PageNumber:   number,
		PageSize:     size,
		TotalPages:   (total + size - 1) / size,
		TotalResults: total,
	}
	// Compare page numbers before multiplying: (number-1)*size overflows
	// for a huge number, and went negative or wrapped round to an early
	// page. Below TotalPages the product is under total, so it cannot.
	if number > meta.TotalPages {
		return []T{}, meta
	}
	start := (number - 1) * size
	return items[start:min(start+size, total)], meta
}

// inRange reports whether t lies within [gte, lte]; zero ends are open.
func inRange(t, gte, lte time.Time) bool {
	if !gte.IsZero() && t.Before(gte) {
		return false
	}
	if !lte.IsZero() && t.After(lte) {
		return false
	}
	return true
}

// sameDate reports whether a and b fall on the same day in UTC.
func sameDate(a, b time.Time) bool {
	ay, am, ad := a.UTC().Date()
	by, bm, bd := b.UTC().Date()
	return ay == by && am == bm && ad == bd
}
