package telnyx

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// specDocument is the document of testdata/document.json.
func specDocument() Document {
	return Document{
		ID:                "6a09cdc3-8948-47f0-aa62-74ac943d6c58",
		Filename:          "loa.pdf",
		ContentType:       "application/pdf",
		CustomerReference: "MY REF 001",
		SHA256:            "08a96c641c3a74e44eb59afb61a24f2cb9f4d7188748e76ba4bb5edfa3cb7d1c",
		Status:            DocumentStatusPending,
		AVScanStatus:      DocumentAVPendingScan,
		RecordType:        "document",
		Size:              123456,
		SizeUnit:          "bytes",
		CreatedAt:         time.Date(2018, 2, 2, 22, 25, 27, 521e6, time.UTC),
		UpdatedAt:         time.Date(2018, 2, 2, 22, 25, 28, 0, time.UTC),
	}
}

// pageOfDocuments is the data of testdata/documents_page.json.
func pageOfDocuments() []Document {
	return []Document{
		{
			ID:                "6a09cdc3-8948-47f0-aa62-74ac943d6c58",
			Filename:          "test-document.pdf",
			ContentType:       "application/pdf",
			CustomerReference: "MY REF 001",
			SHA256:            "08a96c641c3a74e44eb59afb61a24f2cb9f4d7188748e76ba4bb5edfa3cb7d1c",
			Status:            DocumentStatusVerified,
			AVScanStatus:      DocumentAVScanned,
			RecordType:        "document",
			Size:              123456,
			SizeUnit:          "bytes",
			CreatedAt:         time.Date(2018, 2, 2, 22, 25, 27, 521e6, time.UTC),
			UpdatedAt:         time.Date(2018, 2, 2, 22, 25, 27, 521e6, time.UTC),
		},
		{
			ID:                "7b1adde4-9a59-48f1-bb73-85bd054e7d69",
			Filename:          "invoice-2018.pdf",
			ContentType:       "application/pdf",
			CustomerReference: "MY REF 002",
			SHA256:            "c0ffee41c3a74e44eb59afb61a24f2cb9f4d7188748e76ba4bb5edfa3cb7d1c",
			Status:            DocumentStatusDenied,
			AVScanStatus:      DocumentAVInfected,
			RecordType:        "document",
			Size:              2048,
			SizeUnit:          "bytes",
			CreatedAt:         time.Date(2018, 2, 1, 9, 0, 0, 0, time.UTC),
			UpdatedAt:         time.Date(2018, 2, 1, 9, 30, 0, 250e6, time.UTC),
		},
	}
}

func TestDocumentGet(t *testing.T) {
	t.Parallel()
	c, _, log := recordAll(t, http.StatusOK, fixture(t, "document.json"))

	d, err := c.Documents.Get(t.Context(), awkwardID)
	require.NoError(t, err)

	assertRequest(t, log.Last(t), wantRequest{method: "GET", path: "/v2/documents/" + awkwardIDEscaped})
	assert.Equal(t, specDocument(), *d)
}

func TestDocumentStatusesKeptAsSent(t *testing.T) {
	t.Parallel()
	c, _, _ := recordAll(t, http.StatusOK, `{"data":{"id":"d1","status":"under_review","av_scan_status":"quarantined"}}`)

	d, err := c.Documents.Get(t.Context(), "d1")
	require.NoError(t, err)
	assert.Equal(t, DocumentStatus("under_review"), d.Status)
	assert.Equal(t, DocumentAVScanStatus("quarantined"), d.AVScanStatus)
}

