package telnyxtest

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"time"

	telnyx "github.com/a54710f5/telnyx-go"
	"github.com/a54710f5/telnyx-go/internal/requestconfig"
)

// APIKey is the key that the client returned by Server.Client sends. The
// server accepts any non-empty bearer token. It reads like a real key (no
// dictionary word), as the SDK masks any run of 8 or more of its characters
// in text a server sends back.
const APIKey = "KEY0FAKE7c1d9e4b2a6f30d8" //nolint:gosec // G101: a placeholder the fake accepts, not a credential

// DefaultUserID is the user (organization) that owns port-outs added without
// a UserID and that writes the comments posted through the API.
const DefaultUserID = "7c6b8a1e-4f3d-4e2a-9b1c-5d0e8f7a6b42"

// apiRoot is the path under which the fake serves the API, like Telnyx's /v2.
const apiRoot = "/v2"

// Server is a running fake of the Telnyx port-out API. Create it with
// NewServer and Close it when done. All its methods are safe for concurrent
// use.
type Server struct {
	// URL is the base URL of the API, ending in "/v2/"; pass it to
	// telnyx.WithBaseURL, or use Client.
	URL string

	ts     *httptest.Server
	cfg    serverConfig
	signer *WebhookSigner // signs every webhook the server sends

	mu sync.Mutex
	st state

	hooks webhookSender
}

// serverConfig holds what ServerOptions set.
type serverConfig struct {
	now            func() time.Time
	reportPolls    int
	rejectionCodes []telnyx.PortoutRejectionCode
	userID         string
	webhookKey     ed25519.PrivateKey
	webhookTimeout time.Duration
	maxUpload      int64
}

// ServerOption configures a Server in NewServer.
type ServerOption func(*serverConfig)

// WithClock sets where the server takes the current time from: timestamps
// of port-outs, events, comments, reports and documents, and the
// telnyx-timestamp of webhooks. The default is time.Now, truncated to
// milliseconds like the real API's timestamps.
func WithClock(now func() time.Time) ServerOption {
	return func(c *serverConfig) {
		if now != nil {
			c.now = now
		}
	}
}

// WithReportPolls sets how many reads (GET /portouts/reports/{id}) of a new
// report still answer pending before it turns completed; the default is 1,
// so the second read sees it completed. With 0 the first read does.
// Creating a report always answers pending. Negative values count as 0.
func WithReportPolls(n int) ServerOption {
	return func(c *serverConfig) { c.reportPolls = max(n, 0) }
}

// WithRejectionCodes sets the rejection codes eligible for every port-out
// added from then on, in place of DefaultRejectionCodes. SetRejectionCodes
// changes them for one port-out.
func WithRejectionCodes(codes ...telnyx.PortoutRejectionCode) ServerOption {
	return func(c *serverConfig) { c.rejectionCodes = append([]telnyx.PortoutRejectionCode(nil), codes...) }
}

// WithUserID sets the user that owns port-outs added without a UserID and
// writes comments posted through the API; the default is DefaultUserID.
func WithUserID(id string) ServerOption {
	return func(c *serverConfig) {
		if id != "" {
			c.userID = id
		}
	}
}

// WithWebhookKey makes the server sign webhooks (its deliveries and
// SignWebhook) with key instead of a key pair generated at start, for tests
// that need a fixed public key. A key that is not ed25519.PrivateKeySize
// bytes long is ignored.
func WithWebhookKey(key ed25519.PrivateKey) ServerOption {
	return func(c *serverConfig) {
		if len(key) == ed25519.PrivateKeySize {
			c.webhookKey = key
		}
	}
}

// WithWebhookTimeout bounds each webhook delivery (default 5 seconds).
func WithWebhookTimeout(d time.Duration) ServerOption {
	return func(c *serverConfig) {
		if d > 0 {
			c.webhookTimeout = d
		}
	}
}

// WithMaxUploadSize sets the largest file POST /documents accepts, in bytes
// (default 32 MiB); a larger one is answered 422.
func WithMaxUploadSize(n int64) ServerOption {
	return func(c *serverConfig) {
		if n > 0 {
			c.maxUpload = n
		}
	}
}

// DefaultRejectionCodes returns the rejection codes eligible for every
// port-out unless WithRejectionCodes or SetRejectionCodes says otherwise:
// 1001 to 1004, and 1010 and 1099, which need a reason.
func DefaultRejectionCodes() []telnyx.PortoutRejectionCode {
	return []telnyx.PortoutRejectionCode{
		{Code: 1001, Description: "Account number does not match our records"},
		{Code: 1002, Description: "Invalid PIN"},
		{Code: 1003, Description: "Authorized name does not match our records"},
		{Code: 1004, Description: "Service address does not match our records"},
		{Code: 1010, Description: "The end user did not request this port-out", ReasonRequired: true},
		{Code: 1099, Description: "Other", ReasonRequired: true},
	}
}

func defaultNow() time.Time { return time.Now().UTC().Truncate(time.Millisecond) }

