package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	telnyx "github.com/a54710f5/telnyx-go"
	"github.com/a54710f5/telnyx-go/telnyxtest"
)

// result is what one run of the command left behind.
type result struct {
	code           int
	stdout, stderr string
}

// syncBuffer is a bytes.Buffer safe for the listener's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// testApp returns an app whose client talks to srv (when not nil) with
// the fake's instant retries and polls, and whose environment is empty.
func testApp(srv *telnyxtest.Server, stdin string) (*app, *syncBuffer, *syncBuffer) {
	var stdout, stderr syncBuffer
	a := newApp(strings.NewReader(stdin), &stdout, &stderr)
	a.getenv = func(string) string { return "" }
	a.wait = func(context.Context, time.Duration) error { panic("unexpected wait") }
	if srv != nil {
		a.connect = func(opts ...telnyx.Option) (*telnyx.Client, error) { return srv.Client(opts...), nil }
	}
	return a, &stdout, &stderr
}

// runCLI runs the command line against srv.
func runCLI(t *testing.T, srv *telnyxtest.Server, args ...string) result {
	t.Helper()
	a, stdout, stderr := testApp(srv, "")
	code := a.main(t.Context(), args)
	return result{code, stdout.String(), stderr.String()}
}

// fakeRun is the --fake server of one run, closed by then but still able
// to tell what it holds and what it received.
type fakeRun struct {
	*telnyxtest.Server
	seeded int // requests made while seeding the demo data
}

// Requests returns the requests the command sent, without the seeding's.
func (f *fakeRun) Requests() []telnyxtest.RecordedRequest {
	return f.Server.Requests()[f.seeded:]
}

// runFake runs the command line with --fake.
func runFake(t *testing.T, args ...string) (result, *fakeRun) {
	t.Helper()
	a, stdout, stderr := testApp(nil, "")
	f := &fakeRun{}
	a.fakeReady = func(s *telnyxtest.Server) { f.Server, f.seeded = s, len(s.Requests()) }
	code := a.main(t.Context(), append([]string{"--fake"}, args...))
	return result{code, stdout.String(), stderr.String()}, f
}

func wantCode(t *testing.T, r result, code int) {
	t.Helper()
	if r.code != code {
		t.Fatalf("exit status %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, code, r.stdout, r.stderr)
	}
}

func wantText(t *testing.T, name, got, want string) {
	t.Helper()
	if got != want {
		t.Errorf("%s:\n--- got ---\n%s\n--- want ---\n%s", name, got, want)
	}
}

// lines splits output into its lines, without the final newline.
func lines(s string) []string {
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}

// decodeLines decodes NDJSON output into one map per line.
func decodeLines(t *testing.T, s string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, l := range lines(s) {
		if l == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("line %q is not a JSON object: %v", l, err)
		}
		out = append(out, m)
	}
	return out
}

// writes returns the requests that could change something.
func writes(reqs []telnyxtest.RecordedRequest) []telnyxtest.RecordedRequest {
	var out []telnyxtest.RecordedRequest
	for _, r := range reqs {
		if r.Method != http.MethodGet {
			out = append(out, r)
		}
	}
	return out
}

// at parses an RFC 3339 time for test data.
func at(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestRootHelpAndUsageErrors(t *testing.T) {
	r := runCLI(t, nil, "-h")
	wantCode(t, r, exitOK)
	for _, c := range commands {
		if !strings.Contains(r.stdout, "\n  "+c.name+" ") {
			t.Errorf("root help does not list %s:\n%s", c.name, r.stdout)
		}
	}

	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no command", nil, "telnyx-portouts: no command given\n"},
		{"unknown command", []string{"frobnicate"}, "telnyx-portouts: unknown command \"frobnicate\"\n"},
		{"unknown global flag", []string{"--colour", "list"}, "telnyx-portouts: flag provided but not defined: -colour\n"},
		{"bad output", []string{"--output", "xml", "list"}, "telnyx-portouts list: --output \"xml\": use table or json\n"},
		{"negative timeout", []string{"list", "--timeout", "-1s"}, "telnyx-portouts list: --timeout -1s is negative\n"},
		{"dry run of a read", []string{"--dry-run", "list"}, "telnyx-portouts list: --dry-run applies to authorize, reject, comment, attach and documents delete, not to list\n"},
		{"fake and base URL", []string{"--fake", "--base-url", "http://127.0.0.1:1/", "list"}, "telnyx-portouts list: --fake runs its own server: leave out --base-url\n"},
		{"no API key", []string{"list"}, "telnyx-portouts list: no API key: set TELNYX_API_KEY or pass --api-key (or try --fake)\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, stdout, stderr := testApp(nil, "")
			a.connect = nil // the flags decide, and there is no key
			code := a.main(t.Context(), tt.args)
			if code != exitUsage {
				t.Fatalf("exit status %d, want 2; stderr: %s", code, stderr)
			}
			if stdout.String() != "" {
				t.Errorf("stdout: %q", stdout)
			}
			first, _, _ := strings.Cut(stderr.String(), "\n")
			wantText(t, "stderr", first+"\n", tt.want)
			if !strings.Contains(stderr.String(), "-h' for usage.") {
				t.Errorf("no pointer to -h in %q", stderr)
			}
		})
	}
}

