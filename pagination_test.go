package telnyx

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
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

func TestPagingStopRules(t *testing.T) {
	t.Parallel()
	size2 := &PortoutListParams{Page: PageParams{Size: 2}}
	tests := []struct {
		name    string
		params  *PortoutListParams
		pages   map[int]string
		wantIDs int
		asked   []int
	}{
		{"meta total pages", size2, map[int]string{
			1: pageJSON(items("a", 2), meta(1, 2, 3, 5)),
			2: pageJSON(items("b", 2), meta(2, 2, 3, 5)),
			3: pageJSON(items("c", 1), meta(3, 2, 3, 5)),
		}, 5, []int{1, 2, 3}},
		{"single page", nil, map[int]string{
			1: pageJSON(items("a", 20), meta(1, 20, 1, 20)),
		}, 20, []int{1}},
		{"page number beyond total pages", size2, map[int]string{
			1: pageJSON(items("a", 2), meta(1, 2, 2, 4)),
			2: pageJSON(items("b", 2), meta(3, 2, 2, 4)),
		}, 4, []int{1, 2}},
		{"empty page stops even when meta promises more", size2, map[int]string{
			1: pageJSON(items("a", 2), meta(1, 2, 5, 10)),
			2: pageJSON(`[]`, meta(2, 2, 5, 10)),
		}, 2, []int{1, 2}},
		{"empty first page", nil, map[int]string{
			1: pageJSON(`[]`, meta(1, 20, 0, 0)),
		}, 0, []int{1}},
		{"null data", nil, map[int]string{
			1: pageJSON(`null`, ""),
		}, 0, []int{1}},
		{"meta absent, short page ends", size2, map[int]string{
			1: pageJSON(items("a", 2), ""),
			2: pageJSON(items("b", 2), ""),
			3: pageJSON(items("c", 1), ""),
		}, 5, []int{1, 2, 3}},
		{"meta absent, empty page ends", size2, map[int]string{
			1: pageJSON(items("a", 2), ""),
			2: pageJSON(`[]`, ""),
		}, 2, []int{1, 2}},
		{"meta absent, default page size 20", nil, map[int]string{
			1: pageJSON(items("a", 20), ""),
			2: pageJSON(items("b", 19), ""),
		}, 39, []int{1, 2}},
		{"meta zero, short page ends", size2, map[int]string{
			1: pageJSON(items("a", 2), meta(0, 0, 0, 0)),
			2: pageJSON(items("b", 1), meta(0, 0, 0, 0)),
		}, 3, []int{1, 2}},
		{"meta null", size2, map[int]string{
			1: pageJSON(items("a", 1), "null"),
		}, 1, []int{1}},
		// A server that ignores page[number] answers page 2 with page 1
		// again: paging stops there, without repeating its items.
		{"meta stuck on page 1", size2, map[int]string{
			1: pageJSON(items("a", 2), meta(1, 2, 9, 18)),
			2: pageJSON(items("a", 2), meta(1, 2, 9, 18)),
			3: pageJSON(items("a", 2), meta(1, 2, 9, 18)),
		}, 2, []int{1, 2}},
		{"meta without total pages and stuck", size2, map[int]string{
			1: pageJSON(items("a", 2), meta(1, 2, 0, 0)),
			2: pageJSON(items("a", 2), meta(1, 2, 0, 0)),
		}, 2, []int{1, 2}},
		{"meta absent and the same full page for every number", size2, map[int]string{
			1: pageJSON(items("a", 2), ""),
			2: pageJSON(items("a", 2), ""),
			3: pageJSON(items("a", 2), ""),
		}, 2, []int{1, 2}},
		{"meta stuck but the page changes", size2, map[int]string{
			1: pageJSON(items("a", 2), meta(1, 2, 9, 18)),
			2: pageJSON(items("b", 2), meta(1, 2, 9, 18)),
		}, 4, []int{1, 2}},
		{"start at page 3", &PortoutListParams{Page: PageParams{Number: 3, Size: 2}}, map[int]string{
			3: pageJSON(items("c", 2), meta(3, 2, 4, 8)),
			4: pageJSON(items("d", 2), meta(4, 2, 4, 8)),
		}, 4, []int{3, 4}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, mock := newTestClient(t)
			pg := newPager(t, tt.pages)
			mock.RegisterResponder("GET", testURL("portouts"), pg.respond)

			ids, err := collectIDs(t, c, tt.params)
			require.NoError(t, err)
			assert.Len(t, ids, tt.wantIDs)
			assert.Equal(t, tt.asked, pg.Asked())

			// Page by page with NextPage gives the same requests.
			c2, mock2 := newTestClient(t)
			pg2 := newPager(t, tt.pages)
			mock2.RegisterResponder("GET", testURL("portouts"), pg2.respond)
			page, err := c2.Portouts.List(t.Context(), tt.params)
			require.NoError(t, err)
			n := len(page.Data)
			for page.HasNextPage() {
				page, err = page.NextPage(t.Context())
				require.NoError(t, err)
				if page == nil {
					break // the server repeated the page before
				}
				n += len(page.Data)
			}
			next, err := page.NextPage(t.Context())
			assert.NoError(t, err)
			assert.Nil(t, next, "nil, nil after the last page")
			assert.Equal(t, tt.wantIDs, n)
			assert.Equal(t, tt.asked, pg2.Asked())
		})
	}
}

