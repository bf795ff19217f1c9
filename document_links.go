package telnyx

import (
	"context"
	"encoding/json"
	"github.com/a54710f5/telnyx-go/internal/wire"
	"iter"
	"time"
)

// DocumentLinkService lists the links between documents and the records
// they support, such as the port-outs a letter of authorization was attached
// to (see PortoutSupportingDocumentService.Create). A document with links
// cannot be deleted.
type DocumentLinkService service

// DocumentLink ties a document to a record that uses it.
type DocumentLink struct {
	ID         string `json:"id"`
	DocumentID string `json:"document_id"` // the linked document
	// LinkedRecordType is the record type of the linked record, such as
	// "porting_order" in the API's example (a record's record_type).
	LinkedRecordType string `json:"linked_record_type"`
	// LinkedResourceID is the ID of the linked record.
	LinkedResourceID string    `json:"linked_resource_id"`
	RecordType       string    `json:"record_type"` // "document_link"
	CreatedAt        time.Time `json:"created_at"`
	UpdatedAt        time.Time `json:"updated_at"`

	// Extra holds the members this SDK does not name, verbatim (see
	// Portout.Extra); nil when there are none.
	Extra map[string]json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes the API's form: timestamps in any layout the API
// uses, unknown members into Extra.
func (l *DocumentLink) UnmarshalJSON(b []byte) error { return wire.Unmarshal(b, l) }

// MarshalJSON encodes the API's form, zero times as null, Extra included.
func (l DocumentLink) MarshalJSON() ([]byte, error) { return wire.Marshal(&l) }

// DocumentLinkListParams filters and pages DocumentLinkService.List.
type DocumentLinkListParams struct {
	Page   PageParams             `url:"page"`
	Filter DocumentLinkListFilter `url:"filter"`
}

// DocumentLinkListFilter narrows a list of document links. Zero fields are
// left out.
type DocumentLinkListFilter struct {
	// LinkedRecordType keeps links to records of this type
	// (filter[linked_record_type]), such as "porting_order".
	LinkedRecordType string `url:"linked_record_type,omitempty"`
	// LinkedResourceID keeps links to this record
	// (filter[linked_resource_id]), a UUID.
	LinkedResourceID string `url:"linked_resource_id,omitempty"`
}

const documentLinksRoute = "document_links"

// List fetches one page of document links, newest first. params may be nil.
func (s *DocumentLinkService) List(ctx context.Context, params *DocumentLinkListParams, opts ...Option) (*Page[DocumentLink], error) {
	return list[DocumentLink](ctx, (*service)(s).client(), documentLinksRoute, params, opts)
}

// ListAutoPaging yields every document link matching params, page after
// page, fetching lazily. On an error it yields (nil, err) once and stops.
func (s *DocumentLinkService) ListAutoPaging(ctx context.Context, params *DocumentLinkListParams, opts ...Option) iter.Seq2[*DocumentLink, error] {
	return listAll[DocumentLink](ctx, (*service)(s).client(), documentLinksRoute, params, opts)
}
