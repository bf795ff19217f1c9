package telnyxtest

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	telnyx "github.com/a54710f5/telnyx-go"
)

const (
	reportTypeCSV   = "export_portouts_csv"
	reportPending   = telnyx.PortoutReportStatusPending
	reportCompleted = telnyx.PortoutReportStatusCompleted
)

// reportRecord is a report and how often it has been read.
type reportRecord struct {
	r     telnyx.PortoutReport
	reads int
}

// listReports serves GET /portouts/reports.
func (s *Server) listReports(w http.ResponseWriter, r *http.Request) {
	q := newQuery(r.URL.Query(), true, "filter[report_type]", "filter[status]")
	number, size := q.page()
	reportType := q.enum("filter[report_type]", reportTypeCSV)
	status := q.enum("filter[status]", string(reportPending), string(reportCompleted))
	if q.err != nil {
		writeError(w, q.err)
		return
	}
	s.mu.Lock()
	var all []telnyx.PortoutReport
	for _, rec := range s.st.reports {
		if (reportType == "" || string(rec.r.ReportType) == reportType) && (status == "" || string(rec.r.Status) == status) {
			all = append(all, rec.r)
		}
	}
	s.mu.Unlock()
	data, meta := paginate(all, number, size)
	writePage(w, data, meta)
}

// POST /portouts/reports: the body needs report_type (export_portouts_csv)
// and params.filters (an object, which may be empty).
func (s *Server) createReport(w http.ResponseWriter, r *http.Request) {
	body, e := readJSON(r)
	if e != nil {
		writeError(w, e)
		return
	}
	var reportType string
	if ok, e := member(body, "report_type", &reportType); e != nil || !ok {
		if e == nil {
			e = errMissing("/report_type", "report_type is required.")
		}
		writeError(w, e)
		return
	}
	if reportType != reportTypeCSV {
		writeError(w, errInvalid("/report_type", fmt.Sprintf("%q is not a report type; the one type is %s.", reportType, reportTypeCSV)))
		return
	}
	var params map[string]json.RawMessage
	if ok, e := member(body, "params", &params); e != nil || !ok {
		if e == nil {
			e = errMissing("/params", "params is required.")
		}
		writeError(w, e)
		return
	}
	var filters telnyx.PortoutReportFilters
	if ok, e := member(params, "filters", &filters); e != nil || !ok {
		if e == nil {
			e = errMissing("/params/filters", "params.filters is required.")
		} else {
			e.pointer = "/params" + e.pointer
		}
		writeError(w, e)
		return
	}
	for i, st := range filters.StatusIn {
		if !st.Valid() {
			writeError(w, errInvalid(fmt.Sprintf("/params/filters/status__in/%d", i), fmt.Sprintf("%q is not a port-out status.", st)))
			return
		}
	}
	now := s.now()
	rep := telnyx.PortoutReport{
		ID:         newID(),
		RecordType: "portout_report",
		ReportType: telnyx.PortoutReportType(reportType),
		Status:     reportPending,
		Filters:    filters,
		CreatedAt:  now,
		UpdatedAt:  now,
	}
	s.mu.Lock()
	s.st.reportIndex[rep.ID] = len(s.st.reports)
	s.st.reports = append(s.st.reports, &reportRecord{r: rep})
	s.mu.Unlock()
	writeData(w, http.StatusCreated, rep)
}

// GET /portouts/reports/{id}: each read of a pending report counts; past
// the number WithReportPolls sets, the report completes, and its CSV is
// stored as a document.
func (s *Server) getReport(w http.ResponseWriter, id string) {
	s.mu.Lock()
	i, ok := s.st.reportIndex[id]
	if !ok {
		s.mu.Unlock()
		writeError(w, errNotFound("report", id))
		return
	}
	rec := s.st.reports[i]
	if rec.r.Status == reportPending {
		rec.reads++
		if rec.reads > s.cfg.reportPolls {
			s.completeReport(rec)
		}
	}
	rep := rec.r
	s.mu.Unlock()
	writeData(w, http.StatusOK, rep)
}

