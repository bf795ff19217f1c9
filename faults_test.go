package telnyx

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The fault tables: every call against real HTTP servers on the loopback
// interface, so that sockets fail the way they do in production: refused,
// reset, cut off, silent. The client's sleep between attempts is faked and
// recorded; only per-attempt timeouts and caller deadlines use real time,
// and they are kept to tens of milliseconds. faults_conn_test.go has the
// faults that need a test of their own.

// attemptsOf returns the attempt count an error reports, or 0.
func attemptsOf(err error) int {
	var ae *APIError
	var ce *ConnectionError
	switch {
	case errors.As(err, &ae):
		return ae.Attempts
	case errors.As(err, &ce):
		return ce.Attempts
	}
	return 0
}

// faultCase is one row of a fault table.
type faultCase struct {
	name    string
	replies []reply // by attempt; the last repeats
	hang    bool    // the server never answers (replies unused)
	opts    []Option

	hits    int             // requests the server must see
	kind    string          // errKind of the result
	is      []error         // errors.Is must hold for each
	isNot   []error         // and must not hold for these
	waits   []time.Duration // the fake sleeps, in order; nil means none
	minWait time.Duration   // when set, the single wait lies in [minWait, maxWait]
	maxWait time.Duration
	check   func(t *testing.T, err error)
}

func runFault(t *testing.T, tc faultCase, call func(ctx context.Context, c *Client) error) {
	t.Helper()
	var srv *loopback
	srv = newLoopback(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if tc.hang {
			srv.hang(w, r)
			return
		}
		script(tc.replies...)(w, r, n)
	})
	c, rec, _ := newLoopbackClient(t, srv.baseURL(), tc.opts...)

	start := time.Now()
	err := call(t.Context(), c)
	elapsed := time.Since(start)
	hits := len(srv.Seen())
	logFault(t, t.Name(), hits, err, elapsed)

	assert.Equal(t, tc.hits, hits, "requests the server saw")
	assert.Equal(t, tc.kind, errKind(err), "%v", err)
	for _, target := range tc.is {
		assert.ErrorIs(t, err, target)
	}
	for _, target := range tc.isNot {
		assert.NotErrorIs(t, err, target)
	}
	if k := errKind(err); k == "*APIError" || k == "*ConnectionError" {
		assert.Equal(t, hits, attemptsOf(err), "the error counts the attempts the server saw")
	}
	if err != nil {
		assert.True(t, strings.HasPrefix(err.Error(), "telnyx: "), err.Error())
		assert.NotContains(t, err.Error(), "\n")
	}
	if tc.minWait > 0 {
		w := rec.Waits()
		require.Len(t, w, 1)
		assert.GreaterOrEqual(t, w[0], tc.minWait)
		assert.LessOrEqual(t, w[0], tc.maxWait)
	} else {
		assert.Equal(t, tc.waits, rec.Waits(), "waits between attempts")
	}
	bound := quick
	if tc.hang {
		bound += time.Duration(hits) * faultTimeout
		assert.GreaterOrEqual(t, elapsed, time.Duration(hits)*faultTimeout, "each attempt waited its timeout")
	}
	assert.Less(t, elapsed, bound)
	if tc.check != nil {
		tc.check(t, err)
	}
}

