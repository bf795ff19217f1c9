package telnyx

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// Report polling: the first wait is reportPollInitial, then it doubles up
// to reportPollMax.
const (
	reportPollInitial = time.Second
	reportPollMax     = 15 * time.Second
)

// WithWaitProgress calls fn after each poll made by PortoutReportService.Wait
// and Export, with the report as last read and the time since waiting
// began. It suits progress output for a command that may wait minutes.
func WithWaitProgress(fn func(report *PortoutReport, elapsed time.Duration)) Option {
	return func(c *requestConfig) { c.waitProgress = fn }
}

// ReportError is returned by Wait and Export when a report ends in a state
// other than completed, disappears, or completes without a document.
type ReportError struct {
	ReportID string
	Status   string // the last status read; "" if the report vanished
	Reason   string
	Err      error // the underlying error, if any (such as an *APIError with 404)
}

func (e *ReportError) Error() string {
	msg := "telnyx: report " + e.ReportID + ": " + e.Reason
	if e.Err != nil {
		msg += ": " + oneLine(e.Err.Error())
	}
	return msg
}

// Unwrap returns the underlying error.
func (e *ReportError) Unwrap() error { return e.Err }

// Wait polls the report until it is completed and returns it. Polls start
// one second apart and slow down to one every 15 seconds; ctx bounds the
// whole wait. A report that vanishes (404), reaches a status other than
// pending or completed, or completes without a document is a *ReportError.
func (s *PortoutReportService) Wait(ctx context.Context, id string, opts ...Option) (*PortoutReport, error) {
	if err := checkID("id", id); err != nil {
		return nil, err
	}
	cfg, err := s.c.config(opts)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	wait := reportPollInitial
	for {
		r, err := s.Get(ctx, id, opts...)
		if err != nil {
			if errors.Is(err, ErrNotFound) {
				return nil, &ReportError{ReportID: id, Reason: "the report no longer exists", Err: err}
			}
			return nil, err
		}
		if cfg.waitProgress != nil {
			cfg.waitProgress(r, time.Since(start))
		}
		switch r.Status {
		case ReportStatusCompleted:
			if r.DocumentID == "" {
				return r, &ReportError{ReportID: id, Status: r.Status, Reason: "completed without a document"}
			}
			return r, nil
		case ReportStatusPending, "":
		default:
			return r, &ReportError{ReportID: id, Status: r.Status, Reason: fmt.Sprintf("ended with status %q", r.Status)}
		}
		if err := cfg.sleep(ctx, wait); err != nil {
			return r, fmt.Errorf("telnyx: waiting for report %s (status %q): %w", id, r.Status, err)
		}
		wait = min(wait*2, reportPollMax)
	}
}

// Export creates a CSV export of the port-outs that filters select, waits
// until it is ready and streams the CSV into w. It returns the completed
// report, whose DocumentID names the stored CSV. Nothing is written to w
// until the report is ready; a download that fails partway leaves part of
// the CSV in w, so write to a temporary file and rename it on success (as
// examples/export-report does) when a partial file would mislead.
func (s *PortoutReportService) Export(ctx context.Context, filters PortoutReportFilters, w io.Writer, opts ...Option) (*PortoutReport, error) {
	if w == nil {
		return nil, invalid("w", "must not be nil")
	}
	created, err := s.Create(ctx, PortoutReportCreateParams{Filters: filters}, opts...)
	if err != nil {
		return nil, err
	}
	r, err := s.Wait(ctx, created.ID, opts...)
	if err != nil {
		return r, err
	}
	if _, err := (*DocumentService)(s).Download(ctx, r.DocumentID, w, opts...); err != nil {
		return r, err
	}
	return r, nil
}

// SupportingFile is a file to upload and link to a port-out with Attach.
type SupportingFile struct {
	Type     SupportingDocumentType
	Filename string
	File     io.Reader
}

// AttachError is returned by Attach when it fails after some files were
// uploaded. Uploaded lists them, so that they can be linked by hand (with
// SupportingDocuments.Create) before Telnyx deletes unlinked uploads, 30
// minutes after upload.
type AttachError struct {
	PortoutID string
	Uploaded  []SupportingDocumentParam // the files uploaded before the failure
	Failed    string                    // the file whose upload failed; "" if linking failed
	Err       error
}

func (e *AttachError) Error() string {
	var b strings.Builder
	b.WriteString("telnyx: attach to port-out ")
	b.WriteString(e.PortoutID)
	if e.Failed != "" {
		b.WriteString(": uploading ")
		b.WriteString(e.Failed)
	} else {
		b.WriteString(": linking documents")
	}
	b.WriteString(": ")
	if e.Err != nil {
		b.WriteString(oneLine(e.Err.Error()))
	}
	if len(e.Uploaded) > 0 {
		var ce *ConnectionError
		if e.Failed == "" && errors.As(e.Err, &ce) {
			// The link request may have reached Telnyx before the failure.
			b.WriteString(" (uploaded, link unconfirmed: ")
		} else {
			b.WriteString(" (uploaded, not linked: ")
		}
		for i, d := range e.Uploaded {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(d.DocumentID)
		}
		b.WriteByte(')')
	}
	return b.String()
}

// Unwrap returns the underlying error.
func (e *AttachError) Unwrap() error { return e.Err }

// Attach uploads each file with Documents.Upload, then links them all to
// the port-out in one SupportingDocuments.Create call. Every file is checked
// (1 to 10 files, a type of loa or invoice, a name and a reader) before
// anything is uploaded. A failure after an upload is an *AttachError listing
// the document IDs already uploaded.
func (s *PortoutSupportingDocumentService) Attach(ctx context.Context, portoutID string, files []SupportingFile, opts ...Option) ([]PortoutSupportingDocument, error) {
	if err := checkID("portoutID", portoutID); err != nil {
		return nil, err
	}
	if n := len(files); n < 1 || n > maxSupportingDocuments {
		return nil, invalid("files", fmt.Sprintf("%d files: 1 to %d are accepted", n, maxSupportingDocuments))
	}
	for i, f := range files {
		switch {
		case !f.Type.Valid():
			return nil, invalid(fmt.Sprintf("files[%d].Type", i), fmt.Sprintf("%q is neither %q nor %q", f.Type, SupportingDocumentLOA, SupportingDocumentInvoice))
		case strings.TrimSpace(f.Filename) == "":
			return nil, invalid(fmt.Sprintf("files[%d].Filename", i), "must not be empty")
		case isNil(f.File):
			return nil, invalid(fmt.Sprintf("files[%d].File", i), "must not be nil")
		}
	}
	docs := (*DocumentService)(s)
	uploaded := make([]SupportingDocumentParam, 0, len(files))
	for _, f := range files {
		d, err := docs.Upload(ctx, DocumentUploadParams{Filename: f.Filename, File: f.File}, opts...)
		if err != nil {
			return nil, &AttachError{PortoutID: portoutID, Uploaded: uploaded, Failed: f.Filename, Err: err}
		}
		uploaded = append(uploaded, SupportingDocumentParam{DocumentID: d.ID, Type: f.Type})
	}
	linked, err := s.Create(ctx, portoutID, PortoutSupportingDocumentCreateParams{Documents: uploaded}, opts...)
	if err != nil {
		return nil, &AttachError{PortoutID: portoutID, Uploaded: uploaded, Err: err}
	}
	return linked, nil
}
