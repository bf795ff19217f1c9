package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"net/http"
	"net/url"
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

var t0 = time.Date(2025, 6, 2, 10, 0, 0, 0, time.UTC)

// fake starts the fake API, at t0 on clk, with one pending port-out, whose
// ID it returns, and no events.
func fake(t *testing.T) (*telnyxtest.Server, *clock, string, func() (*telnyx.Client, error)) {
	t.Helper()
	clk := &clock{now: t0}
	srv := telnyxtest.NewServer(telnyxtest.WithClock(clk.Now))
	t.Cleanup(srv.Close)
	p := srv.AddPortout(telnyx.Portout{Status: telnyx.PortoutStatusPending, PhoneNumbers: []string{"+13125550142"}})
	return srv, clk, p.ID, func() (*telnyx.Client, error) { return srv.Client(), nil }
}

// noWait is the wait of runs without -poll, which must not wait.
func noWait(context.Context, time.Duration) error {
	panic("no wait without -poll")
}

// filters returns the filters of a request's query.
func filters(q url.Values) map[string]string {
	m := map[string]string{}
	for k := range q {
		if strings.HasPrefix(k, "filter[") {
			m[k] = q.Get(k)
		}
	}
	return m
}

func TestListsOnce(t *testing.T) {
	t.Parallel()
	srv, clk, a, connect := fake(t)
	b := srv.AddPortout(telnyx.Portout{Status: telnyx.PortoutStatusPending, PhoneNumbers: []string{"+14165550199", "+14165550198"}}).ID
	require.NoError(t, srv.SetStatus(a, telnyx.PortoutStatusAuthorized))
	clk.Add(time.Second)
	_, err := srv.AddComment(b, "Please confirm the account PIN.")
	require.NoError(t, err)
	clk.Add(24 * time.Hour)
	require.NoError(t, srv.SetFocDate(a, time.Date(2025, 6, 20, 9, 0, 0, 0, time.UTC)))
	clk.Add(24 * time.Hour)
	_, err = srv.Client().Portouts.UpdateStatus(t.Context(), b, telnyx.PortoutStatusRejectedPending,
		telnyx.PortoutUpdateStatusParams{Reason: "PIN does not match"})
	require.NoError(t, err)

	lines := map[string]string{
		"a authorized": "2025-06-02T10:00:00Z  " + a[:8] + "  status → authorized (+13125550142)",
		"b comment":    "2025-06-02T10:00:01Z  " + b[:8] + "  comment: Please confirm the account PIN.",
		"a FOC date":   "2025-06-03T10:00:01Z  " + a[:8] + "  FOC date → 2025-06-20T09:00:00Z",
		"b rejected":   "2025-06-04T10:00:01Z  " + b[:8] + "  status → rejected-pending (+14165550199, +14165550198): PIN does not match",
	}
	tests := []struct {
		name    string
		args    []string
		want    []string
		filters map[string]string
	}{
		{"everything, oldest first", nil,
			[]string{"a authorized", "b comment", "a FOC date", "b rejected"}, map[string]string{}},
		{"one port-out", []string{"-portout", " " + a + " "},
			[]string{"a authorized", "a FOC date"}, map[string]string{"filter[portout_id]": a}},
		{"one type", []string{"-type", "portout.status_changed"},
			[]string{"a authorized", "b rejected"}, map[string]string{"filter[event_type]": "portout.status_changed"}},
		{"a day, to its end", []string{"-since", "2025-06-03", "-until", "2025-06-03"},
			[]string{"a FOC date"}, map[string]string{
				"filter[created_at][gte]": "2025-06-03T00:00:00Z", "filter[created_at][lte]": "2025-06-03T23:59:59Z"}},
		{"RFC 3339 times, as they are", []string{"-since", "2025-06-02T10:00:01Z", "-until", "2025-06-03T10:00:01Z"},
			[]string{"b comment", "a FOC date"}, map[string]string{
				"filter[created_at][gte]": "2025-06-02T10:00:01Z", "filter[created_at][lte]": "2025-06-03T10:00:01Z"}},
		{"all filters", []string{"-portout", b, "-type", "portout.new_comment", "-since", "2025-06-02"},
			[]string{"b comment"}, map[string]string{"filter[portout_id]": b, "filter[event_type]": "portout.new_comment",
				"filter[created_at][gte]": "2025-06-02T00:00:00Z"}},
		{"nothing", []string{"-until", "2025-06-01"}, nil,
			map[string]string{"filter[created_at][lte]": "2025-06-01T23:59:59Z"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(srv.Requests())
			var stdout, stderr bytes.Buffer
			require.NoError(t, run(context.Background(), tt.args, &stdout, &stderr, connect, noWait))

			var want string
			for _, k := range tt.want {
				want += lines[k] + "\n"
			}
			assert.Equal(t, want, stdout.String())
			assert.Empty(t, stderr.String())
			reqs := srv.Requests()[before:]
			require.Len(t, reqs, 1)
			assert.Equal(t, "/portouts/events", reqs[0].Path)
			assert.Equal(t, tt.filters, filters(reqs[0].Query))
		})
	}
}

