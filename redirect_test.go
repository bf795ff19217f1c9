package telnyx

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Redirects: the API key follows a redirect only to the same origin, with
// the SDK's own http.Client and with the caller's.

func TestRedirectAuthorization(t *testing.T) {
	t.Parallel()
	ownClient := func(t *testing.T) Option {
		tr := &http.Transport{}
		t.Cleanup(tr.CloseIdleConnections)
		return WithHTTPClient(&http.Client{Transport: tr})
	}
	tests := []struct {
		name     string
		own      bool   // the caller's http.Client instead of the SDK's
		target   string // "port": same host name, other port; "host": other host name; "path": same server
		status   int
		method   string
		wantAuth bool // the second request carries Authorization
	}{
		{"SDK client, other host name", false, "host", 302, "GET", false},
		{"SDK client, same host name, other port", false, "port", 302, "GET", false},
		{"SDK client, 307 PATCH to other port", false, "port", 307, "PATCH", false},
		{"SDK client, same server", false, "path", 302, "GET", true},
		{"SDK client, 308 PATCH on same server", false, "path", 308, "PATCH", true},
		{"own client, other host name", true, "host", 302, "GET", false},
		{"own client, same server", true, "path", 302, "GET", true},
		// Go's own rule keeps Authorization when only the port changes;
		// the SDK sends through a copy of the caller's client that drops
		// it on any change of origin.
		{"own client, same host name, other port", true, "port", 302, "GET", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ok := `{"data":{"id":"p1","status":"authorized"}}`
			second := newLoopback(t, script(answer(200, ok)))
			var first *loopback
			first = newLoopback(t, func(w http.ResponseWriter, r *http.Request, n int) {
				if n > 1 {
					answer(200, ok)(w, r) // the redirected request, on the same server
					return
				}
				u, err := url.Parse(second.URL)
				if err != nil {
					panic(err)
				}
				switch tt.target {
				case "host":
					u.Host = "localhost:" + u.Port()
				case "path":
					u, _ = url.Parse(first.URL)
				}
				u.Path = "/v2/moved" + r.URL.Path
				http.Redirect(w, r, u.String(), tt.status)
			})
			var opts []Option
			if tt.own {
				opts = append(opts, ownClient(t))
			}
			c, err := NewClient(append([]Option{WithAPIKey(secretKey), WithBaseURL(first.baseURL()), WithMaxRetries(0)}, opts...)...)
			require.NoError(t, err)
			if tt.method == "PATCH" {
				_, err = c.Portouts.UpdateStatus(t.Context(), "p1", PortoutStatusAuthorized, PortoutUpdateStatusParams{})
			} else {
				_, err = c.Portouts.Get(t.Context(), "p1")
			}
			require.NoError(t, err)

			all := append(first.Seen(), second.Seen()...)
			require.Len(t, all, 2, "the request and its redirect")
			assert.Equal(t, "Bearer "+secretKey, all[0].Auth)
			assert.Equal(t, tt.method, all[1].Method)
			assert.Equal(t, "/v2/moved/v2/portouts/p1", strings.TrimSuffix(all[1].RawPath, "/authorized"))
			if tt.wantAuth {
				assert.Equal(t, "Bearer "+secretKey, all[1].Auth)
			} else {
				assert.Empty(t, all[1].Auth, "Authorization must not follow a redirect to %s", all[1].Host)
			}
		})
	}
}

func TestRedirectPolicy(t *testing.T) {
	t.Parallel()
	req := func(raw string) *http.Request {
		r, err := http.NewRequestWithContext(t.Context(), http.MethodGet, raw, nil)
		require.NoError(t, err)
		r.Header.Set("Authorization", "Bearer "+secretKey)
		return r
	}
	tests := []struct {
		from, to string
		keep     bool
	}{
		{"https://api.telnyx.com/v2/documents/d1/download", "https://api.telnyx.com/v2/files/d1", true},
		{"https://api.telnyx.com/v2/x", "https://API.telnyx.com:443/v2/y", true},
		{"https://api.telnyx.com/v2/x", "http://api.telnyx.com/v2/x", false}, // TLS downgrade
		{"https://api.telnyx.com/v2/x", "https://api.telnyx.com:8443/v2/x", false},
		{"https://api.telnyx.com/v2/x", "https://files.telnyx.com/x", false},
		{"https://api.telnyx.com/v2/x", "https://s3.amazonaws.com/bucket/x", false},
		{"https://api.telnyx.com/v2/x", "https://api.telnyx.com.evil.example/x", false},
	}
	for _, tt := range tests {
		next := req(tt.to)
		require.NoError(t, keyStaysHome(nil)(next, []*http.Request{req(tt.from)}))
		if tt.keep {
			assert.Equal(t, "Bearer "+secretKey, next.Header.Get("Authorization"), "%s -> %s", tt.from, tt.to)
		} else {
			assert.Empty(t, next.Header.Get("Authorization"), "%s -> %s", tt.from, tt.to)
		}
	}
	via := make([]*http.Request, 10)
	for i := range via {
		via[i] = req("https://api.telnyx.com/v2/x")
	}
	assert.Error(t, keyStaysHome(nil)(req("https://api.telnyx.com/v2/y"), via), "at most 10 redirects")
	assert.NotNil(t, defaultHTTPClient.CheckRedirect, "the SDK's client uses the policy")
}

