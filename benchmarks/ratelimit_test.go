package benchmarks

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	telnyx "github.com/a54710f5/telnyx-go"
)

// A listing behind a server's rate limit: 40 pages of 100 port-outs, 30 ms
// per page, and a token bucket of 50 requests a second with a burst of 5
// that answers 429 with Retry-After-Ms when empty. Prefetching 8 pages trips
// the limit at once; the listing must still finish, every item once and in
// order, and no slower than fetching one page at a time, which never trips
// it.
const (
	limitedPages    = 40
	limitedPageSize = 100
	limitedLatency  = 30 * time.Millisecond
	limitedRate     = 50 // requests per second
	limitedBurst    = 5
)

// bucket is a token bucket over real time.
type bucket struct {
	mu     sync.Mutex
	tokens float64
	last   time.Time
}

// take spends a token, or says how long until one is there.
func (b *bucket) take(now time.Time) (ok bool, wait time.Duration) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.last.IsZero() {
		b.tokens, b.last = limitedBurst, now
	}
	b.tokens = min(limitedBurst, b.tokens+now.Sub(b.last).Seconds()*limitedRate)
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, time.Duration((1 - b.tokens) / limitedRate * float64(time.Second))
}

func newLimitedServer(b *testing.B) (*httptest.Server, *int) {
	b.Helper()
	pages := make([][]byte, limitedPages)
	for p := range pages {
		var buf bytes.Buffer
		buf.WriteString(`{"data":[`)
		for i := range limitedPageSize {
			if i > 0 {
				buf.WriteByte(',')
			}
			buf.WriteString(portoutJSON(p*limitedPageSize + i))
		}
		fmt.Fprintf(&buf, `],"meta":{"page_number":%d,"page_size":%d,"total_pages":%d,"total_results":%d}}`,
			p+1, limitedPageSize, limitedPages, limitedPages*limitedPageSize)
		pages[p] = buf.Bytes()
	}
	lim := &bucket{}
	var mu sync.Mutex
	refused := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if ok, wait := lim.take(time.Now()); !ok {
			mu.Lock()
			refused++
			mu.Unlock()
			w.Header().Set("Retry-After-Ms", strconv.FormatInt(wait.Milliseconds()+1, 10))
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		n := 1
		if v := r.URL.Query().Get("page[number]"); v != "" {
			n, _ = strconv.Atoi(v)
		}
		time.Sleep(limitedLatency)
		w.Header().Set("Content-Type", "application/json")
		if n < 1 || n > limitedPages {
			_, _ = w.Write([]byte(`{"data":[]}`))
			return
		}
		_, _ = w.Write(pages[n-1])
	}))
	b.Cleanup(srv.Close)
	return srv, &refused
}

func BenchmarkRateLimitedListing(b *testing.B) {
	for _, prefetch := range []int{0, 8} {
		b.Run(fmt.Sprintf("prefetch%d", prefetch), func(b *testing.B) {
			srv, refused := newLimitedServer(b)
			c, err := telnyx.NewClient(telnyx.WithAPIKey("bench-key"), telnyx.WithBaseURL(srv.URL),
				telnyx.WithHTTPClient(srv.Client()))
			if err != nil {
				b.Fatal(err)
			}
			params := &telnyx.PortoutListParams{Page: telnyx.PageParams{Size: limitedPageSize}}
			for b.Loop() {
				// Let the bucket fill again between runs.
				time.Sleep(limitedBurst * time.Second / limitedRate)
				want := 0
				for p, err := range c.Portouts.ListAutoPaging(context.Background(), params, telnyx.WithPrefetch(prefetch)) {
					if err != nil {
						b.Fatalf("after %d items: %v", want, err)
					}
					if id := fmt.Sprintf("0ccc7b54-4df3-4bca-a65a-%012d", want); p.ID != id {
						b.Fatalf("item %d is %s, want %s", want, p.ID, id)
					}
					want++
				}
				if want != limitedPages*limitedPageSize {
					b.Fatalf("%d items, want %d", want, limitedPages*limitedPageSize)
				}
			}
			b.ReportMetric(float64(*refused)/float64(b.N), "429s/op")
		})
	}
}
