package telnyx

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/a54710f5/telnyx-go/internal/requestconfig"
)

// Option configures a Client when passed to NewClient, or a single call when
// passed to a method; a call's options apply on top of the client's. Its
// underlying type is internal to the SDK: treat an Option as opaque and
// build it only with the With functions of this package. An Option may be
// kept and passed to many clients and concurrent calls.
type Option func(*requestconfig.Config)

// fail records the first invalid option value.
func fail(c *requestconfig.Config, option, reason string) {
	if c.Err == nil {
		c.Err = &InvalidParamsError{Field: option, Reason: reason}
	}
}

// WithAPIKey sets the API key sent as a bearer token. Without it NewClient
// reads TELNYX_API_KEY.
func WithAPIKey(key string) Option {
	// An Option may be applied by many goroutines at once: it only reads
	// what it captured.
	key = strings.TrimSpace(key)
	return func(c *requestconfig.Config) {
		if reason := checkAPIKey(key); reason != "" {
			fail(c, "WithAPIKey", reason)
			return
		}
		c.Auth = requestconfig.NewCredentials(key)
	}
}

// checkAPIKey says why key cannot be sent in a header, or "".
func checkAPIKey(key string) string {
	switch {
	case key == "":
		return "the key is empty"
	case strings.ContainsAny(key, "\r\n"):
		return "the key contains a line break"
	case !validHeaderValue(key):
		return "the key contains a control character"
	}
	return ""
}

// WithBaseURL sets the API root, such as "https://api.telnyx.com/v2/" or a
// test server's URL. A missing trailing slash is added. Without it NewClient
// reads TELNYX_BASE_URL, then uses DefaultBaseURL.
func WithBaseURL(rawURL string) Option {
	return func(c *requestconfig.Config) {
		u, err := normalizeBaseURL(rawURL)
		if err != nil {
			fail(c, "WithBaseURL", err.Error())
			return
		}
		c.BaseURL = u
	}
}

func normalizeBaseURL(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", fmt.Errorf("the URL is empty")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("cannot parse %q", raw)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", fmt.Errorf("%q is not an http or https URL", raw)
	}
	if u.Host == "" {
		return "", fmt.Errorf("%q has no host", raw)
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return "", fmt.Errorf("%q has port %s, outside 1 to 65535", raw, p)
		}
	}
	if u.User != nil {
		return "", fmt.Errorf("the URL must not carry credentials")
	}
	if u.RawQuery != "" || u.Fragment != "" || u.ForceQuery {
		return "", fmt.Errorf("%q must not have a query or fragment", raw)
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
		if u.RawPath != "" {
			u.RawPath += "/"
		}
	}
	return u.String(), nil
}

// WithHTTPClient sets the *http.Client used to send requests. It is never
// modified: its Transport, Jar and Timeout are used as they are. The SDK
// sends through a copy whose redirect policy first drops the API key on a
// redirect to another origin (scheme, host or port), then applies the
// client's own CheckRedirect, or Go's default limit of 10 redirects.
// DefaultHTTPClient returns a client set up as the SDK's own default, for
// wrapping its Transport.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *requestconfig.Config) {
		if hc == nil {
			fail(c, "WithHTTPClient", "the client is nil")
			return
		}
		cp := *hc
		cp.CheckRedirect = keyStaysHome(hc.CheckRedirect)
		c.HTTPClient = &cp
	}
}

// WithMaxRetries sets how many times a failed request is retried; the default
// is 2 (three attempts in all) and 0 disables retries.
func WithMaxRetries(n int) Option {
	return func(c *requestconfig.Config) {
		if n < 0 {
			fail(c, "WithMaxRetries", fmt.Sprintf("%d is negative", n))
			return
		}
		c.MaxRetries = n
	}
}