func TestPrintEvent(t *testing.T) {
	t.Parallel()
	at := time.Date(2025, 6, 2, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		ev   telnyx.PortoutEvent
		want string
	}{
		{"a type this SDK does not know", telnyx.PortoutEvent{
			CreatedAt: at, PortoutID: "0ccc7b54-4df3", EventType: "portout.archived",
			Payload: &telnyx.UnknownPortoutEventPayload{Raw: json.RawMessage(`{"why":"old"}`)},
		}, `2025-06-02T10:00:00Z  0ccc7b54  portout.archived: {"why":"old"}`},
		{"no payload, short ID", telnyx.PortoutEvent{
			CreatedAt: at, PortoutID: "abc", EventType: telnyx.PortoutEventNewComment,
		}, "2025-06-02T10:00:00Z  abc       portout.new_comment"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var out bytes.Buffer
			printEvent(&out, &tt.ev)
			assert.Equal(t, tt.want+"\n", out.String())
		})
	}
}

// With -poll, every new event is printed exactly once, also events in the
// same second as one printed before (the API filters by whole seconds), and
// an interrupted wait ends the command without an error.
func TestPollPrintsEachNewEventOnce(t *testing.T) {
	t.Parallel()
	srv, clk, id, connect := fake(t)
	require.NoError(t, srv.SetStatus(id, telnyx.PortoutStatusAuthorized))
	clk.Add(300 * time.Millisecond)
	_, err := srv.AddComment(id, "first")
	require.NoError(t, err)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout bytes.Buffer
	var waits []time.Duration
	var printed []int // lines printed when each wait began
	wait := func(ctx context.Context, d time.Duration) error {
		waits = append(waits, d)
		printed = append(printed, strings.Count(stdout.String(), "\n"))
		switch len(waits) {
		case 1: // between polls 1 and 2: one more event in the same second
			clk.Add(400 * time.Millisecond)
			_, err := srv.AddComment(id, "second")
			require.NoError(t, err)
		case 2: // between polls 2 and 3: a FOC date change two seconds later
			clk.Add(2 * time.Second)
			require.NoError(t, srv.SetFocDate(id, time.Date(2025, 6, 20, 0, 0, 0, 0, time.UTC)))
		case 3: // nothing new, then Ctrl-C
		default:
			cancel()
			return ctx.Err()
		}
		return nil
	}
	require.NoError(t, run(ctx, []string{"-portout", id, "-poll", "30s"}, &stdout, io.Discard, connect, wait))

	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	require.Len(t, lines, 4, stdout.String())
	assert.Contains(t, lines[0], "status → authorized")
	assert.Contains(t, lines[1], "comment: first")
	assert.Contains(t, lines[2], "comment: second")
	assert.Contains(t, lines[3], "FOC date → 2025-06-20T00:00:00Z")
	assert.Equal(t, []time.Duration{30 * time.Second, 30 * time.Second, 30 * time.Second, 30 * time.Second}, waits)
	assert.Equal(t, []int{2, 3, 4, 4}, printed, "each poll prints only what is new")

	var gte []string
	for _, r := range srv.Requests() {
		assert.Equal(t, id, r.Query.Get("filter[portout_id]"))
		gte = append(gte, r.Query.Get("filter[created_at][gte]"))
	}
	assert.Equal(t, []string{"", "2025-06-02T10:00:00Z", "2025-06-02T10:00:00Z", "2025-06-02T10:00:02Z"}, gte,
		"each poll starts from the second of the newest event printed")
}