func TestDocumentList(t *testing.T) {
	t.Parallel()
	gt := time.Date(2021, 4, 9, 22, 25, 27, 521e6, time.UTC)
	lt := time.Date(2021, 5, 1, 0, 0, 0, 0, time.FixedZone("", -4*3600))
	tests := []struct {
		name   string
		params *DocumentListParams
		query  url.Values
	}{
		{name: "nil params", params: nil, query: nil},
		{name: "zero params", params: &DocumentListParams{}, query: nil},
		{
			name: "every filter, page and sort",
			params: &DocumentListParams{
				Page: PageParams{Number: 3, Size: 50},
				Filter: DocumentListFilter{
					FilenameContains:    "invoice",
					CustomerReference:   "MY REF 001",
					CustomerReferenceIn: []string{"MY REF 001", "MY REF 002"},
					CreatedAtGt:         gt,
					CreatedAtLt:         lt,
				},
				Sort: []DocumentSort{DocumentSortFilename, DocumentSortCreatedAtDesc},
			},
			query: url.Values{
				"page[number]":                   {"3"},
				"page[size]":                     {"50"},
				"filter[filename][contains]":     {"invoice"},
				"filter[customer_reference][eq]": {"MY REF 001"},
				"filter[customer_reference][in]": {"MY REF 001,MY REF 002"},
				"filter[created_at][gt]":         {"2021-04-09T22:25:27.521Z"},
				"filter[created_at][lt]":         {"2021-05-01T00:00:00-04:00"},
				"sort":                           {"filename", "-created_at"},
			},
		},
		{
			name:   "one end of the creation range",
			params: &DocumentListParams{Filter: DocumentListFilter{CreatedAtLt: gt}},
			query:  url.Values{"filter[created_at][lt]": {"2021-04-09T22:25:27.521Z"}},
		},
		{
			name:   "one customer reference in the list",
			params: &DocumentListParams{Filter: DocumentListFilter{CustomerReferenceIn: []string{"REF001"}}},
			query:  url.Values{"filter[customer_reference][in]": {"REF001"}},
		},
		{
			name: "every sort key, in the order given",
			params: &DocumentListParams{Sort: []DocumentSort{
				DocumentSortUpdatedAtDesc, DocumentSortFilenameDesc, DocumentSortCreatedAt,
			}},
			query: url.Values{"sort": {"-updated_at", "-filename", "created_at"}},
		},
	}
	for _, s := range []DocumentSort{
		DocumentSortFilename, DocumentSortFilenameDesc, DocumentSortCreatedAt,
		DocumentSortCreatedAtDesc, DocumentSortUpdatedAt, DocumentSortUpdatedAtDesc,
	} {
		tests = append(tests, struct {
			name   string
			params *DocumentListParams
			query  url.Values
		}{"sort " + string(s), &DocumentListParams{Sort: []DocumentSort{s}}, url.Values{"sort": {string(s)}}})
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, _, log := recordAll(t, http.StatusOK, fixture(t, "documents_page.json"))

			page, err := c.Documents.List(t.Context(), tc.params)
			require.NoError(t, err)

			assertRequest(t, log.Last(t), wantRequest{method: "GET", path: "/v2/documents", query: tc.query})
			assert.Equal(t, pageOfDocuments(), page.Data)
			assert.Equal(t, PageMeta{PageNumber: 1, PageSize: 2, TotalPages: 1, TotalResults: 2}, page.Meta)
		})
	}
}

func TestDocumentListDoesNotChangeParams(t *testing.T) {
	t.Parallel()
	c, _, _ := recordAll(t, http.StatusOK, fixture(t, "documents_page.json"))
	params := &DocumentListParams{
		Filter: DocumentListFilter{CustomerReferenceIn: []string{"a", "b"}},
		Sort:   []DocumentSort{DocumentSortFilename},
	}
	_, err := c.Documents.List(t.Context(), params)
	require.NoError(t, err)
	assert.Equal(t, &DocumentListParams{
		Filter: DocumentListFilter{CustomerReferenceIn: []string{"a", "b"}},
		Sort:   []DocumentSort{DocumentSortFilename},
	}, params)
}

