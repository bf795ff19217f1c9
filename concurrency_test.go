package telnyx

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sharedAPI is an in-process API that many goroutines call at once. A key
// (a port-out or document ID, or a list's filter[pon]) that starts with
// "cancel" makes the server hold the request until the client hangs up,
// after announcing through started that the request is in flight, so that
// a test can cancel mid-flight without guessing at timing.
type sharedAPI struct {
	mu      sync.Mutex
	started map[string]chan struct{} // closed when a held request arrives
	hits    map[string]int           // requests per key
}

const (
	sharedPages   = 5
	sharedPerPage = 20
)

func newSharedAPI() *sharedAPI {
	return &sharedAPI{started: map[string]chan struct{}{}, hits: map[string]int{}}
}

// startedCh returns the channel closed when a held request for key arrives.
func (a *sharedAPI) startedCh(key string) chan struct{} {
	a.mu.Lock()
	defer a.mu.Unlock()
	ch, ok := a.started[key]
	if !ok {
		ch = make(chan struct{})
		a.started[key] = ch
	}
	return ch
}

// hold announces the request and waits until the client hangs up.
func (a *sharedAPI) hold(key string, r *http.Request) {
	ch := a.startedCh(key)
	a.mu.Lock()
	select {
	case <-ch:
	default:
		close(ch)
	}
	a.mu.Unlock()
	<-r.Context().Done()
}

func (a *sharedAPI) hit(key string) {
	a.mu.Lock()
	a.hits[key]++
	a.mu.Unlock()
}

func (a *sharedAPI) Hits(key string) int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.hits[key]
}

func (a *sharedAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := strings.TrimPrefix(r.URL.Path, "/v2/")
	parts := strings.Split(path, "/")
	writeData := func(v any) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"data": v})
	}
	switch {
	case r.Method == http.MethodGet && path == "portouts":
		pon := r.URL.Query().Get("filter[pon]")
		page, _ := strconv.Atoi(r.URL.Query().Get("page[number]"))
		if page == 0 {
			page = 1
		}
		a.hit(pon + "#" + strconv.Itoa(page))
		if strings.HasPrefix(pon, "cancel") && page >= 3 {
			a.hold(pon, r)
			return
		}
		items := make([]map[string]string, sharedPerPage)
		for i := range items {
			items[i] = map[string]string{"id": fmt.Sprintf("%s-%d-%d", pon, page, i), "pon": pon}
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"data": items, "meta": map[string]int{
			"page_number": page, "page_size": sharedPerPage, "total_pages": sharedPages, "total_results": sharedPages * sharedPerPage,
		}})
	case r.Method == http.MethodGet && len(parts) == 2 && parts[0] == "portouts":
		a.hit(parts[1])
		if strings.HasPrefix(parts[1], "cancel") {
			a.hold(parts[1], r)
			return
		}
		writeData(map[string]string{"id": parts[1], "status": "pending"})
	case r.Method == http.MethodPatch && len(parts) == 3 && parts[0] == "portouts":
		a.hit(parts[1])
		var body PortoutUpdateStatusParams
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		if strings.HasPrefix(parts[1], "cancel") {
			a.hold(parts[1], r)
			return
		}
		writeData(map[string]any{"id": parts[1], "status": parts[2], "reason": body.Reason})
	case r.Method == http.MethodPost && len(parts) == 3 && parts[2] == "comments":
		a.hit(parts[1])
		var body PortoutCommentCreateParams
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		if strings.HasPrefix(parts[1], "cancel") {
			a.hold(parts[1], r)
			return
		}
		w.WriteHeader(http.StatusCreated)
		writeData(map[string]string{"id": "c-" + parts[1], "body": body.Body, "portout_id": parts[1]})
	case r.Method == http.MethodGet && len(parts) == 3 && parts[0] == "documents" && parts[2] == "download":
		a.hit(parts[1])
		w.Header().Set("Content-Type", "text/csv")
		if strings.HasPrefix(parts[1], "cancel") {
			// Part of the file, then nothing until the client gives up.
			_, _ = io.WriteString(w, documentBytes(parts[1])[:1000])
			w.(http.Flusher).Flush()
			a.hold(parts[1], r)
			return
		}
		_, _ = io.WriteString(w, documentBytes(parts[1]))
	default:
		w.WriteHeader(http.StatusNotFound)
	}
}

// documentBytes is the content of document id: about 20 KiB, distinct per ID.
func documentBytes(id string) string {
	return strings.Repeat("row,"+id+"\n", 20<<10/(len(id)+5))
}