func TestPagingKeepsOrderAndFilters(t *testing.T) {
	t.Parallel()
	c, mock := newTestClient(t)
	pg := newPager(t, map[int]string{
		1: pageJSON(items("a", 2), meta(1, 2, 2, 4)),
		2: pageJSON(items("b", 2), meta(2, 2, 2, 4)),
	})
	mock.RegisterResponder("GET", testURL("portouts"), pg.respond)
	ids, err := collectIDs(t, c, &PortoutListParams{
		Page:   PageParams{Size: 2},
		Filter: PortoutListFilter{StatusIn: []PortoutStatus{PortoutStatusPending, PortoutStatusAuthorized}},
	})
	require.NoError(t, err)
	assert.Equal(t, []string{"a0", "a1", "b0", "b1"}, ids)
	require.Len(t, pg.query, 2)
	for i, q := range pg.query {
		assert.Equal(t, "pending,authorized", q.Get("filter[status_in]"), "page %d", i+1)
		assert.Equal(t, "2", q.Get("page[size]"), "page %d", i+1)
	}
	assert.Empty(t, pg.query[0].Get("page[number]"), "page 1 is the default")
	assert.Equal(t, "2", pg.query[1].Get("page[number]"))
}

type ctxKey struct{}

func TestNextPageUsesCallersContextAndOptions(t *testing.T) {
	t.Parallel()
	c, mock := newTestClient(t)
	pg := newPager(t, map[int]string{
		1: pageJSON(items("a", 1), meta(1, 1, 2, 2)),
		2: pageJSON(items("b", 1), meta(2, 1, 2, 2)),
	})
	mock.RegisterResponder("GET", testURL("portouts"), pg.respond)

	ctx1 := context.WithValue(t.Context(), ctxKey{}, "first")
	page, err := c.Portouts.List(ctx1, &PortoutListParams{Page: PageParams{Size: 1}},
		WithHeader("X-Trace", "abc"), WithAPIKey("per-call-key"), WithUserAgent("job/1"))
	require.NoError(t, err)
	require.True(t, page.HasNextPage())

	ctx2 := context.WithValue(t.Context(), ctxKey{}, "second")
	page2, err := page.NextPage(ctx2)
	require.NoError(t, err)
	assert.Equal(t, "b0", page2.Data[0].ID)
	assert.Equal(t, 2, page2.Meta.PageNumber)

	require.Len(t, pg.hdr, 2)
	h := pg.hdr[1]
	assert.Equal(t, "abc", h.Get("X-Trace"), "a per-call header is still sent on page 2")
	assert.Equal(t, "Bearer per-call-key", h.Get("Authorization"))
	assert.True(t, strings.HasPrefix(h.Get("User-Agent"), "job/1 "))
	assert.Equal(t, "second", pg.ctxs[1].Value(ctxKey{}), "page 2 uses the context given to NextPage")

	// A cancelled context stops NextPage before anything is sent.
	cancelled, cancel := context.WithCancel(t.Context())
	cancel()
	_, err = page.NextPage(cancelled)
	assert.ErrorIs(t, err, context.Canceled)
}

