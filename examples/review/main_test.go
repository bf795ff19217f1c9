package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	telnyx "github.com/a54710f5/telnyx-go"
	"github.com/a54710f5/telnyx-go/telnyxtest"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// clock is the fake's time, moved by the test.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// The rejection codes eligible for the port-out of fake: one that needs a
// reason and one that does not.
var (
	needsReason = telnyx.PortoutRejectionCode{Code: 1002, Description: "Account PIN does not match", ReasonRequired: true}
	noReason    = telnyx.PortoutRejectionCode{Code: 1010, Description: "Port-out not requested by the end user"}
)

// fake starts the fake API with one pending port-out that has a comment by
// Telnyx and one by the account's user, and the two codes above.
func fake(t *testing.T) (*telnyxtest.Server, string, func() (*telnyx.Client, error)) {
	t.Helper()
	clk := &clock{now: time.Date(2025, 6, 2, 14, 30, 0, 0, time.UTC)}
	srv := telnyxtest.NewServer(telnyxtest.WithClock(clk.Now))
	t.Cleanup(srv.Close)
	p := srv.AddPortout(telnyx.Portout{
		Status: telnyx.PortoutStatusPending, PhoneNumbers: []string{"+13125550142", "+13125550143"},
		EndUserName: "Brightwater Dental LLC", AuthorizedName: "Dana Whitfield",
		CarrierName: "Lakeside Telecom", SPID: "123A", PON: "PON-7781", SupportKey: "PO_764725",
		ServiceAddress: "400 N Michigan Ave", City: "Chicago", State: "IL", Zip: "60611",
		RequestedFocDate: time.Date(2025, 6, 20, 9, 0, 0, 0, time.UTC),
	})
	require.NoError(t, srv.SetRejectionCodes(p.ID, needsReason, noReason))
	clk.Add(time.Hour)
	_, err := srv.AddComment(p.ID, "Please confirm the account PIN.")
	require.NoError(t, err)
	clk.Add(15 * time.Minute)
	_, err = srv.Client().Portouts.Comments.Create(t.Context(), p.ID, telnyx.PortoutCommentCreateParams{Body: "PIN confirmed by phone."})
	require.NoError(t, err)
	return srv, p.ID, func() (*telnyx.Client, error) { return srv.Client(), nil }
}

// since returns the requests the fake received after the first n.
func since(srv *telnyxtest.Server, n int) []telnyxtest.RecordedRequest {
	return srv.Requests()[n:]
}

// shown is what every run prints for the port-out of fake, before any
// change.
func shown(id string) string {
	return `ID:              ` + id + `
Status:          pending
Phone numbers:   +13125550142, +13125550143
End user:        Brightwater Dental LLC
Authorized by:   Dana Whitfield
Service address: 400 N Michigan Ave, Chicago, IL, 60611
New carrier:     Lakeside Telecom (SPID 123A)
PON:             PON-7781
Requested FOC:   2025-06-20 09:00 UTC
FOC date:        -
Support key:     PO_764725
Created:         2025-06-02 14:30 UTC

Comments (2)
  2025-06-02 15:30 UTC  Telnyx: Please confirm the account PIN.
  2025-06-02 15:45 UTC  ` + telnyxtest.DefaultUserID + `: PIN confirmed by phone.

Eligible rejection codes (2)
  1002  Account PIN does not match (reason required)
  1010  Port-out not requested by the end user
`
}

func TestShowsThePortoutWithoutChangingIt(t *testing.T) {
	t.Parallel()
	srv, id, connect := fake(t)
	before := len(srv.Requests())
	var stdout, stderr bytes.Buffer
	require.NoError(t, run(context.Background(), []string{"-id", " " + id + " "}, &stdout, &stderr, connect))

	assert.Equal(t, shown(id), stdout.String())
	assert.Empty(t, stderr.String())
	var paths []string
	for _, r := range since(srv, before) {
		assert.Equal(t, http.MethodGet, r.Method, "only reads without -authorize or -reject")
		paths = append(paths, r.Path)
	}
	assert.Equal(t, []string{"/portouts/" + id, "/portouts/" + id + "/comments", "/portouts/rejections/" + id}, paths)
	p, ok := srv.Portout(id)
	require.True(t, ok)
	assert.Equal(t, telnyx.PortoutStatusPending, p.Status)
}

