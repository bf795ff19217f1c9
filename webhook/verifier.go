package webhook

import (
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// The headers Telnyx sets on every webhook delivery.
const (
	SignatureHeader = "Telnyx-Signature-Ed25519"
	TimestampHeader = "Telnyx-Timestamp"
)

// DefaultTolerance is how far the telnyx-timestamp header may be from the
// verifier's clock, in either direction, when WithTolerance is not given.
const DefaultTolerance = 5 * time.Minute

// Errors returned by Verify, ParseEvent and NewVerifier. Test for them with
// errors.Is; the returned errors wrap them with the header or field at fault.
var (
	// ErrMissingHeader means telnyx-signature-ed25519 or telnyx-timestamp is
	// absent or empty.
	ErrMissingHeader = errors.New("telnyx: webhook: missing header")
	// ErrMalformedHeader means a header is present but unusable: the
	// signature is not base64 of 64 bytes, the timestamp is not a Unix time
	// in decimal seconds, or the header is repeated.
	ErrMalformedHeader = errors.New("telnyx: webhook: malformed header")
	// ErrInvalidSignature means the signature does not match the timestamp
	// and body for the verifier's public key: the body was altered, it was
	// signed with another key, or it was not signed by Telnyx at all.
	ErrInvalidSignature = errors.New("telnyx: webhook: invalid signature")
	// ErrTimestampOutOfTolerance means the signature is valid but its
	// timestamp is further from the verifier's clock than the tolerance: a
	// replayed delivery, or a badly skewed clock.
	ErrTimestampOutOfTolerance = errors.New("telnyx: webhook: timestamp out of tolerance")
	// ErrMalformedBody means a verified body is not a port-out event: not a
	// JSON object, neither a flat event nor a {"data": {...}} envelope, no
	// event_type, or a field of the wrong type.
	ErrMalformedBody = errors.New("telnyx: webhook: malformed body")
	// ErrInvalidPublicKey is wrapped by the error NewVerifier returns for a
	// key that is not base64 of a 32-byte Ed25519 public key, that is not
	// the canonical encoding of a point on the curve, or that is a point of
	// small order (such as 32 zero bytes), with which forged signatures
	// would verify.
	ErrInvalidPublicKey = errors.New("telnyx: webhook: invalid public key")
)

// Verifier checks the signatures of webhook deliveries against one Telnyx
// public key. Create it with NewVerifier; the zero value rejects every
// delivery. A Verifier is safe for concurrent use.
type Verifier struct {
	key       ed25519.PublicKey
	tolerance time.Duration
	now       func() time.Time
	onReject  func(r *http.Request, status int, err error)
	err       error // first invalid option, reported by NewVerifier
}

// VerifierOption configures a Verifier in NewVerifier.
type VerifierOption func(*Verifier)

// WithTolerance sets how far the telnyx-timestamp header may be from the
// current time, in the past or the future. It defaults to DefaultTolerance
// (5 minutes). d must be positive; NewVerifier rejects other values.
func WithTolerance(d time.Duration) VerifierOption {
	return func(v *Verifier) {
		if d <= 0 {
			v.setErr(fmt.Errorf("telnyx: webhook: WithTolerance: %v is not positive", d))
			return
		}
		v.tolerance = d
	}
}

// WithClock replaces time.Now as the source of the current time, for tests
// and for replaying recorded deliveries. now must not be nil.
func WithClock(now func() time.Time) VerifierOption {
	return func(v *Verifier) {
		if now == nil {
			v.setErr(errors.New("telnyx: webhook: WithClock: nil clock"))
			return
		}
		v.now = now
	}
}

// WithOnReject sets a function that Handler calls whenever it answers
// anything but 200: status is the answer, and err says why (ErrMissingHeader,
// ErrInvalidSignature, ErrTimestampOutOfTolerance, ErrMalformedHeader,
// ErrMalformedBody, the callback's own error for a 500, or ErrMethodNotAllowed
// and *http.MaxBytesError). It is the place to log or count refused
// deliveries, such as those signed with another account's key, which are
// otherwise silent. It runs on the request's goroutine, before the answer is
// written.
func WithOnReject(fn func(r *http.Request, status int, err error)) VerifierOption {
	return func(v *Verifier) {
		if fn == nil {
			v.setErr(errors.New("telnyx: webhook: WithOnReject: nil function"))
			return
		}
		v.onReject = fn
	}
}

func (v *Verifier) setErr(err error) {
	if v.err == nil {
		v.err = err
	}
}

// NewVerifier returns a Verifier for publicKey, the account's Ed25519 public
// key in base64 as the Telnyx portal shows it. Standard and URL-safe
// alphabets are accepted, padded or not, and surrounding white space is
// ignored (keys often come from environment variables or files).
//
// The error wraps ErrInvalidPublicKey when the key does not decode to
// exactly 32 bytes, when those bytes are not the canonical encoding of a
// point on the Ed25519 curve, or when the point has small order (the
// identity, 32 zero bytes, and the other points of order 2, 4 or 8, in any
// encoding): crypto/ed25519 accepts such a key, and then one fixed signature
// verifies many bodies, or all of them. An invalid option is an error too.
func NewVerifier(publicKey string, opts ...VerifierOption) (*Verifier, error) {
	raw, ok := decodeBase64(strings.TrimSpace(publicKey), ed25519.PublicKeySize)
	if !ok {
		return nil, fmt.Errorf("%w: want base64 of %d bytes", ErrInvalidPublicKey, ed25519.PublicKeySize)
	}
	if err := checkPublicKey(raw); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidPublicKey, err)
	}
	v := &Verifier{key: ed25519.PublicKey(raw), tolerance: DefaultTolerance, now: time.Now}
	for _, o := range opts {
		if o != nil {
			o(v)
		}
	}
	if v.err != nil {
		return nil, v.err
	}
	return v, nil
}

