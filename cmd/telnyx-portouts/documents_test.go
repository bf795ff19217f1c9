package main

import (
	"io"
	"net/http"
	"strings"
	"testing"

	telnyx "github.com/a54710f5/telnyx-go"
	"github.com/a54710f5/telnyx-go/telnyxtest"
)

// docFixture is a fake holding a port-out with a linked LOA and an
// unlinked invoice, uploaded at fixed times.
type docFixture struct {
	srv          *telnyxtest.Server
	loa, invoice string // document IDs
	loaBytes     string
}

func newDocFixture(t *testing.T) *docFixture {
	t.Helper()
	clock := &demoClock{t: at(t, "2026-11-20T14:10:00Z")}
	srv := telnyxtest.NewServer(telnyxtest.WithClock(clock.now))
	t.Cleanup(srv.Close)
	srv.AddPortout(telnyx.Portout{ID: "po-1"})
	client := srv.Client()
	const content = "%PDF-1.4 loa"
	linked, err := client.Portouts.SupportingDocuments.Attach(t.Context(), "po-1", []telnyx.SupportingFile{
		{Type: telnyx.SupportingDocumentLOA, Filename: "loa.pdf", File: strings.NewReader(content)},
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.SetDocumentStatus(linked[0].DocumentID, telnyx.DocumentStatusVerified, telnyx.DocumentAVScanned); err != nil {
		t.Fatal(err)
	}
	clock.set(at(t, "2026-11-21T09:00:00Z"))
	inv, err := client.Documents.Upload(t.Context(), telnyx.DocumentUploadParams{
		Filename: "invoice.pdf", File: strings.NewReader("%PDF-1.4 invoice"), CustomerReference: "REF-7",
	})
	if err != nil {
		t.Fatal(err)
	}
	return &docFixture{srv: srv, loa: linked[0].DocumentID, invoice: inv.ID, loaBytes: content}
}

// run runs the command line against the fixture and returns the requests
// it sent.
func (f *docFixture) run(t *testing.T, args ...string) (result, []telnyxtest.RecordedRequest) {
	t.Helper()
	before := len(f.srv.Requests())
	r := runCLI(t, f.srv, args...)
	return r, f.srv.Requests()[before:]
}

func TestDocumentsList(t *testing.T) {
	f := newDocFixture(t)
	r, sent := f.run(t, "documents", "list", "--filename", ".pdf")
	wantCode(t, r, exitOK)
	wantText(t, "stdout", r.stdout, ""+
		"ID                                    FILENAME     BYTES  STATUS    AV SCAN       CREATED\n"+
		f.invoice+"  invoice.pdf  16     pending   pending_scan  2026-11-21\n"+
		f.loa+"  loa.pdf      12     verified  scanned       2026-11-20\n")
	if len(sent) != 1 || sent[0].Path != "/documents" || sent[0].Query.Get("filter[filename][contains]") != ".pdf" || sent[0].Query.Get("page[size]") != "250" {
		t.Errorf("sent %v", sent)
	}

	r, _ = f.run(t, "--output", "json", "documents", "list", "--limit", "1")
	wantCode(t, r, exitOK)
	if got := decodeLines(t, r.stdout); len(got) != 1 || got[0]["id"] != f.invoice || got[0]["customer_reference"] != "REF-7" {
		t.Errorf("JSON %v", got)
	}
	wantText(t, "stderr", r.stderr, "Showing 1 documents: more match; raise --limit to see them.\n")
}

func TestDocumentsShowLinkDelete(t *testing.T) {
	f := newDocFixture(t)
	doc, _, _ := f.srv.Document(f.loa)
	r, _ := f.run(t, "documents", "show", f.loa)
	wantCode(t, r, exitOK)
	wantText(t, "stdout", r.stdout, ""+
		"ID                  "+f.loa+"\n"+
		"Filename            loa.pdf\n"+
		"Content type        "+doc.ContentType+"\n"+
		"Bytes               12\n"+
		"SHA-256             "+doc.SHA256+"\n"+
		"Status              verified\n"+
		"AV scan             scanned\n"+
		"Customer reference  -\n"+
		"Created             2026-11-20\n"+
		"Updated             2026-11-20\n")

	// The link downloads the file without an API key.
	r, sent := f.run(t, "documents", "link", f.loa)
	wantCode(t, r, exitOK)
	wantText(t, "stderr", r.stderr, "Anyone holding this link can download the document until it expires.\n")
	if len(sent) != 1 || sent[0].Path != "/documents/"+f.loa+"/download_link" {
		t.Errorf("sent %v", sent)
	}
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, strings.TrimSpace(r.stdout), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if string(got) != f.loaBytes {
		t.Errorf("the link served %q", got)
	}

	// A document that supports a port-out cannot be deleted; one that
	// supports nothing can.
	r, _ = f.run(t, "documents", "delete", f.loa)
	wantCode(t, r, exitFailure)
	if !strings.HasPrefix(r.stderr, "telnyx-portouts documents delete: API error 422 on DELETE /documents/{id}: code ") || len(lines(r.stderr)) != 1 {
		t.Errorf("stderr %q", r.stderr)
	}
	r, sent = f.run(t, "documents", "delete", f.invoice)
	wantCode(t, r, exitOK)
	wantText(t, "stdout", r.stdout, "Deleted document "+f.invoice+".\n")
	if len(sent) != 1 || sent[0].Method != http.MethodDelete {
		t.Errorf("sent %v", sent)
	}
	if _, _, ok := f.srv.Document(f.invoice); ok {
		t.Error("the invoice is still there")
	}

	r, _ = f.run(t, "documents", "show", f.invoice)
	wantCode(t, r, exitFailure)
	if !strings.HasPrefix(r.stderr, "telnyx-portouts documents show: API error 404 on GET /documents/{id}: code ") || !strings.Contains(r.stderr, "[request ID ") {
		t.Errorf("stderr %q", r.stderr)
	}
}

// --fake starts with two documents with fixed IDs: the authorized
// port-out's LOA, linked and verified, and a draft invoice linked to
// nothing. Each command that names one works on every run.
func TestFakeDocuments(t *testing.T) {
	r, _ := runFake(t, "documents", "list")
	wantCode(t, r, exitOK)
	wantText(t, "stdout", r.stdout, ""+
		"ID                                    FILENAME                BYTES  STATUS    AV SCAN       CREATED\n"+
		demoInvoice+"  acme-invoice-draft.pdf  50     pending   pending_scan  2026-11-20\n"+
		demoLOA+"  hudson-legal-loa.pdf    62     verified  scanned       2026-11-12\n")

	r, _ = runFake(t, "--output", "json", "documents", "show", demoLOA)
	wantCode(t, r, exitOK)
	if got := decodeLines(t, r.stdout); len(got) != 1 || got[0]["id"] != demoLOA || got[0]["content_type"] != "application/pdf" ||
		got[0]["created_at"] != "2026-11-12T10:00:00Z" || got[0]["updated_at"] != "2026-11-12T10:05:00Z" {
		t.Errorf("JSON %v", got)
	}

	r, fake := runFake(t, "documents", "link", demoLOA)
	wantCode(t, r, exitOK)
	if sent := fake.Requests(); len(sent) != 1 || sent[0].Path != "/documents/"+demoLOA+"/download_link" ||
		!strings.Contains(r.stdout, "/v2/documents/"+demoLOA+"/download?signature=") {
		t.Errorf("sent %v, printed %q", sent, r.stdout)
	}

	// The LOA supports the authorized port-out, so it cannot be deleted;
	// the invoice supports nothing.
	r, _ = runFake(t, "show", demoLegal)
	wantCode(t, r, exitOK)
	if !strings.Contains(r.stdout, ""+
		"Supporting documents (1)\n"+
		"TYPE  DOCUMENT ID                           LINKED\n"+
		"loa   "+demoLOA+"  2026-11-12\n") {
		t.Errorf("show:\n%s", r.stdout)
	}
	r, _ = runFake(t, "documents", "delete", demoLOA)
	wantCode(t, r, exitFailure)
	if !strings.Contains(r.stderr, "API error 422 on DELETE /documents/{id}") {
		t.Errorf("stderr %q", r.stderr)
	}
	r, _ = runFake(t, "documents", "delete", demoInvoice)
	wantCode(t, r, exitOK)
	wantText(t, "stdout", r.stdout, "Deleted document "+demoInvoice+".\n")
}

func TestDocumentsDeleteDryRunSendsNothing(t *testing.T) {
	f := newDocFixture(t)
	r, sent := f.run(t, "--dry-run", "documents", "delete", f.invoice)
	wantCode(t, r, exitOK)
	wantText(t, "stdout", r.stdout, "DELETE /v2/documents/"+f.invoice+"\n")
	if len(sent) != 0 {
		t.Errorf("sent %v", sent)
	}
	if _, _, ok := f.srv.Document(f.invoice); !ok {
		t.Error("the invoice is gone")
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
