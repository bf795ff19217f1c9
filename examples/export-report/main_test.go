package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	telnyx "github.com/a54710f5/telnyx-go"
	"github.com/a54710f5/telnyx-go/telnyxtest"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// seed adds port-outs that the filters of the tests tell apart and returns
// their IDs by name.
func seed(t *testing.T, srv *telnyxtest.Server) map[string]string {
	t.Helper()
	day := func(m time.Month, d int) time.Time { return time.Date(2025, m, d, 12, 0, 0, 0, time.UTC) }
	ids := map[string]string{}
	for _, s := range []struct {
		name   string
		status telnyx.PortoutStatus
		ref    string
		at     time.Time
		user   string
	}{
		{"pending-acme", telnyx.PortoutStatusPending, "acme", day(6, 2), "Brightwater Dental LLC"},
		// A name with a quote and a line break: one CSV record all the same.
		{"authorized-acme", telnyx.PortoutStatusAuthorized, "acme", day(6, 3), "Quill \"&\" Co\nLondon"},
		{"rejected-acme", telnyx.PortoutStatusRejected, "acme", day(6, 4), "Harbor Logistics"},
		{"pending-globex", telnyx.PortoutStatusPending, "globex", day(6, 5), "Northwind Bakery"},
		{"pending-old", telnyx.PortoutStatusPending, "acme", day(4, 1), "Pinecrest Clinic"},
	} {
		p := srv.AddPortout(telnyx.Portout{
			Status: s.status, CreatedAt: s.at, EndUserName: s.user, PhoneNumbers: []string{"+13125550142"},
		})
		require.NoError(t, srv.SetCustomerReference(p.ID, s.ref))
		ids[s.name] = p.ID
	}
	return ids
}

// fake starts the fake API with the seeded port-outs; reports complete on
// their third read. opts go to the client.
func fake(t *testing.T, opts ...telnyx.Option) (*telnyxtest.Server, map[string]string, func() (*telnyx.Client, error)) {
	t.Helper()
	srv := telnyxtest.NewServer(telnyxtest.WithReportPolls(2))
	t.Cleanup(srv.Close)
	ids := seed(t, srv)
	return srv, ids, func() (*telnyx.Client, error) { return srv.Client(opts...), nil }
}

// hookClient is an HTTP client that calls before ahead of each request and
// may replace the response with after.
func hookClient(t *testing.T, before func(*http.Request), after func(*http.Response) *http.Response) *http.Client {
	t.Helper()
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: roundTripper(func(r *http.Request) (*http.Response, error) {
		if before != nil {
			before(r)
		}
		resp, err := tr.RoundTrip(r)
		if err == nil && after != nil {
			resp = after(resp)
		}
		return resp, err
	})}
}

type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func csvIDs(t *testing.T, data []byte) []string {
	t.Helper()
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	require.NoError(t, err)
	require.NotEmpty(t, rows)
	require.Equal(t, "id", rows[0][0])
	var ids []string
	for _, r := range rows[1:] {
		ids = append(ids, r[0])
	}
	return ids
}

// dirNames lists a directory, so that tests can see leftovers.
func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func TestRunWritesTheSelectedPortoutsToAFile(t *testing.T) {
	t.Parallel()
	srv, ids, connect := fake(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "acme.csv")
	var stdout, stderr bytes.Buffer

	err := run(context.Background(), []string{
		"-out", out, "-status", "pending, authorized", "-refs", "acme", "-since", "2025-05-01",
	}, &stdout, &stderr, connect)
	require.NoError(t, err, stderr.String())

	data, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.Equal(t, []string{ids["pending-acme"], ids["authorized-acme"]}, csvIDs(t, data))
	assert.Equal(t, []string{"acme.csv"}, dirNames(t, dir), "no temporary file is left")
	assert.Empty(t, stdout.String(), "the CSV went to the file")
	if runtime.GOOS != "windows" {
		fi, err := os.Stat(out)
		require.NoError(t, err)
		assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
	}

	var reportID string
	for _, r := range srv.Requests() {
		if id, ok := strings.CutPrefix(r.Path, "/portouts/reports/"); ok {
			reportID = id
		}
	}
	require.NotEmpty(t, reportID)
	lines := strings.Split(strings.TrimSuffix(stderr.String(), "\n"), "\n")
	assert.Equal(t, []string{
		"report " + reportID + ": pending (0s)",
		"report " + reportID + ": pending (0s)",
		"report " + reportID + ": completed (0s)",
		"wrote 2 port-outs (" + strconv.Itoa(len(data)) + " bytes) to " + out + " from report " + reportID,
	}, lines)
}

