package telnyx

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAPIErrorExactMessage(t *testing.T) {
	t.Parallel()
	c, mock := newTestClient(t)
	mock.RegisterResponder("PATCH", testURL("portouts/p%2F1/authorized"),
		jsonResponder(422, `{"errors":[{"code":10015,"title":"Bad Request","detail":"reason is required","source":{"pointer":"/reason"}}]}`).
			HeaderAdd(http.Header{"X-Request-Id": {"7f3a"}}))
	_, err := c.Portouts.UpdateStatus(t.Context(), "p/1", PortoutStatusAuthorized, PortoutUpdateStatusParams{})
	require.Error(t, err)
	assert.Equal(t,
		"telnyx: PATCH /portouts/{id}/authorized: 422 Unprocessable Entity: 10015 Bad Request: reason is required (source /reason) [request 7f3a]",
		err.Error())

	var ae *APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, 422, ae.StatusCode)
	assert.Equal(t, "PATCH", ae.Method)
	assert.Equal(t, "/portouts/{id}/authorized", ae.Path)
	assert.Equal(t, "7f3a", ae.RequestID)
	assert.Equal(t, 1, ae.Attempts)
	assert.Zero(t, ae.RetryAfter)
	require.Len(t, ae.Errors, 1)
	assert.Equal(t, ErrorDetail{Code: "10015", Title: "Bad Request", Detail: "reason is required", Source: ErrorSource{Pointer: "/reason"}}, ae.Errors[0])
	assert.ErrorIs(t, err, ErrUnprocessable)
}

func TestAPIErrorDecoding(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		status     int
		body       string
		header     http.Header
		wantErrors []ErrorDetail
		wantMsg    string
	}{
		{
			name: "code as string", status: 404,
			body:       `{"errors":[{"code":"10005","title":"Resource not found","detail":"The requested resource or URL could not be found."}]}`,
			wantErrors: []ErrorDetail{{Code: "10005", Title: "Resource not found", Detail: "The requested resource or URL could not be found."}},
			wantMsg:    "telnyx: GET /portouts/{id}: 404 Not Found: 10005 Resource not found: The requested resource or URL could not be found.",
		},
		{
			name: "code as number", status: 400,
			body:       `{"errors":[{"code":10015,"title":"Invalid value"}]}`,
			wantErrors: []ErrorDetail{{Code: "10015", Title: "Invalid value"}},
			wantMsg:    "telnyx: GET /portouts/{id}: 400 Bad Request: 10015 Invalid value",
		},
		{
			name: "code null, detail only", status: 409,
			body:       `{"errors":[{"code":null,"detail":"already authorized"}]}`,
			wantErrors: []ErrorDetail{{Detail: "already authorized"}},
			wantMsg:    "telnyx: GET /portouts/{id}: 409 Conflict: already authorized",
		},
		{
			name: "several errors, parameter source, meta", status: 422,
			body: `{"errors":[
				{"code":"10015","title":"Bad Request","detail":"too big","source":{"parameter":"page[size]"},"meta":{"url":"https://developers.telnyx.com"}},
				{"code":"10016","title":"Other"},
				{"code":"10017","title":"Third"}]}`,
			wantErrors: []ErrorDetail{
				{Code: "10015", Title: "Bad Request", Detail: "too big", Source: ErrorSource{Parameter: "page[size]"}, Meta: map[string]any{"url": "https://developers.telnyx.com"}},
				{Code: "10016", Title: "Other"},
				{Code: "10017", Title: "Third"},
			},
			wantMsg: "telnyx: GET /portouts/{id}: 422 Unprocessable Entity: 10015 Bad Request: too big (source page[size]) (+2 more)",
		},
		{
			name: "line breaks folded", status: 400,
			body:       `{"errors":[{"code":"1","title":"Bad\nRequest","detail":"line one\r\nline two"}]}`,
			wantErrors: []ErrorDetail{{Code: "1", Title: "Bad\nRequest", Detail: "line one\r\nline two"}},
			wantMsg:    "telnyx: GET /portouts/{id}: 400 Bad Request: 1 Bad Request: line one line two",
		},
		{
			name: "HTML body", status: 502,
			body:    "<html><head><title>502 Bad Gateway</title></head>\n<body>nginx</body></html>",
			wantMsg: "telnyx: GET /portouts/{id}: 502 Bad Gateway",
		},
		{
			name: "empty body", status: 401,
			wantMsg: "telnyx: GET /portouts/{id}: 401 Unauthorized",
		},
		{
			name: "malformed JSON", status: 403,
			body:    `{"errors":[{"code":"1"`,
			wantMsg: "telnyx: GET /portouts/{id}: 403 Forbidden",
		},
		{
			name: "errors of the wrong shape", status: 400,
			body:    `{"errors":"nope"}`,
			wantMsg: "telnyx: GET /portouts/{id}: 400 Bad Request",
		},
		{
			name: "JSON without errors", status: 404,
			body:    `{"message":"not here"}`,
			wantMsg: "telnyx: GET /portouts/{id}: 404 Not Found",
		},
		{
			name: "request ID from Request-Id", status: 404,
			header:  http.Header{"Request-Id": {"rid-2"}},
			wantMsg: "telnyx: GET /portouts/{id}: 404 Not Found [request rid-2]",
		},
		{
			name: "X-Request-Id preferred", status: 404,
			header:  http.Header{"Request-Id": {"rid-2"}, "X-Request-Id": {"rid-1"}},
			wantMsg: "telnyx: GET /portouts/{id}: 404 Not Found [request rid-1]",
		},
		{
			name: "unknown status", status: 499,
			wantMsg: "telnyx: GET /portouts/{id}: 499",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, mock := newTestClient(t)
			mock.RegisterNoResponder(httpmock.NewStringResponder(tt.status, tt.body).HeaderAdd(tt.header))
			_, err := c.Portouts.Get(t.Context(), "p1")
			var ae *APIError
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, tt.status, ae.StatusCode)
			assert.Equal(t, tt.wantErrors, ae.Errors)
			assert.Equal(t, tt.body, string(ae.Body), "the raw body is kept")
			assert.Equal(t, tt.wantMsg, err.Error())
		})
	}
}

