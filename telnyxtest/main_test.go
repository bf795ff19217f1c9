package telnyxtest_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	telnyx "github.com/a54710f5/telnyx-go"
	"github.com/a54710f5/telnyx-go/telnyxtest"
)

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