func TestFaultsOnReads(t *testing.T) {
	t.Parallel()
	ok := answer(200, `{"data":{"id":"p1","status":"pending"}}`)
	html := answer(502, "<html><body><h1>502 Bad Gateway</h1>nginx</body></html>", "Content-Type", "text/html")
	backoff2 := []time.Duration{500 * time.Millisecond, time.Second}
	tests := []faultCase{
		{name: "reset after request read", replies: []reply{resetAfterRead},
			hits: 3, kind: "*ConnectionError", is: []error{syscall.ECONNRESET}, waits: backoff2},
		{name: "reset once then ok", replies: []reply{resetAfterRead, ok},
			hits: 2, kind: "ok", waits: backoff2[:1]},
		{name: "cut off mid-body", replies: []reply{cutOff},
			hits: 3, kind: "*ConnectionError", is: []error{io.ErrUnexpectedEOF}, waits: backoff2},
		{name: "cut off once then ok", replies: []reply{cutOff, ok},
			hits: 2, kind: "ok", waits: backoff2[:1]},
		{name: "never answers, per-attempt timeout", hang: true, opts: []Option{WithRequestTimeout(faultTimeout)},
			hits: 3, kind: "*ConnectionError", is: []error{context.DeadlineExceeded}, waits: backoff2},
		{name: "502 503 504 then ok", replies: []reply{answer(502, ""), answer(503, ""), answer(504, ""), ok},
			opts: []Option{WithMaxRetries(3)},
			hits: 4, kind: "ok", waits: []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second}},
		{name: "502 503 504 outlast the retries", replies: []reply{answer(502, ""), answer(503, ""), answer(504, ""), ok},
			hits: 3, kind: "*APIError", is: []error{ErrServer}, waits: backoff2,
			check: func(t *testing.T, err error) {
				var ae *APIError
				require.ErrorAs(t, err, &ae)
				assert.Equal(t, 504, ae.StatusCode, "the last attempt's status")
			}},
		{name: "501 not retried", replies: []reply{answer(501, "")},
			hits: 1, kind: "*APIError", is: []error{ErrServer}},
		{name: "HTML 502 from a proxy", replies: []reply{html},
			hits: 3, kind: "*APIError", is: []error{ErrServer}, isNot: []error{ErrRateLimited}, waits: backoff2,
			check: func(t *testing.T, err error) {
				var ae *APIError
				require.ErrorAs(t, err, &ae)
				assert.Empty(t, ae.Errors)
				assert.Contains(t, string(ae.Body), "<h1>502 Bad Gateway</h1>")
				assert.Equal(t, "telnyx: GET /portouts/{id}: 502 Bad Gateway", err.Error())
			}},
		{name: "429 Retry-After seconds", replies: []reply{answer(429, "", "Retry-After", "2"), ok},
			hits: 2, kind: "ok", waits: []time.Duration{2 * time.Second}},
		{name: "429 Retry-After HTTP date", replies: []reply{func(w http.ResponseWriter, r *http.Request) {
			answer(429, "", "Retry-After", time.Now().Add(3*time.Second).UTC().Format(http.TimeFormat))(w, r)
		}, ok},
			hits: 2, kind: "ok", minWait: time.Second, maxWait: 3 * time.Second},
		{name: "429 Retry-After-Ms", replies: []reply{answer(429, "", "Retry-After-Ms", "1500", "Retry-After", "7"), ok},
			hits: 2, kind: "ok", waits: []time.Duration{1500 * time.Millisecond}},
		{name: "429 asking for an hour", replies: []reply{answer(429, errorBody("10011", "Too many requests", ""), "Retry-After", "3600"), ok},
			hits: 1, kind: "*APIError", is: []error{ErrRateLimited}, isNot: []error{ErrServer},
			check: func(t *testing.T, err error) {
				var ae *APIError
				require.ErrorAs(t, err, &ae)
				assert.Equal(t, time.Hour, ae.RetryAfter)
				assert.Contains(t, err.Error(), "(retry after 1h0m0s)")
			}},
		{name: "429 asking for an hour in ms", replies: []reply{answer(429, "", "Retry-After-Ms", "3600000"), ok},
			hits: 1, kind: "*APIError", is: []error{ErrRateLimited},
			check: func(t *testing.T, err error) {
				var ae *APIError
				require.ErrorAs(t, err, &ae)
				assert.Equal(t, time.Hour, ae.RetryAfter)
			}},
		{name: "empty 200 body", replies: []reply{answer(200, "")},
			hits: 1, kind: "*DecodeError"},
		{name: "malformed JSON in 200", replies: []reply{answer(200, `{"data":{"id":"p1",,}}`)},
			hits: 1, kind: "*DecodeError", check: func(t *testing.T, err error) {
				var se *json.SyntaxError
				assert.ErrorAs(t, err, &se)
			}},
		{name: "truncated JSON in 200", replies: []reply{answer(200, `{"data":{"id":"p1","stat`)},
			hits: 1, kind: "*DecodeError", isNot: []error{io.ErrUnexpectedEOF}},
		{name: "HTML in 200", replies: []reply{answer(200, "<html>captive portal</html>", "Content-Type", "text/html")},
			hits: 1, kind: "*DecodeError"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			runFault(t, tc, func(ctx context.Context, c *Client) error {
				p, err := c.Portouts.Get(ctx, "p1")
				if err == nil {
					assert.Equal(t, "p1", p.ID)
				} else {
					assert.Nil(t, p)
				}
				return err
			})
		})
	}
}