// NewServer starts a fake Telnyx API with no port-outs. Close it when done.
func NewServer(opts ...ServerOption) *Server {
	cfg := serverConfig{
		now:            defaultNow,
		reportPolls:    1,
		rejectionCodes: DefaultRejectionCodes(),
		userID:         DefaultUserID,
		webhookTimeout: 5 * time.Second,
		maxUpload:      32 << 20,
	}
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	signer := &WebhookSigner{priv: append(ed25519.PrivateKey(nil), cfg.webhookKey...)}
	if cfg.webhookKey == nil {
		signer = NewWebhookSigner()
	}
	s := &Server{cfg: cfg, signer: signer, st: newState()}
	s.hooks.init(cfg.webhookTimeout)
	s.ts = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	s.URL = s.ts.URL + apiRoot + "/"
	return s
}

// Close shuts the server down: it waits for requests in flight and for
// webhook deliveries under way, and then releases every connection. The
// server must not be used afterwards.
func (s *Server) Close() {
	s.hooks.stop()
	s.ts.Close()
	s.hooks.wait()
}

// Client returns a *telnyx.Client wired to this server: its base URL, the
// API key APIKey, and an HTTP client for the loopback connection. Its waits
// between retries and between report polls (Reports.Wait, Export) return at
// once, so that tests exercising retries never sleep. opts are applied after
// these and may override any of them. Client panics if opts hold an invalid
// option, as a test cannot go on without its client.
func (s *Server) Client(opts ...telnyx.Option) *telnyx.Client {
	base := []telnyx.Option{
		telnyx.WithAPIKey(APIKey),
		telnyx.WithBaseURL(s.URL),
		telnyx.WithHTTPClient(s.ts.Client()),
		telnyx.Option(func(c *requestconfig.Config) { c.Sleep = noSleep }),
	}
	c, err := telnyx.NewClient(append(base, opts...)...)
	if err != nil {
		panic("telnyxtest: Client: " + err.Error())
	}
	return c
}

// noSleep is the client's wait in Client: it only honours cancellation.
func noSleep(ctx context.Context, _ time.Duration) error { return ctx.Err() }

// now reads the server's clock.
func (s *Server) now() time.Time { return s.cfg.now() }

// RecordedRequest is a request the server received.
type RecordedRequest struct {
	Method string
	// Path is the unescaped path below the API root, as the API reference
	// writes it ("/portouts/{id}/comments" with the ID filled in); a request
	// outside the root keeps its full path.
	Path   string
	Query  url.Values
	Header http.Header
	// Body holds the request body, up to 1 MiB of it.
	Body []byte
}

// Requests returns every request received so far, in order of arrival.
// A request still being handled may show a partial Body.
func (s *Server) Requests() []RecordedRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]RecordedRequest, len(s.st.requests))
	for i, r := range s.st.requests {
		out[i] = RecordedRequest{
			Method: r.Method,
			Path:   r.Path,
			Query:  cloneValues(r.Query),
			Header: r.Header.Clone(),
			Body:   append([]byte(nil), r.Body...),
		}
	}
	return out
}

func cloneValues(v url.Values) url.Values {
	out := make(url.Values, len(v))
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// maxRecordedBody bounds the body kept by Requests, and the JSON body the
// server accepts.
const maxRecordedBody = 1 << 20

// recorder keeps the first bytes of a streamed request body (an upload) as
// the handler reads it.
type recorder struct {
	r   io.Reader
	buf []byte
}

func (rc *recorder) Read(p []byte) (int, error) {
	n, err := rc.r.Read(p)
	if room := maxRecordedBody - len(rc.buf); room > 0 && n > 0 {
		rc.buf = append(rc.buf, p[:min(n, room)]...)
	}
	return n, err
}

// serveHTTP records the request, applies injected faults and
// authentication, and routes it.
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Request-Id", newID())
	path := belowRoot(r.URL.Path)
	// Uploads are streamed and recorded as they are read; any other body
	// is small and read whole before anything else happens.
	streamed := r.Method == http.MethodPost && path == "/documents"
	var rec *recorder
	var body []byte
	tooLarge := false
	if streamed {
		rec = &recorder{r: r.Body}
		r.Body = readCloser{rec, r.Body}
	} else {
		b, err := io.ReadAll(io.LimitReader(r.Body, maxRecordedBody+1))
		if err != nil {
			return // the client went away; nothing to answer
		}
		if len(b) > maxRecordedBody {
			b, tooLarge = b[:maxRecordedBody], true
		}
		body = b
		r.Body = io.NopCloser(bytes.NewReader(b))
	}

	s.mu.Lock()
	idx := len(s.st.requests)
	s.st.requests = append(s.st.requests, RecordedRequest{
		Method: r.Method,
		Path:   path,
		Query:  r.URL.Query(),
		Header: r.Header.Clone(),
		Body:   body,
	})
	f, failing := s.st.takeFault(r.Method, belowRoot(r.URL.EscapedPath()))
	s.mu.Unlock()

	if streamed {
		defer func() {
			s.mu.Lock()
			s.st.requests[idx].Body = rec.buf
			s.mu.Unlock()
		}()
	}

	if failing {
		final := f.status >= 200
		if final && streamed {
			// Read what the client sends, before answering, so that
			// Requests shows it.
			_, _ = io.Copy(io.Discard, io.LimitReader(r.Body, maxRecordedBody))
		}
		writeFault(w, f)
		if final {
			return
		}
	}
	switch {
	case !authorized(r.Header.Get("Authorization")) && !s.presigned(r, path):
		writeError(w, &apiError{
			status: http.StatusUnauthorized, code: "10009", title: "Authentication failed",
			detail: "The required authentication headers were either invalid or not included in the request.",
		})
	case tooLarge:
		writeError(w, &apiError{
			status: http.StatusRequestEntityTooLarge, code: "10015", title: "Bad Request",
			detail: fmt.Sprintf("The request body is larger than %d bytes.", maxRecordedBody),
		})
	case !strings.HasPrefix(r.URL.Path, apiRoot+"/"):
		writeError(w, errNoRoute())
	default:
		s.route(w, r, strings.TrimPrefix(r.URL.EscapedPath(), apiRoot+"/"))
	}
}

