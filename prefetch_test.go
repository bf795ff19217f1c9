package telnyx

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func wantIDs(pages, perPage int) []string {
	var ids []string
	for p := 1; p <= pages; p++ {
		for i := range perPage {
			ids = append(ids, fmt.Sprintf("p%d-%d", p, i))
		}
	}
	return ids
}

func collect(t *testing.T, c *Client, opts ...Option) ([]string, []error) {
	t.Helper()
	var ids []string
	var errs []error
	params := &PortoutListParams{Page: PageParams{Size: 5}}
	for p, err := range c.Portouts.ListAutoPaging(t.Context(), params, opts...) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		ids = append(ids, p.ID)
	}
	return ids, errs
}

func TestPrefetchYieldsInOrderWhenPagesFinishOutOfOrder(t *testing.T) {
	t.Parallel()
	// Page 2 is held back until page 5 has been answered, so later pages
	// complete first; the items must still come out in page order.
	page5 := make(chan struct{})
	s := portoutPages(t, 12, 5, true)
	s.before = func(req *http.Request, n int) error {
		switch n {
		case 2:
			select {
			case <-page5:
			case <-req.Context().Done():
				return req.Context().Err()
			}
		case 5:
			defer close(page5)
		}
		return nil
	}
	c, mock := newTestClient(t)
	mock.RegisterResponder("GET", testURL("portouts"), s.respond)

	ids, errs := collect(t, c, WithPrefetch(4))
	require.Empty(t, errs)
	assert.Equal(t, wantIDs(12, 5), ids)
	assert.EqualValues(t, 12, s.Requests(), "every page fetched exactly once")
	assert.LessOrEqual(t, s.maxInFlight.Load(), int32(4))
}

func TestPrefetchFetchesPagesConcurrently(t *testing.T) {
	t.Parallel()
	// Pages 2 to 5 are each held until all four have arrived: that can only
	// happen when they are in flight together. The timer only guards
	// against a hang if they are not; it is not waited out on success.
	var arrived atomic.Int32
	all := make(chan struct{})
	s := portoutPages(t, 8, 5, true)
	s.before = func(_ *http.Request, n int) error {
		if n < 2 || n > 5 {
			return nil
		}
		if arrived.Add(1) == 4 {
			close(all)
		}
		select {
		case <-all:
			return nil
		case <-time.After(10 * time.Second):
			return errors.New("pages 2 to 5 were not requested concurrently")
		}
	}
	c, mock := newTestClient(t)
	mock.RegisterResponder("GET", testURL("portouts"), s.respond)

	ids, errs := collect(t, c, WithPrefetch(4))
	require.Empty(t, errs)
	assert.Equal(t, wantIDs(8, 5), ids)
	assert.EqualValues(t, 4, s.maxInFlight.Load())
}

func TestPrefetchBoundsPagesHeld(t *testing.T) {
	t.Parallel()
	for _, n := range []int{1, 3, 8} {
		t.Run(fmt.Sprintf("prefetch%d", n), func(t *testing.T) {
			t.Parallel()
			s := portoutPages(t, 30, 5, true)
			c, mock := newTestClient(t)
			mock.RegisterResponder("GET", testURL("portouts"), s.respond)

			params := &PortoutListParams{Page: PageParams{Size: 5}}
			count := 0
			for p, err := range c.Portouts.ListAutoPaging(t.Context(), params, WithPrefetch(n)) {
				require.NoError(t, err)
				page, _ := strconv.Atoi(strings.TrimPrefix(strings.Split(p.ID, "-")[0], "p"))
				// Pages asked for, beyond the one being read, never exceed n:
				// memory stays bounded by n+1 pages whatever the total.
				assert.LessOrEqual(t, s.Requests()-page, n, "at %s", p.ID)
				count++
			}
			assert.Equal(t, 150, count)
			assert.EqualValues(t, 30, s.Requests())
		})
	}
}

func TestPrefetchErrorSurfacesAtItsPage(t *testing.T) {
	t.Parallel()
	s := portoutPages(t, 10, 5, true)
	page := s.body
	s.body = func(n, call int) string {
		if n == 4 {
			return "" // a 404
		}
		return page(n, call)
	}
	c, mock := newTestClient(t, WithMaxRetries(0))
	mock.RegisterResponder("GET", testURL("portouts"), s.respond)

	ids, errs := collect(t, c, WithPrefetch(3))
	assert.Equal(t, wantIDs(3, 5), ids, "items of the pages before the failing one, in order")
	require.Len(t, errs, 1, "the error is yielded once")
	assert.True(t, errors.Is(errs[0], ErrNotFound))
}

func TestPrefetchBreakCancelsInFlightRequests(t *testing.T) {
	t.Parallel()
	var cancelled atomic.Int32
	s := portoutPages(t, 10, 5, true)
	s.before = func(req *http.Request, n int) error {
		if n == 1 {
			return nil
		}
		<-req.Context().Done() // later pages stall until cancelled
		cancelled.Add(1)
		return req.Context().Err()
	}
	c, mock := newTestClient(t)
	mock.RegisterResponder("GET", testURL("portouts"), s.respond)

	got := 0
	params := &PortoutListParams{Page: PageParams{Size: 5}}
	for p, err := range c.Portouts.ListAutoPaging(t.Context(), params, WithPrefetch(4)) {
		require.NoError(t, err)
		require.NotNil(t, p)
		got++
		if got == 3 {
			break
		}
	}
	// By the time the loop has returned, every prefetch request has been
	// cancelled and its goroutine has finished (goleak checks the rest).
	assert.Equal(t, 3, got)
	assert.Equal(t, s.Requests()-1, int(cancelled.Load()))
	assert.EqualValues(t, 0, s.inFlight.Load())
}

