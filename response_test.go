package telnyx

import (
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Answers: the data envelope, 2xx bodies that do not decode, timestamp
// layouts, unknown members and values, and WithResponseInto.

func TestCallDecodesDataEnvelope(t *testing.T) {
	t.Parallel()
	c, mock := newTestClient(t)
	mock.RegisterNoResponder(jsonResponder(200, `{"data":[{"code":1002,"description":"Wrong PIN","reason_required":true}],"meta":{}}`))
	codes, err := c.Portouts.ListRejectionCodes(t.Context(), "p1", nil)
	require.NoError(t, err)
	assert.Equal(t, []PortoutRejectionCode{{Code: 1002, Description: "Wrong PIN", ReasonRequired: true}}, codes)
}

func TestUndecodableSuccessIsNotRetried(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, body string }{
		{"malformed", `{"data":{"id":`},
		{"HTML", `<html>oops</html>`},
		{"wrong type", `{"data":{"id":42}}`},
		{"missing data", `{}`},
		{"null data", `{"data":null}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, mock := newTestClient(t)
			mock.RegisterNoResponder(jsonResponder(200, tt.body))
			p, err := c.Portouts.Get(t.Context(), "p1")
			assert.Nil(t, p)
			var de *DecodeError
			require.ErrorAs(t, err, &de)
			assert.Equal(t, "GET", de.Method)
			assert.Equal(t, "/portouts/{id}", de.Path)
			assert.Equal(t, 200, de.StatusCode)
			assert.Regexp(t, `^telnyx: GET /portouts/\{id\}: decoding 200 response: `, err.Error())
			assert.Equal(t, 1, mock.GetTotalCallCount())
		})
	}
}

func TestDecodeErrorNamesFieldAndValue(t *testing.T) {
	t.Parallel()
	c, mock := newTestClient(t)
	mock.RegisterNoResponder(jsonResponder(200, `{"data":{"id":"p1","created_at":"31/12/2024 noon"}}`))
	_, err := c.Portouts.Get(t.Context(), "p1")
	var de *DecodeError
	require.ErrorAs(t, err, &de)
	assert.Contains(t, err.Error(), "created_at")
	assert.Contains(t, err.Error(), "31/12/2024 noon")
}

func TestTimestampLayoutsInResponses(t *testing.T) {
	t.Parallel()
	c, mock := newTestClient(t)
	mock.RegisterNoResponder(jsonResponder(200, `{"data":{
		"id":"p1",
		"created_at":"2018-02-02T22:25:27.521Z",
		"updated_at":"2021-03-19T10:07:15.527000Z",
		"inserted_at":"2021-03-19T10:07:15",
		"foc_date":"2024-09-04",
		"requested_foc_date":null}}`))
	p, err := c.Portouts.Get(t.Context(), "p1")
	require.NoError(t, err)
	assert.True(t, time.Date(2018, 2, 2, 22, 25, 27, 521e6, time.UTC).Equal(p.CreatedAt))
	assert.True(t, time.Date(2021, 3, 19, 10, 7, 15, 527e6, time.UTC).Equal(p.UpdatedAt))
	assert.True(t, time.Date(2021, 3, 19, 10, 7, 15, 0, time.UTC).Equal(p.InsertedAt))
	assert.Equal(t, time.UTC, p.InsertedAt.Location())
	assert.True(t, time.Date(2024, 9, 4, 0, 0, 0, 0, time.UTC).Equal(p.FocDate))
	assert.True(t, p.RequestedFocDate.IsZero())

	mock.RegisterNoResponder(jsonResponder(200, `{"data":{"id":"p1","created_at":"","foc_date":null}}`))
	p, err = c.Portouts.Get(t.Context(), "p1")
	require.NoError(t, err)
	assert.True(t, p.CreatedAt.IsZero())
	assert.True(t, p.FocDate.IsZero())
}

func TestUnknownFieldsAndEnumValues(t *testing.T) {
	t.Parallel()
	c, mock := newTestClient(t)
	mock.RegisterNoResponder(jsonResponder(200, `{"data":{"id":"p1","status":"on-hold","brand_new_field":{"x":[1,2]},"reason":null},"extra_top":1}`))
	p, err := c.Portouts.Get(t.Context(), "p1")
	require.NoError(t, err)
	assert.Equal(t, PortoutStatus("on-hold"), p.Status, "an unknown status is kept as its string")
	assert.False(t, p.Status.Valid())
	assert.Empty(t, p.Reason)
}

func TestWithResponseInto(t *testing.T) {
	t.Parallel()
	t.Run("last attempt of a retried call", func(t *testing.T) {
		t.Parallel()
		c, mock := newTestClient(t)
		mock.RegisterNoResponder(sequence(
			statusWith(503, http.Header{"X-Attempt": {"1"}}),
			jsonResponder(200, portoutJSON).HeaderAdd(http.Header{"X-Attempt": {"2"}}),
		))
		var resp *http.Response
		_, err := c.Portouts.Get(t.Context(), "p1", WithResponseInto(&resp))
		require.NoError(t, err)
		require.NotNil(t, resp)
		assert.Equal(t, "2", resp.Header.Get("X-Attempt"))
		b, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		assert.Empty(t, b, "the body has been consumed")
	})
	t.Run("error response", func(t *testing.T) {
		t.Parallel()
		c, mock := newTestClient(t, WithResponseInto(new(*http.Response)))
		mock.RegisterNoResponder(statusWith(404, http.Header{"X-Request-Id": {"r404"}}))
		var resp *http.Response
		_, err := c.Portouts.Get(t.Context(), "p1", WithResponseInto(&resp))
		assert.ErrorIs(t, err, ErrNotFound)
		require.NotNil(t, resp)
		assert.Equal(t, 404, resp.StatusCode)
		assert.Equal(t, "r404", resp.Header.Get("X-Request-Id"))
	})
}
