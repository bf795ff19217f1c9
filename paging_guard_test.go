package telnyx

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Regression tests for paging against servers that misbehave (review items
// 10 to 12): pages that repeat with a changing byte, a page number at the
// end of int, and WithResponseInto under prefetching.

// Item 10: the "same page again" guard looks at the items' IDs, not the
// bytes of the answer: a counter in the body, a page number that advances
// in meta, or a field of an item that changes no longer defeat it.
func TestPagingStopsWhenItemsRepeat(t *testing.T) {
	t.Parallel()
	const huge = 1 << 62
	tests := []struct {
		name     string
		prefetch int
		body     func(page, call int) string
		maxAsked int // requests allowed: the first page, then the repeat (and, prefetching, the window)
	}{
		{"meta claims 2^62 pages and advances", 0, func(page, _ int) string {
			return pageJSON(items("a", 2), meta(page, 2, huge, huge))
		}, 2},
		{"meta claims 2^62 pages and advances, prefetch", 4, func(page, _ int) string {
			return pageJSON(items("a", 2), meta(page, 2, huge, huge))
		}, 6},
		{"no meta, a counter in the body", 0, func(_, n int) string {
			return `{"data":` + items("a", 2) + `,"served":` + strconv.Itoa(n) + `}`
		}, 2},
		{"meta stuck on page 1, a counter in the body", 0, func(_, n int) string {
			return `{"data":` + items("a", 2) + `,"meta":` + meta(1, 2, 9, 18) + `,"served":` + strconv.Itoa(n) + `}`
		}, 2},
		{"the same IDs with a changed status", 0, func(page, _ int) string {
			return pageJSON(`[{"id":"a0","status":"pending"},{"id":"a1","status":"`+strconv.Itoa(page)+`"}]`, meta(page, 2, 5, 10))
		}, 2},
		{"the same IDs with a changed status, prefetch", 3, func(page, _ int) string {
			return pageJSON(`[{"id":"a0","status":"pending"},{"id":"a1","status":"`+strconv.Itoa(page)+`"}]`, meta(page, 2, 5, 10))
		}, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := &pager{t: t, limit: 10, body: tt.body}
			c, mock := newTestClient(t)
			mock.RegisterResponder(http.MethodGet, testURL("portouts"), srv.respond)
			params := &PortoutListParams{Page: PageParams{Size: 2}}
			ids, err := collectIDs(t, c, params, WithPrefetch(tt.prefetch))
			require.NoError(t, err)
			assert.Equal(t, []string{"a0", "a1"}, ids, "the repeated items are never yielded")
			asked := srv.Asked()
			assert.GreaterOrEqual(t, len(asked), 2)
			assert.LessOrEqual(t, len(asked), tt.maxAsked)
			assert.Equal(t, 1, asked[0])
			assert.Contains(t, asked, 2)

			if tt.prefetch == 0 {
				// NextPage applies the same guard.
				c, mock := newTestClient(t)
				mock.RegisterResponder(http.MethodGet, testURL("portouts"), (&pager{t: t, limit: 10, body: tt.body}).respond)
				page, err := c.Portouts.List(t.Context(), params)
				require.NoError(t, err)
				next, err := page.NextPage(t.Context())
				require.NoError(t, err)
				assert.Nil(t, next, "a page repeating the one before ends paging")
			}
		})
	}
}

// A page whose items differ from the previous page's goes on being yielded,
// even where only one ID changes.
func TestPagingGuardLetsNewItemsThrough(t *testing.T) {
	t.Parallel()
	srv := &pager{t: t, limit: 10, body: func(page, _ int) string {
		return pageJSON(`[{"id":"a0"},{"id":"p`+strconv.Itoa(page)+`"}]`, meta(page, 2, 3, 6))
	}}
	c, mock := newTestClient(t)
	mock.RegisterResponder(http.MethodGet, testURL("portouts"), srv.respond)
	ids, err := collectIDs(t, c, &PortoutListParams{Page: PageParams{Size: 2}})
	require.NoError(t, err)
	assert.Equal(t, []string{"a0", "p1", "a0", "p2", "a0", "p3"}, ids)
	assert.Equal(t, []int{1, 2, 3}, srv.Asked())
}