func TestNextPageKeepsRetryOptions(t *testing.T) {
	t.Parallel()
	c, mock, rec := newTestClientSleeps(t)
	mock.RegisterResponder("GET", testURL("portouts"), sequence(
		jsonResponder(200, pageJSON(items("a", 1), meta(1, 1, 2, 2))),
		jsonResponder(503, ""), jsonResponder(503, ""), jsonResponder(503, ""),
		jsonResponder(200, pageJSON(items("b", 1), meta(2, 1, 2, 2))),
	))
	page, err := c.Portouts.List(t.Context(), &PortoutListParams{Page: PageParams{Size: 1}},
		WithMaxRetries(3), WithRetryBackoff(0, 0))
	require.NoError(t, err)
	page, err = page.NextPage(t.Context())
	require.NoError(t, err, "page 2 gets the call's 3 retries, not the client's 2")
	assert.Equal(t, "b0", page.Data[0].ID)
	assert.Equal(t, 5, mock.GetTotalCallCount())
	assert.Len(t, rec.Waits(), 3)
}

func TestHasNextPageOnHandMadePages(t *testing.T) {
	t.Parallel()
	var nilPage *Page[Portout]
	assert.False(t, nilPage.HasNextPage())
	p, err := nilPage.NextPage(t.Context())
	assert.NoError(t, err)
	assert.Nil(t, p)

	hand := &Page[Portout]{Data: []Portout{{ID: "x"}}, Meta: PageMeta{PageNumber: 1, TotalPages: 5}}
	assert.False(t, hand.HasNextPage())
	p, err = hand.NextPage(t.Context())
	assert.NoError(t, err)
	assert.Nil(t, p)
}

func TestListAutoPagingErrorYieldedOnce(t *testing.T) {
	t.Parallel()
	c, mock := newTestClient(t)
	pg := newPager(t, map[int]string{
		1: pageJSON(items("a", 2), meta(1, 2, 3, 6)),
		// page 2 missing: 404
		3: pageJSON(items("c", 2), meta(3, 2, 3, 6)),
	})
	mock.RegisterResponder("GET", testURL("portouts"), pg.respond)

	var ids []string
	var errs []error
	for p, err := range c.Portouts.ListAutoPaging(t.Context(), &PortoutListParams{Page: PageParams{Size: 2}}) {
		if err != nil {
			assert.Nil(t, p)
			errs = append(errs, err)
			continue // the iterator must stop by itself
		}
		ids = append(ids, p.ID)
	}
	assert.Equal(t, []string{"a0", "a1"}, ids)
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], ErrNotFound)
	assert.Equal(t, []int{1, 2}, pg.Asked(), "nothing fetched after the error")
}

func TestListAutoPagingFirstPageError(t *testing.T) {
	t.Parallel()
	c, mock := newTestClient(t)
	mock.RegisterResponder("GET", testURL("portouts"), jsonResponder(401, errorBody("10009", "Authentication failed", "")))
	ids, err := collectIDs(t, c, nil)
	assert.Empty(t, ids)
	assert.ErrorIs(t, err, ErrUnauthorized)
	assert.Equal(t, 1, mock.GetTotalCallCount())
}

