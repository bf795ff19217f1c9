package telnyx

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"sync/atomic"
	"time"

	"github.com/a54710f5/telnyx-go/internal/requestconfig"
	"github.com/a54710f5/telnyx-go/internal/retry"
)

// do is the one way a call reaches the wire. A service method checks its
// arguments, describes the call as a request and passes where the answer
// goes:
//
//   - nil: the answer is read (a little) and dropped;
//   - a streamFunc: a 2xx answer's body is handed to it (downloads);
//   - anything else: a pointer the 2xx JSON answer is decoded into.
//
// do resolves the options, encodes the request, and sends it as the retry
// policy allows: each attempt waits on the rate limiter, passes through the
// middleware and is logged.
func (c *Client) do(ctx context.Context, r request, into any, opts []Option) error {
	if err := c.ready(); err != nil {
		return err
	}
	cfg, err := c.config(opts)
	if err != nil {
		return err
	}
	return doWith(ctx, cfg, r, into)
}

// doWith is do with the options already resolved, for the calls of a
// listing, which resolves them once for all its pages.
func doWith(ctx context.Context, cfg *requestconfig.Config, r request, into any) error {
	if ctx == nil {
		return invalid("ctx", "must not be nil")
	}
	p, err := r.prepare(cfg)
	if err != nil {
		return err
	}
	return send(ctx, cfg, p, into)
}

// errNotInitialized is returned by every method of a Client that did not
// come from NewClient.
var errNotInitialized error = &InvalidParamsError{Field: "Client", Reason: "not created by NewClient"}

// ready reports errNotInitialized for a nil Client or one that did not come
// from NewClient (a zero Client, or a nil service's).
func (c *Client) ready() error {
	if c == nil || c.cfg.HTTPClient == nil {
		return errNotInitialized
	}
	return nil
}

// outcome is what one attempt ended with.
type outcome struct {
	err        error
	retry      bool          // the policy allows another attempt
	retryAfter time.Duration // what the server asked for, when hasAfter
	hasAfter   bool
	status     int // the answer's status; 0 when there was none
}

// send runs the attempts of p.
func send(ctx context.Context, cfg *requestconfig.Config, p *prepared, into any) error {
	if p.upload != nil {
		// The caller is never held by a reader that does not return; the
		// goroutine reading it ends on its own.
		defer p.upload.release()
	}
	// Middleware may name the call by its route (RequestRoute).
	ctx = context.WithValue(ctx, routeKey{}, p.route)
	rt := chain(cfg)
	for attempt := 1; ; attempt++ {
		if err := ctx.Err(); err != nil {
			// Not every RoundTripper checks the context before sending.
			return &ConnectionError{Method: p.method, Path: p.route, Attempts: attempt - 1, Err: err}
		}
		if cfg.RateLimiter != nil {
			if err := cfg.RateLimiter.Wait(ctx); err != nil {
				return &ConnectionError{Method: p.method, Path: p.route, Attempts: attempt - 1, Err: fmt.Errorf("waiting for the rate limiter: %w", err)}
			}
		}
		res := sendOnce(ctx, cfg, rt, p, into, attempt)
		if res.err == nil {
			return nil
		}
		if !res.retry || attempt > cfg.MaxRetries || cfg.DeferRateLimit && res.status == 429 {
			return res.err
		}
		if err := ctx.Err(); err != nil {
			return retryCanceled(p, attempt, err, res.err)
		}
		wait := retry.Backoff(attempt-1, cfg.BackoffInitial, cfg.BackoffMax, cfg.Jitter())
		if res.hasAfter {
			if res.retryAfter > cfg.BackoffMax {
				// The server asks for longer than we are willing to wait.
				return res.err
			}
			wait = res.retryAfter
		}
		logRetry(ctx, cfg, p, attempt, res, wait)
		if err := cfg.Sleep(ctx, wait); err != nil {
			return retryCanceled(p, attempt, err, res.err)
		}
	}
}

// retryCanceled is the error of a call whose context ended while a retry was
// due: it unwraps to both the context's error and the last attempt's.
func retryCanceled(p *prepared, attempts int, ctxErr, last error) error {
	return &ConnectionError{
		Method: p.method, Path: p.route, Attempts: attempts,
		Err: fmt.Errorf("%w while waiting to retry (last attempt: %w)", ctxErr, last),
	}
}

