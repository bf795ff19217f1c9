package telnyx

import (
	"context"
	"encoding/json"
	"fmt"
	"github.com/a54710f5/telnyx-go/internal/wire"
	"iter"
	"net/http"
	"time"
)

// PortoutReportService creates and reads reports about port-outs, such as a
// CSV export of them.
type PortoutReportService service

// PortoutReportType names the kind of a report.
type PortoutReportType string

// PortoutReportTypeExportCSV is the one report type the API offers: a CSV
// export of port-outs.
const PortoutReportTypeExportCSV PortoutReportType = "export_portouts_csv"

// PortoutReportStatus is the state of a report. A status the API sends that
// this SDK does not know is kept as it is.
type PortoutReportStatus string

// The statuses of a report.
const (
	PortoutReportStatusPending   PortoutReportStatus = "pending"
	PortoutReportStatusCompleted PortoutReportStatus = "completed"
)

// PortoutReport is a report about port-outs. Once its Status is completed,
// DocumentID names the document that holds it (see DocumentService.Download).
type PortoutReport struct {
	ID         string               `json:"id"`
	DocumentID string               `json:"document_id"`
	RecordType string               `json:"record_type"`
	ReportType PortoutReportType    `json:"report_type"`
	Status     PortoutReportStatus  `json:"status"`
	Filters    PortoutReportFilters `json:"params.filters"` // the filters it was created with
	CreatedAt  time.Time            `json:"created_at"`
	UpdatedAt  time.Time            `json:"updated_at"`

	// Extra holds the members this SDK does not name, verbatim (see
	// Portout.Extra); nil when there are none.
	Extra map[string]json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes the API's form: timestamps in any layout the API
// uses, unknown members into Extra.
func (r *PortoutReport) UnmarshalJSON(b []byte) error { return wire.Unmarshal(b, r) }

// MarshalJSON encodes the API's form, zero times as null, Extra included.
func (r PortoutReport) MarshalJSON() ([]byte, error) { return wire.Marshal(&r) }

// PortoutReportFilters selects the port-outs a CSV export holds.
// Zero fields are left out, so empty filters are {}.
type PortoutReportFilters struct {
	CreatedAtGt          time.Time       `json:"created_at__gt,omitempty"`          // created after
	CreatedAtLt          time.Time       `json:"created_at__lt,omitempty"`          // created before
	CustomerReferenceIn  []string        `json:"customer_reference__in,omitempty"`  // any of these customer references
	EndUserName          string          `json:"end_user_name,omitempty"`           // this end user
	PhoneNumbersOverlaps []string        `json:"phone_numbers__overlaps,omitempty"` // holding any of these numbers
	StatusIn             []PortoutStatus `json:"status__in,omitempty"`              // in any of these statuses
}

// UnmarshalJSON decodes the API's form.
func (f *PortoutReportFilters) UnmarshalJSON(b []byte) error { return wire.Unmarshal(b, f) }

// MarshalJSON encodes the API's form, leaving zero fields out.
func (f PortoutReportFilters) MarshalJSON() ([]byte, error) { return wire.Marshal(&f) }

func (f *PortoutReportFilters) validate() error {
	for _, s := range f.StatusIn {
		if !s.Valid() {
			return invalid("Filters.StatusIn", fmt.Sprintf("unknown status %q", s))
		}
	}
	return checkCreatedAt("Filters.", f.CreatedAtGt, f.CreatedAtLt)
}

// checkCreatedAt checks a filter's created_at bounds, both optional: gt
// must come before lt. prefix is the filter's field path, for the error.
func checkCreatedAt(prefix string, gt, lt time.Time) error {
	if !gt.IsZero() && !lt.IsZero() && !gt.Before(lt) {
		return invalid(prefix+"CreatedAtGt", "must be before CreatedAtLt")
	}
	return nil
}

// PortoutReportListParams filters and pages PortoutReportService.List.
type PortoutReportListParams struct {
	Page   PageParams              `url:"page"`
	Filter PortoutReportListFilter `url:"filter"`
}

// PortoutReportListFilter narrows a list of reports.
type PortoutReportListFilter struct {
	ReportType PortoutReportType   `url:"report_type,omitempty"`
	Status     PortoutReportStatus `url:"status,omitempty"`
}

func (f *PortoutReportListFilter) validate() error {
	if f.ReportType != "" && f.ReportType != PortoutReportTypeExportCSV {
		return invalid("Filter.ReportType", fmt.Sprintf("unknown report type %q", f.ReportType))
	}
	if f.Status != "" && f.Status != PortoutReportStatusPending && f.Status != PortoutReportStatusCompleted {
		return invalid("Filter.Status", fmt.Sprintf("unknown report status %q", f.Status))
	}
	return nil
}

const (
	reportsRoute = "portouts/reports"
	reportRoute  = reportsRoute + "/{id}"
)

// List fetches one page of reports. params may be nil.
func (s *PortoutReportService) List(ctx context.Context, params *PortoutReportListParams, opts ...Option) (*Page[PortoutReport], error) {
	if params != nil {
		if err := params.Filter.validate(); err != nil {
			return nil, err
		}
	}
	return list[PortoutReport](ctx, (*service)(s).client(), reportsRoute, params, opts)
}

// ListAutoPaging yields every report matching params, page after page. On
// an error it yields (nil, err) once and stops.
func (s *PortoutReportService) ListAutoPaging(ctx context.Context, params *PortoutReportListParams, opts ...Option) iter.Seq2[*PortoutReport, error] {
	if params != nil {
		if err := params.Filter.validate(); err != nil {
			return failed[PortoutReport](err)
		}
	}
	return listAll[PortoutReport](ctx, (*service)(s).client(), reportsRoute, params, opts)
}

// PortoutReportCreateParams is the body of Create.
type PortoutReportCreateParams struct {
	ReportType PortoutReportType    // "" means PortoutReportTypeExportCSV, the only type
	Filters    PortoutReportFilters // always sent, as {} when empty
}

// Create asks for a new report. It starts pending; Wait follows it until it
// is completed, and Export does all of it at once.
func (s *PortoutReportService) Create(ctx context.Context, params PortoutReportCreateParams, opts ...Option) (*PortoutReport, error) {
	rt := params.ReportType
	if rt == "" {
		rt = PortoutReportTypeExportCSV
	}
	if rt != PortoutReportTypeExportCSV {
		return nil, invalid("ReportType", fmt.Sprintf("unknown report type %q", rt))
	}
	if err := params.Filters.validate(); err != nil {
		return nil, err
	}
	body := struct {
		ReportType PortoutReportType    `json:"report_type"`
		Filters    PortoutReportFilters `json:"params.filters"`
	}{rt, params.Filters}
	r := request{method: http.MethodPost, route: reportsRoute, body: body}
	return fetch[PortoutReport](ctx, (*service)(s).client(), r, opts)
}

// Get fetches one report.
func (s *PortoutReportService) Get(ctx context.Context, id string, opts ...Option) (*PortoutReport, error) {
	r := request{method: http.MethodGet, route: reportRoute, ids: []string{id}}
	return fetch[PortoutReport](ctx, (*service)(s).client(), r, opts)
}
