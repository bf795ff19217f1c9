package telnyxtest

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"

	telnyx "github.com/a54710f5/telnyx-go"
)

// documentRecord is a stored document and its bytes.
type documentRecord struct {
	d    telnyx.Document
	data []byte
	seq  int // order of storing, for ties in the list's order
}

// addDocument stores doc; s.mu is held.
func (st *state) addDocument(doc *documentRecord) {
	st.documentSeq++
	doc.seq = st.documentSeq
	st.documents[doc.d.ID] = doc
}

// Document returns an uploaded document (or a report's CSV) and its bytes.
func (s *Server) Document(id string) (telnyx.Document, []byte, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	doc := s.st.documents[id]
	if doc == nil {
		return telnyx.Document{}, nil, false
	}
	return doc.d, bytes.Clone(doc.data), true
}

// upload is what POST /documents received.
type upload struct {
	filename, contentType, reference string
	data                             []byte
}

// POST /documents takes multipart/form-data with a "file" part (and an
// optional "customer_reference" field), read as a stream, or JSON with
// "filename", "customer_reference" and either the file in base64 ("file") or
// a "url" to fetch. The fake cannot fetch: for a url it stores a short
// placeholder text naming the URL (see placeholderFor). Every upload starts
// pending review and pending its antivirus scan (SetDocumentStatus moves it
// on).
func (s *Server) uploadDocument(w http.ResponseWriter, r *http.Request) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var (
		up *upload
		e  *apiError
	)
	switch mt {
	case "multipart/form-data":
		up, e = s.readMultipart(r)
	case "application/json":
		up, e = s.readJSONUpload(r)
	default:
		e = &apiError{
			status: http.StatusUnsupportedMediaType, code: "10014", title: "Unsupported Media Type",
			detail: fmt.Sprintf("Send multipart/form-data or application/json, not %q.", r.Header.Get("Content-Type")),
		}
	}
	if e != nil {
		writeError(w, e)
		return
	}
	d := telnyx.Document{Filename: up.filename, ContentType: up.contentType, CustomerReference: up.reference}
	doc := &documentRecord{d: filled(d, up.data, s.now()), data: up.data}
	s.mu.Lock()
	s.st.addDocument(doc)
	s.mu.Unlock()
	writeData(w, http.StatusOK, doc.d)
}

func (s *Server) errTooLarge() *apiError {
	return errInvalid("/file", fmt.Sprintf("The file is larger than %d bytes.", s.cfg.maxUpload))
}

// readMultipart streams the parts of the form, keeping the file.
func (s *Server) readMultipart(r *http.Request) (*upload, *apiError) {
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, &apiError{status: http.StatusBadRequest, code: "10015", title: "Bad Request", detail: "The multipart body is malformed: " + err.Error()}
	}
	up := &upload{}
	gotFile := false
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, &apiError{status: http.StatusBadRequest, code: "10015", title: "Bad Request", detail: "The multipart body is malformed: " + err.Error()}
		}
		switch part.FormName() {
		case "file":
			var buf bytes.Buffer
			n, err := io.Copy(&buf, io.LimitReader(part, s.cfg.maxUpload+1))
			if err != nil {
				return nil, &apiError{status: http.StatusBadRequest, code: "10015", title: "Bad Request", detail: "The file could not be read: " + err.Error()}
			}
			if n > s.cfg.maxUpload {
				return nil, s.errTooLarge()
			}
			up.data, up.filename, gotFile = buf.Bytes(), part.FileName(), true
			up.contentType, _, _ = strings.Cut(part.Header.Get("Content-Type"), ";")
		case "customer_reference":
			b, _ := io.ReadAll(io.LimitReader(part, 4096))
			up.reference = string(b)
		default:
			_, _ = io.Copy(io.Discard, part)
		}
		_ = part.Close() // always nil: it only drains what was left unread
	}
	if !gotFile {
		return nil, errMissing("/file", "The form has no file part.")
	}
	return up, nil
}

// readJSONUpload reads the JSON form of an upload.
func (s *Server) readJSONUpload(r *http.Request) (*upload, *apiError) {
	body, e := readJSON(r)
	if e != nil {
		return nil, e
	}
	var file, link string
	up := &upload{}
	for _, m := range []struct {
		name string
		dst  *string
	}{{"file", &file}, {"url", &link}, {"filename", &up.filename}, {"customer_reference", &up.reference}} {
		if _, e := member(body, m.name, m.dst); e != nil {
			return nil, e
		}
	}
	switch {
	case link != "" && file != "":
		return nil, errInvalid("/url", "Send either url or file, not both.")
	case link != "":
		return uploadFromURL(up, link)
	case file == "":
		return nil, errMissing("/file", "file (base64) or url is required.")
	}
	data, err := base64.StdEncoding.DecodeString(file)
	if err != nil {
		return nil, errInvalid("/file", "file is not valid base64.")
	}
	if int64(len(data)) > s.cfg.maxUpload {
		return nil, s.errTooLarge()
	}
	up.data = data
	return up, nil
}