func TestFaultsOnPatch(t *testing.T) {
	t.Parallel()
	ok := answer(200, `{"data":{"id":"p1","status":"authorized"}}`)
	backoff2 := []time.Duration{500 * time.Millisecond, time.Second}
	tests := []faultCase{
		// PATCH sets a status: sending it twice is harmless, so it is
		// retried like a GET.
		{name: "reset after request read", replies: []reply{resetAfterRead},
			hits: 3, kind: "*ConnectionError", is: []error{syscall.ECONNRESET}, waits: backoff2},
		{name: "503 503 then ok", replies: []reply{answer(503, ""), answer(503, ""), ok},
			hits: 3, kind: "ok", waits: backoff2},
		{name: "cut off then ok", replies: []reply{cutOff, ok},
			hits: 2, kind: "ok", waits: backoff2[:1]},
		{name: "422 not retried", replies: []reply{answer(422, errorBody("10015", "Bad Request", "reason is required"))},
			hits: 1, kind: "*APIError", is: []error{ErrUnprocessable}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			runFault(t, tc, func(ctx context.Context, c *Client) error {
				p, err := c.Portouts.UpdateStatus(ctx, "p1", PortoutStatusAuthorized, PortoutUpdateStatusParams{})
				if err == nil {
					assert.Equal(t, PortoutStatusAuthorized, p.Status)
				}
				return err
			})
		})
	}
}

// postOp is one of the API's POST calls, which create or trigger something
// and so must reach the server at most once unless the server cannot have
// acted on it.
type postOp struct {
	name      string
	path      string // the escaped path the server sees
	ok        reply  // a success answer
	readsBody bool   // the call decodes the response body
	call      func(ctx context.Context, c *Client) error
}

func postOps() []postOp {
	return []postOp{
		{"Comments.Create", "/v2/portouts/p1/comments", answer(201, `{"data":{"id":"c1","body":"hello"}}`), true,
			func(ctx context.Context, c *Client) error {
				_, err := c.Portouts.Comments.Create(ctx, "p1", PortoutCommentCreateParams{Body: "hello"})
				return err
			}},
		{"Reports.Create", "/v2/portouts/reports", answer(201, `{"data":{"id":"r1","status":"pending"}}`), true,
			func(ctx context.Context, c *Client) error {
				_, err := c.Portouts.Reports.Create(ctx, PortoutReportCreateParams{})
				return err
			}},
		{"Events.Republish", "/v2/portouts/events/e1/republish", answer(204, ""), false,
			func(ctx context.Context, c *Client) error {
				return c.Portouts.Events.Republish(ctx, "e1")
			}},
		{"SupportingDocuments.Create", "/v2/portouts/p1/supporting_documents", answer(201, `{"data":[{"id":"s1"}]}`), true,
			func(ctx context.Context, c *Client) error {
				_, err := c.Portouts.SupportingDocuments.Create(ctx, "p1", PortoutSupportingDocumentCreateParams{
					Documents: []SupportingDocumentParam{{DocumentID: "d1", Type: SupportingDocumentLOA}},
				})
				return err
			}},
		{"Documents.Upload", "/v2/documents", answer(201, `{"data":{"id":"d1"}}`), true,
			func(ctx context.Context, c *Client) error {
				// A seekable file: the upload may be replayed when the
				// rules allow it.
				_, err := c.Documents.Upload(ctx, DocumentUploadParams{Filename: "loa.pdf", File: bytes.NewReader([]byte("%PDF-1.4 test"))})
				return err
			}},
	}
}

