package main

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	telnyx "github.com/a54710f5/telnyx-go"
	"github.com/a54710f5/telnyx-go/telnyxtest"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
)

// setup returns a fake API holding one pending port-out, a client of it
// traced by Tracing, and the recorder and provider behind the spans.
func setup(t *testing.T) (*telnyxtest.Server, *telnyx.Client, *tracetest.SpanRecorder, *sdktrace.TracerProvider) {
	t.Helper()
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
	t.Cleanup(func() { _ = tp.Shutdown(context.Background()) })
	srv := telnyxtest.NewServer()
	t.Cleanup(srv.Close)
	srv.AddPortout(telnyx.Portout{PhoneNumbers: []string{"+13125550142"}})
	client := srv.Client(telnyx.WithMiddleware(Tracing(tp, propagation.TraceContext{})))
	return srv, client, rec, tp
}

func attr(s sdktrace.ReadOnlySpan, key attribute.Key) (attribute.Value, bool) {
	for _, kv := range s.Attributes() {
		if kv.Key == key {
			return kv.Value, true
		}
	}
	return attribute.Value{}, false
}

func TestDemoTracesEveryAttempt(t *testing.T) {
	srv, client, rec, tp := setup(t)
	srv.FailNext(1, http.StatusServiceUnavailable, nil)
	if err := Demo(context.Background(), tp.Tracer("test"), client); err != nil {
		t.Fatal(err)
	}

	spans := rec.Ended()
	if len(spans) != 4 {
		t.Fatalf("got %d spans, want 4: two attempts of the list, one get, one parent", len(spans))
	}
	attempts, parent := spans[:3], spans[3]
	if parent.Name() != "review pending port-outs" {
		t.Fatalf("last span ended is %q, want the parent", parent.Name())
	}
	reqs := srv.Requests()
	if len(reqs) != 3 {
		t.Fatalf("the server received %d requests, want 3", len(reqs))
	}
	wantNames := []string{"telnyx GET /portouts", "telnyx GET /portouts", "telnyx GET /portouts/{id}"}
	wantStatus := []int64{503, 200, 200}
	wantCode := []codes.Code{codes.Error, codes.Unset, codes.Unset}
	for i, s := range attempts {
		if s.Name() != wantNames[i] {
			t.Errorf("span %d is named %q, want %q", i, s.Name(), wantNames[i])
		}
		if s.SpanKind() != trace.SpanKindClient {
			t.Errorf("span %d has kind %v, want client", i, s.SpanKind())
		}
		if v, ok := attr(s, "http.response.status_code"); !ok || v.AsInt64() != wantStatus[i] {
			t.Errorf("span %d: http.response.status_code = %v (set %v), want %d", i, v.String(), ok, wantStatus[i])
		}
		if s.Status().Code != wantCode[i] {
			t.Errorf("span %d: status %v, want %v", i, s.Status().Code, wantCode[i])
		}
		if s.Parent().SpanID() != parent.SpanContext().SpanID() || s.SpanContext().TraceID() != parent.SpanContext().TraceID() {
			t.Errorf("span %d is not a child of the parent span", i)
		}
		// The traceparent that reached the server names this very attempt.
		got := trace.SpanContextFromContext(propagation.TraceContext{}.Extract(context.Background(), propagation.HeaderCarrier(reqs[i].Header)))
		if !got.IsValid() || got.TraceID() != s.SpanContext().TraceID() || got.SpanID() != s.SpanContext().SpanID() {
			t.Errorf("request %d carried traceparent %q, want span %s of trace %s",
				i, reqs[i].Header.Get("Traceparent"), s.SpanContext().SpanID(), s.SpanContext().TraceID())
		}
	}
	assertNoKey(t, spans)
}

func TestAttemptWithoutParentStartsATrace(t *testing.T) {
	_, client, rec, _ := setup(t)
	if _, err := client.Portouts.List(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	spans := rec.Ended()
	if len(spans) != 1 {
		t.Fatalf("got %d spans, want 1", len(spans))
	}
	if spans[0].Parent().IsValid() {
		t.Errorf("the attempt has parent %s, want none: it starts its own trace", spans[0].Parent().SpanID())
	}
}

func TestTracingRecordsTransportError(t *testing.T) {
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
	mw := Tracing(tp, propagation.TraceContext{})
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, "https://api.telnyx.com/v2/portouts", nil)
	req.Header.Set("Authorization", "Bearer "+telnyxtest.APIKey)
	boom := errors.New("connection refused")
	resp, err := mw(req, func(*http.Request) (*http.Response, error) { return nil, boom }) //nolint:bodyclose // the transport gives no response to close
	if resp != nil || !errors.Is(err, boom) {
		t.Fatalf("middleware returned %v, %v; want no response and the transport's error", resp, err)
	}
	if req.Header.Get("Traceparent") != "" {
		t.Error("the middleware changed the headers of the request it was given")
	}
	spans := rec.Ended()
	if len(spans) != 1 {
		t.Fatalf("got %d spans, want 1", len(spans))
	}
	s := spans[0]
	if s.Status().Code != codes.Error || len(s.Events()) != 1 || s.Events()[0].Name != "exception" {
		t.Errorf("status %v with events %v, want an error and one exception event", s.Status(), s.Events())
	}
	if _, ok := attr(s, "http.response.status_code"); ok {
		t.Error("a failed attempt has a status code attribute")
	}
	assertNoKey(t, spans)
}

// assertNoKey fails if the API key or the Authorization header shows up
// anywhere in spans: names, attributes, events or status.
func assertNoKey(t *testing.T, spans []sdktrace.ReadOnlySpan) {
	t.Helper()
	check := func(where, s string) {
		if strings.Contains(s, telnyxtest.APIKey) || strings.Contains(strings.ToLower(s), "authorization") {
			t.Errorf("%s leaks the API key or its header: %q", where, s)
		}
	}
	for _, s := range spans {
		check("span name", s.Name())
		check("status of "+s.Name(), s.Status().Description)
		kvs := s.Attributes()
		for _, e := range s.Events() {
			kvs = append(kvs, e.Attributes...)
		}
		for _, kv := range kvs {
			check("attribute of "+s.Name(), string(kv.Key)+"="+kv.Value.String())
		}
	}
}
