package telnyx

import (
	"context"
	"hash/maphash"
	"iter"
	"math"
	"net/http"
	"net/url"
	"reflect"
	"strconv"

	"github.com/a54710f5/telnyx-go/internal/requestconfig"
)

// PageParams selects a page of a list: page[number] (from 1) and page[size]
// (1 to 250). Zero values are left out, and the API uses page 1 of 20.
type PageParams struct {
	Number int `url:"number,omitempty"`
	Size   int `url:"size,omitempty"`
}

// validate checks the bounds of the spec before anything is sent.
func (p PageParams) validate() error {
	if p.Number < 0 {
		return invalid("Page.Number", strconv.Itoa(p.Number)+" is below 1")
	}
	if p.Size < 0 || p.Size > maxPageSize {
		return invalid("Page.Size", strconv.Itoa(p.Size)+" is outside 1 to 250")
	}
	return nil
}

const (
	maxPageSize     = 250
	defaultPageSize = 20
)

// PageMeta is the "meta" member of a list answer.
type PageMeta struct {
	PageNumber   int `json:"page_number"`
	PageSize     int `json:"page_size"`
	TotalPages   int `json:"total_pages"`
	TotalResults int `json:"total_results"`
}

// Page is one page of a list. NextPage fetches the one after it with the
// same filters and options.
//
// Lists are paged by offset: page 2 is "the items after the first page's
// worth", counted when page 2 is asked for. Changing what a list selects
// while paging through it (authorizing port-outs while paging the pending
// ones, say) shifts the items under the pages still to come, so some are
// never seen. Collect first, then act; or page from the last page back.
type Page[T any] struct {
	Data []T
	Meta PageMeta

	hasMeta bool           // the answer carried a "meta" member
	number  int            // the page number that was asked for
	resp    *http.Response // the answer, for WithResponseInto
	l       *lister[T]     // how to fetch another page; nil for a hand-made Page
}

// HasNextPage reports whether another page may follow. It is false after an
// empty page or when meta says this is the last page; where meta is absent,
// zero, or does not answer the page asked for, it is false when the page
// holds fewer items than asked for or its page number did not advance.
func (p *Page[T]) HasNextPage() bool {
	if p == nil || p.l == nil || len(p.Data) == 0 {
		return false
	}
	if _, ok := pageAfter(p.number); !ok {
		return false
	}
	if p.metaAnswers() {
		return p.Meta.PageNumber < p.Meta.TotalPages
	}
	if p.hasMeta && p.Meta.PageNumber != 0 && p.Meta.PageNumber != p.number {
		return false // the server ignored the page asked for: it would loop
	}
	return len(p.Data) >= p.l.size()
}

// metaAnswers reports whether meta can be trusted for paging: present, with
// a page count, and about the page that was asked for.
func (p *Page[T]) metaAnswers() bool {
	return p.hasMeta && p.Meta.TotalPages > 0 && p.Meta.PageNumber == p.number
}

// NextPage fetches the next page with ctx and the options of the call that
// produced p. It returns nil, nil after the last page, and also when the
// next page holds the same items as p: a server that ignores page[number],
// or whose meta promises more pages than it has, would otherwise be asked
// forever.
func (p *Page[T]) NextPage(ctx context.Context) (*Page[T], error) {
	if !p.HasNextPage() {
		return nil, nil
	}
	n, _ := pageAfter(p.number)
	next, err := p.l.fetch(ctx, n, false)
	if err != nil {
		p.l.show(next)
		return nil, err
	}
	if p.l.repeats(p, next) {
		return nil, nil
	}
	p.l.show(next)
	return next, nil
}

// pageAfter returns the number of the page after page n, or false when n
// is math.MaxInt: n+1 would wrap around, and a page number below 2 asks for
// page 1 again. Sequential paging and prefetching both count pages with it.
func pageAfter(n int) (int, bool) {
	if n >= math.MaxInt {
		return 0, false
	}
	return n + 1, true
}

// lister fetches the pages of one list call.
type lister[T any] struct {
	c        *Client
	cfg      *requestconfig.Config // the call's options, resolved once
	route    string
	query    url.Values      // filters and page[size]; page[number] is set per page
	pageSize int             // page[size] asked for, 0 when left to the API
	id       func(*T) string // reads an item's ID; nil when T has none
}

func (l *lister[T]) size() int {
	if l.pageSize > 0 {
		return l.pageSize
	}
	return defaultPageSize
}

// newLister encodes params (a struct with url tags whose page[number] and
// page[size] come from a PageParams, or nil) once, and checks the paging
// bounds and the options before anything is sent.
func newLister[T any](c *Client, route string, params any, opts []Option) (*lister[T], int, error) {
	q, err := queryValues(params)
	if err != nil {
		return nil, 0, invalid("params", "cannot encode the query: "+err.Error())
	}
	page := pageOf(q)
	if err := page.validate(); err != nil {
		return nil, 0, err
	}
	if err := c.ready(); err != nil {
		return nil, 0, err
	}
	cfg, err := c.config(opts)
	if err != nil {
		return nil, 0, err
	}
	q.Del("page[number]")
	l := &lister[T]{c: c, cfg: cfg, route: route, query: q, pageSize: page.Size, id: idOf[T]()}
	return l, max(page.Number, 1), nil
}

// pageOf reads the page number and size an encoded query asks for.
func pageOf(q url.Values) PageParams {
	var p PageParams
	p.Number, _ = strconv.Atoi(q.Get("page[number]"))
	p.Size, _ = strconv.Atoi(q.Get("page[size]"))
	return p
}