func TestOneClientManyGoroutines(t *testing.T) {
	t.Parallel()
	api := newSharedAPI()
	srv := httptest.NewServer(api)
	t.Cleanup(func() {
		srv.Close()
		defaultHTTPClient.CloseIdleConnections()
	})
	// The SDK's own http.Client: the shared transport is part of what is
	// under test.
	rec := &sleepRecorder{}
	c, err := NewClient(WithAPIKey(testAPIKey), WithBaseURL(srv.URL+"/v2/"), withSleep(rec.sleep))
	require.NoError(t, err)

	const workers = 64
	const kinds = 6 // Get, List, ListAutoPaging, UpdateStatus, Comments.Create, Download
	type outcome struct {
		kind     int
		key      string
		canceled bool
		err      error
	}
	results := make([]outcome, workers)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range workers {
		kind := i % kinds
		canceled := (i/kinds)%3 == 2 // 18 of 64, three of each kind
		key := "p" + strconv.Itoa(i)
		if canceled {
			key = "cancel-" + key
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			done := make(chan struct{})
			defer close(done)
			held := api.startedCh(key)
			if canceled && kind != 2 {
				// Cancel once the server holds the request: mid-flight.
				go func() {
					select {
					case <-held:
						cancel()
					case <-done:
					}
				}()
			}
			<-start
			results[i] = outcome{kind: kind, key: key, canceled: canceled, err: runKind(ctx, t, c, kind, key, canceled, held, cancel)}
		}()
	}
	began := time.Now()
	close(start)
	wg.Wait()
	elapsed := time.Since(began)

	var ok, cancelled int
	perKind := make([]int, kinds)
	for _, o := range results {
		if o.canceled {
			cancelled++
			perKind[o.kind]++
			assert.ErrorIs(t, o.err, context.Canceled, "kind %d %s", o.kind, o.key)
			assert.Equal(t, "*ConnectionError", errKind(o.err), "kind %d %s: %v", o.kind, o.key, o.err)
			continue
		}
		ok++
		assert.NoError(t, o.err, "kind %d %s", o.kind, o.key)
		if o.kind != 1 && o.kind != 2 {
			assert.Equal(t, 1, api.Hits(o.key), "kind %d %s: one request, no retry", o.kind, o.key)
		}
	}
	assert.Equal(t, 46, ok)
	assert.Equal(t, 18, cancelled)
	assert.Equal(t, []int{3, 3, 3, 3, 3, 3}, perKind, "cancellations of every kind")
	assert.Empty(t, rec.Waits(), "nothing was retried")
	assert.Less(t, elapsed, 10*time.Second)
	t.Logf("%d calls (%d cancelled mid-flight) in %s", workers, cancelled, elapsed.Round(time.Millisecond))
}

// runKind makes one call of the given kind for key and checks the data of a
// successful one. It runs on its own goroutine, so it only asserts.
func runKind(ctx context.Context, t *testing.T, c *Client, kind int, key string, canceled bool, held <-chan struct{}, cancel func()) error {
	switch kind {
	case 0:
		p, err := c.Portouts.Get(ctx, key)
		if err == nil {
			assert.Equal(t, key, p.ID)
			assert.Equal(t, PortoutStatusPending, p.Status)
		}
		return err
	case 1:
		params := &PortoutListParams{Filter: PortoutListFilter{PON: key}}
		if canceled {
			params.Page.Number = 3 // a page the server holds
		}
		page, err := c.Portouts.List(ctx, params)
		if err == nil && assert.Len(t, page.Data, sharedPerPage) {
			assert.Equal(t, key+"-1-0", page.Data[0].ID)
			assert.Equal(t, key, page.Data[sharedPerPage-1].PON)
			assert.True(t, page.HasNextPage())
		}
		return err
	case 2:
		// Pages 3 and later of a cancelled listing are held: the loop takes
		// in the first two pages, then the context ends while the
		// prefetched pages are in flight.
		var ids []string
		var last error
		for p, err := range c.Portouts.ListAutoPaging(ctx, &PortoutListParams{Filter: PortoutListFilter{PON: key}}, WithPrefetch(3)) {
			if err != nil {
				last = err
				continue
			}
			ids = append(ids, p.ID)
			if canceled && len(ids) == 2*sharedPerPage {
				<-held
				cancel()
			}
		}
		want := sharedPages * sharedPerPage
		if canceled {
			want = 2 * sharedPerPage
		}
		if assert.Len(t, ids, want, key) {
			for i, id := range ids {
				assert.Equal(t, fmt.Sprintf("%s-%d-%d", key, i/sharedPerPage+1, i%sharedPerPage), id, "in order")
			}
		}
		return last
	case 3:
		p, err := c.Portouts.UpdateStatus(ctx, key, PortoutStatusAuthorized, PortoutUpdateStatusParams{Reason: "ok " + key})
		if err == nil {
			assert.Equal(t, key, p.ID)
			assert.Equal(t, PortoutStatusAuthorized, p.Status)
		}
		return err
	case 4:
		cm, err := c.Portouts.Comments.Create(ctx, key, PortoutCommentCreateParams{Body: "note for " + key})
		if err == nil {
			assert.Equal(t, "c-"+key, cm.ID)
			assert.Equal(t, "note for "+key, cm.Body)
			assert.Equal(t, key, cm.PortoutID)
		}
		return err
	default:
		var buf bytes.Buffer
		n, err := c.Documents.Download(ctx, key, &buf)
		assert.Equal(t, int64(buf.Len()), n)
		if err == nil {
			assert.Equal(t, documentBytes(key), buf.String())
		} else {
			assert.Equal(t, documentBytes(key)[:n], buf.String(), "what arrived before the cancel")
		}
		return err
	}
}
