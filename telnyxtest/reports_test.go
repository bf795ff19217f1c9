package telnyxtest_test

import (
	"bytes"
	"encoding/csv"
	"errors"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	telnyx "github.com/a54710f5/telnyx-go"
	"github.com/a54710f5/telnyx-go/telnyxtest"
)

// csvIDs reads the id column of an export.
func csvIDs(t *testing.T, b []byte) []string {
	t.Helper()
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	require.NoError(t, err)
	require.NotEmpty(t, rows)
	assert.Equal(t, "id", rows[0][0])
	out := []string{}
	for _, r := range rows[1:] {
		out = append(out, r[0])
	}
	return out
}

func TestReportLifecycle(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		polls int
	}{
		{"completes on the first read", 0},
		{"default: second read", 1},
		{"after three pending reads", 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var opts []telnyxtest.ServerOption
			if tt.polls != 1 {
				opts = append(opts, telnyxtest.WithReportPolls(tt.polls))
			}
			srv := newServer(t, opts...)
			seedFilters(t, srv)
			client := srv.Client()
			ctx := t.Context()

			rep, err := client.Portouts.Reports.Create(ctx, telnyx.PortoutReportCreateParams{
				Filters: telnyx.PortoutReportFilters{StatusIn: []telnyx.PortoutStatus{"pending", "authorized"}},
			})
			require.NoError(t, err)
			assert.Equal(t, telnyx.PortoutReportStatus("pending"), rep.Status)
			assert.Empty(t, rep.DocumentID)
			assert.Equal(t, telnyx.PortoutReportTypeExportCSV, rep.ReportType)
			assert.Equal(t, []telnyx.PortoutStatus{"pending", "authorized"}, rep.Filters.StatusIn)

			for i := range tt.polls {
				got, err := client.Portouts.Reports.Get(ctx, rep.ID)
				require.NoError(t, err)
				assert.Equal(t, telnyx.PortoutReportStatus("pending"), got.Status, "read %d", i+1)
			}
			done, err := client.Portouts.Reports.Get(ctx, rep.ID)
			require.NoError(t, err)
			require.Equal(t, telnyx.PortoutReportStatusCompleted, done.Status)
			require.NotEmpty(t, done.DocumentID)

			var buf bytes.Buffer
			n, err := client.Documents.Download(ctx, done.DocumentID, &buf)
			require.NoError(t, err)
			assert.Equal(t, int64(buf.Len()), n)
			assert.Equal(t, []string{"a", "b"}, csvIDs(t, buf.Bytes()))

			doc, data, ok := srv.Document(done.DocumentID)
			require.True(t, ok)
			assert.Equal(t, "text/csv", doc.ContentType)
			assert.Equal(t, buf.Bytes(), data)
		})
	}
}

func TestReportFilters(t *testing.T) {
	t.Parallel()
	srv := newServer(t, telnyxtest.WithReportPolls(0))
	seedFilters(t, srv)
	require.NoError(t, srv.SetCustomerReference("b", "acme-42"))
	require.NoError(t, srv.SetCustomerReference("d", "acme-43"))
	client := srv.Client()

	tests := []struct {
		name    string
		filters telnyx.PortoutReportFilters
		want    []string
	}{
		{"empty", telnyx.PortoutReportFilters{}, []string{"a", "b", "c", "d", "e"}},
		{"created after (strict)", telnyx.PortoutReportFilters{CreatedAtGt: day("2025-06-15T09:00:00Z")}, []string{"d", "e"}},
		{"created before (strict)", telnyx.PortoutReportFilters{CreatedAtLt: day("2025-06-10T09:00:00Z")}, []string{"a"}},
		{"customer references", telnyx.PortoutReportFilters{CustomerReferenceIn: []string{"acme-42", "acme-43"}}, []string{"b", "d"}},
		{"end user, any case", telnyx.PortoutReportFilters{EndUserName: "brightwater llc"}, []string{"a"}},
		{"numbers overlap", telnyx.PortoutReportFilters{PhoneNumbersOverlaps: []string{"+442071838751", "+35312345678"}}, []string{"d", "e"}},
		{"statuses", telnyx.PortoutReportFilters{StatusIn: []telnyx.PortoutStatus{"ported", "canceled"}}, []string{"c", "e"}},
		{"nothing matches", telnyx.PortoutReportFilters{EndUserName: "nobody"}, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			rep, err := client.Portouts.Reports.Export(t.Context(), tt.filters, &buf)
			require.NoError(t, err)
			assert.Equal(t, telnyx.PortoutReportStatus("completed"), rep.Status)
			assert.Equal(t, tt.want, csvIDs(t, buf.Bytes()))
		})
	}
}

func TestReportCSVColumns(t *testing.T) {
	t.Parallel()
	srv := newServer(t, telnyxtest.WithReportPolls(0))
	p := srv.AddPortout(telnyx.Portout{
		PhoneNumbers: []string{"+13125550142", "+13125550143"}, EndUserName: "Brightwater, LLC",
		CarrierName: "Lakeside Telecom", SPID: "123A", PON: "PON-1", FocDate: day("2025-07-14T16:00:00Z"),
	})
	require.NoError(t, srv.SetCustomerReference(p.ID, "ref-1"))
	var buf bytes.Buffer
	_, err := srv.Client().Portouts.Reports.Export(t.Context(), telnyx.PortoutReportFilters{}, &buf)
	require.NoError(t, err)
	rows, err := csv.NewReader(&buf).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 2)
	row := map[string]string{}
	for i, h := range rows[0] {
		row[h] = rows[1][i]
	}
	assert.Equal(t, p.ID, row["id"])
	assert.Equal(t, "pending", row["status"])
	assert.Equal(t, "+13125550142;+13125550143", row["phone_numbers"])
	assert.Equal(t, "Brightwater, LLC", row["end_user_name"], "commas survive CSV quoting")
	assert.Equal(t, "2025-07-14T16:00:00Z", row["foc_date"])
	assert.Equal(t, "ref-1", row["customer_reference"])
	assert.Equal(t, p.SupportKey, row["support_key"])
}

