package telnyxtest_test

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	telnyx "github.com/a54710f5/telnyx-go"
	"github.com/a54710f5/telnyx-go/telnyxtest"
)

// TestMain fails the package's tests when a goroutine outlives them.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// newServer starts a fake closed at the end of the test.
func newServer(t *testing.T, opts ...telnyxtest.ServerOption) *telnyxtest.Server {
	t.Helper()
	srv := telnyxtest.NewServer(opts...)
	t.Cleanup(srv.Close)
	return srv
}

// fixedClock returns a clock that reads t and moves by step at each read.
func fixedClock(t time.Time, step time.Duration) func() time.Time {
	ch := make(chan time.Time, 1)
	ch <- t
	return func() time.Time {
		now := <-ch
		ch <- now.Add(step)
		return now
	}
}

// raw sends a request straight to the fake, bypassing the SDK. An empty
// auth sends no Authorization header.
func raw(t *testing.T, srv *telnyxtest.Server, method, path, auth, contentType string, body []byte) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, strings.TrimSuffix(srv.URL, "/")+path, bytes.NewReader(body))
	require.NoError(t, err)
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	http.DefaultClient.CloseIdleConnections()
	return resp.StatusCode, resp.Header, b
}

// rawJSON sends an authenticated JSON request.
func rawJSON(t *testing.T, srv *telnyxtest.Server, method, path string, body any) (int, []byte) {
	t.Helper()
	var b []byte
	if body != nil {
		var err error
		b, err = json.Marshal(body)
		require.NoError(t, err)
	}
	status, _, out := raw(t, srv, method, path, "Bearer k", "application/json", b)
	return status, out
}

// errorBody decodes Telnyx's error form, requiring exactly one error.
func errorBody(t *testing.T, b []byte) telnyx.ErrorDetail {
	t.Helper()
	var env struct {
		Errors []telnyx.ErrorDetail `json:"errors"`
	}
	require.NoError(t, json.Unmarshal(b, &env), string(b))
	require.Len(t, env.Errors, 1, string(b))
	return env.Errors[0]
}

// apiError requires err to be an *telnyx.APIError and returns it.
func apiError(t *testing.T, err error) *telnyx.APIError {
	t.Helper()
	var e *telnyx.APIError
	require.True(t, errors.As(err, &e), "want *telnyx.APIError, got %T: %v", err, err)
	return e
}

func ids(ps []telnyx.Portout) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.ID
	}
	return out
}

// day parses an RFC 3339 time, for fixtures.
func day(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// seedFilters adds five port-outs that the filter tests tell apart.
func seedFilters(t *testing.T, srv *telnyxtest.Server) {
	t.Helper()
	for _, p := range []telnyx.Portout{
		{ID: "a", Status: telnyx.PortoutStatusPending, PhoneNumbers: []string{"+13125550142"}, CarrierName: "Lakeside Telecom",
			SPID: "123A", PON: "PON-A", SupportKey: "PO_A", EndUserName: "Brightwater LLC",
			FocDate: day("2025-07-14T16:00:00Z"), InsertedAt: day("2025-06-01T09:00:00Z"), CreatedAt: day("2025-06-01T09:00:00Z")},
		{ID: "b", Status: telnyx.PortoutStatusAuthorized, PhoneNumbers: []string{"+14165550199"}, CarrierName: "Maple Mobile",
			SPID: "456B", PON: "PON-B", SupportKey: "PO_B", FocDate: day("2025-07-15T00:00:00Z"),
			InsertedAt: day("2025-06-10T09:00:00Z"), CreatedAt: day("2025-06-10T09:00:00Z")},
		{ID: "c", Status: telnyx.PortoutStatusPorted, PhoneNumbers: []string{"+442071838750"}, CarrierName: "Lakeside Telecom",
			SPID: "789C", InsertedAt: day("2025-06-15T09:00:00Z"), CreatedAt: day("2025-06-15T09:00:00Z"),
			UpdatedAt: day("2025-06-20T12:00:00Z")},
		{ID: "d", Status: telnyx.PortoutStatusRejectedPending, PhoneNumbers: []string{"+35312345678"},
			InsertedAt: day("2025-06-20T09:00:00Z"), CreatedAt: day("2025-06-20T09:00:00Z")},
		{ID: "e", Status: telnyx.PortoutStatusCanceled, PhoneNumbers: []string{"+12125550100", "+442071838751"},
			InsertedAt: day("2025-06-25T09:00:00Z"), CreatedAt: day("2025-06-25T09:00:00Z")},
	} {
		srv.AddPortout(p)
	}
}

type delivery struct {
	header http.Header
	body   []byte
}

// receiver is a webhook endpoint that keeps what it receives.
type receiver struct {
	mu     sync.Mutex
	got    []delivery
	status int
	url    string
}

func newReceiver(t *testing.T, status int) *receiver {
	t.Helper()
	rc := &receiver{status: status}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		rc.got = append(rc.got, delivery{r.Header.Clone(), b})
		rc.mu.Unlock()
		w.WriteHeader(rc.status)
	}))
	t.Cleanup(ts.Close)
	rc.url = ts.URL + "/hooks"
	return rc
}

func (rc *receiver) deliveries() []delivery {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]delivery(nil), rc.got...)
}

// webhookTestKey is a fixed Ed25519 key, for WithWebhookKey.
func webhookTestKey() ed25519.PrivateKey {
	seed := make([]byte, ed25519.SeedSize)
	seed[0] = 7
	return ed25519.NewKeyFromSeed(seed)
}
