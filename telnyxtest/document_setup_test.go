package telnyxtest_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	telnyx "github.com/a54710f5/telnyx-go"
	"github.com/a54710f5/telnyx-go/telnyxtest"
)

const (
	fixedLOA     = "d0c00000-0000-4000-8000-000000000001"
	fixedInvoice = "d0c00000-0000-4000-8000-000000000002"
	loaContent   = "%PDF-1.4 loa"
	loaSHA256    = "dc748dc678b7d56bf4003d2f4678b9b0a16e46c6b6e7c40a9d100bda3c6c385c" // sha256sum of loaContent
)

func TestAddDocumentFillsAsAnUpload(t *testing.T) {
	t.Parallel()
	srv := newServer(t, telnyxtest.WithClock(fixedClock(docClockStart, time.Minute)))
	got := srv.AddDocument(telnyx.Document{ID: fixedLOA, Filename: "loa.PDF"}, []byte(loaContent))
	want := telnyx.Document{
		ID:           fixedLOA,
		Filename:     "loa.PDF",
		ContentType:  "application/pdf",
		SHA256:       loaSHA256,
		Status:       telnyx.DocumentStatusPending,
		AVScanStatus: telnyx.DocumentAVPendingScan,
		RecordType:   "document",
		Size:         int64(len(loaContent)),
		SizeUnit:     "bytes",
		CreatedAt:    docClockStart,
		UpdatedAt:    docClockStart,
	}
	assert.Equal(t, want, got)

	// The server holds what AddDocument returned, and the bytes.
	held, data, ok := srv.Document(fixedLOA)
	require.True(t, ok)
	assert.Equal(t, want, held)
	assert.Equal(t, loaContent, string(data))

	// With nothing given: a random ID, the default name and type.
	blank := srv.AddDocument(telnyx.Document{}, nil)
	assert.Len(t, blank.ID, 36)
	assert.Equal(t, "document", blank.Filename)
	assert.Equal(t, "application/octet-stream", blank.ContentType)
	assert.Equal(t, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", blank.SHA256) // of no bytes
	assert.Zero(t, blank.Size)
	assert.Equal(t, docClockStart.Add(time.Minute), blank.CreatedAt)
}

func TestAddDocumentKeepsWhatIsGiven(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	created := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	content := []byte("a,b\n1,2\n")
	got := srv.AddDocument(telnyx.Document{
		ID: "my-doc", Filename: "rows.csv", ContentType: "text/plain", CustomerReference: "REF-1",
		Status: telnyx.DocumentStatusVerified, AVScanStatus: telnyx.DocumentAVScanned,
		CreatedAt: created, UpdatedAt: created.Add(time.Hour),
		// SHA256 and Size always describe the content.
		SHA256: "not the hash", Size: 999,
	}, content)
	assert.Equal(t, "text/plain", got.ContentType)
	assert.Equal(t, "REF-1", got.CustomerReference)
	assert.Equal(t, telnyx.DocumentStatusVerified, got.Status)
	assert.Equal(t, telnyx.DocumentAVScanned, got.AVScanStatus)
	assert.Equal(t, created, got.CreatedAt)
	assert.Equal(t, created.Add(time.Hour), got.UpdatedAt)
	assert.Equal(t, "492d5ea496056f1a6a6592241032fab764c321596317930b4fa0e1e8bc3b7470", got.SHA256) // sha256sum of content
	assert.Equal(t, int64(len(content)), got.Size)

	// The caller's slice is copied: changing it afterwards changes nothing.
	content[0] = 'X'
	_, data, _ := srv.Document("my-doc")
	assert.Equal(t, "a,b\n1,2\n", string(data))
}

func TestAddDocumentRefusesADuplicateID(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	srv.AddDocument(telnyx.Document{ID: fixedLOA}, []byte("first"))
	assert.PanicsWithValue(t, `telnyxtest: AddDocument: a document with ID "`+fixedLOA+`" exists`, func() {
		srv.AddDocument(telnyx.Document{ID: fixedLOA}, []byte("second"))
	})
	_, data, _ := srv.Document(fixedLOA)
	assert.Equal(t, "first", string(data), "the refused document replaced the first")

	// An uploaded document's ID is taken too.
	up, err := srv.Client().Documents.Upload(t.Context(), telnyx.DocumentUploadParams{Filename: "a.pdf", File: strings.NewReader("x")})
	require.NoError(t, err)
	assert.Panics(t, func() { srv.AddDocument(telnyx.Document{ID: up.ID}, nil) })
}

// The SDK reads an added document back through every documents route.
func TestAddDocumentServedByEveryRoute(t *testing.T) {
	t.Parallel()
	srv := newServer(t, telnyxtest.WithClock(fixedClock(docClockStart, time.Minute)))
	client := srv.Client()
	ctx := t.Context()
	loa := srv.AddDocument(telnyx.Document{ID: fixedLOA, Filename: "loa.pdf"}, []byte(loaContent))
	inv := srv.AddDocument(telnyx.Document{
		ID: fixedInvoice, Filename: "invoice.pdf", CustomerReference: "REF-7",
		CreatedAt: docClockStart.Add(-time.Hour), // older than the LOA
	}, []byte("%PDF-1.4 invoice"))

	got, err := client.Documents.Get(ctx, fixedLOA)
	require.NoError(t, err)
	assert.Equal(t, loa, *got)

	var buf bytes.Buffer
	n, err := client.Documents.Download(ctx, fixedLOA, &buf)
	require.NoError(t, err)
	assert.Equal(t, int64(len(loaContent)), n)
	assert.Equal(t, loaContent, buf.String())

	// The list: newest created first, filters and sort keys apply.
	ids := func(params *telnyx.DocumentListParams) []string {
		t.Helper()
		page, err := client.Documents.List(ctx, params)
		require.NoError(t, err)
		var out []string
		for _, d := range page.Data {
			out = append(out, d.ID)
		}
		return out
	}
	assert.Equal(t, []string{fixedLOA, fixedInvoice}, ids(nil))
	assert.Equal(t, []string{fixedInvoice}, ids(&telnyx.DocumentListParams{Filter: telnyx.DocumentListFilter{CustomerReference: "REF-7"}}))
	assert.Equal(t, []string{fixedInvoice}, ids(&telnyx.DocumentListParams{Filter: telnyx.DocumentListFilter{FilenameContains: "INVOICE"}}))
	assert.Equal(t, []string{fixedInvoice}, ids(&telnyx.DocumentListParams{Filter: telnyx.DocumentListFilter{CreatedAtLt: docClockStart}}))
	assert.Equal(t, []string{fixedInvoice, fixedLOA}, ids(&telnyx.DocumentListParams{Sort: []telnyx.DocumentSort{telnyx.DocumentSortFilename}}))

	// A download link serves the bytes without the API key.
	link, err := client.Documents.DownloadLink(ctx, fixedLOA)
	require.NoError(t, err)
	status, _, body := raw(t, srv, http.MethodGet, strings.TrimPrefix(link.String(), strings.TrimSuffix(srv.URL, "/")), "", "", nil)
	assert.Equal(t, http.StatusOK, status)
	assert.Equal(t, loaContent, string(body))

	upd, err := client.Documents.Update(ctx, fixedInvoice, telnyx.DocumentUpdateParams{Filename: "invoice-2026.pdf"})
	require.NoError(t, err)
	assert.Equal(t, "invoice-2026.pdf", upd.Filename)
	assert.Equal(t, inv.SHA256, upd.SHA256)
	assert.True(t, upd.UpdatedAt.After(inv.UpdatedAt))

	del, err := client.Documents.Delete(ctx, fixedInvoice)
	require.NoError(t, err)
	assert.Equal(t, fixedInvoice, del.ID)
	_, err = client.Documents.Get(ctx, fixedInvoice)
	require.ErrorIs(t, err, telnyx.ErrNotFound)
}

// An added document links through the API like an upload: the supporting
// document, the document link, and the refusal to delete it.
func TestAddDocumentLinksThroughTheAPI(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	client := srv.Client()
	ctx := t.Context()
	p := srv.AddPortout(telnyx.Portout{})
	srv.AddDocument(telnyx.Document{ID: fixedLOA, Filename: "loa.pdf"}, []byte(loaContent))

	_, err := client.Portouts.SupportingDocuments.Create(ctx, p.ID, telnyx.PortoutSupportingDocumentCreateParams{
		Documents: []telnyx.SupportingDocumentParam{{DocumentID: fixedLOA, Type: telnyx.SupportingDocumentLOA}},
	})
	require.NoError(t, err)
	sds, err := client.Portouts.SupportingDocuments.List(ctx, p.ID)
	require.NoError(t, err)
	require.Len(t, sds, 1)
	assert.Equal(t, fixedLOA, sds[0].DocumentID)
	assert.Equal(t, []string{fixedLOA + ">" + p.ID}, linkIDs(srv.DocumentLinks()))
	_, err = client.Documents.Delete(ctx, fixedLOA)
	require.ErrorIs(t, err, telnyx.ErrUnprocessable)
}

// LinkDocument records what POST /portouts/{id}/supporting_documents
// records for one document.
func TestLinkDocument(t *testing.T) {
	t.Parallel()
	srv := newServer(t, telnyxtest.WithClock(fixedClock(docClockStart, time.Minute)))
	client := srv.Client()
	ctx := t.Context()
	p := srv.AddPortout(telnyx.Portout{ID: "po-1"})
	srv.AddDocument(telnyx.Document{ID: fixedLOA, Filename: "loa.pdf"}, []byte(loaContent))
	before := len(srv.Requests())

	sd, err := srv.LinkDocument(fixedLOA, p.ID, telnyx.SupportingDocumentLOA)
	require.NoError(t, err)
	assert.Equal(t, fixedLOA, sd.DocumentID)
	assert.Equal(t, p.ID, sd.PortoutID)
	assert.Equal(t, telnyx.SupportingDocumentLOA, sd.Type)
	assert.Equal(t, "supporting_document", sd.RecordType)
	assert.NotEmpty(t, sd.ID)
	assert.False(t, sd.CreatedAt.IsZero())
	assert.Len(t, srv.Requests(), before, "LinkDocument sent a request")

	listed, err := client.Portouts.SupportingDocuments.List(ctx, p.ID)
	require.NoError(t, err)
	assert.Equal(t, []telnyx.PortoutSupportingDocument{sd}, listed)

	links := srv.DocumentLinks()
	require.Len(t, links, 1)
	assert.Equal(t, "portout", links[0].LinkedRecordType)
	assert.Equal(t, p.ID, links[0].LinkedResourceID)
	_, err = client.Documents.Delete(ctx, fixedLOA)
	require.ErrorIs(t, err, telnyx.ErrUnprocessable)

	// Linking again adds a supporting document but no second link, as the
	// route does.
	_, err = srv.LinkDocument(fixedLOA, p.ID, telnyx.SupportingDocumentInvoice)
	require.NoError(t, err)
	assert.Len(t, srv.DocumentLinks(), 1)

	for name, tc := range map[string]struct {
		doc, portout string
		typ          telnyx.SupportingDocumentType
		msg          string
	}{
		"unknown port-out": {fixedLOA, "po-2", "loa", `telnyxtest: LinkDocument: no port-out with ID "po-2"`},
		"unknown document": {"nope", p.ID, "loa", `telnyxtest: LinkDocument: no document with ID "nope"`},
		"bad type":         {fixedLOA, p.ID, "contract", `telnyxtest: LinkDocument: "contract" is neither loa nor invoice`},
	} {
		_, err := srv.LinkDocument(tc.doc, tc.portout, tc.typ)
		assert.EqualError(t, err, tc.msg, name)
	}
}
