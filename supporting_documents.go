package telnyx

import (
	"context"
	"encoding/json"
	"fmt"
	"github.com/a54710f5/telnyx-go/internal/wire"
	"net/http"
	"strings"
	"time"
)

// PortoutSupportingDocumentService links documents, such as a letter of
// authorization, to port-out requests.
type PortoutSupportingDocumentService service

// SupportingDocumentType is the kind of a supporting document.
type SupportingDocumentType string

// The supporting document types.
const (
	SupportingDocumentLOA     SupportingDocumentType = "loa"     // letter of authorization
	SupportingDocumentInvoice SupportingDocumentType = "invoice" // a recent invoice
)

// Valid reports whether t is a type the API accepts.
func (t SupportingDocumentType) Valid() bool {
	return t == SupportingDocumentLOA || t == SupportingDocumentInvoice
}

// check is Valid as an error naming field.
func (t SupportingDocumentType) check(field string) error {
	if t.Valid() {
		return nil
	}
	return invalid(field, fmt.Sprintf("%q is neither %q nor %q", t, SupportingDocumentLOA, SupportingDocumentInvoice))
}

// PortoutSupportingDocument links an uploaded document to a port-out.
type PortoutSupportingDocument struct {
	ID         string                 `json:"id"`
	DocumentID string                 `json:"document_id"`
	PortoutID  string                 `json:"portout_id"`
	RecordType string                 `json:"record_type"`
	Type       SupportingDocumentType `json:"type"`
	CreatedAt  time.Time              `json:"created_at"`
	UpdatedAt  time.Time              `json:"updated_at"`

	// Extra holds the members this SDK does not name, verbatim (see
	// Portout.Extra); nil when there are none.
	Extra map[string]json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes the API's form: timestamps in any layout the API
// uses, unknown members into Extra.
func (d *PortoutSupportingDocument) UnmarshalJSON(b []byte) error { return wire.Unmarshal(b, d) }

// MarshalJSON encodes the API's form, zero times as null, Extra included.
func (d PortoutSupportingDocument) MarshalJSON() ([]byte, error) { return wire.Marshal(&d) }

// PortoutSupportingDocumentCreateParams is the body of Create: 1 to 10
// documents.
type PortoutSupportingDocumentCreateParams struct {
	Documents []SupportingDocumentParam `json:"documents"`
}

// SupportingDocumentParam names an uploaded document and its type.
type SupportingDocumentParam struct {
	DocumentID string                 `json:"document_id"`
	Type       SupportingDocumentType `json:"type"`
}

const maxSupportingDocuments = 10

func (p *PortoutSupportingDocumentCreateParams) validate() error {
	if n := len(p.Documents); n < 1 || n > maxSupportingDocuments {
		return invalid("Documents", fmt.Sprintf("%d documents: 1 to %d are accepted", n, maxSupportingDocuments))
	}
	for i, d := range p.Documents {
		if strings.TrimSpace(d.DocumentID) == "" {
			return invalid(fmt.Sprintf("Documents[%d].DocumentID", i), "must not be empty")
		}
		if err := d.Type.check(fmt.Sprintf("Documents[%d].Type", i)); err != nil {
			return err
		}
	}
	return nil
}

// List returns the supporting documents of a port-out request.
func (s *PortoutSupportingDocumentService) List(ctx context.Context, portoutID string, opts ...Option) ([]PortoutSupportingDocument, error) {
	r := request{method: http.MethodGet, route: "portouts/{id}/supporting_documents", ids: []string{portoutID}}
	return fetchList[PortoutSupportingDocument](ctx, (*service)(s).client(), r, opts)
}

// Create links 1 to 10 uploaded documents (see DocumentService.Upload) to a
// port-out request in one call.
func (s *PortoutSupportingDocumentService) Create(ctx context.Context, portoutID string, params PortoutSupportingDocumentCreateParams, opts ...Option) ([]PortoutSupportingDocument, error) {
	if err := params.validate(); err != nil {
		return nil, err
	}
	r := request{method: http.MethodPost, route: "portouts/{id}/supporting_documents", ids: []string{portoutID}, body: params}
	return fetchList[PortoutSupportingDocument](ctx, (*service)(s).client(), r, opts)
}
