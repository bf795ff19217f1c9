package telnyx

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Hostile input: IDs that would change a URL, bodies too large to hold,
// and code that would weaken TLS.

// hostileIDs change a URL's meaning when pasted into a path unescaped.
var hostileIDs = []string{
	"a/b", "../documents", "../../", "./x", "..%2F..%2Fdocuments", "?filter[status]=ported", "a?b=1",
	"#frag", "a#b", "100%", "%", "%2F", "%2e%2e", "%252F", "a b", " padded ", "ünïcødé/ü", "日本",
	"\x00", "a\x00b", "\r\nX-Evil: 1", "\\..\\", "a;b", "@evil.example", "//evil.example/x",
	"http://evil.example/", "+", "a&b=c", "~user", strings.Repeat("é", 300),
}

// rejectedIDs are refused before any request.
var rejectedIDs = []string{"", " ", "\t\n", ".", ".."}

// idOp is a call that puts an ID in the path.
type idOp struct {
	name  string
	route string // the path the server sees, {id} for the ID
	call  func(ctx context.Context, c *Client, id string) error
}

func idOps() []idOp {
	return []idOp{
		{"Portouts.Get", "/v2/portouts/{id}", func(ctx context.Context, c *Client, id string) error {
			_, err := c.Portouts.Get(ctx, id)
			return err
		}},
		{"Portouts.UpdateStatus", "/v2/portouts/{id}/rejected-pending", func(ctx context.Context, c *Client, id string) error {
			_, err := c.Portouts.UpdateStatus(ctx, id, PortoutStatusRejectedPending, PortoutUpdateStatusParams{Reason: "x"})
			return err
		}},
		{"Portouts.ListRejectionCodes", "/v2/portouts/rejections/{id}", func(ctx context.Context, c *Client, id string) error {
			_, err := c.Portouts.ListRejectionCodes(ctx, id, nil)
			return err
		}},
		{"Comments.List", "/v2/portouts/{id}/comments", func(ctx context.Context, c *Client, id string) error {
			_, err := c.Portouts.Comments.List(ctx, id)
			return err
		}},
		{"Comments.Create", "/v2/portouts/{id}/comments", func(ctx context.Context, c *Client, id string) error {
			_, err := c.Portouts.Comments.Create(ctx, id, PortoutCommentCreateParams{Body: "x"})
			return err
		}},
		{"SupportingDocuments.List", "/v2/portouts/{id}/supporting_documents", func(ctx context.Context, c *Client, id string) error {
			_, err := c.Portouts.SupportingDocuments.List(ctx, id)
			return err
		}},
		{"SupportingDocuments.Create", "/v2/portouts/{id}/supporting_documents", func(ctx context.Context, c *Client, id string) error {
			_, err := c.Portouts.SupportingDocuments.Create(ctx, id, PortoutSupportingDocumentCreateParams{
				Documents: []SupportingDocumentParam{{DocumentID: "d1", Type: SupportingDocumentInvoice}},
			})
			return err
		}},
		{"Events.Get", "/v2/portouts/events/{id}", func(ctx context.Context, c *Client, id string) error {
			_, err := c.Portouts.Events.Get(ctx, id)
			return err
		}},
		{"Events.Republish", "/v2/portouts/events/{id}/republish", func(ctx context.Context, c *Client, id string) error {
			return c.Portouts.Events.Republish(ctx, id)
		}},
		{"Reports.Get", "/v2/portouts/reports/{id}", func(ctx context.Context, c *Client, id string) error {
			_, err := c.Portouts.Reports.Get(ctx, id)
			return err
		}},
		{"Documents.Download", "/v2/documents/{id}/download", func(ctx context.Context, c *Client, id string) error {
			_, err := c.Documents.Download(ctx, id, io.Discard)
			return err
		}},
	}
}

