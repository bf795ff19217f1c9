package telnyxtest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"mime"
	"path"
	"strings"
	"time"

	telnyx "github.com/a54710f5/telnyx-go"
)

// AddDocument stores d with content as its bytes, as if it had been
// uploaded, and returns it as stored. Empty fields are filled as an upload
// fills them: ID (a random UUID), CreatedAt and UpdatedAt (now), Filename
// ("document"), ContentType (from the file name's extension, else
// application/octet-stream), Status (pending), AVScanStatus (pending_scan)
// and RecordType ("document"). SHA256, Size and SizeUnit ("bytes") always
// describe content. The document is then served by every documents route
// and can be linked to port-outs (POST /portouts/{id}/supporting_documents
// or LinkDocument). Adding no request, it is the setup step of a test, for
// a document with an ID the test fixes. AddDocument panics if a document
// with the same ID exists.
func (s *Server) AddDocument(d telnyx.Document, content []byte) telnyx.Document {
	d = filled(d, content, s.now())
	d.Extra = maps.Clone(d.Extra)

	s.mu.Lock()
	defer s.mu.Unlock()
	if _, dup := s.st.documents[d.ID]; dup {
		panic(fmt.Sprintf("telnyxtest: AddDocument: a document with ID %q exists", d.ID))
	}
	s.st.addDocument(&documentRecord{d: d, data: bytes.Clone(content)})
	d.Extra = maps.Clone(d.Extra)
	return d
}

// filled returns d as the fake stores it: the zero fields AddDocument lists
// given their defaults, and SHA256, Size and SizeUnit describing content.
// Uploads and report CSVs are stored through it too.
func filled(d telnyx.Document, content []byte, now time.Time) telnyx.Document {
	if d.ID == "" {
		d.ID = newID()
	}
	if d.CreatedAt.IsZero() {
		d.CreatedAt = now
	}
	if d.UpdatedAt.IsZero() {
		d.UpdatedAt = now
	}
	if d.Filename == "" {
		d.Filename = "document"
	}
	if d.ContentType == "" {
		d.ContentType = contentTypeOf(d.Filename)
	}
	if d.Status == "" {
		d.Status = telnyx.DocumentStatusPending
	}
	if d.AVScanStatus == "" {
		d.AVScanStatus = telnyx.DocumentAVPendingScan
	}
	if d.RecordType == "" {
		d.RecordType = "document"
	}
	sum := sha256.Sum256(content)
	d.SHA256 = hex.EncodeToString(sum[:])
	d.Size = int64(len(content))
	d.SizeUnit = "bytes"
	return d
}

// contentTypeOf is the media type an upload without one gets, from the
// extension of its file name.
func contentTypeOf(filename string) string {
	if t := mime.TypeByExtension(strings.ToLower(path.Ext(filename))); t != "" {
		return t
	}
	return "application/octet-stream"
}

// LinkDocument makes a stored document a supporting document of a
// port-out, as POST /portouts/{id}/supporting_documents does for one
// document: it records the supporting document (listed by GET
// /portouts/{id}/supporting_documents) and the document link, and returns
// the supporting document. Like that route it records no event. The error
// reports an unknown port-out or document, or a type other than loa or
// invoice.
func (s *Server) LinkDocument(documentID, portoutID string, typ telnyx.SupportingDocumentType) (telnyx.PortoutSupportingDocument, error) {
	if !typ.Valid() {
		return telnyx.PortoutSupportingDocument{}, fmt.Errorf("telnyxtest: LinkDocument: %q is neither loa nor invoice", typ)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := s.st.portout(portoutID)
	if rec == nil {
		return telnyx.PortoutSupportingDocument{}, errNoPortout("LinkDocument", portoutID)
	}
	if s.st.documents[documentID] == nil {
		return telnyx.PortoutSupportingDocument{}, fmt.Errorf("telnyxtest: LinkDocument: no document with ID %q", documentID)
	}
	return s.st.support(rec, documentID, typ, s.now()), nil
}

// support records documentID as a supporting document of rec, and its
// document link; s.mu is held.
func (st *state) support(rec *portoutRecord, documentID string, typ telnyx.SupportingDocumentType, now time.Time) telnyx.PortoutSupportingDocument {
	sd := telnyx.PortoutSupportingDocument{
		ID:         newID(),
		DocumentID: documentID,
		PortoutID:  rec.p.ID,
		RecordType: "supporting_document",
		Type:       typ,
		CreatedAt:  now,
		UpdatedAt:  now,
	}
	rec.supportingDocs = append(rec.supportingDocs, sd)
	st.link(documentID, portoutRecordType, rec.p.ID, now)
	return sd
}
