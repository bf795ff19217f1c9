package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	telnyx "github.com/a54710f5/telnyx-go"
	"github.com/a54710f5/telnyx-go/telnyxtest"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// writePDF writes a small PDF-looking file and returns its path and bytes.
func writePDF(t *testing.T, dir, name string) (string, []byte) {
	t.Helper()
	data := []byte("%PDF-1.7\n% " + name + "\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n")
	path := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(path, data, 0o600))
	return path, data
}

// fake starts the fake API with one port-out; opts go to the client.
func fake(t *testing.T, opts ...telnyx.Option) (*telnyxtest.Server, string, func() (*telnyx.Client, error)) {
	t.Helper()
	srv := telnyxtest.NewServer()
	t.Cleanup(srv.Close)
	p := srv.AddPortout(telnyx.Portout{PhoneNumbers: []string{"+13125550142"}})
	return srv, p.ID, func() (*telnyx.Client, error) { return srv.Client(opts...), nil }
}

// failNthUpload is an HTTP client that makes the nth upload fail with
// status, by queuing a FailNext just before it is sent.
func failNthUpload(t *testing.T, srv **telnyxtest.Server, nth, status int) *http.Client {
	t.Helper()
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	var mu sync.Mutex
	uploads := 0
	return &http.Client{Transport: roundTripper(func(r *http.Request) (*http.Response, error) {
		if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/documents") {
			mu.Lock()
			if uploads++; uploads == nth {
				(*srv).FailNext(1, status, nil)
			}
			mu.Unlock()
		}
		return tr.RoundTrip(r)
	})}
}

type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func routes(srv *telnyxtest.Server) []string {
	var out []string
	for _, r := range srv.Requests() {
		out = append(out, r.Method+" "+r.Path)
	}
	return out
}

func TestRunAttachesLOAAndInvoice(t *testing.T) {
	t.Parallel()
	srv, portoutID, connect := fake(t)
	dir := t.TempDir()
	loa, loaData := writePDF(t, dir, "loa.pdf")
	invoice, invoiceData := writePDF(t, dir, "march-invoice.pdf")
	var stdout, stderr bytes.Buffer

	err := run(context.Background(), []string{"-portout", portoutID, "-loa", loa, "-invoice", invoice}, &stdout, &stderr, connect)
	require.NoError(t, err, stderr.String())
	assert.Empty(t, stderr.String())

	listed, err := srv.Client().Portouts.SupportingDocuments.List(context.Background(), portoutID)
	require.NoError(t, err)
	require.Len(t, listed, 2)
	want := map[telnyx.SupportingDocumentType]struct {
		path, name string
		data       []byte
	}{
		telnyx.SupportingDocumentLOA:     {loa, "loa.pdf", loaData},
		telnyx.SupportingDocumentInvoice: {invoice, "march-invoice.pdf", invoiceData},
	}
	var lines []string
	for _, d := range listed {
		w, ok := want[d.Type]
		require.True(t, ok, "unexpected type %q", d.Type)
		doc, data, ok := srv.Document(d.DocumentID)
		require.True(t, ok)
		assert.Equal(t, w.name, doc.Filename, "the upload keeps the file's base name")
		assert.Equal(t, w.data, data)
		lines = append(lines, "linked "+string(d.Type)+" "+w.path+" as document "+d.DocumentID+" to port-out "+portoutID)
	}
	assert.Equal(t, strings.Join(lines, "\n")+"\n", stdout.String())
}

func TestRunAttachesLOAOnly(t *testing.T) {
	t.Parallel()
	srv, portoutID, connect := fake(t)
	loa, _ := writePDF(t, t.TempDir(), "loa.pdf")
	var stdout, stderr bytes.Buffer
	require.NoError(t, run(context.Background(), []string{"-portout", portoutID, "-loa", loa}, &stdout, &stderr, connect))
	listed, err := srv.Client().Portouts.SupportingDocuments.List(context.Background(), portoutID)
	require.NoError(t, err)
	require.Len(t, listed, 1)
	assert.Equal(t, telnyx.SupportingDocumentLOA, listed[0].Type)
	assert.Equal(t, 1, strings.Count(stdout.String(), "linked loa "))
}

func TestRunRejectsBadInputBeforeAnyRequest(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	loa, _ := writePDF(t, dir, "loa.pdf")
	text := filepath.Join(dir, "loa.txt")
	require.NoError(t, os.WriteFile(text, []byte("Letter of authorization\n"), 0o600))
	empty := filepath.Join(dir, "empty.pdf")
	require.NoError(t, os.WriteFile(empty, nil, 0o600))
	short := filepath.Join(dir, "short.pdf")
	require.NoError(t, os.WriteFile(short, []byte("%PD"), 0o600))

	tests := []struct {
		name  string
		args  []string
		want  string
		usage bool
	}{
		{"no port-out", []string{"-loa", loa}, "-portout is required", true},
		{"no loa", []string{"-portout", "po", "-invoice", loa}, "-loa is required", true},
		{"stray argument", []string{"-portout", "po", "-loa", loa, "extra.pdf"}, `unexpected argument "extra.pdf"`, true},
		{"unknown flag", []string{"-portout", "po", "-file", loa}, "flag provided but not defined: -file", true},
		{"missing file", []string{"-portout", "po", "-loa", filepath.Join(dir, "nope.pdf")}, "nope.pdf", false},
		{"not a PDF", []string{"-portout", "po", "-loa", text}, text + " is not a PDF", false},
		{"too short for a PDF", []string{"-portout", "po", "-loa", short}, short + " is not a PDF", false},
		{"empty file", []string{"-portout", "po", "-loa", empty}, empty + " is empty", false},
		{"directory", []string{"-portout", "po", "-loa", dir}, dir + " is not a regular file", false},
		{"bad invoice", []string{"-portout", "po", "-loa", loa, "-invoice", text}, text + " is not a PDF", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, _, connect := fake(t)
			var stdout, stderr bytes.Buffer
			err := run(context.Background(), tc.args, &stdout, &stderr, connect)
			require.Error(t, err)
			var msg bytes.Buffer
			code := exitCode(err, &msg)
			assert.Contains(t, msg.String()+stderr.String(), tc.want)
			if tc.usage {
				assert.Equal(t, 2, code)
			} else {
				assert.Equal(t, 1, code)
			}
			assert.Empty(t, srv.Requests(), "nothing is sent")
		})
	}
}

