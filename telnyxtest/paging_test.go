package telnyxtest_test

import (
	"encoding/json"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	telnyx "github.com/a54710f5/telnyx-go"
)

// TestPageNumberPastTheEnd asks every paged list for page numbers so large
// that (number-1)*size overflows. The fake used to panic on a negative
// slice bound, or wrap round and serve an early page with nonsense meta; it
// must answer an empty page whose meta echoes the request and counts the
// real pages.
func TestPageNumberPastTheEnd(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	seedFilters(t, srv)
	ctx := t.Context()
	client := srv.Client()
	for range 3 { // three events, one report
		_, err := client.Portouts.Comments.Create(ctx, "a", telnyx.PortoutCommentCreateParams{Body: "hi"})
		require.NoError(t, err)
	}
	_, err := client.Portouts.Reports.Create(ctx, telnyx.PortoutReportCreateParams{})
	require.NoError(t, err)

	// 1<<62 + 1 with size 4 wraps (number-1)*size round to exactly 0.
	numbers := []int{4, 1 << 31, 1 << 62, 1<<62 + 1, math.MaxInt64 / 2, math.MaxInt64 / 250, math.MaxInt64/250 + 1, math.MaxInt64 - 1, math.MaxInt64}
	lists := []struct {
		path  string
		total int
	}{
		{"/portouts", 5},
		{"/portouts/events", 3},
		{"/portouts/reports", 1},
	}
	for _, l := range lists {
		for _, n := range numbers {
			for _, size := range []int{1, 2, 4, 250} {
				if n == 4 && size == 1 && l.total >= 4 {
					continue // page 4 holds an item here
				}
				name := l.path + " number " + strconv.Itoa(n) + " size " + strconv.Itoa(size)
				t.Run(name, func(t *testing.T) {
					t.Parallel()
					path := l.path + "?page%5Bnumber%5D=" + strconv.Itoa(n) + "&page%5Bsize%5D=" + strconv.Itoa(size)
					status, _, body := raw(t, srv, http.MethodGet, path, "Bearer k", "", nil)
					require.Equal(t, http.StatusOK, status, string(body))
					var page struct {
						Data []json.RawMessage `json:"data"`
						Meta telnyx.PageMeta   `json:"meta"`
					}
					require.NoError(t, json.Unmarshal(body, &page), string(body))
					assert.NotNil(t, page.Data, "data is [], not null")
					assert.Zero(t, len(page.Data), "the page must be empty: %s", body)
					assert.Equal(t, telnyx.PageMeta{
						PageNumber:   n,
						PageSize:     size,
						TotalPages:   (l.total + size - 1) / size,
						TotalResults: l.total,
					}, page.Meta)
				})
			}
		}
	}

	t.Run("through the SDK", func(t *testing.T) {
		t.Parallel()
		page, err := client.Portouts.List(t.Context(), &telnyx.PortoutListParams{Page: telnyx.PageParams{Number: math.MaxInt, Size: 250}})
		require.NoError(t, err)
		assert.Empty(t, page.Data)
		assert.Equal(t, telnyx.PageMeta{PageNumber: math.MaxInt, PageSize: 250, TotalPages: 1, TotalResults: 5}, page.Meta)
		assert.False(t, page.HasNextPage())
	})
}