// A poll that starts from -since keeps that start until an event is printed.
func TestPollFromSinceWithNothingNew(t *testing.T) {
	t.Parallel()
	srv, _, _, connect := fake(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	polls := 0
	wait := func(ctx context.Context, d time.Duration) error {
		assert.Equal(t, time.Second, d)
		if polls++; polls == 3 {
			cancel()
			return ctx.Err()
		}
		return nil
	}
	var stdout bytes.Buffer
	require.NoError(t, run(ctx, []string{"-since", "2025-06-01", "-poll", "1s"}, &stdout, io.Discard, connect, wait))
	assert.Empty(t, stdout.String())
	var gte []string
	for _, r := range srv.Requests() {
		gte = append(gte, r.Query.Get("filter[created_at][gte]"))
	}
	assert.Equal(t, []string{"2025-06-01T00:00:00Z", "2025-06-01T00:00:00Z", "2025-06-01T00:00:00Z"}, gte)
}

// Ctrl-C while a poll's request is under way also ends -poll without an
// error; without -poll it is an error worth reporting.
func TestInterruptedWhileListing(t *testing.T) {
	t.Parallel()
	srv, _, id, connect := fake(t)
	require.NoError(t, srv.SetStatus(id, telnyx.PortoutStatusAuthorized))

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	wait := func(context.Context, time.Duration) error {
		cancel() // the signal arrives as the wait ends, before the next request
		return nil
	}
	var stdout bytes.Buffer
	require.NoError(t, run(ctx, []string{"-poll", "1m"}, &stdout, io.Discard, connect, wait))
	assert.Equal(t, 1, strings.Count(stdout.String(), "status → authorized"))

	err := run(ctx, nil, io.Discard, io.Discard, connect, noWait)
	require.ErrorIs(t, err, context.Canceled)
	assert.True(t, strings.HasPrefix(err.Error(), "interrupted: "), err.Error())
	assert.Equal(t, 1, exitCode(err, io.Discard))
}

// A failed poll ends -poll with the API's error.
func TestPollEndsOnAnAPIError(t *testing.T) {
	t.Parallel()
	srv, _, _, connect := fake(t)
	wait := func(context.Context, time.Duration) error {
		srv.FailNext(1, http.StatusForbidden, nil)
		return nil
	}
	err := run(context.Background(), []string{"-poll", "1s"}, io.Discard, io.Discard, connect, wait)
	require.ErrorIs(t, err, telnyx.ErrForbidden)
	assert.Len(t, srv.Requests(), 2)
	assert.Equal(t, 1, exitCode(err, io.Discard))
}

func TestUsageErrorsFailBeforeAnyRequest(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"-type", "portout.deleted"}, `-type "portout.deleted" is not a port-out event type`},
		{[]string{"-poll", "-1s"}, "-poll -1s is negative"},
		{[]string{"-poll", "10ms"}, "-poll 10ms is under a second"},
		{[]string{"-poll", "often"}, `invalid value "often" for flag -poll`},
		{[]string{"-since", "last week"}, `-since: "last week" is neither a date (2006-01-02) nor an RFC 3339 time`},
		{[]string{"-until", "2025-02-30"}, `-until: "2025-02-30" is neither a date`},
		{[]string{"-since", "2025-06-02T00:00:01Z", "-until", "2025-06-02T00:00:00Z"}, "-since is after -until"},
		{[]string{"extra"}, `unexpected argument "extra"`},
		{[]string{"-bogus"}, "flag provided but not defined: -bogus"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			t.Parallel()
			srv, _, _, connect := fake(t)
			connected := false
			var stdout, stderr bytes.Buffer
			err := run(context.Background(), tt.args, &stdout, &stderr, func() (*telnyx.Client, error) {
				connected = true
				return connect()
			}, noWait)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			var msg bytes.Buffer
			assert.Equal(t, 2, exitCode(err, &msg), "a usage mistake exits 2")
			out := msg.String() + stderr.String()
			assert.Equal(t, 1, strings.Count(out, tt.want), "the mistake is shown once: %s", out)
			assert.False(t, connected, "no client is built")
			assert.Empty(t, srv.Requests())
			assert.Empty(t, stdout.String())
		})
	}
}

func TestHelp(t *testing.T) {
	t.Parallel()
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"-h"}, &stdout, &stderr, func() (*telnyx.Client, error) {
		return nil, errors.New("-h needs no client")
	}, noWait)
	require.ErrorIs(t, err, flag.ErrHelp)
	assert.Equal(t, 0, exitCode(err, io.Discard))
	assert.Empty(t, stdout.String())
	for _, f := range []string{"-portout", "-type", "-since", "-until", "-poll"} {
		assert.Contains(t, stderr.String(), f)
	}
}

func TestConnectError(t *testing.T) {
	t.Parallel()
	boom := errors.New("no key")
	err := run(context.Background(), nil, io.Discard, io.Discard, func() (*telnyx.Client, error) { return nil, boom }, noWait)
	require.ErrorIs(t, err, boom)
	var msg bytes.Buffer
	assert.Equal(t, 1, exitCode(err, &msg))
	assert.Equal(t, "follow-events: no key\n", msg.String())
}

func TestSleepEndsWithTheContext(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	assert.ErrorIs(t, sleep(ctx, time.Hour), context.Canceled)
	assert.NoError(t, sleep(context.Background(), 0))
}

// TestConnectFromEnvironment runs the command as main does, with the
// client built from TELNYX_API_KEY and TELNYX_BASE_URL. It sets the
// environment, so it cannot run in parallel.
func TestConnectFromEnvironment(t *testing.T) {
	srv, _, id, _ := fake(t)
	require.NoError(t, srv.SetStatus(id, telnyx.PortoutStatusCanceled))
	t.Setenv("TELNYX_API_KEY", "")
	t.Setenv("TELNYX_BASE_URL", srv.URL)
	err := run(context.Background(), nil, io.Discard, io.Discard, connect, noWait)
	require.ErrorIs(t, err, telnyx.ErrMissingAPIKey)
	assert.Empty(t, srv.Requests())

	t.Setenv("TELNYX_API_KEY", telnyxtest.APIKey)
	var stdout bytes.Buffer
	require.NoError(t, run(context.Background(), nil, &stdout, io.Discard, connect, noWait))
	assert.Contains(t, stdout.String(), "status → canceled")
	reqs := srv.Requests()
	require.Len(t, reqs, 1)
	assert.Contains(t, reqs[0].Header.Get("User-Agent"), "telnyx-go-follow-events")
}
