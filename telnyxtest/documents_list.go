package telnyxtest

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	telnyx "github.com/a54710f5/telnyx-go"
)

var documentFilterKeys = []string{
	"filter[filename][contains]", "filter[customer_reference][eq]", "filter[customer_reference][in]",
	"filter[created_at][gt]", "filter[created_at][lt]",
}

// documentFilter is the filter of GET /documents.
type documentFilter struct {
	filenameContains string
	referenceEq      string
	referenceIn      []string
	createdGt        time.Time
	createdLt        time.Time
}

func (f *documentFilter) match(d *telnyx.Document) bool {
	switch {
	case f.filenameContains != "" && !strings.Contains(strings.ToLower(d.Filename), strings.ToLower(f.filenameContains)),
		f.referenceEq != "" && d.CustomerReference != f.referenceEq,
		len(f.referenceIn) > 0 && !slices.Contains(f.referenceIn, d.CustomerReference),
		!f.createdGt.IsZero() && !d.CreatedAt.After(f.createdGt),
		!f.createdLt.IsZero() && !d.CreatedAt.Before(f.createdLt):
		return false
	}
	return true
}

// documentSortFields are the fields GET /documents sorts on.
var documentSortFields = map[string]func(a, b *documentRecord) int{
	"filename":   func(a, b *documentRecord) int { return strings.Compare(a.d.Filename, b.d.Filename) },
	"created_at": func(a, b *documentRecord) int { return a.d.CreatedAt.Compare(b.d.CreatedAt) },
	"updated_at": func(a, b *documentRecord) int { return a.d.UpdatedAt.Compare(b.d.UpdatedAt) },
}

// readDocumentSort reads the sort parameter: each key a field, or "-" and
// a field for descending order, the first deciding first. The spec sends
// an array as repeated parameters (sort=filename&sort=-created_at); the
// older name sort[] is read too. An unknown key, or a field sorted on
// twice, is a 422.
func readDocumentSort(q *query) func(a, b *documentRecord) int {
	var keys []func(a, b *documentRecord) int
	seen := map[string]bool{}
	for _, name := range []string{"sort", "sort[]"} {
		for _, key := range q.v[name] {
			field, desc := strings.CutPrefix(key, "-")
			cmpField, ok := documentSortFields[field]
			if !ok {
				q.fail(errInvalidParam(name, fmt.Sprintf("%q is not a sort key: filename, created_at or updated_at, each with an optional leading -.", key)))
				return nil
			}
			if seen[field] {
				q.fail(errInvalidParam(name, fmt.Sprintf("%s is sorted on twice.", field)))
				return nil
			}
			seen[field] = true
			if desc {
				keys = append(keys, func(a, b *documentRecord) int { return cmpField(b, a) })
			} else {
				keys = append(keys, cmpField)
			}
		}
	}
	return func(a, b *documentRecord) int {
		for _, k := range keys {
			if c := k(a, b); c != 0 {
				return c
			}
		}
		// The API's own order: newest created first; then newest stored.
		return cmp.Or(b.d.CreatedAt.Compare(a.d.CreatedAt), cmp.Compare(b.seq, a.seq))
	}
}

// listDocuments serves GET /documents with every filter and sort key.
func (s *Server) listDocuments(w http.ResponseWriter, r *http.Request) {
	q := newQuery(r.URL.Query(), true, documentFilterKeys...)
	number, size := q.page()
	f := documentFilter{
		filenameContains: q.str("filter[filename][contains]"),
		referenceEq:      q.str("filter[customer_reference][eq]"),
		referenceIn:      q.list("filter[customer_reference][in]"),
		createdGt:        q.time("filter[created_at][gt]"),
		createdLt:        q.time("filter[created_at][lt]"),
	}
	order := readDocumentSort(q)
	if q.err != nil {
		writeError(w, q.err)
		return
	}
	s.mu.Lock()
	var recs []*documentRecord
	for _, doc := range s.st.documents {
		if f.match(&doc.d) {
			recs = append(recs, doc)
		}
	}
	slices.SortFunc(recs, order)
	all := make([]telnyx.Document, len(recs))
	for i, doc := range recs {
		all[i] = doc.d
	}
	s.mu.Unlock()
	data, meta := paginate(all, number, size)
	writePage(w, data, meta)
}
