package retry

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestStatus(t *testing.T) {
	t.Parallel()
	should := func(v string) http.Header { return http.Header{"X-Should-Retry": {v}} }
	tests := []struct {
		name       string
		idempotent bool
		status     int
		header     http.Header
		want       bool
	}{
		{"GET 408", true, 408, nil, true},
		{"GET 429", true, 429, nil, true},
		{"GET 500", true, 500, nil, true},
		{"GET 502", true, 502, nil, true},
		{"GET 503", true, 503, nil, true},
		{"GET 504", true, 504, nil, true},
		{"GET 501", true, 501, nil, false},
		{"GET 505", true, 505, nil, false},
		{"GET 400", true, 400, nil, false},
		{"GET 401", true, 401, nil, false},
		{"GET 403", true, 403, nil, false},
		{"GET 404", true, 404, nil, false},
		{"GET 409", true, 409, nil, false},
		{"GET 422", true, 422, nil, false},
		{"GET 200", true, 200, nil, false},
		{"POST 408", false, 408, nil, true},
		{"POST 429", false, 429, nil, true},
		{"POST 500", false, 500, nil, false},
		{"POST 502", false, 502, nil, false},
		{"POST 503", false, 503, nil, false},
		{"POST 504", false, 504, nil, false},
		{"POST 422", false, 422, nil, false},
		{"should-retry true on 400", true, 400, should("true"), true},
		{"should-retry true on POST 500", false, 500, should("true"), true},
		{"should-retry true on POST 409", false, 409, should("true"), true},
		{"should-retry TRUE any case", false, 500, should(" TRUE "), true},
		{"should-retry false on 503", true, 503, should("false"), false},
		{"should-retry false on 429", true, 429, should("false"), false},
		{"should-retry false on POST 408", false, 408, should("False"), false},
		{"should-retry garbage ignored", true, 503, should("maybe"), true},
		{"should-retry garbage ignored 400", true, 400, should("maybe"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := tt.header
			if h == nil {
				h = http.Header{}
			}
			assert.Equal(t, tt.want, Status(tt.idempotent, tt.status, h))
		})
	}
}

// timeoutErr is a net.Error that timed out.
type timeoutErr struct{}

func (timeoutErr) Error() string   { return "i/o timeout" }
func (timeoutErr) Timeout() bool   { return true }
func (timeoutErr) Temporary() bool { return true }

func TestError(t *testing.T) {
	t.Parallel()
	dialRefused := &net.OpError{Op: "dial", Net: "tcp", Err: &os.SyscallError{Syscall: "connect", Err: syscall.ECONNREFUSED}}
	readReset := &net.OpError{Op: "read", Net: "tcp", Err: &os.SyscallError{Syscall: "read", Err: syscall.ECONNRESET}}
	writePipe := &net.OpError{Op: "write", Net: "tcp", Err: &os.SyscallError{Syscall: "write", Err: syscall.EPIPE}}
	dnsErr := &net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Err: "no such host", Name: "api.test", IsNotFound: true}}
	certErr := fmt.Errorf("tls: %w", x509.UnknownAuthorityError{})
	hostErr := x509.HostnameError{Host: "api.test"}

	tests := []struct {
		name       string
		idempotent bool
		err        error
		wrote      bool
		want       bool
	}{
		{"nil", true, nil, false, false},
		{"GET dial refused", true, dialRefused, false, true},
		{"GET reset", true, readReset, true, true},
		{"GET broken pipe", true, writePipe, true, true},
		{"GET EOF", true, io.EOF, true, true},
		{"GET unexpected EOF", true, fmt.Errorf("read: %w", io.ErrUnexpectedEOF), true, true},
		{"GET bare ECONNRESET", true, syscall.ECONNRESET, true, true},
		{"GET bare ECONNABORTED", true, syscall.ECONNABORTED, true, true},
		{"GET deadline (per-attempt timeout)", true, context.DeadlineExceeded, true, true},
		{"GET net timeout", true, timeoutErr{}, true, true},
		{"GET canceled", true, context.Canceled, false, false},
		{"GET wrapped canceled", true, fmt.Errorf("x: %w", context.Canceled), false, false},
		{"GET unknown authority", true, certErr, false, false},
		{"GET hostname mismatch", true, hostErr, false, false},
		{"GET plain error", true, errors.New("boom"), false, false},
		{"GET DNS error", true, dnsErr, false, true},
		{"POST dial refused, nothing written", false, dialRefused, false, true},
		{"POST dial refused, trace says written", false, dialRefused, true, true},
		{"POST reset before writing", false, readReset, false, true},
		{"POST reset after writing", false, readReset, true, false},
		{"POST EOF after writing", false, io.EOF, true, false},
		{"POST timeout after writing", false, context.DeadlineExceeded, true, false},
		{"POST timeout before writing", false, context.DeadlineExceeded, false, true},
		{"POST canceled", false, context.Canceled, false, false},
		{"POST cert error", false, certErr, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, Error(tt.idempotent, tt.err, tt.wrote))
		})
	}
}

