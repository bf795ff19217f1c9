package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
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

func fake(t *testing.T) (*telnyxtest.Server, *clock, string, func() (*telnyx.Client, error)) {
	t.Helper()
	clk := &clock{now: t0}
	srv := telnyxtest.NewServer(telnyxtest.WithClock(clk.Now))
	t.Cleanup(srv.Close)
	p := srv.AddPortout(telnyx.Portout{Status: telnyx.PortoutStatusPending, PhoneNumbers: []string{"+13125550142"}})
	return srv, clk, p.ID, func() (*telnyx.Client, error) { return srv.Client(), nil }
}

func noWait(context.Context, time.Duration) error {
	panic("no wait without -poll")
}

func TestListsOnce(t *testing.T) {
	srv, clk, id, connect := fake(t)
	other := srv.AddPortout(telnyx.Portout{Status: telnyx.PortoutStatusPending})
	require.NoError(t, srv.SetStatus(id, telnyx.PortoutStatusAuthorized))
	clk.Add(time.Second)
	_, err := srv.AddComment(id, "Confirmed with the end user.")
	require.NoError(t, err)
	require.NoError(t, srv.SetStatus(other.ID, telnyx.PortoutStatusCanceled))

	var out bytes.Buffer
	require.NoError(t, run(context.Background(), []string{"-portout", id}, &out, &bytes.Buffer{}, connect, noWait))
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	require.Len(t, lines, 2, out.String())
	assert.Contains(t, lines[0], "status → authorized (+13125550142)")
	assert.Contains(t, lines[1], "comment: Confirmed with the end user.")
	assert.Equal(t, id, srv.Requests()[0].Query.Get("filter[portout_id]"))

	out.Reset()
	require.NoError(t, run(context.Background(), []string{"-type", "portout.status_changed", "-since", "2025-06-02"}, &out, &bytes.Buffer{}, connect, noWait))
	assert.Equal(t, 2, strings.Count(out.String(), "status →"), out.String())
	assert.NotContains(t, out.String(), "comment:")
}

// With -poll, every new event is printed exactly once, also events in the
// same second as one printed before (the API filters by whole seconds), and
// an interrupted wait ends the command without an error.
func TestPollPrintsEachNewEventOnce(t *testing.T) {
	srv, clk, id, connect := fake(t)
	require.NoError(t, srv.SetStatus(id, telnyx.PortoutStatusAuthorized))
	clk.Add(300 * time.Millisecond)
	_, err := srv.AddComment(id, "first")
	require.NoError(t, err)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var waits []time.Duration
	wait := func(ctx context.Context, d time.Duration) error {
		waits = append(waits, d)
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
	var out bytes.Buffer
	require.NoError(t, run(ctx, []string{"-portout", id, "-poll", "30s"}, &out, &bytes.Buffer{}, connect, wait))

	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	require.Len(t, lines, 4, out.String())
	assert.Contains(t, lines[0], "status → authorized")
	assert.Contains(t, lines[1], "comment: first")
	assert.Contains(t, lines[2], "comment: second")
	assert.Contains(t, lines[3], "FOC date → 2025-06-20T00:00:00Z")
	assert.Equal(t, []time.Duration{30 * time.Second, 30 * time.Second, 30 * time.Second, 30 * time.Second}, waits)

	var gte []string
	for _, r := range srv.Requests() {
		gte = append(gte, r.Query.Get("filter[created_at][gte]"))
	}
	assert.Equal(t, []string{"", "2025-06-02T10:00:00Z", "2025-06-02T10:00:00Z", "2025-06-02T10:00:02Z"}, gte,
		"each poll starts from the second of the newest event printed")
}

func TestUsageErrorsSendNothing(t *testing.T) {
	for _, args := range [][]string{
		{"-type", "portout.deleted"},
		{"-poll", "-1s"},
		{"-poll", "10ms"},
		{"-since", "last week"},
		{"-until", "2025-02-30"},
		{"extra"},
		{"-bogus"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			srv, _, _, connect := fake(t)
			err := run(context.Background(), args, &bytes.Buffer{}, &bytes.Buffer{}, connect, noWait)
			assert.ErrorIs(t, err, errUsage)
			assert.Empty(t, srv.Requests())
		})
	}
}

func TestHelpAndErrors(t *testing.T) {
	var stderr bytes.Buffer
	assert.ErrorIs(t, run(context.Background(), []string{"-h"}, &bytes.Buffer{}, &stderr, nil, noWait), flag.ErrHelp)
	assert.Contains(t, stderr.String(), "-poll")

	boom := errors.New("no key")
	err := run(context.Background(), nil, &bytes.Buffer{}, &bytes.Buffer{}, func() (*telnyx.Client, error) { return nil, boom }, noWait)
	assert.ErrorIs(t, err, boom)

	// Without -poll, a cancelled listing is an error worth reporting.
	_, _, _, connect := fake(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err = run(ctx, nil, &bytes.Buffer{}, &bytes.Buffer{}, connect, noWait)
	assert.ErrorIs(t, err, context.Canceled)
}

func TestSleepEndsWithTheContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	assert.ErrorIs(t, sleep(ctx, time.Hour), context.Canceled)
	assert.NoError(t, sleep(context.Background(), 0))
}