func TestListAutoPagingInvalidParams(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		params *PortoutListParams
		opts   []Option
		field  string
	}{
		{"page size too big", &PortoutListParams{Page: PageParams{Size: 251}}, nil, "Page.Size"},
		{"page size negative", &PortoutListParams{Page: PageParams{Size: -1}}, nil, "Page.Size"},
		{"page number negative", &PortoutListParams{Page: PageParams{Number: -2}}, nil, "Page.Number"},
		{"bad option", nil, []Option{WithMaxRetries(-1)}, "WithMaxRetries"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, mock := newTestClient(t)
			mock.RegisterNoResponder(jsonResponder(200, pageJSON(`[]`, "")))
			ids, err := collectIDs(t, c, tt.params, tt.opts...)
			assert.Empty(t, ids)
			var ipe *InvalidParamsError
			require.ErrorAs(t, err, &ipe)
			assert.Equal(t, tt.field, ipe.Field)

			_, err = c.Portouts.List(t.Context(), tt.params, tt.opts...)
			require.ErrorAs(t, err, &ipe)
			assert.Equal(t, tt.field, ipe.Field)
			assert.Zero(t, mock.GetTotalCallCount())
		})
	}
}

func TestListAutoPagingBreakStopsFetching(t *testing.T) {
	t.Parallel()
	for _, prefetch := range []int{0, 3} {
		t.Run(fmt.Sprintf("prefetch %d", prefetch), func(t *testing.T) {
			t.Parallel()
			c, mock := newTestClient(t)
			pages := map[int]string{}
			for n := 1; n <= 10; n++ {
				pages[n] = pageJSON(items(fmt.Sprint("p", n, "-"), 2), meta(n, 2, 10, 20))
			}
			pg := newPager(t, pages)
			mock.RegisterResponder("GET", testURL("portouts"), pg.respond)
			seen := 0
			for p, err := range c.Portouts.ListAutoPaging(t.Context(), &PortoutListParams{Page: PageParams{Size: 2}}, WithPrefetch(prefetch)) {
				require.NoError(t, err)
				require.NotNil(t, p)
				seen++
				if seen == 3 {
					break
				}
			}
			assert.Equal(t, 3, seen)
			// Sequential paging stops at page 2; prefetching may have asked
			// for up to its window, but no further, and nothing runs on.
			asked := len(pg.Asked())
			assert.GreaterOrEqual(t, asked, 2)
			assert.LessOrEqual(t, asked, 2+prefetch)
		})
	}
}

func TestListAutoPagingCancelledContext(t *testing.T) {
	t.Parallel()
	c, mock := newTestClient(t)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	pg := newPager(t, map[int]string{
		1: pageJSON(items("a", 1), meta(1, 1, 3, 3)),
		2: pageJSON(items("b", 1), meta(2, 1, 3, 3)),
		3: pageJSON(items("c", 1), meta(3, 1, 3, 3)),
	})
	mock.RegisterResponder("GET", testURL("portouts"), pg.respond)
	var ids []string
	var gotErr error
	for p, err := range c.Portouts.ListAutoPaging(ctx, &PortoutListParams{Page: PageParams{Size: 1}}) {
		if err != nil {
			gotErr = err
			continue
		}
		ids = append(ids, p.ID)
		cancel()
	}
	assert.Equal(t, []string{"a0"}, ids)
	assert.ErrorIs(t, gotErr, context.Canceled)
}

func TestPageMetaDecoded(t *testing.T) {
	t.Parallel()
	c, mock := newTestClient(t)
	mock.RegisterResponder("GET", testURL("portouts"), jsonResponder(200, pageJSON(items("a", 1), meta(1, 20, 4, 61))))
	page, err := c.Portouts.List(t.Context(), nil)
	require.NoError(t, err)
	assert.Equal(t, PageMeta{PageNumber: 1, PageSize: 20, TotalPages: 4, TotalResults: 61}, page.Meta)
	assert.True(t, page.HasNextPage())
}

