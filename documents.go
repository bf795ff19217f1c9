package telnyx

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/a54710f5/telnyx-go/internal/wire"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"path"
	"reflect"
	"strings"
	"time"
)

// DocumentService uploads and downloads documents: the files behind
// supporting documents and the CSV of completed reports.
type DocumentService service

// DocumentStatus is where Telnyx's review of a document stands. A status
// the API sends that this SDK does not know is kept as it is.
type DocumentStatus string

// The review statuses of a document.
const (
	DocumentStatusPending  DocumentStatus = "pending"  // not reviewed yet
	DocumentStatusVerified DocumentStatus = "verified" // accepted by the review
	DocumentStatusDenied   DocumentStatus = "denied"   // refused by the review
)

// DocumentAVScanStatus is the state of a document's antivirus scan. A value
// the API sends that this SDK does not know is kept as it is.
type DocumentAVScanStatus string

// The antivirus scan statuses of a document.
const (
	DocumentAVScanned     DocumentAVScanStatus = "scanned"      // scanned and found clean
	DocumentAVInfected    DocumentAVScanStatus = "infected"     // the scan found malware
	DocumentAVPendingScan DocumentAVScanStatus = "pending_scan" // waiting for its scan
	DocumentAVNotScanned  DocumentAVScanStatus = "not_scanned"  // will not be scanned
)

// Document is a file stored by Telnyx.
type Document struct {
	ID                string `json:"id"`
	Filename          string `json:"filename"`
	ContentType       string `json:"content_type"`
	CustomerReference string `json:"customer_reference"`
	// SHA256 is the hex SHA-256 of the file, for checking a download.
	SHA256 string `json:"sha256"`
	// Status is the review of the document by Telnyx.
	Status DocumentStatus `json:"status"`
	// AVScanStatus is the state of its antivirus scan.
	AVScanStatus DocumentAVScanStatus `json:"av_scan_status"`
	RecordType   string               `json:"record_type"` // "document"
	// Size is the file's size: size.amount on the wire, in SizeUnit.
	Size int64 `json:"size.amount"`
	// SizeUnit is size.unit on the wire: "bytes".
	SizeUnit  string    `json:"size.unit,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`

	// Extra holds the members this SDK does not name, verbatim (see
	// Portout.Extra); nil when there are none.
	Extra map[string]json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes the API's form: timestamps in any layout the API
// uses, unknown members into Extra.
func (d *Document) UnmarshalJSON(b []byte) error { return wire.Unmarshal(b, d) }

// MarshalJSON encodes the API's form, zero times as null, Extra included.
func (d Document) MarshalJSON() ([]byte, error) { return wire.Marshal(&d) }

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
	if err := checkFilename("Filename", params.Filename); err != nil {
		return nil, err
	}
	up, err := newUpload(params.File, strings.TrimSpace(params.Filename), params.CustomerReference)
	if err != nil {
		return nil, err
	}
	r := request{method: http.MethodPost, route: documentsRoute, upload: up}
	return fetch[Document](ctx, (*service)(s).client(), r, opts)
}

// checkFilename says why name cannot be an upload's file name: it is blank,
// or it holds a control character that a multipart header cannot carry.
// Upload and Attach share it, so that Attach refuses a bad name before it
// uploads any file.
func checkFilename(field, name string) error {
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return invalid(field, "must not be empty")
	case strings.ContainsFunc(name, isControlNotCRLF):
		return invalid(field, fmt.Sprintf("%q contains a control character", name))
	}
	return nil
}

// isControlNotCRLF reports a control character that a multipart header
// cannot carry. CR and LF are escaped instead (see quoteParam), as browsers
// do.
func isControlNotCRLF(r rune) bool {
	return (r < 0x20 || r == 0x7f) && r != '\r' && r != '\n'
}

// upload produces a multipart body from a reader, one attempt at a time.
// Each attempt's body is written by a goroutine into a pipe. The call never
// waits for that goroutine once the attempt is over: a reader that does not
// return holds only the goroutine, which ends when the reader does.
type upload struct {
	file        io.Reader
	name        string
	reference   string
	boundary    string
	contentType string
	start       int64         // where a seekable file starts
	done        chan struct{} // closed when the last attempt's writer returns
	body        *io.PipeReader
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

// open starts writing the body into a pipe and returns its reading end. A
// second attempt first waits, as long as ctx allows, for the first
// attempt's writer to let go of the file, then rewinds it.
func (u *upload) open(ctx context.Context) (io.ReadCloser, error) {
	if u.done != nil {
		u.release()
		select {
		case <-u.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if _, err := u.file.(io.Seeker).Seek(u.start, io.SeekStart); err != nil {
			return nil, err
		}
	}
	pr, pw := io.Pipe()
	done := make(chan struct{})
	u.done, u.body = done, pr
	go func() {
		defer close(done)
		defer func() {
			// The caller's reader runs on this goroutine, where the
			// caller's recover cannot reach: its panic fails the upload.
			if v := recover(); v != nil {
				pw.CloseWithError(&readerPanic{name: u.name, value: v})
			}
		}()
		pw.CloseWithError(u.write(pw))
	}()
	return pr, nil
}

// release ends the last attempt's body, so that its writer stops at its next
// write. It does not wait for the writer.
func (u *upload) release() {
	if u.body != nil {
		_ = u.body.CloseWithError(errUploadDone)
	}
}

var errUploadDone = errors.New("upload attempt ended")

// readerPanic is the error of an upload whose reader panicked.
type readerPanic struct {
	name  string
	value any
}

func (e *readerPanic) Error() string {
	return fmt.Sprintf("reading %s panicked: %v", e.name, e.value)
}

// isReaderPanic reports whether err comes from a reader that panicked: such
// an upload is never retried.
func isReaderPanic(err error) bool {
	var rp *readerPanic
	return errors.As(err, &rp)
}

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
	var n int64
	stream := streamFunc(func(resp *http.Response, _ int) (bool, error) {
		written, err := io.Copy(w, resp.Body)
		n += written
		if err != nil {
			return written > 0, fmt.Errorf("after %d bytes: %w", n, err)
		}
		return true, nil
	})
	r := request{method: http.MethodGet, route: "documents/{id}/download", ids: []string{id}, accept: "*/*"}
	err := (*service)(s).client().do(ctx, r, stream, opts)
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