func TestBackoff(t *testing.T) {
	t.Parallel()
	const ms = time.Millisecond
	tests := []struct {
		name    string
		n       int
		initial time.Duration
		max     time.Duration
		r       float64
		want    time.Duration
	}{
		{"first, no jitter", 0, 500 * ms, 8 * time.Second, 0, 500 * ms},
		{"second, no jitter", 1, 500 * ms, 8 * time.Second, 0, time.Second},
		{"third, no jitter", 2, 500 * ms, 8 * time.Second, 0, 2 * time.Second},
		{"fifth reaches max", 4, 500 * ms, 8 * time.Second, 0, 8 * time.Second},
		{"capped at max", 5, 500 * ms, 8 * time.Second, 0, 8 * time.Second},
		{"far beyond max stays capped", 200, 500 * ms, 8 * time.Second, 0, 8 * time.Second},
		{"cap not a power of two", 3, 500 * ms, 3 * time.Second, 0, 3 * time.Second},
		{"huge max does not overflow", 100, time.Second, time.Duration(1<<63 - 1), 0, time.Duration(1<<63 - 1)},
		{"half jitter takes 12.5%", 0, 800 * ms, 8 * time.Second, 0.5, 700 * ms},
		{"jitter on capped value", 10, 500 * ms, 8 * time.Second, 0.5, 7 * time.Second},
		{"negative r treated as 0", 0, 500 * ms, 8 * time.Second, -3, 500 * ms},
		{"zero initial", 3, 0, 8 * time.Second, 0, 0},
		{"zero max", 3, 500 * ms, 0, 0, 0},
		{"negative initial", 3, -ms, 8 * time.Second, 0, 0},
		{"initial above max is capped", 0, 10 * time.Second, 8 * time.Second, 0, 8 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, Backoff(tt.n, tt.initial, tt.max, tt.r))
		})
	}
}

func TestBackoffJitterBounds(t *testing.T) {
	t.Parallel()
	const initial, maxWait = 500 * time.Millisecond, 8 * time.Second
	for n := range 8 {
		full := Backoff(n, initial, maxWait, 0)
		assert.LessOrEqual(t, full, maxWait)
		for _, r := range []float64{0, 0.25, 0.5, 0.999999, 1, 1.5} {
			got := Backoff(n, initial, maxWait, r)
			assert.LessOrEqual(t, got, full, "n=%d r=%v: jitter only shortens", n, r)
			assert.Greater(t, got, full*3/4-time.Nanosecond, "n=%d r=%v: at most 25%% shorter", n, r)
			assert.Greater(t, got, time.Duration(0))
		}
		// r close to 1 takes almost the whole 25%.
		assert.InDelta(t, float64(full)*0.75, float64(Backoff(n, initial, maxWait, 0.9999999)), float64(time.Millisecond))
	}
}

func TestAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2024, 9, 4, 8, 0, 0, 0, time.UTC)
	h := func(kv ...string) http.Header {
		out := http.Header{}
		for i := 0; i+1 < len(kv); i += 2 {
			out.Set(kv[i], kv[i+1])
		}
		return out
	}
	tests := []struct {
		name   string
		header http.Header
		want   time.Duration
		wantOK bool
	}{
		{"none", h(), 0, false},
		{"seconds", h("Retry-After", "3"), 3 * time.Second, true},
		{"zero seconds", h("Retry-After", "0"), 0, true},
		{"fractional seconds", h("Retry-After", "1.5"), 1500 * time.Millisecond, true},
		{"seconds with spaces", h("Retry-After", " 2 "), 2 * time.Second, true},
		{"an hour", h("Retry-After", "3600"), time.Hour, true},
		{"absurd seconds are bounded", h("Retry-After", "99999999999999"), maxDelay, true},
		{"negative seconds", h("Retry-After", "-5"), 0, false},
		{"NaN seconds", h("Retry-After", "NaN"), 0, false},
		{"Inf seconds", h("Retry-After", "+Inf"), maxDelay, true},
		{"HTTP date", h("Retry-After", now.Add(90*time.Second).Format(http.TimeFormat)), 90 * time.Second, true},
		{"HTTP date in the past", h("Retry-After", now.Add(-time.Hour).Format(http.TimeFormat)), 0, true},
		{"HTTP date far ahead is bounded", h("Retry-After", "Wed, 01 Oct 7000 00:00:00 GMT"), maxDelay, true},
		{"garbage", h("Retry-After", "soon"), 0, false},
		{"ms", h("Retry-After-Ms", "250"), 250 * time.Millisecond, true},
		{"ms fractional", h("Retry-After-Ms", "1.5"), 1500 * time.Microsecond, true},
		{"ms wins over seconds", h("Retry-After-Ms", "250", "Retry-After", "30"), 250 * time.Millisecond, true},
		{"ms wins over date", h("Retry-After-Ms", "100", "Retry-After", now.Add(time.Hour).Format(http.TimeFormat)), 100 * time.Millisecond, true},
		{"bad ms falls back to seconds", h("Retry-After-Ms", "x", "Retry-After", "4"), 4 * time.Second, true},
		{"negative ms falls back", h("Retry-After-Ms", "-1", "Retry-After", "4"), 4 * time.Second, true},
		{"NaN ms falls back", h("Retry-After-Ms", "NaN", "Retry-After", "4"), 4 * time.Second, true},
		{"bad ms alone", h("Retry-After-Ms", "x"), 0, false},
		{"absurd ms are bounded", h("Retry-After-Ms", "1e300"), maxDelay, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, ok := After(tt.header, now)
			assert.Equal(t, tt.wantOK, ok)
			assert.Equal(t, tt.want, got)
			assert.GreaterOrEqual(t, got, time.Duration(0), "never negative")
		})
	}
}

func FuzzAfter(f *testing.F) {
	for _, s := range []string{"3", "1.5", "-1", "NaN", "Inf", "1e400", "Wed, 21 Oct 2015 07:28:00 GMT", "0x10"} {
		f.Add(s, "")
		f.Add("", s)
	}
	now := time.Date(2024, 9, 4, 8, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, after, afterMs string) {
		h := http.Header{}
		h.Set("Retry-After", after)
		h.Set("Retry-After-Ms", afterMs)
		d, ok := After(h, now)
		if d < 0 || d > maxDelay {
			t.Fatalf("After(%q, %q) = %v outside [0, %v]", after, afterMs, d, maxDelay)
		}
		if !ok && d != 0 {
			t.Fatalf("not ok but %v", d)
		}
	})
}
