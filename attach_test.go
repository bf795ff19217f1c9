package telnyx

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSupportingDocumentsAttachValidatesBeforeAnyUpload(t *testing.T) {
	t.Parallel()
	good := func(name string) SupportingFile {
		return SupportingFile{Type: SupportingDocumentLOA, Filename: name, File: strings.NewReader("%PDF-")}
	}
	eleven := make([]SupportingFile, 11)
	for i := range eleven {
		eleven[i] = good(fmt.Sprintf("f%d.pdf", i))
	}
	tests := []struct {
		name      string
		portoutID string
		files     []SupportingFile
		field     string
	}{
		{"no port-out", "", []SupportingFile{good("a.pdf")}, "portoutID"},
		{"nil files", "po", nil, "files"},
		{"zero files", "po", []SupportingFile{}, "files"},
		{"eleven files", "po", eleven, "files"},
		{"unknown type", "po", []SupportingFile{good("a.pdf"), {Type: "passport", Filename: "b.pdf", File: strings.NewReader("x")}}, "files[1].Type"},
		{"empty type", "po", []SupportingFile{{Filename: "a.pdf", File: strings.NewReader("x")}}, "files[0].Type"},
		{"empty filename", "po", []SupportingFile{good("a.pdf"), good("b.pdf"), good("")}, "files[2].Filename"},
		{"blank filename", "po", []SupportingFile{good("  \t")}, "files[0].Filename"},
		{"control character in a filename", "po", []SupportingFile{good("a.pdf"), good("b\x00.pdf")}, "files[1].Filename"},
		{"nil reader", "po", []SupportingFile{good("a.pdf"), {Type: SupportingDocumentInvoice, Filename: "b.pdf"}}, "files[1].File"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, mock := newTestClient(t)
			mock.RegisterNoResponder(jsonResponder(200, `{"data":{"id":"d1"}}`))
			got, err := c.Portouts.SupportingDocuments.Attach(t.Context(), tc.portoutID, tc.files)
			assert.Nil(t, got)
			var invalid *InvalidParamsError
			require.ErrorAs(t, err, &invalid)
			assert.Equal(t, tc.field, invalid.Field)
			var ae *AttachError
			assert.False(t, errors.As(err, &ae), "nothing was uploaded, so no AttachError")
			assert.Zero(t, mock.GetTotalCallCount(), "validation happens before any upload")
		})
	}
}

func TestSupportingDocumentsAttachCancelled(t *testing.T) {
	t.Parallel()
	c, mock := newTestClient(t)
	mock.RegisterNoResponder(jsonResponder(200, `{"data":{"id":"d1"}}`))
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := c.Portouts.SupportingDocuments.Attach(ctx, "po1", []SupportingFile{
		{Type: SupportingDocumentLOA, Filename: "loa.pdf", File: strings.NewReader("%PDF-1.7")},
	})
	assert.ErrorIs(t, err, context.Canceled)
	var ae *AttachError
	require.ErrorAs(t, err, &ae)
	assert.Empty(t, ae.Uploaded)
	assert.Zero(t, mock.GetTotalCallCount())
}

// patternReader is an endless deterministic stream that allocates nothing as
// it is read: a fixed 64 KiB block repeated.
type patternReader struct {
	block []byte
	off   int
}

func newPatternReader() *patternReader {
	b := make([]byte, 64<<10)
	for i := range b {
		b[i] = byte(i*7 + i>>8)
	}
	return &patternReader{block: b}
}

func (p *patternReader) Read(buf []byte) (int, error) {
	n := 0
	for n < len(buf) {
		c := copy(buf[n:], p.block[p.off:])
		n += c
		p.off = (p.off + c) % len(p.block)
	}
	return n, nil
}

// TestSupportingDocumentsAttachStreams50MiB uploads a 50 MiB file that
// never exists in memory through Attach to a server that hashes and drops
// it, and checks that the process allocated a small fraction of that. It
// does not call t.Parallel, so that no other test allocates meanwhile.
func TestSupportingDocumentsAttachStreams50MiB(t *testing.T) {
	const size = 50 << 20
	const allocBudget = 8 << 20

	want := sha256.New()
	_, err := io.Copy(want, io.LimitReader(newPatternReader(), size))
	require.NoError(t, err)

	var (
		mu       sync.Mutex
		received int64
		gotName  string
		gotSum   []byte
	)
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v2/documents", func(w http.ResponseWriter, r *http.Request) {
		mr, err := r.MultipartReader()
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		h := sha256.New()
		var n int64
		var name string
		for {
			part, err := mr.NextPart()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			if part.FormName() == "file" {
				name = part.FileName()
				if n, err = io.Copy(h, part); err != nil {
					http.Error(w, err.Error(), http.StatusBadRequest)
					return
				}
			}
		}
		mu.Lock()
		received, gotName, gotSum = n, name, h.Sum(nil)
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = fmt.Fprintf(w, `{"data":{"id":"doc-big","filename":%q,"record_type":"document","size":{"amount":%d,"unit":"bytes"}}}`, name, n)
	})
	mux.HandleFunc("POST /v2/portouts/po-1/supporting_documents", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		_, _ = io.WriteString(w, `{"data":[{"id":"sd-1","document_id":"doc-big","portout_id":"po-1","record_type":"supporting_document","type":"loa"}]}`)
	})
	srv := newLoopback(t, func(w http.ResponseWriter, r *http.Request, _ int) { mux.ServeHTTP(w, r) })
	client, _, _ := newLoopbackClient(t, srv.baseURL())
	file := io.LimitReader(newPatternReader(), size)
	ctx := t.Context()

	var before, after runtimeMem
	before.read()
	start := time.Now()
	linked, err := client.Portouts.SupportingDocuments.Attach(ctx, "po-1", []SupportingFile{
		{Type: SupportingDocumentLOA, Filename: "big-loa.pdf", File: file},
	})
	took := time.Since(start)
	after.read()
	require.NoError(t, err)
	require.Len(t, linked, 1)
	assert.Equal(t, "doc-big", linked[0].DocumentID)

	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, int64(size), received, "the server received exactly 50 MiB")
	assert.Equal(t, want.Sum(nil), gotSum, "and exactly the bytes read from the file")
	assert.Equal(t, "big-loa.pdf", gotName)
	alloc := after.totalAlloc - before.totalAlloc
	t.Logf("50 MiB upload through Attach: %.2f MiB allocated (client and server), %d mallocs, %v",
		float64(alloc)/(1<<20), after.mallocs-before.mallocs, took.Round(time.Millisecond))
	assert.Less(t, alloc, uint64(allocBudget), "the upload is streamed, never held whole in memory")
}

// runtimeMem is the part of runtime.MemStats the streaming test reads.
type runtimeMem struct {
	totalAlloc, mallocs uint64
}

func (m *runtimeMem) read() {
	var s runtime.MemStats
	runtime.ReadMemStats(&s)
	m.totalAlloc, m.mallocs = s.TotalAlloc, s.Mallocs
}
