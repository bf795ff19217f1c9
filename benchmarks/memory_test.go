package benchmarks

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	telnyx "github.com/a54710f5/telnyx-go"
)

// TestAutoPagingHeapStaysBounded lists 20,000 port-outs (80 pages of 250,
// about 18 MB of JSON) and samples the live heap after every page: with
// WithPrefetch(n) it must stay near n+1 pages, whatever the total, as long
// as the caller keeps nothing.
func TestAutoPagingHeapStaysBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("lists 20,000 port-outs")
	}
	const pages = 80
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, err := strconv.Atoi(r.URL.Query().Get("page[number]"))
		if err != nil {
			n = 1
		}
		// Each page holds its own port-outs: paging stops at a page that
		// repeats the one before.
		var items bytes.Buffer
		for i := range pageSize {
			if i > 0 {
				items.WriteByte(',')
			}
			items.WriteString(portoutJSON((n-1)*pageSize + i))
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = fmt.Fprintf(w, `{"data":[%s],"meta":{"page_number":%d,"page_size":%d,"total_pages":%d,"total_results":%d}}`,
			items.Bytes(), n, pageSize, pages, pages*pageSize)
	}))
	defer srv.Close()
	hc := &http.Client{Transport: &http.Transport{}}
	defer hc.CloseIdleConnections()

	// One page of 250 decoded port-outs plus its body is about 0.5 MB;
	// keeping everything listed would hold about 20 MB. The bounds allow
	// 1 MB per page held plus 4 MB for the runtime's own noise.
	for _, tc := range []struct {
		prefetch int
		maxLive  uint64
	}{{0, 5e6}, {4, 9e6}} {
		prefetch := tc.prefetch
		t.Run(fmt.Sprintf("prefetch%d", prefetch), func(t *testing.T) {
			c, err := telnyx.NewClient(telnyx.WithAPIKey("bench-key"), telnyx.WithBaseURL(srv.URL+"/v2"),
				telnyx.WithHTTPClient(hc), telnyx.WithPrefetch(prefetch))
			require.NoError(t, err)

			var before, ms runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			var peak uint64
			count := 0
			params := &telnyx.PortoutListParams{Page: telnyx.PageParams{Size: pageSize}}
			for p, err := range c.Portouts.ListAutoPaging(context.Background(), params) {
				require.NoError(t, err)
				require.NotEmpty(t, p.ID)
				count++
				if count%pageSize == 0 {
					runtime.GC()
					runtime.ReadMemStats(&ms)
					peak = max(peak, ms.HeapAlloc)
				}
			}
			runtime.ReadMemStats(&ms)
			allocated := ms.TotalAlloc - before.TotalAlloc
			var live uint64 // peak live heap above where the listing started
			if peak > before.HeapAlloc {
				live = peak - before.HeapAlloc
			}
			t.Logf("prefetch %d: %d port-outs, %.1f MB allocated in all, peak live heap %.1f MB above the start",
				prefetch, count, float64(allocated)/1e6, float64(live)/1e6)
			assert.Equal(t, pages*pageSize, count)
			assert.Greater(t, allocated, uint64(60e6), "the listing really was large")
			assert.Less(t, live, tc.maxLive, "live heap bounded by prefetch+1 pages")
		})
	}
}
