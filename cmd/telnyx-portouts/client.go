package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"net/http"
	"runtime/debug"
	"strings"
	"sync"

	telnyx "github.com/a54710f5/telnyx-go"
	"github.com/a54710f5/telnyx-go/telnyxtest"
)

// getClient builds the client once, after the command line has been
// checked: from --fake, from the connect hook of a test, or from the global
// flags and the environment. A missing API key is a usage error, found
// before any request.
func (a *app) getClient() (*telnyx.Client, error) {
	if a.client != nil {
		return a.client, nil
	}
	opts := []telnyx.Option{telnyx.WithUserAgent(progName + "/" + cliVersion())}
	if a.timeout > 0 {
		opts = append(opts, telnyx.WithRequestTimeout(a.timeout))
	}
	if a.verbose {
		h := slog.NewTextHandler(a.msg, &slog.HandlerOptions{Level: slog.LevelDebug})
		opts = append(opts, telnyx.WithLogger(slog.New(h)))
	}
	if a.dryRun {
		a.dry = &dryRecorder{}
		// No retries: an answer made up on the spot needs none.
		opts = append(opts, telnyx.WithMiddleware(a.dry.intercept), telnyx.WithMaxRetries(0))
	}

	var err error
	switch {
	case a.fake:
		var srv *telnyxtest.Server
		if srv, err = a.startFake(); err != nil {
			return nil, err
		}
		a.client = srv.Client(opts...)
	case a.connect != nil:
		a.client, err = a.connect(opts...)
	default:
		key := strings.TrimSpace(a.apiKey)
		if key == "" {
			key = strings.TrimSpace(a.getenv("TELNYX_API_KEY"))
		}
		if key == "" {
			return nil, usagef("no API key: set TELNYX_API_KEY or pass --api-key (or try --fake)")
		}
		opts = append(opts, telnyx.WithAPIKey(key))
		base := a.baseURL
		if base == "" {
			base = a.getenv("TELNYX_BASE_URL")
		}
		if base != "" {
			opts = append(opts, telnyx.WithBaseURL(base))
		}
		a.client, err = telnyx.NewClient(opts...)
		if err != nil {
			// A bad --base-url or option value: nothing was sent.
			return nil, usagef("%s", err.Error())
		}
	}
	return a.client, err
}

// cliVersion is the module version the binary was built from: a tag for
// go install ...@v1.2.3, "(devel)" for a build in a clone.
func cliVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}

// dryRecorder is the middleware behind --dry-run. Reads (GET) go through,
// since checks such as reject --code need them; every other request is
// recorded exactly as the SDK built it and answered on the spot with a
// made-up success, so the command runs to its end and nothing changes.
type dryRecorder struct {
	mu   sync.Mutex
	reqs []dryRequest
	docs int
}

// dryRequest is one request that --dry-run kept from being sent.
type dryRequest struct {
	Method string          `json:"method"`
	Path   string          `json:"path"`
	Body   json.RawMessage `json:"body,omitempty"`
	Upload *dryUpload      `json:"upload,omitempty"`
}

// dryUpload describes a multipart upload without its bytes.
type dryUpload struct {
	Filename string            `json:"filename"`
	Bytes    int64             `json:"bytes"`
	Fields   map[string]string `json:"fields,omitempty"`
}

func (d *dryRecorder) intercept(req *http.Request, next telnyx.MiddlewareNext) (*http.Response, error) {
	if req.Method == http.MethodGet || req.Method == http.MethodHead {
		return next(req)
	}
	r := dryRequest{Method: req.Method, Path: req.URL.EscapedPath()}
	if req.Body != nil {
		body, err := io.ReadAll(req.Body)
		_ = req.Body.Close()
		if err != nil {
			return nil, err
		}
		if r.Upload, err = describeUpload(req.Header.Get("Content-Type"), body); err != nil {
			return nil, err
		}
		if r.Upload == nil && len(body) > 0 {
			r.Body = json.RawMessage(body)
		}
	}
	d.mu.Lock()
	d.reqs = append(d.reqs, r)
	answer := `{"data":{}}`
	switch {
	case r.Upload != nil:
		d.docs++
		answer = fmt.Sprintf(`{"data":{"id":"dry-run-document-%d","filename":%q}}`, d.docs, r.Upload.Filename)
	case strings.HasSuffix(r.Path, "/supporting_documents"):
		answer = `{"data":[]}`
	}
	d.mu.Unlock()
	return &http.Response{
		Status:        "200 OK",
		StatusCode:    http.StatusOK,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        http.Header{"Content-Type": {"application/json"}},
		Body:          io.NopCloser(strings.NewReader(answer)),
		ContentLength: int64(len(answer)),
		Request:       req,
	}, nil
}

// describeUpload names the file and fields of a multipart body; it returns
// nil for any other content type.
func describeUpload(contentType string, body []byte) (*dryUpload, error) {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil || !strings.HasPrefix(mt, "multipart/") {
		return nil, nil //nolint:nilerr // not an upload: the body is shown as JSON
	}
	up := &dryUpload{}
	mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return up, nil
		}
		if err != nil {
			return nil, fmt.Errorf("dry run: reading the upload: %w", err)
		}
		if part.FileName() == "" {
			v, err := io.ReadAll(io.LimitReader(part, 4096))
			if err != nil {
				return nil, fmt.Errorf("dry run: reading the upload: %w", err)
			}
			if up.Fields == nil {
				up.Fields = map[string]string{}
			}
			up.Fields[part.FormName()] = string(v)
			continue
		}
		n, err := io.Copy(io.Discard, part)
		if err != nil {
			return nil, fmt.Errorf("dry run: reading the upload: %w", err)
		}
		up.Filename, up.Bytes = part.FileName(), n
	}
}

// report prints what --dry-run kept back: in table mode the method and path
// of each request and its JSON body on the next line, in JSON mode one
// object per request.
func (d *dryRecorder) report(a *app) {
	d.mu.Lock()
	reqs := append([]dryRequest(nil), d.reqs...)
	d.mu.Unlock()
	a.msg.printf("dry run: %d request(s) not sent\n", len(reqs))
	for _, r := range reqs {
		if a.jsonOut() {
			a.out.json(r)
			continue
		}
		a.out.printf("%s %s\n", r.Method, r.Path)
		switch {
		case r.Upload != nil:
			a.out.printf("multipart/form-data: file %q (%d bytes)\n", r.Upload.Filename, r.Upload.Bytes)
		case len(r.Body) > 0:
			a.out.printf("%s\n", r.Body)
		}
	}
}
