package telnyx

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"

	"github.com/a54710f5/telnyx-go/internal/requestconfig"
	"github.com/a54710f5/telnyx-go/internal/retry"
	"github.com/a54710f5/telnyx-go/internal/wire"
)

// streamFunc consumes a 2xx answer's body in place of decoding it. It
// reports whether anything reached the caller, so that a failure before
// the first byte can be retried.
type streamFunc func(resp *http.Response, attempt int) (delivered bool, err error)

// handleResponse turns attempt n's answer into its outcome: an *APIError
// for a status outside 2xx, or the answer streamed or decoded into into.
func handleResponse(cfg *requestconfig.Config, red redactor, p *prepared, resp *http.Response, into any, n int) outcome {
	defer resp.Body.Close()
	if cfg.ResponseInto != nil {
		defer func() {
			resp.Body = http.NoBody
			*cfg.ResponseInto = resp
		}()
	}
	if resp.StatusCode < 200 {
		// An informational answer net/http hands back (101 Switching
		// Protocols) has the raw connection as its body: reading it would
		// wait for the server, whatever the context says.
		e := newAPIError(p.method, p.route, resp, nil, n, red)
		return outcome{err: e, status: resp.StatusCode}
	}
	if resp.StatusCode > 299 {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
		e := newAPIError(p.method, p.route, resp, body, n, red)
		after, hasAfter := retry.After(resp.Header, cfg.Now())
		if hasAfter {
			e.RetryAfter = after
		}
		return outcome{
			err:        e,
			retry:      p.replayable() && retry.Status(p.idempotent(), resp.StatusCode, resp.Header),
			retryAfter: after,
			hasAfter:   hasAfter,
			status:     resp.StatusCode,
		}
	}
	switch into := into.(type) {
	case nil:
		// Read a short unexpected body so the connection can be reused.
		_, _ = io.CopyN(io.Discard, resp.Body, maxDrain)
		return outcome{}
	case streamFunc:
		delivered, err := into(resp, n)
		if err == nil {
			return outcome{}
		}
		err = red.Error(err)
		return outcome{
			err:   &ConnectionError{Method: p.method, Path: p.route, Attempts: n, Err: err},
			retry: !delivered && p.idempotent() && retry.Error(true, err, true),
		}
	}
	return decodeResponse(red, p, resp, into, n)
}

// decodeResponse reads a 2xx JSON answer, bounded, and decodes it into into.
func decodeResponse(red redactor, p *prepared, resp *http.Response, into any, n int) outcome {
	if resp.ContentLength > maxResponseBody {
		return outcome{err: &DecodeError{Method: p.method, Path: p.route, StatusCode: resp.StatusCode, Err: errBodyTooLarge}}
	}
	buf := getBuffer()
	defer putBuffer(buf)
	if resp.ContentLength > 0 {
		buf.Grow(int(resp.ContentLength))
	}
	if _, err := buf.ReadFrom(io.LimitReader(resp.Body, maxResponseBody+1)); err != nil {
		// The answer was cut off: the request was handled, but its result is
		// lost. A GET or PATCH can safely ask again.
		return outcome{
			err:   &ConnectionError{Method: p.method, Path: p.route, Attempts: n, Err: fmt.Errorf("reading response: %w", red.Error(err))},
			retry: p.idempotent() && retry.Error(true, err, true),
		}
	}
	if buf.Len() > maxResponseBody {
		return outcome{err: &DecodeError{Method: p.method, Path: p.route, StatusCode: resp.StatusCode, Err: errBodyTooLarge}}
	}
	if err := decodeJSON(red, buf.Bytes(), into); err != nil {
		// The message quotes the value it could not decode, which may be
		// an echoed Authorization header: mask it before anything cuts it.
		return outcome{err: &DecodeError{Method: p.method, Path: p.route, StatusCode: resp.StatusCode, Err: red.Error(err)}}
	}
	return outcome{}
}

// decodeJSON decodes a JSON answer into into with internal/wire, driven by
// the json tags of the types. The value a decode error quotes is masked
// here, before the error's message cuts it short.
func decodeJSON(red redactor, b []byte, into any) error {
	err := wire.Unmarshal(b, into)
	var we *wire.Error
	if errors.As(err, &we) {
		we.Value = red.String(we.Value)
	}
	return err
}

// Response bodies are read into pooled buffers; decoding copies what it
// keeps, so a buffer is free again once decoding returns.
var bufferPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

const (
	maxDrain      = 4 << 10 // bytes read from an answer nobody asked for before closing it
	maxPooledSize = 8 << 20 // larger buffers are left to the garbage collector
	// maxResponseBody bounds a successful JSON answer held in memory, so
	// that a hostile server cannot exhaust it. A page of 250 port-outs is
	// well under 1 MiB; Download streams and is not bounded.
	maxResponseBody = 32 << 20
	// maxErrorBody bounds how much of an error answer is kept in memory.
	maxErrorBody = 1 << 20
)

// errBodyTooLarge is the cause of the *DecodeError for an answer over
// maxResponseBody.
var errBodyTooLarge = errors.New("the response is larger than 32 MiB")

func getBuffer() *bytes.Buffer { return bufferPool.Get().(*bytes.Buffer) }

func putBuffer(b *bytes.Buffer) {
	if b.Cap() > maxPooledSize {
		return
	}
	b.Reset()
	bufferPool.Put(b)
}

// envelope is the {"data": ..., "meta": ...} wrapper of every JSON answer.
type envelope[T any] struct {
	Data T         `json:"data"`
	Meta *PageMeta `json:"meta,omitempty"`
}

// fetch runs r and returns the answer's "data" member. A missing or null
// one is a *DecodeError, not a nil result.
func fetch[T any](ctx context.Context, c *Client, r request, opts []Option) (*T, error) {
	var env envelope[*T]
	if err := c.do(ctx, r, &env, opts); err != nil {
		return nil, err
	}
	if env.Data == nil {
		return nil, &DecodeError{Method: r.method, Path: "/" + r.route, StatusCode: http.StatusOK, Err: errNoData}
	}
	return env.Data, nil
}

// fetchList runs r for an answer whose "data" is a plain array.
func fetchList[T any](ctx context.Context, c *Client, r request, opts []Option) ([]T, error) {
	var env envelope[[]T]
	err := c.do(ctx, r, &env, opts)
	return env.Data, err
}

var errNoData = errors.New(`the response has no "data" member`)
