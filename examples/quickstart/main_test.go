package main

import (
	"bytes"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	telnyx "github.com/a54710f5/telnyx-go"
	"github.com/a54710f5/telnyx-go/telnyxtest"
)

func TestRunLooksThenActsOnlyWhenAsked(t *testing.T) {
	srv := telnyxtest.NewServer()
	defer srv.Close()
	first := srv.AddPortout(telnyx.Portout{SupportKey: "PO_400001"})
	second := srv.AddPortout(telnyx.Portout{SupportKey: "PO_400002"})
	srv.AddPortout(telnyx.Portout{SupportKey: "PO_400003", Status: telnyx.PortoutStatusPorted})

	// Read-only, as with a real account: nothing but GETs.
	var out bytes.Buffer
	require.NoError(t, run(t.Context(), srv.Client(), &out, false))
	for _, r := range srv.Requests() {
		assert.Equal(t, http.MethodGet, r.Method, r.Path)
	}
	assert.Contains(t, out.String(), "rejection code 1010")
	assert.NotContains(t, out.String(), "PO_400003", "only pending port-outs are listed")

	// The demo: the first is authorized, the second rejected with a reason.
	require.NoError(t, run(t.Context(), srv.Client(), &out, true))
	got, _ := srv.Portout(first.ID)
	assert.Equal(t, telnyx.PortoutStatusAuthorized, got.Status)
	got, _ = srv.Portout(second.ID)
	assert.Equal(t, telnyx.PortoutStatusRejectedPending, got.Status)
	assert.Equal(t, "The account owner did not ask for this.", got.Reason)
}
