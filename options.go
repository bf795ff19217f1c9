package telnyx

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Option configures a Client when passed to NewClient, or a single call when
// passed to a method; a call's options apply on top of the client's.
type Option func(*requestConfig)

// requestConfig is everything a call needs to know besides its own
// arguments. A Client holds one; a call with options works on a copy.
type requestConfig struct {
	auth            *credentials // behind a pointer, so that printing a Client never shows the key
	baseURL         string       // absolute, ends in "/"
	httpClient      *http.Client
	maxRetries      int
	backoffInitial  time.Duration
	backoffMax      time.Duration
	requestTimeout  time.Duration
	header          http.Header // extra headers; cloned before any change
	userAgent       string      // full User-Agent value
	userAgentHeader []string    // {userAgent}, built once
	logger          *slog.Logger
	prefetch        int
	responseInto    **http.Response
	waitProgress    func(report *PortoutReport, elapsed time.Duration)

	// sleep waits between attempts and between polls; tests replace it.
	sleep func(ctx context.Context, d time.Duration) error
	// jitter returns a number in [0, 1) for the backoff; tests replace it.
	jitter func() float64

	// err is the first invalid option seen; the client or call fails with it.
	err error
}

func (c *requestConfig) fail(option, reason string) {
	if c.err == nil {
		c.err = &InvalidParamsError{Field: option, Reason: reason}
	}
}

// credentials hold the API key and the Authorization header built from it
// once and shared by every request.
type credentials struct {
	key    string
	header []string // {"Bearer " + key}
}

func (c *requestConfig) setAPIKey(key string) {
	c.auth = &credentials{key: key, header: []string{"Bearer " + key}}
}

func (c *requestConfig) setUserAgent(ua string) {
	c.userAgent = ua
	c.userAgentHeader = []string{ua}
}

// WithAPIKey sets the API key sent as a bearer token. Without it NewClient
// reads TELNYX_API_KEY.
func WithAPIKey(key string) Option {
	return func(c *requestConfig) {
		key = strings.TrimSpace(key)
		if key == "" {
			c.fail("WithAPIKey", "the key is empty")
			return
		}
		if strings.ContainsAny(key, "\r\n") {
			c.fail("WithAPIKey", "the key contains a line break")
			return
		}
		c.setAPIKey(key)
	}
}

// WithBaseURL sets the API root, such as "https://api.telnyx.com/v2/" or a
// test server's URL. A missing trailing slash is added. Without it NewClient
// reads TELNYX_BASE_URL, then uses DefaultBaseURL.
func WithBaseURL(rawURL string) Option {
	return func(c *requestConfig) {
		u, err := normalizeBaseURL(rawURL)
		if err != nil {
			c.fail("WithBaseURL", err.Error())
			return
		}
		c.baseURL = u
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
	if u.User != nil {
		return "", fmt.Errorf("the URL must not carry credentials")
	}
	if u.RawQuery != "" || u.Fragment != "" {
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
// modified: its Transport, redirect policy and timeout are used as they are.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *requestConfig) {
		if hc == nil {
			c.fail("WithHTTPClient", "the client is nil")
			return
		}
		c.httpClient = hc
	}
}

// WithMaxRetries sets how many times a failed request is retried; the default
// is 2 (three attempts in all) and 0 disables retries.
func WithMaxRetries(n int) Option {
	return func(c *requestConfig) {
		if n < 0 {
			c.fail("WithMaxRetries", fmt.Sprintf("%d is negative", n))
			return
		}
		c.maxRetries = n
	}
}

// WithRetryBackoff sets the wait before the first retry and the longest wait
// between attempts (defaults 500ms and 8s). The wait doubles at each retry,
// less up to 25% jitter. When the server asks, through Retry-After, for a
// delay longer than max, retrying stops and the error carries the delay in
// APIError.RetryAfter.
func WithRetryBackoff(initial, maxWait time.Duration) Option {
	return func(c *requestConfig) {
		switch {
		case initial < 0 || maxWait < 0:
			c.fail("WithRetryBackoff", "durations must not be negative")
		case initial > maxWait:
			c.fail("WithRetryBackoff", fmt.Sprintf("initial %v is longer than max %v", initial, maxWait))
		default:
			c.backoffInitial, c.backoffMax = initial, maxWait
		}
	}
}

// WithRequestTimeout bounds each attempt; an attempt that times out is
// retried like a connection failure. The caller's context bounds the whole
// call, retries included. Zero means no per-attempt limit.
func WithRequestTimeout(d time.Duration) Option {
	return func(c *requestConfig) {
		if d < 0 {
			c.fail("WithRequestTimeout", fmt.Sprintf("%v is negative", d))
			return
		}
		c.requestTimeout = d
	}
}

// WithHeader adds a header to every request. Authorization is reserved for
// the API key (see WithAPIKey).
func WithHeader(key, value string) Option {
	return func(c *requestConfig) {
		ck := http.CanonicalHeaderKey(strings.TrimSpace(key))
		switch {
		case ck == "":
			c.fail("WithHeader", "the header name is empty")
			return
		case ck == "Authorization":
			c.fail("WithHeader", "set the API key with WithAPIKey, not a header")
			return
		case strings.ContainsAny(ck, " \t\r\n:") || strings.ContainsAny(value, "\r\n"):
			c.fail("WithHeader", fmt.Sprintf("invalid header %q", key))
			return
		}
		h := c.header.Clone()
		if h == nil {
			h = make(http.Header, 1)
		}
		h.Set(ck, value)
		c.header = h
	}
}

// WithUserAgent puts product (such as "billing-service/1.4") in front of the
// SDK's own User-Agent, "telnyx-go/<version> (go<version>; <os>/<arch>)".
func WithUserAgent(product string) Option {
	return func(c *requestConfig) {
		product = strings.TrimSpace(product)
		if strings.ContainsAny(product, "\r\n") {
			c.fail("WithUserAgent", "the product contains a line break")
			return
		}
		if product == "" {
			c.setUserAgent(defaultUserAgent)
			return
		}
		c.setUserAgent(product + " " + defaultUserAgent)
	}
}

// WithLogger sets a logger that receives one Debug record per attempt:
// method, route, status, attempt, duration and request ID. Headers, bodies
// and the API key are never logged.
func WithLogger(l *slog.Logger) Option {
	return func(c *requestConfig) { c.logger = l }
}

// WithPrefetch lets ListAutoPaging fetch up to pages later pages
// concurrently while the caller handles the current one. Items are still
// yielded strictly in order. The default, 0, fetches one page at a time.
func WithPrefetch(pages int) Option {
	return func(c *requestConfig) {
		if pages < 0 || pages > maxPrefetch {
			c.fail("WithPrefetch", fmt.Sprintf("%d is outside 0 to %d", pages, maxPrefetch))
			return
		}
		c.prefetch = pages
	}
}

const maxPrefetch = 64

// WithResponseInto stores the last attempt's *http.Response in *dst, for
// reading headers such as rate-limit counters. Its body has already been
// read and closed.
func WithResponseInto(dst **http.Response) Option {
	return func(c *requestConfig) {
		if dst == nil {
			c.fail("WithResponseInto", "the destination is nil")
			return
		}
		c.responseInto = dst
	}
}
