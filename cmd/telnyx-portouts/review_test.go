package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	telnyx "github.com/a54710f5/telnyx-go"
	"github.com/a54710f5/telnyx-go/telnyxtest"
)

// wantBody checks a request's JSON body as a value.
func wantBody(t *testing.T, got []byte, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("body %q: %v", got, err)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatal(err)
	}
	gb, _ := json.Marshal(g)
	wb, _ := json.Marshal(w)
	if string(gb) != string(wb) {
		t.Errorf("body %s, want %s", gb, wb)
	}
}

// The README's authorize command works as written.
func TestFakeAuthorize(t *testing.T) {
	r, srv := runFake(t, "authorize", demoAcme, "--host-messaging", "--note", " LOA checked ")
	wantCode(t, r, exitOK)
	wantText(t, "stdout", r.stdout, "Port-out "+demoAcme+" is now authorized.\n")
	w := writes(srv.Requests())
	if len(w) != 1 || w[0].Method != http.MethodPatch || w[0].Path != "/portouts/"+demoAcme+"/authorized" {
		t.Fatalf("writes %v", w)
	}
	wantBody(t, w[0].Body, `{"reason":"LOA checked","host_messaging":true}`)

	r, _ = runFake(t, "--output", "json", "authorize", demoAcme)
	wantCode(t, r, exitOK)
	if got := decodeLines(t, r.stdout); len(got) != 1 || got[0]["status"] != "authorized" || got[0]["id"] != demoAcme {
		t.Errorf("JSON %v", got)
	}
}

func TestAuthorizeRefusedByTheAPI(t *testing.T) {
	r, _ := runFake(t, "authorize", demoSurf)
	wantCode(t, r, exitFailure)
	if !strings.HasPrefix(r.stderr, "telnyx-portouts authorize: API error 422 on PATCH /portouts/{id}/authorized: code ") {
		t.Errorf("stderr %q", r.stderr)
	}
}

// --dry-run prints the request the change would send and sends nothing.
func TestDryRunSendsNothing(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		stdout string
		reads  []string // GETs a dry run still makes
	}{
		{
			name:   "authorize",
			args:   []string{"authorize", demoAcme, "--host-messaging"},
			stdout: "PATCH /v2/portouts/" + demoAcme + "/authorized\n" + `{"reason":"","host_messaging":true}` + "\n",
		},
		{
			name:   "reject",
			args:   []string{"reject", demoAcme, "--reason", "Wrong PIN"},
			stdout: "PATCH /v2/portouts/" + demoAcme + "/rejected-pending\n" + `{"reason":"Wrong PIN","host_messaging":false}` + "\n",
		},
		{
			name:   "reject with a code reads the codes",
			args:   []string{"reject", demoAcme, "--code", "1002"},
			stdout: "PATCH /v2/portouts/" + demoAcme + "/rejected-pending\n" + `{"reason":"Invalid PIN","host_messaging":false}` + "\n",
			reads:  []string{"/portouts/rejections/" + demoAcme},
		},
		{
			name:   "comment",
			args:   []string{"comment", demoAcme, "Called the customer."},
			stdout: "POST /v2/portouts/" + demoAcme + "/comments\n" + `{"body":"Called the customer."}` + "\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, srv := runFake(t, append([]string{"--dry-run"}, tt.args...)...)
			wantCode(t, r, exitOK)
			wantText(t, "stdout", r.stdout, tt.stdout)
			wantText(t, "stderr", r.stderr, "dry run: 1 request(s) not sent\n")
			var reads []string
			for _, q := range srv.Requests() {
				if q.Method != http.MethodGet {
					t.Errorf("sent %s %s", q.Method, q.Path)
				} else {
					reads = append(reads, q.Path)
				}
			}
			if strings.Join(reads, " ") != strings.Join(tt.reads, " ") {
				t.Errorf("reads %v, want %v", reads, tt.reads)
			}
			if p, _ := srv.Portout(demoAcme); p.Status != telnyx.PortoutStatusPending {
				t.Errorf("status is now %s", p.Status)
			}
		})
	}

	r, _ := runFake(t, "--dry-run", "--output", "json", "comment", demoAcme, "x")
	wantCode(t, r, exitOK)
	got := decodeLines(t, r.stdout)
	if len(got) != 1 || got[0]["method"] != "POST" || got[0]["body"].(map[string]any)["body"] != "x" {
		t.Errorf("JSON %v", got)
	}
}

