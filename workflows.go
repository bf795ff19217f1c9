package telnyx

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"
)

// Report polling: the first wait is reportPollInitial, then it doubles up
// to reportPollMax.
const (
	reportPollInitial = time.Second
	reportPollMax     = 15 * time.Second
)

// Wait polls the report until it is completed and returns it. Polls start
// one second apart and slow down to one every 15 seconds (see
// WithPollInterval); ctx bounds the whole wait, and its end is a
// *ConnectionError that unwraps to ctx's error. A report that vanishes
// (404), reaches a status other than pending or completed, or completes
// without a document is a *ReportError.
func (s *PortoutReportService) Wait(ctx context.Context, id string, opts ...Option) (*PortoutReport, error) {
	if err := checkID("id", id); err != nil {
		return nil, err
	}
	c := (*service)(s).client()
	if err := c.ready(); err != nil {
		return nil, err
	}
	cfg, err := c.config(opts)
	if err != nil {
		return nil, err
	}
	start := cfg.Now()
	wait := cfg.PollFirst
	for {
		r, err := s.Get(ctx, id, opts...)
		if err != nil {
			if errors.Is(err, ErrNotFound) {
				return nil, &ReportError{ReportID: id, Reason: "the report no longer exists", Err: err}
			}
			return nil, err
		}
		if cfg.WaitProgress != nil {
			cfg.WaitProgress(r, cfg.Now().Sub(start))
		}
		switch r.Status {
		case PortoutReportStatusCompleted:
			if r.DocumentID == "" {
				return r, &ReportError{ReportID: id, Status: r.Status, Reason: "completed without a document"}
			}
			return r, nil
		case PortoutReportStatusPending, "":
		default:
			return r, &ReportError{ReportID: id, Status: r.Status, Reason: fmt.Sprintf("ended with status %q", r.Status)}
		}
		if err := cfg.Sleep(ctx, wait); err != nil {
			return r, &ConnectionError{
				Method: http.MethodGet, Path: "/" + reportRoute, Attempts: 0,
				Err: fmt.Errorf("%w while waiting for report %s (status %q)", err, id, r.Status),
			}
		}
		wait = min(max(wait*2, cfg.PollFirst), cfg.PollMax)
	}
}

// Export creates a CSV export of the port-outs that filters select, waits
// until it is ready and streams the CSV into w. It returns the completed
// report, whose DocumentID names the stored CSV. Nothing is written to w
// until the report is ready; a download that fails partway leaves part of
// the CSV in w, so write to a temporary file and rename it on success (as
// examples/export-report does) when a partial file would mislead.
func (s *PortoutReportService) Export(ctx context.Context, filters PortoutReportFilters, w io.Writer, opts ...Option) (*PortoutReport, error) {
	if isNil(w) {
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

// Attach uploads each file with Documents.Upload, then links them all to
// the port-out in one SupportingDocuments.Create call. Every file is checked
// (1 to 10 files, a type of loa or invoice, a name without control
// characters and a reader) before anything is uploaded. A failure after an upload is an *AttachError listing
// the document IDs already uploaded.
func (s *PortoutSupportingDocumentService) Attach(ctx context.Context, portoutID string, files []SupportingFile, opts ...Option) ([]PortoutSupportingDocument, error) {
	if err := checkID("portoutID", portoutID); err != nil {
		return nil, err
	}
	if n := len(files); n < 1 || n > maxSupportingDocuments {
		return nil, invalid("files", fmt.Sprintf("%d files: 1 to %d are accepted", n, maxSupportingDocuments))
	}
	for i, f := range files {
		if err := f.Type.check(fmt.Sprintf("files[%d].Type", i)); err != nil {
			return nil, err
		}
		if err := checkFilename(fmt.Sprintf("files[%d].Filename", i), f.Filename); err != nil {
			return nil, err
		}
		if isNil(f.File) {
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