func TestDocumentListAutoPaging(t *testing.T) {
	t.Parallel()
	c, mock := newTestClient(t)
	log := &requestLog{}
	docs := pageOfDocuments()
	page := func(n int, d Document) httpmock.Responder {
		b, err := json.Marshal(map[string]any{
			"data": []Document{d},
			"meta": PageMeta{PageNumber: n, PageSize: 1, TotalPages: 2, TotalResults: 2},
		})
		require.NoError(t, err)
		return jsonResponder(http.StatusOK, string(b))
	}
	mock.RegisterNoResponder(log.capture(sequence(page(1, docs[0]), page(2, docs[1]))))
	params := &DocumentListParams{
		Page:   PageParams{Size: 1},
		Filter: DocumentListFilter{FilenameContains: "pdf"},
		Sort:   []DocumentSort{DocumentSortUpdatedAt, DocumentSortFilenameDesc},
	}

	var got []Document
	for d, err := range c.Documents.ListAutoPaging(t.Context(), params) {
		require.NoError(t, err)
		got = append(got, *d)
	}
	assert.Equal(t, docs, got)

	reqs := log.All()
	require.Len(t, reqs, 2)
	for i, req := range reqs {
		want := url.Values{
			"page[size]":                 {"1"},
			"filter[filename][contains]": {"pdf"},
			"sort":                       {"updated_at", "-filename"},
		}
		if i == 1 {
			want.Set("page[number]", "2")
		}
		assertRequest(t, req, wantRequest{method: "GET", path: "/v2/documents", query: want})
	}
}

func TestDocumentListAutoPagingOnePage(t *testing.T) {
	t.Parallel()
	c, _, log := recordAll(t, http.StatusOK, fixture(t, "documents_page.json"))
	n := 0
	for d, err := range c.Documents.ListAutoPaging(t.Context(), nil) {
		require.NoError(t, err)
		assert.NotEmpty(t, d.ID)
		n++
	}
	assert.Equal(t, 2, n)
	assert.Equal(t, 1, log.Len(), "meta says there is one page")
}