// fetch asks for page number. ahead marks a page fetched ahead of the
// caller, whose 429 answers the prefetcher handles (fetchAhead).
func (l *lister[T]) fetch(ctx context.Context, number int, ahead bool) (*Page[T], error) {
	q := make(url.Values, len(l.query)+1)
	for k, v := range l.query {
		q[k] = v
	}
	if number > 1 {
		q["page[number]"] = []string{strconv.Itoa(number)}
	}
	p := &Page[T]{number: number, l: l}
	// Each page keeps its own answer; the caller's WithResponseInto gets
	// it when the page becomes the current one (show).
	cfg := *l.cfg
	cfg.ResponseInto, cfg.DeferRateLimit = &p.resp, ahead
	var env envelope[[]T]
	if err := doWith(ctx, &cfg, request{method: http.MethodGet, route: l.route, query: q}, &env); err != nil {
		return p, err
	}
	p.Data = env.Data
	if env.Meta != nil {
		p.Meta, p.hasMeta = *env.Meta, true
	}
	return p, nil
}

// show makes p the page the caller is on, for WithResponseInto: its
// answer, or the failed one when fetching it failed.
func (l *lister[T]) show(p *Page[T]) {
	if l.cfg.ResponseInto != nil && p != nil && p.resp != nil {
		*l.cfg.ResponseInto = p.resp
	}
}

// repeats reports whether next holds exactly the items of prev, in order:
// the same IDs, or where items have none, equal items.
func (l *lister[T]) repeats(prev, next *Page[T]) bool {
	if len(prev.Data) == 0 || len(prev.Data) != len(next.Data) {
		return false
	}
	for i := range next.Data {
		a, b := &prev.Data[i], &next.Data[i]
		if l.id != nil {
			if ida, idb := l.id(a), l.id(b); ida != "" || idb != "" {
				if ida != idb {
					return false
				}
				continue
			}
		}
		if !reflect.DeepEqual(*a, *b) {
			return false
		}
	}
	return true
}

// sum hashes the IDs of p's items, in order; ok is false when an item has
// none.
func (l *lister[T]) sum(p *Page[T]) (sum uint64, ok bool) {
	if l.id == nil || len(p.Data) == 0 {
		return 0, false
	}
	var h maphash.Hash
	h.SetSeed(ringSeed)
	for i := range p.Data {
		id := l.id(&p.Data[i])
		if id == "" {
			return 0, false
		}
		_, _ = h.WriteString(id) // a maphash write cannot fail
		_ = h.WriteByte(0)
	}
	return h.Sum64(), true
}

// idOf returns how to read T's string field ID, or nil when T has none.
func idOf[T any]() func(*T) string {
	t := reflect.TypeFor[T]()
	if t.Kind() != reflect.Struct {
		return nil
	}
	f, ok := t.FieldByName("ID")
	if !ok || f.Type.Kind() != reflect.String || len(f.Index) != 1 {
		return nil
	}
	return func(v *T) string { return reflect.ValueOf(v).Elem().Field(f.Index[0]).String() }
}

// pageRing remembers the item IDs of the last pages an auto-paging loop
// yielded, so that a server cycling through a few pages (A, B, A, B...)
// while its meta promises more ends the loop like one repeating a page.
type pageRing struct {
	sums [ringPages]uint64
	n    int
}

const ringPages = 64

var ringSeed = maphash.MakeSeed()

// known reports whether a page whose IDs hash to sum was remembered, and
// remembers it. A page whose items have no IDs (ok false) is never known:
// only the page before is compared, by value (see repeats).
func (r *pageRing) known(sum uint64, ok bool) bool {
	if !ok {
		return false
	}
	for i := range min(r.n, ringPages) {
		if r.sums[i] == sum {
			return true
		}
	}
	r.sums[r.n%ringPages] = sum
	r.n++
	return false
}

// list fetches the first page of a list call.
func list[T any](ctx context.Context, c *Client, route string, params any, opts []Option) (*Page[T], error) {
	l, first, err := newLister[T](c, route, params, opts)
	if err != nil {
		return nil, err
	}
	p, err := l.fetch(ctx, first, false)
	l.show(p)
	if err != nil {
		return nil, err
	}
	return p, nil
}

// listAll yields every item of every page of a list call, in order. With
// WithPrefetch(n) and a first page that tells total_pages, up to n later pages
// are fetched concurrently while the caller works through the current one.
func listAll[T any](ctx context.Context, c *Client, route string, params any, opts []Option) iter.Seq2[*T, error] {
	return func(yield func(*T, error) bool) {
		l, first, err := newLister[T](c, route, params, opts)
		if err != nil {
			yield(nil, err)
			return
		}
		p, err := l.fetch(ctx, first, false)
		l.show(p)
		if err != nil {
			yield(nil, err)
			return
		}
		if l.cfg.Prefetch > 0 && p.metaAnswers() {
			if !yieldPage(p, yield) {
				return
			}
			prefetchPages(ctx, l, p, yield)
			return
		}
		var seen pageRing
		seen.known(l.sum(p))
		for p != nil {
			if !yieldPage(p, yield) {
				return
			}
			if p, err = p.NextPage(ctx); err != nil {
				yield(nil, err)
				return
			}
			if p != nil && seen.known(l.sum(p)) {
				return // a page seen a few pages back: the server cycles
			}
		}
	}
}

// failed returns an iterator that yields err once: a list call whose
// arguments were refused.
func failed[T any](err error) iter.Seq2[*T, error] {
	return func(yield func(*T, error) bool) { yield(nil, err) }
}

func yieldPage[T any](p *Page[T], yield func(*T, error) bool) bool {
	for i := range p.Data {
		if !yield(&p.Data[i], nil) {
			return false
		}
	}
	return true
}
