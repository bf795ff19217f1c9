package telnyx

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Regression tests for the masking of the API key in text a server sent
// back (review items 1 and 2): a key cut short before it was masked, and a
// key echoed JSON-escaped.

// longKey is longer than the 64 bytes a decode error keeps of a bad value,
// so that a cut echo still holds a long run of it.
const longKey = "KEY0193A7C2E4F6_Hq8Zr2Lw5Nx9Pd3Vb7Tm1Jk4Sg6Yc0Fe8Ua2Oi5Rn9Xw3Lv7Bz1Mq4Dt6"

// keyRun is the shortest run of the key the SDK promises to mask.
const keyRun = 8

// uEscape matches one JSON \uXXXX escape.
var uEscape = regexp.MustCompile(`\\u[0-9a-fA-F]{4}`)

// jsonUnescaped undoes \uXXXX escapes, as a JSON decoder reading s would.
func jsonUnescaped(s string) string {
	return uEscape.ReplaceAllStringFunc(s, func(e string) string {
		var r string
		if json.Unmarshal([]byte(`"`+e+`"`), &r) != nil {
			return e
		}
		return r
	})
}

// escapeAll writes every byte of s as a \u00XX escape.
func escapeAll(s string) string {
	var b strings.Builder
	for i := range len(s) {
		fmt.Fprintf(&b, `\u%04x`, s[i])
	}
	return b.String()
}

// escapeEveryOther escapes every second byte of s.
func escapeEveryOther(s string) string {
	var b strings.Builder
	for i := range len(s) {
		if i%2 == 1 {
			fmt.Fprintf(&b, `\u%04X`, s[i])
		} else {
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// assertNoKeyRun fails when text holds keyRun or more consecutive
// characters of key, as they are or behind JSON escapes.
func assertNoKeyRun(t *testing.T, key, text, where string) {
	t.Helper()
	for _, s := range []string{text, jsonUnescaped(text)} {
		for i := 0; i+keyRun <= len(key); i++ {
			if strings.Contains(s, key[i:i+keyRun]) {
				t.Errorf("%s holds %q, part of the key: %s", where, key[i:i+keyRun], s)
				return
			}
		}
	}
}

// assertErrorMasked checks every printed form of err and the log output.
func assertErrorMasked(t *testing.T, key string, err error, logs string) {
	t.Helper()
	require.Error(t, err)
	for form, s := range printedForms(err) {
		assertNoKeyRun(t, key, s, "the error's "+form)
	}
	assertNoKeyRun(t, key, logs, "the log")
	assert.NotContains(t, err.Error(), "\n")
}

// assertAPIErrorMasked checks every field of an *APIError built from the
// server's text.
func assertAPIErrorMasked(t *testing.T, key string, ae *APIError) {
	t.Helper()
	assertNoKeyRun(t, key, string(ae.Body), "APIError.Body")
	assertNoKeyRun(t, key, ae.RequestID, "APIError.RequestID")
	for i, d := range ae.Errors {
		b, err := json.Marshal(d)
		require.NoError(t, err)
		assertNoKeyRun(t, key, string(b), fmt.Sprintf("APIError.Errors[%d]", i))
	}
}

// echoing answers with the response that build makes of the request's
// Authorization header.
func echoing(status int, header http.Header, build func(auth string) string) httpmock.Responder {
	return func(req *http.Request) (*http.Response, error) {
		resp := httpmock.NewStringResponse(status, build(req.Header.Get("Authorization")))
		resp.Header.Set("Content-Type", "application/json")
		for k, v := range header {
			resp.Header[k] = v
		}
		return resp, nil
	}
}

// maskCase is one way a server sends the key back.
type maskCase struct {
	name    string
	respond httpmock.Responder
	check   func(t *testing.T, err error)
}

func runMaskCases(t *testing.T, key string, cases []maskCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var logs syncBuffer
			c, mock := newTestClient(t, WithAPIKey(key), WithLogger(debugLogger(&logs)))
			mock.RegisterNoResponder(tc.respond)
			_, err := c.Portouts.Get(t.Context(), "p1")
			assertErrorMasked(t, key, err, logs.String())
			assert.NotEmpty(t, logs.String(), "the attempts were logged")
			var ae *APIError
			if errors.As(err, &ae) {
				assertAPIErrorMasked(t, key, ae)
			}
			if tc.check != nil {
				tc.check(t, err)
			}
		})
	}
}

