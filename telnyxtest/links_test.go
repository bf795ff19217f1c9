package telnyxtest_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	telnyx "github.com/a54710f5/telnyx-go"
	"github.com/a54710f5/telnyx-go/telnyxtest"
)

func linkIDs(links []telnyx.DocumentLink) []string {
	out := make([]string, len(links))
	for i, l := range links {
		out[i] = l.DocumentID + ">" + l.LinkedResourceID
	}
	return out
}

func TestDocumentLinksFromSupportingDocuments(t *testing.T) {
	t.Parallel()
	srv := newServer(t, telnyxtest.WithClock(fixedClock(docClockStart, time.Second)))
	client := srv.Client()
	ctx := t.Context()
	p1 := srv.AddPortout(telnyx.Portout{ID: "11111111-1111-4111-8111-111111111111"})
	p2 := srv.AddPortout(telnyx.Portout{ID: "22222222-2222-4222-8222-222222222222"})
	upload := func(name string) string {
		d, err := client.Documents.Upload(ctx, telnyx.DocumentUploadParams{Filename: name, File: strings.NewReader(name)})
		require.NoError(t, err)
		return d.ID
	}
	loa, invoice, unused := upload("loa.pdf"), upload("invoice.pdf"), upload("unused.pdf")

	_, err := client.Portouts.SupportingDocuments.Create(ctx, p1.ID, telnyx.PortoutSupportingDocumentCreateParams{
		Documents: []telnyx.SupportingDocumentParam{
			{DocumentID: loa, Type: telnyx.SupportingDocumentLOA},
			{DocumentID: invoice, Type: telnyx.SupportingDocumentInvoice},
		},
	})
	require.NoError(t, err)
	// The same LOA again for p1 (no new link) and for p2 (a new one).
	_, err = client.Portouts.SupportingDocuments.Create(ctx, p1.ID, telnyx.PortoutSupportingDocumentCreateParams{
		Documents: []telnyx.SupportingDocumentParam{{DocumentID: loa, Type: telnyx.SupportingDocumentLOA}},
	})
	require.NoError(t, err)
	_, err = client.Portouts.SupportingDocuments.Create(ctx, p2.ID, telnyx.PortoutSupportingDocumentCreateParams{
		Documents: []telnyx.SupportingDocumentParam{{DocumentID: loa, Type: telnyx.SupportingDocumentLOA}},
	})
	require.NoError(t, err)
	// A refused call links nothing.
	_, err = client.Portouts.SupportingDocuments.Create(ctx, p2.ID, telnyx.PortoutSupportingDocumentCreateParams{
		Documents: []telnyx.SupportingDocumentParam{{DocumentID: invoice, Type: "invoice"}, {DocumentID: "never-uploaded", Type: "loa"}},
	})
	require.ErrorIs(t, err, telnyx.ErrUnprocessable)

	page, err := client.DocumentLinks.List(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, []string{loa + ">" + p2.ID, invoice + ">" + p1.ID, loa + ">" + p1.ID}, linkIDs(page.Data), "newest first")
	assert.Equal(t, telnyx.PageMeta{PageNumber: 1, PageSize: 20, TotalPages: 1, TotalResults: 3}, page.Meta)
	for _, l := range page.Data {
		assert.NotEmpty(t, l.ID)
		assert.Equal(t, "portout", l.LinkedRecordType, "the port-out's record_type, as porting_order in the API's example")
		assert.Equal(t, "document_link", l.RecordType)
		assert.False(t, l.CreatedAt.IsZero())
		assert.Equal(t, l.CreatedAt, l.UpdatedAt)
	}
	assert.Equal(t, page.Data, srv.DocumentLinks())

	tests := []struct {
		name   string
		filter telnyx.DocumentLinkListFilter
		want   []string
	}{
		{"by port-out", telnyx.DocumentLinkListFilter{LinkedResourceID: p1.ID}, []string{invoice + ">" + p1.ID, loa + ">" + p1.ID}},
		{"by record type", telnyx.DocumentLinkListFilter{LinkedRecordType: "portout"}, []string{loa + ">" + p2.ID, invoice + ">" + p1.ID, loa + ">" + p1.ID}},
		{"both", telnyx.DocumentLinkListFilter{LinkedRecordType: "portout", LinkedResourceID: p2.ID}, []string{loa + ">" + p2.ID}},
		{"another record type", telnyx.DocumentLinkListFilter{LinkedRecordType: "porting_order"}, []string{}},
		{"a record with no documents", telnyx.DocumentLinkListFilter{LinkedResourceID: unused}, []string{}},
	}
	for _, tc := range tests {
		page, err := client.DocumentLinks.List(ctx, &telnyx.DocumentLinkListParams{Filter: tc.filter})
		require.NoError(t, err, tc.name)
		assert.Equal(t, tc.want, linkIDs(page.Data), tc.name)
	}

	var all []string
	for l, err := range client.DocumentLinks.ListAutoPaging(ctx, &telnyx.DocumentLinkListParams{Page: telnyx.PageParams{Size: 2}}) {
		require.NoError(t, err)
		all = append(all, l.DocumentID+">"+l.LinkedResourceID)
	}
	assert.Equal(t, linkIDs(page.Data), all)

	// Linked documents cannot be deleted; the unused one can.
	for _, id := range []string{loa, invoice} {
		_, err := client.Documents.Delete(ctx, id)
		assert.ErrorIs(t, err, telnyx.ErrUnprocessable)
	}
	_, err = client.Documents.Delete(ctx, unused)
	assert.NoError(t, err)
}

func TestDocumentLinksRefusals(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	for query, param := range map[string]string{
		"filter[document_id]=x":  "filter[document_id]",
		"page[size]=0":           "page[size]",
		"page[size]=251":         "page[size]",
		"page[number]=nope":      "page[number]",
		"filter[linked_type]=po": "filter[linked_type]",
	} {
		status, _, body := raw(t, srv, http.MethodGet, "/document_links?"+query, "Bearer k", "", nil)
		require.Equal(t, http.StatusUnprocessableEntity, status, "%s: %s", query, body)
		assert.Equal(t, param, errorBody(t, body).Source.Parameter, query)
	}
	status, _, _ := raw(t, srv, http.MethodGet, "/document_links", "", "", nil)
	assert.Equal(t, http.StatusUnauthorized, status)
	status, _, body := raw(t, srv, http.MethodGet, "/document_links", "Bearer k", "", nil)
	require.Equal(t, http.StatusOK, status)
	assert.JSONEq(t, `{"data":[],"meta":{"page_number":1,"page_size":20,"total_pages":0,"total_results":0}}`, string(body))
}