// uploadFromURL completes the upload of a document the API would fetch from
// link, which must be an absolute http(s) URL. The fake fetches nothing: it
// stores placeholderFor(link). Without a filename, the URL's last path
// segment names the document.
func uploadFromURL(up *upload, link string) (*upload, *apiError) {
	u, err := url.Parse(link)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, errInvalid("/url", fmt.Sprintf("%q is not an absolute http(s) URL.", link))
	}
	if base := path.Base(u.Path); up.filename == "" && base != "/" && base != "." {
		up.filename = base
	}
	up.data = placeholderFor(link)
	return up, nil
}

// placeholderFor is what the fake stores for a document uploaded by URL: it
// cannot fetch the internet, so the bytes only name the URL.
func placeholderFor(link string) []byte {
	return []byte("telnyxtest placeholder: the document at " + link + " was not fetched\n")
}

// downloadDocument serves GET /documents/{id}/download.
func (s *Server) downloadDocument(w http.ResponseWriter, id string) {
	d, data, ok := s.Document(id)
	if !ok {
		writeError(w, errNotFound("document", id))
		return
	}
	h := w.Header()
	h.Set("Content-Type", d.ContentType)
	h.Set("Content-Length", strconv.Itoa(len(data)))
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": d.Filename}))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(data)
}

// GET /portouts/{id}/supporting_documents answers 200 (the API reference
// says 201 for this read, which looks like a slip).
func (s *Server) listSupportingDocuments(w http.ResponseWriter, id string) {
	s.mu.Lock()
	rec := s.st.portout(id)
	var out []telnyx.PortoutSupportingDocument
	if rec != nil {
		out = append([]telnyx.PortoutSupportingDocument{}, rec.supportingDocs...)
	}
	s.mu.Unlock()
	if rec == nil {
		writeError(w, errNotFound("port-out", id))
		return
	}
	writeData(w, http.StatusOK, out)
}

const maxSupportingDocuments = 10

// POST /portouts/{id}/supporting_documents links 1 to 10 uploaded documents,
// each loa or invoice; a document_id that names no uploaded document is a
// 422. All are linked, or none. Each document gets a document link to the
// port-out (see links.go).
func (s *Server) createSupportingDocuments(w http.ResponseWriter, r *http.Request, id string) {
	var docs []struct {
		DocumentID *string `json:"document_id"`
		Type       *string `json:"type"`
	}
	body, e := readJSON(r)
	if e == nil {
		var ok bool
		ok, e = member(body, "documents", &docs)
		if e == nil && !ok {
			e = errMissing("/documents", "documents is required.")
		}
	}
	if e == nil && (len(docs) < 1 || len(docs) > maxSupportingDocuments) {
		e = errInvalid("/documents", fmt.Sprintf("documents holds %d items; 1 to %d are accepted.", len(docs), maxSupportingDocuments))
	}
	for i, d := range docs {
		if e != nil {
			break
		}
		switch {
		case d.DocumentID == nil || *d.DocumentID == "":
			e = errMissing(fmt.Sprintf("/documents/%d/document_id", i), "document_id is required.")
		case d.Type == nil:
			e = errMissing(fmt.Sprintf("/documents/%d/type", i), "type is required.")
		case !telnyx.SupportingDocumentType(*d.Type).Valid():
			e = errInvalid(fmt.Sprintf("/documents/%d/type", i), fmt.Sprintf("%q is neither loa nor invoice.", *d.Type))
		}
	}

	s.mu.Lock()
	rec := s.st.portout(id)
	if rec == nil {
		e = errNotFound("port-out", id)
	}
	for i, d := range docs {
		if e != nil {
			break
		}
		if s.st.documents[*d.DocumentID] == nil {
			e = &apiError{
				status: http.StatusUnprocessableEntity, code: "10017", title: "Associated resource does not exist",
				detail:  fmt.Sprintf("No uploaded document with ID %q.", *d.DocumentID),
				pointer: fmt.Sprintf("/documents/%d/document_id", i),
			}
		}
	}
	if e != nil {
		s.mu.Unlock()
		writeError(w, e)
		return
	}
	now := s.now()
	out := make([]telnyx.PortoutSupportingDocument, len(docs))
	for i, d := range docs {
		out[i] = s.st.support(rec, *d.DocumentID, telnyx.SupportingDocumentType(*d.Type), now)
	}
	s.mu.Unlock()
	writeData(w, http.StatusCreated, out)
}