// Every command answers -h with its usage and an example, on stdout, and
// exits 0 without a request.
func TestEveryCommandHasHelp(t *testing.T) {
	srv := telnyxtest.NewServer()
	defer srv.Close()
	for _, c := range commands {
		t.Run(c.name, func(t *testing.T) {
			r := runCLI(t, srv, c.name, "-h")
			wantCode(t, r, exitOK)
			if !strings.HasPrefix(r.stdout, "Usage: telnyx-portouts "+c.name) || !strings.Contains(r.stdout, "\nExample:\n  telnyx-portouts ") {
				t.Errorf("help of %s:\n%s", c.name, r.stdout)
			}
			if strings.Contains(r.stdout, "--api-key") {
				t.Errorf("help of %s repeats the global flags:\n%s", c.name, r.stdout)
			}
		})
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests sent for help", n)
	}
}

// The API key and base URL come from the flags or the environment when no
// test hook supplies the client.
func TestClientFromFlagsAndEnvironment(t *testing.T) {
	srv := telnyxtest.NewServer()
	defer srv.Close()
	srv.AddPortout(telnyx.Portout{ID: "po-1", PhoneNumbers: []string{"+13125550100"}})

	a, stdout, _ := testApp(nil, "")
	a.getenv = envMap{"TELNYX_API_KEY": "KEY_from_env", "TELNYX_BASE_URL": srv.URL}.get
	if code := a.main(t.Context(), []string{"list", "--output", "json"}); code != exitOK {
		t.Fatalf("exit status %d", code)
	}
	if got := decodeLines(t, stdout.String()); len(got) != 1 || got[0]["id"] != "po-1" {
		t.Errorf("listed %v", got)
	}

	a, _, _ = testApp(nil, "")
	if code := a.main(t.Context(), []string{"--api-key", "KEY_from_flag", "--base-url", srv.URL, "show", "po-1"}); code != exitOK {
		t.Fatalf("exit status %d", code)
	}
	reqs := srv.Requests()
	if got := reqs[0].Header.Get("Authorization"); got != "Bearer KEY_from_env" {
		t.Errorf("first key %q", got)
	}
	if got := reqs[1].Header.Get("Authorization"); got != "Bearer KEY_from_flag" {
		t.Errorf("second key %q", got)
	}
	if ua := reqs[1].Header.Get("User-Agent"); !strings.HasPrefix(ua, "telnyx-portouts/") {
		t.Errorf("User-Agent %q", ua)
	}
}

type envMap map[string]string

func (m envMap) get(k string) string { return m[k] }

// An API failure is one line with the status, the API's code and detail,
// and the request ID; the exit status is 1.
func TestAPIErrorIsOneLine(t *testing.T) {
	srv := telnyxtest.NewServer()
	defer srv.Close()
	r := runCLI(t, srv, "show", "no-such-id")
	wantCode(t, r, exitFailure)
	reqs := srv.Requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests", len(reqs))
	}
	if r.stdout != "" || strings.Count(r.stderr, "\n") != 1 {
		t.Fatalf("stdout %q, stderr %q", r.stdout, r.stderr)
	}
	for _, want := range []string{"telnyx-portouts show: API error 404 on GET /portouts/{id}: code ", "[request ID "} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr %q lacks %q", r.stderr, want)
		}
	}

	srv.FailNext(3, http.StatusServiceUnavailable, nil)
	r = runCLI(t, srv, "list")
	wantCode(t, r, exitFailure)
	if !strings.HasPrefix(r.stderr, "telnyx-portouts list: API error 503 on GET /portouts: code ") || strings.Count(r.stderr, "\n") != 1 {
		t.Errorf("stderr %q", r.stderr)
	}
}

func TestDescribe(t *testing.T) {
	api := &telnyx.APIError{
		StatusCode: 422, Method: "PATCH", Path: "/portouts/{id}/authorized", RequestID: "req-1",
		Errors: []telnyx.ErrorDetail{
			{Code: "10015", Title: "Invalid", Detail: "Only pending\nport-outs.", Source: telnyx.ErrorSource{Pointer: "/status"}},
			{Code: "10016"},
		},
	}
	wantText(t, "APIError", describe(api),
		"API error 422 on PATCH /portouts/{id}/authorized: code 10015: Only pending port-outs. (source /status) (and 1 more) [request ID req-1]")
	wantText(t, "bare APIError", describe(&telnyx.APIError{StatusCode: 502}), "API error 502 [no request ID]")
	attach := &telnyx.AttachError{
		PortoutID: "po-1",
		Uploaded:  []telnyx.SupportingDocumentParam{{DocumentID: "doc-1", Type: telnyx.SupportingDocumentLOA}},
		Err:       &telnyx.APIError{StatusCode: 500, RequestID: "req-2"},
	}
	wantText(t, "AttachError", describe(attach),
		"uploaded but not linked (Telnyx deletes them 30 minutes after upload): doc-1 (loa); API error 500 [request ID req-2]")
	wantText(t, "canceled", describe(&telnyx.ConnectionError{Method: "GET", Path: "/portouts", Err: context.Canceled}), "interrupted")
	wantText(t, "other", describe(errors.New("disk\x1b[2J full")), `disk\x1b[2J full`)
}

// A failure to write the output is exit status 1, not a silent success.
func TestWriteFailureIsReported(t *testing.T) {
	srv := telnyxtest.NewServer()
	defer srv.Close()
	srv.AddPortout(telnyx.Portout{ID: "po-1"})
	var stderr bytes.Buffer
	a := newApp(strings.NewReader(""), failingWriter{}, &stderr)
	a.connect = func(opts ...telnyx.Option) (*telnyx.Client, error) { return srv.Client(opts...), nil }
	if code := a.main(t.Context(), []string{"list"}); code != exitFailure {
		t.Fatalf("exit status %d", code)
	}
	wantText(t, "stderr", stderr.String(), "telnyx-portouts list: writing the output: broken pipe\n")
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("broken pipe") }
