package main

import (
	"context"
	"net/http"
	"net/url"
	"reflect"
	"testing"
	"time"

	telnyx "github.com/a54710f5/telnyx-go"
	"github.com/a54710f5/telnyx-go/telnyxtest"
)

const eventsHeader = "TIME (UTC)           PORT-OUT                              EVENT                     DETAIL\n"

func TestFakeEvents(t *testing.T) {
	r, _ := runFake(t, "events")
	wantCode(t, r, exitOK)
	wantText(t, "stdout", r.stdout, eventsHeader+
		"2026-11-03 08:00:00  8c1f0c3a-4d2b-4f6e-9a51-2d7f60e10005  portout.status_changed    status: authorized\n"+
		"2026-11-10 17:00:00  8c1f0c3a-4d2b-4f6e-9a51-2d7f60e10005  portout.status_changed    status: ported\n"+
		"2026-11-13 08:00:00  8c1f0c3a-4d2b-4f6e-9a51-2d7f60e10004  portout.status_changed    status: authorized\n"+
		"2026-11-20 15:30:00  8c1f0c3a-4d2b-4f6e-9a51-2d7f60e10001  portout.new_comment       comment: LOA received; the signature matches the account holder.\n"+
		"2026-11-21 09:12:00  8c1f0c3a-4d2b-4f6e-9a51-2d7f60e10001  portout.foc_date_changed  FOC date: 2026-12-03\n"+
		"2026-11-22 11:02:00  8c1f0c3a-4d2b-4f6e-9a51-2d7f60e10002  portout.new_comment       comment: The customer asks to keep the number active until the FOC date.\n")
}

func TestEventsFilters(t *testing.T) {
	r, srv := runFake(t, "events", "--portout", demoAcme, "--type", "portout.foc_date_changed", "--since", "2026-11-21", "--output", "json")
	wantCode(t, r, exitOK)
	got := decodeLines(t, r.stdout)
	if len(got) != 1 || got[0]["event_type"] != "portout.foc_date_changed" || got[0]["portout_id"] != demoAcme {
		t.Fatalf("events %v", got)
	}
	if foc := got[0]["payload"].(map[string]any)["foc_date"]; foc != "2026-12-03T00:00:00Z" {
		t.Errorf("payload foc_date %v", foc)
	}
	want := url.Values{
		"filter[portout_id]":      {demoAcme},
		"filter[event_type]":      {"portout.foc_date_changed"},
		"filter[created_at][gte]": {"2026-11-21T00:00:00Z"},
		"page[size]":              {"250"},
	}
	if q := srv.Requests()[0].Query; !reflect.DeepEqual(q, want) {
		t.Errorf("query %v, want %v", q, want)
	}

	r, _ = runFake(t, "events", "--since", "2026-11-25")
	wantCode(t, r, exitOK)
	wantText(t, "stdout", r.stdout, "")
	wantText(t, "stderr", r.stderr, "No events match.\n")
}

// --follow prints each event once, however the polls overlap: events in
// the second a poll resumes from come back and are skipped, and it stops
// cleanly when the context ends.
func TestEventsFollow(t *testing.T) {
	clock := &demoClock{t: at(t, "2026-11-05T09:00:00Z")}
	srv := telnyxtest.NewServer(telnyxtest.WithClock(clock.now))
	defer srv.Close()
	srv.AddPortout(telnyx.Portout{ID: "po-1", PhoneNumbers: []string{"+13125550100"}})
	step := func(at time.Time, do func() error) {
		clock.set(at)
		if err := do(); err != nil {
			t.Fatal(err)
		}
	}
	t0 := at(t, "2026-11-05T10:00:00Z")
	step(t0.Add(200*time.Millisecond), func() error { return srv.SetStatus("po-1", telnyx.PortoutStatusAuthorized) })

	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	a, stdout, stderr := testApp(srv, "")
	var waits []time.Duration
	a.wait = func(ctx context.Context, d time.Duration) error {
		waits = append(waits, d)
		switch len(waits) {
		case 1: // one more in the same second, one later
			step(t0.Add(700*time.Millisecond), func() error { _, err := srv.AddComment("po-1", "same second"); return err })
			step(t0.Add(3*time.Second), func() error { return srv.SetFocDate("po-1", at(t, "2026-12-01T00:00:00Z")) })
		case 2: // nothing new
		case 3:
			cancel() // Ctrl-C while waiting
			return ctx.Err()
		}
		return nil
	}
	code := a.main(ctx, []string{"events", "--follow", "--interval", "2s"})
	if code != exitOK {
		t.Fatalf("exit status %d; stderr %s", code, stderr)
	}
	wantText(t, "stdout", stdout.String(), eventsHeader+
		"2026-11-05 10:00:00  po-1                                  portout.status_changed    status: authorized\n"+
		"2026-11-05 10:00:00  po-1                                  portout.new_comment       comment: same second\n"+
		"2026-11-05 10:00:03  po-1                                  portout.foc_date_changed  FOC date: 2026-12-01\n")
	wantText(t, "stderr", stderr.String(), "")
	if !reflect.DeepEqual(waits, []time.Duration{2 * time.Second, 2 * time.Second, 2 * time.Second}) {
		t.Errorf("waits %v", waits)
	}
	var starts []string
	for _, q := range srv.Requests() {
		starts = append(starts, q.Query.Get("filter[created_at][gte]"))
	}
	want := []string{"", "2026-11-05T10:00:00Z", "2026-11-05T10:00:03Z"}
	if !reflect.DeepEqual(starts, want) {
		t.Errorf("polls started at %q, want %q", starts, want)
	}
}