// belowRoot returns p below the API root, keeping its leading "/"; a path
// outside the root is returned whole.
func belowRoot(p string) string {
	if rel, ok := strings.CutPrefix(p, apiRoot+"/"); ok {
		return "/" + rel
	}
	return p
}

type readCloser struct {
	io.Reader
	io.Closer
}

// authorized reports whether h is "Bearer <something>".
func authorized(h string) bool {
	scheme, token, ok := strings.Cut(h, " ")
	return ok && strings.EqualFold(scheme, "Bearer") && strings.TrimSpace(token) != ""
}

// route dispatches on the method and the escaped path below the API root.
func (s *Server) route(w http.ResponseWriter, r *http.Request, escaped string) {
	raw := strings.Split(escaped, "/")
	seg := make([]string, len(raw))
	for i, p := range raw {
		v, err := url.PathUnescape(p)
		if err != nil || v == "" {
			writeError(w, errNoRoute())
			return
		}
		seg[i] = v
	}
	m := r.Method
	switch {
	case match(seg, "portouts") && m == http.MethodGet:
		s.listPortouts(w, r)
	case match(seg, "portouts", "events") && m == http.MethodGet:
		s.listEvents(w, r)
	case match(seg, "portouts", "events", "*") && m == http.MethodGet:
		s.getEvent(w, seg[2])
	case match(seg, "portouts", "events", "*", "republish") && m == http.MethodPost:
		s.republishEvent(w, seg[2])
	case match(seg, "portouts", "rejections", "*") && m == http.MethodGet:
		s.listRejectionCodes(w, r, seg[2])
	case match(seg, "portouts", "reports") && m == http.MethodGet:
		s.listReports(w, r)
	case match(seg, "portouts", "reports") && m == http.MethodPost:
		s.createReport(w, r)
	case match(seg, "portouts", "reports", "*") && m == http.MethodGet:
		s.getReport(w, seg[2])
	case match(seg, "portouts", "*") && m == http.MethodGet:
		s.getPortout(w, seg[1])
	case match(seg, "portouts", "*", "comments") && m == http.MethodGet:
		s.listComments(w, seg[1])
	case match(seg, "portouts", "*", "comments") && m == http.MethodPost:
		s.createComment(w, r, seg[1])
	case match(seg, "portouts", "*", "supporting_documents") && m == http.MethodGet:
		s.listSupportingDocuments(w, seg[1])
	case match(seg, "portouts", "*", "supporting_documents") && m == http.MethodPost:
		s.createSupportingDocuments(w, r, seg[1])
	case match(seg, "portouts", "*", "*") && m == http.MethodPatch:
		s.updateStatus(w, r, seg[1], seg[2])
	case match(seg, "documents") && m == http.MethodPost:
		s.uploadDocument(w, r)
	case match(seg, "documents") && m == http.MethodGet:
		s.listDocuments(w, r)
	case match(seg, "documents", "*") && m == http.MethodGet:
		s.getDocument(w, seg[1])
	case match(seg, "documents", "*") && m == http.MethodPatch:
		s.updateDocument(w, r, seg[1])
	case match(seg, "documents", "*") && m == http.MethodDelete:
		s.deleteDocument(w, seg[1])
	case match(seg, "documents", "*", "download") && m == http.MethodGet:
		s.downloadDocument(w, seg[1])
	case match(seg, "documents", "*", "download_link") && m == http.MethodGet:
		s.downloadLink(w, seg[1])
	case match(seg, "document_links") && m == http.MethodGet:
		s.listDocumentLinks(w, r)
	default:
		writeError(w, errNoRoute())
	}
}

// match reports whether seg has the shape of pattern, where "*" stands for
// any one segment.
func match(seg []string, pattern ...string) bool {
	if len(seg) != len(pattern) {
		return false
	}
	for i, p := range pattern {
		if p != "*" && p != seg[i] {
			return false
		}
	}
	return true
}

// newID returns a random UUID (version 4).
func newID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("telnyxtest: random ID: " + err.Error())
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
