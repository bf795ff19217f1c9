package telnyx

import (
	"context"
	"iter"
	"net/url"
	"strconv"
	"sync"
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
type Page[T any] struct {
	Data []T
	Meta PageMeta

	hasMeta bool       // the answer carried a "meta" member
	number  int        // the page number that was asked for
	sum     uint64     // hash of the answer's body
	l       *lister[T] // how to fetch another page; nil for a hand-made Page
}

// HasNextPage reports whether another page may follow. It is false after an
// empty page or when meta says this is the last page; where meta is absent,
// zero, or does not answer the page asked for, it is false when the page
// holds fewer items than asked for or its page number did not advance.
func (p *Page[T]) HasNextPage() bool {
	if p == nil || p.l == nil || len(p.Data) == 0 {
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
// server, without usable meta, answers the next page number with exactly
// the same page: it ignores page[number], and asking on would never end.
func (p *Page[T]) NextPage(ctx context.Context) (*Page[T], error) {
	if !p.HasNextPage() {
		return nil, nil
	}
	next, err := p.l.fetch(ctx, p.number+1)
	if err != nil {
		return nil, err
	}
	if !next.metaAnswers() && next.sum == p.sum {
		return nil, nil
	}
	return next, nil
}

// lister fetches pages of one list call: its route, its query without the
// page number, and its resolved options.
type lister[T any] struct {
	c        *Client
	cfg      *requestConfig
	route    string
	query    url.Values // filters and page[size]; page[number] is set per page
	pageSize int        // page[size] asked for, 0 when left to the API
	decode   pageDecoder[T]
}

// pageDecoder returns where to decode a list answer, and a function that
// hands back its items and meta once decoding is done.
type pageDecoder[T any] func() (dst any, result func() ([]T, *PageMeta))

// plainPage decodes the items with their own JSON methods.
func plainPage[T any]() (any, func() ([]T, *PageMeta)) {
	env := new(envelope[[]T])
	return env, func() ([]T, *PageMeta) { return env.Data, env.Meta }
}

func (l *lister[T]) size() int {
	if l.pageSize > 0 {
		return l.pageSize
	}
	return defaultPageSize
}

// newLister validates the paging params, encodes params and resolves opts.
func newLister[T any](c *Client, route string, page PageParams, params any, decode pageDecoder[T], opts []Option) (*lister[T], int, error) {
	if err := page.validate(); err != nil {
		return nil, 0, err
	}
	cfg, err := c.config(opts)
	if err != nil {
		return nil, 0, err
	}
	r := &request{method: "GET", route: "/" + route}
	q, err := queryValues(r, params)
	if err != nil {
		return nil, 0, err
	}
	q.Del("page[number]")
	first := page.Number
	if first == 0 {
		first = 1
	}
	return &lister[T]{c: c, cfg: cfg, route: route, query: q, pageSize: page.Size, decode: decode}, first, nil
}

func (l *lister[T]) fetch(ctx context.Context, number int) (*Page[T], error) {
	q := make(url.Values, len(l.query)+1)
	for k, v := range l.query {
		q[k] = v
	}
	if number > 1 {
		q["page[number]"] = []string{strconv.Itoa(number)}
	}
	r := &request{method: "GET", route: "/" + l.route, path: l.route, query: q.Encode()}
	dst, result := l.decode()
	r.out = dst
	var sum uint64
	r.sum = &sum
	if err := l.c.do(ctx, l.cfg, r); err != nil {
		return nil, err
	}
	data, meta := result()
	p := &Page[T]{Data: data, number: number, l: l, sum: sum}
	if meta != nil {
		p.Meta, p.hasMeta = *meta, true
	}
	return p, nil
}

// list fetches the first page of a list call.
func list[T any](ctx context.Context, c *Client, route string, page PageParams, params any, decode pageDecoder[T], opts []Option) (*Page[T], error) {
	l, first, err := newLister(c, route, page, params, decode, opts)
	if err != nil {
		return nil, err
	}
	return l.fetch(ctx, first)
}

// listAll yields every item of every page of a list call, in order. With
// WithPrefetch(n) and a first page that tells total_pages, up to n later pages
// are fetched concurrently while the caller works through the current one.
func listAll[T any](ctx context.Context, c *Client, route string, page PageParams, params any, decode pageDecoder[T], opts []Option) iter.Seq2[*T, error] {
	return func(yield func(*T, error) bool) {
		l, first, err := newLister(c, route, page, params, decode, opts)
		if err != nil {
			yield(nil, err)
			return
		}
		p, err := l.fetch(ctx, first)
		if err != nil {
			yield(nil, err)
			return
		}
		if l.cfg.prefetch > 0 && p.metaAnswers() {
			if !yieldPage(p, yield) {
				return
			}
			prefetchPages(ctx, l, p, yield)
			return
		}
		for p != nil {
			if !yieldPage(p, yield) {
				return
			}
			if p, err = p.NextPage(ctx); err != nil {
				yield(nil, err)
				return
			}
		}
	}
}

func yieldPage[T any](p *Page[T], yield func(*T, error) bool) bool {
	for i := range p.Data {
		if !yield(&p.Data[i], nil) {
			return false
		}
	}
	return true
}

// prefetchPages yields the pages after first, keeping up to prefetch
// requests in flight ahead of the page being yielded. Pages are yielded in
// order; an error is yielded where its page belongs. When the loop ends, for
// whatever reason, in-flight requests are cancelled and waited for, so no
// goroutine outlives the iterator.
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

	last := first.Meta.TotalPages
	next := first.number + 1 // the next page to request
	var window []chan result // one slot per requested page, in page order
	start := func() {
		ch := make(chan result, 1)
		window = append(window, ch)
		n := next
		next++
		wg.Add(1)
		go func() {
			defer wg.Done()
			p, err := l.fetch(ctx, n)
			ch <- result{p, err}
		}()
	}
	for len(window) < l.cfg.prefetch && next <= last {
		start()
	}
	prev := first.sum
	for len(window) > 0 {
		res := <-window[0]
		window = window[1:]
		if res.err != nil {
			yield(nil, res.err)
			return
		}
		p := res.page
		if p.number > last {
			return // a later page shrank the listing below this one
		}
		if !p.metaAnswers() && p.sum == prev {
			return // the same answer again: the server ignores page[number]
		}
		prev = p.sum
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
		for len(window) < l.cfg.prefetch && next <= last {
			start()
		}
	}
}
