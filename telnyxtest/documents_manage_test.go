package telnyxtest_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	telnyx "github.com/a54710f5/telnyx-go"
	"github.com/a54710f5/telnyx-go/telnyxtest"
)

var docClockStart = time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC)

// seedDocuments uploads four documents, one minute apart on a clock that
// moves a minute at each read, and returns them by short name.
func seedDocuments(t *testing.T, client *telnyx.Client) map[string]*telnyx.Document {
	t.Helper()
	out := map[string]*telnyx.Document{}
	for _, d := range []struct{ key, name, ref string }{
		{"inv24", "Invoice-2024.pdf", "REF001"},
		{"loa", "loa.pdf", "REF002"},
		{"invOld", "old-invoice.pdf", "REF003"},
		{"notes", "notes.txt", ""},
	} {
		doc, err := client.Documents.Upload(t.Context(), telnyx.DocumentUploadParams{
			Filename: d.name, File: strings.NewReader("content of " + d.name), CustomerReference: d.ref,
		})
		require.NoError(t, err)
		out[d.key] = doc
	}
	return out
}

func docIDs(docs []telnyx.Document) []string {
	out := make([]string, len(docs))
	for i, d := range docs {
		out[i] = d.ID
	}
	return out
}

func TestDocumentInitialStatuses(t *testing.T) {
	t.Parallel()
	srv := newServer(t, telnyxtest.WithReportPolls(0))
	client := srv.Client()
	ctx := t.Context()

	multipart, err := client.Documents.Upload(ctx, telnyx.DocumentUploadParams{Filename: "loa.pdf", File: strings.NewReader("x")})
	require.NoError(t, err)
	byURL, err := client.Documents.UploadFromURL(ctx, telnyx.DocumentUploadURLParams{URL: "https://example.com/files/invoice.pdf"})
	require.NoError(t, err)
	status, body := rawJSON(t, srv, http.MethodPost, "/documents", map[string]string{"file": "aGVsbG8=", "filename": "a.txt"})
	require.Equal(t, http.StatusOK, status, string(body))
	var base64Upload struct{ Data telnyx.Document }
	require.NoError(t, json.Unmarshal(body, &base64Upload))

	for _, d := range []telnyx.Document{*multipart, *byURL, base64Upload.Data} {
		assert.Equal(t, telnyx.DocumentStatusPending, d.Status, d.Filename)
		assert.Equal(t, telnyx.DocumentAVPendingScan, d.AVScanStatus, d.Filename)
		got, err := client.Documents.Get(ctx, d.ID)
		require.NoError(t, err)
		assert.Equal(t, d, *got, "Get answers the document as uploaded")
	}

	rep, err := client.Portouts.Reports.Create(ctx, telnyx.PortoutReportCreateParams{})
	require.NoError(t, err)
	rep, err = client.Portouts.Reports.Get(ctx, rep.ID)
	require.NoError(t, err)
	csv, err := client.Documents.Get(ctx, rep.DocumentID)
	require.NoError(t, err)
	assert.Equal(t, telnyx.DocumentStatusVerified, csv.Status, "Telnyx made the CSV itself")
	assert.Equal(t, telnyx.DocumentAVScanned, csv.AVScanStatus)
}

