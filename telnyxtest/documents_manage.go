package telnyxtest

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"maps"
	"net/http"
	"net/url"

	telnyx "github.com/a54710f5/telnyx-go"
)

// SetDocumentStatus plays Telnyx's review and antivirus scan of a document:
// it sets the document's review status and its antivirus scan status, and
// its UpdatedAt. An empty value leaves that one as it is. Values outside the
// API's enums are stored as given, so that code can be tested against a
// status Telnyx adds later. Uploads start DocumentStatusPending and
// DocumentAVPendingScan and stay so until this is called; a report's CSV is
// DocumentStatusVerified and DocumentAVScanned from the start. The error
// reports an unknown ID, or both values empty.
func (s *Server) SetDocumentStatus(id string, status telnyx.DocumentStatus, av telnyx.DocumentAVScanStatus) error {
	if status == "" && av == "" {
		return fmt.Errorf("telnyxtest: SetDocumentStatus: neither a status nor an antivirus status")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	doc := s.st.documents[id]
	if doc == nil {
		return fmt.Errorf("telnyxtest: SetDocumentStatus: no document with ID %q", id)
	}
	if status != "" {
		doc.d.Status = status
	}
	if av != "" {
		doc.d.AVScanStatus = av
	}
	doc.d.UpdatedAt = s.now()
	return nil
}

// getDocument serves GET /documents/{id}.
func (s *Server) getDocument(w http.ResponseWriter, id string) {
	s.mu.Lock()
	doc := s.st.documents[id]
	var d telnyx.Document
	if doc != nil {
		d = doc.d
	}
	s.mu.Unlock()
	if doc == nil {
		writeError(w, errNotFound("document", id))
		return
	}
	writeData(w, http.StatusOK, d)
}

// documentReadOnly are the members of a document that PATCH cannot set.
var documentReadOnly = []string{
	"id", "record_type", "created_at", "updated_at", "av_scan_status", "content_type", "sha256", "size", "status",
}

// PATCH /documents/{id} sets filename and customer_reference, each when
// present, and then updated_at: an empty filename is a 422, an empty
// customer_reference clears it, and {} changes nothing. A read-only member of the document (status, sha256, size and the
// like) is a 422, stricter than the API's silence on them; other members
// are ignored.
func (s *Server) updateDocument(w http.ResponseWriter, r *http.Request, id string) {
	body, e := readJSON(r)
	if e != nil {
		writeError(w, e)
		return
	}
	for _, name := range documentReadOnly {
		if _, ok := body[name]; ok {
			writeError(w, errInvalid("/"+name, name+" is read-only."))
			return
		}
	}
	var filename, reference string
	hasName, e := member(body, "filename", &filename)
	if e == nil && hasName && filename == "" {
		e = errInvalid("/filename", "filename must not be empty.")
	}
	var hasRef bool
	if e == nil {
		hasRef, e = member(body, "customer_reference", &reference)
	}
	if e != nil {
		writeError(w, e)
		return
	}
	s.mu.Lock()
	doc := s.st.documents[id]
	if doc == nil {
		s.mu.Unlock()
		writeError(w, errNotFound("document", id))
		return
	}
	if hasName {
		doc.d.Filename = filename
	}
	if hasRef {
		doc.d.CustomerReference = reference
	}
	if hasName || hasRef {
		doc.d.UpdatedAt = s.now()
	}
	d := doc.d
	s.mu.Unlock()
	writeData(w, http.StatusOK, d)
}

// DELETE /documents/{id} deletes a document and answers it as it was. As
// the API reference says, a document linked to a service must be unlinked
// first: one linked to a port-out (by its supporting documents) is refused
// with 422, and as the port-out API has no way to unlink, it stays.
func (s *Server) deleteDocument(w http.ResponseWriter, id string) {
	s.mu.Lock()
	doc := s.st.documents[id]
	if doc == nil {
		s.mu.Unlock()
		writeError(w, errNotFound("document", id))
		return
	}
	if l, linked := s.st.linkOf(id); linked {
		s.mu.Unlock()
		writeError(w, &apiError{
			status: http.StatusUnprocessableEntity, code: "10015", title: "Document is linked",
			detail:    fmt.Sprintf("The document is linked to %s %s; unlink it before deleting it.", l.LinkedRecordType, l.LinkedResourceID),
			parameter: "id",
		})
		return
	}
	delete(s.st.documents, id)
	maps.DeleteFunc(s.st.downloads, func(_, docID string) bool { return docID == id })
	d := doc.d
	s.mu.Unlock()
	writeData(w, http.StatusOK, d)
}

// signatureParam carries the signature of a download link.
const signatureParam = "signature"

// GET /documents/{id}/download_link answers an absolute URL of the fake's
// own GET /documents/{id}/download with a signature in its query, which
// serves the bytes without an Authorization header, as a pre-signed storage
// URL does. Signatures last as long as the document (they do not expire).
func (s *Server) downloadLink(w http.ResponseWriter, id string) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("telnyxtest: random signature: " + err.Error())
	}
	sig := hex.EncodeToString(b[:])
	s.mu.Lock()
	ok := s.st.documents[id] != nil
	if ok {
		s.st.downloads[sig] = id
	}
	s.mu.Unlock()
	if !ok {
		writeError(w, errNotFound("document", id))
		return
	}
	link := s.URL + "documents/" + url.PathEscape(id) + "/download?" + url.Values{signatureParam: {sig}}.Encode()
	writeData(w, http.StatusOK, map[string]string{"url": link})
}

// presigned reports whether r is a GET of a document's download carrying a
// signature that downloadLink issued for that document. path is the
// unescaped path below the API root.
func (s *Server) presigned(r *http.Request, path string) bool {
	sig := r.URL.Query().Get(signatureParam)
	if r.Method != http.MethodGet || sig == "" {
		return false
	}
	s.mu.Lock()
	id, ok := s.st.downloads[sig]
	s.mu.Unlock()
	return ok && path == "/documents/"+id+"/download"
}