func TestHostileIDsStayInTheirSegment(t *testing.T) {
	t.Parallel()
	// Answers that every call decodes: an object that is also harmless
	// where a list is expected is not possible, so answer by route.
	handle := func(w http.ResponseWriter, r *http.Request, _ int) {
		switch {
		case r.Method == http.MethodGet && (strings.HasSuffix(r.URL.Path, "/comments") || strings.HasSuffix(r.URL.Path, "/supporting_documents") ||
			strings.Contains(r.URL.Path, "/rejections/")):
			answer(200, `{"data":[]}`)(w, r)
		case r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/supporting_documents"):
			answer(201, `{"data":[]}`)(w, r)
		case strings.HasSuffix(r.URL.Path, "/download"):
			answer(200, "csv", "Content-Type", "text/csv")(w, r)
		default:
			answer(200, `{"data":{"id":"x"}}`)(w, r)
		}
	}
	for _, id := range hostileIDs {
		t.Run(fmt.Sprintf("%q", id), func(t *testing.T) {
			t.Parallel()
			srv := newLoopback(t, handle)
			c, _, _ := newLoopbackClient(t, srv.baseURL(), WithMaxRetries(0))
			ops := idOps()
			for _, op := range ops {
				require.NoError(t, op.call(t.Context(), c, id), op.name)
			}
			seen := srv.Seen()
			require.Len(t, seen, len(ops), "one request per call")
			for i, op := range ops {
				got := seen[i]
				want := strings.Split(op.route, "/")
				segs := strings.Split(got.RawPath, "/")
				require.Len(t, segs, len(want), "%s: %s has the route's segment count", op.name, got.RawPath)
				for j, w := range want {
					if w == "{id}" {
						dec, err := url.PathUnescape(segs[j])
						require.NoError(t, err)
						assert.Equal(t, id, dec, "%s: the segment decodes back to the ID", op.name)
						continue
					}
					assert.Equal(t, w, segs[j], "%s: segment %d", op.name, j)
				}
				assert.Empty(t, got.Query, "%s: the ID never becomes a query", op.name)
			}
		})
	}
	for _, id := range rejectedIDs {
		t.Run(fmt.Sprintf("rejected %q", id), func(t *testing.T) {
			t.Parallel()
			srv := newLoopback(t, handle)
			c, _, _ := newLoopbackClient(t, srv.baseURL())
			for _, op := range idOps() {
				err := op.call(t.Context(), c, id)
				var ipe *InvalidParamsError
				require.ErrorAs(t, err, &ipe, op.name)
				assert.NotEmpty(t, ipe.Field)
			}
			assert.Empty(t, srv.Seen(), "nothing is sent")
		})
	}
}

// countingWriter counts what a handler managed to write.
type countingWriter struct {
	w http.ResponseWriter
	n atomic.Int64
}

// stream writes up to total bytes of filler (after prefix) in 64 KiB
// chunks, stopping at the first write error: the client hung up.
func (c *countingWriter) stream(prefix string, total int64) {
	n, err := io.WriteString(c.w, prefix)
	c.n.Add(int64(n))
	if err != nil {
		return
	}
	chunk := bytes.Repeat([]byte(" "), 64<<10)
	for c.n.Load() < total {
		n, err := c.w.Write(chunk)
		c.n.Add(int64(n))
		if err != nil {
			return
		}
	}
}