func TestPrefetchContextCancelled(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	s := portoutPages(t, 10, 2, true)
	s.before = func(req *http.Request, n int) error {
		if n == 3 {
			cancel()
			<-req.Context().Done()
			return req.Context().Err()
		}
		return nil
	}
	c, mock := newTestClient(t)
	mock.RegisterResponder("GET", testURL("portouts"), s.respond)

	var errs []error
	items := 0
	params := &PortoutListParams{Page: PageParams{Size: 2}}
	for _, err := range c.Portouts.ListAutoPaging(ctx, params, WithPrefetch(2)) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		items++
	}
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], context.Canceled)
	assert.LessOrEqual(t, items, 4, "nothing after the cancelled page")
}

func TestPrefetchFallsBackToSequentialWithoutMeta(t *testing.T) {
	t.Parallel()
	s := portoutPages(t, 6, 5, false)
	c, mock := newTestClient(t)
	mock.RegisterResponder("GET", testURL("portouts"), s.respond)

	ids, errs := collect(t, c, WithPrefetch(8))
	require.Empty(t, errs)
	assert.Equal(t, wantIDs(6, 5), ids)
	assert.EqualValues(t, 1, s.maxInFlight.Load(), "one request at a time")
	assert.EqualValues(t, 7, s.Requests(), "six full pages, then the empty one that ends the list")
}

func TestPrefetchZeroMatchesSequentialRequests(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var order []string
	s := portoutPages(t, 4, 5, true)
	s.before = func(req *http.Request, _ int) error {
		mu.Lock()
		order = append(order, req.URL.Query().Get("page[number]"))
		mu.Unlock()
		return nil
	}
	c, mock := newTestClient(t)
	mock.RegisterResponder("GET", testURL("portouts"), s.respond)

	ids, errs := collect(t, c, WithPrefetch(0))
	require.Empty(t, errs)
	assert.Equal(t, wantIDs(4, 5), ids)
	assert.Equal(t, []string{"", "2", "3", "4"}, order)
	assert.EqualValues(t, 1, s.maxInFlight.Load())
}

func TestPrefetchStopsWhenALaterPageShrinksTheList(t *testing.T) {
	t.Parallel()
	// The first page says 10 pages; page 3 says there are only 3 now. Pages
	// beyond 3 that were already asked for must not be yielded.
	s := portoutPages(t, 10, 2, true)
	page := s.body
	s.body = func(n, call int) string {
		if n == 3 {
			return `{"data":[{"id":"p3-0"},{"id":"p3-1"}],"meta":{"page_number":3,"page_size":2,"total_pages":3,"total_results":6}}`
		}
		return page(n, call)
	}
	c, mock := newTestClient(t)
	mock.RegisterResponder("GET", testURL("portouts"), s.respond)
	ids, errs := collect(t, c, WithPrefetch(4))
	require.Empty(t, errs)
	assert.Equal(t, wantIDs(3, 2), ids)
}

func TestListAutoPagingPrefetchKeepsOrder(t *testing.T) {
	t.Parallel()
	c, mock := newTestClient(t)
	pages := map[int]string{}
	var want []string
	for n := 1; n <= 7; n++ {
		pages[n] = pageJSON(items(fmt.Sprint("p", n, "-"), 3), meta(n, 3, 7, 21))
		for i := range 3 {
			want = append(want, fmt.Sprint("p", n, "-", i))
		}
	}
	pg := newPager(t, pages)
	mock.RegisterResponder("GET", testURL("portouts"), pg.respond)
	ids, err := collectIDs(t, c, &PortoutListParams{Page: PageParams{Size: 3}}, WithPrefetch(3))
	require.NoError(t, err)
	assert.Equal(t, want, ids)
	assert.ElementsMatch(t, []int{1, 2, 3, 4, 5, 6, 7}, pg.Asked())
}

func TestListAutoPagingPrefetchError(t *testing.T) {
	t.Parallel()
	c, mock := newTestClient(t, WithMaxRetries(0))
	pages := map[int]string{}
	for _, n := range []int{1, 2, 4, 5} { // page 3 is a 404
		pages[n] = pageJSON(items(fmt.Sprint("p", n, "-"), 1), meta(n, 1, 5, 5))
	}
	pg := newPager(t, pages)
	mock.RegisterResponder("GET", testURL("portouts"), pg.respond)
	ids, err := collectIDs(t, c, &PortoutListParams{Page: PageParams{Size: 1}}, WithPrefetch(2))
	assert.Equal(t, []string{"p1-0", "p2-0"}, ids, "items before the failed page, in order")
	assert.ErrorIs(t, err, ErrNotFound)
}