func TestReportListAndErrors(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	client := srv.Client()
	ctx := t.Context()

	first, err := client.Portouts.Reports.Create(ctx, telnyx.PortoutReportCreateParams{})
	require.NoError(t, err)
	second, err := client.Portouts.Reports.Create(ctx, telnyx.PortoutReportCreateParams{})
	require.NoError(t, err)
	_, err = client.Portouts.Reports.Wait(ctx, second.ID)
	require.NoError(t, err)

	tests := []struct {
		name   string
		filter telnyx.PortoutReportListFilter
		want   []string
	}{
		{"all", telnyx.PortoutReportListFilter{}, []string{first.ID, second.ID}},
		{"pending", telnyx.PortoutReportListFilter{Status: "pending"}, []string{first.ID}},
		{"completed", telnyx.PortoutReportListFilter{Status: "completed"}, []string{second.ID}},
		{"type", telnyx.PortoutReportListFilter{ReportType: "export_portouts_csv"}, []string{first.ID, second.ID}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page, err := client.Portouts.Reports.List(ctx, &telnyx.PortoutReportListParams{Filter: tt.filter})
			require.NoError(t, err)
			got := []string{}
			for _, r := range page.Data {
				got = append(got, r.ID)
			}
			assert.Equal(t, tt.want, got)
			assert.Equal(t, len(tt.want), page.Meta.TotalResults)
		})
	}

	_, err = client.Portouts.Reports.Get(ctx, "missing")
	assert.True(t, errors.Is(err, telnyx.ErrNotFound))
	_, err = client.Documents.Download(ctx, "missing", &bytes.Buffer{})
	assert.True(t, errors.Is(err, telnyx.ErrNotFound))

	bodies := []struct {
		name        string
		body        any
		wantCode    string
		wantPointer string
	}{
		{"no report_type", map[string]any{"params": map[string]any{"filters": map[string]any{}}}, "10004", "/report_type"},
		{"unknown report_type", map[string]any{"report_type": "pdf", "params": map[string]any{"filters": map[string]any{}}}, "10015", "/report_type"},
		{"no params", map[string]any{"report_type": "export_portouts_csv"}, "10004", "/params"},
		{"no filters", map[string]any{"report_type": "export_portouts_csv", "params": map[string]any{}}, "10004", "/params/filters"},
		{"filters of the wrong type", map[string]any{"report_type": "export_portouts_csv", "params": map[string]any{"filters": []int{1}}}, "10015", "/params/filters"},
		{"unknown status", map[string]any{"report_type": "export_portouts_csv",
			"params": map[string]any{"filters": map[string]any{"status__in": []string{"pending", "lost"}}}}, "10015", "/params/filters/status__in/1"},
	}
	for _, tt := range bodies {
		t.Run(tt.name, func(t *testing.T) {
			status, body := rawJSON(t, srv, http.MethodPost, "/portouts/reports", tt.body)
			assert.Equal(t, http.StatusUnprocessableEntity, status)
			e := errorBody(t, body)
			assert.Equal(t, tt.wantCode, e.Code)
			assert.Equal(t, tt.wantPointer, e.Source.Pointer)
		})
	}
}

func TestSetReportStatus(t *testing.T) {
	t.Parallel()
	srv := newServer(t, telnyxtest.WithReportPolls(100))
	seedFilters(t, srv)
	client := srv.Client()
	ctx := t.Context()

	failing, err := client.Portouts.Reports.Create(ctx, telnyx.PortoutReportCreateParams{})
	require.NoError(t, err)
	require.NoError(t, srv.SetReportStatus(failing.ID, "failed"))
	_, err = client.Portouts.Reports.Wait(ctx, failing.ID)
	var re *telnyx.ReportError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, telnyx.PortoutReportStatus("failed"), re.Status)
	got, err := client.Portouts.Reports.Get(ctx, failing.ID)
	require.NoError(t, err)
	assert.Equal(t, telnyx.PortoutReportStatus("failed"), got.Status, "a failed report stays failed")

	early, err := client.Portouts.Reports.Create(ctx, telnyx.PortoutReportCreateParams{})
	require.NoError(t, err)
	require.NoError(t, srv.SetReportStatus(early.ID, "completed"))
	done, err := client.Portouts.Reports.Get(ctx, early.ID)
	require.NoError(t, err)
	assert.Equal(t, telnyx.PortoutReportStatus("completed"), done.Status)
	var buf bytes.Buffer
	_, err = client.Documents.Download(ctx, done.DocumentID, &buf)
	require.NoError(t, err)
	assert.NotEmpty(t, csvIDs(t, buf.Bytes()))

	assert.Error(t, srv.SetReportStatus("missing", "failed"))
	assert.Error(t, srv.SetReportStatus(early.ID, ""))
}