func TestSetDocumentStatus(t *testing.T) {
	t.Parallel()
	srv := newServer(t, telnyxtest.WithClock(fixedClock(docClockStart, time.Minute)))
	client := srv.Client()
	ctx := t.Context()
	doc, err := client.Documents.Upload(ctx, telnyx.DocumentUploadParams{Filename: "loa.pdf", File: strings.NewReader("x")})
	require.NoError(t, err)

	steps := []struct {
		name     string
		status   telnyx.DocumentStatus
		av       telnyx.DocumentAVScanStatus
		wantStat telnyx.DocumentStatus
		wantAV   telnyx.DocumentAVScanStatus
	}{
		{"scan only", "", telnyx.DocumentAVScanned, telnyx.DocumentStatusPending, telnyx.DocumentAVScanned},
		{"review only", telnyx.DocumentStatusVerified, "", telnyx.DocumentStatusVerified, telnyx.DocumentAVScanned},
		{"both", telnyx.DocumentStatusDenied, telnyx.DocumentAVInfected, telnyx.DocumentStatusDenied, telnyx.DocumentAVInfected},
		{"not scanned", "", telnyx.DocumentAVNotScanned, telnyx.DocumentStatusDenied, telnyx.DocumentAVNotScanned},
		{"values the API may add later", "escalated", "quarantined", "escalated", "quarantined"},
	}
	last := doc.UpdatedAt
	for _, st := range steps {
		require.NoError(t, srv.SetDocumentStatus(doc.ID, st.status, st.av), st.name)
		got, err := client.Documents.Get(ctx, doc.ID)
		require.NoError(t, err)
		assert.Equal(t, st.wantStat, got.Status, st.name)
		assert.Equal(t, st.wantAV, got.AVScanStatus, st.name)
		assert.True(t, got.UpdatedAt.After(last), "%s: UpdatedAt moves", st.name)
		assert.Equal(t, doc.CreatedAt, got.CreatedAt)
		last = got.UpdatedAt
	}

	assert.Error(t, srv.SetDocumentStatus("missing", telnyx.DocumentStatusVerified, ""))
	assert.Error(t, srv.SetDocumentStatus(doc.ID, "", ""))
}

func TestDocumentGetMissing(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	client := srv.Client()
	for _, call := range []func() error{
		func() error { _, err := client.Documents.Get(t.Context(), "missing"); return err },
		func() error {
			_, err := client.Documents.Update(t.Context(), "missing", telnyx.DocumentUpdateParams{Filename: "a.pdf"})
			return err
		},
		func() error { _, err := client.Documents.Delete(t.Context(), "missing"); return err },
		func() error { _, err := client.Documents.DownloadLink(t.Context(), "missing"); return err },
	} {
		err := call()
		require.ErrorIs(t, err, telnyx.ErrNotFound)
		assert.Equal(t, "10005", apiError(t, err).Errors[0].Code)
	}
}

func TestDocumentListFiltersAndSort(t *testing.T) {
	t.Parallel()
	srv := newServer(t, telnyxtest.WithClock(fixedClock(docClockStart, time.Minute)))
	client := srv.Client()
	docs := seedDocuments(t, client)
	// loa changes last: its updated_at is now the newest.
	require.NoError(t, srv.SetDocumentStatus(docs["loa"].ID, telnyx.DocumentStatusVerified, telnyx.DocumentAVScanned))
	id := func(keys ...string) []string {
		out := make([]string, len(keys))
		for i, k := range keys {
			out[i] = docs[k].ID
		}
		return out
	}
	at := func(k string) time.Time { return docs[k].CreatedAt }

	tests := []struct {
		name   string
		params telnyx.DocumentListParams
		want   []string
	}{
		{"no filter: newest created first", telnyx.DocumentListParams{}, id("notes", "invOld", "loa", "inv24")},
		{"filename contains, any case", telnyx.DocumentListParams{Filter: telnyx.DocumentListFilter{FilenameContains: "INVOICE"}}, id("invOld", "inv24")},
		{"filename contains nothing", telnyx.DocumentListParams{Filter: telnyx.DocumentListFilter{FilenameContains: "passport"}}, []string{}},
		{"customer reference", telnyx.DocumentListParams{Filter: telnyx.DocumentListFilter{CustomerReference: "REF002"}}, id("loa")},
		{"customer reference in", telnyx.DocumentListParams{Filter: telnyx.DocumentListFilter{CustomerReferenceIn: []string{"REF001", "REF003", "REF404"}}}, id("invOld", "inv24")},
		{"reference and list together", telnyx.DocumentListParams{Filter: telnyx.DocumentListFilter{CustomerReference: "REF001", CustomerReferenceIn: []string{"REF001", "REF002"}}}, id("inv24")},
		{"created after, strictly", telnyx.DocumentListParams{Filter: telnyx.DocumentListFilter{CreatedAtGt: at("loa")}}, id("notes", "invOld")},
		{"created before, strictly", telnyx.DocumentListParams{Filter: telnyx.DocumentListFilter{CreatedAtLt: at("invOld")}}, id("loa", "inv24")},
		{"created between", telnyx.DocumentListParams{Filter: telnyx.DocumentListFilter{CreatedAtGt: at("inv24"), CreatedAtLt: at("notes")}}, id("invOld", "loa")},
		{"sort filename", telnyx.DocumentListParams{Sort: []telnyx.DocumentSort{telnyx.DocumentSortFilename}}, id("inv24", "loa", "notes", "invOld")},
		{"sort -filename", telnyx.DocumentListParams{Sort: []telnyx.DocumentSort{telnyx.DocumentSortFilenameDesc}}, id("invOld", "notes", "loa", "inv24")},
		{"sort created_at", telnyx.DocumentListParams{Sort: []telnyx.DocumentSort{telnyx.DocumentSortCreatedAt}}, id("inv24", "loa", "invOld", "notes")},
		{"sort -created_at", telnyx.DocumentListParams{Sort: []telnyx.DocumentSort{telnyx.DocumentSortCreatedAtDesc}}, id("notes", "invOld", "loa", "inv24")},
		{"sort updated_at", telnyx.DocumentListParams{Sort: []telnyx.DocumentSort{telnyx.DocumentSortUpdatedAt}}, id("inv24", "invOld", "notes", "loa")},
		{"sort -updated_at", telnyx.DocumentListParams{Sort: []telnyx.DocumentSort{telnyx.DocumentSortUpdatedAtDesc}}, id("loa", "notes", "invOld", "inv24")},
		{"filter and sort", telnyx.DocumentListParams{
			Filter: telnyx.DocumentListFilter{FilenameContains: ".pdf"},
			Sort:   []telnyx.DocumentSort{telnyx.DocumentSortFilenameDesc},
		}, id("invOld", "loa", "inv24")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			page, err := client.Documents.List(t.Context(), &tc.params)
			require.NoError(t, err)
			assert.Equal(t, tc.want, docIDs(page.Data))
			assert.Equal(t, len(tc.want), page.Meta.TotalResults)
		})
	}
}