func TestDocumentUpdate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		params DocumentUpdateParams
		body   string
	}{
		{"both", DocumentUpdateParams{Filename: "loa-signed.pdf", CustomerReference: "MY REF 002"}, `{"filename":"loa-signed.pdf","customer_reference":"MY REF 002"}`},
		{"file name only", DocumentUpdateParams{Filename: "loa-signed.pdf"}, `{"filename":"loa-signed.pdf"}`},
		{"customer reference only", DocumentUpdateParams{CustomerReference: "MY REF 002"}, `{"customer_reference":"MY REF 002"}`},
		{"neither: an empty object", DocumentUpdateParams{}, `{}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, _, log := recordAll(t, http.StatusOK, fixture(t, "document.json"))

			d, err := c.Documents.Update(t.Context(), awkwardID, tc.params)
			require.NoError(t, err)

			assertRequest(t, log.Last(t), wantRequest{method: "PATCH", path: "/v2/documents/" + awkwardIDEscaped, body: tc.body})
			assert.Equal(t, specDocument(), *d)
		})
	}
}

func TestDocumentDelete(t *testing.T) {
	t.Parallel()
	c, _, log := recordAll(t, http.StatusOK, fixture(t, "document.json"))

	d, err := c.Documents.Delete(t.Context(), awkwardID)
	require.NoError(t, err)

	assertRequest(t, log.Last(t), wantRequest{method: "DELETE", path: "/v2/documents/" + awkwardIDEscaped})
	assert.Equal(t, specDocument(), *d)
}

func TestDocumentDeleteRefused(t *testing.T) {
	t.Parallel()
	c, mock, _ := recordAll(t, http.StatusUnprocessableEntity,
		errorBody("10015", "Document is linked", "Unlink the document before deleting it."))

	d, err := c.Documents.Delete(t.Context(), "6a09cdc3-8948-47f0-aa62-74ac943d6c58")
	assert.Nil(t, d)
	require.ErrorIs(t, err, ErrUnprocessable)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "DELETE", apiErr.Method)
	assert.Equal(t, "/documents/{id}", apiErr.Path)
	assert.Equal(t, "Unlink the document before deleting it.", apiErr.Errors[0].Detail)
	assert.Equal(t, 1, mock.GetTotalCallCount(), "a 422 is final")
}

func TestDocumentDownloadLink(t *testing.T) {
	t.Parallel()
	c, _, log := recordAll(t, http.StatusOK, fixture(t, "download_link.json"))

	u, err := c.Documents.DownloadLink(t.Context(), awkwardID)
	require.NoError(t, err)

	assertRequest(t, log.Last(t), wantRequest{method: "GET", path: "/v2/documents/" + awkwardIDEscaped + "/download_link"})
	assert.Equal(t, "https", u.Scheme)
	assert.Equal(t, "s3.amazonaws.com", u.Host)
	assert.Equal(t, "/bucket/path/to/document", u.Path)
	assert.Equal(t, "AKIA/20180202", u.Query().Get("X-Amz-Credential"))
	assert.Equal(t, "abc123", u.Query().Get("X-Amz-Signature"))
}

func TestDocumentDownloadLinkBadURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		body string
	}{
		{"no data", `{}`},
		{"no url", `{"data":{}}`},
		{"empty url", `{"data":{"url":""}}`},
		{"relative", `{"data":{"url":"/bucket/doc?X-Amz-Signature=s3cr3t"}}`},
		{"no scheme", `{"data":{"url":"s3.amazonaws.com/bucket/doc?X-Amz-Signature=s3cr3t"}}`},
		{"ftp", `{"data":{"url":"ftp://files.example.com/doc?X-Amz-Signature=s3cr3t"}}`},
		{"no host", `{"data":{"url":"https:///doc?X-Amz-Signature=s3cr3t"}}`},
		{"opaque", `{"data":{"url":"https:doc?X-Amz-Signature=s3cr3t"}}`},
		{"unparsable", `{"data":{"url":"https://exa mple.com/%zz?X-Amz-Signature=s3cr3t"}}`},
		{"wrong type", `{"data":{"url":42}}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, _, _ := recordAll(t, http.StatusOK, tc.body)

			u, err := c.Documents.DownloadLink(t.Context(), "6a09cdc3-8948-47f0-aa62-74ac943d6c58")
			assert.Nil(t, u)
			var de *DecodeError
			require.ErrorAs(t, err, &de)
			assert.Equal(t, "/documents/{id}/download_link", de.Path)
			assert.NotContains(t, err.Error(), "s3cr3t", "the signature is not quoted")
		})
	}
}

func TestDocumentUploadFromURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		params DocumentUploadURLParams
		body   string
	}{
		{
			name:   "every field",
			params: DocumentUploadURLParams{URL: "https://www.w3.org/WAI/ER/tests/xhtml/testfiles/resources/pdf/dummy.pdf", Filename: "test-document.pdf", CustomerReference: "MY REF 001"},
			body:   `{"url":"https://www.w3.org/WAI/ER/tests/xhtml/testfiles/resources/pdf/dummy.pdf","filename":"test-document.pdf","customer_reference":"MY REF 001"}`,
		},
		{
			name:   "URL only, http, sent as given",
			params: DocumentUploadURLParams{URL: "HTTP://files.example.com/a%20b.pdf?v=1"},
			body:   `{"url":"HTTP://files.example.com/a%20b.pdf?v=1"}`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, _, log := recordAll(t, http.StatusOK, fixture(t, "document.json"))

			d, err := c.Documents.UploadFromURL(t.Context(), tc.params)
			require.NoError(t, err)

			assertRequest(t, log.Last(t), wantRequest{method: "POST", path: "/v2/documents", body: tc.body})
			assert.Equal(t, specDocument(), *d)
		})
	}
}

