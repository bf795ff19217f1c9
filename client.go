// Package telnyx is a client for the Telnyx port-out API: review port-out
// requests, authorize or reject them, follow their events, attach supporting
// documents and export CSV reports.
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

	"github.com/a54710f5/telnyx-go/internal/hook"
)

// DefaultBaseURL is the root of the Telnyx API v2.
const DefaultBaseURL = "https://api.telnyx.com/v2/"

// Client talks to the Telnyx API. Create one with NewClient; it is safe for
// concurrent use by many goroutines.
type Client struct {
	Portouts  *PortoutService
	Documents *DocumentService

	cfg requestConfig
}

// service is the shared core of every service type.
type service struct{ c *Client }

// NewClient returns a client configured by opts. The API key comes from
// WithAPIKey, else from the TELNYX_API_KEY environment variable; without
// one, the error wraps ErrMissingAPIKey. The base URL comes from WithBaseURL,
// else TELNYX_BASE_URL, else DefaultBaseURL. An invalid option value is an
// *InvalidParamsError naming the option.
func NewClient(opts ...Option) (*Client, error) {
	cfg := requestConfig{
		httpClient:      defaultHTTPClient,
		maxRetries:      2,
		backoffInitial:  500 * time.Millisecond,
		backoffMax:      8 * time.Second,
		userAgent:       defaultUserAgent,
		userAgentHeader: []string{defaultUserAgent},
		sleep:           sleepContext,
		jitter:          rand.Float64,
	}
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	if cfg.err != nil {
		return nil, cfg.err
	}
	if cfg.auth == nil {
		if k := strings.TrimSpace(os.Getenv("TELNYX_API_KEY")); k != "" {
			if strings.ContainsAny(k, "\r\n") {
				return nil, &InvalidParamsError{Field: "TELNYX_API_KEY", Reason: "the key contains a line break"}
			}
			cfg.setAPIKey(k)
		}
	}
	if cfg.baseURL == "" {
		if u := os.Getenv("TELNYX_BASE_URL"); u != "" {
			u, err := normalizeBaseURL(u)
			if err != nil {
				return nil, &InvalidParamsError{Field: "TELNYX_BASE_URL", Reason: err.Error()}
			}
			cfg.baseURL = u
		} else {
			cfg.baseURL = DefaultBaseURL
		}
	}
	if cfg.auth == nil {
		return nil, ErrMissingAPIKey
	}

	c := &Client{cfg: cfg}
	s := &service{c: c}
	c.Documents = (*DocumentService)(s)
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
func (c *Client) config(opts []Option) (*requestConfig, error) {
	if len(opts) == 0 {
		return &c.cfg, nil
	}
	cfg := c.cfg
	cfg.err = nil
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	if cfg.err != nil {
		return nil, cfg.err
	}
	return &cfg, nil
}

// defaultHTTPClient bounds each phase of a connection but not the whole
// request: the caller's context and WithRequestTimeout do that. Its
// redirect policy is checkRedirect.
var defaultHTTPClient = &http.Client{
	CheckRedirect: checkRedirect,
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

// checkRedirect follows up to 10 redirects, like Go's default policy, and
// drops the Authorization header on a redirect to another origin: another
// scheme (https to http), host or port. Go itself drops it only when the
// host name changes, so the key would follow a redirect to another port of
// the same host, or from https to plain http.
func checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= 10 {
		return errors.New("stopped after 10 redirects")
	}
	if origin(req.URL) != origin(via[0].URL) {
		req.Header.Del("Authorization")
	}
	return nil
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

func init() {
	hook.WithSleep = func(sleep func(context.Context, time.Duration) error) any {
		return Option(func(c *requestConfig) { c.sleep = sleep })
	}
}
