package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"testing"

	telnyx "github.com/a54710f5/telnyx-go"
	"github.com/a54710f5/telnyx-go/telnyxtest"
)

// The telnyxtest fake serves no document listing, lookup, deletion or
// download link yet, so these tests answer those routes with a small
// handler of their own, shaped as the API reference shows.
const testDocument = `{"id":"doc-1","filename":"loa.pdf","content_type":"application/pdf","customer_reference":"REF-7",
	"sha256":"08a96c641c3a74e44eb59afb61a24f2cb9f4d7188748e76ba4bb5edfa3cb7d1c","status":"verified",
	"av_scan_status":"scanned","record_type":"document","size":{"amount":123456,"unit":"bytes"},
	"created_at":"2026-11-20T14:10:00Z","updated_at":"2026-11-20T14:12:00Z"}`

type docServer struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []string // method, path and query of each request
}

func newDocServer(t *testing.T) *docServer {
	t.Helper()
	d := &docServer{}
	d.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		d.mu.Lock()
		d.reqs = append(d.reqs, r.Method+" "+r.URL.RequestURI())
		d.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Request-Id", "req-42")
		switch {
		case r.Method == http.MethodGet && r.URL.Path == "/v2/documents":
			_, _ = io.WriteString(w, `{"data":[`+testDocument+`,{"id":"doc-2","filename":"invoice\u001b[2J.pdf","size":{"amount":9,"unit":"bytes"},
				"status":"pending","av_scan_status":"pending_scan","created_at":"2026-11-19T08:00:00Z"}],
				"meta":{"page_number":1,"page_size":250,"total_pages":1,"total_results":2}}`)
		case r.Method == http.MethodGet && r.URL.Path == "/v2/documents/doc-1",
			r.Method == http.MethodDelete && r.URL.Path == "/v2/documents/doc-1":
			_, _ = io.WriteString(w, `{"data":`+testDocument+`}`)
		case r.Method == http.MethodGet && r.URL.Path == "/v2/documents/doc-1/download_link":
			_, _ = io.WriteString(w, `{"data":{"url":"https://storage.example/doc-1?X-Signature=abc"}}`)
		default:
			w.WriteHeader(http.StatusNotFound)
			_, _ = io.WriteString(w, `{"errors":[{"code":"10005","title":"Resource not found","detail":"No such document."}]}`)
		}
	}))
	t.Cleanup(d.Close)
	return d
}

func (d *docServer) run(t *testing.T, args ...string) result {
	t.Helper()
	a, stdout, stderr := testApp(nil, "")
	a.connect = func(opts ...telnyx.Option) (*telnyx.Client, error) {
		return telnyx.NewClient(append(opts, telnyx.WithAPIKey("KEY_test"), telnyx.WithBaseURL(d.URL+"/v2/"), telnyx.WithMaxRetries(0))...)
	}
	code := a.main(t.Context(), args)
	return result{code, stdout.String(), stderr.String()}
}

func (d *docServer) requests() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]string(nil), d.reqs...)
}

func TestDocumentsList(t *testing.T) {
	d := newDocServer(t)
	r := d.run(t, "documents", "list", "--filename", "pdf")
	wantCode(t, r, exitOK)
	wantText(t, "stdout", r.stdout, ""+
		"ID     FILENAME            BYTES   STATUS    AV SCAN       CREATED\n"+
		"doc-1  loa.pdf             123456  verified  scanned       2026-11-20\n"+
		"doc-2  invoice\\x1b[2J.pdf  9       pending   pending_scan  2026-11-19\n")
	u, err := url.Parse(strings.TrimPrefix(d.requests()[0], "GET "))
	if err != nil {
		t.Fatal(err)
	}
	want := url.Values{"filter[filename][contains]": {"pdf"}, "page[size]": {"250"}}
	if u.Path != "/v2/documents" || !reflect.DeepEqual(u.Query(), want) {
		t.Errorf("sent %s", d.requests()[0])
	}

	r = d.run(t, "--output", "json", "documents", "list", "--limit", "1")
	wantCode(t, r, exitOK)
	if got := decodeLines(t, r.stdout); len(got) != 1 || got[0]["id"] != "doc-1" {
		t.Errorf("JSON %v", got)
	}
	wantText(t, "stderr", r.stderr, "Showing 1 documents: more match; raise --limit to see them.\n")
}

func TestDocumentsShowDeleteLink(t *testing.T) {
	d := newDocServer(t)
	r := d.run(t, "documents", "show", "doc-1")
	wantCode(t, r, exitOK)
	wantText(t, "stdout", r.stdout, ""+
		"ID                  doc-1\n"+
		"Filename            loa.pdf\n"+
		"Content type        application/pdf\n"+
		"Bytes               123456\n"+
		"SHA-256             08a96c641c3a74e44eb59afb61a24f2cb9f4d7188748e76ba4bb5edfa3cb7d1c\n"+
		"Status              verified\n"+
		"AV scan             scanned\n"+
		"Customer reference  REF-7\n"+
		"Created             2026-11-20\n"+
		"Updated             2026-11-20\n")

	r = d.run(t, "documents", "delete", "doc-1")
	wantCode(t, r, exitOK)
	wantText(t, "stdout", r.stdout, "Deleted document doc-1.\n")

	r = d.run(t, "documents", "link", "doc-1")
	wantCode(t, r, exitOK)
	wantText(t, "stdout", r.stdout, "https://storage.example/doc-1?X-Signature=abc\n")
	wantText(t, "stderr", r.stderr, "Anyone holding this link can download the document until it expires.\n")

	r = d.run(t, "documents", "--output", "json", "link", "doc-1")
	wantCode(t, r, exitOK)
	var got map[string]string
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil || got["url"] != "https://storage.example/doc-1?X-Signature=abc" {
		t.Errorf("JSON %q: %v", r.stdout, err)
	}

	r = d.run(t, "documents", "show", "doc-9")
	wantCode(t, r, exitFailure)
	wantText(t, "stderr", r.stderr, "telnyx-portouts documents show: API error 404 on GET /documents/{id}: code 10005: No such document. [request ID req-42]\n")

	want := []string{
		"GET /v2/documents/doc-1", "DELETE /v2/documents/doc-1", "GET /v2/documents/doc-1/download_link",
		"GET /v2/documents/doc-1/download_link", "GET /v2/documents/doc-9",
	}
	if got := d.requests(); !reflect.DeepEqual(got, want) {
		t.Errorf("requests %q, want %q", got, want)
	}
}

func TestDocumentsDeleteDryRunSendsNothing(t *testing.T) {
	srv := telnyxtest.NewServer()
	defer srv.Close()
	r := runCLI(t, srv, "--dry-run", "documents", "delete", "doc-1")
	wantCode(t, r, exitOK)
	wantText(t, "stdout", r.stdout, "DELETE /v2/documents/doc-1\n")
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

func TestDocumentsUsageErrorsSendNothing(t *testing.T) {
	tests := map[string][]string{
		"no subcommand":      {"documents"},
		"unknown subcommand": {"documents", "purge"},
		"show without ID":    {"documents", "show"},
		"delete two IDs":     {"documents", "delete", "a", "b"},
		"list argument":      {"documents", "list", "loa"},
		"negative limit":     {"documents", "list", "--limit", "-2"},
		"dry run of a read":  {"--dry-run", "documents", "link", "a"},
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
	r := runCLI(t, nil, "documents", "delete", "-h")
	wantCode(t, r, exitOK)
	if !strings.HasPrefix(r.stdout, "Usage: telnyx-portouts documents delete ID\n") {
		t.Errorf("help:\n%s", r.stdout)
	}
}