// encodings are tried in order by decodeBase64. Telnyx uses the standard
// padded form; the others cost nothing and spare users a confusing error
// when a key went through a tool that re-encodes it.
var encodings = []*base64.Encoding{
	base64.StdEncoding,
	base64.RawStdEncoding,
	base64.URLEncoding,
	base64.RawURLEncoding,
}

// decodeBase64 decodes s in any of the encodings, succeeding only when the
// result has exactly n bytes.
func decodeBase64(s string, n int) ([]byte, bool) {
	if s == "" || len(s) > base64.StdEncoding.EncodedLen(n)+4 {
		return nil, false
	}
	for _, enc := range encodings {
		b, err := enc.DecodeString(s)
		if err == nil && len(b) == n {
			return b, true
		}
	}
	return nil, false
}

// maxTimestampLen bounds the telnyx-timestamp header: Unix seconds need 10
// digits until the year 2286, and int64 holds 19.
const maxTimestampLen = 19

// Verify checks that body and header form a delivery signed by Telnyx with
// the verifier's key, within the tolerance of the current time. body must be
// the raw request body exactly as received: re-encoded JSON does not verify.
//
// The checks run in this order, and the error wraps the sentinel of the
// first that fails: both headers present (ErrMissingHeader), both well
// formed (ErrMalformedHeader), the signature over timestamp + "|" + body
// (ErrInvalidSignature), then the timestamp within the tolerance
// (ErrTimestampOutOfTolerance). So ErrTimestampOutOfTolerance is only
// reported for deliveries that Telnyx did sign.
//
// Header names are matched case-insensitively, also in an http.Header that
// was built by hand without canonical keys. Verify never panics on any
// input.
func (v *Verifier) Verify(body []byte, header http.Header) error {
	if v == nil || len(v.key) != ed25519.PublicKeySize {
		return errors.New("telnyx: webhook: Verifier not created by NewVerifier")
	}
	sigText, err := headerValue(header, SignatureHeader)
	if err != nil {
		return err
	}
	tsText, err := headerValue(header, TimestampHeader)
	if err != nil {
		return err
	}
	sig, ok := decodeBase64(sigText, ed25519.SignatureSize)
	if !ok {
		return fmt.Errorf("%w: %s is not base64 of %d bytes", ErrMalformedHeader, strings.ToLower(SignatureHeader), ed25519.SignatureSize)
	}
	ts, ok := parseTimestamp(tsText)
	if !ok {
		return fmt.Errorf("%w: %s is not a Unix time in seconds", ErrMalformedHeader, strings.ToLower(TimestampHeader))
	}

	msg := make([]byte, 0, len(tsText)+1+len(body))
	msg = append(msg, tsText...)
	msg = append(msg, '|')
	msg = append(msg, body...)
	if !ed25519.Verify(v.key, msg, sig) {
		return ErrInvalidSignature
	}

	if !v.withinTolerance(ts) {
		return fmt.Errorf("%w: signed at %d, more than %v from now", ErrTimestampOutOfTolerance, ts, v.tolerance)
	}
	return nil
}

// headerValue returns the single value of the header name, trimmed of the
// optional white space HTTP allows around it. Keys are compared without
// regard to case, so hand-built maps with lower-case keys work too.
func headerValue(h http.Header, name string) (string, error) {
	vals := h[name]
	if len(vals) == 0 {
		for k, vs := range h {
			if strings.EqualFold(k, name) {
				vals = append(vals, vs...)
			}
		}
	}
	lower := strings.ToLower(name)
	switch len(vals) {
	case 0:
		return "", fmt.Errorf("%w: %s", ErrMissingHeader, lower)
	case 1:
	default:
		return "", fmt.Errorf("%w: %s is repeated", ErrMalformedHeader, lower)
	}
	s := strings.Trim(vals[0], " \t")
	if s == "" {
		return "", fmt.Errorf("%w: %s is empty", ErrMissingHeader, lower)
	}
	return s, nil
}

// parseTimestamp reads decimal Unix seconds: ASCII digits only, no sign.
func parseTimestamp(s string) (int64, bool) {
	if len(s) > maxTimestampLen {
		return 0, false
	}
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

// withinTolerance reports whether the Unix time ts is at most v.tolerance
// away from v.now(), in either direction.
func (v *Verifier) withinTolerance(ts int64) bool {
	now := v.now()
	// Rule out far-away values in whole seconds first, so that converting
	// them to a time.Time or a Duration cannot overflow.
	slack := int64(v.tolerance/time.Second) + 1
	if farApart(now.Unix(), ts, slack) {
		return false
	}
	d := now.Sub(time.Unix(ts, 0))
	return d <= v.tolerance && d >= -v.tolerance
}

// farApart reports whether a and b differ by more than limit (limit >= 0),
// without overflowing for any int64 values.
func farApart(a, b, limit int64) bool {
	if (a >= 0) != (b >= 0) {
		// Opposite signs: a-b may overflow, but |a-b| = |a|+|b| > limit
		// unless both are small.
		if a > limit || b > limit || a < -limit || b < -limit {
			return true
		}
	}
	d := a - b
	return d > limit || d < -limit
}
