package webhook

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	telnyx "github.com/a54710f5/telnyx-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type ctxKey struct{}

// errReader fails every read, like a client that hangs up mid-body.
type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errors.New("connection reset") }

func TestHandler(t *testing.T) {
	t.Parallel()
	_, otherKey := newKey(t)
	signed := func(body []byte) http.Header { return signedHeader(fixedKey, testNow, body) }
	const secret = "db password is hunter2"

	tests := []struct {
		name       string
		method     string
		body       []byte
		reader     io.Reader // overrides body when set
		length     int64     // Content-Length to declare; 0 means len(body), -1 unknown
		header     func(body []byte) http.Header
		fnErr      error
		verifier   *Verifier // overrides the default when set
		wantStatus int
		wantCalled bool
	}{
		{name: "valid flat event", method: http.MethodPost, body: []byte(statusChangedJSON), header: signed,
			wantStatus: http.StatusOK, wantCalled: true},
		{name: "valid envelope", method: http.MethodPost, body: []byte(envelope(newCommentJSON)), header: signed,
			wantStatus: http.StatusOK, wantCalled: true},
		{name: "unknown event type", method: http.MethodPost, body: []byte(unknownJSON), header: signed,
			wantStatus: http.StatusOK, wantCalled: true},
		{name: "body of exactly 1 MiB", method: http.MethodPost, body: padTo(focDateChangedJSON, maxBodySize), header: signed,
			wantStatus: http.StatusOK, wantCalled: true},
		{name: "body of exactly 1 MiB, length unknown", method: http.MethodPost, body: padTo(focDateChangedJSON, maxBodySize), length: -1, header: signed,
			wantStatus: http.StatusOK, wantCalled: true},

		{name: "GET", method: http.MethodGet, header: signed, wantStatus: http.StatusMethodNotAllowed},
		{name: "HEAD", method: http.MethodHead, header: signed, wantStatus: http.StatusMethodNotAllowed},
		{name: "PUT with a valid delivery", method: http.MethodPut, body: []byte(newCommentJSON), header: signed, wantStatus: http.StatusMethodNotAllowed},

		{name: "declared too large", method: http.MethodPost, body: padTo(newCommentJSON, maxBodySize+1), header: signed,
			wantStatus: http.StatusRequestEntityTooLarge},
		{name: "too large, length unknown", method: http.MethodPost, body: padTo(newCommentJSON, maxBodySize+1), length: -1, header: signed,
			wantStatus: http.StatusRequestEntityTooLarge},
		{name: "body read fails", method: http.MethodPost, reader: errReader{}, length: -1, header: signed,
			wantStatus: http.StatusBadRequest},

		{name: "no signature headers", method: http.MethodPost, body: []byte(newCommentJSON),
			header: func([]byte) http.Header { return http.Header{} }, wantStatus: http.StatusUnauthorized},
		{name: "missing timestamp", method: http.MethodPost, body: []byte(newCommentJSON),
			header: func(b []byte) http.Header { h := signed(b); h.Del(TimestampHeader); return h }, wantStatus: http.StatusUnauthorized},
		{name: "wrong key", method: http.MethodPost, body: []byte(newCommentJSON),
			header: func(b []byte) http.Header { return signedHeader(otherKey, testNow, b) }, wantStatus: http.StatusUnauthorized},
		{name: "tampered body", method: http.MethodPost, body: []byte(newCommentJSON),
			header: func(b []byte) http.Header {
				return signed([]byte(strings.Replace(string(b), "comment.", "comment!", 1)))
			},
			wantStatus: http.StatusUnauthorized},
		{name: "stale", method: http.MethodPost, body: []byte(newCommentJSON),
			header: func(b []byte) http.Header { return signedHeader(fixedKey, testNow.Add(-6*time.Minute), b) }, wantStatus: http.StatusUnauthorized},
		{name: "future", method: http.MethodPost, body: []byte(newCommentJSON),
			header: func(b []byte) http.Header { return signedHeader(fixedKey, testNow.Add(6*time.Minute), b) }, wantStatus: http.StatusUnauthorized},

		{name: "malformed signature", method: http.MethodPost, body: []byte(newCommentJSON),
			header: func(b []byte) http.Header { h := signed(b); h.Set(SignatureHeader, "%%%"); return h }, wantStatus: http.StatusBadRequest},
		{name: "malformed timestamp", method: http.MethodPost, body: []byte(newCommentJSON),
			header: func(b []byte) http.Header { h := signed(b); h.Set(TimestampHeader, "soon"); return h }, wantStatus: http.StatusBadRequest},
		{name: "signed body that is not an event", method: http.MethodPost, body: []byte(`{"hello": "world"}`), header: signed,
			wantStatus: http.StatusBadRequest},
		{name: "signed empty body", method: http.MethodPost, header: signed, wantStatus: http.StatusBadRequest},

		{name: "callback fails", method: http.MethodPost, body: []byte(newCommentJSON), header: signed,
			fnErr: errors.New(secret), wantStatus: http.StatusInternalServerError, wantCalled: true},
		{name: "zero Verifier", method: http.MethodPost, body: []byte(newCommentJSON), header: signed,
			verifier: &Verifier{}, wantStatus: http.StatusInternalServerError},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			v := tc.verifier
			if v == nil {
				v = newTestVerifier(t, pubKey(fixedKey))
			}
			var calls atomic.Int32
			var gotEvent *telnyx.PortoutEvent
			var gotCtxValue any
			h := v.Handler(func(ctx context.Context, ev *telnyx.PortoutEvent) error {
				calls.Add(1)
				gotEvent, gotCtxValue = ev, ctx.Value(ctxKey{})
				return tc.fnErr
			})

			var body io.Reader = bytes.NewReader(tc.body)
			if tc.reader != nil {
				body = tc.reader
			}
			req := httptest.NewRequestWithContext(context.WithValue(t.Context(), ctxKey{}, "request ctx"), tc.method, "/webhooks", body)
			switch tc.length {
			case 0:
				req.ContentLength = int64(len(tc.body))
			case -1:
				req.ContentLength = -1
				req.Body = io.NopCloser(body) // hide the length from ReadAll's sizing too
			}
			for k, vs := range tc.header(tc.body) {
				req.Header[k] = vs
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)

			assert.Equal(t, tc.wantStatus, rec.Code)
			if tc.wantCalled {
				assert.Equal(t, int32(1), calls.Load())
				require.NotNil(t, gotEvent)
				assert.NotEmpty(t, gotEvent.EventType)
				assert.Equal(t, "request ctx", gotCtxValue)
			} else {
				assert.Zero(t, calls.Load(), "callback must not be called")
			}
			if tc.wantStatus == http.StatusMethodNotAllowed {
				assert.Equal(t, http.MethodPost, rec.Header().Get("Allow"))
			}
			if tc.wantStatus != http.StatusOK {
				resp := rec.Body.String()
				assert.Equal(t, replies[tc.wantStatus]+"\n", resp)
				assert.NotContains(t, resp, "telnyx:")
				assert.NotContains(t, resp, secret)
				assert.Len(t, resp, len(replies[tc.wantStatus])+1)
			}
		})
	}
}

