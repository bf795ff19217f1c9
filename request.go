package telnyx

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/google/go-querystring/query"

	"github.com/a54710f5/telnyx-go/internal/requestconfig"
	"github.com/a54710f5/telnyx-go/internal/wire"
)

// request is one API call as a service method describes it, inputs only:
// what to send, never where a result goes (see Client.do).
type request struct {
	method string
	// route is the path template below the base URL, such as
	// "portouts/{id}/comments". It names the call in errors and logs.
	route string
	// ids fill the route's {placeholders} in order, each escaped as one
	// path segment.
	ids []string
	// query is a struct with url tags (encoded by go-querystring), a
	// url.Values, or nil.
	query any
	// body is marshalled to JSON once, and every attempt resends the bytes.
	body any
	// upload is a streamed multipart body, opened anew for each attempt.
	upload *upload
	// accept is the Accept header; "" means application/json.
	accept string
}

// prepared is a request checked and encoded: what each attempt sends.
type prepared struct {
	method string
	route  string // "/portouts/{id}": for errors and logs
	url    string // absolute, with the query
	body   []byte
	upload *upload
	accept string
}

// prepare checks the request's IDs and encodes its path, query and body. A
// bad ID is an *InvalidParamsError named after its placeholder.
func (r *request) prepare(cfg *requestconfig.Config) (*prepared, error) {
	p := &prepared{method: r.method, route: "/" + r.route, upload: r.upload, accept: r.accept}
	path, err := fillRoute(r.route, r.ids)
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	b.Grow(len(cfg.BaseURL) + len(path) + 64)
	b.WriteString(cfg.BaseURL)
	b.WriteString(path)
	if q, err := encodeQuery(r.query); err != nil {
		return nil, fmt.Errorf("telnyx: %s %s: encode query: %w", r.method, p.route, err)
	} else if q != "" {
		b.WriteByte('?')
		b.WriteString(q)
	}
	p.url = b.String()
	if r.body != nil {
		if p.body, err = wire.Marshal(r.body); err != nil {
			return nil, fmt.Errorf("telnyx: %s %s: encode body: %w", r.method, p.route, err)
		}
	}
	return p, nil
}

// fillRoute replaces each {name} of route with the next of ids, escaped as
// one path segment. An empty, "." or ".." ID is an *InvalidParamsError
// named after its placeholder.
func fillRoute(route string, ids []string) (string, error) {
	if len(ids) == 0 {
		return route, nil
	}
	var b strings.Builder
	b.Grow(len(route) + 48*len(ids))
	rest := route
	for _, id := range ids {
		open := strings.IndexByte(rest, '{')
		end := strings.IndexByte(rest, '}')
		if open < 0 || end < open {
			panic("telnyx: route " + route + " has fewer placeholders than IDs")
		}
		if err := checkID(rest[open+1:end], id); err != nil {
			return "", err
		}
		b.WriteString(rest[:open])
		b.WriteString(url.PathEscape(id))
		rest = rest[end+1:]
	}
	b.WriteString(rest)
	return b.String(), nil
}

// checkID rejects IDs that cannot name a resource, or would change the path
// outside their own segment.
func checkID(field, id string) error {
	switch {
	case strings.TrimSpace(id) == "":
		return invalid(field, "must not be empty")
	case id == "." || id == "..":
		return invalid(field, fmt.Sprintf("%q is not a valid ID", id))
	}
	return nil
}

// encodeQuery encodes a request's query (see queryValues); nil is "".
func encodeQuery(q any) (string, error) {
	v, err := queryValues(q)
	if err != nil {
		return "", err
	}
	return v.Encode(), nil
}

// queryValues is a query in parsed form: a struct with url tags encoded by
// go-querystring, url.Values as they are, nil as none. Lists use it to set
// the page number per page.
func queryValues(q any) (url.Values, error) {
	switch q := q.(type) {
	case nil:
		return url.Values{}, nil
	case url.Values:
		return q, nil
	}
	return query.Values(q)
}

var (
	acceptJSON      = []string{"application/json"}
	contentTypeJSON = []string{"application/json"}
)

// newHTTPRequest builds attempt n's *http.Request. Its body is the encoded
// JSON, or a fresh reading of the upload.
func (p *prepared) newHTTPRequest(ctx context.Context, cfg *requestconfig.Config) (*http.Request, error) {
	var body io.Reader
	switch {
	case p.upload != nil:
		rc, err := p.upload.open(ctx)
		if err != nil {
			return nil, fmt.Errorf("opening the request body: %w", err)
		}
		body = rc
	case p.body != nil:
		body = bytes.NewReader(p.body)
	}
	req, err := http.NewRequestWithContext(ctx, p.method, p.url, body)
	if err != nil {
		if rc, ok := body.(io.Closer); ok {
			_ = rc.Close()
		}
		return nil, fmt.Errorf("building the request: %w", err)
	}
	h := req.Header
	h["Authorization"] = cfg.Auth.Header
	if p.accept != "" {
		h["Accept"] = []string{p.accept}
	} else {
		h["Accept"] = acceptJSON
	}
	h["User-Agent"] = cfg.UserAgent
	switch {
	case p.upload != nil:
		h["Content-Type"] = []string{p.upload.contentType}
	case p.body != nil:
		h["Content-Type"] = contentTypeJSON
	}
	for k, v := range cfg.Header {
		h[k] = v
	}
	return req, nil
}

// idempotent reports whether sending the request twice is harmless. POST
// creates things (comments, documents, reports) or triggers them (republish).
func (p *prepared) idempotent() bool { return p.method != http.MethodPost }

// replayable reports whether a failed attempt can be sent again at all.
func (p *prepared) replayable() bool { return p.upload == nil || p.upload.replayable() }
