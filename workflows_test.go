package telnyx_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	telnyx "github.com/a54710f5/telnyx-go"
	"github.com/a54710f5/telnyx-go/telnyxtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The workflows (Reports.Wait and Export, SupportingDocuments.Attach) run
// whole against telnyxtest, the SDK's fake of the API: it walks reports
// from pending to completed, stores uploads and renders the CSV. The waits
// between polls go through telnyx.SleepRecorder (helpers_test.go). Checks
// of arguments and cancellation that need no working API are in
// reports_wait_test.go and attach_test.go.

// wfProgress collects what WithWaitProgress reports.
type wfProgress struct {
	statuses []string
	elapsed  []time.Duration
	ids      []string
	onCall   func(n int) // called after each report, with its 1-based number
}

func (p *wfProgress) option() telnyx.Option {
	return telnyx.WithWaitProgress(func(r *telnyx.PortoutReport, elapsed time.Duration) {
		p.statuses = append(p.statuses, string(r.Status))
		p.elapsed = append(p.elapsed, elapsed)
		p.ids = append(p.ids, r.ID)
		if p.onCall != nil {
			p.onCall(len(p.statuses))
		}
	})
}

// wfRoutes lists the requests the fake received as "METHOD /path".
func wfRoutes(srv *telnyxtest.Server) []string {
	var out []string
	for _, r := range srv.Requests() {
		out = append(out, r.Method+" "+r.Path)
	}
	return out
}

func TestReportsWaitPollsWithBackoffUntilCompleted(t *testing.T) {
	t.Parallel()
	srv := telnyxtest.NewServer(telnyxtest.WithReportPolls(7))
	t.Cleanup(srv.Close)
	sleeps := &telnyx.SleepRecorder{}
	client := srv.Client(sleeps.Option())
	ctx := t.Context()

	created, err := client.Portouts.Reports.Create(ctx, telnyx.PortoutReportCreateParams{})
	require.NoError(t, err)
	require.Equal(t, telnyx.PortoutReportStatusPending, created.Status)

	progress := &wfProgress{}
	r, err := client.Portouts.Reports.Wait(ctx, created.ID, progress.option())
	require.NoError(t, err)
	assert.Equal(t, created.ID, r.ID)
	assert.Equal(t, telnyx.PortoutReportStatusCompleted, r.Status)
	assert.NotEmpty(t, r.DocumentID)

	s := time.Second
	assert.Equal(t, []time.Duration{1 * s, 2 * s, 4 * s, 8 * s, 15 * s, 15 * s, 15 * s}, sleeps.Waits(),
		"one wait between each pair of polls, doubling from 1s up to 15s")

	p := string(telnyx.PortoutReportStatusPending)
	assert.Equal(t, []string{p, p, p, p, p, p, p, string(telnyx.PortoutReportStatusCompleted)}, progress.statuses,
		"progress after every poll, with the status read")
	for _, id := range progress.ids {
		assert.Equal(t, created.ID, id)
	}
	for i, e := range progress.elapsed {
		assert.GreaterOrEqual(t, e, time.Duration(0))
		if i > 0 {
			assert.GreaterOrEqual(t, e, progress.elapsed[i-1], "elapsed never goes back")
		}
	}
	assert.Greater(t, progress.elapsed[len(progress.elapsed)-1], progress.elapsed[0],
		"elapsed grows across eight round trips")

	gets := 0
	for _, rt := range wfRoutes(srv) {
		if rt == "GET /portouts/reports/"+created.ID {
			gets++
		}
	}
	assert.Equal(t, 8, gets, "seven pending reads, then the completed one")
}

func TestReportsWaitCompletesOnFirstRead(t *testing.T) {
	t.Parallel()
	srv := telnyxtest.NewServer(telnyxtest.WithReportPolls(0))
	t.Cleanup(srv.Close)
	sleeps := &telnyx.SleepRecorder{}
	client := srv.Client(sleeps.Option())

	created, err := client.Portouts.Reports.Create(t.Context(), telnyx.PortoutReportCreateParams{})
	require.NoError(t, err)
	r, err := client.Portouts.Reports.Wait(t.Context(), created.ID)
	require.NoError(t, err)
	assert.Equal(t, telnyx.PortoutReportStatusCompleted, r.Status)
	assert.Empty(t, sleeps.Waits(), "no wait when the first read is completed")
}