func TestDocumentListSortPrecedence(t *testing.T) {
	t.Parallel()
	// A clock that stands still: every document has the same timestamps,
	// so the later keys and then the order of storing decide.
	srv := newServer(t, telnyxtest.WithClock(func() time.Time { return docClockStart }))
	client := srv.Client()
	var ids []string
	for _, name := range []string{"b.pdf", "a.pdf", "b.pdf", "a.pdf"} {
		d, err := client.Documents.Upload(t.Context(), telnyx.DocumentUploadParams{Filename: name, File: strings.NewReader(name)})
		require.NoError(t, err)
		ids = append(ids, d.ID)
	}
	tests := []struct {
		name string
		sort []telnyx.DocumentSort
		want []string
	}{
		{"default: newest stored first on a tie", nil, []string{ids[3], ids[2], ids[1], ids[0]}},
		{"created_at ties, then filename", []telnyx.DocumentSort{telnyx.DocumentSortCreatedAt, telnyx.DocumentSortFilename}, []string{ids[3], ids[1], ids[2], ids[0]}},
		{"filename, then the default", []telnyx.DocumentSort{telnyx.DocumentSortFilename}, []string{ids[3], ids[1], ids[2], ids[0]}},
		{"-filename, then updated_at, then the default", []telnyx.DocumentSort{telnyx.DocumentSortFilenameDesc, telnyx.DocumentSortUpdatedAt}, []string{ids[2], ids[0], ids[3], ids[1]}},
	}
	for _, tc := range tests {
		page, err := client.Documents.List(t.Context(), &telnyx.DocumentListParams{Sort: tc.sort})
		require.NoError(t, err)
		assert.Equal(t, tc.want, docIDs(page.Data), tc.name)
	}
}

