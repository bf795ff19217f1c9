package telnyx

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pageOfLinks is the data of testdata/document_links_page.json.
func pageOfLinks() []DocumentLink {
	return []DocumentLink{
		{
			ID:               "9c0e0f1a-3b4d-4f6a-8e2b-1d2c3e4f5a6b",
			DocumentID:       "6a09cdc3-8948-47f0-aa62-74ac943d6c58",
			LinkedRecordType: "porting_order",
			LinkedResourceID: "132091b4-442b-4a2a-b87f-61e707e46d54",
			RecordType:       "document_link",
			CreatedAt:        time.Date(2018, 2, 2, 22, 25, 27, 521e6, time.UTC),
			UpdatedAt:        time.Date(2018, 2, 2, 22, 25, 28, 0, time.UTC),
		},
		{
			ID:               "0d1f2e3c-4b5a-4697-8877-665544332211",
			DocumentID:       "7b1adde4-9a59-48f1-bb73-85bd054e7d69",
			LinkedRecordType: "portout",
			LinkedResourceID: "0ccc7b54-4df3-4bca-a65a-3da1ecc777f0",
			RecordType:       "document_link",
			CreatedAt:        time.Date(2018, 2, 1, 9, 0, 0, 0, time.UTC),
			UpdatedAt:        time.Date(2018, 2, 1, 9, 0, 0, 500e6, time.UTC),
		},
	}
}

func TestDocumentLinkList(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		params *DocumentLinkListParams
		query  url.Values
	}{
		{name: "nil params", params: nil, query: nil},
		{name: "zero params", params: &DocumentLinkListParams{}, query: nil},
		{
			name: "both filters and the page",
			params: &DocumentLinkListParams{
				Page: PageParams{Number: 2, Size: 100},
				Filter: DocumentLinkListFilter{
					LinkedRecordType: "porting_order",
					LinkedResourceID: "6a09cdc3-8948-47f0-aa62-74ac943d6c58",
				},
			},
			query: url.Values{
				"page[number]":               {"2"},
				"page[size]":                 {"100"},
				"filter[linked_record_type]": {"porting_order"},
				"filter[linked_resource_id]": {"6a09cdc3-8948-47f0-aa62-74ac943d6c58"},
			},
		},
		{
			name:   "record type only",
			params: &DocumentLinkListParams{Filter: DocumentLinkListFilter{LinkedRecordType: "portout"}},
			query:  url.Values{"filter[linked_record_type]": {"portout"}},
		},
		{
			name:   "resource only, escaped in the query",
			params: &DocumentLinkListParams{Filter: DocumentLinkListFilter{LinkedResourceID: "a&b=c d"}},
			query:  url.Values{"filter[linked_resource_id]": {"a&b=c d"}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, _, log := recordAll(t, http.StatusOK, fixture(t, "document_links_page.json"))

			page, err := c.DocumentLinks.List(t.Context(), tc.params)
			require.NoError(t, err)

			assertRequest(t, log.Last(t), wantRequest{method: "GET", path: "/v2/document_links", query: tc.query})
			assert.Equal(t, pageOfLinks(), page.Data)
			assert.Equal(t, PageMeta{PageNumber: 1, PageSize: 2, TotalPages: 1, TotalResults: 2}, page.Meta)
			assert.False(t, page.HasNextPage())
		})
	}
}

func TestDocumentLinkListAutoPaging(t *testing.T) {
	t.Parallel()
	c, mock := newTestClient(t)
	log := &requestLog{}
	links := pageOfLinks()
	page := func(n int, l DocumentLink) httpmock.Responder {
		b, err := json.Marshal(map[string]any{
			"data": []DocumentLink{l},
			"meta": PageMeta{PageNumber: n, PageSize: 1, TotalPages: 2, TotalResults: 2},
		})
		require.NoError(t, err)
		return jsonResponder(http.StatusOK, string(b))
	}
	mock.RegisterNoResponder(log.capture(sequence(page(1, links[0]), page(2, links[1]))))
	params := &DocumentLinkListParams{
		Page:   PageParams{Size: 1},
		Filter: DocumentLinkListFilter{LinkedRecordType: "portout"},
	}

	var got []DocumentLink
	for l, err := range c.DocumentLinks.ListAutoPaging(t.Context(), params) {
		require.NoError(t, err)
		got = append(got, *l)
	}
	assert.Equal(t, links, got)

	reqs := log.All()
	require.Len(t, reqs, 2)
	assertRequest(t, reqs[0], wantRequest{method: "GET", path: "/v2/document_links", query: url.Values{
		"page[size]": {"1"}, "filter[linked_record_type]": {"portout"},
	}})
	assertRequest(t, reqs[1], wantRequest{method: "GET", path: "/v2/document_links", query: url.Values{
		"page[size]": {"1"}, "page[number]": {"2"}, "filter[linked_record_type]": {"portout"},
	}})
}

func TestDocumentLinkListBadPage(t *testing.T) {
	t.Parallel()
	runBadInput(t, []badInputCase{
		{"List page size", "Page.Size", func(ctx context.Context, c *Client) error {
			_, err := c.DocumentLinks.List(ctx, &DocumentLinkListParams{Page: PageParams{Size: 251}})
			return err
		}},
		{"ListAutoPaging page number", "Page.Number", func(ctx context.Context, c *Client) error {
			for _, err := range c.DocumentLinks.ListAutoPaging(ctx, &DocumentLinkListParams{Page: PageParams{Number: -2}}) {
				return err
			}
			return nil
		}},
	})
}

func TestDocumentLinkJSONRoundTrip(t *testing.T) {
	t.Parallel()
	for _, l := range pageOfLinks() {
		b, err := json.Marshal(l)
		require.NoError(t, err)
		var back DocumentLink
		require.NoError(t, json.Unmarshal(b, &back))
		assert.Equal(t, l, back)
	}
	var l DocumentLink
	require.NoError(t, json.Unmarshal([]byte(`{"id":"x","created_at":"2021-03-19T10:07:15.527000Z","updated_at":null}`), &l))
	assert.Equal(t, time.Date(2021, 3, 19, 10, 7, 15, 527e6, time.UTC), l.CreatedAt)
	assert.True(t, l.UpdatedAt.IsZero())
	assert.Error(t, json.Unmarshal([]byte(`{"created_at":"yesterday"}`), &l))
}
