package telnyx

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// DocumentSort is a sort key of DocumentService.List: a field name sorts
// ascending, and the same name after "-" sorts descending.
type DocumentSort string

// The sort keys the API accepts.
const (
	DocumentSortFilename      DocumentSort = "filename"
	DocumentSortFilenameDesc  DocumentSort = "-filename"
	DocumentSortCreatedAt     DocumentSort = "created_at"
	DocumentSortCreatedAtDesc DocumentSort = "-created_at"
	DocumentSortUpdatedAt     DocumentSort = "updated_at"
	DocumentSortUpdatedAtDesc DocumentSort = "-updated_at"
)

// Valid reports whether s is one of the sort keys the API accepts.
func (s DocumentSort) Valid() bool {
	switch s {
	case DocumentSortFilename, DocumentSortFilenameDesc,
		DocumentSortCreatedAt, DocumentSortCreatedAtDesc,
		DocumentSortUpdatedAt, DocumentSortUpdatedAtDesc:
		return true
	}
	return false
}

// DocumentListParams filters, sorts and pages DocumentService.List.
type DocumentListParams struct {
	Page   PageParams
	Filter DocumentListFilter
	// Sort orders the list by these keys, the first deciding first. Each
	// is sent as its own sort parameter (sort=filename&sort=-created_at),
	// as the API reads a list. Empty leaves the API's order: newest
	// created first.
	Sort []DocumentSort
}

// DocumentListFilter narrows a list of documents. Zero fields are left out;
// the others must all match.
type DocumentListFilter struct {
	FilenameContains    string    // filter[filename][contains]: part of the file name
	CustomerReference   string    // filter[customer_reference][eq]: this reference exactly
	CustomerReferenceIn []string  // filter[customer_reference][in]: any of these, sent comma separated
	CreatedAtGt         time.Time // filter[created_at][gt]: created after
	CreatedAtLt         time.Time // filter[created_at][lt]: created before
}

// documentListQuery is DocumentListParams in the API's query form.
type documentListQuery struct {
	Page   PageParams          `url:"page"`
	Filter documentFilterQuery `url:"filter"`
	Sort   []DocumentSort      `url:"sort,omitempty"` // repeated: style form, explode
}

type documentFilterQuery struct {
	Filename struct {
		Contains string `url:"contains,omitempty"`
	} `url:"filename"`
	CustomerReference struct {
		Eq string   `url:"eq,omitempty"`
		In []string `url:"in,omitempty,comma"`
	} `url:"customer_reference"`
	CreatedAt struct {
		Gt string `url:"gt,omitempty"`
		Lt string `url:"lt,omitempty"`
	} `url:"created_at"`
}

// queryTime writes a filter bound in RFC 3339 with as much of a fraction of
// a second as it has, so that a strict bound keeps its meaning; zero is "".
func queryTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339Nano)
}

// query checks p and returns its query form; nil params give nil.
func (p *DocumentListParams) query() (any, error) {
	if p == nil {
		return nil, nil
	}
	seen := map[DocumentSort]int{}
	for i, s := range p.Sort {
		if !s.Valid() {
			return nil, invalid(fmt.Sprintf("Sort[%d]", i), fmt.Sprintf("unknown sort key %q", s))
		}
		field := DocumentSort(strings.TrimPrefix(string(s), "-"))
		if j, dup := seen[field]; dup {
			return nil, invalid(fmt.Sprintf("Sort[%d]", i), fmt.Sprintf("%s is already sorted on by Sort[%d]", field, j))
		}
		seen[field] = i
	}
	f := &p.Filter
	for i, ref := range f.CustomerReferenceIn {
		switch {
		case ref == "":
			return nil, invalid(fmt.Sprintf("Filter.CustomerReferenceIn[%d]", i), "must not be empty")
		case strings.Contains(ref, ","):
			return nil, invalid(fmt.Sprintf("Filter.CustomerReferenceIn[%d]", i), fmt.Sprintf("%q holds a comma, which separates the list on the wire", ref))
		}
	}
	if err := checkCreatedAt("Filter.", f.CreatedAtGt, f.CreatedAtLt); err != nil {
		return nil, err
	}
	q := &documentListQuery{Page: p.Page, Sort: p.Sort}
	q.Filter.Filename.Contains = f.FilenameContains
	q.Filter.CustomerReference.Eq = f.CustomerReference
	q.Filter.CustomerReference.In = f.CustomerReferenceIn
	q.Filter.CreatedAt.Gt = queryTime(f.CreatedAtGt)
	q.Filter.CreatedAt.Lt = queryTime(f.CreatedAtLt)
	return q, nil
}

const documentsRoute = "documents"

// List fetches one page of documents, newest first unless params.Sort says
// otherwise. params may be nil. An unknown sort key, a key sorted on twice,
// an empty or comma-holding CustomerReferenceIn entry, or CreatedAtGt not
// before CreatedAtLt is an *InvalidParamsError, and nothing is sent.
func (s *DocumentService) List(ctx context.Context, params *DocumentListParams, opts ...Option) (*Page[Document], error) {
	q, err := params.query()
	if err != nil {
		return nil, err
	}
	return list[Document](ctx, (*service)(s).client(), documentsRoute, q, opts)
}

