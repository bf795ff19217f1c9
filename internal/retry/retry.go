// Package retry holds the pure retry policy of the client: which failures are
// worth another attempt, how long to wait before it, and how to read the
// server's own Retry-After hints. Nothing here sleeps or does I/O.
package retry

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Status reports whether a response with this status and headers may be
// retried. idempotent is true for GET and PATCH; for POST (false) only the
// answers that prove the server did not act are retried: 408, 429, or an
// explicit x-should-retry: true. x-should-retry: false forbids any retry.
func Status(idempotent bool, status int, h http.Header) bool {
	switch strings.ToLower(strings.TrimSpace(h.Get("X-Should-Retry"))) {
	case "true":
		return true
	case "false":
		return false
	}
	switch status {
	case http.StatusRequestTimeout, http.StatusTooManyRequests:
		return true
	case http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return idempotent
	}
	return false
}

// Error reports whether a transport error (no HTTP response) may be retried.
// wrote tells whether any part of the request may have reached the server;
// a non-idempotent request is retried only when it cannot have. The caller
// checks its own context first: a cancelled or expired caller context is
// never retried.
func Error(idempotent bool, err error, wrote bool) bool {
	if err == nil || !transient(err) {
		return false
	}
	if idempotent {
		return true
	}
	return !wrote || isDial(err)
}

// transient reports whether err looks like a failure another attempt may not
// hit: refused, reset, EOF, timeouts. Certificate and other configuration
// errors are not.
func transient(err error) bool {
	var certErr *tls.CertificateVerificationError
	var unknownAuth x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var invalidCert x509.CertificateInvalidError
	if errors.As(err, &certErr) || errors.As(err, &unknownAuth) ||
		errors.As(err, &hostErr) || errors.As(err, &invalidCert) {
		return false
	}
	if errors.Is(err, context.Canceled) {
		return false
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, io.EOF) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNREFUSED) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, syscall.ECONNABORTED) {
		return true
	}
	if IsStreamError(err) {
		return true
	}
	var netErr net.Error
	return errors.As(err, &netErr)
}

// IsStreamError reports whether err is HTTP/2 cutting a request short: a
// stream reset (RST_STREAM, such as INTERNAL_ERROR) or the connection going
// away (GOAWAY). net/http bundles its HTTP/2 code without exporting these
// error types, so they are known by their type names, and by the messages
// of the errors it builds from them.
func IsStreamError(err error) bool {
	for _, e := range chain(err) {
		name := reflect.TypeOf(e).String()
		if strings.Contains(name, "http2StreamError") || strings.Contains(name, "http2GoAwayError") ||
			strings.Contains(name, "http2.StreamError") || strings.Contains(name, "http2.GoAwayError") {
			return true
		}
		msg := e.Error()
		if strings.HasPrefix(msg, "stream error: stream ID ") || strings.Contains(msg, "http2: server sent GOAWAY") ||
			strings.Contains(msg, "http2: client connection lost") {
			return true
		}
	}
	return false
}

// chain lists err and every error it wraps, depth first.
func chain(err error) []error {
	var out []error
	var walk func(error)
	walk = func(e error) {
		if e == nil || len(out) > 32 {
			return
		}
		out = append(out, e)
		if u, ok := e.(interface{ Unwrap() error }); ok {
			walk(u.Unwrap())
		}
		if u, ok := e.(interface{ Unwrap() []error }); ok {
			for _, x := range u.Unwrap() {
				walk(x)
			}
		}
	}
	walk(err)
	return out
}

// isDial reports whether err happened while connecting, before any byte of
// the request could be written.
func isDial(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

// Backoff returns the wait before retry number n (0 for the first retry):
// initial·2ⁿ capped at max, less up to 25% jitter. r is a random number in
// [0, 1).
func Backoff(n int, initial, maxWait time.Duration, r float64) time.Duration {
	if initial <= 0 || maxWait <= 0 {
		return 0
	}
	d := initial
	for i := 0; i < n && d < maxWait; i++ {
		if d > maxWait/2 {
			d = maxWait // doubling would pass max (or overflow)
			break
		}
		d *= 2
	}
	if d > maxWait {
		d = maxWait
	}
	if r < 0 {
		r = 0
	} else if r >= 1 {
		r = 0.999999
	}
	return d - time.Duration(float64(d)*0.25*r)
}

// After reads the delay a response asks for: Retry-After-Ms (milliseconds),
// else Retry-After (seconds, or an HTTP date measured from now). ok is false
// when neither header holds a usable value. A date in the past gives 0.
func After(h http.Header, now time.Time) (d time.Duration, ok bool) {
	if v := strings.TrimSpace(h.Get("Retry-After-Ms")); v != "" {
		if ms, err := strconv.ParseFloat(v, 64); err == nil && ms >= 0 {
			if ms >= float64(maxDelay/time.Millisecond) {
				return maxDelay, true
			}
			return time.Duration(ms * float64(time.Millisecond)), true
		}
	}
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if s, err := strconv.ParseFloat(v, 64); err == nil {
		switch {
		case !(s >= 0): // negative or NaN
			return 0, false
		case s >= float64(maxDelay/time.Second):
			return maxDelay, true
		}
		return time.Duration(s * float64(time.Second)), true
	}
	if t, err := http.ParseTime(v); err == nil {
		d := t.Sub(now)
		switch {
		case d < 0:
			d = 0
		case d > maxDelay:
			d = maxDelay
		}
		return d, true
	}
	return 0, false
}

// maxDelay bounds what After returns so that a hostile header cannot
// overflow a Duration.
const maxDelay = 365 * 24 * time.Hour