func TestShowsARejectionReason(t *testing.T) {
	t.Parallel()
	srv := telnyxtest.NewServer(telnyxtest.WithRejectionCodes())
	t.Cleanup(srv.Close)
	p := srv.AddPortout(telnyx.Portout{Status: telnyx.PortoutStatusRejected, Reason: "Wrong PIN"})
	var stdout bytes.Buffer
	require.NoError(t, run(context.Background(), []string{"-id", p.ID}, &stdout, io.Discard,
		func() (*telnyx.Client, error) { return srv.Client(), nil }))
	assert.Contains(t, stdout.String(), "\nReason:          Wrong PIN\n")
	assert.Contains(t, stdout.String(), "\nComments (0)\n")
	assert.True(t, strings.HasSuffix(stdout.String(), "\nEligible rejection codes (0)\n"), stdout.String())
}

func TestAuthorize(t *testing.T) {
	t.Parallel()
	for _, hostMessaging := range []bool{false, true} {
		t.Run("host messaging "+strconv.FormatBool(hostMessaging), func(t *testing.T) {
			t.Parallel()
			srv, id, connect := fake(t)
			before := len(srv.Requests())
			args := []string{"-id", id, "-authorize"}
			if hostMessaging {
				args = append(args, "-host-messaging")
			}
			var stdout bytes.Buffer
			require.NoError(t, run(context.Background(), args, &stdout, io.Discard, connect))

			assert.Equal(t, shown(id)+"\nStatus is now authorized\n", stdout.String())
			p, ok := srv.Portout(id)
			require.True(t, ok)
			assert.Equal(t, telnyx.PortoutStatusAuthorized, p.Status)
			assert.Equal(t, hostMessaging, p.HostMessaging)
			reqs := since(srv, before)
			require.Len(t, reqs, 4)
			last := reqs[3]
			assert.Equal(t, http.MethodPatch, last.Method)
			assert.Equal(t, "/portouts/"+id+"/authorized", last.Path)
			assert.JSONEq(t, `{"reason":"","host_messaging":`+strconv.FormatBool(hostMessaging)+`}`, string(last.Body))
		})
	}
}

func TestReject(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		code       telnyx.PortoutRejectionCode
		reason     string
		wantReason string
	}{
		{"with a reason", needsReason, "  The PIN given does not match.  ", "The PIN given does not match."},
		{"a reason where none is needed", noReason, "The end user says so.", "The end user says so."},
		{"the description stands in for an optional reason", noReason, "", noReason.Description},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, id, connect := fake(t)
			before := len(srv.Requests())
			args := []string{"-id", id, "-reject", "-code", strconv.Itoa(tt.code.Code)}
			if tt.reason != "" {
				args = append(args, "-reason", tt.reason)
			}
			var stdout bytes.Buffer
			require.NoError(t, run(context.Background(), args, &stdout, io.Discard, connect))

			assert.Equal(t, shown(id)+"\nStatus is now rejected-pending\n", stdout.String())
			p, ok := srv.Portout(id)
			require.True(t, ok)
			assert.Equal(t, telnyx.PortoutStatusRejectedPending, p.Status)
			assert.Equal(t, tt.wantReason, p.Reason)
			reqs := since(srv, before)
			require.Len(t, reqs, 4)
			assert.Equal(t, http.MethodPatch, reqs[3].Method)
			assert.Equal(t, "/portouts/"+id+"/rejected-pending", reqs[3].Path)
		})
	}
}

// A rejection the port-out's codes do not allow is refused after the
// details are shown, without any change: exit status 1.
func TestRejectionRefusedWithoutChange(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"a required reason is missing", []string{"-code", "1002"}, "code 1002 requires -reason; nothing was changed"},
		{"a blank reason is missing too", []string{"-code", "1002", "-reason", "  "}, "code 1002 requires -reason"},
		{"an ineligible code", []string{"-code", "4242", "-reason", "why"}, "code 4242 is not eligible for this port-out; nothing was changed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, id, connect := fake(t)
			before := len(srv.Requests())
			var stdout bytes.Buffer
			err := run(context.Background(), append([]string{"-id", id, "-reject"}, tt.args...), &stdout, io.Discard, connect)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			var msg bytes.Buffer
			assert.Equal(t, 1, exitCode(err, &msg))
			assert.Equal(t, "review: "+err.Error()+"\n", msg.String())
			assert.Equal(t, shown(id), stdout.String(), "the eligible codes are shown")
			for _, r := range since(srv, before) {
				assert.Equal(t, http.MethodGet, r.Method)
			}
			p, ok := srv.Portout(id)
			require.True(t, ok)
			assert.Equal(t, telnyx.PortoutStatusPending, p.Status)
		})
	}
}