func TestAPIErrorBodyIsBounded(t *testing.T) {
	t.Parallel()
	big := "<html>" + strings.Repeat("x", 2<<20) + "</html>"
	c, mock := newTestClient(t)
	mock.RegisterNoResponder(httpmock.NewStringResponder(400, big))
	_, err := c.Portouts.Get(t.Context(), "p1")
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	assert.Len(t, ae.Body, 1<<20)
	assert.Equal(t, big[:1<<20], string(ae.Body))
	assert.Less(t, len(err.Error()), 200, "the body is not in the message")
}

func TestAPIErrorIsSentinels(t *testing.T) {
	t.Parallel()
	sentinels := []error{ErrBadRequest, ErrUnauthorized, ErrForbidden, ErrNotFound, ErrConflict, ErrUnprocessable, ErrRateLimited, ErrServer}
	tests := []struct {
		status int
		want   error // nil: none matches
	}{
		{400, ErrBadRequest},
		{401, ErrUnauthorized},
		{403, ErrForbidden},
		{404, ErrNotFound},
		{409, ErrConflict},
		{422, ErrUnprocessable},
		{429, ErrRateLimited},
		{500, ErrServer},
		{501, ErrServer},
		{502, ErrServer},
		{503, ErrServer},
		{504, ErrServer},
		{599, ErrServer},
		{402, nil},
		{405, nil},
		{408, nil},
		{410, nil},
		{499, nil},
		{600, nil},
		{302, nil},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.status), func(t *testing.T) {
			t.Parallel()
			err := fmt.Errorf("wrapped: %w", &APIError{StatusCode: tt.status, Method: "GET", Path: "/portouts"})
			for _, s := range sentinels {
				assert.Equal(t, errors.Is(tt.want, s), errors.Is(err, s), "errors.Is(%d, %v)", tt.status, s)
			}
			assert.False(t, errors.Is(err, ErrMissingAPIKey))
			var ae *APIError
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, tt.status, ae.StatusCode)
		})
	}
}

func TestSentinelsThroughTheClient(t *testing.T) {
	t.Parallel()
	for status, want := range map[int]error{400: ErrBadRequest, 401: ErrUnauthorized, 403: ErrForbidden, 404: ErrNotFound, 409: ErrConflict, 422: ErrUnprocessable, 429: ErrRateLimited, 500: ErrServer, 503: ErrServer} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			t.Parallel()
			c, mock := newTestClient(t, WithMaxRetries(0))
			mock.RegisterNoResponder(jsonResponder(status, errorBody("1", "t", "d")))
			_, err := c.Portouts.Get(t.Context(), "p1")
			assert.ErrorIs(t, err, want)
		})
	}
}

func TestSentinelMessages(t *testing.T) {
	t.Parallel()
	for _, s := range []error{ErrMissingAPIKey, ErrBadRequest, ErrUnauthorized, ErrForbidden, ErrNotFound, ErrConflict, ErrUnprocessable, ErrRateLimited, ErrServer} {
		assert.True(t, strings.HasPrefix(s.Error(), "telnyx: "), s.Error())
	}
}

func TestAPIErrorMessageParts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		err  *APIError
		want string
	}{
		{"bare", &APIError{StatusCode: 500, Method: "GET", Path: "/portouts"}, "telnyx: GET /portouts: 500 Internal Server Error"},
		{"retry after", &APIError{StatusCode: 429, Method: "GET", Path: "/portouts", RetryAfter: time.Hour, RequestID: "r"},
			"telnyx: GET /portouts: 429 Too Many Requests (retry after 1h0m0s) [request r]"},
		{"title only", &APIError{StatusCode: 400, Method: "POST", Path: "/documents", Errors: []ErrorDetail{{Title: "Bad"}}},
			"telnyx: POST /documents: 400 Bad Request: Bad"},
		{"empty detail entry", &APIError{StatusCode: 400, Method: "POST", Path: "/documents", Errors: []ErrorDetail{{}}},
			"telnyx: POST /documents: 400 Bad Request"},
		{"source only", &APIError{StatusCode: 400, Method: "POST", Path: "/documents", Errors: []ErrorDetail{{Source: ErrorSource{Pointer: "/file"}}}},
			"telnyx: POST /documents: 400 Bad Request (source /file)"},
		{"request ID with line break", &APIError{StatusCode: 404, Method: "GET", Path: "/x", RequestID: "a\nb"},
			"telnyx: GET /x: 404 Not Found [request a b]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, tt.err.Error())
		})
	}
}