// listing is a pager over a fixed listing of total port-outs "p0",
// "p1"..., perPage at a time. mode decides the meta member: "ok",
// "missing", "zero", or "stuck" (the server ignores page[number] and always
// answers page 1, with meta saying 1 of 5).
func listing(t *testing.T, total, perPage int, mode string) *pager {
	pages := (total + perPage - 1) / perPage
	return &pager{t: t, limit: 50, body: func(page, _ int) string {
		if mode == "stuck" {
			page = 1
		}
		ids := make([]string, 0, perPage)
		for i := (page - 1) * perPage; i < min(page*perPage, total); i++ {
			ids = append(ids, fmt.Sprintf(`{"id":"p%d"}`, i))
		}
		data := "[" + strings.Join(ids, ",") + "]"
		switch mode {
		case "ok":
			return pageJSON(data, meta(page, perPage, pages, total))
		case "zero":
			return pageJSON(data, meta(0, 0, 0, 0))
		case "stuck":
			return pageJSON(data, meta(1, perPage, 5, 5*perPage))
		}
		return pageJSON(data, "")
	}}
}

func TestPagingMetaModes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		mode     string
		total    int
		prefetch int
		items    int // items yielded
		minReqs  int // requests the server saw
		maxReqs  int
	}{
		{"meta present", "ok", 45, 0, 45, 3, 3},
		{"meta present, prefetch", "ok", 45, 4, 45, 3, 3},
		{"meta missing", "missing", 45, 0, 45, 3, 3},
		{"meta missing, exact multiple", "missing", 40, 0, 40, 3, 3}, // the third page is empty
		{"meta missing, prefetch falls back", "missing", 45, 4, 45, 3, 3},
		{"meta zero", "zero", 45, 0, 45, 3, 3},
		{"meta zero, prefetch falls back", "zero", 45, 4, 45, 3, 3},
		// A server stuck on page 1: the second answer repeats the first, so
		// paging stops there without yielding the repeat.
		{"meta stuck on page 1", "stuck", 100, 0, 20, 2, 2},
		// With prefetch, pages 2 to 5 are asked for at once; the first of
		// them that repeats ends the listing and cancels the rest.
		{"meta stuck on page 1, prefetch", "stuck", 100, 4, 20, 2, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			pg := listing(t, tt.total, 20, tt.mode)
			c, mock := newTestClient(t)
			mock.RegisterResponder(http.MethodGet, testURL("portouts"), pg.respond)
			start := time.Now()
			n := 0
			for p, err := range c.Portouts.ListAutoPaging(t.Context(), nil, WithPrefetch(tt.prefetch)) {
				require.NoError(t, err)
				require.NotNil(t, p)
				n++
			}
			elapsed := time.Since(start)
			reqs := pg.Requests()
			t.Logf("pagination %s | server saw %d | %d items | %s", tt.name, reqs, n, elapsed.Round(time.Millisecond))
			assert.Equal(t, tt.items, n)
			assert.GreaterOrEqual(t, reqs, tt.minReqs)
			assert.LessOrEqual(t, reqs, tt.maxReqs)
			assert.Less(t, elapsed, quick)
		})
	}
}

// The paging fake, shared by the paging tests (this file, prefetch_test.go
// and paging_guard_test.go).

// pager is the fake list endpoint of the paging tests, an httpmock
// responder. It answers the page number asked for (1 when page[number] is
// absent) with body(page, call), call counting the requests so far, and an
// X-Page header; an empty body is a 404. It records every request and how
// many were in flight at once, and fails the test past limit requests, so
// that paging that would never end fails instead of hanging.
type pager struct {
	t     testing.TB
	body  func(page, call int) string
	limit int
	// before, when set, runs before a page is answered; it may block, or
	// fail the request with its error.
	before func(req *http.Request, page int) error

	mu    sync.Mutex
	asked []int
	query []url.Values
	hdr   []http.Header
	ctxs  []context.Context

	inFlight, maxInFlight atomic.Int32
}

