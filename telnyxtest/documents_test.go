package telnyxtest_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	telnyx "github.com/a54710f5/telnyx-go"
	"github.com/a54710f5/telnyx-go/telnyxtest"
)

func TestDocumentUploadDownload(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	client := srv.Client()
	ctx := context.Background()
	content := bytes.Repeat([]byte("%PDF-1.7 letter of authorization\n"), 4096) // 136 KiB, several reads
	sum := sha256.Sum256(content)

	doc, err := client.Documents.Upload(ctx, telnyx.DocumentUploadParams{
		Filename: "loa.pdf", File: bytes.NewReader(content), CustomerReference: "case-17",
	})
	require.NoError(t, err)
	assert.NotEmpty(t, doc.ID)
	assert.Equal(t, "loa.pdf", doc.Filename)
	assert.Equal(t, "application/pdf", doc.ContentType)
	assert.Equal(t, "case-17", doc.CustomerReference)
	assert.Equal(t, int64(len(content)), doc.Size)
	assert.Equal(t, hex.EncodeToString(sum[:]), doc.SHA256)
	assert.Equal(t, "document", doc.RecordType)

	var buf bytes.Buffer
	n, err := client.Documents.Download(ctx, doc.ID, &buf)
	require.NoError(t, err)
	assert.Equal(t, int64(len(content)), n)
	assert.Equal(t, content, buf.Bytes())

	_, stored, ok := srv.Document(doc.ID)
	require.True(t, ok)
	assert.Equal(t, content, stored)

	reqs := srv.Requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, "/documents", reqs[0].Path)
	assert.Contains(t, reqs[0].Header.Get("Content-Type"), "multipart/form-data")
	assert.True(t, bytes.Contains(reqs[0].Body, content[:64]), "the streamed upload is recorded")
	assert.Equal(t, "/documents/"+doc.ID+"/download", reqs[1].Path)
}

func TestDocumentUploadForms(t *testing.T) {
	t.Parallel()
	srv := newServer(t, telnyxtest.WithMaxUploadSize(16))
	tests := []struct {
		name        string
		contentType string
		body        string
		wantStatus  int
		wantPointer string
	}{
		{"JSON with base64", "application/json",
			`{"file":"` + base64.StdEncoding.EncodeToString([]byte("hello")) + `","filename":"a.txt"}`, 200, ""},
		{"JSON by URL", "application/json", `{"url":"https://example.com/a.pdf"}`, 200, ""},
		{"JSON by relative URL", "application/json", `{"url":"/a.pdf"}`, 422, "/url"},
		{"JSON with both URL and file", "application/json", `{"url":"https://example.com/a.pdf","file":"aGk="}`, 422, "/url"},
		{"JSON without file", "application/json", `{"filename":"a.txt"}`, 422, "/file"},
		{"JSON bad base64", "application/json", `{"file":"!!!"}`, 422, "/file"},
		{"JSON too large", "application/json", `{"file":"` + base64.StdEncoding.EncodeToString(make([]byte, 17)) + `"}`, 422, "/file"},
		{"multipart without file", "multipart/form-data; boundary=XX",
			"--XX\r\nContent-Disposition: form-data; name=\"customer_reference\"\r\n\r\nref\r\n--XX--\r\n", 422, "/file"},
		{"multipart too large", "multipart/form-data; boundary=XX",
			"--XX\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.bin\"\r\n\r\n" + strings.Repeat("x", 17) + "\r\n--XX--\r\n", 422, "/file"},
		{"multipart without boundary", "multipart/form-data", "--XX--\r\n", 400, ""},
		{"multipart malformed part", "multipart/form-data; boundary=XX", "--XX\r\nno colon here\r\n\r\nx\r\n--XX--\r\n", 400, ""},
		{"multipart with no parts", "multipart/form-data; boundary=XX", "garbage", 422, "/file"},
		{"plain text", "text/plain", "hello", 415, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			status, _, body := raw(t, srv, http.MethodPost, "/documents", "Bearer k", tt.contentType, []byte(tt.body))
			require.Equal(t, tt.wantStatus, status, string(body))
			if status != 200 {
				assert.Equal(t, tt.wantPointer, errorBody(t, body).Source.Pointer)
			}
		})
	}
}

