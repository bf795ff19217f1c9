package telnyx

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func wantSupportingDocuments() []PortoutSupportingDocument {
	return []PortoutSupportingDocument{
		{
			ID:         "5a16902a-2ee9-4882-a247-420fc6627b62",
			DocumentID: "f1c5e079-9d82-4f50-95bc-ae2f6b8d84d7",
			PortoutID:  "0ccc7b54-4df3-4bca-a65a-3da1ecc777f0",
			RecordType: "supporting_document",
			Type:       SupportingDocumentLOA,
			CreatedAt:  time.Date(2018, 2, 2, 22, 25, 27, 521e6, time.UTC),
			UpdatedAt:  time.Date(2018, 2, 2, 22, 25, 28, 0, time.UTC),
		},
		{
			ID:         "5a16902a-2ee9-4882-a247-420fc6627b63",
			DocumentID: "f1c5e079-9d82-4f50-95bc-ae2f6b8d84d8",
			PortoutID:  "0ccc7b54-4df3-4bca-a65a-3da1ecc777f0",
			RecordType: "supporting_document",
			Type:       SupportingDocumentInvoice,
			CreatedAt:  time.Date(2018, 2, 3, 8, 0, 0, 0, time.UTC),
			UpdatedAt:  time.Date(2018, 2, 3, 8, 0, 0, 1e6, time.UTC),
		},
	}
}

func TestPortoutSupportingDocumentList(t *testing.T) {
	t.Parallel()
	// The spec documents 201 for this GET; any 2xx decodes.
	c, _, log := recordAll(t, http.StatusCreated, fixture(t, "supporting_documents.json"))

	docs, err := c.Portouts.SupportingDocuments.List(t.Context(), awkwardID)
	require.NoError(t, err)

	assertRequest(t, log.Last(t), wantRequest{method: "GET", path: "/v2/portouts/" + awkwardIDEscaped + "/supporting_documents"})
	assert.Equal(t, wantSupportingDocuments(), docs)
}

func TestPortoutSupportingDocumentCreate(t *testing.T) {
	t.Parallel()
	c, mock := newTestClient(t)
	log := &requestLog{}
	mock.RegisterNoResponder(log.capture(jsonResponder(http.StatusCreated, fixture(t, "supporting_documents.json"))))
	params := PortoutSupportingDocumentCreateParams{Documents: []SupportingDocumentParam{
		{DocumentID: "f1c5e079-9d82-4f50-95bc-ae2f6b8d84d7", Type: SupportingDocumentLOA},
		{DocumentID: "f1c5e079-9d82-4f50-95bc-ae2f6b8d84d8", Type: SupportingDocumentInvoice},
	}}

	docs, err := c.Portouts.SupportingDocuments.Create(t.Context(), awkwardID, params)
	require.NoError(t, err)

	assertRequest(t, log.Last(t), wantRequest{
		method: "POST",
		path:   "/v2/portouts/" + awkwardIDEscaped + "/supporting_documents",
		body: `{"documents":[
			{"document_id":"f1c5e079-9d82-4f50-95bc-ae2f6b8d84d7","type":"loa"},
			{"document_id":"f1c5e079-9d82-4f50-95bc-ae2f6b8d84d8","type":"invoice"}]}`,
	})
	assert.Equal(t, wantSupportingDocuments(), docs)
}

func TestPortoutSupportingDocumentCreateTenDocuments(t *testing.T) {
	t.Parallel()
	c, _, log := recordAll(t, http.StatusCreated, `{"data":[]}`)

	_, err := c.Portouts.SupportingDocuments.Create(t.Context(), "p1", PortoutSupportingDocumentCreateParams{Documents: nDocs(10)})

	require.NoError(t, err)
	assert.Equal(t, 1, log.Len(), "10 is the most the API accepts, and is sent")
}

func nDocs(n int) []SupportingDocumentParam {
	docs := make([]SupportingDocumentParam, n)
	for i := range docs {
		docs[i] = SupportingDocumentParam{DocumentID: fmt.Sprintf("doc-%d", i), Type: SupportingDocumentLOA}
	}
	return docs
}

func TestPortoutSupportingDocumentBadInput(t *testing.T) {
	t.Parallel()
	one := PortoutSupportingDocumentCreateParams{Documents: nDocs(1)}
	create := func(id string, p PortoutSupportingDocumentCreateParams) func(ctx context.Context, c *Client) error {
		return func(ctx context.Context, c *Client) error {
			_, err := c.Portouts.SupportingDocuments.Create(ctx, id, p)
			return err
		}
	}
	withDoc := func(d SupportingDocumentParam) PortoutSupportingDocumentCreateParams {
		return PortoutSupportingDocumentCreateParams{Documents: append(nDocs(1), d)}
	}
	runBadInput(t, []badInputCase{
		{"List empty ID", "id", func(ctx context.Context, c *Client) error {
			_, err := c.Portouts.SupportingDocuments.List(ctx, "")
			return err
		}},
		{"List dot dot", "id", func(ctx context.Context, c *Client) error {
			_, err := c.Portouts.SupportingDocuments.List(ctx, "..")
			return err
		}},
		{"List dot", "id", func(ctx context.Context, c *Client) error {
			_, err := c.Portouts.SupportingDocuments.List(ctx, ".")
			return err
		}},
		{"Create empty ID", "id", create("", one)},
		{"Create dot dot", "id", create("..", one)},
		{"Create no documents", "Documents", create("p1", PortoutSupportingDocumentCreateParams{})},
		{"Create eleven documents", "Documents", create("p1", PortoutSupportingDocumentCreateParams{Documents: nDocs(11)})},
		{"Create empty document ID", "Documents[1].DocumentID", create("p1", withDoc(SupportingDocumentParam{Type: SupportingDocumentInvoice}))},
		{"Create blank document ID", "Documents[1].DocumentID", create("p1", withDoc(SupportingDocumentParam{DocumentID: " ", Type: SupportingDocumentLOA}))},
		{"Create no type", "Documents[1].Type", create("p1", withDoc(SupportingDocumentParam{DocumentID: "d"}))},
		{"Create unknown type", "Documents[1].Type", create("p1", withDoc(SupportingDocumentParam{DocumentID: "d", Type: "LOA"}))},
	})
}
