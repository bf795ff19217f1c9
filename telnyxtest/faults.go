package telnyxtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strings"
)

// Fault makes matching requests fail, for testing how code copes with rate
// limits, outages and odd answers. Register it with Server.Inject.
//
// A request matches when its method equals Method (any case) and its path
// below the base URL matches Path; an empty Method or Path matches any.
// Path is a path.Match pattern. It is matched against the request path with
// each segment escaped as url.PathEscape escapes it, whatever escaping the
// client used, so that "*" stands for exactly one segment, even an ID that
// holds "/" or spaces: "/portouts/*/rejected-pending" matches every
// rejection. To name such an ID literally, escape it the same way:
// "/portouts/" + url.PathEscape(id) + "/comments". A leading "/" is added
// when missing.
type Fault struct {
	// Method is the request method to match, such as http.MethodPatch.
	Method string
	// Path is the path.Match pattern, such as "/portouts/*/comments".
	Path string
	// Times is how many matching requests fail; 0 means 1. Negative is a
	// programming error: Inject panics.
	Times int
	// Status is the answer's status, from 100 to 599 (Inject panics on any
	// other value, and on 101 Switching Protocols, which would end HTTP on
	// the connection). A 1xx status is sent as an interim response, after
	// which the request is served as usual.
	Status int
	// Header is added to the answer, e.g. Retry-After.
	Header http.Header
	// Body is the answer's body as is; nil sends Telnyx's error form
	// {"errors":[{"code","title","detail"}]} for Status. Unless Header sets
	// Content-Type, a Body that is valid JSON is sent as application/json
	// and any other as http.DetectContentType guesses.
	Body []byte
}

// fault is an injected Fault as the server keeps it.
type fault struct {
	method  string
	pattern string
	left    int
	status  int
	header  http.Header
	body    []byte
}

// Inject makes the server fail requests that match f, before
// authentication and routing. Faults are checked in the order injected:
// a request takes the first one it matches, which then has one use fewer
// and is dropped once used up. A request that fails this way is recorded by
// Requests but changes nothing. Inject panics, naming the field, when f
// cannot be served (see Fault); it copies f's Header and Body.
func (s *Server) Inject(f Fault) {
	s.inject("Inject", f)
}

// FailNext makes the next n requests, whatever their method and route,
// fail with status and header, and a body in Telnyx's error form. It is
// Inject(Fault{Times: n, Status: status, Header: header}), so calls queue
// up with every other fault in order: FailNext(1, 503, nil) then
// FailNext(1, 429, h) fails one request with 503 and the one after it with
// 429. n <= 0 injects nothing. A status outside 100 to 599 is a programming
// error: FailNext panics at once rather than when a request comes.
func (s *Server) FailNext(n int, status int, header http.Header) {
	checkStatus("FailNext", status)
	if n <= 0 {
		return
	}
	s.inject("FailNext", Fault{Times: n, Status: status, Header: header})
}

// inject checks f and queues it; caller names the method that panics.
func (s *Server) inject(caller string, f Fault) {
	checkStatus(caller, f.Status)
	if f.Times < 0 {
		panic(fmt.Sprintf("telnyxtest: %s: Times %d is negative", caller, f.Times))
	}
	pattern := f.Path
	if pattern != "" && !strings.HasPrefix(pattern, "/") {
		pattern = "/" + pattern
	}
	if _, err := path.Match(pattern, ""); err != nil {
		panic(fmt.Sprintf("telnyxtest: %s: Path %q is not a path.Match pattern: %v", caller, f.Path, err))
	}
	q := fault{
		method:  strings.ToUpper(f.Method),
		pattern: pattern,
		left:    max(f.Times, 1),
		status:  f.Status,
		header:  f.Header.Clone(),
		body:    bytes.Clone(f.Body),
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.faults = append(s.st.faults, q)
}

// checkStatus panics unless status can be written as an answer.
func checkStatus(caller string, status int) {
	if status < 100 || status > 599 {
		panic(fmt.Sprintf("telnyxtest: %s: status %d is not an HTTP status from 100 to 599", caller, status))
	}
	if status == http.StatusSwitchingProtocols {
		panic(fmt.Sprintf("telnyxtest: %s: status 101 would switch the connection away from HTTP", caller))
	}
}

// takeFault returns the first fault that matches the request (its method
// and escaped path below the API root) and uses it up once. s.mu is held.
func (st *state) takeFault(method, escapedPath string) (fault, bool) {
	if len(st.faults) == 0 {
		return fault{}, false
	}
	method, canonical := strings.ToUpper(method), canonicalPath(escapedPath)
	for i := range st.faults {
		f := &st.faults[i]
		if f.method != "" && f.method != method {
			continue
		}
		if f.pattern != "" {
			if ok, _ := path.Match(f.pattern, canonical); !ok {
				continue
			}
		}
		taken := *f
		f.left--
		if f.left == 0 {
			st.faults = slices.Delete(st.faults, i, i+1)
		}
		return taken, true
	}
	return fault{}, false
}

// canonicalPath re-escapes each segment of an escaped path as
// url.PathEscape does, so that the same path always reads the same,
// whatever the client escaped; a segment that does not unescape is kept.
func canonicalPath(escaped string) string {
	segs := strings.Split(escaped, "/")
	for i, seg := range segs {
		if v, err := url.PathUnescape(seg); err == nil {
			segs[i] = url.PathEscape(v)
		}
	}
	return strings.Join(segs, "/")
}

// writeFault answers with an injected fault. A 1xx is only an interim
// response: the caller then serves the request as usual.
func writeFault(w http.ResponseWriter, f fault) {
	for k, v := range f.header {
		w.Header()[k] = append([]string(nil), v...)
	}
	if f.status < 200 {
		w.WriteHeader(f.status)
		for k := range f.header {
			w.Header().Del(k)
		}
		return
	}
	if f.body == nil {
		writeError(w, errForStatus(f.status))
		return
	}
	if w.Header().Get("Content-Type") == "" && len(f.body) > 0 {
		ct := "application/json"
		if !json.Valid(f.body) {
			ct = http.DetectContentType(f.body)
		}
		w.Header().Set("Content-Type", ct)
	}
	w.WriteHeader(f.status)
	_, _ = w.Write(f.body)
}