// wfSeedExport adds port-outs that differ in status, customer reference,
// creation time, end user and numbers, and returns their IDs by name.
func wfSeedExport(t *testing.T, srv *telnyxtest.Server) map[string]string {
	t.Helper()
	day := func(m time.Month, d int) time.Time { return time.Date(2025, m, d, 12, 0, 0, 0, time.UTC) }
	seed := []struct {
		name   string
		status telnyx.PortoutStatus
		ref    string
		at     time.Time
		user   string
		phones []string
	}{
		{"a", telnyx.PortoutStatusPending, "acme", day(3, 1), "Maria Lopez", []string{"+13125550101"}},
		{"b", telnyx.PortoutStatusAuthorized, "acme", day(3, 5), "Ann \"Quote\" Lee\nSecond line", []string{"+13125550102", "+13125550103"}},
		{"c", telnyx.PortoutStatusRejected, "acme", day(3, 5), "Maria Lopez", []string{"+13125550104"}},
		{"d", telnyx.PortoutStatusPending, "globex", day(3, 6), "Bo Chen", []string{"+13125550105"}},
		{"e", telnyx.PortoutStatusPending, "acme", day(1, 10), "Bo Chen", []string{"+13125550106"}},
		{"f", telnyx.PortoutStatusPorted, "", day(3, 7), "maria lopez", []string{"+13125550107"}},
	}
	ids := map[string]string{}
	for _, s := range seed {
		p := srv.AddPortout(telnyx.Portout{
			Status: s.status, CreatedAt: s.at, EndUserName: s.user, PhoneNumbers: s.phones,
		})
		if s.ref != "" {
			require.NoError(t, srv.SetCustomerReference(p.ID, s.ref))
		}
		ids[s.name] = p.ID
	}
	return ids
}

// wfCSVIDs parses an export and returns its id column, checking the header.
func wfCSVIDs(t *testing.T, data []byte) []string {
	t.Helper()
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	require.NoError(t, err, "the export is valid CSV")
	require.NotEmpty(t, rows, "the export has a header row")
	require.Equal(t, "id", rows[0][0])
	ids := []string{}
	for _, row := range rows[1:] {
		ids = append(ids, row[0])
	}
	return ids
}

func TestReportsExportWritesExactlyTheSelectedPortouts(t *testing.T) {
	t.Parallel()
	feb1 := time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC)
	mar6 := time.Date(2025, 3, 6, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		filters telnyx.PortoutReportFilters
		want    []string // names from wfSeedExport, in insertion order
	}{
		{"no filters", telnyx.PortoutReportFilters{}, []string{"a", "b", "c", "d", "e", "f"}},
		{
			"status, reference and date",
			telnyx.PortoutReportFilters{
				StatusIn:            []telnyx.PortoutStatus{telnyx.PortoutStatusPending, telnyx.PortoutStatusAuthorized},
				CustomerReferenceIn: []string{"acme"},
				CreatedAtGt:         feb1,
			},
			[]string{"a", "b"},
		},
		{"created between", telnyx.PortoutReportFilters{CreatedAtGt: feb1, CreatedAtLt: mar6}, []string{"a", "b", "c"}},
		{"end user, any case", telnyx.PortoutReportFilters{EndUserName: "MARIA LOPEZ"}, []string{"a", "c", "f"}},
		{"numbers overlap", telnyx.PortoutReportFilters{PhoneNumbersOverlaps: []string{"+13125550103", "+13125550107"}}, []string{"b", "f"}},
		{"nothing matches", telnyx.PortoutReportFilters{StatusIn: []telnyx.PortoutStatus{telnyx.PortoutStatusCanceled}}, []string{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := telnyxtest.NewServer(telnyxtest.WithReportPolls(2))
			t.Cleanup(srv.Close)
			ids := wfSeedExport(t, srv)
			sleeps := &telnyx.SleepRecorder{}
			progress := &wfProgress{}
			client := srv.Client(sleeps.Option())

			var out bytes.Buffer
			r, err := client.Portouts.Reports.Export(t.Context(), tc.filters, &out, progress.option())
			require.NoError(t, err)

			want := []string{}
			for _, n := range tc.want {
				want = append(want, ids[n])
			}
			assert.Equal(t, want, wfCSVIDs(t, out.Bytes()), "the CSV holds exactly the selected port-outs")

			assert.Equal(t, telnyx.PortoutReportStatusCompleted, r.Status)
			assert.Equal(t, telnyx.PortoutReportTypeExportCSV, r.ReportType)
			assert.Equal(t, tc.filters.StatusIn, r.Filters.StatusIn)
			assert.Equal(t, tc.filters.CustomerReferenceIn, r.Filters.CustomerReferenceIn)
			assert.True(t, tc.filters.CreatedAtGt.Equal(r.Filters.CreatedAtGt), "filters come back as sent")
			doc, data, ok := srv.Document(r.DocumentID)
			require.True(t, ok, "the report names a stored document")
			assert.Equal(t, data, out.Bytes(), "w receives the document's bytes unchanged")
			assert.Equal(t, "text/csv", doc.ContentType)

			assert.Equal(t, []time.Duration{time.Second, 2 * time.Second}, sleeps.Waits())
			assert.Equal(t, []string{"pending", "pending", "completed"}, progress.statuses)
			assert.Equal(t, []string{
				"POST /portouts/reports",
				"GET /portouts/reports/" + r.ID,
				"GET /portouts/reports/" + r.ID,
				"GET /portouts/reports/" + r.ID,
				"GET /documents/" + r.DocumentID + "/download",
			}, wfRoutes(srv))
		})
	}
}

