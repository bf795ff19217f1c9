package telnyx

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Contexts, deadlines and per-attempt timeouts: a call ends when its
// caller gives up, and only its own timed-out attempts are retried.

func TestCancelDuringBackoff(t *testing.T) {
	t.Parallel()
	t.Run("fake sleep", func(t *testing.T) {
		t.Parallel()
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		entered := make(chan struct{})
		blockingSleep := func(ctx context.Context, _ time.Duration) error {
			close(entered)
			<-ctx.Done()
			return ctx.Err()
		}
		c, mock := newTestClient(t, withSleep(blockingSleep))
		mock.RegisterNoResponder(statusWith(503, nil))
		go func() {
			<-entered
			cancel()
		}()
		_, err := c.Portouts.Get(ctx, "p1")
		require.Error(t, err)
		assert.ErrorIs(t, err, context.Canceled)
		var ce *ConnectionError
		require.ErrorAs(t, err, &ce)
		assert.Equal(t, 1, ce.Attempts)
		var ae *APIError
		assert.ErrorAs(t, err, &ae, "the last answer stays reachable")
		assert.Equal(t, 1, mock.GetTotalCallCount())
		assert.NotContains(t, err.Error(), "\n")
	})
	t.Run("real sleep with an hour of backoff", func(t *testing.T) {
		t.Parallel()
		ctx, cancel := context.WithCancel(t.Context())
		c, mock := newTestClient(t, withSleep(sleepContext), WithRetryBackoff(time.Hour, time.Hour))
		mock.RegisterNoResponder(func(req *http.Request) (*http.Response, error) {
			cancel() // the caller gives up while the client would wait
			return statusWith(503, nil)(req)
		})
		start := time.Now()
		_, err := c.Portouts.Get(ctx, "p1")
		assert.ErrorIs(t, err, context.Canceled)
		assert.Less(t, time.Since(start), 5*time.Second, "returns promptly")
		assert.Equal(t, 1, mock.GetTotalCallCount())
	})
}

func TestCancelledContextIsNotRetried(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	c, mock, rec := newTestClientSleeps(t)
	mock.RegisterNoResponder(func(req *http.Request) (*http.Response, error) {
		return nil, req.Context().Err()
	})
	_, err := c.Portouts.Get(ctx, "p1")
	var ce *ConnectionError
	require.ErrorAs(t, err, &ce)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Zero(t, mock.GetTotalCallCount(), "a dead context sends nothing, whatever the transport")
	assert.Zero(t, ce.Attempts)
	assert.Equal(t, "telnyx: GET /portouts/{id}: context canceled (after 0 attempts)", err.Error())
	assert.Empty(t, rec.Waits())
}

// A sleep that ignores the context must not lead to another attempt once
// the caller has given up.
func TestSleepIgnoringContextStillStops(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	deaf := func(context.Context, time.Duration) error { cancel(); return nil }
	c, mock := newTestClient(t, withSleep(deaf))
	mock.RegisterNoResponder(statusWith(503, nil))
	_, err := c.Portouts.Get(ctx, "p1")
	assert.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, 1, mock.GetTotalCallCount())
}

func TestCallerDeadline(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Millisecond)
	defer cancel()
	c, mock, rec := newTestClientSleeps(t)
	mock.RegisterNoResponder(blockUntilDone)
	_, err := c.Portouts.Get(ctx, "p1")
	var ce *ConnectionError
	require.ErrorAs(t, err, &ce)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Equal(t, 1, ce.Attempts, "the caller's deadline is never retried")
	assert.Equal(t, 1, mock.GetTotalCallCount())
	assert.Empty(t, rec.Waits())
	assert.NotContains(t, err.Error(), testBaseURL, "no full URL in the message")
}

func TestPerAttemptTimeoutIsRetried(t *testing.T) {
	t.Parallel()
	t.Run("then succeeds", func(t *testing.T) {
		t.Parallel()
		c, mock, rec := newTestClientSleeps(t, WithRequestTimeout(5*time.Millisecond))
		mock.RegisterNoResponder(sequence(blockUntilDone, jsonResponder(200, portoutJSON)))
		p, err := c.Portouts.Get(t.Context(), "p1")
		require.NoError(t, err)
		assert.Equal(t, "p1", p.ID)
		assert.Equal(t, 2, mock.GetTotalCallCount())
		assert.Len(t, rec.Waits(), 1)
	})
	t.Run("always times out", func(t *testing.T) {
		t.Parallel()
		c, mock := newTestClient(t, WithRequestTimeout(2*time.Millisecond))
		mock.RegisterNoResponder(blockUntilDone)
		_, err := c.Portouts.Get(t.Context(), "p1")
		var ce *ConnectionError
		require.ErrorAs(t, err, &ce)
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Equal(t, 3, ce.Attempts)
		assert.Equal(t, 3, mock.GetTotalCallCount())
		assert.Equal(t, "GET", ce.Method)
		assert.Equal(t, "/portouts/{id}", ce.Path)
	})
	t.Run("POST timed out before writing", func(t *testing.T) {
		t.Parallel()
		c, mock := newTestClient(t, WithRequestTimeout(2*time.Millisecond))
		mock.RegisterNoResponder(sequence(blockUntilDone, jsonResponder(200, `{"data":{"id":"c1"}}`)))
		_, err := c.Portouts.Comments.Create(t.Context(), "p1", PortoutCommentCreateParams{Body: "x"})
		require.NoError(t, err)
		assert.Equal(t, 2, mock.GetTotalCallCount())
	})
}
