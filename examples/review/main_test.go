package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	telnyx "github.com/a54710f5/telnyx-go"
	"github.com/a54710f5/telnyx-go/telnyxtest"
)

func TestRunRejectsWithReason(t *testing.T) {
	srv := telnyxtest.NewServer()
	defer srv.Close()
	p := srv.AddPortout(telnyx.Portout{SupportKey: "PO_200001"})

	var out bytes.Buffer
	require.NoError(t, run(t.Context(), srv.Client(), &out, p.ID, false, "The owner did not ask for this."))

	assert.Contains(t, out.String(), "1010  The end user did not request this port-out (reason required: true)")
	assert.Contains(t, out.String(), "PO_200001 is now rejected-pending")

	reqs := srv.Requests()
	last := reqs[len(reqs)-1]
	assert.Equal(t, http.MethodPatch, last.Method)
	assert.Equal(t, "/portouts/"+p.ID+"/rejected-pending", last.Path)
	var body map[string]any
	require.NoError(t, json.Unmarshal(last.Body, &body))
	assert.Equal(t, "The owner did not ask for this.", body["reason"])
	assert.NotContains(t, body, "rejection_code", "the API takes no code")
}