func TestReportsWaitReportThatVanishes(t *testing.T) {
	t.Parallel()
	srv := telnyxtest.NewServer(telnyxtest.WithReportPolls(5))
	t.Cleanup(srv.Close)
	sleeps := &telnyx.SleepRecorder{}
	client := srv.Client(sleeps.Option())
	ctx := t.Context()

	created, err := client.Portouts.Reports.Create(ctx, telnyx.PortoutReportCreateParams{})
	require.NoError(t, err)
	// After the first poll the report is gone: the next read answers 404.
	progress := &wfProgress{onCall: func(n int) {
		if n == 1 {
			srv.FailNext(1, http.StatusNotFound, nil)
		}
	}}
	r, err := client.Portouts.Reports.Wait(ctx, created.ID, progress.option())
	assert.Nil(t, r)
	var re *telnyx.ReportError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, created.ID, re.ReportID)
	assert.Empty(t, re.Status, "a vanished report has no status")
	assert.ErrorIs(t, err, telnyx.ErrNotFound)
	var apiErr *telnyx.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusNotFound, apiErr.StatusCode)
	assert.Contains(t, err.Error(), "telnyx: report "+created.ID+": the report no longer exists")
	assert.NotContains(t, err.Error(), "\n")
	assert.Equal(t, []string{"pending"}, progress.statuses)
	assert.Equal(t, []time.Duration{time.Second}, sleeps.Waits())

	// A report that never existed reads the same way.
	_, err = client.Portouts.Reports.Wait(ctx, "6e1c3d7a-0000-4000-8000-000000000000")
	require.ErrorAs(t, err, &re)
	assert.ErrorIs(t, err, telnyx.ErrNotFound)
}

// TestReportsWaitCancelled uses the client's real sleep: the first wait is
// a second long, and cancelling during it must end Wait at once.
func TestReportsWaitCancelled(t *testing.T) {
	t.Parallel()
	srv := telnyxtest.NewServer(telnyxtest.WithReportPolls(1000))
	t.Cleanup(srv.Close)
	hc := telnyx.DefaultHTTPClient()
	t.Cleanup(hc.CloseIdleConnections)
	client, err := telnyx.NewClient(
		telnyx.WithAPIKey(telnyxtest.APIKey),
		telnyx.WithBaseURL(srv.URL),
		telnyx.WithHTTPClient(hc),
	)
	require.NoError(t, err)
	created, err := client.Portouts.Reports.Create(t.Context(), telnyx.PortoutReportCreateParams{})
	require.NoError(t, err)

	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	polled := make(chan struct{})
	var once sync.Once
	progress := telnyx.WithWaitProgress(func(*telnyx.PortoutReport, time.Duration) {
		once.Do(func() { close(polled) })
	})
	cancelled := make(chan struct{})
	go func() {
		defer close(cancelled)
		<-polled
		cancel()
	}()

	start := time.Now()
	r, err := client.Portouts.Reports.Wait(ctx, created.ID, progress)
	took := time.Since(start)
	<-cancelled

	require.Error(t, err)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Contains(t, err.Error(), created.ID, "the error names the report")
	assert.Contains(t, err.Error(), `"pending"`, "and its last status")
	require.NotNil(t, r)
	assert.Equal(t, telnyx.PortoutReportStatusPending, r.Status)
	assert.Less(t, took, time.Second, "Wait returns without finishing its first one-second wait")
	gets := 0
	for _, rt := range wfRoutes(srv) {
		if strings.HasPrefix(rt, "GET /portouts/reports/") {
			gets++
		}
	}
	assert.Equal(t, 1, gets, "no poll after the cancellation")
}