func TestRunWritesToStandardOutput(t *testing.T) {
	t.Parallel()
	_, ids, connect := fake(t)
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"-out", "-", "-status", "rejected"}, &stdout, &stderr, connect)
	require.NoError(t, err, stderr.String())
	assert.Equal(t, []string{ids["rejected-acme"]}, csvIDs(t, stdout.Bytes()))
	assert.Contains(t, stderr.String(), "wrote 1 port-out (")
	assert.Contains(t, stderr.String(), "bytes) to standard output")
}

func TestRunCountsRowsWithQuotedLineBreaks(t *testing.T) {
	t.Parallel()
	_, _, connect := fake(t)
	var stdout, stderr bytes.Buffer
	require.NoError(t, run(context.Background(), []string{"-out", "-"}, &stdout, &stderr, connect))
	assert.Len(t, csvIDs(t, stdout.Bytes()), 5)
	assert.Contains(t, stdout.String(), "Quill \"\"&\"\" Co\nLondon", "the multi-line name is in the CSV")
	assert.Contains(t, stderr.String(), "wrote 5 port-outs (")
}

func TestCSVCounter(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   []string // written in these pieces
		rows int
	}{
		{"empty", nil, 0},
		{"header only", []string{"id,name\n"}, 0},
		{"header without newline", []string{"id,name"}, 0},
		{"two rows", []string{"id,name\n1,a\n2,b\n"}, 2},
		{"last row without newline", []string{"id,name\n1,a\n2,b"}, 2},
		{"quoted newline", []string{"id,name\n1,\"a\nb\"\n2,c\n"}, 2},
		{"doubled quotes", []string{"id,name\n1,\"say \"\"hi\"\"\nthere\"\n"}, 1},
		{"split inside a quoted field", []string{"id,name\n1,\"a", "\n", "b\"\n2,c", "\n"}, 2},
		{"CRLF", []string{"id,name\r\n1,a\r\n"}, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			c := &csvCounter{w: &buf}
			for _, p := range tc.in {
				_, err := c.Write([]byte(p))
				require.NoError(t, err)
			}
			assert.Equal(t, tc.rows, c.rows())
			assert.Equal(t, int64(buf.Len()), c.bytes)
			assert.Equal(t, strings.Join(tc.in, ""), buf.String(), "bytes pass through unchanged")
		})
	}
}

// brokenBody fails after the first few bytes of a download.
type brokenBody struct {
	r    io.ReadCloser
	left int
}

func (b *brokenBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		return 0, errors.New("connection reset by test")
	}
	n, err := b.r.Read(p[:min(len(p), b.left)])
	b.left -= n
	return n, err
}

func (b *brokenBody) Close() error { return b.r.Close() }

func TestRunFailedDownloadLeavesNoPartialFile(t *testing.T) {
	t.Parallel()
	breakDownload := func(resp *http.Response) *http.Response {
		if strings.HasSuffix(resp.Request.URL.Path, "/download") {
			resp.Body = &brokenBody{r: resp.Body, left: 20}
		}
		return resp
	}
	_, _, connect := fake(t, telnyx.WithHTTPClient(hookClient(t, nil, breakDownload)))
	dir := t.TempDir()
	out := filepath.Join(dir, "portouts.csv")
	require.NoError(t, os.WriteFile(out, []byte("an earlier export\n"), 0o600))
	var stdout, stderr bytes.Buffer

	err := run(context.Background(), []string{"-out", out}, &stdout, &stderr, connect)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "connection reset by test")
	assert.Contains(t, err.Error(), out+" was not written")
	data, rerr := os.ReadFile(out)
	require.NoError(t, rerr)
	assert.Equal(t, "an earlier export\n", string(data), "the earlier file is untouched")
	assert.Equal(t, []string{"portouts.csv"}, dirNames(t, dir), "the partial download is removed")
	assert.Equal(t, 1, exitCode(err, io.Discard))
}

