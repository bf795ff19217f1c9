package telnyx

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"path"
	"reflect"
	"strings"
	"time"

	"github.com/a54710f5/telnyx-go/internal/jsontime"
)

// DocumentService uploads and downloads documents: the files behind
// supporting documents and the CSV of completed reports.
type DocumentService service

// Document is a file stored by Telnyx.
type Document struct {
	ID                string `json:"id"`
	Filename          string `json:"filename"`
	ContentType       string `json:"content_type"`
	CustomerReference string `json:"customer_reference"`
	SHA256            string `json:"sha256"`
	Status            string `json:"status"`         // pending, verified, denied
	AVScanStatus      string `json:"av_scan_status"` // scanned, infected, pending_scan, not_scanned
	RecordType        string `json:"record_type"`
	// Size is the file's size in bytes (size.amount, whose unit is bytes).
	Size      int64     `json:"-"`
	CreatedAt time.Time `json:"-"`
	UpdatedAt time.Time `json:"-"`
}

type documentSize struct {
	Amount int64  `json:"amount"`
	Unit   string `json:"unit,omitempty"`
}

// UnmarshalJSON decodes the API's form.
func (d *Document) UnmarshalJSON(b []byte) error {
	type alias Document
	aux := struct {
		*alias
		Size      *documentSize  `json:"size"`
		CreatedAt *jsontime.Time `json:"created_at"`
		UpdatedAt *jsontime.Time `json:"updated_at"`
	}{alias: (*alias)(d), CreatedAt: (*jsontime.Time)(&d.CreatedAt), UpdatedAt: (*jsontime.Time)(&d.UpdatedAt)}
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	if aux.Size != nil {
		d.Size = aux.Size.Amount
	}
	return nil
}

// MarshalJSON encodes the API's form.
func (d Document) MarshalJSON() ([]byte, error) {
	type alias Document
	return json.Marshal(struct {
		alias
		Size      documentSize  `json:"size"`
		CreatedAt jsontime.Time `json:"created_at"`
		UpdatedAt jsontime.Time `json:"updated_at"`
	}{alias(d), documentSize{Amount: d.Size, Unit: "bytes"}, jsontime.Time(d.CreatedAt), jsontime.Time(d.UpdatedAt)})
}

// DocumentUploadParams describes a file to upload.
type DocumentUploadParams struct {
	Filename          string    // the name Telnyx stores, such as "loa.pdf"
	File              io.Reader // read as it is sent, never held whole in memory
	CustomerReference string    // optional, for your own look-ups
}

// Upload sends a file as multipart/form-data, streaming it from
// params.File. Telnyx deletes an upload that is not linked to anything (such
// as a port-out's supporting documents) within 30 minutes.
//
// An upload creates a document, so it is retried only when the server
// cannot have acted on it (the connection failed, or the answer is 408 or
// 429), and only when params.File is an io.Seeker that can be read again
// from the start. A 5xx is never retried.
func (s *DocumentService) Upload(ctx context.Context, params DocumentUploadParams, opts ...Option) (*Document, error) {
	if isNil(params.File) {
		return nil, invalid("File", "must not be nil")
	}
	name := strings.TrimSpace(params.Filename)
	if name == "" {
		return nil, invalid("Filename", "must not be empty")
	}
	r, err := newRequest("POST", "documents")
	if err != nil {
		return nil, err
	}
	up, err := newUpload(params.File, name, params.CustomerReference)
	if err != nil {
		return nil, err
	}
	defer up.wait()
	r.newBody = up.open
	r.contentType = up.contentType
	r.noReplay = !up.replayable()
	return callPtr[Document](ctx, s.c, r, opts)
}

// upload produces a multipart body from a reader, one attempt at a time.
type upload struct {
	file        io.Reader
	name        string
	reference   string
	boundary    string
	contentType string
	start       int64         // where a seekable file starts
	done        chan struct{} // closed when the previous attempt's writer ends
	body        *io.PipeReader
	opened      bool
}

