// Command otel traces the SDK's HTTP traffic with OpenTelemetry: a
// middleware opens one client span per attempt, so a retried call shows as
// two spans, and puts the span in the request's traceparent header.
//
// Without TELNYX_API_KEY it calls the in-process fake of the API (package
// telnyxtest), whose first answer is a 503, and prints the spans to stdout:
//
//	cd examples/otel && go run .
//
// With a key it makes the same read-only calls against your account. It is a
// module of its own so that the SDK does not depend on OpenTelemetry.
//
// Wrapping the transport also gives a span per attempt, at the cost of the
// otelhttp module and of the SDK's view of the request:
//
//	hc := telnyx.DefaultHTTPClient()
//	hc.Transport = otelhttp.NewTransport(hc.Transport)
//	client, err := telnyx.NewClient(telnyx.WithHTTPClient(hc))
package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strconv"

	telnyx "github.com/a54710f5/telnyx-go"
	"github.com/a54710f5/telnyx-go/telnyxtest"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/exporters/stdout/stdouttrace"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"
)

const scope = "github.com/a54710f5/telnyx-go/examples/otel"

func main() {
	if err := run(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, "otel:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context) (err error) {
	exp, err := stdouttrace.New(stdouttrace.WithPrettyPrint())
	if err != nil {
		return err
	}
	// WithSyncer prints each span as it ends; a service would use WithBatcher.
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp))
	defer func() { err = errors.Join(err, tp.Shutdown(ctx)) }()
	traced := telnyx.WithMiddleware(Tracing(tp, propagation.TraceContext{}))

	if os.Getenv("TELNYX_API_KEY") != "" {
		client, err := telnyx.NewClient(traced, telnyx.WithUserAgent("telnyx-go-otel"))
		if err != nil {
			return err
		}
		return Demo(ctx, tp.Tracer(scope), client)
	}
	srv := telnyxtest.NewServer()
	defer srv.Close()
	srv.AddPortout(telnyx.Portout{PhoneNumbers: []string{"+13125550142"}})
	srv.FailNext(1, http.StatusServiceUnavailable, nil) // the list is tried twice
	if err := Demo(ctx, tp.Tracer(scope), srv.Client(traced)); err != nil {
		return err
	}
	for _, r := range srv.Requests() {
		fmt.Printf("the fake received %s %s with traceparent %s\n", r.Method, r.Path, r.Header.Get("Traceparent"))
	}
	return nil
}

// Demo lists pending port-outs and gets the first one, under one parent
// span, so that the spans of the attempts are its children.
func Demo(ctx context.Context, tracer trace.Tracer, client *telnyx.Client) error {
	ctx, span := tracer.Start(ctx, "review pending port-outs")
	defer span.End()
	page, err := client.Portouts.List(ctx, &telnyx.PortoutListParams{
		Page:   telnyx.PageParams{Size: 5},
		Filter: telnyx.PortoutListFilter{Status: telnyx.PortoutStatusPending},
	})
	if err == nil && len(page.Data) > 0 {
		_, err = client.Portouts.Get(ctx, page.Data[0].ID)
	}
	if err != nil {
		span.SetStatus(codes.Error, err.Error())
	}
	return err
}

// Tracing returns middleware that wraps each attempt in a client span named
// after the method and the SDK's route template, such as
// "telnyx GET /portouts/{id}" (no ID, so span names stay few), and
// injects the span's context into the request's headers with prop. It
// records the method, host, path, status code and error, and no header: the
// Authorization header holds the API key.
func Tracing(tp trace.TracerProvider, prop propagation.TextMapPropagator) telnyx.Middleware {
	tracer := tp.Tracer(scope)
	return func(req *http.Request, next telnyx.MiddlewareNext) (*http.Response, error) {
		route := telnyx.RequestRoute(req)
		if route == "" {
			route = req.URL.Path // a request the SDK did not build
		}
		ctx, span := tracer.Start(req.Context(), "telnyx "+req.Method+" "+route,
			trace.WithSpanKind(trace.SpanKindClient),
			trace.WithAttributes(
				semconv.HTTPRequestMethodKey.String(req.Method),
				semconv.HTTPRoute(route),
				semconv.ServerAddress(req.URL.Hostname()),
				semconv.URLPath(req.URL.Path),
			))
		defer span.End() // once the headers are in: the SDK reads the body later
		// Inject into a copy, so that the request given stays as it was.
		req = req.Clone(ctx)
		prop.Inject(ctx, propagation.HeaderCarrier(req.Header))
		resp, err := next(req)
		switch {
		case err != nil:
			span.RecordError(err)
			span.SetAttributes(semconv.ErrorType(err))
			span.SetStatus(codes.Error, err.Error())
		case resp.StatusCode >= 400:
			span.SetAttributes(semconv.HTTPResponseStatusCode(resp.StatusCode),
				semconv.ErrorTypeKey.String(strconv.Itoa(resp.StatusCode)))
			span.SetStatus(codes.Error, http.StatusText(resp.StatusCode))
		default:
			span.SetAttributes(semconv.HTTPResponseStatusCode(resp.StatusCode))
		}
		return resp, err
	}
}
