package telnyxtest_test

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	telnyx "github.com/a54710f5/telnyx-go"
	"github.com/a54710f5/telnyx-go/telnyxtest"
)

func TestAuthentication(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	tests := []struct {
		name       string
		auth       string
		wantStatus int
	}{
		{"missing", "", 401},
		{"empty bearer", "Bearer ", 401},
		{"blank token", "Bearer    ", 401},
		{"other scheme", "Basic dXNlcjpwYXNz", 401},
		{"no scheme", "KEY123", 401},
		{"any key", "Bearer KEY123", 200},
		{"scheme in lower case", "bearer KEY123", 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			status, _, body := raw(t, srv, http.MethodGet, "/portouts", tt.auth, "", nil)
			assert.Equal(t, tt.wantStatus, status)
			if status == 401 {
				e := errorBody(t, body)
				assert.Equal(t, "10009", e.Code)
				assert.Equal(t, "Authentication failed", e.Title)
			}
		})
	}

	t.Run("through the SDK", func(t *testing.T) {
		c, err := telnyx.NewClient(telnyx.WithBaseURL(srv.URL), telnyx.WithAPIKey("KEY_other"))
		require.NoError(t, err)
		_, err = c.Portouts.List(t.Context(), nil)
		require.NoError(t, err, "any non-empty key is accepted")
	})
}

func TestUnknownRoutes(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	p := srv.AddPortout(telnyx.Portout{})
	tests := []struct{ method, path string }{
		{http.MethodGet, "/numbers"},
		{http.MethodDelete, "/portouts/" + p.ID},
		{http.MethodPost, "/portouts"},
		{http.MethodGet, "/portouts/" + p.ID + "/comments/extra"},
		{http.MethodGet, "/portouts/" + p.ID + "/authorized"},
		{http.MethodPut, "/documents"},
		{http.MethodGet, "/portouts//comments"},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			t.Parallel()
			status, _, body := raw(t, srv, tt.method, tt.path, "Bearer k", "", nil)
			assert.Equal(t, http.StatusNotFound, status)
			assert.Equal(t, "10005", errorBody(t, body).Code)
		})
	}

	t.Run("outside the API root", func(t *testing.T) {
		req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, strings.TrimSuffix(srv.URL, "v2/")+"portouts", nil)
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer k")
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		_ = resp.Body.Close()
		http.DefaultClient.CloseIdleConnections()
		assert.Equal(t, http.StatusNotFound, resp.StatusCode)
	})
}

func TestIDsAreEscaped(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	p := srv.AddPortout(telnyx.Portout{ID: "odd/id with space"})
	got, err := srv.Client().Portouts.Get(t.Context(), p.ID)
	require.NoError(t, err)
	assert.Equal(t, p.ID, got.ID)
	assert.Equal(t, "/portouts/odd/id with space", srv.Requests()[0].Path, "Path is unescaped")
}

func TestRequestsRecorded(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	p := srv.AddPortout(telnyx.Portout{})
	client := srv.Client(telnyx.WithUserAgent("billing/1.0"))
	ctx := t.Context()
	_, err := client.Portouts.List(ctx, &telnyx.PortoutListParams{
		Page:   telnyx.PageParams{Size: 5},
		Filter: telnyx.PortoutListFilter{StatusIn: []telnyx.PortoutStatus{"pending", "authorized"}},
	})
	require.NoError(t, err)
	_, err = client.Portouts.UpdateStatus(ctx, p.ID, telnyx.PortoutStatusRejectedPending, telnyx.PortoutUpdateStatusParams{Reason: "not ours"})
	require.NoError(t, err)

	reqs := srv.Requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, http.MethodGet, reqs[0].Method)
	assert.Equal(t, "/portouts", reqs[0].Path)
	assert.Equal(t, "pending,authorized", reqs[0].Query.Get("filter[status_in]"))
	assert.Equal(t, "5", reqs[0].Query.Get("page[size]"))
	assert.Equal(t, "Bearer "+telnyxtest.APIKey, reqs[0].Header.Get("Authorization"))
	assert.Contains(t, reqs[0].Header.Get("User-Agent"), "billing/1.0")
	assert.Empty(t, reqs[0].Body)

	assert.Equal(t, http.MethodPatch, reqs[1].Method)
	assert.Equal(t, "/portouts/"+p.ID+"/rejected-pending", reqs[1].Path)
	assert.JSONEq(t, `{"reason":"not ours","host_messaging":false}`, string(reqs[1].Body))

	reqs[1].Body[0] = 'X'
	reqs[0].Query.Set("filter[status_in]", "changed")
	again := srv.Requests()
	assert.Equal(t, byte('{'), again[1].Body[0], "Requests returns copies")
	assert.Equal(t, "pending,authorized", again[0].Query.Get("filter[status_in]"))
}