// WithRetryBackoff sets the wait before the first retry and the longest wait
// between attempts (defaults 500ms and 8s). The wait doubles at each retry,
// less up to 25% jitter. When the server asks, through Retry-After, for a
// delay longer than max, retrying stops and the error carries the delay in
// APIError.RetryAfter.
func WithRetryBackoff(initial, maxWait time.Duration) Option {
	return func(c *requestconfig.Config) {
		if waits(c, "WithRetryBackoff", "initial", initial, maxWait) {
			c.BackoffInitial, c.BackoffMax = initial, maxWait
		}
	}
}

// waits checks the two waits an option takes, the first one (called name
// in the error) and the longest, and reports whether they may be used; if
// not, the option fails.
func waits(c *requestconfig.Config, option, name string, first, maxWait time.Duration) bool {
	switch {
	case first < 0 || maxWait < 0:
		fail(c, option, "durations must not be negative")
	case first > maxWait:
		fail(c, option, fmt.Sprintf("%s %v is longer than max %v", name, first, maxWait))
	default:
		return true
	}
	return false
}

// WithRequestTimeout bounds each attempt; an attempt that times out is
// retried like a connection failure. The caller's context bounds the whole
// call, retries included. Zero means no per-attempt limit.
func WithRequestTimeout(d time.Duration) Option {
	return func(c *requestconfig.Config) {
		if d < 0 {
			fail(c, "WithRequestTimeout", fmt.Sprintf("%v is negative", d))
			return
		}
		c.RequestTimeout = d
	}
}

// WithHeader adds a header to every request. Authorization is reserved for
// the API key (see WithAPIKey). A name that is not an HTTP token, or a value
// with a control character, is an *InvalidParamsError.
func WithHeader(key, value string) Option {
	return func(c *requestconfig.Config) {
		ck := http.CanonicalHeaderKey(strings.TrimSpace(key))
		switch {
		case ck == "":
			fail(c, "WithHeader", "the header name is empty")
			return
		case ck == "Authorization":
			fail(c, "WithHeader", "set the API key with WithAPIKey, not a header")
			return
		case !validHeaderName(ck):
			fail(c, "WithHeader", fmt.Sprintf("%q is not a valid header name", key))
			return
		case !validHeaderValue(value):
			fail(c, "WithHeader", fmt.Sprintf("the value of %s contains a control character", ck))
			return
		}
		h := c.Header.Clone()
		if h == nil {
			h = make(http.Header, 1)
		}
		h.Set(ck, value)
		c.Header = h
	}
}

// validHeaderName reports whether s is an HTTP token (RFC 9110, 5.6.2).
func validHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for i := range len(s) {
		c := s[i]
		alnum := c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		if !alnum && strings.IndexByte("!#$%&'*+-.^_`|~", c) < 0 {
			return false
		}
	}
	return true
}

// validHeaderValue reports whether s has no control character but tab.
func validHeaderValue(s string) bool {
	for i := range len(s) {
		if c := s[i]; c < 0x20 && c != '\t' || c == 0x7f {
			return false
		}
	}
	return true
}

// WithUserAgent puts product (such as "billing-service/1.4") in front of the
// SDK's own User-Agent, "telnyx-go/<version> (go<version>; <os>/<arch>)".
func WithUserAgent(product string) Option {
	product = strings.TrimSpace(product)
	return func(c *requestconfig.Config) {
		switch {
		case !validHeaderValue(product):
			fail(c, "WithUserAgent", "the product contains a control character")
		case product == "":
			c.UserAgent = []string{defaultUserAgent}
		default:
			c.UserAgent = []string{product + " " + defaultUserAgent}
		}
	}
}

// WithLogger sets a logger that receives one Debug record per attempt
// (method, route, status, attempt, duration and request ID) and one Warn
// record for each attempt that will be retried (method, route, attempt,
// status or error kind, and the wait). Headers, bodies and the API key are
// never logged.
func WithLogger(l *slog.Logger) Option {
	return func(c *requestconfig.Config) { c.Logger = l }
}

