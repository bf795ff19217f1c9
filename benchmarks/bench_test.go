// Package benchmarks compares the SDK with hand-written net/http +
// encoding/json code doing the same work against the same in-process
// server. Run with:
//
//	go test ./benchmarks -run '^$' -bench . -benchmem -count 6
package benchmarks

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	telnyx "github.com/a54710f5/telnyx-go"
)

const (
	totalPortouts = 10_000
	pageSize      = 250
	totalPages    = totalPortouts / pageSize
	pageLatency   = 5 * time.Millisecond
)

// portoutJSON renders one port-out with every field of the spec filled.
func portoutJSON(i int) string {
	return fmt.Sprintf(`{"already_ported":false,"authorized_name":"McPortersen","carrier_name":"test","city":"Chicago",`+
		`"created_at":"2018-02-02T22:25:27.521Z","current_carrier":"telnyx","end_user_name":"McPortersen",`+
		`"foc_date":"2018-02-02T22:25:27.521Z","host_messaging":false,"id":"0ccc7b54-4df3-4bca-a65a-%012d",`+
		`"inserted_at":"2018-02-02T22:25:27.521Z","lsr":["https://example.com/files/lsr.pdf"],`+
		`"phone_numbers":["+35312345678"],"pon":"00000000","reason":null,"record_type":"portout",`+
		`"rejection_code":1002,"requested_foc_date":"2018-02-02T22:25:27.521Z","service_address":"000 Example Street",`+
		`"spid":"0ccc7b54-4df3-4bca-a65a-3da1ecc777f0","state":"IL","status":"rejected","support_key":"PO_764725",`+
		`"updated_at":"2018-02-02T22:25:27.521Z","user_id":"7865816a-ee85-4e50-b19e-52983dcc6d4a",`+
		`"vendor":"0e66ed3b-37e6-4fed-93d6-a30ce2493661","zip":"00000"}`, i)
}

// fixture is the in-process API both sides talk to.
type fixture struct {
	srv     *httptest.Server
	client  *http.Client
	one     []byte
	pages   [][]byte // pages[n-1] is page n
	latency time.Duration
}

func newFixture(b *testing.B, latency time.Duration) *fixture {
	b.Helper()
	f := &fixture{latency: latency}
	f.one = []byte(`{"data":` + portoutJSON(0) + `}`)
	for p := 1; p <= totalPages; p++ {
		var buf bytes.Buffer
		buf.WriteString(`{"data":[`)
		for i := range pageSize {
			if i > 0 {
				buf.WriteByte(',')
			}
			buf.WriteString(portoutJSON((p-1)*pageSize + i))
		}
		fmt.Fprintf(&buf, `],"meta":{"page_number":%d,"page_size":%d,"total_pages":%d,"total_results":%d}}`,
			p, pageSize, totalPages, totalPortouts)
		f.pages = append(f.pages, buf.Bytes())
	}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	b.Cleanup(f.srv.Close)
	// Both sides share one transport, sized for concurrent page fetches.
	f.client = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 32}}
	b.Cleanup(f.client.CloseIdleConnections)
	return f
}

