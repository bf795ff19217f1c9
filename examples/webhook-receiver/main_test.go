package main

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	telnyx "github.com/a54710f5/telnyx-go"
	"github.com/a54710f5/telnyx-go/telnyxtest"
)

func TestRunLogsSignedDeliveries(t *testing.T) {
	srv := telnyxtest.NewServer()
	defer srv.Close()
	p := srv.AddPortout(telnyx.Portout{})

	var lc net.ListenConfig
	ln, err := lc.Listen(t.Context(), "tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(t.Context())
	var out bytes.Buffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, ln, srv.WebhookPublicKey(), &out) }()

	// Each delivery is signed with the fake's key and returns once answered.
	url := "http://" + ln.Addr().String() + "/webhooks/telnyx"
	srv.SendWebhooksTo(url)
	require.NoError(t, srv.SetStatus(p.ID, telnyx.PortoutStatusAuthorized))

	// A delivery without a signature is refused.
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, url, strings.NewReader(`{"data":{}}`))
	require.NoError(t, err)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	cancel()
	require.NoError(t, <-done, "graceful shutdown")

	deliveries := srv.WebhookDeliveries()
	require.Len(t, deliveries, 1)
	assert.Equal(t, http.StatusOK, deliveries[0].StatusCode)
	assert.Contains(t, out.String(), string(telnyx.PortoutEventStatusChanged)+" port-out "+p.ID)
	assert.Contains(t, out.String(), "status is now authorized")
}