func TestDocumentListPaging(t *testing.T) {
	t.Parallel()
	srv := newServer(t, telnyxtest.WithClock(fixedClock(docClockStart, time.Minute)))
	client := srv.Client()
	docs := seedDocuments(t, client)

	page, err := client.Documents.List(t.Context(), &telnyx.DocumentListParams{Page: telnyx.PageParams{Number: 2, Size: 3}})
	require.NoError(t, err)
	assert.Equal(t, []string{docs["inv24"].ID}, docIDs(page.Data))
	assert.Equal(t, telnyx.PageMeta{PageNumber: 2, PageSize: 3, TotalPages: 2, TotalResults: 4}, page.Meta)

	var got []string
	for d, err := range client.Documents.ListAutoPaging(t.Context(), &telnyx.DocumentListParams{
		Page: telnyx.PageParams{Size: 1},
		Sort: []telnyx.DocumentSort{telnyx.DocumentSortFilename},
	}) {
		require.NoError(t, err)
		got = append(got, d.ID)
	}
	assert.Equal(t, []string{docs["inv24"].ID, docs["loa"].ID, docs["notes"].ID, docs["invOld"].ID}, got)
	var sorts [][]string
	for _, r := range srv.Requests() {
		if r.Method == http.MethodGet && r.Path == "/documents" && r.Query.Get("page[size]") == "1" {
			sorts = append(sorts, r.Query["sort"])
		}
	}
	assert.Equal(t, [][]string{{"filename"}, {"filename"}, {"filename"}, {"filename"}}, sorts, "every page is asked with the sort")
}

func TestDocumentListRefusals(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	tests := []struct {
		query string
		param string
	}{
		{"sort=size", "sort"},
		{"sort=filename,-created_at", "sort"}, // the spec's form style repeats the key; a comma list is not it
		{"sort=filename&sort=-filename", "sort"},
		{"sort[]=+filename", "sort[]"},
		{"filter[filename]=loa", "filter[filename]"},
		{"filter[customer_reference]=REF001", "filter[customer_reference]"},
		{"filter[created_at][gte]=2025-06-01T00:00:00Z", "filter[created_at][gte]"},
		{"filter[created_at][gt]=yesterday", "filter[created_at][gt]"},
		{"page[size]=251", "page[size]"},
		{"page[number]=0", "page[number]"},
	}
	for _, tc := range tests {
		status, _, body := raw(t, srv, http.MethodGet, "/documents?"+tc.query, "Bearer k", "", nil)
		require.Equal(t, http.StatusUnprocessableEntity, status, "%s: %s", tc.query, body)
		assert.Equal(t, tc.param, errorBody(t, body).Source.Parameter, tc.query)
	}
	// The original name of the list, and repeated [in] members, are read too.
	for _, q := range []string{
		"sort[]=filename&sort[]=-created_at",
		"filter[customer_reference][in][]=A&filter[customer_reference][in][]=B",
		"filter[customer_reference][in]=A&filter[customer_reference][in]=B",
	} {
		status, _, body := raw(t, srv, http.MethodGet, "/documents?"+q, "Bearer k", "", nil)
		assert.Equal(t, http.StatusOK, status, "%s: %s", q, body)
	}
}

func TestDocumentUpdateThroughFake(t *testing.T) {
	t.Parallel()
	srv := newServer(t, telnyxtest.WithClock(fixedClock(docClockStart, time.Minute)))
	client := srv.Client()
	ctx := t.Context()
	doc, err := client.Documents.Upload(ctx, telnyx.DocumentUploadParams{Filename: "loa.pdf", File: strings.NewReader("x"), CustomerReference: "REF001"})
	require.NoError(t, err)

	got, err := client.Documents.Update(ctx, doc.ID, telnyx.DocumentUpdateParams{Filename: "loa-signed.pdf"})
	require.NoError(t, err)
	assert.Equal(t, "loa-signed.pdf", got.Filename)
	assert.Equal(t, "REF001", got.CustomerReference, "an empty field is left as it is")
	assert.True(t, got.UpdatedAt.After(doc.UpdatedAt))

	got, err = client.Documents.Update(ctx, doc.ID, telnyx.DocumentUpdateParams{CustomerReference: "REF002"})
	require.NoError(t, err)
	assert.Equal(t, "loa-signed.pdf", got.Filename)
	assert.Equal(t, "REF002", got.CustomerReference)

	before := *got
	got, err = client.Documents.Update(ctx, doc.ID, telnyx.DocumentUpdateParams{})
	require.NoError(t, err)
	assert.Equal(t, before, *got, "{} changes nothing")

	stored, _, ok := srv.Document(doc.ID)
	require.True(t, ok)
	assert.Equal(t, *got, stored)
	assert.Equal(t, `{}`, string(srv.Requests()[len(srv.Requests())-1].Body))

	// What the SDK never sends, straight to the fake.
	path := "/documents/" + doc.ID
	for _, tc := range []struct {
		name    string
		body    any
		status  int
		pointer string
	}{
		{"clear the reference", map[string]any{"customer_reference": ""}, 200, ""},
		{"empty file name", map[string]any{"filename": ""}, 422, "/filename"},
		{"file name of the wrong type", map[string]any{"filename": 7}, 422, "/filename"},
		{"read-only status", map[string]any{"status": "verified"}, 422, "/status"},
		{"read-only sha256", map[string]any{"filename": "x.pdf", "sha256": "00"}, 422, "/sha256"},
	} {
		status, body := rawJSON(t, srv, http.MethodPatch, path, tc.body)
		require.Equal(t, tc.status, status, "%s: %s", tc.name, body)
		if status != 200 {
			assert.Equal(t, tc.pointer, errorBody(t, body).Source.Pointer, tc.name)
		}
	}
	stored, _, _ = srv.Document(doc.ID)
	assert.Equal(t, "loa-signed.pdf", stored.Filename, "refused updates change nothing")
	assert.Empty(t, stored.CustomerReference)
	assert.Equal(t, telnyx.DocumentStatusPending, stored.Status)
}

