package telnyx

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Sentinel errors. errors.Is reports whether an *APIError carries the matching
// HTTP status; ErrServer matches every 5xx status.
var (
	// ErrMissingAPIKey is wrapped by NewClient's error when neither WithAPIKey
	// nor TELNYX_API_KEY supplies a key.
	ErrMissingAPIKey = errors.New("telnyx: missing API key (set TELNYX_API_KEY or use WithAPIKey)")

	ErrBadRequest    = errors.New("telnyx: bad request")          // 400
	ErrUnauthorized  = errors.New("telnyx: unauthorized")         // 401
	ErrForbidden     = errors.New("telnyx: forbidden")            // 403
	ErrNotFound      = errors.New("telnyx: not found")            // 404
	ErrConflict      = errors.New("telnyx: conflict")             // 409
	ErrUnprocessable = errors.New("telnyx: unprocessable entity") // 422
	ErrRateLimited   = errors.New("telnyx: rate limited")         // 429
	ErrServer        = errors.New("telnyx: server error")         // any 5xx
)

// APIError is returned when the API answered with a status outside 2xx.
type APIError struct {
	StatusCode int
	Method     string
	Path       string        // request route relative to the base URL, without query: "/portouts/{id}"
	RequestID  string        // from the X-Request-Id or Request-Id response header
	Errors     []ErrorDetail // the "errors" array of Telnyx's error body, when present
	Body       []byte        // the raw body, at most 1 MiB, kept even when it is not JSON; an echoed API key is masked
	RetryAfter time.Duration // what Retry-After-Ms or Retry-After asked for, when present
	Attempts   int           // how many attempts were made, this one included
}

// ErrorDetail is one entry of Telnyx's {"errors": [...]} body.
type ErrorDetail struct {
	Code   string         `json:"code"` // the API sends strings or numbers; both decode
	Title  string         `json:"title,omitempty"`
	Detail string         `json:"detail,omitempty"`
	Source ErrorSource    `json:"source,omitzero"`
	Meta   map[string]any `json:"meta,omitempty"`
}

// ErrorSource points at the part of the request an error is about.
type ErrorSource struct {
	Pointer   string `json:"pointer,omitempty"`
	Parameter string `json:"parameter,omitempty"`
}

// UnmarshalJSON accepts the code as a JSON string or number.
func (d *ErrorDetail) UnmarshalJSON(b []byte) error {
	type alias ErrorDetail
	aux := struct {
		*alias
		Code json.RawMessage `json:"code"`
	}{alias: (*alias)(d)}
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	d.Code = decodeCode(aux.Code)
	return nil
}

func decodeCode(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	if raw[0] == '"' {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return s
		}
		return ""
	}
	// A number (or anything else valid): keep its JSON text, so 10015 reads "10015".
	return string(raw)
}

// Error returns a one-line description: method, path, status, the first
// error's code, title and detail, and the request ID.
func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString("telnyx: ")
	b.WriteString(e.Method)
	b.WriteByte(' ')
	b.WriteString(e.Path)
	b.WriteString(": ")
	b.WriteString(strconv.Itoa(e.StatusCode))
	if t := http.StatusText(e.StatusCode); t != "" {
		b.WriteByte(' ')
		b.WriteString(t)
	}
	if len(e.Errors) > 0 {
		d := e.Errors[0]
		if d.Code != "" || d.Title != "" || d.Detail != "" {
			b.WriteByte(':')
		}
		for _, s := range []string{d.Code, d.Title} {
			if s != "" {
				b.WriteByte(' ')
				b.WriteString(oneLine(s))
			}
		}
		if d.Detail != "" {
			if d.Code != "" || d.Title != "" {
				b.WriteByte(':')
			}
			b.WriteByte(' ')
			b.WriteString(oneLine(d.Detail))
		}
		if src := firstNonEmpty(d.Source.Pointer, d.Source.Parameter); src != "" {
			b.WriteString(" (source ")
			b.WriteString(oneLine(src))
			b.WriteByte(')')
		}
		if n := len(e.Errors) - 1; n > 0 {
			b.WriteString(" (+")
			b.WriteString(strconv.Itoa(n))
			b.WriteString(" more)")
		}
	}
	if e.RetryAfter > 0 {
		b.WriteString(" (retry after ")
		b.WriteString(e.RetryAfter.String())
		b.WriteByte(')')
	}
	if e.RequestID != "" {
		b.WriteString(" [request ")
		b.WriteString(oneLine(e.RequestID))
		b.WriteByte(']')
	}
	return b.String()
}

// Is maps the status code to the package's sentinel errors.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrBadRequest:
		return e.StatusCode == http.StatusBadRequest
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized
	case ErrForbidden:
		return e.StatusCode == http.StatusForbidden
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound
	case ErrConflict:
		return e.StatusCode == http.StatusConflict
	case ErrUnprocessable:
		return e.StatusCode == http.StatusUnprocessableEntity
	case ErrRateLimited:
		return e.StatusCode == http.StatusTooManyRequests
	case ErrServer:
		return e.StatusCode >= 500 && e.StatusCode <= 599
	}
	return false
}

