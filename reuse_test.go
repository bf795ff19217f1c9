package telnyx

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// An answer the SDK has no use for (a 204 that carries a body anyway) is
// read before closing, so the next call reuses the connection.
func TestUnusedBodyIsDrainedForReuse(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(strings.Repeat("x", 1000)))
	}))
	defer srv.Close()
	hc := &http.Client{Transport: &http.Transport{}}
	defer hc.CloseIdleConnections()
	c, err := NewClient(WithAPIKey(testAPIKey), WithBaseURL(srv.URL+"/v2/"), WithHTTPClient(hc))
	require.NoError(t, err)

	var reused []bool
	ctx := httptrace.WithClientTrace(context.Background(), &httptrace.ClientTrace{
		GotConn: func(info httptrace.GotConnInfo) { reused = append(reused, info.Reused) },
	})
	for range 3 {
		require.NoError(t, c.Portouts.Events.Republish(ctx, "ev1"))
	}
	assert.Equal(t, []bool{false, true, true}, reused)
}