// Ctrl-C during a poll's request ends --follow cleanly too; an API failure
// ends it with exit status 1.
func TestEventsFollowStops(t *testing.T) {
	srv := telnyxtest.NewServer()
	defer srv.Close()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	a, stdout, _ := testApp(srv, "")
	a.wait = func(context.Context, time.Duration) error {
		cancel() // the next poll starts on an ended context
		return nil
	}
	if code := a.main(ctx, []string{"events", "--follow"}); code != exitOK {
		t.Fatalf("exit status %d", code)
	}
	wantText(t, "stdout", stdout.String(), "")
	if n := len(srv.Requests()); n != 1 {
		t.Errorf("%d requests", n)
	}

	srv.FailNext(1, http.StatusUnauthorized, nil)
	a, _, stderr := testApp(srv, "")
	if code := a.main(t.Context(), []string{"events", "--follow", "--output", "json"}); code != exitFailure {
		t.Fatalf("exit status %d", code)
	}
	if got := stderr.String(); len(lines(got)) != 1 {
		t.Errorf("stderr %q", got)
	}
}

// The seen set only holds the newest second's IDs.
func TestFollowerForgetsOlderSeconds(t *testing.T) {
	f := &follower{seen: map[string]bool{"old": true}}
	f.filter.CreatedAt.Gte = at(t, "2026-11-05T10:00:00Z")
	newest := at(t, "2026-11-05T10:00:05.5Z")
	f.advance(newest, []*telnyx.PortoutEvent{
		{ID: "a", CreatedAt: at(t, "2026-11-05T10:00:04.9Z")},
		{ID: "b", CreatedAt: at(t, "2026-11-05T10:00:05Z")},
		{ID: "c", CreatedAt: newest},
	})
	if !reflect.DeepEqual(f.seen, map[string]bool{"b": true, "c": true}) {
		t.Errorf("seen %v", f.seen)
	}
	if !f.filter.CreatedAt.Gte.Equal(at(t, "2026-11-05T10:00:05Z")) {
		t.Errorf("next start %v", f.filter.CreatedAt.Gte)
	}
}

func TestEventsUsageErrorsSendNothing(t *testing.T) {
	tests := map[string][]string{
		"type":             {"--type", "portout.created"},
		"interval alone":   {"--interval", "5s"},
		"interval too low": {"--follow", "--interval", "500ms"},
		"since":            {"--since", "2026-13-01"},
		"argument":         {"po-1"},
	}
	for name, args := range tests {
		t.Run(name, func(t *testing.T) {
			srv := telnyxtest.NewServer()
			defer srv.Close()
			r := runCLI(t, srv, append([]string{"events"}, args...)...)
			wantCode(t, r, exitUsage)
			if n := len(srv.Requests()); n != 0 {
				t.Errorf("%d requests sent", n)
			}
		})
	}
}

func TestEventDetail(t *testing.T) {
	tests := []struct {
		payload telnyx.PortoutEventPayload
		want    string
	}{
		{&telnyx.PortoutStatusChangedPayload{Status: telnyx.PortoutStatusRejectedPending, RejectionReason: "Wrong PIN"}, "status: rejected-pending (reason: Wrong PIN)"},
		{&telnyx.PortoutNewCommentPayload{Comment: "hi"}, "comment: hi"},
		{&telnyx.PortoutFocDateChangedPayload{FocDate: at(t, "2026-12-01T00:00:00Z")}, "FOC date: 2026-12-01"},
		{&telnyx.UnknownPortoutEventPayload{Raw: []byte(`{ "a" : 1 }`)}, `{"a":1}`},
		{nil, ""},
	}
	for _, tt := range tests {
		if got := eventDetail(&telnyx.PortoutEvent{Payload: tt.payload}); got != tt.want {
			t.Errorf("%T: %q, want %q", tt.payload, got, tt.want)
		}
	}
}
