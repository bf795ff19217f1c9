package telnyxtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"strings"

	telnyx "github.com/a54710f5/telnyx-go"
)

// apiError is an error answer in Telnyx's form.
type apiError struct {
	status    int
	code      string
	title     string
	detail    string
	pointer   string // JSON pointer into the body, such as "/reason"
	parameter string // query or path parameter, such as "page[size]"
}

// writeError answers {"errors":[{code, title, detail, source}]}.
func writeError(w http.ResponseWriter, e *apiError) {
	d := telnyx.ErrorDetail{
		Code:   e.code,
		Title:  e.title,
		Detail: e.detail,
		Source: telnyx.ErrorSource{Pointer: e.pointer, Parameter: e.parameter},
	}
	writeJSON(w, e.status, struct {
		Errors []telnyx.ErrorDetail `json:"errors"`
	}{[]telnyx.ErrorDetail{d}})
}

// writeData answers {"data": v}.
func writeData(w http.ResponseWriter, status int, v any) {
	writeJSON(w, status, struct {
		Data any `json:"data"`
	}{v})
}

// writePage answers {"data": v, "meta": meta}.
func writePage(w http.ResponseWriter, v any, meta telnyx.PageMeta) {
	writeJSON(w, http.StatusOK, struct {
		Data any             `json:"data"`
		Meta telnyx.PageMeta `json:"meta"`
	}{v, meta})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		// The fake's own values always encode; this is a bug in the fake.
		http.Error(w, "telnyxtest: encode response: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func errNoRoute() *apiError {
	return &apiError{
		status: http.StatusNotFound, code: "10005", title: "Resource not found",
		detail: "The requested resource or URL could not be found.",
	}
}

func errNotFound(kind, id string) *apiError {
	return &apiError{
		status: http.StatusNotFound, code: "10005", title: "Resource not found",
		detail: fmt.Sprintf("No %s with ID %q.", kind, id),
	}
}

// errInvalid is a 422 about a value of the request.
func errInvalid(pointer, detail string) *apiError {
	return &apiError{status: http.StatusUnprocessableEntity, code: "10015", title: "Invalid parameter", detail: detail, pointer: pointer}
}

// errInvalidParam is a 422 about a query or path parameter.
func errInvalidParam(param, detail string) *apiError {
	return &apiError{status: http.StatusUnprocessableEntity, code: "10015", title: "Invalid parameter", detail: detail, parameter: param}
}

// errMissing is a 422 about a required member missing from the body.
func errMissing(pointer, detail string) *apiError {
	return &apiError{status: http.StatusUnprocessableEntity, code: "10004", title: "Missing required parameter", detail: detail, pointer: pointer}
}

// errForStatus is the body of an injected fault (Inject, FailNext) that
// sets none.
func errForStatus(status int) *apiError {
	e := &apiError{status: status, title: http.StatusText(status), detail: "Injected by telnyxtest."}
	switch {
	case status == http.StatusUnauthorized:
		e.code, e.title = "10009", "Authentication failed"
	case status == http.StatusForbidden:
		e.code, e.title = "10010", "Authorization failed"
	case status == http.StatusNotFound:
		e.code, e.title = "10005", "Resource not found"
	case status == http.StatusRequestTimeout:
		e.code, e.title = "10008", "Request timeout"
	case status == http.StatusTooManyRequests:
		e.code, e.title = "10011", "Too many requests"
	case status >= 500:
		e.code, e.title = "10007", "Unexpected error"
	default:
		e.code = "10015"
	}
	if e.title == "" {
		e.title = "Error"
	}
	return e
}

// readJSON decodes the request's JSON body into a map of its members, so
// that handlers can tell a missing member from a zero one. The body must be
// a JSON object sent as application/json.
func readJSON(r *http.Request) (map[string]json.RawMessage, *apiError) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "application/json" {
		return nil, &apiError{
			status: http.StatusUnsupportedMediaType, code: "10014", title: "Unsupported Media Type",
			detail: fmt.Sprintf("The body must be sent as application/json, not %q.", r.Header.Get("Content-Type")),
		}
	}
	var b bytes.Buffer
	if _, err := b.ReadFrom(r.Body); err != nil {
		return nil, &apiError{status: http.StatusBadRequest, code: "10015", title: "Bad Request", detail: "The body could not be read."}
	}
	var m map[string]json.RawMessage
	dec := json.NewDecoder(&b)
	if err := dec.Decode(&m); err != nil || m == nil || dec.More() {
		return nil, &apiError{
			status: http.StatusBadRequest, code: "10015", title: "Bad Request",
			detail: "The request failed because it was not well-formed: the body must be one JSON object.",
		}
	}
	return m, nil
}

// member decodes body[name] into dst. It reports whether the member was
// present (and not null).
func member(body map[string]json.RawMessage, name string, dst any) (bool, *apiError) {
	raw, ok := body[name]
	if !ok || string(bytes.TrimSpace(raw)) == "null" {
		return false, nil
	}
	if err := json.Unmarshal(raw, dst); err != nil {
		return true, errInvalid("/"+name, fmt.Sprintf("%s has the wrong type: %s.", name, strings.TrimPrefix(err.Error(), "json: ")))
	}
	return true, nil
}
