package main

import (
	"bytes"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	telnyx "github.com/a54710f5/telnyx-go"
	"github.com/a54710f5/telnyx-go/telnyxtest"
)

// dirEntries lists the names in dir.
func dirEntries(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	return names
}

func TestExportToFile(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "pending.csv")
	r, srv := runFake(t, "--output", "json", "export", "--status", "pending", "--since", "2026-11-21", "--until", "2026-11-23", "--out", out)
	wantCode(t, r, exitOK)

	got := decodeLines(t, r.stdout)
	if len(got) != 1 || got[0]["file"] != out {
		t.Fatalf("JSON %v", got)
	}
	report := got[0]["report"].(map[string]any)
	id, docID := report["id"].(string), report["document_id"].(string)
	wantText(t, "stderr", r.stderr, "report "+id+": pending after 0s\nreport "+id+": completed after 0s\n")

	csv, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	_, served, ok := srv.Document(docID)
	if !ok || !bytes.Equal(csv, served) {
		t.Errorf("file holds %q, the report %q", csv, served)
	}
	if n := got[0]["bytes"].(float64); int(n) != len(csv) {
		t.Errorf("bytes %v, file has %d", n, len(csv))
	}
	// The two pending port-outs received on the 22nd and 23rd, whole days.
	if rows := lines(string(csv)); len(rows) != 3 || !strings.HasPrefix(rows[1], demoBakery) || !strings.HasPrefix(rows[2], demoDental) {
		t.Errorf("CSV:\n%s", csv)
	}
	wantBody(t, writes(srv.Requests())[0].Body, `{"report_type":"export_portouts_csv","params":{"filters":{
		"created_at__gt":"2026-11-20T23:59:59.999Z","created_at__lt":"2026-11-24T00:00:00Z","status__in":["pending"]}}}`)
	if names := dirEntries(t, dir); len(names) != 1 || names[0] != "pending.csv" {
		t.Errorf("directory holds %v", names)
	}
	if fi, err := os.Stat(out); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, %v", fi.Mode(), err)
	}
}

func TestExportToStdout(t *testing.T) {
	r, _ := runFake(t, "export", "--status", "rejected")
	wantCode(t, r, exitOK)
	if rows := lines(r.stdout); len(rows) != 2 || !strings.HasPrefix(rows[0], "id,") || !strings.HasPrefix(rows[1], demoBistro+",") {
		t.Errorf("stdout:\n%s", r.stdout)
	}
	if !regexp.MustCompile(`\nWrote \d+ bytes of CSV \(report \S+, document \S+\)\.\n$`).MatchString(r.stderr) {
		t.Errorf("stderr %q", r.stderr)
	}
}

// lineHook is a stderr that calls fn with each progress line as it is
// written, to act between the polls of a report.
type lineHook struct {
	mu  sync.Mutex
	buf bytes.Buffer
	fn  func(line string)
}

func (h *lineHook) Write(p []byte) (int, error) {
	h.mu.Lock()
	h.buf.Write(p)
	h.mu.Unlock()
	h.fn(string(p))
	return len(p), nil
}

// A failed export leaves no file behind: neither FILE, nor the temporary
// file, and a FILE that was there already is left as it was.
func TestExportFailureLeavesNoFile(t *testing.T) {
	progress := regexp.MustCompile(`^report (\S+): (\S+) after`)
	tests := []struct {
		name  string
		act   func(srv *telnyxtest.Server, reportID, status string)
		error string
	}{
		{
			name: "report fails",
			act: func(srv *telnyxtest.Server, id, status string) {
				if status == "pending" {
					_ = srv.SetReportStatus(id, "failed")
				}
			},
			error: "telnyx-portouts export: report ",
		},
		{
			name: "download fails",
			act: func(srv *telnyxtest.Server, _, status string) {
				if status == "completed" {
					srv.FailNext(3, http.StatusBadGateway, nil) // every attempt of the download
				}
			},
			error: "telnyx-portouts export: API error 502 on GET /documents/{id}/download",
		},
	}
	for _, tt := range tests {
		for _, existing := range []bool{false, true} {
			t.Run(tt.name, func(t *testing.T) {
				srv := telnyxtest.NewServer(telnyxtest.WithReportPolls(1))
				defer srv.Close()
				srv.AddPortout(telnyx.Portout{ID: "po-1"})
				dir := t.TempDir()
				out := filepath.Join(dir, "out.csv")
				if existing {
					if err := os.WriteFile(out, []byte("old\n"), 0o600); err != nil {
						t.Fatal(err)
					}
				}
				var stdout bytes.Buffer
				stderr := &lineHook{fn: func(line string) {
					if m := progress.FindStringSubmatch(line); m != nil {
						tt.act(srv, m[1], m[2])
					}
				}}
				a := newApp(strings.NewReader(""), &stdout, stderr)
				a.connect = func(opts ...telnyx.Option) (*telnyx.Client, error) { return srv.Client(opts...), nil }
				if code := a.main(t.Context(), []string{"export", "--out", out}); code != exitFailure {
					t.Fatalf("exit status %d; stderr %s", code, stderr.buf.String())
				}
				if !strings.Contains(stderr.buf.String(), tt.error) {
					t.Errorf("stderr %q lacks %q", stderr.buf.String(), tt.error)
				}
				names := dirEntries(t, dir)
				if !existing && len(names) != 0 {
					t.Errorf("left %v", names)
				}
				if existing {
					if b, _ := os.ReadFile(out); len(names) != 1 || string(b) != "old\n" {
						t.Errorf("left %v, out.csv holds %q", names, b)
					}
				}
			})
		}
	}
}

func TestExportUsageErrorsSendNothing(t *testing.T) {
	dir := t.TempDir()
	tests := map[string][]string{
		"out is a directory": {"--out", dir},
		"no such directory":  {"--out", filepath.Join(dir, "missing", "x.csv")},
		"status":             {"--status", "open"},
		"range":              {"--since", "2026-11-02", "--until", "2026-11-01"},
		"argument":           {"x.csv"},
	}
	for name, args := range tests {
		t.Run(name, func(t *testing.T) {
			srv := telnyxtest.NewServer()
			defer srv.Close()
			r := runCLI(t, srv, append([]string{"export"}, args...)...)
			wantCode(t, r, exitUsage)
			if n := len(srv.Requests()); n != 0 {
				t.Errorf("%d requests sent", n)
			}
		})
	}
}