// newPager answers from fixed pages; a page missing from the map is a 404.
func newPager(t testing.TB, pages map[int]string) *pager {
	return &pager{t: t, limit: 50, body: func(n, _ int) string { return pages[n] }}
}

// portoutPages answers pages 1 to pages with perPage port-outs whose IDs
// are "p<page>-<index>", later pages with none, and with meta when asked.
func portoutPages(t testing.TB, pages, perPage int, withMeta bool) *pager {
	return &pager{t: t, limit: 50, body: func(n, _ int) string {
		data := "[]"
		if n <= pages {
			data = items(fmt.Sprintf("p%d-", n), perPage)
		}
		if !withMeta {
			return pageJSON(data, "")
		}
		return pageJSON(data, meta(n, perPage, pages, pages*perPage))
	}}
}

func (p *pager) respond(req *http.Request) (*http.Response, error) {
	n := 1
	if s := req.URL.Query().Get("page[number]"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil {
			return nil, err
		}
	}
	p.mu.Lock()
	p.asked = append(p.asked, n)
	p.query = append(p.query, req.URL.Query())
	p.hdr = append(p.hdr, req.Header.Clone())
	p.ctxs = append(p.ctxs, req.Context())
	call := len(p.asked)
	p.mu.Unlock()
	if call > p.limit {
		p.t.Errorf("more than %d page requests: endless paging", p.limit)
		return httpmock.NewStringResponse(500, ""), nil
	}
	cur := p.inFlight.Add(1)
	defer p.inFlight.Add(-1)
	for {
		m := p.maxInFlight.Load()
		if cur <= m || p.maxInFlight.CompareAndSwap(m, cur) {
			break
		}
	}
	if p.before != nil {
		if err := p.before(req, n); err != nil {
			return nil, err
		}
	}
	body := p.body(n, call)
	if body == "" {
		return httpmock.NewStringResponse(404, errorBody("10005", "Not found", "no page "+strconv.Itoa(n))), nil
	}
	resp := httpmock.NewStringResponse(200, body)
	resp.Header.Set("X-Page", strconv.Itoa(n))
	return resp, nil
}

// Requests returns how many requests arrived so far.
func (p *pager) Requests() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.asked)
}

// Asked returns the page numbers asked for, in arrival order.
func (p *pager) Asked() []int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]int(nil), p.asked...)
}

// items builds a JSON array of n port-outs with IDs prefix0, prefix1, ...
func items(prefix string, n int) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = fmt.Sprintf(`{"id":"%s%d"}`, prefix, i)
	}
	return "[" + strings.Join(parts, ",") + "]"
}

func pageJSON(data string, meta string) string {
	if meta == "" {
		return `{"data":` + data + `}`
	}
	return `{"data":` + data + `,"meta":` + meta + `}`
}

func meta(number, size, totalPages, totalResults int) string {
	return fmt.Sprintf(`{"page_number":%d,"page_size":%d,"total_pages":%d,"total_results":%d}`, number, size, totalPages, totalResults)
}

// collectIDs runs ListAutoPaging and returns the IDs yielded and the error,
// checking that an error comes once, alone.
func collectIDs(t *testing.T, c *Client, params *PortoutListParams, opts ...Option) ([]string, error) {
	t.Helper()
	var ids []string
	var firstErr error
	errs := 0
	for p, err := range c.Portouts.ListAutoPaging(t.Context(), params, opts...) {
		if err != nil {
			assert.Nil(t, p)
			errs++
			firstErr = err
			continue
		}
		require.NotNil(t, p)
		ids = append(ids, p.ID)
	}
	assert.LessOrEqual(t, errs, 1, "an error is yielded once")
	return ids, firstErr
}
