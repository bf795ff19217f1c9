package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	telnyx "github.com/a54710f5/telnyx-go"
	"github.com/a54710f5/telnyx-go/telnyxtest"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// fake starts the fake API with one pending port-out that has a comment.
func fake(t *testing.T) (*telnyxtest.Server, string, func() (*telnyx.Client, error)) {
	t.Helper()
	srv := telnyxtest.NewServer()
	t.Cleanup(srv.Close)
	p := srv.AddPortout(telnyx.Portout{
		Status: telnyx.PortoutStatusPending, PhoneNumbers: []string{"+13125550142", "+13125550143"},
		EndUserName: "Brightwater Dental LLC", CarrierName: "Lakeside Telecom", SPID: "123A",
		ServiceAddress: "400 N Michigan Ave", City: "Chicago", State: "IL", Zip: "60611",
	})
	_, err := srv.AddComment(p.ID, "Please confirm the account PIN.")
	require.NoError(t, err)
	return srv, p.ID, func() (*telnyx.Client, error) { return srv.Client(), nil }
}

func TestShowsThePortoutWithoutChangingIt(t *testing.T) {
	srv, id, connect := fake(t)
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), []string{"-id", id}, &out, &bytes.Buffer{}, connect))

	s := out.String()
	assert.Contains(t, s, "Status:          pending")
	assert.Contains(t, s, "+13125550142, +13125550143")
	assert.Contains(t, s, "400 N Michigan Ave, Chicago, IL, 60611")
	assert.Contains(t, s, "Lakeside Telecom (SPID 123A)")
	assert.Contains(t, s, "Comments (1)")
	assert.Contains(t, s, "Please confirm the account PIN.")
	for _, c := range telnyxtest.DefaultRejectionCodes() {
		assert.Contains(t, s, c.Description)
	}
	assert.Contains(t, s, "(reason required)")
	assert.NotContains(t, s, "Status is now")
	for _, r := range srv.Requests() {
		assert.Equal(t, http.MethodGet, r.Method, "only reads without -authorize or -reject")
	}
}

func TestAuthorize(t *testing.T) {
	srv, id, connect := fake(t)
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), []string{"-id", id, "-authorize", "-host-messaging"}, &out, &bytes.Buffer{}, connect))
	assert.True(t, strings.HasSuffix(out.String(), "Status is now authorized\n"))
	p, ok := srv.Portout(id)
	require.True(t, ok)
	assert.Equal(t, telnyx.PortoutStatusAuthorized, p.Status)
	last := srv.Requests()[len(srv.Requests())-1]
	assert.Equal(t, http.MethodPatch, last.Method)
	assert.JSONEq(t, `{"reason":"","host_messaging":true}`, string(last.Body))
}

// reasonCodes returns one default rejection code that needs a reason and one
// that does not.
func reasonCodes(t *testing.T) (needs, optional telnyx.PortoutRejectionCode) {
	t.Helper()
	var haveNeeds, haveOptional bool
	for _, c := range telnyxtest.DefaultRejectionCodes() {
		if c.ReasonRequired && !haveNeeds {
			needs, haveNeeds = c, true
		}
		if !c.ReasonRequired && !haveOptional {
			optional, haveOptional = c, true
		}
	}
	require.True(t, haveNeeds && haveOptional)
	return needs, optional
}

func TestReject(t *testing.T) {
	needs, optional := reasonCodes(t)
	tests := []struct {
		name       string
		code       telnyx.PortoutRejectionCode
		reason     string
		wantReason string
		wantErr    string
	}{
		{"with a reason", needs, "The owner did not ask for this.", "The owner did not ask for this.", ""},
		{"the description stands in for an optional reason", optional, "", optional.Description, ""},
		{"a required reason is missing", needs, "", "", "requires -reason"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, id, connect := fake(t)
			args := []string{"-id", id, "-reject", "-code", strconv.Itoa(tt.code.Code)}
			if tt.reason != "" {
				args = append(args, "-reason", tt.reason)
			}
			var out bytes.Buffer
			err := run(context.Background(), args, &out, &bytes.Buffer{}, connect)
			p, ok := srv.Portout(id)
			require.True(t, ok)
			if tt.wantErr != "" {
				assert.ErrorContains(t, err, tt.wantErr)
				assert.Equal(t, telnyx.PortoutStatusPending, p.Status, "nothing changed")
				return
			}
			require.NoError(t, err)
			assert.Contains(t, out.String(), "Status is now rejected-pending")
			assert.Equal(t, telnyx.PortoutStatusRejectedPending, p.Status)
			assert.Equal(t, tt.wantReason, p.Reason)
		})
	}
}

func TestIneligibleCodeChangesNothing(t *testing.T) {
	srv, id, connect := fake(t)
	err := run(context.Background(), []string{"-id", id, "-reject", "-code", "4242"}, &bytes.Buffer{}, &bytes.Buffer{}, connect)
	assert.ErrorContains(t, err, "not eligible")
	for _, r := range srv.Requests() {
		assert.Equal(t, http.MethodGet, r.Method)
	}
}

func TestUsageErrorsSendNothing(t *testing.T) {
	for _, args := range [][]string{
		nil,
		{"-id", " "},
		{"-id", "x", "-authorize", "-reject", "-code", "1002"},
		{"-id", "x", "-reject"},
		{"-id", "x", "-code", "1002"},
		{"-id", "x", "-reason", "why"},
		{"-id", "x", "-host-messaging"},
		{"-id", "x", "extra"},
		{"-bogus"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			srv, _, connect := fake(t)
			err := run(context.Background(), args, &bytes.Buffer{}, &bytes.Buffer{}, connect)
			assert.ErrorIs(t, err, errUsage)
			assert.Empty(t, srv.Requests())
		})
	}
}

func TestHelpAndErrors(t *testing.T) {
	var stderr bytes.Buffer
	assert.ErrorIs(t, run(context.Background(), []string{"-h"}, &bytes.Buffer{}, &stderr, nil), flag.ErrHelp)
	assert.Contains(t, stderr.String(), "-authorize")

	boom := errors.New("no key")
	err := run(context.Background(), []string{"-id", "x"}, &bytes.Buffer{}, &bytes.Buffer{}, func() (*telnyx.Client, error) { return nil, boom })
	assert.ErrorIs(t, err, boom)

	_, _, connect := fake(t)
	err = run(context.Background(), []string{"-id", "no-such-portout"}, &bytes.Buffer{}, &bytes.Buffer{}, connect)
	assert.ErrorIs(t, err, telnyx.ErrNotFound)
}
