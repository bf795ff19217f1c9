package main

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	telnyx "github.com/a54710f5/telnyx-go"
	"github.com/a54710f5/telnyx-go/telnyxtest"
)

func TestRunListsOnlyPending(t *testing.T) {
	srv := telnyxtest.NewServer()
	defer srv.Close()
	pending := srv.AddPortout(telnyx.Portout{SupportKey: "PO_100001", EndUserName: "Brightwater Dental"})
	srv.AddPortout(telnyx.Portout{SupportKey: "PO_100002", Status: telnyx.PortoutStatusAuthorized})

	var out bytes.Buffer
	require.NoError(t, run(t.Context(), srv.Client(), &out))

	assert.Contains(t, out.String(), pending.ID)
	assert.Contains(t, out.String(), "Brightwater Dental")
	assert.NotContains(t, out.String(), "PO_100002")
	require.Len(t, srv.Requests(), 1)
	assert.Equal(t, "pending", srv.Requests()[0].Query.Get("filter[status]"))
}
