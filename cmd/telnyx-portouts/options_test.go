package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	telnyx "github.com/a54710f5/telnyx-go"
	"github.com/a54710f5/telnyx-go/telnyxtest"
)

// run, as main calls it, wires the real streams and environment.
func TestRun(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run(t.Context(), []string{"--fake", "--output", "json", "list", "--status", "ported"}, strings.NewReader(""), &stdout, &stderr); code != exitOK {
		t.Fatalf("exit status %d: %s", code, stderr.String())
	}
	var p map[string]any
	if err := json.Unmarshal(stdout.Bytes(), &p); err != nil || p["id"] != demoSurf {
		t.Errorf("stdout %q: %v", stdout.String(), err)
	}
}

func TestSleepEndsWithItsContext(t *testing.T) {
	if err := sleep(t.Context(), 0); err != nil {
		t.Errorf("sleep(0) = %v", err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := sleep(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Errorf("sleep on an ended context = %v", err)
	}
}

// --verbose sends the SDK's debug log to stderr, one record per attempt.
func TestVerbose(t *testing.T) {
	r, _ := runFake(t, "--verbose", "show", demoAcme, "--output", "json")
	wantCode(t, r, exitOK)
	log := lines(r.stderr)
	if len(log) != 4 {
		t.Fatalf("stderr:\n%s", r.stderr)
	}
	for _, l := range log {
		if !strings.Contains(l, "level=DEBUG") || !strings.Contains(l, "GET") || strings.Contains(l, telnyxtest.APIKey) {
			t.Errorf("log line %q", l)
		}
	}
}

// --timeout bounds each attempt.
func TestTimeout(t *testing.T) {
	stuck := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		<-r.Context().Done() // answers only when the client gives up
	}))
	defer stuck.Close()
	a, _, stderr := testApp(nil, "")
	a.connect = func(opts ...telnyx.Option) (*telnyx.Client, error) {
		return telnyx.NewClient(append(opts, telnyx.WithAPIKey("KEY_test"), telnyx.WithBaseURL(stuck.URL), telnyx.WithMaxRetries(0))...)
	}
	if code := a.main(t.Context(), []string{"--timeout", "20ms", "show", "po-1"}); code != exitFailure {
		t.Fatalf("exit status %d", code)
	}
	if got := stderr.String(); !strings.HasPrefix(got, "telnyx-portouts show: telnyx: GET /portouts/{id}: ") || !strings.Contains(got, "deadline exceeded") {
		t.Errorf("stderr %q", got)
	}
}
