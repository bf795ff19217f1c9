package telnyxtest

import (
	"net/http"
	"slices"
	"time"

	telnyx "github.com/a54710f5/telnyx-go"
)

// portoutRecordType is the record_type of a port-out, which a document
// link to it carries as linked_record_type (the API's example links a
// document to a "porting_order" the same way).
const portoutRecordType = "portout"

// link records that documentID supports the record recordType/resourceID,
// once per pair; s.mu is held.
func (st *state) link(documentID, recordType, resourceID string, now time.Time) {
	for _, l := range st.links {
		if l.DocumentID == documentID && l.LinkedRecordType == recordType && l.LinkedResourceID == resourceID {
			return
		}
	}
	st.links = append(st.links, telnyx.DocumentLink{
		ID:               newID(),
		DocumentID:       documentID,
		LinkedRecordType: recordType,
		LinkedResourceID: resourceID,
		RecordType:       "document_link",
		CreatedAt:        now,
		UpdatedAt:        now,
	})
}

// linkOf returns the first link of documentID; s.mu is held.
func (st *state) linkOf(documentID string) (telnyx.DocumentLink, bool) {
	i := slices.IndexFunc(st.links, func(l telnyx.DocumentLink) bool { return l.DocumentID == documentID })
	if i < 0 {
		return telnyx.DocumentLink{}, false
	}
	return st.links[i], true
}

// DocumentLinks returns every document link, newest first, as GET
// /document_links lists them.
func (s *Server) DocumentLinks() []telnyx.DocumentLink {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := slices.Clone(s.st.links)
	slices.Reverse(out)
	return out
}

// listDocumentLinks serves GET /document_links: newest first, filtered by
// filter[linked_record_type] and filter[linked_resource_id] (exact matches).
func (s *Server) listDocumentLinks(w http.ResponseWriter, r *http.Request) {
	q := newQuery(r.URL.Query(), true, "filter[linked_record_type]", "filter[linked_resource_id]")
	number, size := q.page()
	recordType := q.str("filter[linked_record_type]")
	resourceID := q.str("filter[linked_resource_id]")
	if q.err != nil {
		writeError(w, q.err)
		return
	}
	var all []telnyx.DocumentLink
	for _, l := range s.DocumentLinks() {
		if (recordType == "" || l.LinkedRecordType == recordType) && (resourceID == "" || l.LinkedResourceID == resourceID) {
			all = append(all, l)
		}
	}
	data, meta := paginate(all, number, size)
	writePage(w, data, meta)
}