func TestReportsExportCancelledWhileWaiting(t *testing.T) {
	t.Parallel()
	srv := telnyxtest.NewServer(telnyxtest.WithReportPolls(3))
	t.Cleanup(srv.Close)
	srv.AddPortout(telnyx.Portout{PhoneNumbers: []string{"+13125550142"}})
	client := srv.Client()

	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	progress := &wfProgress{onCall: func(n int) {
		if n == 2 {
			cancel()
		}
	}}
	var out bytes.Buffer
	_, err := client.Portouts.Reports.Export(ctx, telnyx.PortoutReportFilters{}, &out, progress.option())
	assert.ErrorIs(t, err, context.Canceled)
	assert.Zero(t, out.Len(), "nothing written")
	for _, rt := range wfRoutes(srv) {
		assert.NotContains(t, rt, "/download")
	}

	// A context that has already ended sends nothing at all.
	before := len(srv.Requests())
	_, err = client.Portouts.Reports.Export(ctx, telnyx.PortoutReportFilters{}, &out)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Len(t, srv.Requests(), before)
}

// wfPDF returns distinct small PDF-like contents.
func wfPDF(name string) []byte {
	return []byte("%PDF-1.7\n% " + name + "\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n")
}

func TestSupportingDocumentsAttachUploadsAndLinks(t *testing.T) {
	t.Parallel()
	srv := telnyxtest.NewServer()
	t.Cleanup(srv.Close)
	p := srv.AddPortout(telnyx.Portout{PhoneNumbers: []string{"+13125550142"}})
	client := srv.Client()
	ctx := t.Context()

	loa, invoice := wfPDF("loa"), wfPDF("invoice")
	linked, err := client.Portouts.SupportingDocuments.Attach(ctx, p.ID, []telnyx.SupportingFile{
		{Type: telnyx.SupportingDocumentLOA, Filename: "loa.pdf", File: bytes.NewReader(loa)},
		// Not seekable: streamed once.
		{Type: telnyx.SupportingDocumentInvoice, Filename: "invoice.pdf", File: io.MultiReader(bytes.NewReader(invoice))},
	})
	require.NoError(t, err)
	require.Len(t, linked, 2)
	assert.Equal(t, telnyx.SupportingDocumentLOA, linked[0].Type)
	assert.Equal(t, telnyx.SupportingDocumentInvoice, linked[1].Type)
	for i, want := range []struct {
		name string
		data []byte
	}{{"loa.pdf", loa}, {"invoice.pdf", invoice}} {
		assert.Equal(t, p.ID, linked[i].PortoutID)
		doc, data, ok := srv.Document(linked[i].DocumentID)
		require.True(t, ok, "document %s was uploaded", linked[i].DocumentID)
		assert.Equal(t, want.name, doc.Filename)
		assert.Equal(t, want.data, data, "the upload holds the file's bytes")
		assert.Equal(t, "application/pdf", doc.ContentType)
	}

	listed, err := client.Portouts.SupportingDocuments.List(ctx, p.ID)
	require.NoError(t, err)
	require.Len(t, listed, 2, "both documents show in the port-out's list")
	for i := range listed {
		assert.Equal(t, linked[i].ID, listed[i].ID)
		assert.Equal(t, linked[i].DocumentID, listed[i].DocumentID)
		assert.Equal(t, linked[i].Type, listed[i].Type)
	}
	assert.Equal(t, []string{
		"POST /documents",
		"POST /documents",
		"POST /portouts/" + p.ID + "/supporting_documents",
		"GET /portouts/" + p.ID + "/supporting_documents",
	}, wfRoutes(srv), "each file uploaded once, then one call links them all")
}

// Attach takes up to ten files, the most one link call accepts.
func TestSupportingDocumentsAttachTenFiles(t *testing.T) {
	t.Parallel()
	srv := telnyxtest.NewServer()
	t.Cleanup(srv.Close)
	p := srv.AddPortout(telnyx.Portout{PhoneNumbers: []string{"+13125550142"}})
	files := make([]telnyx.SupportingFile, 10)
	for i := range files {
		files[i] = telnyx.SupportingFile{Type: telnyx.SupportingDocumentLOA, Filename: fmt.Sprintf("f%d.pdf", i), File: strings.NewReader("%PDF-")}
	}
	linked, err := srv.Client().Portouts.SupportingDocuments.Attach(t.Context(), p.ID, files)
	require.NoError(t, err)
	assert.Len(t, linked, 10)
	assert.Len(t, srv.Requests(), 11, "ten uploads, one link")
}

