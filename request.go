package telnyx

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/a54710f5/telnyx-go/internal/query"
	"github.com/a54710f5/telnyx-go/internal/retry"
)

// request is one API call, built by a service method and sent by do.
type request struct {
	method string
	route  string // the path template, "/portouts/{id}": used in errors and logs
	path   string // the escaped path relative to the base URL, "portouts/abc"
	query  string // the encoded query, without "?"
	accept string // the Accept header; "" means application/json

	body        []byte                        // JSON body, marshalled once and resent as is
	newBody     func() (io.ReadCloser, error) // a streamed body, opened anew for each attempt
	contentType string                        // the streamed body's Content-Type
	noReplay    bool                          // the streamed body cannot be sent twice

	out    any                                          // where the JSON response is decoded
	sum    *uint64                                      // when set, receives a hash of the decoded body
	stream func(resp *http.Response, attempt int) error // consumes a 2xx response instead of out
}

// newRequest builds a request for a route such as "portouts/{id}/comments",
// filling each {name} with the next of ids, escaped as one path segment. An
// empty, "." or ".." ID is an *InvalidParamsError named after its
// placeholder, and nothing is sent.
func newRequest(method, route string, ids ...string) (*request, error) {
	r := &request{method: method, route: "/" + route}
	if len(ids) == 0 {
		r.path = route
		return r, nil
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
		name := rest[open+1 : end]
		if err := checkID(name, id); err != nil {
			return nil, err
		}
		b.WriteString(rest[:open])
		b.WriteString(url.PathEscape(id))
		rest = rest[end+1:]
	}
	b.WriteString(rest)
	r.path = b.String()
	return r, nil
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

// setQuery encodes params (a struct with url tags, or nil).
func (r *request) setQuery(params any) error {
	v, err := queryValues(r, params)
	if err != nil {
		return err
	}
	r.query = v.Encode()
	return nil
}

func queryValues(r *request, params any) (url.Values, error) {
	v, err := query.Values(params)
	if err != nil {
		return nil, fmt.Errorf("telnyx: %s %s: encode query: %w", r.method, r.route, err)
	}
	return v, nil
}

// setJSON marshals body once; every attempt sends the same bytes.
func (r *request) setJSON(body any) error {
	b, err := json.Marshal(body)
	if err != nil {
		return fmt.Errorf("telnyx: %s %s: encode body: %w", r.method, r.route, err)
	}
	r.body = b
	return nil
}

// idempotent reports whether sending the request twice is harmless. POST
// creates things (comments, documents, reports) or triggers them (republish).
func (r *request) idempotent() bool { return r.method != http.MethodPost }

// attemptResult is the outcome of one attempt.
type attemptResult struct {
	err        error
	retry      bool          // the policy allows another attempt
	retryAfter time.Duration // what the server asked for, when hasAfter
	hasAfter   bool
}

// do sends r with cfg, retrying as the policy allows, and decodes the
// response into r.out (or hands it to r.stream).
func (c *Client) do(ctx context.Context, cfg *requestConfig, r *request) error {
	if ctx == nil {
		return invalid("ctx", "must not be nil")
	}
	u := cfg.baseURL + r.path
	if r.query != "" {
		u += "?" + r.query
	}
	for attempt := 1; ; attempt++ {
		if err := ctx.Err(); err != nil {
			// Not every RoundTripper checks the context before sending.
			return &ConnectionError{Method: r.method, Path: r.route, Attempts: attempt - 1, Err: err}
		}
		res := c.attempt(ctx, cfg, r, u, attempt)
		if res.err == nil {
			return nil
		}
		if !res.retry || attempt > cfg.maxRetries {
			return res.err
		}
		if err := ctx.Err(); err != nil {
			// A retry was due, but the caller has given up: say so, as a
			// wait cut short by the context would.
			return retryCanceled(r, attempt, err, res.err)
		}
		wait := retry.Backoff(attempt-1, cfg.backoffInitial, cfg.backoffMax, cfg.jitter())
		if res.hasAfter {
			if res.retryAfter > cfg.backoffMax {
				// The server asks for longer than we are willing to wait.
				return res.err
			}
			wait = res.retryAfter
		}
		if err := cfg.sleep(ctx, wait); err != nil {
			return retryCanceled(r, attempt, err, res.err)
		}
	}
}

// retryCanceled is the error of a call whose context ended while a retry was
// due: it unwraps to both the context's error and the last attempt's.
func retryCanceled(r *request, attempts int, ctxErr, last error) error {
	return &ConnectionError{
		Method: r.method, Path: r.route, Attempts: attempts,
		Err: fmt.Errorf("%w while waiting to retry (last attempt: %w)", ctxErr, last),
	}
}

// attempt sends r once.
func (c *Client) attempt(ctx context.Context, cfg *requestConfig, r *request, u string, n int) attemptResult {
	actx := ctx
	if cfg.requestTimeout > 0 {
		var cancel context.CancelFunc
		actx, cancel = context.WithTimeout(ctx, cfg.requestTimeout)
		defer cancel()
	}
	idempotent := r.idempotent()
	var wrote *atomic.Bool
	if !idempotent {
		// Learn whether any of the request went out: a POST that never
		// reached the server can be retried without risk of a duplicate.
		wrote = new(atomic.Bool)
		actx = httptrace.WithClientTrace(actx, &httptrace.ClientTrace{
			WroteHeaders: func() { wrote.Store(true) },
		})
	}

	var body io.Reader
	switch {
	case r.newBody != nil:
		rc, err := r.newBody()
		if err != nil {
			// Nothing was sent: the caller's reader could not start again.
			return attemptResult{err: &ConnectionError{Method: r.method, Path: r.route, Attempts: n - 1, Err: fmt.Errorf("opening the request body: %w", err)}}
		}
		body = rc
	case r.body != nil:
		body = bytes.NewReader(r.body)
	}
	req, err := http.NewRequestWithContext(actx, r.method, u, body)
	if err != nil {
		if rc, ok := body.(io.Closer); ok {
			_ = rc.Close()
		}
		return attemptResult{err: &ConnectionError{Method: r.method, Path: r.route, Attempts: n - 1, Err: fmt.Errorf("building the request: %w", err)}}
	}
	h := req.Header
	h["Authorization"] = cfg.auth.header
	if r.accept != "" {
		h["Accept"] = []string{r.accept}
	} else {
		h["Accept"] = acceptJSON
	}
	h["User-Agent"] = cfg.userAgentHeader
	switch {
	case r.newBody != nil:
		h["Content-Type"] = []string{r.contentType}
	case r.body != nil:
		h["Content-Type"] = contentTypeJSON
	}
	for k, v := range cfg.header {
		h[k] = v
	}

	start := time.Now()
	resp, err := cfg.httpClient.Do(req)
	if err != nil {
		res := c.transportFailure(ctx, cfg, r, n, err, idempotent, wrote)
		logAttempt(ctx, cfg, r, n, 0, "", time.Since(start), res.err)
		return res
	}
	res := c.handleResponse(cfg, r, resp, n, idempotent)
	logAttempt(ctx, cfg, r, n, resp.StatusCode, cfg.auth.mask(requestID(resp.Header)), time.Since(start), res.err)
	return res
}

var (
	acceptJSON      = []string{"application/json"}
	contentTypeJSON = []string{"application/json"}
)

func (c *Client) transportFailure(ctx context.Context, cfg *requestConfig, r *request, n int, err error, idempotent bool, wrote *atomic.Bool) attemptResult {
	// *url.Error repeats the method and full URL; keep only its cause.
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	// A RoundTripper of the caller's may quote the request's headers.
	err = cfg.auth.maskError(err)
	if cerr := ctx.Err(); cerr != nil {
		if !errors.Is(err, cerr) {
			err = fmt.Errorf("%w: %w", cerr, err)
		}
		return attemptResult{err: &ConnectionError{Method: r.method, Path: r.route, Attempts: n, Err: err}}
	}
	written := !idempotent && wrote.Load()
	ok := !r.noReplay && retry.Error(idempotent, err, written)
	return attemptResult{
		err:   &ConnectionError{Method: r.method, Path: r.route, Attempts: n, Err: err},
		retry: ok,
	}
}

func (c *Client) handleResponse(cfg *requestConfig, r *request, resp *http.Response, n int, idempotent bool) attemptResult {
	defer resp.Body.Close()
	if cfg.responseInto != nil {
		defer func() {
			resp.Body = http.NoBody
			*cfg.responseInto = resp
		}()
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
		// A server may echo the Authorization header back; mask the key
		// before the body is decoded into what Error() prints.
		body = cfg.auth.maskBytes(body)
		after, hasAfter := retry.After(resp.Header, time.Now())
		e := newAPIError(r.method, r.route, resp, body, n, 0)
		e.RequestID = cfg.auth.mask(e.RequestID)
		if hasAfter {
			e.RetryAfter = after
		}
		return attemptResult{
			err:        e,
			retry:      !r.noReplay && retry.Status(idempotent, resp.StatusCode, resp.Header),
			retryAfter: after,
			hasAfter:   hasAfter,
		}
	}
	if r.stream != nil {
		if err := r.stream(resp, n); err != nil {
			return attemptResult{err: err}
		}
		return attemptResult{}
	}
	if r.out == nil {
		// Read a short unexpected body so the connection can be reused.
		_, _ = io.CopyN(io.Discard, resp.Body, maxDrain)
		return attemptResult{}
	}
	if resp.ContentLength > maxResponseBody {
		return tooLarge(r, resp)
	}
	buf := getBuffer()
	defer putBuffer(buf)
	if resp.ContentLength > 0 {
		buf.Grow(int(resp.ContentLength))
	}
	if _, err := buf.ReadFrom(io.LimitReader(resp.Body, maxResponseBody+1)); err != nil {
		// The answer was cut off: the request was handled, but its result is
		// lost. A GET or PATCH can safely ask again.
		return attemptResult{
			err:   &ConnectionError{Method: r.method, Path: r.route, Attempts: n, Err: fmt.Errorf("reading response: %w", cfg.auth.maskError(err))},
			retry: idempotent && retry.Error(true, err, true),
		}
	}
	if buf.Len() > maxResponseBody {
		return tooLarge(r, resp)
	}
	if r.sum != nil {
		*r.sum = maphash.Bytes(bodySeed, buf.Bytes())
	}
	if f, ok := r.out.(fastDecoder); ok && f.decodeFast(buf.Bytes()) {
		return attemptResult{}
	}
	if err := json.Unmarshal(buf.Bytes(), r.out); err != nil {
		// The message quotes the value it could not decode, which may be
		// an echoed Authorization header.
		return attemptResult{err: &DecodeError{Method: r.method, Path: r.route, StatusCode: resp.StatusCode, Err: cfg.auth.maskError(err)}}
	}
	return attemptResult{}
}

// DecodeError is returned when a successful response could not be decoded:
// malformed JSON, or a value of the wrong type such as an unreadable
// timestamp. The message names the field and the value.
type DecodeError struct {
	Method, Path string
	StatusCode   int
	Err          error
}

func (e *DecodeError) Error() string {
	return "telnyx: " + e.Method + " " + e.Path + ": decoding " + fmt.Sprint(e.StatusCode) + " response: " + oneLine(e.Err.Error())
}

// Unwrap returns the JSON error.
func (e *DecodeError) Unwrap() error { return e.Err }

// bodySeed hashes list answers, so that paging can tell a server that
// answers every page number with the same page.
var bodySeed = maphash.MakeSeed()

// Response bodies are read into pooled buffers; json.Unmarshal copies what
// it keeps, so a buffer is free again once decoding returns.
var bufferPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

const (
	maxDrain      = 4 << 10 // bytes read from an answer nobody asked for before closing it
	maxPooledSize = 8 << 20 // larger buffers are left to the garbage collector
	// maxResponseBody bounds a successful JSON answer held in memory, so
	// that a hostile server cannot exhaust it. A page of 250 port-outs is
	// well under 1 MiB; Download streams and is not bounded.
	maxResponseBody = 32 << 20
)

// errBodyTooLarge is the cause of the *DecodeError for an answer over
// maxResponseBody.
var errBodyTooLarge = errors.New("the response is larger than 32 MiB")

func tooLarge(r *request, resp *http.Response) attemptResult {
	return attemptResult{err: &DecodeError{Method: r.method, Path: r.route, StatusCode: resp.StatusCode, Err: errBodyTooLarge}}
}

// redacted replaces the API key wherever a server or transport echoed it.
const redacted = "[redacted]"

// mask returns s with every copy of the API key replaced.
func (a *credentials) mask(s string) string {
	if a == nil || !strings.Contains(s, a.key) {
		return s
	}
	return strings.ReplaceAll(s, a.key, redacted)
}

// maskBytes is mask for a response body.
func (a *credentials) maskBytes(b []byte) []byte {
	if a == nil || !bytes.Contains(b, []byte(a.key)) {
		return b
	}
	return bytes.ReplaceAll(b, []byte(a.key), []byte(redacted))
}

// maskError returns err, or when its message holds the API key an error
// whose message is masked. The original stays reachable through Unwrap,
// for errors.Is and errors.As, but is never what gets printed.
func (a *credentials) maskError(err error) error {
	if err == nil || a == nil {
		return err
	}
	msg := err.Error()
	if !strings.Contains(msg, a.key) {
		return err
	}
	return &maskedError{msg: strings.ReplaceAll(msg, a.key, redacted), err: err}
}

type maskedError struct {
	msg string
	err error
}

func (e *maskedError) Error() string { return e.msg }
func (e *maskedError) Unwrap() error { return e.err }

func getBuffer() *bytes.Buffer { return bufferPool.Get().(*bytes.Buffer) }

func putBuffer(b *bytes.Buffer) {
	if b.Cap() > maxPooledSize {
		return
	}
	b.Reset()
	bufferPool.Put(b)
}

func logAttempt(ctx context.Context, cfg *requestConfig, r *request, n, status int, reqID string, d time.Duration, err error) {
	l := cfg.logger
	if l == nil || !l.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{
		slog.String("method", r.method),
		slog.String("path", r.route),
		slog.Int("attempt", n),
		slog.Int("status", status),
		slog.Duration("duration", d),
	}
	if reqID != "" {
		attrs = append(attrs, slog.String("request_id", reqID))
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", err.Error()))
	}
	l.LogAttrs(ctx, slog.LevelDebug, "telnyx request", attrs...)
}

// envelope is the {"data": ..., "meta": ...} wrapper of every JSON answer.
type envelope[T any] struct {
	Data T         `json:"data"`
	Meta *PageMeta `json:"meta,omitempty"`
}

// call runs a request built by a service method with the call's options and
// returns the decoded "data" member.
func call[T any](ctx context.Context, c *Client, r *request, opts []Option) (T, error) {
	var env envelope[T]
	cfg, err := c.config(opts)
	if err != nil {
		return env.Data, err
	}
	r.out = &env
	err = c.do(ctx, cfg, r)
	return env.Data, err
}

// callPtr is call for a single resource: a missing or null "data" member is
// a *DecodeError rather than a nil result.
func callPtr[T any](ctx context.Context, c *Client, r *request, opts []Option) (*T, error) {
	v, err := call[*T](ctx, c, r, opts)
	if err != nil {
		return nil, err
	}
	if v == nil {
		return nil, &DecodeError{Method: r.method, Path: r.route, StatusCode: http.StatusOK, Err: errNoData}
	}
	return v, nil
}

var errNoData = errors.New(`the response has no "data" member`)