func TestDocumentDeleteThroughFake(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	client := srv.Client()
	ctx := t.Context()
	p := srv.AddPortout(telnyx.Portout{})
	loose, err := client.Documents.Upload(ctx, telnyx.DocumentUploadParams{Filename: "draft.pdf", File: strings.NewReader("draft")})
	require.NoError(t, err)
	attached, err := client.Portouts.SupportingDocuments.Attach(ctx, p.ID, []telnyx.SupportingFile{
		{Type: telnyx.SupportingDocumentLOA, Filename: "loa.pdf", File: strings.NewReader("loa")},
	})
	require.NoError(t, err)
	linkedID := attached[0].DocumentID

	deleted, err := client.Documents.Delete(ctx, loose.ID)
	require.NoError(t, err)
	assert.Equal(t, *loose, *deleted, "Delete answers the document as it was")
	_, err = client.Documents.Get(ctx, loose.ID)
	assert.ErrorIs(t, err, telnyx.ErrNotFound)
	_, err = client.Documents.Download(ctx, loose.ID, io.Discard)
	assert.ErrorIs(t, err, telnyx.ErrNotFound)
	_, err = client.Documents.Delete(ctx, loose.ID)
	assert.ErrorIs(t, err, telnyx.ErrNotFound, "deleting twice")

	_, err = client.Documents.Delete(ctx, linkedID)
	require.ErrorIs(t, err, telnyx.ErrUnprocessable)
	e := apiError(t, err)
	assert.Equal(t, "10015", e.Errors[0].Code)
	assert.Equal(t, "Document is linked", e.Errors[0].Title)
	assert.Contains(t, e.Errors[0].Detail, "portout "+p.ID)
	_, _, ok := srv.Document(linkedID)
	assert.True(t, ok, "a linked document stays")

	page, err := client.Documents.List(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, []string{linkedID}, docIDs(page.Data))
}

