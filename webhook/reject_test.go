package webhook

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	telnyx "github.com/a54710f5/telnyx-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// WithOnReject hears about every answer but 200, with the reason.
func TestHandlerOnReject(t *testing.T) {
	t.Parallel()
	_, otherKey := newKey(t)
	fnErr := errors.New("database down")
	body := []byte(newCommentJSON)

	tests := []struct {
		name       string
		method     string
		body       []byte
		header     http.Header
		fnErr      error
		wantStatus int
		wantErr    func(error) bool
	}{
		{"accepted", http.MethodPost, body, signedHeader(fixedKey, testNow, body), nil, http.StatusOK, nil},
		{"GET", http.MethodGet, nil, http.Header{}, nil, http.StatusMethodNotAllowed,
			func(err error) bool { return errors.Is(err, ErrMethodNotAllowed) }},
		{"too large", http.MethodPost, padTo(newCommentJSON, maxBodySize+1), signedHeader(fixedKey, testNow, body), nil, http.StatusRequestEntityTooLarge,
			func(err error) bool { var m *http.MaxBytesError; return errors.As(err, &m) }},
		{"unsigned", http.MethodPost, body, http.Header{}, nil, http.StatusUnauthorized,
			func(err error) bool { return errors.Is(err, ErrMissingHeader) }},
		{"another account's key", http.MethodPost, body, signedHeader(otherKey, testNow, body), nil, http.StatusUnauthorized,
			func(err error) bool { return errors.Is(err, ErrInvalidSignature) }},
		{"signed, not an event", http.MethodPost, []byte(`{}`), signedHeader(fixedKey, testNow, []byte(`{}`)), nil, http.StatusBadRequest,
			func(err error) bool { return errors.Is(err, ErrMalformedBody) }},
		{"callback fails", http.MethodPost, body, signedHeader(fixedKey, testNow, body), fnErr, http.StatusInternalServerError,
			func(err error) bool { return errors.Is(err, fnErr) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			type rejection struct {
				path   string
				status int
				err    error
			}
			var got []rejection
			v := newTestVerifier(t, pubKey(fixedKey), WithOnReject(func(r *http.Request, status int, err error) {
				got = append(got, rejection{r.URL.Path, status, err})
			}))
			h := v.Handler(func(context.Context, *telnyx.PortoutEvent) error { return tc.fnErr })
			req := httptest.NewRequestWithContext(t.Context(), tc.method, "/hooks/telnyx", bytes.NewReader(tc.body))
			req.Header = tc.header
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)

			assert.Equal(t, tc.wantStatus, rec.Code)
			if tc.wantErr == nil {
				assert.Empty(t, got, "an accepted delivery is not a rejection")
				return
			}
			require.Len(t, got, 1)
			assert.Equal(t, "/hooks/telnyx", got[0].path)
			assert.Equal(t, tc.wantStatus, got[0].status)
			assert.True(t, tc.wantErr(got[0].err), "reason: %v", got[0].err)
		})
	}
}

func TestWithOnRejectNil(t *testing.T) {
	t.Parallel()
	_, err := NewVerifier(pubKey(fixedKey), WithOnReject(nil))
	assert.ErrorContains(t, err, "WithOnReject")
}
