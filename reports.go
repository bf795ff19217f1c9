package telnyx

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/http"
	"time"

	"github.com/a54710f5/telnyx-go/internal/jsontime"
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
	Filters    PortoutReportFilters `json:"-"` // the filters it was created with
	CreatedAt  time.Time            `json:"-"`
	UpdatedAt  time.Time            `json:"-"`
}

// PortoutReportFilters selects the port-outs a CSV export holds.
type PortoutReportFilters struct {
	CreatedAtGt          time.Time // created after
	CreatedAtLt          time.Time // created before
	CustomerReferenceIn  []string  // any of these customer references
	EndUserName          string
	PhoneNumbersOverlaps []string        // holding any of these numbers
	StatusIn             []PortoutStatus // in any of these statuses
}

// reportFiltersWire is the wire form of PortoutReportFilters.
type reportFiltersWire struct {
	CreatedAtGt          *jsontime.Time  `json:"created_at__gt,omitempty"`
	CreatedAtLt          *jsontime.Time  `json:"created_at__lt,omitempty"`
	CustomerReferenceIn  []string        `json:"customer_reference__in,omitempty"`
	EndUserName          string          `json:"end_user_name,omitempty"`
	PhoneNumbersOverlaps []string        `json:"phone_numbers__overlaps,omitempty"`
	StatusIn             []PortoutStatus `json:"status__in,omitempty"`
}

func optTime(t time.Time) *jsontime.Time {
	if t.IsZero() {
		return nil
	}
	v := jsontime.Time(t)
	return &v
}

func derefTime(t *jsontime.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return time.Time(*t)
}

// MarshalJSON encodes the API's form; zero fields are left out, so empty
// filters are {}.
func (f PortoutReportFilters) MarshalJSON() ([]byte, error) {
	return json.Marshal(reportFiltersWire{
		CreatedAtGt:          optTime(f.CreatedAtGt),
		CreatedAtLt:          optTime(f.CreatedAtLt),
		CustomerReferenceIn:  f.CustomerReferenceIn,
		EndUserName:          f.EndUserName,
		PhoneNumbersOverlaps: f.PhoneNumbersOverlaps,
		StatusIn:             f.StatusIn,
	})
}

// UnmarshalJSON decodes the API's form.
func (f *PortoutReportFilters) UnmarshalJSON(b []byte) error {
	var w reportFiltersWire
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*f = PortoutReportFilters{
		CreatedAtGt:          derefTime(w.CreatedAtGt),
		CreatedAtLt:          derefTime(w.CreatedAtLt),
		CustomerReferenceIn:  w.CustomerReferenceIn,
		EndUserName:          w.EndUserName,
		PhoneNumbersOverlaps: w.PhoneNumbersOverlaps,
		StatusIn:             w.StatusIn,
	}
	return nil
}

func (f *PortoutReportFilters) validate() error {
	for _, s := range f.StatusIn {
		if !s.Valid() {
			return invalid("Filters.StatusIn", fmt.Sprintf("unknown status %q", s))
		}
	}
	if !f.CreatedAtGt.IsZero() && !f.CreatedAtLt.IsZero() && !f.CreatedAtGt.Before(f.CreatedAtLt) {
		return invalid("Filters.CreatedAtGt", "must be before CreatedAtLt")
	}
	return nil
}

type reportParamsWire struct {
	Filters PortoutReportFilters `json:"filters"`
}

// UnmarshalJSON decodes the API's form, with the filters from params.filters.
func (r *PortoutReport) UnmarshalJSON(b []byte) error {
	type alias PortoutReport
	aux := struct {
		*alias
		Params    *reportParamsWire `json:"params"`
		CreatedAt *jsontime.Time    `json:"created_at"`
		UpdatedAt *jsontime.Time    `json:"updated_at"`
	}{
		alias:     (*alias)(r),
		Params:    &reportParamsWire{},
		CreatedAt: (*jsontime.Time)(&r.CreatedAt),
		UpdatedAt: (*jsontime.Time)(&r.UpdatedAt),
	}
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	if aux.Params != nil {
		r.Filters = aux.Params.Filters
	}
	return nil
}

// MarshalJSON encodes the API's form.
func (r PortoutReport) MarshalJSON() ([]byte, error) {
	type alias PortoutReport
	return json.Marshal(struct {
		alias
		Params    reportParamsWire `json:"params"`
		CreatedAt jsontime.Time    `json:"created_at"`
		UpdatedAt jsontime.Time    `json:"updated_at"`
	}{alias(r), reportParamsWire{r.Filters}, jsontime.Time(r.CreatedAt), jsontime.Time(r.UpdatedAt)})
}

// PortoutReportListParams filters and pages PortoutReportService.List.
type PortoutReportListParams struct {
	Page   PageParams              `url:"page"`
	Filter PortoutReportListFilter `url:"filter"`
}

func (p *PortoutReportListParams) page() PageParams {
	if p == nil {
		return PageParams{}
	}
	return p.Page
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

const reportsRoute = "portouts/reports"

// List fetches one page of reports. params may be nil.
func (s *PortoutReportService) List(ctx context.Context, params *PortoutReportListParams, opts ...Option) (*Page[PortoutReport], error) {
	if params != nil {
		if err := params.Filter.validate(); err != nil {
			return nil, err
		}
	}
	return list[PortoutReport](ctx, (*service)(s).client(), reportsRoute, params.page(), params, opts)
}

// ListAutoPaging yields every report matching params, page after page. On
// an error it yields (nil, err) once and stops.
func (s *PortoutReportService) ListAutoPaging(ctx context.Context, params *PortoutReportListParams, opts ...Option) iter.Seq2[*PortoutReport, error] {
	if params != nil {
		if err := params.Filter.validate(); err != nil {
			return failed[PortoutReport](err)
		}
	}
	return listAll[PortoutReport](ctx, (*service)(s).client(), reportsRoute, params.page(), params, opts)
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
		ReportType PortoutReportType `json:"report_type"`
		Params     reportParamsWire  `json:"params"`
	}{rt, reportParamsWire{params.Filters}}
	r := request{method: http.MethodPost, route: reportsRoute, body: body}
	return fetch[PortoutReport](ctx, (*service)(s).client(), r, opts)
}

// Get fetches one report.
func (s *PortoutReportService) Get(ctx context.Context, id string, opts ...Option) (*PortoutReport, error) {
	r := request{method: http.MethodGet, route: "portouts/reports/{id}", ids: []string{id}}
	return fetch[PortoutReport](ctx, (*service)(s).client(), r, opts)
}