func TestRunInterrupted(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var mu sync.Mutex
	reads := 0
	// Ctrl-C arrives while the report is still pending, on its second read.
	interrupt := func(r *http.Request) {
		if r.Method == http.MethodGet && strings.Contains(r.URL.Path, "/portouts/reports/") {
			mu.Lock()
			defer mu.Unlock()
			if reads++; reads == 2 {
				cancel()
			}
		}
	}
	srv, _, connect := fake(t, telnyx.WithHTTPClient(hookClient(t, interrupt, nil)))
	dir := t.TempDir()
	out := filepath.Join(dir, "portouts.csv")
	var stdout, stderr bytes.Buffer

	err := run(ctx, []string{"-out", out}, &stdout, &stderr, connect)
	require.ErrorIs(t, err, context.Canceled)
	assert.True(t, strings.HasPrefix(err.Error(), "interrupted: "), err.Error())
	assert.Empty(t, dirNames(t, dir), "nothing is written")
	for _, r := range srv.Requests() {
		assert.NotContains(t, r.Path, "/download")
	}
}

func TestRunRejectsBadArgumentsBeforeAnyRequest(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown status", []string{"-status", "pending,done"}, `-status: "done" is not a status`},
		{"bad date", []string{"-since", "yesterday"}, `-since: "yesterday" is neither a date`},
		{"since after until", []string{"-since", "2025-06-02", "-until", "2025-06-01"}, "-since must be before -until"},
		{"empty out", []string{"-out", " "}, "-out must name a file"},
		{"zero timeout", []string{"-timeout", "0s"}, "-timeout must be positive"},
		{"stray argument", []string{"-out", "x.csv", "pending"}, `unexpected argument "pending"`},
		{"unknown flag", []string{"-format", "json"}, "flag provided but not defined: -format"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, _, connect := fake(t)
			dir := t.TempDir()
			var stdout, stderr bytes.Buffer
			args := append([]string{"-out", filepath.Join(dir, "o.csv")}, tc.args...)
			err := run(context.Background(), args, &stdout, &stderr, connect)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			var msg bytes.Buffer
			assert.Equal(t, 2, exitCode(err, &msg), "a usage mistake exits 2")
			assert.Contains(t, msg.String()+stderr.String(), tc.want, "the mistake is shown once")
			assert.Equal(t, 1, strings.Count(msg.String()+stderr.String(), tc.want))
			assert.Empty(t, srv.Requests())
			assert.Empty(t, dirNames(t, dir))
		})
	}
}

func TestRunHelp(t *testing.T) {
	t.Parallel()
	var stdout, stderr bytes.Buffer
	connected := false
	err := run(context.Background(), []string{"-h"}, &stdout, &stderr, func() (*telnyx.Client, error) {
		connected = true
		return nil, errors.New("not wanted")
	})
	require.ErrorIs(t, err, flag.ErrHelp)
	assert.Equal(t, 0, exitCode(err, io.Discard))
	assert.False(t, connected, "-h needs no API key")
	for _, f := range []string{"-out", "-status", "-since", "-until", "-end-user", "-phones", "-refs", "-timeout"} {
		assert.Contains(t, stderr.String(), f)
	}
}

// TestConnectFromEnvironment runs the command as main does, with the
// client built from TELNYX_API_KEY and TELNYX_BASE_URL. It sets the
// environment, so it cannot run in parallel.
func TestConnectFromEnvironment(t *testing.T) {
	srv := telnyxtest.NewServer(telnyxtest.WithReportPolls(0)) // the real client would sleep between polls
	t.Cleanup(srv.Close)
	p := srv.AddPortout(telnyx.Portout{PhoneNumbers: []string{"+13125550142"}})

	t.Setenv("TELNYX_API_KEY", "")
	t.Setenv("TELNYX_BASE_URL", srv.URL)
	err := run(context.Background(), []string{"-out", "-"}, io.Discard, io.Discard, connect)
	require.ErrorIs(t, err, telnyx.ErrMissingAPIKey)
	assert.Equal(t, 1, exitCode(err, io.Discard))
	assert.Empty(t, srv.Requests())

	t.Setenv("TELNYX_API_KEY", telnyxtest.APIKey)
	var stdout, stderr bytes.Buffer
	require.NoError(t, run(context.Background(), []string{"-out", "-"}, &stdout, &stderr, connect))
	assert.Equal(t, []string{p.ID}, csvIDs(t, stdout.Bytes()))
	reqs := srv.Requests()
	require.NotEmpty(t, reqs)
	assert.Contains(t, reqs[0].Header.Get("User-Agent"), "telnyx-go-export-report")
}
