package telnyx

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// reportJSON is report rep-1 with status and document ID.
func reportJSON(status, documentID string) string {
	return `{"data":{"id":"rep-1","record_type":"portout_report","report_type":"export_portouts_csv","status":"` +
		status + `","document_id":"` + documentID + `","params":{"filters":{}}}}`
}

// cancelOnSleep is a fake sleep that ends ctx's call the first time the
// client waits: the caller gave up while the report was pending.
func cancelOnSleep(cancel context.CancelFunc, rec *sleepRecorder) Option {
	return withSleep(func(ctx context.Context, d time.Duration) error {
		cancel()
		return rec.sleep(ctx, d)
	})
}

// Item 7: cancelling Wait or Export while the report is pending is a
// *ConnectionError that unwraps to the context's error, as a cancelled call
// is everywhere else, and names the report and its last status.
func TestReportsWaitCancelledIsConnectionError(t *testing.T) {
	t.Parallel()
	calls := map[string]func(ctx context.Context, c *Client) (*PortoutReport, error){
		"Wait": func(ctx context.Context, c *Client) (*PortoutReport, error) {
			return c.Portouts.Reports.Wait(ctx, "rep-1")
		},
		"Export": func(ctx context.Context, c *Client) (*PortoutReport, error) {
			var out bytes.Buffer
			r, err := c.Portouts.Reports.Export(ctx, PortoutReportFilters{}, &out)
			assert.Zero(t, out.Len(), "nothing written")
			return r, err
		},
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			rec := &sleepRecorder{}
			c, mock := newTestClient(t, cancelOnSleep(cancel, rec))
			mock.RegisterResponder(http.MethodPost, testURL("portouts/reports"), jsonResponder(201, reportJSON("pending", "")))
			mock.RegisterResponder(http.MethodGet, testURL("portouts/reports/rep-1"), jsonResponder(200, reportJSON("pending", "")))

			r, err := call(ctx, c)
			var ce *ConnectionError
			require.ErrorAs(t, err, &ce)
			assert.ErrorIs(t, err, context.Canceled)
			assert.Equal(t, http.MethodGet, ce.Method)
			assert.Equal(t, "/portouts/reports/{id}", ce.Path)
			assert.Contains(t, err.Error(), "rep-1", "the error names the report")
			assert.Contains(t, err.Error(), `"pending"`, "and its last status")
			assert.NotContains(t, err.Error(), "\n")
			require.NotNil(t, r, "the report as last read comes with the error")
			assert.Equal(t, "pending", string(r.Status))
			assert.Equal(t, []time.Duration{time.Second}, rec.Waits())
			assert.Equal(t, 1, mock.GetCallCountInfo()["GET "+testURL("portouts/reports/rep-1")], "no poll after the cancellation")
		})
	}
}

// Item 13: Export refuses a typed nil writer, as it refuses nil, before it
// creates a report: it would only fail once the CSV was ready.
func TestReportsExportTypedNilWriterIsRefused(t *testing.T) {
	t.Parallel()
	for name, w := range map[string]io.Writer{
		"nil":             nil,
		"*bytes.Buffer":   (*bytes.Buffer)(nil),
		"*os.File":        (*os.File)(nil),
		"*io.PipeWriter":  (*io.PipeWriter)(nil),
		"nil writer func": writerFunc(nil),
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, mock := newTestClient(t)
			mock.RegisterNoResponder(jsonResponder(201, reportJSON("completed", "doc-1")))
			r, err := c.Portouts.Reports.Export(t.Context(), PortoutReportFilters{}, w)
			assert.Nil(t, r)
			var ipe *InvalidParamsError
			require.ErrorAs(t, err, &ipe)
			assert.Equal(t, "w", ipe.Field)
			assert.Zero(t, mock.GetTotalCallCount(), "no report is created")
		})
	}
}

// writerFunc is an io.Writer made of a function.
type writerFunc func(p []byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

func TestReportsWaitReportThatFails(t *testing.T) {
	t.Parallel()
	client, mock, sleeps := newTestClientSleeps(t)
	mock.RegisterResponder(http.MethodGet, testURL("portouts/reports/rep-1"),
		httpmock.NewStringResponder(http.StatusOK, reportJSON("pending", "")).
			Then(httpmock.NewStringResponder(http.StatusOK, reportJSON("failed", ""))))

	r, err := client.Portouts.Reports.Wait(t.Context(), "rep-1")
	var re *ReportError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, "rep-1", re.ReportID)
	assert.Equal(t, PortoutReportStatus("failed"), re.Status)
	assert.NoError(t, re.Unwrap(), "no underlying error: the API answered")
	assert.Equal(t, `telnyx: report rep-1: ended with status "failed"`, err.Error())
	require.NotNil(t, r, "the report as last read comes with the error")
	assert.Equal(t, PortoutReportStatus("failed"), r.Status)
	assert.Equal(t, []time.Duration{time.Second}, sleeps.Waits())
	assert.Equal(t, 2, mock.GetTotalCallCount())
}

func TestReportsWaitCompletedWithoutDocument(t *testing.T) {
	t.Parallel()
	client, mock := newTestClient(t)
	mock.RegisterResponder(http.MethodGet, testURL("portouts/reports/rep-1"),
		httpmock.NewStringResponder(http.StatusOK, reportJSON("completed", "")))

	_, err := client.Portouts.Reports.Wait(t.Context(), "rep-1")
	var re *ReportError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, PortoutReportStatusCompleted, re.Status)
	assert.Equal(t, "telnyx: report rep-1: completed without a document", err.Error())

	// Export stops there: nothing is downloaded and w stays empty.
	mock.RegisterResponder(http.MethodPost, testURL("portouts/reports"),
		httpmock.NewStringResponder(http.StatusCreated, reportJSON("pending", "")))
	var out bytes.Buffer
	_, err = client.Portouts.Reports.Export(t.Context(), PortoutReportFilters{}, &out)
	require.ErrorAs(t, err, &re)
	assert.Zero(t, out.Len())
	assert.Equal(t, 1, mock.GetCallCountInfo()["POST "+testURL("portouts/reports")])
	for k, n := range mock.GetCallCountInfo() {
		assert.False(t, strings.Contains(k, "/documents/") && n > 0, "no download after a failed wait: %s", k)
	}
}

func TestReportsExportRejectsBadArgumentsBeforeAnyRequest(t *testing.T) {
	t.Parallel()
	client, mock := newTestClient(t)
	mock.RegisterNoResponder(jsonResponder(201, reportJSON("pending", "")))
	ctx := t.Context()

	_, err := client.Portouts.Reports.Export(ctx, PortoutReportFilters{}, nil)
	var invalid *InvalidParamsError
	require.ErrorAs(t, err, &invalid)
	assert.Equal(t, "w", invalid.Field)

	_, err = client.Portouts.Reports.Export(ctx, PortoutReportFilters{StatusIn: []PortoutStatus{"bogus"}}, io.Discard)
	require.ErrorAs(t, err, &invalid)
	assert.Equal(t, "Filters.StatusIn", invalid.Field)

	_, err = client.Portouts.Reports.Wait(ctx, "")
	require.ErrorAs(t, err, &invalid)

	assert.Zero(t, mock.GetTotalCallCount())
}