func TestHandlerPassesTypedEvent(t *testing.T) {
	t.Parallel()
	v := newTestVerifier(t, pubKey(fixedKey))
	var got *telnyx.PortoutEvent
	h := v.Handler(func(_ context.Context, ev *telnyx.PortoutEvent) error { got = ev; return nil })
	body := []byte(envelope(focDateChangedJSON))
	req := httptest.NewRequestWithContext(t.Context(), http.MethodPost, "/", bytes.NewReader(body))
	for k, vs := range signedHeader(fixedKey, testNow, body) {
		req.Header[k] = vs
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	require.Equal(t, http.StatusOK, rec.Code)
	assert.Equal(t, wantFocDateChanged(), got)
}

func TestHandlerNilCallbackPanics(t *testing.T) {
	t.Parallel()
	v := newTestVerifier(t, pubKey(fixedKey))
	assert.PanicsWithValue(t, "telnyx: webhook: Handler: nil callback", func() { v.Handler(nil) })
}

// TestHandlerOverHTTP runs the handler behind a real server, with bodies of
// known and unknown (chunked) length.
func TestHandlerOverHTTP(t *testing.T) {
	t.Parallel()
	v := newTestVerifier(t, pubKey(fixedKey))
	var calls atomic.Int32
	srv := httptest.NewServer(v.Handler(func(context.Context, *telnyx.PortoutEvent) error {
		calls.Add(1)
		return nil
	}))
	defer srv.Close()

	post := func(body []byte, chunked bool) int {
		t.Helper()
		var r io.Reader = bytes.NewReader(body)
		if chunked {
			r = io.MultiReader(r) // unknown length: sent chunked
		}
		req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, srv.URL, r)
		require.NoError(t, err)
		for k, vs := range signedHeader(fixedKey, testNow, body) {
			req.Header[k] = vs
		}
		resp, err := srv.Client().Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		_, _ = io.Copy(io.Discard, resp.Body)
		return resp.StatusCode
	}

	assert.Equal(t, http.StatusOK, post([]byte(newCommentJSON), false))
	assert.Equal(t, http.StatusOK, post([]byte(newCommentJSON), true))
	// Oversized bodies are covered by TestHandler: over a real connection
	// the server lingers 500ms before closing one with an unread body.
	assert.Equal(t, int32(2), calls.Load())
}