// The API's answer to a change it refuses is the command's error.
func TestAuthorizeARejectedPortout(t *testing.T) {
	t.Parallel()
	srv, id, connect := fake(t)
	require.NoError(t, srv.SetStatus(id, telnyx.PortoutStatusRejected))
	var stdout bytes.Buffer
	err := run(context.Background(), []string{"-id", id, "-authorize"}, &stdout, io.Discard, connect)
	require.Error(t, err)
	var apiErr *telnyx.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusUnprocessableEntity, apiErr.StatusCode)
	assert.NotContains(t, stdout.String(), "Status is now")
	assert.Equal(t, 1, exitCode(err, io.Discard))
}

func TestUsageErrorsFailBeforeAnyRequest(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args []string
		want string
	}{
		{nil, "-id is required"},
		{[]string{"-id", " "}, "-id is required"},
		{[]string{"-id", "x", "-authorize", "-reject", "-code", "1002"}, "use -authorize or -reject, not both"},
		{[]string{"-id", "x", "-reject"}, "-reject needs -code"},
		{[]string{"-id", "x", "-reject", "-code", "-3"}, "-code -3 is not a rejection code"},
		{[]string{"-id", "x", "-reject", "-code", "PIN"}, `invalid value "PIN" for flag -code`},
		{[]string{"-id", "x", "-code", "1002"}, "-code and -reason go with -reject"},
		{[]string{"-id", "x", "-authorize", "-reason", "why"}, "-code and -reason go with -reject"},
		{[]string{"-id", "x", "-host-messaging"}, "-host-messaging goes with -authorize"},
		{[]string{"-id", "x", "-reject", "-code", "1002", "-host-messaging"}, "-host-messaging goes with -authorize"},
		{[]string{"-id", "x", "extra"}, `unexpected argument "extra"`},
		{[]string{"-bogus"}, "flag provided but not defined: -bogus"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			t.Parallel()
			srv, _, connect := fake(t)
			before := len(srv.Requests())
			connected := false
			var stdout, stderr bytes.Buffer
			err := run(context.Background(), tt.args, &stdout, &stderr, func() (*telnyx.Client, error) {
				connected = true
				return connect()
			})
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			var msg bytes.Buffer
			assert.Equal(t, 2, exitCode(err, &msg), "a usage mistake exits 2")
			out := msg.String() + stderr.String()
			assert.Equal(t, 1, strings.Count(out, tt.want), "the mistake is shown once: %s", out)
			assert.False(t, connected, "no client is built")
			assert.Empty(t, since(srv, before))
			assert.Empty(t, stdout.String())
		})
	}
}

func TestHelp(t *testing.T) {
	t.Parallel()
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"-h"}, &stdout, &stderr, func() (*telnyx.Client, error) {
		return nil, errors.New("-h needs no client")
	})
	require.ErrorIs(t, err, flag.ErrHelp)
	assert.Equal(t, 0, exitCode(err, io.Discard))
	assert.Empty(t, stdout.String())
	for _, f := range []string{"-id", "-authorize", "-reject", "-code", "-reason", "-host-messaging"} {
		assert.Contains(t, stderr.String(), f)
	}
}

func TestFailures(t *testing.T) {
	t.Parallel()
	boom := errors.New("no key")
	err := run(context.Background(), []string{"-id", "x"}, io.Discard, io.Discard, func() (*telnyx.Client, error) { return nil, boom })
	require.ErrorIs(t, err, boom)
	var msg bytes.Buffer
	assert.Equal(t, 1, exitCode(err, &msg))
	assert.Equal(t, "review: no key\n", msg.String())

	_, _, connect := fake(t)
	var stdout bytes.Buffer
	err = run(context.Background(), []string{"-id", "no-such-portout"}, &stdout, io.Discard, connect)
	require.ErrorIs(t, err, telnyx.ErrNotFound)
	assert.Empty(t, stdout.String())
}

// TestConnectFromEnvironment runs the command as main does, with the
// client built from TELNYX_API_KEY and TELNYX_BASE_URL. It sets the
// environment, so it cannot run in parallel.
func TestConnectFromEnvironment(t *testing.T) {
	srv, id, _ := fake(t)
	before := len(srv.Requests())
	t.Setenv("TELNYX_API_KEY", "")
	t.Setenv("TELNYX_BASE_URL", srv.URL)
	err := run(context.Background(), []string{"-id", id}, io.Discard, io.Discard, connect)
	require.ErrorIs(t, err, telnyx.ErrMissingAPIKey)
	assert.Empty(t, since(srv, before))

	t.Setenv("TELNYX_API_KEY", telnyxtest.APIKey)
	var stdout bytes.Buffer
	require.NoError(t, run(context.Background(), []string{"-id", id}, &stdout, io.Discard, connect))
	assert.Equal(t, shown(id), stdout.String())
	reqs := since(srv, before)
	require.NotEmpty(t, reqs)
	assert.Contains(t, reqs[0].Header.Get("User-Agent"), "telnyx-go-review")
}