// beforeEach runs fn ahead of every attempt, through the SDK's middleware,
// so that a test can act at a precise point of a workflow (such as queuing
// a FailNext just before the second upload).
func beforeEach(fn func(*http.Request)) telnyx.Option {
	return telnyx.WithMiddleware(func(r *http.Request, next telnyx.MiddlewareNext) (*http.Response, error) {
		fn(r)
		return next(r)
	})
}

// failNthUpload queues srv.FailNext(1, status) just before the nth POST
// /documents is sent, so that exactly that upload fails.
func failNthUpload(srv *telnyxtest.Server, nth, status int) telnyx.Option {
	var mu sync.Mutex
	uploads := 0
	return beforeEach(func(r *http.Request) {
		if r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, "/documents") {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		uploads++
		if uploads == nth {
			srv.FailNext(1, status, nil)
		}
	})
}

func TestSupportingDocumentsAttachSecondUploadFails(t *testing.T) {
	t.Parallel()
	for _, status := range []int{http.StatusBadRequest, http.StatusUnprocessableEntity} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			t.Parallel()
			srv := telnyxtest.NewServer()
			t.Cleanup(srv.Close)
			p := srv.AddPortout(telnyx.Portout{PhoneNumbers: []string{"+13125550142"}})
			client := srv.Client(failNthUpload(srv, 2, status))

			_, err := client.Portouts.SupportingDocuments.Attach(t.Context(), p.ID, []telnyx.SupportingFile{
				{Type: telnyx.SupportingDocumentLOA, Filename: "loa.pdf", File: bytes.NewReader(wfPDF("loa"))},
				{Type: telnyx.SupportingDocumentInvoice, Filename: "invoice.pdf", File: bytes.NewReader(wfPDF("invoice"))},
				{Type: telnyx.SupportingDocumentInvoice, Filename: "invoice-2.pdf", File: bytes.NewReader(wfPDF("invoice 2"))},
			})
			var ae *telnyx.AttachError
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, p.ID, ae.PortoutID)
			assert.Equal(t, "invoice.pdf", ae.Failed)
			require.Len(t, ae.Uploaded, 1, "the first upload is reported")
			first := ae.Uploaded[0]
			assert.Equal(t, telnyx.SupportingDocumentLOA, first.Type)
			doc, _, ok := srv.Document(first.DocumentID)
			require.True(t, ok, "the reported ID is the stored upload")
			assert.Equal(t, "loa.pdf", doc.Filename)

			var apiErr *telnyx.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, status, apiErr.StatusCode)
			assert.Equal(t, 1, apiErr.Attempts, "a 4xx upload is not retried")
			msg := err.Error()
			assert.True(t, strings.HasPrefix(msg, "telnyx: attach to port-out "+p.ID+": uploading invoice.pdf: "), msg)
			assert.True(t, strings.HasSuffix(msg, "(uploaded, not linked: "+first.DocumentID+")"), msg)

			assert.Equal(t, []string{"POST /documents", "POST /documents"}, wfRoutes(srv),
				"no third upload and no link after the failure")
			listed, err := client.Portouts.SupportingDocuments.List(t.Context(), p.ID)
			require.NoError(t, err)
			assert.Empty(t, listed)
		})
	}
}

