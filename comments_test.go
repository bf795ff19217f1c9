package telnyx

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPortoutCommentList(t *testing.T) {
	t.Parallel()
	c, _, log := recordAll(t, http.StatusOK, fixture(t, "comments.json"))

	comments, err := c.Portouts.Comments.List(t.Context(), awkwardID)
	require.NoError(t, err)

	assertRequest(t, log.Last(t), wantRequest{method: "GET", path: "/v2/portouts/" + awkwardIDEscaped + "/comments"})
	assert.Equal(t, []PortoutComment{
		{
			ID:         "0ccc7b54-4df3-4bca-a65a-3da1ecc777f1",
			Body:       "This is a comment",
			PortoutID:  "0ccc7b54-4df3-4bca-a65a-3da1ecc777f0",
			RecordType: "portout",
			UserID:     "0ccc7b54-4df3-4bca-a65a-3da1ecc777f2",
			CreatedAt:  time.Date(2018, 2, 2, 22, 25, 27, 521e6, time.UTC),
		},
		{
			ID:         "0ccc7b54-4df3-4bca-a65a-3da1ecc777f3",
			Body:       "Written by Telnyx",
			PortoutID:  "0ccc7b54-4df3-4bca-a65a-3da1ecc777f0",
			RecordType: "portout",
			UserID:     "", // null: written by Telnyx
			CreatedAt:  time.Date(2018, 2, 3, 9, 0, 0, 0, time.UTC),
		},
	}, comments)
}

func TestPortoutCommentListEmpty(t *testing.T) {
	t.Parallel()
	c, _, _ := recordAll(t, http.StatusOK, `{"data":[],"meta":{"total_results":0}}`)

	comments, err := c.Portouts.Comments.List(t.Context(), "p1")

	require.NoError(t, err)
	assert.Empty(t, comments)
}

func TestPortoutCommentCreate(t *testing.T) {
	t.Parallel()
	c, mock := newTestClient(t)
	log := &requestLog{}
	mock.RegisterNoResponder(log.capture(jsonResponder(http.StatusCreated, fixture(t, "comment.json"))))

	got, err := c.Portouts.Comments.Create(t.Context(), awkwardID, PortoutCommentCreateParams{Body: "Please send the \"LOA\" again"})
	require.NoError(t, err)

	assertRequest(t, log.Last(t), wantRequest{
		method: "POST",
		path:   "/v2/portouts/" + awkwardIDEscaped + "/comments",
		body:   `{"body":"Please send the \"LOA\" again"}`,
	})
	assert.Equal(t, PortoutComment{
		ID:         "0ccc7b54-4df3-4bca-a65a-3da1ecc777f1",
		Body:       "This is a comment",
		PortoutID:  "0ccc7b54-4df3-4bca-a65a-3da1ecc777f0",
		RecordType: "portout",
		UserID:     "0ccc7b54-4df3-4bca-a65a-3da1ecc777f2",
		CreatedAt:  time.Date(2018, 2, 2, 22, 25, 27, 521e6, time.UTC),
	}, *got)
}

func TestPortoutCommentCreateNotRetriedOnServerError(t *testing.T) {
	t.Parallel()
	c, mock := newTestClient(t)
	mock.RegisterNoResponder(jsonResponder(http.StatusBadGateway, "<html>bad gateway</html>"))

	_, err := c.Portouts.Comments.Create(t.Context(), "p1", PortoutCommentCreateParams{Body: "hi"})

	require.ErrorIs(t, err, ErrServer)
	assert.Equal(t, 1, mock.GetTotalCallCount(), "a comment is never posted twice")
}

func TestPortoutCommentBadInput(t *testing.T) {
	t.Parallel()
	body := PortoutCommentCreateParams{Body: "hello"}
	runBadInput(t, []badInputCase{
		{"List empty ID", "id", func(ctx context.Context, c *Client) error { _, err := c.Portouts.Comments.List(ctx, ""); return err }},
		{"List dot", "id", func(ctx context.Context, c *Client) error { _, err := c.Portouts.Comments.List(ctx, "."); return err }},
		{"List dot dot", "id", func(ctx context.Context, c *Client) error { _, err := c.Portouts.Comments.List(ctx, ".."); return err }},
		{"Create empty ID", "id", func(ctx context.Context, c *Client) error {
			_, err := c.Portouts.Comments.Create(ctx, "", body)
			return err
		}},
		{"Create dot dot", "id", func(ctx context.Context, c *Client) error {
			_, err := c.Portouts.Comments.Create(ctx, "..", body)
			return err
		}},
		{"Create empty body", "Body", func(ctx context.Context, c *Client) error {
			_, err := c.Portouts.Comments.Create(ctx, "p1", PortoutCommentCreateParams{Body: " \n"})
			return err
		}},
	})
}