// ListAutoPaging yields every document matching params, page after page,
// fetching lazily. params are checked as List checks them. On an error it
// yields (nil, err) once and stops.
func (s *DocumentService) ListAutoPaging(ctx context.Context, params *DocumentListParams, opts ...Option) iter.Seq2[*Document, error] {
	q, err := params.query()
	if err != nil {
		return failed[Document](err)
	}
	return listAll[Document](ctx, (*service)(s).client(), documentsRoute, q, opts)
}

// Get fetches one document's details (not its bytes: see Download).
func (s *DocumentService) Get(ctx context.Context, id string, opts ...Option) (*Document, error) {
	r := request{method: http.MethodGet, route: "documents/{id}", ids: []string{id}}
	return fetch[Document](ctx, (*service)(s).client(), r, opts)
}

// DocumentUpdateParams is the body of DocumentService.Update. An empty field
// is left out of the body, and the document keeps its value.
type DocumentUpdateParams struct {
	Filename          string `json:"filename,omitempty"`           // "" leaves it as it is
	CustomerReference string `json:"customer_reference,omitempty"` // "" leaves it as it is
}

// Update renames a document or changes its customer reference (PATCH
// /documents/{id}) and returns it as changed. With both fields empty the body
// is {} and the document stays as it is. A reference cannot be cleared
// through Update: "" means "leave it".
func (s *DocumentService) Update(ctx context.Context, id string, params DocumentUpdateParams, opts ...Option) (*Document, error) {
	r := request{method: http.MethodPatch, route: "documents/{id}", ids: []string{id}, body: params}
	return fetch[Document](ctx, (*service)(s).client(), r, opts)
}

// Delete deletes a document and returns it as it was. The API deletes only
// a document that is linked to nothing (see DocumentLinkService): one still
// supporting a port-out is refused (an *APIError), and must be unlinked
// first. Like any DELETE it is retried after a failure; a retry whose first
// attempt did delete the document answers 404 (ErrNotFound).
func (s *DocumentService) Delete(ctx context.Context, id string, opts ...Option) (*Document, error) {
	r := request{method: http.MethodDelete, route: "documents/{id}", ids: []string{id}}
	return fetch[Document](ctx, (*service)(s).client(), r, opts)
}

// downloadLink is the data of GET /documents/{id}/download_link.
type downloadLink struct {
	URL string `json:"url"`
}

// DownloadLink asks for a temporary pre-signed URL from which anyone
// holding it can fetch the document's bytes straight from storage, without
// an API key: hand it out with the care due to the document itself. A URL
// that is missing, not absolute or not http(s) is a *DecodeError, whose
// message does not quote it.
func (s *DocumentService) DownloadLink(ctx context.Context, id string, opts ...Option) (*url.URL, error) {
	r := request{method: http.MethodGet, route: "documents/{id}/download_link", ids: []string{id}}
	link, err := fetch[downloadLink](ctx, (*service)(s).client(), r, opts)
	if err != nil {
		return nil, err
	}
	u, err := parseDownloadLink(link.URL)
	if err != nil {
		return nil, &DecodeError{Method: r.method, Path: "/" + r.route, StatusCode: http.StatusOK, Err: err}
	}
	return u, nil
}

var errNoLink = errors.New(`the download link has no "url"`)

// parseDownloadLink accepts an absolute http or https URL with a host. Its
// errors leave the URL out: its query is a signature.
func parseDownloadLink(raw string) (*url.URL, error) {
	if raw == "" {
		return nil, errNoLink
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, errors.New("the download link is not a URL")
	}
	if !isHTTPURL(u) {
		return nil, errors.New("the download link is not an absolute http(s) URL")
	}
	return u, nil
}

// isHTTPURL reports whether u is absolute, http or https, with a host.
func isHTTPURL(u *url.URL) bool {
	scheme := strings.ToLower(u.Scheme)
	return (scheme == "http" || scheme == "https") && u.Host != "" && u.Opaque == ""
}

// DocumentUploadURLParams is the body of DocumentService.UploadFromURL.
type DocumentUploadURLParams struct {
	URL               string `json:"url"`                          // required; absolute http(s) URL the service fetches
	Filename          string `json:"filename,omitempty"`           // the name to store; optional
	CustomerReference string `json:"customer_reference,omitempty"` // optional, for your own look-ups
}

// UploadFromURL has Telnyx fetch a file that is already online and store it
// as a document (the JSON form of POST /documents). params.URL must be an
// absolute http or https URL that Telnyx can reach; anything else is an
// *InvalidParamsError and nothing is sent. As with Upload, a document not
// linked to anything within 30 minutes is deleted, and the call is retried
// only when the server cannot have acted on it.
func (s *DocumentService) UploadFromURL(ctx context.Context, params DocumentUploadURLParams, opts ...Option) (*Document, error) {
	if strings.TrimSpace(params.URL) == "" {
		return nil, invalid("URL", "must not be empty")
	}
	u, err := url.Parse(params.URL)
	if err != nil {
		return nil, invalid("URL", "is not a URL: "+strings.TrimPrefix(err.Error(), "parse "))
	}
	if !isHTTPURL(u) {
		return nil, invalid("URL", fmt.Sprintf("%q is not an absolute http(s) URL", u.Redacted()))
	}
	r := request{method: http.MethodPost, route: documentsRoute, body: params}
	return fetch[Document](ctx, (*service)(s).client(), r, opts)
}