// Go keeps Authorization on a redirect to a subdomain of the API host; the
// copy of a caller's client drops it there too, then applies the caller's
// own policy.
func TestCallerHTTPClientDropsKeyOnSubdomainRedirect(t *testing.T) {
	t.Parallel()
	var called bool
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { called = true; return nil }}
	for _, own := range []*http.Client{hc, {}} {
		c, err := NewClient(WithAPIKey(testAPIKey), WithBaseURL("https://api.example.test/v2"), WithHTTPClient(own))
		require.NoError(t, err)
		from := httptest.NewRequestWithContext(t.Context(), http.MethodGet, "https://api.example.test/v2/portouts", nil)
		to := httptest.NewRequestWithContext(t.Context(), http.MethodGet, "https://evil.api.example.test/steal", nil)
		to.Header.Set("Authorization", "Bearer "+testAPIKey)
		require.NoError(t, c.cfg.HTTPClient.CheckRedirect(to, []*http.Request{from}))
		assert.Empty(t, to.Header.Get("Authorization"), "the key does not follow to a subdomain")
	}
	assert.True(t, called, "the caller's CheckRedirect still runs")
	assert.Nil(t, (&http.Client{}).CheckRedirect)
}

// subdomainServer is one loopback server answering for api.example.test
// and evil.api.example.test: the API redirects every request to the evil
// subdomain, which records the Authorization header it receives.
type subdomainServer struct {
	*httptest.Server
	mu       sync.Mutex
	apiAuth  []string // Authorization of each request to the API host
	evilAuth []string // and to the subdomain
}

func newSubdomainServer(t *testing.T) *subdomainServer {
	t.Helper()
	s := &subdomainServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host, _, _ := net.SplitHostPort(r.Host)
		_, port, _ := net.SplitHostPort(s.Listener.Addr().String())
		s.mu.Lock()
		defer s.mu.Unlock()
		switch host {
		case "api.example.test":
			s.apiAuth = append(s.apiAuth, r.Header.Get("Authorization"))
			http.Redirect(w, r, "http://evil.api.example.test:"+port+"/steal", http.StatusFound)
		case "evil.api.example.test":
			s.evilAuth = append(s.evilAuth, r.Header.Get("Authorization"))
			answer(200, `{"data":{"id":"p1","status":"pending"}}`)(w, r)
		default:
			http.Error(w, "unknown host "+r.Host, http.StatusMisdirectedRequest)
		}
	}))
	t.Cleanup(s.Close)
	return s
}

// transport dials this server for every *.example.test name, so that real
// host names (and Go's own redirect rules for them) reach the loopback.
func (s *subdomainServer) transport(t *testing.T) *http.Transport {
	t.Helper()
	addr := s.Listener.Addr().String()
	var d net.Dialer
	tr := &http.Transport{DialContext: func(ctx context.Context, network, hostport string) (net.Conn, error) {
		host, _, err := net.SplitHostPort(hostport)
		if err != nil || !strings.HasSuffix(host, ".example.test") {
			return nil, &net.AddrError{Err: "not a test host", Addr: hostport}
		}
		return d.DialContext(ctx, network, addr)
	}}
	t.Cleanup(tr.CloseIdleConnections)
	return tr
}

// baseURL is the API root on the test host name.
func (s *subdomainServer) baseURL() string {
	_, port, _ := net.SplitHostPort(s.Listener.Addr().String())
	return "http://api.example.test:" + port + "/v2/"
}

// Item 3, end to end: Go itself keeps Authorization on a redirect to a
// subdomain of the original host. Through the caller's own http.Client, the
// SDK still drops the key there, applies the caller's redirect policy, and
// leaves the caller's client as it was.
func TestCallerClientRedirectToSubdomainDropsKey(t *testing.T) {
	t.Parallel()
	for _, withPolicy := range []bool{false, true} {
		name := "no CheckRedirect"
		if withPolicy {
			name = "own CheckRedirect"
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := newSubdomainServer(t)
			tr := srv.transport(t)
			var mu sync.Mutex
			var policyVia []string
			hc := &http.Client{Transport: tr}
			if withPolicy {
				hc.CheckRedirect = func(req *http.Request, _ []*http.Request) error {
					mu.Lock()
					defer mu.Unlock()
					policyVia = append(policyVia, req.URL.Host)
					return nil
				}
			}
			policy := reflect.ValueOf(hc.CheckRedirect).Pointer()

			c, err := NewClient(WithAPIKey(testAPIKey), WithBaseURL(srv.baseURL()), WithHTTPClient(hc), WithMaxRetries(0))
			require.NoError(t, err)
			p, err := c.Portouts.Get(t.Context(), "p1")
			require.NoError(t, err)
			assert.Equal(t, "p1", p.ID)

			srv.mu.Lock()
			defer srv.mu.Unlock()
			assert.Equal(t, []string{"Bearer " + testAPIKey}, srv.apiAuth, "the API host gets the key")
			require.Len(t, srv.evilAuth, 1, "the redirect was followed")
			assert.Empty(t, srv.evilAuth[0], "the key does not follow a redirect to a subdomain")

			mu.Lock()
			defer mu.Unlock()
			if withPolicy {
				assert.Len(t, policyVia, 1, "the caller's CheckRedirect still decides")
			}
			assert.Equal(t, policy, reflect.ValueOf(hc.CheckRedirect).Pointer(), "the caller's client is not changed")
			assert.Same(t, tr, hc.Transport)
		})
	}
}