// TestHostileBodiesAreBounded is not parallel: it moves tens of megabytes,
// and running it before the parallel tests keeps its load from stretching
// their timing.
func TestHostileBodiesAreBounded(t *testing.T) {
	const huge = 50 << 20
	t.Run("50 MiB error body", func(t *testing.T) {
		var cw countingWriter
		srv := newLoopback(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
			cw.w = w
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusInternalServerError)
			cw.stream(`{"errors":[{"detail":"`, huge)
		})
		c, _, _ := newLoopbackClient(t, srv.baseURL(), WithMaxRetries(0))
		start := time.Now()
		_, err := c.Portouts.Get(t.Context(), "p1")
		elapsed := time.Since(start)
		hits := len(srv.Seen()) // waits for the handler to stop writing
		logFault(t, "500 streaming 50 MiB", hits, err, elapsed)
		var ae *APIError
		require.ErrorAs(t, err, &ae)
		assert.ErrorIs(t, err, ErrServer)
		assert.Len(t, ae.Body, maxErrorBody)
		assert.Less(t, cw.n.Load(), int64(huge/2), "the client stopped reading early")
		t.Logf("server wrote %.1f MiB of 50 before the client hung up", float64(cw.n.Load())/(1<<20))
	})
	t.Run("success body beyond the bound", func(t *testing.T) {
		var cw countingWriter
		srv := newLoopback(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
			cw.w = w
			w.Header().Set("Content-Type", "application/json")
			cw.stream(`{"data":[`, huge+maxResponseBody)
		})
		c, _, _ := newLoopbackClient(t, srv.baseURL())
		start := time.Now()
		_, err := c.Portouts.List(t.Context(), nil)
		elapsed := time.Since(start)
		hits := len(srv.Seen())
		logFault(t, "200 streaming past the response bound", hits, err, elapsed)
		var de *DecodeError
		require.ErrorAs(t, err, &de)
		assert.ErrorIs(t, err, errBodyTooLarge)
		assert.Equal(t, 1, hits, "not retried")
		assert.Less(t, cw.n.Load(), int64(maxResponseBody+huge/2), "the client stopped reading early")
		assert.Contains(t, err.Error(), "larger than 32 MiB")
	})
	t.Run("declared length beyond the bound", func(t *testing.T) {
		var cw countingWriter
		srv := newLoopback(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
			cw.w = w
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Content-Length", fmt.Sprint(maxResponseBody+1))
			cw.stream(`{"data":[`, maxResponseBody+1)
		})
		c, _, _ := newLoopbackClient(t, srv.baseURL())
		_, err := c.Portouts.List(t.Context(), nil)
		hits := len(srv.Seen())
		assert.ErrorIs(t, err, errBodyTooLarge)
		assert.Equal(t, 1, hits)
		assert.Less(t, cw.n.Load(), int64(maxResponseBody/2), "refused on the declared length, before reading")
	})
}

// tlsWeakening finds code that turns TLS checks off or accepts old versions.
var tlsWeakening = regexp.MustCompile(`InsecureSkipVerify|(?:MinVersion|MaxVersion)\s*[:=]\s*(?:tls\.)?Version(?:SSL30|TLS10|TLS11)\b|\b0x030[0-2]\b`)

func TestNoTLSWeakeningInTheSource(t *testing.T) {
	t.Parallel()
	// The matcher itself catches what it should.
	for _, s := range []string{"InsecureSkipVerify: true", "MinVersion: tls.VersionTLS10", "c.MaxVersion = tls.VersionSSL30", "MinVersion: 0x0301"} {
		assert.Regexp(t, tlsWeakening, s)
	}
	assert.NotRegexp(t, tlsWeakening, "MinVersion: tls.VersionTLS12")

	var scanned []string
	root := os.DirFS(".")
	err := fs.WalkDir(root, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != "." && (strings.HasPrefix(name, ".") || name == "testdata" || name == "vendor" || name == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		b, err := fs.ReadFile(root, path)
		if err != nil {
			return err
		}
		scanned = append(scanned, path)
		for i, line := range strings.Split(string(b), "\n") {
			if tlsWeakening.MatchString(line) {
				t.Errorf("%s:%d weakens TLS: %s", path, i+1, strings.TrimSpace(line))
			}
		}
		return nil
	})
	require.NoError(t, err)
	assert.Contains(t, scanned, "client.go")
	assert.Contains(t, scanned, "webhook/verifier.go")
	assert.Greater(t, len(scanned), 15)
	assert.True(t, strings.HasPrefix(DefaultBaseURL, "https://"), "the default API root is HTTPS")
}