func newUpload(file io.Reader, name, reference string) (*upload, error) {
	mw := multipart.NewWriter(io.Discard)
	up := &upload{
		file:        file,
		name:        name,
		reference:   reference,
		boundary:    mw.Boundary(),
		contentType: mw.FormDataContentType(),
	}
	if sk, ok := file.(io.Seeker); ok {
		pos, err := sk.Seek(0, io.SeekCurrent)
		if err != nil {
			return nil, invalid("File", "cannot tell its position: "+err.Error())
		}
		up.start = pos
	}
	return up, nil
}

func (u *upload) replayable() bool {
	_, ok := u.file.(io.Seeker)
	return ok
}

// open starts writing the body into a pipe and returns its reading end.
func (u *upload) open() (io.ReadCloser, error) {
	if u.opened {
		u.wait()
		if _, err := u.file.(io.Seeker).Seek(u.start, io.SeekStart); err != nil {
			return nil, err
		}
	}
	u.opened = true
	pr, pw := io.Pipe()
	done := make(chan struct{})
	u.done, u.body = done, pr
	go func() {
		defer close(done)
		pw.CloseWithError(u.write(pw))
	}()
	return pr, nil
}

// wait ends the last attempt's body and blocks until its writer has
// returned, so that no goroutine reads the caller's file after Upload
// returns. Closing the reading end first unblocks a writer whose body was
// never read to the end: a server that answered early, or a RoundTripper
// that does not close request bodies.
func (u *upload) wait() {
	if u.body != nil {
		_ = u.body.CloseWithError(errUploadDone)
	}
	if u.done != nil {
		<-u.done
	}
}

var errUploadDone = errors.New("upload attempt ended")

func (u *upload) write(w io.Writer) error {
	mw := multipart.NewWriter(w)
	if err := mw.SetBoundary(u.boundary); err != nil {
		return err
	}
	if u.reference != "" {
		if err := mw.WriteField("customer_reference", u.reference); err != nil {
			return err
		}
	}
	h := make(textproto.MIMEHeader, 2)
	h.Set("Content-Disposition", `form-data; name="file"; filename="`+quoteParam.Replace(u.name)+`"`)
	ct := mime.TypeByExtension(strings.ToLower(path.Ext(u.name)))
	if ct == "" {
		ct = "application/octet-stream"
	}
	h.Set("Content-Type", ct)
	part, err := mw.CreatePart(h)
	if err != nil {
		return err
	}
	if _, err := io.Copy(part, u.file); err != nil {
		return fmt.Errorf("reading %s: %w", u.name, err)
	}
	return mw.Close()
}

// quoteParam escapes a Content-Disposition parameter for a quoted string.
// The header is written in the form browsers send (name first, values always
// quoted, UTF-8 as is), which every multipart parser reads; the RFC 2231
// form that mime.FormatMediaType may choose is not understood by all.
var quoteParam = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\r", "%0D", "\n", "%0A")

// Download streams the document's bytes into w and returns how many were
// written. A failure before the first byte is retried like any GET; once
// bytes have reached w, it is not.
func (s *DocumentService) Download(ctx context.Context, id string, w io.Writer, opts ...Option) (int64, error) {
	if isNil(w) {
		return 0, invalid("w", "must not be nil")
	}
	r, err := newRequest("GET", "documents/{id}/download", id)
	if err != nil {
		return 0, err
	}
	cfg, err := s.c.config(opts)
	if err != nil {
		return 0, err
	}
	var n int64
	r.accept = "*/*"
	r.stream = func(resp *http.Response, attempt int) error {
		written, err := io.Copy(w, resp.Body)
		n += written
		if err != nil {
			return &ConnectionError{Method: r.method, Path: r.route, Attempts: attempt, Err: fmt.Errorf("after %d bytes: %w", n, err)}
		}
		return nil
	}
	err = s.c.do(ctx, cfg, r)
	return n, err
}

// isNil reports whether v is nil or an interface holding a nil pointer (a
// typed nil such as (*os.File)(nil)), which would fail only once streaming.
func isNil(v any) bool {
	if v == nil {
		return true
	}
	switch rv := reflect.ValueOf(v); rv.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Func, reflect.Chan, reflect.Interface:
		return rv.IsNil()
	}
	return false
}