func TestFaultsOnPosts(t *testing.T) {
	t.Parallel()
	html := answer(502, "<html>bad gateway</html>", "Content-Type", "text/html")
	for _, op := range postOps() {
		// Every fault the server may have acted on: the POST is sent once.
		// Only answers that prove it did not act (408, 429, x-should-retry:
		// true) are followed by a second attempt.
		tests := []faultCase{
			{name: "reset after request read", replies: []reply{resetAfterRead, op.ok},
				hits: 1, kind: "*ConnectionError", is: []error{syscall.ECONNRESET}},
			{name: "never answers, per-attempt timeout", hang: true, opts: []Option{WithRequestTimeout(faultTimeout)},
				hits: 1, kind: "*ConnectionError", is: []error{context.DeadlineExceeded}},
			{name: "500", replies: []reply{answer(500, errorBody("10007", "Unexpected error", "")), op.ok},
				hits: 1, kind: "*APIError", is: []error{ErrServer}},
			{name: "HTML 502", replies: []reply{html, op.ok},
				hits: 1, kind: "*APIError", is: []error{ErrServer}},
			{name: "503", replies: []reply{answer(503, ""), op.ok},
				hits: 1, kind: "*APIError", is: []error{ErrServer}},
			{name: "504", replies: []reply{answer(504, ""), op.ok},
				hits: 1, kind: "*APIError", is: []error{ErrServer}},
			{name: "503 with x-should-retry false", replies: []reply{answer(503, "", "X-Should-Retry", "false"), op.ok},
				hits: 1, kind: "*APIError", is: []error{ErrServer}},
			{name: "503 with x-should-retry true then ok", replies: []reply{answer(503, "", "X-Should-Retry", "true"), op.ok},
				hits: 2, kind: "ok", waits: []time.Duration{500 * time.Millisecond}},
			{name: "429 Retry-After then ok", replies: []reply{answer(429, "", "Retry-After", "1"), op.ok},
				hits: 2, kind: "ok", waits: []time.Duration{time.Second}},
			{name: "429 with x-should-retry false", replies: []reply{answer(429, "", "X-Should-Retry", "false"), op.ok},
				hits: 1, kind: "*APIError", is: []error{ErrRateLimited}},
			{name: "408 then ok", replies: []reply{answer(408, ""), op.ok},
				hits: 2, kind: "ok", waits: []time.Duration{500 * time.Millisecond}},
		}
		cut := faultCase{name: "cut off mid-body", replies: []reply{cutOff, op.ok}, hits: 1}
		if op.readsBody {
			cut.kind, cut.is = "*ConnectionError", []error{io.ErrUnexpectedEOF}
		} else {
			cut.kind = "ok" // a 2xx status is the whole answer; the body is not read
		}
		tests = append(tests, cut)
		for _, tc := range tests {
			t.Run(op.name+"/"+tc.name, func(t *testing.T) {
				t.Parallel()
				runFault(t, tc, op.call)
			})
		}
	}
}

// errKind names the error type of a call's result, for tables and logs.
func errKind(err error) string {
	var (
		ae *APIError
		ce *ConnectionError
		de *DecodeError
		ie *InvalidParamsError
	)
	switch {
	case err == nil:
		return "ok"
	case errors.As(err, &ae):
		return "*APIError"
	case errors.As(err, &ce):
		return "*ConnectionError"
	case errors.As(err, &de):
		return "*DecodeError"
	case errors.As(err, &ie):
		return "*InvalidParamsError"
	}
	return fmt.Sprintf("%T", err)
}

// logFault writes one row of the fault table; run with -v and grep FAULT.
func logFault(t *testing.T, fault string, hits int, err error, elapsed time.Duration) {
	t.Helper()
	t.Logf("FAULT | %s | server saw %d | %s | is %s | %s", fault, hits, errKind(err), isList(err), elapsed.Round(time.Millisecond))
}

// sentinels are the errors the fault table checks errors.Is against.
var sentinels = []struct {
	name string
	err  error
}{
	{"ErrServer", ErrServer},
	{"ErrRateLimited", ErrRateLimited},
	{"DeadlineExceeded", context.DeadlineExceeded},
	{"Canceled", context.Canceled},
	{"ECONNREFUSED", syscall.ECONNREFUSED},
	{"ECONNRESET", syscall.ECONNRESET},
	{"ErrUnexpectedEOF", io.ErrUnexpectedEOF},
}

// isList names every sentinel err matches, for the logged fault table.
func isList(err error) string {
	var out []string
	for _, s := range sentinels {
		if errors.Is(err, s.err) {
			out = append(out, s.name)
		}
	}
	if len(out) == 0 {
		return "-"
	}
	return strings.Join(out, ",")
}