func TestSupportingDocuments(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	p := srv.AddPortout(telnyx.Portout{})
	client := srv.Client()
	ctx := context.Background()

	loa, err := client.Documents.Upload(ctx, telnyx.DocumentUploadParams{Filename: "loa.pdf", File: strings.NewReader("loa")})
	require.NoError(t, err)
	invoice, err := client.Documents.Upload(ctx, telnyx.DocumentUploadParams{Filename: "invoice.pdf", File: strings.NewReader("inv")})
	require.NoError(t, err)

	created, err := client.Portouts.SupportingDocuments.Create(ctx, p.ID, telnyx.PortoutSupportingDocumentCreateParams{
		Documents: []telnyx.SupportingDocumentParam{
			{DocumentID: loa.ID, Type: telnyx.SupportingDocumentLOA},
			{DocumentID: invoice.ID, Type: telnyx.SupportingDocumentInvoice},
		},
	})
	require.NoError(t, err)
	require.Len(t, created, 2)
	assert.Equal(t, loa.ID, created[0].DocumentID)
	assert.Equal(t, telnyx.SupportingDocumentInvoice, created[1].Type)
	assert.Equal(t, p.ID, created[1].PortoutID)
	assert.Equal(t, "supporting_document", created[0].RecordType)

	listed, err := client.Portouts.SupportingDocuments.List(ctx, p.ID)
	require.NoError(t, err)
	assert.Equal(t, created, listed)

	attached, err := client.Portouts.SupportingDocuments.Attach(ctx, p.ID, []telnyx.SupportingFile{
		{Type: telnyx.SupportingDocumentLOA, Filename: "loa-signed.pdf", File: strings.NewReader("signed")},
	})
	require.NoError(t, err)
	require.Len(t, attached, 1)
	_, data, ok := srv.Document(attached[0].DocumentID)
	require.True(t, ok)
	assert.Equal(t, "signed", string(data))

	_, err = client.Portouts.SupportingDocuments.Create(ctx, p.ID, telnyx.PortoutSupportingDocumentCreateParams{
		Documents: []telnyx.SupportingDocumentParam{{DocumentID: loa.ID, Type: "loa"}, {DocumentID: "never-uploaded", Type: "loa"}},
	})
	e := apiError(t, err)
	assert.Equal(t, http.StatusUnprocessableEntity, e.StatusCode)
	assert.Equal(t, "10017", e.Errors[0].Code)
	assert.Equal(t, "/documents/1/document_id", e.Errors[0].Source.Pointer)
	listed, err = client.Portouts.SupportingDocuments.List(ctx, p.ID)
	require.NoError(t, err)
	assert.Len(t, listed, 3, "a refused call links nothing")

	_, err = client.Portouts.SupportingDocuments.List(ctx, "missing")
	assert.True(t, errors.Is(err, telnyx.ErrNotFound))

	eleven := make([]map[string]string, 11)
	for i := range eleven {
		eleven[i] = map[string]string{"document_id": loa.ID, "type": "loa"}
	}
	bodies := []struct {
		name        string
		body        any
		wantStatus  int
		wantPointer string
	}{
		{"no documents", map[string]any{}, 422, "/documents"},
		{"zero documents", map[string]any{"documents": []any{}}, 422, "/documents"},
		{"eleven documents", map[string]any{"documents": eleven}, 422, "/documents"},
		{"bad type", map[string]any{"documents": []map[string]string{{"document_id": loa.ID, "type": "passport"}}}, 422, "/documents/0/type"},
		{"no type", map[string]any{"documents": []map[string]string{{"document_id": loa.ID}}}, 422, "/documents/0/type"},
		{"no document_id", map[string]any{"documents": []map[string]string{{"type": "loa"}}}, 422, "/documents/0/document_id"},
		{"ten documents", map[string]any{"documents": eleven[:10]}, 201, ""},
	}
	for _, tt := range bodies {
		t.Run(tt.name, func(t *testing.T) {
			status, body := rawJSON(t, srv, http.MethodPost, "/portouts/"+p.ID+"/supporting_documents", tt.body)
			require.Equal(t, tt.wantStatus, status, string(body))
			if status != 201 {
				assert.Equal(t, tt.wantPointer, errorBody(t, body).Source.Pointer)
			}
		})
	}

	status, body := rawJSON(t, srv, http.MethodPost, "/portouts/missing/supporting_documents", map[string]any{})
	assert.Equal(t, http.StatusNotFound, status, "an unknown port-out is a 404 before the body is judged")
	assert.Equal(t, "10005", errorBody(t, body).Code)
	assert.Equal(t, fmt.Sprint(http.StatusNotFound), fmt.Sprint(status))
}