// completeReport renders the CSV of the port-outs the report's filters
// select and stores it as a document; s.mu is held.
func (s *Server) completeReport(rec *reportRecord) {
	data := s.renderCSV(rec.r.Filters)
	d := telnyx.Document{
		Filename:     "portouts-" + rec.r.ID + ".csv",
		ContentType:  "text/csv",
		Status:       telnyx.DocumentStatusVerified,
		AVScanStatus: telnyx.DocumentAVScanned,
	}
	now := s.now()
	doc := &documentRecord{d: filled(d, data, now), data: data}
	s.st.addDocument(doc)
	rec.r.Status = reportCompleted
	rec.r.DocumentID = doc.d.ID
	rec.r.UpdatedAt = now
}

// csvHeader names the columns of the port-out export.
var csvHeader = []string{
	"id", "support_key", "status", "phone_numbers", "end_user_name", "carrier_name", "spid", "pon",
	"foc_date", "customer_reference", "created_at", "updated_at",
}

// renderCSV writes the port-outs that f selects, in insertion order. Phone
// numbers are joined with ";". s.mu is held.
func (s *Server) renderCSV(f telnyx.PortoutReportFilters) []byte {
	var b bytes.Buffer
	cw := csv.NewWriter(&b)
	_ = cw.Write(csvHeader)
	for _, id := range s.st.portoutOrder {
		rec := s.st.portouts[id]
		if !reportMatch(&f, rec) {
			continue
		}
		p := &rec.p
		_ = cw.Write([]string{
			p.ID, p.SupportKey, string(p.Status), strings.Join(p.PhoneNumbers, ";"), p.EndUserName,
			p.CarrierName, p.SPID, p.PON, csvTime(p.FocDate), rec.customerRef,
			csvTime(p.CreatedAt), csvTime(p.UpdatedAt),
		})
	}
	cw.Flush()
	return b.Bytes()
}

func csvTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// reportMatch applies every filter of a CSV export: created_at__gt and
// __lt (strict), customer_reference__in, end_user_name (ignoring case),
// phone_numbers__overlaps (any number in common) and status__in.
func reportMatch(f *telnyx.PortoutReportFilters, rec *portoutRecord) bool {
	p := &rec.p
	switch {
	case !f.CreatedAtGt.IsZero() && !p.CreatedAt.After(f.CreatedAtGt),
		!f.CreatedAtLt.IsZero() && !p.CreatedAt.Before(f.CreatedAtLt),
		len(f.CustomerReferenceIn) > 0 && !slices.Contains(f.CustomerReferenceIn, rec.customerRef),
		f.EndUserName != "" && !strings.EqualFold(f.EndUserName, p.EndUserName),
		len(f.StatusIn) > 0 && !slices.Contains(f.StatusIn, p.Status):
		return false
	}
	if len(f.PhoneNumbersOverlaps) > 0 &&
		!slices.ContainsFunc(p.PhoneNumbers, func(n string) bool { return slices.Contains(f.PhoneNumbersOverlaps, n) }) {
		return false
	}
	return true
}

// SetReportStatus sets a report's status as Telnyx's side would, so that a
// test can see how its code handles a report that fails (any status other
// than pending or completed) or completes early. "completed" renders the
// CSV as a normal completion does; any other status stays until changed
// again, and polling no longer advances a report that is not pending.
func (s *Server) SetReportStatus(id string, status telnyx.PortoutReportStatus) error {
	if status == "" {
		return fmt.Errorf("telnyxtest: SetReportStatus: empty status")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	i, ok := s.st.reportIndex[id]
	if !ok {
		return fmt.Errorf("telnyxtest: SetReportStatus: no report with ID %q", id)
	}
	rec := s.st.reports[i]
	if status == reportCompleted {
		if rec.r.Status != reportCompleted {
			s.completeReport(rec)
		}
		return nil
	}
	rec.r.Status = status
	rec.r.DocumentID = ""
	rec.r.UpdatedAt = s.now()
	return nil
}
