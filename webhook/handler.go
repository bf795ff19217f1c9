package webhook

import (
	"context"
	"errors"
	"io"
	"net/http"

	telnyx "github.com/a54710f5/telnyx-go"
)

// maxBodySize is the largest request body Handler reads. Port-out events
// are well under a kilobyte.
const maxBodySize = 1 << 20

// Handler returns an http.Handler that receives Telnyx webhook deliveries:
// it verifies and decodes each one with ParseEvent and passes the event to
// fn with the request's context. It answers:
//
//   - 200 OK when fn returns nil;
//   - 405 Method Not Allowed, with Allow: POST, for any method but POST;
//   - 413 Request Entity Too Large for a body over 1 MiB;
//   - 401 Unauthorized when a signature header is missing (ErrMissingHeader),
//     the signature does not match (ErrInvalidSignature), or the timestamp
//     is out of tolerance (ErrTimestampOutOfTolerance);
//   - 400 Bad Request when a header is malformed (ErrMalformedHeader), the
//     verified body is not a port-out event (ErrMalformedBody), or the body
//     could not be read;
//   - 500 Internal Server Error when fn returns an error, so that Telnyx
//     delivers the event again, or when v was not created by NewVerifier.
//
// fn is called only for verified, decoded events, at most once per request.
// The response body is a short fixed text that never includes the error,
// so neither fn's errors nor verification details reach the sender; log them
// in fn. Handler panics if fn is nil.
func (v *Verifier) Handler(fn func(context.Context, *telnyx.PortoutEvent) error) http.Handler {
	if fn == nil {
		panic("telnyx: webhook: Handler: nil callback")
	}
	return &handler{v: v, fn: fn}
}

type handler struct {
	v  *Verifier
	fn func(context.Context, *telnyx.PortoutEvent) error
}

// ErrMethodNotAllowed is the reason WithOnReject is given for a request
// whose method is not POST.
var ErrMethodNotAllowed = errors.New("telnyx: webhook: method not allowed: use POST")

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		h.reject(w, r, http.StatusMethodNotAllowed, ErrMethodNotAllowed)
		return
	}
	if r.ContentLength > maxBodySize {
		h.reject(w, r, http.StatusRequestEntityTooLarge, &http.MaxBytesError{Limit: maxBodySize})
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodySize))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			h.reject(w, r, http.StatusRequestEntityTooLarge, err)
		} else {
			h.reject(w, r, http.StatusBadRequest, err)
		}
		return
	}
	ev, err := h.v.ParseEvent(body, r.Header)
	if err != nil {
		h.reject(w, r, statusFor(err), err)
		return
	}
	if err := h.fn(r.Context(), ev); err != nil {
		h.reject(w, r, http.StatusInternalServerError, err)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// reject tells the WithOnReject function, if any, then answers status.
func (h *handler) reject(w http.ResponseWriter, r *http.Request, status int, err error) {
	if h.v != nil && h.v.onReject != nil {
		h.v.onReject(r, status, err)
	}
	reply(w, status)
}

// statusFor maps a ParseEvent error to the handler's response status.
func statusFor(err error) int {
	switch {
	case errors.Is(err, ErrMissingHeader),
		errors.Is(err, ErrInvalidSignature),
		errors.Is(err, ErrTimestampOutOfTolerance):
		return http.StatusUnauthorized
	case errors.Is(err, ErrMalformedHeader), errors.Is(err, ErrMalformedBody):
		return http.StatusBadRequest
	default:
		return http.StatusInternalServerError
	}
}

// replies are the fixed response texts, one per status the handler sends.
var replies = map[int]string{
	http.StatusBadRequest:            "malformed webhook request",
	http.StatusUnauthorized:          "webhook signature not verified",
	http.StatusMethodNotAllowed:      "method not allowed: use POST",
	http.StatusRequestEntityTooLarge: "webhook body too large",
	http.StatusInternalServerError:   "webhook not processed",
}

// reply writes status with its fixed text as a plain-text body.
func reply(w http.ResponseWriter, status int) {
	http.Error(w, replies[status], status)
}
