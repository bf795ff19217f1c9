package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	telnyx "github.com/a54710f5/telnyx-go"
	"github.com/a54710f5/telnyx-go/telnyxtest"
)

// writeFile creates a file under dir for upload.
func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestAttach(t *testing.T) {
	dir := t.TempDir()
	loa := writeFile(t, dir, "loa.pdf", "%PDF-loa")
	invoice := writeFile(t, dir, "invoice.pdf", "%PDF-invoice")
	r, srv := runFake(t, "attach", demoAcme, "--loa", loa, "--invoice", invoice)
	wantCode(t, r, exitOK)

	w := writes(srv.Requests())
	if len(w) != 3 || w[0].Path != "/documents" || w[1].Path != "/documents" || w[2].Path != "/portouts/"+demoAcme+"/supporting_documents" {
		t.Fatalf("writes %v", w)
	}
	if !bytes.Contains(w[0].Body, []byte(`filename="loa.pdf"`)) || !bytes.Contains(w[0].Body, []byte("%PDF-loa")) {
		t.Errorf("first upload %q", w[0].Body)
	}
	// The link names the uploads, which hold the files' bytes.
	var link struct {
		Documents []struct {
			DocumentID string `json:"document_id"`
			Type       string `json:"type"`
		} `json:"documents"`
	}
	if err := json.Unmarshal(w[2].Body, &link); err != nil || len(link.Documents) != 2 {
		t.Fatalf("link body %s: %v", w[2].Body, err)
	}
	linked := link.Documents
	for i, want := range []struct{ typ, content string }{{"loa", "%PDF-loa"}, {"invoice", "%PDF-invoice"}} {
		_, b, _ := srv.Document(linked[i].DocumentID)
		if linked[i].Type != want.typ || string(b) != want.content {
			t.Errorf("document %d: %s %q", i, linked[i].Type, b)
		}
	}
	wantText(t, "stdout", r.stdout, ""+
		"Linked 2 document(s) to port-out "+demoAcme+".\n"+
		"TYPE     DOCUMENT ID                           LINKED\n"+
		"loa      "+linked[0].DocumentID+"  2026-11-24\n"+
		"invoice  "+linked[1].DocumentID+"  2026-11-24\n")
}

func TestAttachDryRunSendsNothing(t *testing.T) {
	loa := writeFile(t, t.TempDir(), "signed loa.pdf", "12345")
	r, srv := runFake(t, "--dry-run", "attach", demoAcme, "--loa", loa)
	wantCode(t, r, exitOK)
	wantText(t, "stdout", r.stdout, ""+
		"POST /v2/documents\n"+
		"multipart/form-data: file \"signed loa.pdf\" (5 bytes)\n"+
		"POST /v2/portouts/"+demoAcme+"/supporting_documents\n"+
		`{"documents":[{"document_id":"dry-run-document-1","type":"loa"}]}`+"\n")
	wantText(t, "stderr", r.stderr, "dry run: 2 request(s) not sent\n")
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

// A failure to link lists the uploaded documents, which Telnyx deletes
// unless they are linked within 30 minutes.
func TestAttachLinkFailureNamesUploads(t *testing.T) {
	srv := telnyxtest.NewServer()
	defer srv.Close()
	srv.AddPortout(telnyx.Portout{ID: "po-1"})
	loa := writeFile(t, t.TempDir(), "loa.pdf", "x")
	a, _, stderr := testApp(srv, "")
	a.connect = func(opts ...telnyx.Option) (*telnyx.Client, error) {
		fail := telnyx.WithMiddleware(func(req *http.Request, next telnyx.MiddlewareNext) (*http.Response, error) {
			if strings.HasSuffix(req.URL.Path, "/supporting_documents") {
				srv.FailNext(1, http.StatusUnprocessableEntity, nil)
			}
			return next(req)
		})
		return srv.Client(append(opts, fail)...), nil
	}
	if code := a.main(t.Context(), []string{"attach", "po-1", "--loa", loa}); code != exitFailure {
		t.Fatalf("exit status %d", code)
	}
	up := writes(srv.Requests())[0]
	if up.Path != "/documents" {
		t.Fatalf("first write %s", up.Path)
	}
	got := stderr.String()
	if !strings.HasPrefix(got, "telnyx-portouts attach: uploaded but not linked (Telnyx deletes them 30 minutes after upload): ") ||
		!strings.Contains(got, " (loa); API error 422") || len(lines(got)) != 1 {
		t.Errorf("stderr %q", got)
	}
}

func TestAttachUsageErrorsSendNothing(t *testing.T) {
	dir := t.TempDir()
	loa := writeFile(t, dir, "loa.pdf", "x")
	many := []string{"attach", "po-1"}
	for range 11 {
		many = append(many, "--loa", loa)
	}
	tests := map[string][]string{
		"no ID":          {"attach", "--loa", loa},
		"no LOA":         {"attach", "po-1", "--invoice", loa},
		"missing file":   {"attach", "po-1", "--loa", filepath.Join(dir, "nope.pdf")},
		"directory":      {"attach", "po-1", "--loa", dir},
		"too many files": many,
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