// sendOnce makes attempt n.
func sendOnce(ctx context.Context, cfg *requestconfig.Config, rt sender, p *prepared, into any, n int) outcome {
	actx := ctx
	if cfg.RequestTimeout > 0 {
		var cancel context.CancelFunc
		actx, cancel = context.WithTimeout(ctx, cfg.RequestTimeout)
		defer cancel()
	}
	var wrote *atomic.Bool // nil for an idempotent request
	if !p.idempotent() {
		// Learn whether any of the request went out: a POST that never
		// reached the server can be retried without risk of a duplicate.
		wrote = new(atomic.Bool)
		actx = httptrace.WithClientTrace(actx, &httptrace.ClientTrace{
			WroteHeaders: func() { wrote.Store(true) },
		})
	}
	red := redactorFor(cfg.Auth)
	req, err := p.newHTTPRequest(actx, cfg)
	if err != nil {
		// Nothing was sent: the body could not start again, or the URL
		// or a header cannot be sent.
		return outcome{err: &ConnectionError{Method: p.method, Path: p.route, Attempts: n - 1, Err: red.Error(err)}}
	}
	start := cfg.Now()
	resp, err := rt(req)
	if err != nil {
		res := transportFailure(ctx, red, p, n, err, wrote)
		logAttempt(ctx, cfg, p, n, 0, "", cfg.Now().Sub(start), res.err)
		return res
	}
	res := handleResponse(cfg, red, p, resp, into, n)
	logAttempt(ctx, cfg, p, n, resp.StatusCode, red.String(requestID(resp.Header)), cfg.Now().Sub(start), res.err)
	return res
}

// routeKey carries an attempt's route template in its request's context.
type routeKey struct{}

// RequestRoute returns the route template of a request the SDK sends, such
// as "/portouts/{id}/comments", with no ID in it: a name of low cardinality
// for spans and metrics in Middleware. It is "" for any other request.
func RequestRoute(req *http.Request) string {
	if req == nil {
		return ""
	}
	route, _ := req.Context().Value(routeKey{}).(string)
	return route
}

// sender sends a request on and returns its answer.
type sender func(*http.Request) (*http.Response, error)

// chain builds, once per call, the way each attempt is sent: through the
// middleware, outermost first, to the HTTP client.
func chain(cfg *requestconfig.Config) sender {
	next := sender(cfg.HTTPClient.Do)
	for i := len(cfg.Middleware) - 1; i >= 0; i-- {
		m, inner := cfg.Middleware[i], next
		next = func(r *http.Request) (*http.Response, error) { return m(r, inner) }
	}
	return func(req *http.Request) (*http.Response, error) {
		resp, err := next(req)
		if err == nil && resp == nil {
			return nil, errors.New("the middleware returned neither a response nor an error")
		}
		if err != nil && resp != nil && resp.Body != nil {
			_ = resp.Body.Close()
		}
		return resp, err
	}
}

// transportFailure turns attempt n's failure to get an answer into its
// outcome. wrote tells whether a non-idempotent request went out (nil for
// an idempotent one).
func transportFailure(ctx context.Context, red redactor, p *prepared, n int, err error, wrote *atomic.Bool) outcome {
	// *url.Error repeats the method and full URL; keep only its cause.
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	// A RoundTripper of the caller's may quote the request's headers.
	err = red.Error(err)
	if cerr := ctx.Err(); cerr != nil {
		if !errors.Is(err, cerr) {
			err = fmt.Errorf("%w: %w", cerr, err)
		}
		return outcome{err: &ConnectionError{Method: p.method, Path: p.route, Attempts: n, Err: err}}
	}
	written := wrote != nil && wrote.Load()
	ok := p.replayable() && !isReaderPanic(err) && retry.Error(p.idempotent(), err, written)
	return outcome{err: &ConnectionError{Method: p.method, Path: p.route, Attempts: n, Err: err}, retry: ok}
}

// logAttempt writes one Debug record per attempt: method, route, attempt,
// status, duration, request ID and error. Headers, bodies and the API key
// are never logged.
func logAttempt(ctx context.Context, cfg *requestconfig.Config, p *prepared, n, status int, reqID string, d time.Duration, err error) {
	l := cfg.Logger
	if l == nil || !l.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{
		slog.String("method", p.method),
		slog.String("path", p.route),
		slog.Int("attempt", n),
		slog.Int("status", status),
		slog.Duration("duration", d),
	}
	if reqID != "" {
		attrs = append(attrs, slog.String("request_id", reqID))
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", err.Error()))
	}
	l.LogAttrs(ctx, slog.LevelDebug, "telnyx request", attrs...)
}

// logRetry writes one Warn record for an attempt that will be retried:
// method, route, attempt, status or error kind, and the wait before the
// next attempt. A service that logs at Info sees every retry.
func logRetry(ctx context.Context, cfg *requestconfig.Config, p *prepared, n int, res outcome, wait time.Duration) {
	l := cfg.Logger
	if l == nil || !l.Enabled(ctx, slog.LevelWarn) {
		return
	}
	attrs := []slog.Attr{
		slog.String("method", p.method),
		slog.String("path", p.route),
		slog.Int("attempt", n),
	}
	if res.status != 0 {
		attrs = append(attrs, slog.Int("status", res.status))
	} else {
		attrs = append(attrs, slog.String("error_kind", errorKind(res.err)))
	}
	attrs = append(attrs, slog.Duration("wait", wait))
	l.LogAttrs(ctx, slog.LevelWarn, "telnyx request will be retried", attrs...)
}

// errorKind names a failure without an answer in a word, for logs.
func errorKind(err error) string {
	var ne interface{ Timeout() bool }
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	case errors.As(err, &ne) && ne.Timeout():
		return "timeout"
	case retry.IsStreamError(err):
		return "stream_reset"
	}
	var de *DecodeError
	if errors.As(err, &de) {
		return "decode"
	}
	return "connection"
}