func TestErrorDetailUnmarshal(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, json, code string
		wantErr          bool
	}{
		{"string", `{"code":"10015"}`, "10015", false},
		{"number", `{"code":10015}`, "10015", false},
		{"null", `{"code":null}`, "", false},
		{"absent", `{}`, "", false},
		{"bool kept as text", `{"code":true}`, "true", false},
		{"not an object", `[1]`, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var d ErrorDetail
			err := d.UnmarshalJSON([]byte(tt.json))
			if tt.wantErr {
				assert.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.code, d.Code)
		})
	}
}

func TestConnectionError(t *testing.T) {
	t.Parallel()
	e := &ConnectionError{Method: "GET", Path: "/portouts/{id}", Attempts: 3, Err: fmt.Errorf("dial: %w", context.DeadlineExceeded)}
	assert.Equal(t, "telnyx: GET /portouts/{id}: dial: context deadline exceeded (after 3 attempts)", e.Error())
	assert.ErrorIs(t, e, context.DeadlineExceeded)
	assert.ErrorIs(t, fmt.Errorf("outer: %w", e), context.DeadlineExceeded)

	one := &ConnectionError{Method: "POST", Path: "/documents", Attempts: 1, Err: errors.New("reset\nby peer")}
	assert.Equal(t, "telnyx: POST /documents: reset by peer (after 1 attempt)", one.Error())

	empty := &ConnectionError{Method: "GET", Path: "/x"}
	assert.NotPanics(t, func() { _ = empty.Error() })
	assert.NoError(t, empty.Unwrap())
}

func TestConnectionErrorThroughTheClient(t *testing.T) {
	t.Parallel()
	c, mock := newTestClient(t)
	mock.RegisterNoResponder(httpmock.NewErrorResponder(dialRefused))
	_, err := c.Portouts.Get(t.Context(), "p1")
	var ce *ConnectionError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, 3, ce.Attempts)
	assert.ErrorIs(t, err, dialRefused)
	assert.Regexp(t, `^telnyx: GET /portouts/\{id\}: dial tcp: connect: connection refused \(after 3 attempts\)$`, err.Error())
	assert.NotContains(t, err.Error(), "https://", "the *url.Error wrapper with the full URL is dropped")
	var ae *APIError
	assert.False(t, errors.As(err, &ae))
}

func TestInvalidParamsError(t *testing.T) {
	t.Parallel()
	e := &InvalidParamsError{Field: "Page.Size", Reason: "300 is outside 1 to 250"}
	assert.Equal(t, "telnyx: invalid Page.Size: 300 is outside 1 to 250", e.Error())
	var ipe *InvalidParamsError
	assert.ErrorAs(t, fmt.Errorf("x: %w", e), &ipe)
}

func TestDecodeErrorUnwraps(t *testing.T) {
	t.Parallel()
	inner := errors.New("bad\nthing")
	e := &DecodeError{Method: "GET", Path: "/portouts", StatusCode: 200, Err: inner}
	assert.Equal(t, "telnyx: GET /portouts: decoding 200 response: bad thing", e.Error())
	assert.ErrorIs(t, e, inner)
}

func TestAttachErrorSaysWhenTheLinkIsUnconfirmed(t *testing.T) {
	uploaded := []SupportingDocumentParam{{DocumentID: "doc1", Type: SupportingDocumentLOA}}
	lost := &AttachError{PortoutID: "po1", Uploaded: uploaded, Err: &ConnectionError{Method: "POST", Path: "/portouts/{id}/supporting_documents", Attempts: 1, Err: errors.New("connection reset")}}
	assert.Contains(t, lost.Error(), "link unconfirmed: doc1")
	refused := &AttachError{PortoutID: "po1", Uploaded: uploaded, Err: &APIError{StatusCode: 422, Method: "POST", Path: "/portouts/{id}/supporting_documents"}}
	assert.Contains(t, refused.Error(), "not linked: doc1")
}

func FuzzDecodeErrors(f *testing.F) {
	for _, s := range []string{
		`{"errors":[{"code":10015,"title":"Bad Request","detail":"reason is required","source":{"pointer":"/reason"}}]}`,
		`{"errors":[{"code":"10005"}]}`, `<html>`, ``, `{"errors":[`, `{"errors":null}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		errs := decodeErrors([]byte(body))
		e := &APIError{StatusCode: 400, Method: "GET", Path: "/x", Errors: errs, Body: []byte(body)}
		msg := e.Error()
		if !strings.HasPrefix(msg, "telnyx: GET /x: 400 Bad Request") {
			t.Fatalf("message %q", msg)
		}
		if strings.ContainsAny(msg, "\r\n") {
			t.Fatalf("message %q spans lines", msg)
		}
	})
}
