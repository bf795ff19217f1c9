package telnyx

import (
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// WithLogger: one Debug record per attempt, one Warn record per retry, and
// never a header or the key.

func TestWithLoggerOneRecordPerAttempt(t *testing.T) {
	t.Parallel()
	var buf syncBuffer
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, mock := newTestClient(t, WithLogger(logger))
	mock.RegisterNoResponder(sequence(
		statusWith(503, http.Header{"X-Request-Id": {"req-1"}}),
		httpmock.NewErrorResponder(readReset),
		jsonResponder(200, portoutJSON).HeaderAdd(http.Header{"Request-Id": {"req-3"}}),
	))
	_, err := c.Portouts.Get(t.Context(), "a/b")
	require.NoError(t, err)

	all := logRecords(t, &buf)
	var recs, warns []map[string]any
	for _, r := range all {
		if r["level"] == "WARN" {
			warns = append(warns, r)
		} else {
			recs = append(recs, r)
		}
	}
	require.Len(t, recs, 3, "one record per attempt")
	// Each retry is also a Warn record, seen by services that log at Info.
	require.Len(t, warns, 2, "one Warn record per retried attempt")
	assert.EqualValues(t, 503, warns[0]["status"])
	assert.Equal(t, "telnyx request will be retried", warns[0]["msg"])
	assert.EqualValues(t, float64(500*time.Millisecond), warns[0]["wait"])
	assert.Equal(t, "connection", warns[1]["error_kind"])
	assert.NotContains(t, warns[1], "status")
	for i, w := range warns {
		assert.EqualValues(t, i+1, w["attempt"])
		assert.Equal(t, "/portouts/{id}", w["path"])
		assert.Equal(t, "GET", w["method"])
	}
	for i, r := range recs {
		assert.Equal(t, "DEBUG", r["level"])
		assert.Equal(t, "GET", r["method"])
		assert.Equal(t, "/portouts/{id}", r["path"], "the route, not the ID")
		assert.EqualValues(t, i+1, r["attempt"])
		assert.Contains(t, r, "duration")
		assert.Contains(t, r, "status")
	}
	assert.EqualValues(t, 503, recs[0]["status"])
	assert.Equal(t, "req-1", recs[0]["request_id"])
	assert.EqualValues(t, 0, recs[1]["status"])
	assert.NotContains(t, recs[1], "request_id")
	assert.Contains(t, recs[1], "error")
	assert.EqualValues(t, 200, recs[2]["status"])
	assert.Equal(t, "req-3", recs[2]["request_id"])

	out := buf.String()
	assert.NotContains(t, out, testAPIKey)
	assert.NotContains(t, out, "Bearer")
	assert.NotContains(t, out, "Authorization")
}

func TestWithLoggerAboveDebugLogsNothing(t *testing.T) {
	t.Parallel()
	var buf syncBuffer
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelInfo}))
	c, mock := newTestClient(t, WithLogger(logger))
	mock.RegisterNoResponder(jsonResponder(200, portoutJSON))
	_, err := c.Portouts.Get(t.Context(), "p1")
	require.NoError(t, err)
	assert.Empty(t, buf.String())
}