func TestDocumentUploadFromURLNotRetried(t *testing.T) {
	t.Parallel()
	c, mock, _ := recordAll(t, http.StatusServiceUnavailable, errorBody("10007", "Unexpected error", "try later"))

	_, err := c.Documents.UploadFromURL(t.Context(), DocumentUploadURLParams{URL: "https://example.com/a.pdf"})
	require.ErrorIs(t, err, ErrServer)
	assert.Equal(t, 1, mock.GetTotalCallCount(), "a POST that reached the server is not sent again")
}

func TestDocumentGetRetried(t *testing.T) {
	t.Parallel()
	c, mock := newTestClient(t)
	mock.RegisterNoResponder(sequence(
		jsonResponder(http.StatusServiceUnavailable, errorBody("10007", "Unexpected error", "")),
		jsonResponder(http.StatusOK, fixture(t, "document.json")),
	))
	d, err := c.Documents.Get(t.Context(), "6a09cdc3-8948-47f0-aa62-74ac943d6c58")
	require.NoError(t, err)
	assert.Equal(t, specDocument(), *d)
	assert.Equal(t, 2, mock.GetTotalCallCount())
}

func TestDocumentManageBadInput(t *testing.T) {
	t.Parallel()
	list := func(p *DocumentListParams) func(ctx context.Context, c *Client) error {
		return func(ctx context.Context, c *Client) error {
			_, err := c.Documents.List(ctx, p)
			return err
		}
	}
	listAll := func(p *DocumentListParams) func(ctx context.Context, c *Client) error {
		return func(ctx context.Context, c *Client) error {
			for _, err := range c.Documents.ListAutoPaging(ctx, p) {
				return err
			}
			return errors.New("ListAutoPaging yielded nothing")
		}
	}
	upload := func(raw string) func(ctx context.Context, c *Client) error {
		return func(ctx context.Context, c *Client) error {
			_, err := c.Documents.UploadFromURL(ctx, DocumentUploadURLParams{URL: raw, Filename: "a.pdf"})
			return err
		}
	}
	day := time.Date(2024, 9, 4, 0, 0, 0, 0, time.UTC)
	badParams := []struct {
		name   string
		field  string
		params *DocumentListParams
	}{
		{"unknown sort key", "Sort[1]", &DocumentListParams{Sort: []DocumentSort{DocumentSortFilename, "size"}}},
		{"sort key with a stray space", "Sort[0]", &DocumentListParams{Sort: []DocumentSort{" filename"}}},
		{"empty sort key", "Sort[0]", &DocumentListParams{Sort: []DocumentSort{""}}},
		{"a field sorted on twice", "Sort[2]", &DocumentListParams{Sort: []DocumentSort{DocumentSortFilename, DocumentSortCreatedAt, DocumentSortFilenameDesc}}},
		{"the same key twice", "Sort[1]", &DocumentListParams{Sort: []DocumentSort{DocumentSortUpdatedAt, DocumentSortUpdatedAt}}},
		{"comma in a customer reference", "Filter.CustomerReferenceIn[1]", &DocumentListParams{Filter: DocumentListFilter{CustomerReferenceIn: []string{"a", "b,c"}}}},
		{"empty customer reference", "Filter.CustomerReferenceIn[0]", &DocumentListParams{Filter: DocumentListFilter{CustomerReferenceIn: []string{""}}}},
		{"created range backwards", "Filter.CreatedAtGt", &DocumentListParams{Filter: DocumentListFilter{CreatedAtGt: day, CreatedAtLt: day}}},
		{"page size over 250", "Page.Size", &DocumentListParams{Page: PageParams{Size: 251}}},
		{"negative page", "Page.Number", &DocumentListParams{Page: PageParams{Number: -1}}},
	}
	var cases []badInputCase
	for _, bp := range badParams {
		cases = append(cases,
			badInputCase{"List: " + bp.name, bp.field, list(bp.params)},
			badInputCase{"ListAutoPaging: " + bp.name, bp.field, listAll(bp.params)},
		)
	}
	for _, raw := range []string{"", "   ", "/relative/a.pdf", "example.com/a.pdf", "ftp://example.com/a.pdf", "file:///etc/passwd", "https://", "https:a.pdf", "https://exa mple.com/a.pdf", "mailto:someone@example.com"} {
		cases = append(cases, badInputCase{"UploadFromURL " + raw, "URL", upload(raw)})
	}
	for _, id := range []string{"", " ", ".", ".."} {
		cases = append(cases,
			badInputCase{"Get " + id, "id", func(ctx context.Context, c *Client) error { _, err := c.Documents.Get(ctx, id); return err }},
			badInputCase{"Update " + id, "id", func(ctx context.Context, c *Client) error {
				_, err := c.Documents.Update(ctx, id, DocumentUpdateParams{Filename: "a.pdf"})
				return err
			}},
			badInputCase{"Delete " + id, "id", func(ctx context.Context, c *Client) error { _, err := c.Documents.Delete(ctx, id); return err }},
			badInputCase{"DownloadLink " + id, "id", func(ctx context.Context, c *Client) error { _, err := c.Documents.DownloadLink(ctx, id); return err }},
		)
	}
	runBadInput(t, cases)
}

