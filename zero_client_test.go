package telnyx

import (
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// zeroCalls makes every call reachable without NewClient: through a zero
// Client's nil services, and through nil sub-services.
func zeroCalls(t *testing.T) map[string]func() error {
	t.Helper()
	ctx := t.Context()
	var c Client
	var (
		events  *PortoutEventService
		reports *PortoutReportService
		notes   *PortoutCommentService
		support *PortoutSupportingDocumentService
	)
	firstErr := func(seq func(yield func(*Portout, error) bool)) error {
		n := 0
		var got error
		seq(func(p *Portout, err error) bool {
			n++
			got = err
			assert.Nil(t, p)
			return true
		})
		assert.Equal(t, 1, n, "the error is yielded once")
		return got
	}
	file := func() io.Reader { return strings.NewReader("%PDF") }
	return map[string]func() error{
		"Portouts.Get":            func() error { _, err := c.Portouts.Get(ctx, "p1"); return err },
		"Portouts.List":           func() error { _, err := c.Portouts.List(ctx, nil); return err },
		"Portouts.ListAutoPaging": func() error { return firstErr(c.Portouts.ListAutoPaging(ctx, nil)) },
		"Portouts.ListRejectionCodes": func() error {
			_, err := c.Portouts.ListRejectionCodes(ctx, "p1", nil)
			return err
		},
		"Portouts.UpdateStatus": func() error {
			_, err := c.Portouts.UpdateStatus(ctx, "p1", PortoutStatusAuthorized, PortoutUpdateStatusParams{})
			return err
		},
		"Portouts.Authorize": func() error {
			_, err := c.Portouts.Authorize(ctx, "p1", PortoutAuthorizeParams{})
			return err
		},
		"Portouts.Reject": func() error { _, err := c.Portouts.Reject(ctx, "p1", "no"); return err },
		"Documents.Upload": func() error {
			_, err := c.Documents.Upload(ctx, DocumentUploadParams{Filename: "loa.pdf", File: file()})
			return err
		},
		"Documents.Download": func() error { _, err := c.Documents.Download(ctx, "d1", io.Discard); return err },
		"Events.List":        func() error { _, err := events.List(ctx, nil); return err },
		"Events.ListAutoPaging": func() error {
			for _, err := range events.ListAutoPaging(ctx, nil) {
				return err
			}
			return nil
		},
		"Events.Get":       func() error { _, err := events.Get(ctx, "e1"); return err },
		"Events.Republish": func() error { return events.Republish(ctx, "e1") },
		"Reports.List":     func() error { _, err := reports.List(ctx, nil); return err },
		"Reports.ListAutoPaging": func() error {
			for _, err := range reports.ListAutoPaging(ctx, nil) {
				return err
			}
			return nil
		},
		"Reports.Create": func() error { _, err := reports.Create(ctx, PortoutReportCreateParams{}); return err },
		"Reports.Get":    func() error { _, err := reports.Get(ctx, "r1"); return err },
		"Reports.Wait":   func() error { _, err := reports.Wait(ctx, "r1"); return err },
		"Reports.Export": func() error {
			_, err := reports.Export(ctx, PortoutReportFilters{}, io.Discard)
			return err
		},
		"Comments.List":            func() error { _, err := notes.List(ctx, "p1"); return err },
		"Comments.Create":          func() error { _, err := notes.Create(ctx, "p1", PortoutCommentCreateParams{Body: "x"}); return err },
		"SupportingDocuments.List": func() error { _, err := support.List(ctx, "p1"); return err },
		"SupportingDocuments.Create": func() error {
			_, err := support.Create(ctx, "p1", PortoutSupportingDocumentCreateParams{
				Documents: []SupportingDocumentParam{{DocumentID: "d1", Type: SupportingDocumentLOA}},
			})
			return err
		},
		"SupportingDocuments.Attach": func() error {
			_, err := support.Attach(ctx, "p1", []SupportingFile{{Type: SupportingDocumentLOA, Filename: "loa.pdf", File: file()}})
			return err
		},
	}
}

// Item 16: a Client that did not come from NewClient, and the nil services
// it holds, answer every call with an error instead of panicking. (Reaching
// c.Portouts.Events on a zero Client dereferences a nil field in the
// caller's own code, which no method can prevent; the nil sub-services
// stand for it.)
func TestZeroClientReturnsErrors(t *testing.T) {
	t.Parallel()
	for name, call := range zeroCalls(t) {
		t.Run(name, func(t *testing.T) {
			var err error
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Errorf("panic: %v", r)
					}
				}()
				err = call()
			}()
			require.Error(t, err)
			var ipe *InvalidParamsError
			require.ErrorAs(t, err, &ipe, "%v", err)
			assert.Equal(t, "Client", ipe.Field)
			assert.True(t, strings.HasPrefix(err.Error(), "telnyx: "), err.Error())
		})
	}
}

// Page methods on a zero Page (or a nil one) report no next page.
func TestZeroPageHasNoNextPage(t *testing.T) {
	t.Parallel()
	for name, p := range map[string]*Page[Portout]{"zero": {}, "nil": nil, "data only": {Data: []Portout{{ID: "x"}}}} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			assert.False(t, p.HasNextPage())
			next, err := p.NextPage(t.Context())
			assert.NoError(t, err)
			assert.Nil(t, next)
			assert.NotPanics(t, func() { _ = fmt.Sprint(p) })
		})
	}
}
