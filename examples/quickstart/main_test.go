package main

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strings"
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

// demoServer starts the fake with the quickstart's sample port-outs and
// returns them by support key.
func demoServer(t *testing.T) (*telnyxtest.Server, map[string]telnyx.Portout) {
	t.Helper()
	srv := telnyxtest.NewServer()
	t.Cleanup(srv.Close)
	seedDemo(srv, time.Date(2025, 6, 10, 9, 30, 0, 0, time.UTC))
	page, err := srv.Client().Portouts.List(context.Background(), nil)
	require.NoError(t, err)
	require.Len(t, page.Data, 5)
	byKey := map[string]telnyx.Portout{}
	for _, p := range page.Data {
		byKey[p.SupportKey] = p
	}
	return srv, byKey
}

func status(t *testing.T, srv *telnyxtest.Server, id string) telnyx.Portout {
	t.Helper()
	p, ok := srv.Portout(id)
	require.True(t, ok)
	return p
}

// writes lists the requests that were not reads.
func writes(srv *telnyxtest.Server) []string {
	var out []string
	for _, r := range srv.Requests() {
		if r.Method != http.MethodGet {
			out = append(out, r.Method+" "+r.Path)
		}
	}
	return out
}

func TestDemoWalksTheWholeReview(t *testing.T) {
	t.Parallel()
	srv, ps := demoServer(t)
	var out bytes.Buffer
	err := run(context.Background(), srv.Client(), &out, config{Demo: true, Apply: true})
	require.NoError(t, err)
	text := out.String()

	for _, want := range []string{
		"in-process fake",
		"1. Pending port-out requests (3)",
		"PO_318204    +13125550142, +13125550143",
		"2. A closer look at PO_318204",
		"Maria Lopez",
		"Lakeside Telecom (SPID 123A)",
		"400 N Michigan Ave, Chicago, IL 60611",
		"Requested FOC    2025-06-19",
		"Telnyx support: The gaining carrier sent the account PIN on file.",
		"1010  The end user did not request this port-out  (needs a reason)",
		"3. Authorize PO_318204",
		"PO_318204 is now authorized.",
		"4. Reject PO_552871",
		"Code 1010 (The end user did not request this port-out) needs a reason",
		"PO_552871 is now rejected-pending, with rejection code 1010.",
		"5. Comment on PO_552871",
		"6. Events of the port-outs we changed (4)",
		"portout.status_changed  +13125550142, +13125550143 → authorized",
		"+14165550199 → rejected-pending (reason: \"" + demoReason + "\")",
		"portout.new_comment     \"" + demoComment + "\"",
		"7. CSV export of all port-outs",
		"   id,support_key,status,phone_numbers,",
		",PO_318204,authorized,+13125550142;+13125550143,Brightwater Dental LLC,",
		",PO_552871,rejected-pending,+14165550199,",
		",PO_690413,pending,",
		"Done.",
	} {
		assert.Contains(t, text, want)
	}
	for i, line := range strings.Split(text, "\n") {
		assert.Equal(t, strings.TrimRight(line, " "), line, "line %d has trailing spaces", i+1)
	}

	// The fake's final state.
	authorized := status(t, srv, ps["PO_318204"].ID)
	assert.Equal(t, telnyx.PortoutStatusAuthorized, authorized.Status)
	rejected := status(t, srv, ps["PO_552871"].ID)
	assert.Equal(t, telnyx.PortoutStatusRejectedPending, rejected.Status)
	assert.Equal(t, 1010, rejected.RejectionCode)
	assert.Equal(t, demoReason, rejected.Reason)
	for _, key := range []string{"PO_690413", "PO_204977", "PO_117350"} {
		assert.Equal(t, ps[key].Status, status(t, srv, ps[key].ID).Status, "%s is untouched", key)
	}
	comments, err := srv.Client().Portouts.Comments.List(context.Background(), rejected.ID)
	require.NoError(t, err)
	require.Len(t, comments, 1)
	assert.Equal(t, demoComment, comments[0].Body)
	assert.Equal(t, []string{
		"PATCH /portouts/" + authorized.ID + "/authorized",
		"PATCH /portouts/" + rejected.ID + "/rejected-pending",
		"POST /portouts/" + rejected.ID + "/comments",
		"POST /portouts/reports",
	}, writes(srv))
}

