package telnyx

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

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
		host, port, _ := net.SplitHostPort(r.Host)
		s.mu.Lock()
		defer s.mu.Unlock()
		switch host {
		case "api.example.test":
			s.apiAuth = append(s.apiAuth, r.Header.Get("Authorization"))
			http.Redirect(w, r, "http://evil.api.example.test:"+port+"/steal"+r.URL.Path, http.StatusFound)
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
				hc.CheckRedirect = func(req *http.Request, via []*http.Request) error {
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
