package telnyx

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"sync/atomic"

	"github.com/a54710f5/telnyx-go/internal/retry"
)

// Prefetching keeps up to WithPrefetch(n) page requests in flight ahead of
// the page being yielded. A server's rate limit is met by the SDK's own
// concurrency, not by the caller, so a 429 on a page fetched ahead is not
// a failure of the listing: the window of pages in flight halves, the page
// is asked again after the server's delay (Retry-After, else the backoff),
// and the window grows back by one page per page answered without a 429.
// These asks do not spend the retries of WithMaxRetries; rateLimitRetries
// bounds them per page, so a server that only ever answers 429 still ends
// the listing with its error.
const rateLimitRetries = 16

// prefetchPages yields the pages after first in order; an error is yielded
// where its page belongs. When the loop ends, for whatever reason, in-flight
// requests are cancelled and waited for, so no goroutine outlives it.
func prefetchPages[T any](ctx context.Context, l *lister[T], first *Page[T], yield func(*T, error) bool) {
	type result struct {
		page *Page[T]
		err  error
	}
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer func() {
		cancel()
		wg.Wait()
	}()

	var throttled atomic.Int64 // 429s met by pages in flight
	seen := int64(0)           // of which the window has shrunk for
	limit := l.cfg.Prefetch    // the window: pages in flight at most
	grow := 0                  // pages answered since the window last changed

	last := first.Meta.TotalPages
	next, more := pageAfter(first.number) // the next page to request, if any
	var window []chan result              // one slot per requested page, in page order
	start := func() {
		ch := make(chan result, 1)
		window = append(window, ch)
		n := next
		next, more = pageAfter(n)
		wg.Add(1)
		go func() {
			defer wg.Done()
			p, err := l.fetchAhead(ctx, n, &throttled)
			ch <- result{p, err}
		}()
	}
	fill := func() {
		if t := throttled.Load(); t > seen {
			seen = t
			limit, grow = max(1, limit/2), 0
		}
		for len(window) < limit && more && next <= last {
			start()
		}
	}
	fill()
	prev := first
	var cycle pageRing
	cycle.known(l.sum(first))
	for len(window) > 0 {
		res := <-window[0]
		window = window[1:]
		if res.err != nil {
			l.show(res.page)
			yield(nil, res.err)
			return
		}
		p := res.page
		if p.number > last {
			return // a later page shrank the listing below this one
		}
		if l.repeats(prev, p) || cycle.known(l.sum(p)) {
			return // the same items again: the server ignores page[number]
		}
		prev = p
		l.show(p)
		if !yieldPage(p, yield) {
			return
		}
		// A page that is empty or no longer matches the first page's meta
		// ends the listing, as in sequential paging.
		if len(p.Data) == 0 || !p.metaAnswers() {
			return
		}
		if p.Meta.TotalPages < last {
			last = p.Meta.TotalPages
		}
		if grow++; grow >= limit && limit < l.cfg.Prefetch {
			limit, grow = limit+1, 0
		}
		fill()
	}
}

// fetchAhead fetches a page ahead of the caller. A 429 is not retried by
// the call itself: it is counted in throttled, so that the window shrinks,
// and the page is asked again after the server's delay.
func (l *lister[T]) fetchAhead(ctx context.Context, number int, throttled *atomic.Int64) (*Page[T], error) {
	cfg := l.cfg
	for tries := 0; ; tries++ {
		p, err := l.fetch(ctx, number, true)
		var ae *APIError
		if err == nil || !errors.As(err, &ae) || ae.StatusCode != http.StatusTooManyRequests || tries >= rateLimitRetries {
			return p, err
		}
		throttled.Add(1)
		wait := ae.RetryAfter
		if wait <= 0 {
			wait = retry.Backoff(min(tries, 4), cfg.BackoffInitial, cfg.BackoffMax, cfg.Jitter())
		}
		if err := cfg.Sleep(ctx, wait); err != nil {
			return p, &ConnectionError{Method: ae.Method, Path: ae.Path, Attempts: ae.Attempts, Err: errors.Join(err, ae)}
		}
	}
}
