// Package telnyx is a client for the Telnyx port-out API: review port-out
// requests, authorize or reject them, follow their events, attach supporting
// documents, export CSV reports, and manage the documents behind them.
//
// Create a client once and share it; it is safe for concurrent use:
//
//	client, err := telnyx.NewClient() // reads TELNYX_API_KEY
//	if err != nil { ... }
//	for p, err := range client.Portouts.ListAutoPaging(ctx, nil) { ... }
package telnyx

import (
	"context"
	"errors"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/a54710f5/telnyx-go/internal/requestconfig"
)

// DefaultBaseURL is the root of the Telnyx API v2.
const DefaultBaseURL = "https://api.telnyx.com/v2/"

// Client talks to the Telnyx API. Create one with NewClient; it is safe for
// concurrent use by many goroutines. A Client that did not come from
// NewClient (a zero or nil one) answers every call with an error.
type Client struct {
	Portouts      *PortoutService
	Documents     *DocumentService
	DocumentLinks *DocumentLinkService

	cfg requestconfig.Config
}

// service is the shared core of every service type.
type service struct{ c *Client }

// client returns the service's Client, or nil for a nil service (a zero
// Client's), whose calls then fail in Client.do.
func (s *service) client() *Client {
	if s == nil {
		return nil
	}
	return s.c
}

// NewClient returns a client configured by opts. The API key comes from
// WithAPIKey, else from the TELNYX_API_KEY environment variable; without
// one, the error wraps ErrMissingAPIKey. The base URL comes from WithBaseURL,
// else TELNYX_BASE_URL, else DefaultBaseURL: a stray TELNYX_BASE_URL sends
// the key to that host. An invalid option value is an *InvalidParamsError
// naming the option.
func NewClient(opts ...Option) (*Client, error) {
	cfg := requestconfig.Config{
		HTTPClient:     defaultHTTPClient,
		MaxRetries:     2,
		BackoffInitial: 500 * time.Millisecond,
		BackoffMax:     8 * time.Second,
		UserAgent:      []string{defaultUserAgent},
		PollFirst:      reportPollInitial,
		PollMax:        reportPollMax,
		Sleep:          sleepContext,
		Jitter:         rand.Float64,
		Now:            time.Now,
	}
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	if cfg.Err != nil {
		return nil, cfg.Err
	}
	if cfg.Auth == nil {
		if k := strings.TrimSpace(os.Getenv("TELNYX_API_KEY")); k != "" {
			if reason := checkAPIKey(k); reason != "" {
				return nil, &InvalidParamsError{Field: "TELNYX_API_KEY", Reason: reason}
			}
			cfg.Auth = requestconfig.NewCredentials(k)
		}
	}
	if cfg.BaseURL == "" {
		if u := os.Getenv("TELNYX_BASE_URL"); u != "" {
			u, err := normalizeBaseURL(u)
			if err != nil {
				return nil, &InvalidParamsError{Field: "TELNYX_BASE_URL", Reason: err.Error()}
			}
			cfg.BaseURL = u
		} else {
			cfg.BaseURL = DefaultBaseURL
		}
	}
	if cfg.Auth == nil {
		return nil, ErrMissingAPIKey
	}

	c := &Client{cfg: cfg}
	s := &service{c: c}
	c.Documents = (*DocumentService)(s)
	c.DocumentLinks = (*DocumentLinkService)(s)
	c.Portouts = &PortoutService{
		Events:              (*PortoutEventService)(s),
		Reports:             (*PortoutReportService)(s),
		Comments:            (*PortoutCommentService)(s),
		SupportingDocuments: (*PortoutSupportingDocumentService)(s),
		s:                   s,
	}
	return c, nil
}

// config returns the configuration for one call: the client's own when opts
// is empty, else a copy with opts applied.
func (c *Client) config(opts []Option) (*requestconfig.Config, error) {
	if len(opts) == 0 {
		return &c.cfg, nil
	}
	cfg := c.cfg.Clone()
	for _, o := range opts {
		if o != nil {
			o(cfg)
		}
	}
	if cfg.Err != nil {
		return nil, cfg.Err
	}
	return cfg, nil
}

// DefaultHTTPClient returns a new *http.Client set up as the SDK's default:
// each phase of a connection bounded (dial 10s, TLS handshake 10s, response
// headers 60s), HTTP/2 when the server offers it, idle connections kept for
// prefetching, and a redirect policy that drops the API key on a redirect to
// another origin. Wrap its Transport (for tracing, say) and pass it to
// WithHTTPClient to keep these settings.
func DefaultHTTPClient() *http.Client {
	return &http.Client{
		CheckRedirect: keyStaysHome(nil),
		Transport: &http.Transport{
			Proxy: http.ProxyFromEnvironment,
			DialContext: (&net.Dialer{
				Timeout:   10 * time.Second,
				KeepAlive: 30 * time.Second,
			}).DialContext,
			ForceAttemptHTTP2:     true,
			TLSHandshakeTimeout:   10 * time.Second,
			ResponseHeaderTimeout: 60 * time.Second,
			ExpectContinueTimeout: time.Second,
			IdleConnTimeout:       90 * time.Second,
			MaxIdleConns:          100,
			MaxIdleConnsPerHost:   maxPrefetch + 1,
		},
	}
}

// defaultHTTPClient is shared by clients made without WithHTTPClient, so
// that they share connections. It bounds each phase of a connection but not
// the whole request: the caller's context and WithRequestTimeout do that.
var defaultHTTPClient = DefaultHTTPClient()

// keyStaysHome returns a redirect policy that drops the Authorization
// header on a redirect to another origin: another scheme (https to http),
// host (a subdomain too) or port. Go itself keeps it for the same host on
// another port or scheme, and for subdomains. It then applies next, or Go's
// default limit of 10 redirects.
func keyStaysHome(next func(*http.Request, []*http.Request) error) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		if origin(req.URL) != origin(via[0].URL) {
			req.Header.Del("Authorization")
		}
		if next != nil {
			return next(req, via)
		}
		if len(via) >= 10 {
			return errors.New("stopped after 10 redirects")
		}
		return nil
	}
}

// origin is scheme://host:port, lower case, with the scheme's default port
// written out.
func origin(u *url.URL) string {
	port := u.Port()
	if port == "" {
		port = "80"
		if strings.EqualFold(u.Scheme, "https") {
			port = "443"
		}
	}
	return strings.ToLower(u.Scheme) + "://" + strings.ToLower(u.Hostname()) + ":" + port
}

// sleepContext waits for d or until ctx is done, whichever comes first.
func sleepContext(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
