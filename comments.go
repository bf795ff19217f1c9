package telnyx

import (
	"context"
	"encoding/json"
	"github.com/a54710f5/telnyx-go/internal/wire"
	"net/http"
	"strings"
	"time"
)

// PortoutCommentService reads and writes the comments on a port-out request.
type PortoutCommentService service

// PortoutComment is a comment on a port-out request.
type PortoutComment struct {
	ID         string    `json:"id"`
	Body       string    `json:"body"`
	PortoutID  string    `json:"portout_id"`
	RecordType string    `json:"record_type"`
	UserID     string    `json:"user_id"` // empty when written by Telnyx
	CreatedAt  time.Time `json:"created_at"`

	// Extra holds the members this SDK does not name, verbatim (see
	// Portout.Extra); nil when there are none.
	Extra map[string]json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes the API's form: timestamps in any layout the API
// uses, unknown members into Extra.
func (c *PortoutComment) UnmarshalJSON(b []byte) error { return wire.Unmarshal(b, c) }

// MarshalJSON encodes the API's form, zero times as null, Extra included.
func (c PortoutComment) MarshalJSON() ([]byte, error) { return wire.Marshal(&c) }

// PortoutCommentCreateParams is the body of Create.
type PortoutCommentCreateParams struct {
	Body string `json:"body"`
}

// List returns every comment on a port-out request.
func (s *PortoutCommentService) List(ctx context.Context, portoutID string, opts ...Option) ([]PortoutComment, error) {
	r := request{method: http.MethodGet, route: "portouts/{id}/comments", ids: []string{portoutID}}
	return fetchList[PortoutComment](ctx, (*service)(s).client(), r, opts)
}

// Create adds a comment to a port-out request. It is not retried once it
// may have reached the server, so a comment is never posted twice.
func (s *PortoutCommentService) Create(ctx context.Context, portoutID string, params PortoutCommentCreateParams, opts ...Option) (*PortoutComment, error) {
	if strings.TrimSpace(params.Body) == "" {
		return nil, invalid("Body", "must not be empty")
	}
	r := request{method: http.MethodPost, route: "portouts/{id}/comments", ids: []string{portoutID}, body: params}
	return fetch[PortoutComment](ctx, (*service)(s).client(), r, opts)
}
