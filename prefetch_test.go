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

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pagedServer answers GET /portouts with pages of perPage port-outs whose
// IDs are "p<page>-<index>", and counts what it serves.
type pagedServer struct {
	pages    int
	perPage  int
	withMeta bool
	// before, when set, runs before page n is answered; it may block.
	before func(req *http.Request, n int) error

	inFlight    atomic.Int32
	maxInFlight atomic.Int32
	requested   atomic.Int32 // pages asked for so far
}

func (s *pagedServer) respond(req *http.Request) (*http.Response, error) {
	n := 1
	if v := req.URL.Query().Get("page[number]"); v != "" {
		n, _ = strconv.Atoi(v)
	}
	s.requested.Add(1)
	cur := s.inFlight.Add(1)
	defer s.inFlight.Add(-1)
	for {
		m := s.maxInFlight.Load()
		if cur <= m || s.maxInFlight.CompareAndSwap(m, cur) {
			break
		}
	}
	if s.before != nil {
		if err := s.before(req, n); err != nil {
			return nil, err
		}
	}
	var b strings.Builder
	b.WriteString(`{"data":[`)
	if n <= s.pages {
		for i := range s.perPage {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `{"id":"p%d-%d","status":"pending"}`, n, i)
		}
	}
	b.WriteString(`]`)
	if s.withMeta {
		fmt.Fprintf(&b, `,"meta":{"page_number":%d,"page_size":%d,"total_pages":%d,"total_results":%d}`,
			n, s.perPage, s.pages, s.pages*s.perPage)
	}
	b.WriteString(`}`)
	return httpmock.NewStringResponse(http.StatusOK, b.String()), nil
}

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
	for p, err := range c.Portouts.ListAutoPaging(context.Background(), params, opts...) {
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
	s := &pagedServer{pages: 12, perPage: 5, withMeta: true}
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
	assert.EqualValues(t, 12, s.requested.Load(), "every page fetched exactly once")
	assert.LessOrEqual(t, s.maxInFlight.Load(), int32(4))
}

func TestPrefetchFetchesPagesConcurrently(t *testing.T) {
	t.Parallel()
	// Pages 2 to 5 are each held until all four have arrived: that can only
	// happen when they are in flight together. The timer only guards
	// against a hang if they are not; it is not waited out on success.
	var arrived atomic.Int32
	all := make(chan struct{})
	s := &pagedServer{pages: 8, perPage: 5, withMeta: true}
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
			s := &pagedServer{pages: 30, perPage: 5, withMeta: true}
			c, mock := newTestClient(t)
			mock.RegisterResponder("GET", testURL("portouts"), s.respond)

			params := &PortoutListParams{Page: PageParams{Size: 5}}
			count := 0
			for p, err := range c.Portouts.ListAutoPaging(context.Background(), params, WithPrefetch(n)) {
				require.NoError(t, err)
				page, _ := strconv.Atoi(strings.TrimPrefix(strings.Split(p.ID, "-")[0], "p"))
				// Pages asked for, beyond the one being read, never exceed n:
				// memory stays bounded by n+1 pages whatever the total.
				assert.LessOrEqual(t, int(s.requested.Load())-page, n, "at %s", p.ID)
				count++
			}
			assert.Equal(t, 150, count)
			assert.EqualValues(t, 30, s.requested.Load())
		})
	}
}

func TestPrefetchErrorSurfacesAtItsPage(t *testing.T) {
	t.Parallel()
	s := &pagedServer{pages: 10, perPage: 5, withMeta: true}
	s.before = func(*http.Request, int) error { return nil }
	c, mock := newTestClient(t, WithMaxRetries(0))
	mock.RegisterResponder("GET", testURL("portouts"), func(req *http.Request) (*http.Response, error) {
		if req.URL.Query().Get("page[number]") == "4" {
			return httpmock.NewStringResponse(http.StatusNotFound, errorBody("10005", "Resource not found", "gone")), nil
		}
		return s.respond(req)
	})

	ids, errs := collect(t, c, WithPrefetch(3))
	assert.Equal(t, wantIDs(3, 5), ids, "items of the pages before the failing one, in order")
	require.Len(t, errs, 1, "the error is yielded once")
	assert.True(t, errors.Is(errs[0], ErrNotFound))
}

func TestPrefetchBreakCancelsInFlightRequests(t *testing.T) {
	t.Parallel()
	var cancelled atomic.Int32
	s := &pagedServer{pages: 10, perPage: 5, withMeta: true}
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
	for p, err := range c.Portouts.ListAutoPaging(context.Background(), params, WithPrefetch(4)) {
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
	assert.Equal(t, s.requested.Load()-1, cancelled.Load())
	assert.EqualValues(t, 0, s.inFlight.Load())
}

func TestPrefetchContextCancelled(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s := &pagedServer{pages: 10, perPage: 2, withMeta: true}
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
	s := &pagedServer{pages: 6, perPage: 5, withMeta: false}
	c, mock := newTestClient(t)
	mock.RegisterResponder("GET", testURL("portouts"), s.respond)

	ids, errs := collect(t, c, WithPrefetch(8))
	require.Empty(t, errs)
	assert.Equal(t, wantIDs(6, 5), ids)
	assert.EqualValues(t, 1, s.maxInFlight.Load(), "one request at a time")
	assert.EqualValues(t, 7, s.requested.Load(), "six full pages, then the empty one that ends the list")
}

func TestPrefetchZeroMatchesSequentialRequests(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var order []string
	s := &pagedServer{pages: 4, perPage: 5, withMeta: true}
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
	s := &pagedServer{pages: 10, perPage: 2, withMeta: true}
	c, mock := newTestClient(t)
	mock.RegisterResponder("GET", testURL("portouts"), func(req *http.Request) (*http.Response, error) {
		if req.URL.Query().Get("page[number]") == "3" {
			return httpmock.NewStringResponse(http.StatusOK,
				`{"data":[{"id":"p3-0"},{"id":"p3-1"}],"meta":{"page_number":3,"page_size":2,"total_pages":3,"total_results":6}}`), nil
		}
		return s.respond(req)
	})
	ids, errs := collect(t, c, WithPrefetch(4))
	require.Empty(t, errs)
	assert.Equal(t, wantIDs(3, 2), ids)
}