func TestRequestBodyTooLarge(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	p := srv.AddPortout(telnyx.Portout{})
	big := `{"body":"` + strings.Repeat("x", 1<<20) + `"}`
	status, _, body := raw(t, srv, http.MethodPost, "/portouts/"+p.ID+"/comments", "Bearer k", "application/json", []byte(big))
	assert.Equal(t, http.StatusRequestEntityTooLarge, status)
	assert.Equal(t, "10015", errorBody(t, body).Code)
	assert.Len(t, srv.Requests()[0].Body, 1<<20, "the record keeps the first MiB")
}

func TestConcurrentUse(t *testing.T) {
	t.Parallel()
	srv := newServer(t, telnyxtest.WithReportPolls(2))
	client := srv.Client()
	ctx := t.Context()
	const workers = 16
	ps := make([]telnyx.Portout, workers)
	for i := range ps {
		ps[i] = srv.AddPortout(telnyx.Portout{PhoneNumbers: []string{fmt.Sprintf("+1312555%04d", i)}})
	}

	var wg sync.WaitGroup
	errs := make(chan error, workers*8)
	for i := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p := ps[i]
			report := func(err error) {
				if err != nil {
					errs <- err
				}
			}
			_, err := client.Portouts.Comments.Create(ctx, p.ID, telnyx.PortoutCommentCreateParams{Body: "checking"})
			report(err)
			if i%2 == 0 {
				_, err = client.Portouts.UpdateStatus(ctx, p.ID, telnyx.PortoutStatusAuthorized, telnyx.PortoutUpdateStatusParams{})
			} else {
				err = srv.SetStatus(p.ID, telnyx.PortoutStatusCanceled)
			}
			report(err)
			_, err = client.Portouts.List(ctx, &telnyx.PortoutListParams{Page: telnyx.PageParams{Size: 3}})
			report(err)
			_, err = client.Portouts.Reports.Export(ctx, telnyx.PortoutReportFilters{}, &strings.Builder{})
			report(err)
			_, err = client.Portouts.Events.List(ctx, nil)
			report(err)
			_ = srv.Requests()
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}

	events, err := client.Portouts.Events.List(ctx, &telnyx.PortoutEventListParams{Page: telnyx.PageParams{Size: 250}})
	require.NoError(t, err)
	assert.Equal(t, workers*2, events.Meta.TotalResults, "one comment and one status change per port-out")
	authorized, err := client.Portouts.List(ctx, &telnyx.PortoutListParams{Filter: telnyx.PortoutListFilter{Status: telnyx.PortoutStatusAuthorized}})
	require.NoError(t, err)
	assert.Len(t, authorized.Data, workers/2)
}

func TestClientOptionsOverride(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	client := srv.Client(telnyx.WithAPIKey("KEY_mine"))
	_, err := client.Portouts.List(t.Context(), nil)
	require.NoError(t, err)
	assert.Equal(t, "Bearer KEY_mine", srv.Requests()[0].Header.Get("Authorization"))
	assert.Panics(t, func() { srv.Client(telnyx.WithMaxRetries(-1)) })
	assert.True(t, strings.HasSuffix(srv.URL, "/v2/"))
}
