package main

import (
	"flag"
	"io"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	telnyx "github.com/a54710f5/telnyx-go"
)

func TestParseInterleaved(t *testing.T) {
	tests := []struct {
		args []string
		pos  []string
		note string
		hm   bool
	}{
		{args: []string{"ID", "--note", "x", "--host-messaging"}, pos: []string{"ID"}, note: "x", hm: true},
		{args: []string{"--note=x", "ID", "TEXT"}, pos: []string{"ID", "TEXT"}, note: "x"},
		{args: []string{"ID", "--", "--host-messaging", "-"}, pos: []string{"ID", "--host-messaging", "-"}},
		{args: []string{"ID", "--note", "--", "TEXT"}, pos: []string{"ID", "TEXT"}, note: "--"},
		{args: []string{"ID", "--host-messaging", "--", "--note"}, pos: []string{"ID", "--note"}, hm: true},
		{args: nil, pos: nil},
	}
	for _, tt := range tests {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		note := fs.String("note", "", "")
		hm := fs.Bool("host-messaging", false, "")
		pos, err := parseInterleaved(fs, tt.args, false)
		if err != nil {
			t.Errorf("%q: %v", tt.args, err)
			continue
		}
		if !reflect.DeepEqual(pos, tt.pos) || *note != tt.note || *hm != tt.hm {
			t.Errorf("%q: positional %q, note %q, host messaging %v", tt.args, pos, *note, *hm)
		}
	}
}

// Global flags may come after the command too.
func TestGlobalFlagsAfterTheCommand(t *testing.T) {
	r, _ := runFake(t, "list", "--status", "rejected", "--output", "json")
	wantCode(t, r, exitOK)
	if got := decodeLines(t, r.stdout); len(got) != 1 || got[0]["id"] != demoBistro {
		t.Errorf("listed %v", got)
	}
	a, stdout, _ := testApp(nil, "")
	if code := a.main(t.Context(), []string{"--output", "json", "version", "--output", "table"}); code != exitOK {
		t.Fatal(code)
	}
	if !strings.HasPrefix(stdout.String(), "telnyx-portouts  ") {
		t.Errorf("the later --output did not win:\n%s", stdout)
	}
}

func TestTimeFlag(t *testing.T) {
	var f timeFlag
	if err := f.Set("2026-11-05"); err != nil {
		t.Fatal(err)
	}
	if got := f.last().Format(time.RFC3339); got != "2026-11-05T23:59:59Z" {
		t.Errorf("last of a date %s", got)
	}
	if err := f.Set("2026-11-05T10:30:00+01:00"); err != nil {
		t.Fatal(err)
	}
	if !f.last().Equal(f.first()) || f.first().UTC().Hour() != 9 {
		t.Errorf("a time is itself: %v %v", f.first(), f.last())
	}
	for _, bad := range []string{"05/11/2026", "2026-11-05 10:30", ""} {
		if err := f.Set(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestParseStatuses(t *testing.T) {
	got, err := parseStatuses([]string{"Pending", "rejected-pending", "pending"})
	if err != nil || !reflect.DeepEqual(got, []telnyx.PortoutStatus{"pending", "rejected-pending"}) {
		t.Errorf("%v %v", got, err)
	}
	if got, err := parseStatuses([]string{"all"}); err != nil || got != nil {
		t.Errorf("all: %v %v", got, err)
	}
}

func TestCell(t *testing.T) {
	for in, want := range map[string]string{
		"":                  "-",
		"a\tb\nc\r":         "a b c ",
		"bell\a esc\x1b[0m": `bell\a esc\x1b[0m`,
		"naïve ☎":           "naïve ☎",
		"bad \xff byte":     `bad \xff byte`,
	} {
		if got := cell(in); got != want {
			t.Errorf("cell(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestVersion(t *testing.T) {
	r := runCLI(t, nil, "version")
	wantCode(t, r, exitOK)
	wantText(t, "stdout", r.stdout, ""+
		"telnyx-portouts  "+cliVersion()+"\n"+
		"telnyx-go SDK    "+telnyx.Version+"\n"+
		"Go               "+runtime.Version()+" "+runtime.GOOS+"/"+runtime.GOARCH+"\n")
	r = runCLI(t, nil, "version", "--output", "json")
	wantCode(t, r, exitOK)
	if got := decodeLines(t, r.stdout); len(got) != 1 || got[0]["sdk"] != telnyx.Version || got[0]["go"] != runtime.Version() {
		t.Errorf("JSON %v", got)
	}
	wantCode(t, runCLI(t, nil, "version", "extra"), exitUsage)
}