// ConnectionError is returned when a request never got an HTTP response:
// the connection was refused or reset, a timeout hit, or the context ended.
type ConnectionError struct {
	Method, Path string
	Attempts     int
	Err          error
}

func (e *ConnectionError) Error() string {
	msg := "<nil>"
	if e.Err != nil {
		msg = oneLine(e.Err.Error())
	}
	return "telnyx: " + e.Method + " " + e.Path + ": " + msg + " (after " + plural(e.Attempts, "attempt") + ")"
}

// Unwrap returns the underlying error, so that errors.Is(err,
// context.DeadlineExceeded) and the like see through it.
func (e *ConnectionError) Unwrap() error { return e.Err }

// DecodeError is returned when a successful response could not be decoded:
// malformed JSON, or a value of the wrong type such as an unreadable
// timestamp. The message names the field and the value.
type DecodeError struct {
	Method, Path string
	StatusCode   int
	Err          error
}

func (e *DecodeError) Error() string {
	return "telnyx: " + e.Method + " " + e.Path + ": decoding " + strconv.Itoa(e.StatusCode) + " response: " + oneLine(e.Err.Error())
}

// Unwrap returns the JSON error.
func (e *DecodeError) Unwrap() error { return e.Err }

// ReportError is returned by Wait and Export when a report ends in a state
// other than completed, disappears, or completes without a document.
type ReportError struct {
	ReportID string
	Status   PortoutReportStatus // the last status read; "" if the report vanished
	Reason   string
	Err      error // the underlying error, if any (such as an *APIError with 404)
}

func (e *ReportError) Error() string {
	msg := "telnyx: report " + e.ReportID + ": " + e.Reason
	if e.Err != nil {
		msg += ": " + oneLine(e.Err.Error())
	}
	return msg
}

// Unwrap returns the underlying error.
func (e *ReportError) Unwrap() error { return e.Err }

// AttachError is returned by Attach when it fails after some files were
// uploaded. Uploaded lists them, so that they can be linked by hand (with
// SupportingDocuments.Create) before Telnyx deletes unlinked uploads, 30
// minutes after upload.
type AttachError struct {
	PortoutID string
	Uploaded  []SupportingDocumentParam // the files uploaded before the failure
	Failed    string                    // the file whose upload failed; "" if linking failed
	Err       error
}

func (e *AttachError) Error() string {
	var b strings.Builder
	b.WriteString("telnyx: attach to port-out ")
	b.WriteString(e.PortoutID)
	if e.Failed != "" {
		b.WriteString(": uploading ")
		b.WriteString(e.Failed)
	} else {
		b.WriteString(": linking documents")
	}
	b.WriteString(": ")
	if e.Err != nil {
		b.WriteString(oneLine(e.Err.Error()))
	}
	if len(e.Uploaded) > 0 {
		var ce *ConnectionError
		if e.Failed == "" && errors.As(e.Err, &ce) {
			// The link request may have reached Telnyx before the failure.
			b.WriteString(" (uploaded, link unconfirmed: ")
		} else {
			b.WriteString(" (uploaded, not linked: ")
		}
		for i, d := range e.Uploaded {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(d.DocumentID)
		}
		b.WriteByte(')')
	}
	return b.String()
}

// Unwrap returns the underlying error.
func (e *AttachError) Unwrap() error { return e.Err }

// InvalidParamsError reports an argument rejected before any request was sent.
type InvalidParamsError struct {
	Field, Reason string
}

func (e *InvalidParamsError) Error() string {
	return "telnyx: invalid " + e.Field + ": " + e.Reason
}

func invalid(field, reason string) error { return &InvalidParamsError{Field: field, Reason: reason} }

// newAPIError builds the error for a non-2xx answer whose body (already
// bounded; nil when it was not read) is body. Everything taken from the
// answer is masked: Body as text (unescaped where escapes hid the key), and
// the details decoded from the body as sent, with the key's clear runs
// masked, then masked again as decoded, in case the key came back
// JSON-escaped. Decoding the unescaped text instead would lose every detail
// of a body that also escapes a quote.
func newAPIError(method, path string, resp *http.Response, body []byte, attempts int, red redactor) *APIError {
	masked := red.runs(body)
	e := &APIError{
		StatusCode: resp.StatusCode,
		Method:     method,
		Path:       path,
		RequestID:  red.String(requestID(resp.Header)),
		Body:       red.unhide(masked),
		Attempts:   attempts,
	}
	e.Errors = decodeErrors(masked)
	red.details(e.Errors)
	return e
}

// decodeErrors reads Telnyx's {"errors": [...]} body. Anything else —
// HTML from a proxy, an empty body, malformed JSON — gives nil; the raw
// bytes stay in APIError.Body.
func decodeErrors(body []byte) []ErrorDetail {
	body = bytes.TrimSpace(body)
	if len(body) == 0 || body[0] != '{' {
		return nil
	}
	var env struct {
		Errors []ErrorDetail `json:"errors"`
	}
	if json.Unmarshal(body, &env) != nil {
		return nil
	}
	return env.Errors
}

func requestID(h http.Header) string {
	if id := h.Get("X-Request-Id"); id != "" {
		return id
	}
	return h.Get("Request-Id")
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// oneLine folds line breaks so that error strings stay on one line.
func oneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}