func TestReadOnlyChangesNothing(t *testing.T) {
	t.Parallel()
	srv, ps := demoServer(t)
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), srv.Client(), &out, config{}))
	text := out.String()
	assert.Contains(t, text, "read-only: nothing will be changed")
	assert.Contains(t, text, "2. A closer look at PO_318204")
	assert.Contains(t, text, "3. Events of this port-out (1)")
	assert.Contains(t, text, "Read-only run: nothing was changed.")
	assert.NotContains(t, text, "is now")
	assert.Empty(t, writes(srv))
	assert.Equal(t, telnyx.PortoutStatusPending, status(t, srv, ps["PO_318204"].ID).Status)
}

func TestApplyOnlyTouchesNamedPortouts(t *testing.T) {
	t.Parallel()
	srv, ps := demoServer(t)
	harbor := ps["PO_690413"]
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), srv.Client(), &out, config{Apply: true, AuthorizeID: harbor.ID}))
	text := out.String()
	assert.Contains(t, text, "only the port-outs you named will change")
	assert.Contains(t, text, "2. A closer look at PO_690413")
	assert.Contains(t, text, "PO_690413 is now authorized.")
	assert.NotContains(t, text, "Reject PO_")
	assert.NotContains(t, text, "Comment on", "no comment unless -comment is given")
	assert.Equal(t, telnyx.PortoutStatusAuthorized, status(t, srv, harbor.ID).Status)
	assert.Equal(t, telnyx.PortoutStatusPending, status(t, srv, ps["PO_318204"].ID).Status)
	assert.Equal(t, telnyx.PortoutStatusPending, status(t, srv, ps["PO_552871"].ID).Status)
}

func TestApplyWithoutTargets(t *testing.T) {
	t.Parallel()
	srv, _ := demoServer(t)
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), srv.Client(), &out, config{Apply: true}))
	assert.Contains(t, out.String(), "Nothing to change: name a pending port-out with -authorize or -reject.")
	assert.Empty(t, writes(srv))
}

func TestRejectNeedsAReason(t *testing.T) {
	t.Parallel()
	srv, ps := demoServer(t)
	err := run(context.Background(), srv.Client(), &bytes.Buffer{}, config{Apply: true, RejectID: ps["PO_552871"].ID})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "pass -reason")
	assert.Equal(t, telnyx.PortoutStatusPending, status(t, srv, ps["PO_552871"].ID).Status)
}

func TestRefusedChangeIsReported(t *testing.T) {
	t.Parallel()
	srv, ps := demoServer(t)
	ported := ps["PO_117350"]
	err := run(context.Background(), srv.Client(), &bytes.Buffer{}, config{Apply: true, RejectID: ported.ID, Reason: "too late"})
	require.Error(t, err)
	assert.True(t, errors.Is(err, telnyx.ErrUnprocessable), "%v", err)
	assert.Contains(t, err.Error(), "the API refused the rejection (422)")
}

func TestAPIFailureIsReturned(t *testing.T) {
	t.Parallel()
	srv, _ := demoServer(t)
	srv.FailNext(3, http.StatusServiceUnavailable, nil)
	err := run(context.Background(), srv.Client(), &bytes.Buffer{}, config{Demo: true, Apply: true})
	require.Error(t, err)
	assert.True(t, errors.Is(err, telnyx.ErrServer))
	assert.Contains(t, err.Error(), "listing pending port-outs")
}

func TestEmptyQueue(t *testing.T) {
	t.Parallel()
	srv := telnyxtest.NewServer()
	defer srv.Close()
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), srv.Client(), &out, config{Demo: true, Apply: true}))
	assert.Contains(t, out.String(), "Nothing is waiting for review.")
	assert.Contains(t, out.String(), "No port-out to look at; done.")
}

func TestRealMain(t *testing.T) {
	t.Setenv("TELNYX_API_KEY", "")
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantOut  string
		wantErr  string
	}{
		{"demo by default", nil, 0, "Done.", ""},
		{"unknown flag", []string{"-force"}, 2, "", "flag provided but not defined: -force"},
		{"help", []string{"-h"}, 0, "", "-apply"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			assert.Equal(t, tt.wantCode, realMain(tt.args, &stdout, &stderr))
			assert.Contains(t, stdout.String(), tt.wantOut)
			assert.Contains(t, stderr.String(), tt.wantErr)
		})
	}
}