func (f *fixture) serve(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Authorization") != "Bearer bench-key" {
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	var body []byte
	switch r.URL.Path {
	case "/v2/portouts":
		n := 1
		if v := r.URL.Query().Get("page[number]"); v != "" {
			n, _ = strconv.Atoi(v)
		}
		if n < 1 || n > totalPages {
			body = []byte(`{"data":[],"meta":{"page_number":` + strconv.Itoa(n) + `,"total_pages":40}}`)
		} else {
			body = f.pages[n-1]
		}
		if f.latency > 0 {
			time.Sleep(f.latency)
		}
	default:
		body = f.one
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	_, _ = w.Write(body)
}

func (f *fixture) sdk(b *testing.B, opts ...telnyx.Option) *telnyx.Client {
	b.Helper()
	c, err := telnyx.NewClient(append([]telnyx.Option{
		telnyx.WithAPIKey("bench-key"),
		telnyx.WithBaseURL(f.srv.URL + "/v2"),
		telnyx.WithHTTPClient(f.client),
	}, opts...)...)
	if err != nil {
		b.Fatal(err)
	}
	return c
}

// rawPortout is what a user would write by hand for the baseline.
type rawPortout struct {
	ID               string    `json:"id"`
	AlreadyPorted    bool      `json:"already_ported"`
	AuthorizedName   string    `json:"authorized_name"`
	CarrierName      string    `json:"carrier_name"`
	City             string    `json:"city"`
	CreatedAt        time.Time `json:"created_at"`
	CurrentCarrier   string    `json:"current_carrier"`
	EndUserName      string    `json:"end_user_name"`
	FocDate          time.Time `json:"foc_date"`
	HostMessaging    bool      `json:"host_messaging"`
	InsertedAt       time.Time `json:"inserted_at"`
	LSR              []string  `json:"lsr"`
	PhoneNumbers     []string  `json:"phone_numbers"`
	PON              string    `json:"pon"`
	Reason           *string   `json:"reason"`
	RecordType       string    `json:"record_type"`
	RejectionCode    int       `json:"rejection_code"`
	RequestedFocDate time.Time `json:"requested_foc_date"`
	ServiceAddress   string    `json:"service_address"`
	SPID             string    `json:"spid"`
	State            string    `json:"state"`
	Status           string    `json:"status"`
	SupportKey       string    `json:"support_key"`
	UpdatedAt        time.Time `json:"updated_at"`
	UserID           string    `json:"user_id"`
	Vendor           string    `json:"vendor"`
	Zip              string    `json:"zip"`
}

type rawMeta struct {
	PageNumber   int `json:"page_number"`
	PageSize     int `json:"page_size"`
	TotalPages   int `json:"total_pages"`
	TotalResults int `json:"total_results"`
}

func (f *fixture) rawDo(ctx context.Context, method, url string, body []byte, out any) error {
	var rd *bytes.Reader
	req, err := http.NewRequestWithContext(ctx, method, url, nil)
	if body != nil {
		rd = bytes.NewReader(body)
		req, err = http.NewRequestWithContext(ctx, method, url, rd)
	}
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer bench-key")
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := f.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

func BenchmarkGet(b *testing.B) {
	f := newFixture(b, 0)
	ctx := context.Background()
	b.Run("sdk", func(b *testing.B) {
		c := f.sdk(b)
		b.ReportAllocs()
		for b.Loop() {
			p, err := c.Portouts.Get(ctx, "0ccc7b54-4df3-4bca-a65a-3da1ecc777f0")
			if err != nil || p.ID == "" {
				b.Fatal(err)
			}
		}
	})
	b.Run("raw", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var out struct {
				Data rawPortout `json:"data"`
			}
			if err := f.rawDo(ctx, "GET", f.srv.URL+"/v2/portouts/0ccc7b54-4df3-4bca-a65a-3da1ecc777f0", nil, &out); err != nil || out.Data.ID == "" {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkUpdateStatus(b *testing.B) {
	f := newFixture(b, 0)
	ctx := context.Background()
	b.Run("sdk", func(b *testing.B) {
		c := f.sdk(b)
		b.ReportAllocs()
		for b.Loop() {
			p, err := c.Portouts.UpdateStatus(ctx, "0ccc7b54-4df3-4bca-a65a-3da1ecc777f0", telnyx.PortoutStatusRejectedPending,
				telnyx.PortoutUpdateStatusParams{Reason: "I do not recognize this transaction"})
			if err != nil || p.ID == "" {
				b.Fatal(err)
			}
		}
	})
	b.Run("raw", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			body, err := json.Marshal(struct {
				Reason        string `json:"reason"`
				HostMessaging bool   `json:"host_messaging"`
			}{Reason: "I do not recognize this transaction"})
			if err != nil {
				b.Fatal(err)
			}
			var out struct {
				Data rawPortout `json:"data"`
			}
			if err := f.rawDo(ctx, "PATCH", f.srv.URL+"/v2/portouts/0ccc7b54-4df3-4bca-a65a-3da1ecc777f0/rejected-pending", body, &out); err != nil || out.Data.ID == "" {
				b.Fatal(err)
			}
		}
	})
}

// checkOrder fails unless ids are exactly 0 … totalPortouts-1 in order.
func checkOrder(b *testing.B, ids []string) {
	b.Helper()
	if len(ids) != totalPortouts {
		b.Fatalf("got %d port-outs, want %d", len(ids), totalPortouts)
	}
	for i, id := range ids {
		if want := fmt.Sprintf("0ccc7b54-4df3-4bca-a65a-%012d", i); id != want {
			b.Fatalf("item %d is %s, want %s", i, id, want)
		}
	}
}

func listSDK(b *testing.B, c *telnyx.Client, ids []string) []string {
	ids = ids[:0]
	params := &telnyx.PortoutListParams{Page: telnyx.PageParams{Size: pageSize}}
	for p, err := range c.Portouts.ListAutoPaging(context.Background(), params) {
		if err != nil {
			b.Fatal(err)
		}
		ids = append(ids, p.ID)
	}
	return ids
}

func (f *fixture) rawPage(n int) ([]rawPortout, rawMeta, error) {
	var out struct {
		Data []rawPortout `json:"data"`
		Meta rawMeta      `json:"meta"`
	}
	url := f.srv.URL + "/v2/portouts?page%5Bnumber%5D=" + strconv.Itoa(n) + "&page%5Bsize%5D=" + strconv.Itoa(pageSize)
	err := f.rawDo(context.Background(), "GET", url, nil, &out)
	return out.Data, out.Meta, err
}

func listRaw(b *testing.B, f *fixture, ids []string) []string {
	ids = ids[:0]
	for n := 1; ; n++ {
		data, meta, err := f.rawPage(n)
		if err != nil {
			b.Fatal(err)
		}
		for i := range data {
			ids = append(ids, data[i].ID)
		}
		if len(data) == 0 || meta.PageNumber >= meta.TotalPages {
			return ids
		}
	}
}

// listRawConcurrent fetches page 1, then the rest with at most workers
// requests in flight, and keeps the items in page order.
func listRawConcurrent(b *testing.B, f *fixture, workers int, ids []string) []string {
	data, meta, err := f.rawPage(1)
	if err != nil {
		b.Fatal(err)
	}
	pages := make([][]rawPortout, meta.TotalPages)
	pages[0] = data
	var wg sync.WaitGroup
	sem := make(chan struct{}, workers)
	errs := make([]error, meta.TotalPages)
	for n := 2; n <= meta.TotalPages; n++ {
		wg.Add(1)
		sem <- struct{}{}
		go func(n int) {
			defer wg.Done()
			defer func() { <-sem }()
			pages[n-1], _, errs[n-1] = f.rawPage(n)
		}(n)
	}
	wg.Wait()
	ids = ids[:0]
	for i, p := range pages {
		if errs[i] != nil {
			b.Fatal(errs[i])
		}
		for j := range p {
			ids = append(ids, p[j].ID)
		}
	}
	return ids
}

func BenchmarkList10k(b *testing.B) {
	f := newFixture(b, 0)
	ids := make([]string, 0, totalPortouts)
	b.Run("sdk", func(b *testing.B) {
		c := f.sdk(b)
		b.ReportAllocs()
		for b.Loop() {
			ids = listSDK(b, c, ids)
		}
		checkOrder(b, ids)
	})
	b.Run("raw", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			ids = listRaw(b, f, ids)
		}
		checkOrder(b, ids)
	})
}

func BenchmarkList10kLatency(b *testing.B) {
	f := newFixture(b, pageLatency)
	ids := make([]string, 0, totalPortouts)
	for _, n := range []int{0, 4, 8} {
		b.Run(fmt.Sprintf("sdk-prefetch%d", n), func(b *testing.B) {
			c := f.sdk(b, telnyx.WithPrefetch(n))
			b.ReportAllocs()
			for b.Loop() {
				ids = listSDK(b, c, ids)
			}
			checkOrder(b, ids)
		})
	}
	b.Run("raw-concurrent8", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			ids = listRawConcurrent(b, f, 8, ids)
		}
		checkOrder(b, ids)
	})
}