// Item 1: a key cut short by the server, or by the SDK when it quotes a bad
// value, is masked wherever a run of it lands.
func TestKeyCutShortIsMasked(t *testing.T) {
	t.Parallel()
	runMaskCases(t, longKey, []maskCase{
		{
			name: "decode error quoting a timestamp, cut to 64 bytes",
			respond: echoing(200, nil, func(auth string) string {
				return `{"data":{"id":"p1","created_at":"` + auth + `"}}`
			}),
			check: func(t *testing.T, err error) {
				var de *DecodeError
				require.ErrorAs(t, err, &de)
				assert.Contains(t, err.Error(), "created_at")
				assert.Contains(t, err.Error(), "Bearer "+redacted, "the value is shown, masked")
			},
		},
		{
			name: "decode error quoting an escaped timestamp, cut to 64 bytes",
			respond: echoing(200, nil, func(auth string) string {
				key := strings.TrimPrefix(auth, "Bearer ")
				return `{"data":{"id":"p1","created_at":"\/Bearer ` + escapeEveryOther(key) + `"}}`
			}),
			check: func(t *testing.T, err error) {
				var de *DecodeError
				require.ErrorAs(t, err, &de)
				assert.Contains(t, err.Error(), redacted)
			},
		},
		{
			name: "error detail with the first 40 characters of the header",
			respond: echoing(401, nil, func(auth string) string {
				return errorBody("10009", "Authentication failed", "bad token "+auth[:40]+"...")
			}),
			check: func(t *testing.T, err error) {
				var ae *APIError
				require.ErrorAs(t, err, &ae)
				require.Len(t, ae.Errors, 1)
				assert.Equal(t, "bad token Bearer "+redacted+"...", ae.Errors[0].Detail)
				assert.Contains(t, string(ae.Body), "bad token Bearer "+redacted+"...")
			},
		},
		{
			name: "error meta with a run from the middle of the key",
			respond: echoing(403, nil, func(auth string) string {
				return `{"errors":[{"code":"10010","meta":{"seen":["…` + auth[20:35] + `…"]}}]}`
			}),
		},
		{
			name: "HTML error page with the key's tail",
			respond: echoing(502, nil, func(auth string) string {
				return "<html>upstream said: " + auth[len(auth)-12:] + "</html>"
			}),
		},
		{
			name:    "request ID with a slice of the key",
			respond: echoing(400, http.Header{"X-Request-Id": {"req-" + longKey[10:30]}}, func(string) string { return errorBody("10015", "Bad Request", "") }),
			check: func(t *testing.T, err error) {
				var ae *APIError
				require.ErrorAs(t, err, &ae)
				assert.Equal(t, "req-"+redacted, ae.RequestID)
			},
		},
		{
			name:    "transport error quoting part of the key",
			respond: httpmock.NewErrorResponder(errors.New("proxy refused token " + longKey[:24])),
			check: func(t *testing.T, err error) {
				var ce *ConnectionError
				require.ErrorAs(t, err, &ce)
				assert.Contains(t, err.Error(), "proxy refused token "+redacted)
			},
		},
	})
}