// WithPrefetch lets ListAutoPaging fetch up to pages later pages
// concurrently while the caller handles the current one. Items are still
// yielded strictly in order. The default, 0, fetches one page at a time.
// A 429 on a page fetched ahead halves the window, which grows back by one
// page per page fetched without one; the page is asked again after the
// server's delay, without spending the retries of WithMaxRetries.
func WithPrefetch(pages int) Option {
	return func(c *requestconfig.Config) {
		if pages < 0 || pages > maxPrefetch {
			fail(c, "WithPrefetch", fmt.Sprintf("%d is outside 0 to %d", pages, maxPrefetch))
			return
		}
		c.Prefetch = pages
	}
}

const maxPrefetch = 64

// WithResponseInto stores the last attempt's *http.Response in *dst, for
// reading headers such as rate-limit counters. Its body has already been
// read and closed. With ListAutoPaging it is the response of the page whose
// items are being yielded, also with WithPrefetch.
func WithResponseInto(dst **http.Response) Option {
	return func(c *requestconfig.Config) {
		if dst == nil {
			fail(c, "WithResponseInto", "the destination is nil")
			return
		}
		c.ResponseInto = dst
	}
}

// WithWaitProgress calls fn after each poll made by PortoutReportService.Wait
// and Export, with the report as last read and the time since waiting
// began. It suits progress output for a command that may wait minutes.
func WithWaitProgress(fn func(report *PortoutReport, elapsed time.Duration)) Option {
	return func(c *requestconfig.Config) {
		if fn == nil {
			c.WaitProgress = nil
			return
		}
		c.WaitProgress = func(r any, elapsed time.Duration) { fn(r.(*PortoutReport), elapsed) }
	}
}

// WithPollInterval spaces the polls of PortoutReportService.Wait and
// Export: the first poll after first, then doubling up to max. The default
// is 1s and 15s; WithPollInterval(0, 0) polls again at once, for tests.
func WithPollInterval(first, maxWait time.Duration) Option {
	return func(c *requestconfig.Config) {
		if waits(c, "WithPollInterval", "first", first, maxWait) {
			c.PollFirst, c.PollMax = first, maxWait
		}
	}
}

// Middleware wraps every attempt of a call: a retry passes through it
// again. It may read or change the request, time it, or answer it itself;
// it calls next to send the request on. This is where tracing spans,
// metrics and request logs attach.
type Middleware func(req *http.Request, next MiddlewareNext) (*http.Response, error)

// MiddlewareNext sends a request on to the next middleware, or to the HTTP
// client after the last one.
type MiddlewareNext func(req *http.Request) (*http.Response, error)

// WithMiddleware adds middleware around every attempt. The first listed is
// outermost; a call's middleware runs inside the client's.
func WithMiddleware(m ...Middleware) Option {
	return func(c *requestconfig.Config) {
		chain := slices.Clip(c.Middleware) // appending never changes the client's list
		for i, mw := range m {
			if mw == nil {
				fail(c, "WithMiddleware", fmt.Sprintf("middleware %d is nil", i))
				return
			}
			chain = append(chain, func(req *http.Request, next func(*http.Request) (*http.Response, error)) (*http.Response, error) {
				return mw(req, next)
			})
		}
		c.Middleware = chain
	}
}

// RateLimiter paces requests. *rate.Limiter from golang.org/x/time/rate
// already is one.
type RateLimiter interface {
	// Wait blocks until a request may be sent, or returns an error (such
	// as the context's end), which ends the call before anything is sent.
	Wait(ctx context.Context) error
}

// WithRateLimiter makes every attempt wait on l first, retries and
// prefetched pages included, so that goroutines sharing one limiter (or one
// client) stay under Telnyx's rate limit.
func WithRateLimiter(l RateLimiter) Option {
	return func(c *requestconfig.Config) {
		if isNil(l) {
			fail(c, "WithRateLimiter", "the limiter is nil")
			return
		}
		c.RateLimiter = l
	}
}