func TestDocumentUploadFromURLRedactsPassword(t *testing.T) {
	t.Parallel()
	c, mock := newTestClient(t)
	withPassword := &url.URL{Scheme: "ftp", User: url.UserPassword("user", "hunter2"), Host: "example.com", Path: "/a.pdf"}
	_, err := c.Documents.UploadFromURL(t.Context(), DocumentUploadURLParams{URL: withPassword.String()})
	var ipe *InvalidParamsError
	require.ErrorAs(t, err, &ipe)
	assert.NotContains(t, err.Error(), "hunter2")
	assert.Zero(t, mock.GetTotalCallCount())
}

func TestDocumentSortValid(t *testing.T) {
	t.Parallel()
	for _, s := range []DocumentSort{"filename", "-filename", "created_at", "-created_at", "updated_at", "-updated_at"} {
		assert.True(t, s.Valid(), s)
	}
	for _, s := range []DocumentSort{"", "-", "size", "+filename", "Filename", "--filename", "filename "} {
		assert.False(t, s.Valid(), s)
	}
}

func TestDocumentMethodsOnZeroClient(t *testing.T) {
	t.Parallel()
	var c Client
	ctx := t.Context()
	calls := map[string]func() error{
		"Get":          func() error { _, err := c.Documents.Get(ctx, "d"); return err },
		"List":         func() error { _, err := c.Documents.List(ctx, nil); return err },
		"Update":       func() error { _, err := c.Documents.Update(ctx, "d", DocumentUpdateParams{}); return err },
		"Delete":       func() error { _, err := c.Documents.Delete(ctx, "d"); return err },
		"DownloadLink": func() error { _, err := c.Documents.DownloadLink(ctx, "d"); return err },
		"UploadFromURL": func() error {
			_, err := c.Documents.UploadFromURL(ctx, DocumentUploadURLParams{URL: "https://example.com/a.pdf"})
			return err
		},
		"ListAutoPaging": func() error {
			for _, err := range c.Documents.ListAutoPaging(ctx, nil) {
				return err
			}
			return nil
		},
		"DocumentLinks.List": func() error { _, err := c.DocumentLinks.List(ctx, nil); return err },
		"DocumentLinks.ListAutoPaging": func() error {
			for _, err := range c.DocumentLinks.ListAutoPaging(ctx, nil) {
				return err
			}
			return nil
		},
	}
	for name, call := range calls {
		err := call()
		var ipe *InvalidParamsError
		require.ErrorAs(t, err, &ipe, name)
		assert.Equal(t, "Client", ipe.Field, name)
		assert.True(t, strings.HasPrefix(err.Error(), "telnyx: "), name)
	}
}