// Item 2: a key echoed behind JSON escapes decodes back to the clear key;
// it is masked after decoding too, and APIError.Body keeps the decoded,
// masked text instead of the escapes.
func TestKeyEchoedJSONEscapedIsMasked(t *testing.T) {
	t.Parallel()
	runMaskCases(t, testAPIKey, []maskCase{
		{
			name: "detail fully escaped",
			respond: echoing(401, nil, func(auth string) string {
				return errorBody("10009", "Authentication failed", "bad token "+escapeAll(auth))
			}),
			check: func(t *testing.T, err error) {
				var ae *APIError
				require.ErrorAs(t, err, &ae)
				require.Len(t, ae.Errors, 1)
				assert.Equal(t, "bad token Bearer "+redacted, ae.Errors[0].Detail)
				assert.Contains(t, err.Error(), "bad token Bearer "+redacted)
				assert.Contains(t, string(ae.Body), "bad token Bearer "+redacted, "Body holds the unescaped, masked text")
				var env struct{ Errors []ErrorDetail }
				require.NoError(t, json.Unmarshal(ae.Body, &env), "Body is still JSON")
				assert.Equal(t, ae.Errors, env.Errors)
			},
		},
		{
			name: "every other character escaped",
			respond: echoing(401, nil, func(auth string) string {
				return errorBody("10009", "Authentication failed", "bad token "+escapeEveryOther(auth))
			}),
			check: func(t *testing.T, err error) {
				var ae *APIError
				require.ErrorAs(t, err, &ae)
				assert.Equal(t, "bad token Bearer "+redacted, ae.Errors[0].Detail)
			},
		},
		{
			name: "every field escaped",
			respond: echoing(403, nil, func(auth string) string {
				a := escapeAll(strings.TrimPrefix(auth, "Bearer "))
				return `{"errors":[{"code":"` + a + `","title":"` + a + `","detail":"` + a + `","source":{"pointer":"/` + a +
					`","parameter":"` + a + `"},"meta":{"k":"` + a + `","nested":{"list":["` + a + `"]}}}]}`
			}),
			check: func(t *testing.T, err error) {
				var ae *APIError
				require.ErrorAs(t, err, &ae)
				require.Len(t, ae.Errors, 1)
				d := ae.Errors[0]
				assert.Equal(t, ErrorDetail{
					Code: redacted, Title: redacted, Detail: redacted,
					Source: ErrorSource{Pointer: "/" + redacted, Parameter: redacted},
					Meta:   map[string]any{"k": redacted, "nested": map[string]any{"list": []any{redacted}}},
				}, d)
			},
		},
		{
			name: "escaped key beside other escapes",
			respond: echoing(401, nil, func(auth string) string {
				return `{"errors":[{"code":"10009","title":"Auth \"failed\"\nagain","detail":"token ` + escapeAll(auth) + `"}]}`
			}),
			check: func(t *testing.T, err error) {
				var ae *APIError
				require.ErrorAs(t, err, &ae)
				require.Len(t, ae.Errors, 1, "the details still decode")
				assert.Equal(t, "Auth \"failed\"\nagain", ae.Errors[0].Title)
				assert.Equal(t, "token Bearer "+redacted, ae.Errors[0].Detail)
				assert.Equal(t, `telnyx: GET /portouts/{id}: 401 Unauthorized: 10009 Auth "failed" again: token Bearer `+redacted, err.Error())
			},
		},
		{
			name: "escaped key as a meta member name",
			respond: echoing(422, nil, func(auth string) string {
				return `{"errors":[{"code":"10015","meta":{"` + escapeAll(auth) + `":"seen","ok":"` + escapeAll(auth) + `"}}]}`
			}),
			check: func(t *testing.T, err error) {
				var ae *APIError
				require.ErrorAs(t, err, &ae)
				require.Len(t, ae.Errors, 1)
				assert.Equal(t, map[string]any{"Bearer " + redacted: "seen", "ok": "Bearer " + redacted}, ae.Errors[0].Meta)
			},
		},
		{
			name: "escaped key in a 503 body, retried",
			respond: echoing(503, nil, func(auth string) string {
				return errorBody("10007", "Unavailable", escapeAll(auth))
			}),
			check: func(t *testing.T, err error) {
				var ae *APIError
				require.ErrorAs(t, err, &ae)
				assert.Equal(t, 3, ae.Attempts)
			},
		},
	})
}

// The masking keeps what is not the key, so that errors stay useful, and
// leaves a key too short to mask by runs to whole-key masking.
func TestMaskingKeepsTheRest(t *testing.T) {
	t.Parallel()
	logger := func(buf *syncBuffer) *slog.Logger {
		return slog.New(slog.NewJSONHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	var logs syncBuffer
	c, mock := newTestClient(t, WithAPIKey("KEY12"), WithLogger(logger(&logs)))
	mock.RegisterNoResponder(echoing(401, nil, func(auth string) string {
		return errorBody("10009", "KEY1 KEY12 KEY123", auth)
	}))
	_, err := c.Portouts.Get(t.Context(), "p1")
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "KEY1 "+redacted+" "+redacted+"3", ae.Errors[0].Title)
	assert.Equal(t, "Bearer "+redacted, ae.Errors[0].Detail)
	assert.NotContains(t, logs.String(), "KEY12")
}