func TestDocumentDownloadLinkThroughFake(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	client := srv.Client()
	ctx := t.Context()
	content := []byte("%PDF-1.7 letter of authorization")
	doc, err := client.Documents.Upload(ctx, telnyx.DocumentUploadParams{Filename: "loa.pdf", File: bytes.NewReader(content)})
	require.NoError(t, err)
	other, err := client.Documents.Upload(ctx, telnyx.DocumentUploadParams{Filename: "other.pdf", File: strings.NewReader("other")})
	require.NoError(t, err)

	link, err := client.Documents.DownloadLink(ctx, doc.ID)
	require.NoError(t, err)
	assert.True(t, link.IsAbs())
	assert.Equal(t, strings.TrimSuffix(srv.URL, "/")+"/documents/"+doc.ID+"/download", link.Scheme+"://"+link.Host+link.Path)
	require.NotEmpty(t, link.Query().Get("signature"))

	// Pre-signed: no Authorization header needed.
	status, header, body := raw(t, srv, http.MethodGet, strings.TrimPrefix(link.String(), strings.TrimSuffix(srv.URL, "/")), "", "", nil)
	require.Equal(t, http.StatusOK, status, string(body))
	assert.Equal(t, content, body)
	assert.Equal(t, "application/pdf", header.Get("Content-Type"))

	// The signature opens that document only, and only for GET.
	otherPath := "/documents/" + other.ID + "/download?" + link.RawQuery
	status, _, _ = raw(t, srv, http.MethodGet, otherPath, "", "", nil)
	assert.Equal(t, http.StatusUnauthorized, status)
	status, _, _ = raw(t, srv, http.MethodDelete, "/documents/"+doc.ID+"?"+link.RawQuery, "", "", nil)
	assert.Equal(t, http.StatusUnauthorized, status)
	forged := url.Values{"signature": {"0123456789abcdef0123456789abcdef"}}.Encode()
	status, _, _ = raw(t, srv, http.MethodGet, "/documents/"+doc.ID+"/download?"+forged, "", "", nil)
	assert.Equal(t, http.StatusUnauthorized, status)

	second, err := client.Documents.DownloadLink(ctx, doc.ID)
	require.NoError(t, err)
	assert.NotEqual(t, link.Query().Get("signature"), second.Query().Get("signature"), "each link is signed afresh")

	// Deleting the document ends its links.
	_, err = client.Documents.Delete(ctx, doc.ID)
	require.NoError(t, err)
	status, _, _ = raw(t, srv, http.MethodGet, strings.TrimPrefix(link.String(), strings.TrimSuffix(srv.URL, "/")), "", "", nil)
	assert.Equal(t, http.StatusUnauthorized, status)
}

func TestDocumentUploadFromURLThroughFake(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	client := srv.Client()
	ctx := t.Context()

	tests := []struct {
		name        string
		params      telnyx.DocumentUploadURLParams
		filename    string
		contentType string
	}{
		{"named", telnyx.DocumentUploadURLParams{URL: "https://example.com/files/x.bin", Filename: "loa.pdf", CustomerReference: "REF009"}, "loa.pdf", "application/pdf"},
		{"named after the URL", telnyx.DocumentUploadURLParams{URL: "http://example.com/files/invoice.pdf?v=2"}, "invoice.pdf", "application/pdf"},
		{"a URL without a path", telnyx.DocumentUploadURLParams{URL: "https://example.com"}, "document", "application/octet-stream"},
	}
	for _, tc := range tests {
		doc, err := client.Documents.UploadFromURL(ctx, tc.params)
		require.NoError(t, err, tc.name)
		assert.Equal(t, tc.filename, doc.Filename, tc.name)
		assert.Equal(t, tc.contentType, doc.ContentType, tc.name)
		assert.Equal(t, tc.params.CustomerReference, doc.CustomerReference, tc.name)

		var buf bytes.Buffer
		_, err = client.Documents.Download(ctx, doc.ID, &buf)
		require.NoError(t, err)
		assert.Contains(t, buf.String(), tc.params.URL, "the placeholder names the URL")
		sum := sha256.Sum256(buf.Bytes())
		assert.Equal(t, hex.EncodeToString(sum[:]), doc.SHA256, tc.name)
		assert.Equal(t, int64(buf.Len()), doc.Size, tc.name)
	}

	last := srv.Requests()[len(srv.Requests())-2]
	assert.Equal(t, http.MethodPost, last.Method)
	assert.Equal(t, "application/json", last.Header.Get("Content-Type"))
	assert.JSONEq(t, `{"url":"https://example.com"}`, string(last.Body))

	for _, body := range []map[string]any{
		{"url": "ftp://example.com/a.pdf"},
		{"url": "example.com/a.pdf"},
		{"url": 3},
	} {
		status, out := rawJSON(t, srv, http.MethodPost, "/documents", body)
		require.Equal(t, http.StatusUnprocessableEntity, status, string(out))
		assert.Equal(t, "/url", errorBody(t, out).Source.Pointer)
	}
}