// Item 11: a page number of math.MaxInt has no next page: the next number
// would wrap around, drop page[number] and start over at page 1.
func TestPageNumberMaxIntHasNoNextPage(t *testing.T) {
	t.Parallel()
	srv := &pager{t: t, limit: 10, body: func(page, _ int) string {
		// A full page without meta: only its size could say "more".
		return pageJSON(items(fmt.Sprintf("p%d-", page), 2), "")
	}}
	newClient := func() *Client {
		c, mock := newTestClient(t)
		mock.RegisterResponder(http.MethodGet, testURL("portouts"), srv.respond)
		return c
	}
	params := &PortoutListParams{Page: PageParams{Number: math.MaxInt, Size: 2}}

	page, err := newClient().Portouts.List(t.Context(), params)
	require.NoError(t, err)
	assert.False(t, page.HasNextPage())
	next, err := page.NextPage(t.Context())
	require.NoError(t, err)
	assert.Nil(t, next)

	ids, err := collectIDs(t, newClient(), params)
	require.NoError(t, err)
	want := fmt.Sprintf("p%d-", math.MaxInt)
	assert.Equal(t, []string{want + "0", want + "1"}, ids, "page 1 never follows page MaxInt")
	assert.Equal(t, []int{math.MaxInt, math.MaxInt}, srv.Asked(), "one request per listing, both for page MaxInt")
}

// Item 12: with WithPrefetch, every page keeps its own response, and the
// destination of WithResponseInto holds the response of the page whose
// items are being yielded. Run with -race: the prefetching goroutines never
// write the caller's destination.
func TestResponseIntoFollowsTheYieldedPage(t *testing.T) {
	t.Parallel()
	for _, prefetch := range []int{0, 1, 4} {
		t.Run(fmt.Sprintf("prefetch %d", prefetch), func(t *testing.T) {
			t.Parallel()
			const pages = 8
			c, mock := newTestClient(t)
			mock.RegisterResponder(http.MethodGet, testURL("portouts"), portoutPages(t, pages, 3, true).respond) // X-Page: n
			var resp *http.Response
			seen := 0
			for p, err := range c.Portouts.ListAutoPaging(t.Context(), &PortoutListParams{Page: PageParams{Size: 3}},
				WithPrefetch(prefetch), WithResponseInto(&resp)) {
				require.NoError(t, err)
				require.NotNil(t, resp)
				page := p.ID[1 : len(p.ID)-2] // "p<n>-<i>"
				assert.Equal(t, page, resp.Header.Get("X-Page"), "at %s", p.ID)
				seen++
			}
			assert.Equal(t, 3*pages, seen)
			require.NotNil(t, resp)
			assert.Equal(t, strconv.Itoa(pages), resp.Header.Get("X-Page"), "the last page's response stays")
		})
	}
}

// Item 11, prefetching: the pages fetched ahead stop at page math.MaxInt
// too, whatever meta claims, instead of wrapping around to page 1.
func TestPrefetchStopsAtPageMaxInt(t *testing.T) {
	t.Parallel()
	for name, start := range map[string]int{"from MaxInt": math.MaxInt, "from MaxInt-2": math.MaxInt - 2} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := &pager{t: t, limit: 10, body: func(page, _ int) string {
				// Meta answers every page and counts MaxInt pages.
				return pageJSON(items(fmt.Sprintf("p%d-", page), 2), meta(page, 2, math.MaxInt, math.MaxInt))
			}}
			c, mock := newTestClient(t)
			mock.RegisterResponder(http.MethodGet, testURL("portouts"), srv.respond)
			ids, err := collectIDs(t, c, &PortoutListParams{Page: PageParams{Number: start, Size: 2}}, WithPrefetch(4))
			require.NoError(t, err)
			var want []string
			for n := start; ; n++ {
				want = append(want, fmt.Sprintf("p%d-0", n), fmt.Sprintf("p%d-1", n))
				if n == math.MaxInt {
					break
				}
			}
			assert.Equal(t, want, ids, "pages up to MaxInt, then none")
			assert.NotContains(t, srv.Asked(), 1, "page 1 is never asked for")
		})
	}
}

// A server that cycles through a few pages (A, B, A, B...) while its meta
// promises billions more is caught too: auto-paging remembers the IDs of
// the last pages it yielded.
func TestPagingStopsWhenPagesCycle(t *testing.T) {
	t.Parallel()
	const huge = 1 << 40
	for _, prefetch := range []int{0, 3} {
		t.Run(fmt.Sprintf("prefetch%d", prefetch), func(t *testing.T) {
			t.Parallel()
			srv := &pager{t: t, limit: 12, body: func(page, _ int) string {
				prefix := []string{"a", "b", "c"}[(page-1)%3]
				return pageJSON(items(prefix, 2), meta(page, 2, huge, huge))
			}}
			c, mock := newTestClient(t)
			mock.RegisterResponder(http.MethodGet, testURL("portouts"), srv.respond)
			ids, err := collectIDs(t, c, &PortoutListParams{Page: PageParams{Size: 2}}, WithPrefetch(prefetch))
			require.NoError(t, err)
			assert.Equal(t, []string{"a0", "a1", "b0", "b1", "c0", "c1"}, ids, "each page once; the cycle ends the listing")
		})
	}
}
