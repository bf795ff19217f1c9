// Package requestconfig holds what a call needs to know besides its own
// arguments: credentials, where to send, how to retry, what to log. The
// root package's Option is a function over a *Config; the SDK's own
// packages (telnyxtest) build Options here directly, so no setting needs a
// back door.
package requestconfig

import (
	"context"
	"log/slog"
	"net/http"
	"time"
)

// Config is one call's configuration. A Client holds one; a call with
// options works on a copy (Clone).
type Config struct {
	Auth           *Credentials // behind a pointer, so that printing a Client never shows the key
	BaseURL        string       // absolute, ends in "/"
	HTTPClient     *http.Client // never the caller's own value: a copy with a safe redirect policy
	MaxRetries     int
	BackoffInitial time.Duration
	BackoffMax     time.Duration
	RequestTimeout time.Duration
	Header         http.Header // extra headers; replaced, never changed in place
	UserAgent      []string    // the whole User-Agent value, as a one-element header value
	Logger         *slog.Logger
	Prefetch       int
	ResponseInto   **http.Response
	Middleware     []Middleware // first is outermost
	RateLimiter    RateLimiter
	// DeferRateLimit returns a 429 at once instead of retrying it: the
	// caller (prefetching) handles it.
	DeferRateLimit bool

	// WaitProgress receives the report (a *telnyx.PortoutReport) after each
	// poll of Reports.Wait.
	WaitProgress func(report any, elapsed time.Duration)
	// PollFirst and PollMax space Reports.Wait's polls.
	PollFirst, PollMax time.Duration

	// Sleep waits between attempts and between polls; it must return early
	// with ctx's error when ctx ends. Tests replace it.
	Sleep func(ctx context.Context, d time.Duration) error
	// Jitter returns a number in [0, 1) for the backoff.
	Jitter func() float64
	// Now reads the clock, for elapsed times and Retry-After dates.
	Now func() time.Time

	// Err is the first invalid option seen; the client or call fails with it.
	Err error
}

// Middleware wraps one attempt; next sends it on.
type Middleware func(req *http.Request, next func(*http.Request) (*http.Response, error)) (*http.Response, error)

// RateLimiter is waited on before every attempt.
type RateLimiter interface {
	Wait(ctx context.Context) error
}

// Credentials hold the API key and the Authorization header value built
// from it once.
type Credentials struct {
	Key    string
	Header []string // {"Bearer " + Key}
}

// NewCredentials builds the credentials for key.
func NewCredentials(key string) *Credentials {
	return &Credentials{Key: key, Header: []string{"Bearer " + key}}
}

// Clone returns a copy that options may change without touching c. Slices
// and maps are replaced, never appended to in place, so a shallow copy
// suffices.
func (c *Config) Clone() *Config {
	cp := *c
	cp.Err = nil
	return &cp
}