func TestRejectWithCode(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
		reason string // the reason sent; "" when nothing may be sent
	}{
		{name: "code without reason sends its description", args: []string{"--code", "1001"}, reason: "Account number does not match our records"},
		{name: "code with reason sends the reason", args: []string{"--code", "1099", "--reason", "Duplicate request"}, reason: "Duplicate request"},
		{name: "reason only", args: []string{"--reason", "Wrong account"}, reason: "Wrong account"},
		{
			name: "code that needs a reason", args: []string{"--code", "1010", "--reason", "  "}, code: exitFailure,
			stderr: "telnyx-portouts reject: rejection code 1010 (The end user did not request this port-out) needs a reason: add --reason TEXT; nothing was changed\n",
		},
		{
			name: "ineligible code", args: []string{"--code", "4242", "--reason", "x"}, code: exitFailure,
			stderr: "telnyx-portouts reject: rejection code 4242 is not eligible for port-out " + demoBakery + " (eligible: 1001, 1002, 1003, 1004, 1010, 1099); nothing was changed\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, srv := runFake(t, append([]string{"reject", demoBakery}, tt.args...)...)
			wantCode(t, r, tt.code)
			wantText(t, "stderr", r.stderr, tt.stderr)
			w := writes(srv.Requests())
			if tt.reason == "" {
				if len(w) != 0 {
					t.Errorf("sent %v", w)
				}
				return
			}
			wantText(t, "stdout", r.stdout, "Port-out "+demoBakery+" is now rejected-pending.\n")
			if len(w) != 1 || w[0].Path != "/portouts/"+demoBakery+"/rejected-pending" {
				t.Fatalf("writes %v", w)
			}
			// The code is checked, never sent: the body has no rejection_code.
			wantBody(t, w[0].Body, `{"reason":`+jsonString(tt.reason)+`,"host_messaging":false}`)
		})
	}
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func TestReviewUsageErrorsSendNothing(t *testing.T) {
	tests := map[string][]string{
		"authorize without ID":   {"authorize"},
		"authorize two IDs":      {"authorize", "a", "b"},
		"authorize bad flag":     {"authorize", "a", "--host-messaging=maybe"},
		"reject without reason":  {"reject", "a"},
		"reject blank reason":    {"reject", "a", "--reason", " "},
		"reject zero code":       {"reject", "a", "--code", "0"},
		"reject word code":       {"reject", "a", "--code", "ten"},
		"comment without text":   {"comment", "a"},
		"comment unquoted words": {"comment", "a", "two", "words"},
		"comment blank":          {"comment", "a", "  "},
	}
	for name, args := range tests {
		t.Run(name, func(t *testing.T) {
			srv := telnyxtest.NewServer()
			defer srv.Close()
			r := runCLI(t, srv, args...)
			wantCode(t, r, exitUsage)
			if n := len(srv.Requests()); n != 0 {
				t.Errorf("%d requests sent", n)
			}
		})
	}
}

func TestComment(t *testing.T) {
	r, srv := runFake(t, "comment", demoAcme, "--", "-- checked twice")
	wantCode(t, r, exitOK)
	if !strings.HasPrefix(r.stdout, "Comment ") || !strings.HasSuffix(r.stdout, " added to port-out "+demoAcme+".\n") {
		t.Errorf("stdout %q", r.stdout)
	}
	w := writes(srv.Requests())
	if len(w) != 1 || w[0].Path != "/portouts/"+demoAcme+"/comments" {
		t.Fatalf("writes %v", w)
	}
	wantBody(t, w[0].Body, `{"body":"-- checked twice"}`)

	// "-" reads the text from stdin.
	a, stdout, _ := testApp(nil, "Line one\nline two\n")
	fake := &fakeRun{}
	a.fakeReady = func(s *telnyxtest.Server) { fake.Server, fake.seeded = s, len(s.Requests()) }
	if code := a.main(t.Context(), []string{"--fake", "--output", "json", "comment", demoAcme, "-"}); code != exitOK {
		t.Fatalf("exit status %d", code)
	}
	got := decodeLines(t, stdout.String())
	if len(got) != 1 || got[0]["body"] != "Line one\nline two" || got[0]["portout_id"] != demoAcme {
		t.Errorf("JSON %v", got)
	}
	wantBody(t, writes(fake.Requests())[0].Body, `{"body":"Line one\nline two"}`)
}