func TestRunSecondUploadFails(t *testing.T) {
	t.Parallel()
	var srv *telnyxtest.Server
	srv, portoutID, connect := fake(t, telnyx.WithHTTPClient(failNthUpload(t, &srv, 2, http.StatusUnprocessableEntity)))
	dir := t.TempDir()
	loa, _ := writePDF(t, dir, "loa.pdf")
	invoice, _ := writePDF(t, dir, "invoice.pdf")
	var stdout, stderr bytes.Buffer

	err := run(context.Background(), []string{"-portout", portoutID, "-loa", loa, "-invoice", invoice}, &stdout, &stderr, connect)
	var ae *telnyx.AttachError
	require.ErrorAs(t, err, &ae)
	require.Len(t, ae.Uploaded, 1)
	id := ae.Uploaded[0].DocumentID
	_, _, ok := srv.Document(id)
	require.True(t, ok, "the listed ID is the stored upload")

	assert.Equal(t, "Uploaded but not linked to port-out "+portoutID+" (Telnyx deletes them 30 minutes after upload):\n"+
		"  loa      "+id+"  "+loa+"\n", stderr.String())
	assert.Empty(t, stdout.String())
	var msg bytes.Buffer
	assert.Equal(t, 1, exitCode(err, &msg))
	assert.Contains(t, msg.String(), "uploading invoice.pdf")
	assert.Equal(t, []string{"POST /documents", "POST /documents"}, routes(srv))
}

func TestRunLinkFailsListsEveryUpload(t *testing.T) {
	t.Parallel()
	srv, _, connect := fake(t)
	dir := t.TempDir()
	loa, _ := writePDF(t, dir, "loa.pdf")
	invoice, _ := writePDF(t, dir, "invoice.pdf")
	const missing = "0ccc7b54-4df3-4bca-a65a-3da1ecc777f0"
	var stdout, stderr bytes.Buffer

	err := run(context.Background(), []string{"-portout", missing, "-loa", loa, "-invoice", invoice}, &stdout, &stderr, connect)
	require.ErrorIs(t, err, telnyx.ErrNotFound)
	var ae *telnyx.AttachError
	require.ErrorAs(t, err, &ae)
	require.Len(t, ae.Uploaded, 2)
	assert.Contains(t, stderr.String(), "  loa      "+ae.Uploaded[0].DocumentID+"  "+loa+"\n")
	assert.Contains(t, stderr.String(), "  invoice  "+ae.Uploaded[1].DocumentID+"  "+invoice+"\n")
	assert.Len(t, routes(srv), 3)
}

func TestRunInterrupted(t *testing.T) {
	t.Parallel()
	srv, portoutID, connect := fake(t)
	loa, _ := writePDF(t, t.TempDir(), "loa.pdf")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := run(ctx, []string{"-portout", portoutID, "-loa", loa}, io.Discard, io.Discard, connect)
	require.ErrorIs(t, err, context.Canceled)
	assert.True(t, strings.HasPrefix(err.Error(), "interrupted: "), err.Error())
	assert.Empty(t, srv.Requests())
}

func TestRunHelp(t *testing.T) {
	t.Parallel()
	var stderr bytes.Buffer
	connected := false
	err := run(context.Background(), []string{"-h"}, io.Discard, &stderr, func() (*telnyx.Client, error) {
		connected = true
		return nil, errors.New("not wanted")
	})
	require.ErrorIs(t, err, flag.ErrHelp)
	assert.Equal(t, 0, exitCode(err, io.Discard))
	assert.False(t, connected)
	for _, f := range []string{"-portout", "-loa", "-invoice"} {
		assert.Contains(t, stderr.String(), f)
	}
}

// TestConnectFromEnvironment runs the command as main does; it sets the
// environment, so it cannot run in parallel.
func TestConnectFromEnvironment(t *testing.T) {
	srv, portoutID, _ := fake(t)
	loa, _ := writePDF(t, t.TempDir(), "loa.pdf")

	t.Setenv("TELNYX_API_KEY", "")
	t.Setenv("TELNYX_BASE_URL", srv.URL)
	err := run(context.Background(), []string{"-portout", portoutID, "-loa", loa}, io.Discard, io.Discard, connect)
	require.ErrorIs(t, err, telnyx.ErrMissingAPIKey)
	assert.Empty(t, srv.Requests())

	t.Setenv("TELNYX_API_KEY", telnyxtest.APIKey)
	var stdout bytes.Buffer
	require.NoError(t, run(context.Background(), []string{"-portout", portoutID, "-loa", loa}, &stdout, io.Discard, connect))
	assert.Contains(t, stdout.String(), "linked loa ")
	reqs := srv.Requests()
	require.NotEmpty(t, reqs)
	assert.Contains(t, reqs[0].Header.Get("User-Agent"), "telnyx-go-attach-loa")
}