func TestPortoutListPaging(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	seedFilters(t, srv)
	client := srv.Client()
	ctx := t.Context()

	tests := []struct {
		name     string
		page     telnyx.PageParams
		wantIDs  []string
		wantMeta telnyx.PageMeta
	}{
		{"defaults", telnyx.PageParams{}, []string{"a", "b", "c", "d", "e"}, telnyx.PageMeta{PageNumber: 1, PageSize: 20, TotalPages: 1, TotalResults: 5}},
		{"first of three", telnyx.PageParams{Size: 2}, []string{"a", "b"}, telnyx.PageMeta{PageNumber: 1, PageSize: 2, TotalPages: 3, TotalResults: 5}},
		{"last partial", telnyx.PageParams{Number: 3, Size: 2}, []string{"e"}, telnyx.PageMeta{PageNumber: 3, PageSize: 2, TotalPages: 3, TotalResults: 5}},
		{"past the end", telnyx.PageParams{Number: 4, Size: 2}, []string{}, telnyx.PageMeta{PageNumber: 4, PageSize: 2, TotalPages: 3, TotalResults: 5}},
		{"largest size", telnyx.PageParams{Size: 250}, []string{"a", "b", "c", "d", "e"}, telnyx.PageMeta{PageNumber: 1, PageSize: 250, TotalPages: 1, TotalResults: 5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page, err := client.Portouts.List(ctx, &telnyx.PortoutListParams{Page: tt.page})
			require.NoError(t, err)
			assert.Equal(t, tt.wantIDs, ids(page.Data))
			assert.Equal(t, tt.wantMeta, page.Meta)
		})
	}

	t.Run("NextPage walks to the end", func(t *testing.T) {
		page, err := client.Portouts.List(ctx, &telnyx.PortoutListParams{Page: telnyx.PageParams{Size: 2}})
		require.NoError(t, err)
		var got []string
		for page != nil {
			got = append(got, ids(page.Data)...)
			page, err = page.NextPage(ctx)
			require.NoError(t, err)
		}
		assert.Equal(t, []string{"a", "b", "c", "d", "e"}, got)
	})

	t.Run("ListAutoPaging with prefetch", func(t *testing.T) {
		var got []string
		for p, err := range client.Portouts.ListAutoPaging(ctx, &telnyx.PortoutListParams{Page: telnyx.PageParams{Size: 1}}, telnyx.WithPrefetch(2)) {
			require.NoError(t, err)
			got = append(got, p.ID)
		}
		assert.Equal(t, []string{"a", "b", "c", "d", "e"}, got)
	})
}

func TestListQueryErrors(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	tests := []struct {
		name, path, wantParam string
	}{
		{"page size 0", "/portouts?page[size]=0", "page[size]"},
		{"page size 251", "/portouts?page[size]=251", "page[size]"},
		{"page size not a number", "/portouts?page[size]=ten", "page[size]"},
		{"page number 0", "/portouts?page[number]=0", "page[number]"},
		{"unknown page key", "/portouts?page[offset]=3", "page[offset]"},
		{"unknown status", "/portouts?filter[status]=lost", "filter[status]"},
		{"unknown status in list", "/portouts?filter[status_in]=pending,lost", "filter[status_in]"},
		{"bad date", "/portouts?filter[inserted_at][gte]=yesterday", "filter[inserted_at][gte]"},
		{"unknown filter", "/portouts?filter[colour]=red", "filter[colour]"},
		{"event page size", "/portouts/events?page[size]=300", "page[size]"},
		{"unknown event type", "/portouts/events?filter[event_type]=portout.deleted", "filter[event_type]"},
		{"unknown report status", "/portouts/reports?filter[status]=failed", "filter[status]"},
		{"unknown report type", "/portouts/reports?filter[report_type]=pdf", "filter[report_type]"},
		{"report page number", "/portouts/reports?page[number]=-1", "page[number]"},
		{"page size negative", "/portouts?page[size]=-1", "page[size]"},
		{"page size beyond int64", "/portouts?page[size]=99999999999999999999", "page[size]"},
		{"page size fractional", "/portouts?page[size]=2.5", "page[size]"},
		{"page number negative", "/portouts/events?page[number]=-3", "page[number]"},
		{"page number beyond int64", "/portouts?page[number]=9223372036854775808", "page[number]"},
		{"page number far beyond int64", "/portouts/events?page[number]=99999999999999999999999", "page[number]"},
		{"page number below int64", "/portouts?page[number]=-9223372036854775809", "page[number]"},
		{"page number fractional", "/portouts?page[number]=1.5", "page[number]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			u, err := url.Parse(tt.path)
			require.NoError(t, err)
			u.RawQuery = u.Query().Encode()
			status, _, body := raw(t, srv, http.MethodGet, u.String(), "Bearer k", "", nil)
			assert.Equal(t, http.StatusUnprocessableEntity, status)
			e := errorBody(t, body)
			assert.Equal(t, "10015", e.Code)
			assert.Equal(t, tt.wantParam, e.Source.Parameter)
			assert.NotEmpty(t, e.Detail)
		})
	}

	t.Run("detail of a number beyond int64", func(t *testing.T) {
		t.Parallel()
		_, _, body := raw(t, srv, http.MethodGet, "/portouts?page%5Bnumber%5D=9223372036854775808", "Bearer k", "", nil)
		assert.Equal(t, `page[number] must be at most 9223372036854775807, not "9223372036854775808".`, errorBody(t, body).Detail)
	})
}