func TestSupportingDocumentsAttachRetriesOnlyReplayableUploads(t *testing.T) {
	t.Parallel()
	t.Run("seekable file is sent again", func(t *testing.T) {
		t.Parallel()
		srv := telnyxtest.NewServer()
		t.Cleanup(srv.Close)
		p := srv.AddPortout(telnyx.Portout{PhoneNumbers: []string{"+13125550142"}})
		client := srv.Client(failNthUpload(srv, 2, http.StatusTooManyRequests))
		linked, err := client.Portouts.SupportingDocuments.Attach(t.Context(), p.ID, []telnyx.SupportingFile{
			{Type: telnyx.SupportingDocumentLOA, Filename: "loa.pdf", File: bytes.NewReader(wfPDF("loa"))},
			{Type: telnyx.SupportingDocumentInvoice, Filename: "invoice.pdf", File: bytes.NewReader(wfPDF("invoice"))},
		})
		require.NoError(t, err)
		require.Len(t, linked, 2)
		_, data, ok := srv.Document(linked[1].DocumentID)
		require.True(t, ok)
		assert.Equal(t, wfPDF("invoice"), data, "the retry sends the whole file again")
		assert.Equal(t, []string{
			"POST /documents", "POST /documents", "POST /documents",
			"POST /portouts/" + p.ID + "/supporting_documents",
		}, wfRoutes(srv))
	})
	t.Run("stream is not", func(t *testing.T) {
		t.Parallel()
		srv := telnyxtest.NewServer()
		t.Cleanup(srv.Close)
		p := srv.AddPortout(telnyx.Portout{PhoneNumbers: []string{"+13125550142"}})
		client := srv.Client(failNthUpload(srv, 2, http.StatusTooManyRequests))
		_, err := client.Portouts.SupportingDocuments.Attach(t.Context(), p.ID, []telnyx.SupportingFile{
			{Type: telnyx.SupportingDocumentLOA, Filename: "loa.pdf", File: bytes.NewReader(wfPDF("loa"))},
			{Type: telnyx.SupportingDocumentInvoice, Filename: "invoice.pdf", File: io.MultiReader(bytes.NewReader(wfPDF("invoice")))},
		})
		var ae *telnyx.AttachError
		require.ErrorAs(t, err, &ae)
		assert.ErrorIs(t, err, telnyx.ErrRateLimited)
		assert.Equal(t, "invoice.pdf", ae.Failed)
		require.Len(t, ae.Uploaded, 1)
		assert.Equal(t, []string{"POST /documents", "POST /documents"}, wfRoutes(srv))
	})
}

func TestSupportingDocumentsAttachLinkFails(t *testing.T) {
	t.Parallel()
	files := func() []telnyx.SupportingFile {
		return []telnyx.SupportingFile{
			{Type: telnyx.SupportingDocumentLOA, Filename: "loa.pdf", File: bytes.NewReader(wfPDF("loa"))},
			{Type: telnyx.SupportingDocumentInvoice, Filename: "invoice.pdf", File: bytes.NewReader(wfPDF("invoice"))},
		}
	}
	check := func(t *testing.T, srv *telnyxtest.Server, portoutID string, err error) {
		t.Helper()
		var ae *telnyx.AttachError
		require.ErrorAs(t, err, &ae)
		assert.Empty(t, ae.Failed, "no upload failed")
		require.Len(t, ae.Uploaded, 2, "every upload is reported")
		assert.Equal(t, telnyx.SupportingDocumentLOA, ae.Uploaded[0].Type)
		assert.Equal(t, telnyx.SupportingDocumentInvoice, ae.Uploaded[1].Type)
		for _, u := range ae.Uploaded {
			_, _, ok := srv.Document(u.DocumentID)
			assert.True(t, ok, "%s was uploaded", u.DocumentID)
		}
		msg := err.Error()
		assert.True(t, strings.HasPrefix(msg, "telnyx: attach to port-out "+portoutID+": linking documents: "), msg)
		assert.True(t, strings.HasSuffix(msg, "(uploaded, not linked: "+ae.Uploaded[0].DocumentID+", "+ae.Uploaded[1].DocumentID+")"), msg)
	}

	t.Run("unknown port-out", func(t *testing.T) {
		t.Parallel()
		srv := telnyxtest.NewServer()
		t.Cleanup(srv.Close)
		const missing = "0ccc7b54-4df3-4bca-a65a-3da1ecc777f0"
		_, err := srv.Client().Portouts.SupportingDocuments.Attach(t.Context(), missing, files())
		check(t, srv, missing, err)
		assert.ErrorIs(t, err, telnyx.ErrNotFound)
	})
	t.Run("link rejected", func(t *testing.T) {
		t.Parallel()
		srv := telnyxtest.NewServer()
		t.Cleanup(srv.Close)
		p := srv.AddPortout(telnyx.Portout{PhoneNumbers: []string{"+13125550142"}})
		client := srv.Client(beforeEach(func(r *http.Request) {
			if strings.HasSuffix(r.URL.Path, "/supporting_documents") {
				srv.FailNext(1, http.StatusUnprocessableEntity, nil)
			}
		}))
		_, err := client.Portouts.SupportingDocuments.Attach(t.Context(), p.ID, files())
		check(t, srv, p.ID, err)
		assert.ErrorIs(t, err, telnyx.ErrUnprocessable)
		listed, err := srv.Client().Portouts.SupportingDocuments.List(t.Context(), p.ID)
		require.NoError(t, err)
		assert.Empty(t, listed)
	})
}
