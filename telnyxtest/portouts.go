package telnyxtest

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	telnyx "github.com/a54710f5/telnyx-go"
)

// portoutFilter is the filter of GET /portouts.
type portoutFilter struct {
	carrierName, countryCode, phoneNumber, pon, spid, supportKey string
	countryCodeIn                                                []string
	status                                                       telnyx.PortoutStatus
	statusIn                                                     []telnyx.PortoutStatus
	focDate                                                      telnyx.DateRange // Gte only: the day to match
	insertedAt, portedOutAt                                      telnyx.DateRange
}

var portoutFilterKeys = []string{
	"filter[carrier_name]", "filter[country_code]", "filter[country_code_in]", "filter[foc_date]",
	"filter[inserted_at][gte]", "filter[inserted_at][lte]", "filter[phone_number]", "filter[pon]",
	"filter[ported_out_at][gte]", "filter[ported_out_at][lte]", "filter[spid]", "filter[status]",
	"filter[status_in]", "filter[support_key]",
}

func readPortoutFilter(q *query) portoutFilter {
	f := portoutFilter{
		carrierName:   q.str("filter[carrier_name]"),
		countryCode:   strings.ToUpper(q.str("filter[country_code]")),
		phoneNumber:   q.str("filter[phone_number]"),
		pon:           q.str("filter[pon]"),
		spid:          q.str("filter[spid]"),
		supportKey:    q.str("filter[support_key]"),
		status:        q.status("filter[status]"),
		statusIn:      q.statuses("filter[status_in]"),
		focDate:       telnyx.DateRange{Gte: q.time("filter[foc_date]")},
		insertedAt:    telnyx.DateRange{Gte: q.time("filter[inserted_at][gte]"), Lte: q.time("filter[inserted_at][lte]")},
		portedOutAt:   telnyx.DateRange{Gte: q.time("filter[ported_out_at][gte]"), Lte: q.time("filter[ported_out_at][lte]")},
		countryCodeIn: q.list("filter[country_code_in]"),
	}
	for i, c := range f.countryCodeIn {
		f.countryCodeIn[i] = strings.ToUpper(c)
	}
	return f
}

func (f *portoutFilter) match(rec *portoutRecord) bool {
	p := &rec.p
	switch {
	case f.carrierName != "" && p.CarrierName != f.carrierName,
		f.phoneNumber != "" && !slices.Contains(p.PhoneNumbers, f.phoneNumber),
		f.pon != "" && p.PON != f.pon,
		f.spid != "" && p.SPID != f.spid,
		f.supportKey != "" && p.SupportKey != f.supportKey,
		f.status != "" && p.Status != f.status,
		len(f.statusIn) > 0 && !slices.Contains(f.statusIn, p.Status),
		!f.focDate.Gte.IsZero() && (p.FocDate.IsZero() || !sameDate(p.FocDate, f.focDate.Gte)),
		!inRange(p.InsertedAt, f.insertedAt.Gte, f.insertedAt.Lte):
		return false
	}
	if !f.portedOutAt.Gte.IsZero() || !f.portedOutAt.Lte.IsZero() {
		if rec.portedOutAt.IsZero() || !inRange(rec.portedOutAt, f.portedOutAt.Gte, f.portedOutAt.Lte) {
			return false
		}
	}
	if f.countryCode != "" || len(f.countryCodeIn) > 0 {
		cs := rec.countries()
		if f.countryCode != "" && !slices.Contains(cs, f.countryCode) {
			return false
		}
		if len(f.countryCodeIn) > 0 && !slices.ContainsFunc(cs, func(c string) bool { return slices.Contains(f.countryCodeIn, c) }) {
			return false
		}
	}
	return true
}

// listPortouts serves GET /portouts.
func (s *Server) listPortouts(w http.ResponseWriter, r *http.Request) {
	q := newQuery(r.URL.Query(), true, portoutFilterKeys...)
	number, size := q.page()
	f := readPortoutFilter(q)
	if q.err != nil {
		writeError(w, q.err)
		return
	}
	s.mu.Lock()
	var all []telnyx.Portout
	for _, id := range s.st.portoutOrder {
		if rec := s.st.portouts[id]; f.match(rec) {
			all = append(all, copyPortout(rec.p))
		}
	}
	s.mu.Unlock()
	data, meta := paginate(all, number, size)
	writePage(w, data, meta)
}

// getPortout serves GET /portouts/{id}.
func (s *Server) getPortout(w http.ResponseWriter, id string) {
	p, ok := s.Portout(id)
	if !ok {
		writeError(w, errNotFound("port-out", id))
		return
	}
	writeData(w, http.StatusOK, p)
}

// listRejectionCodes serves GET /portouts/rejections/{portout_id}.
func (s *Server) listRejectionCodes(w http.ResponseWriter, r *http.Request, id string) {
	q := newQuery(r.URL.Query(), false, "filter[code]", "filter[code][in]")
	one := q.ints("filter[code]")
	in := q.ints("filter[code][in]")
	if q.err != nil {
		writeError(w, q.err)
		return
	}
	s.mu.Lock()
	rec := s.st.portout(id)
	var codes []telnyx.PortoutRejectionCode
	if rec != nil {
		codes = slices.Clone(rec.codes)
	}
	s.mu.Unlock()
	if rec == nil {
		writeError(w, errNotFound("port-out", id))
		return
	}
	out := []telnyx.PortoutRejectionCode{}
	for _, c := range codes {
		if (len(one) == 0 || slices.Contains(one, c.Code)) && (len(in) == 0 || slices.Contains(in, c.Code)) {
			out = append(out, c)
		}
	}
	writeData(w, http.StatusOK, out)
}

// PATCH /portouts/{id}/{status}
//
// Only a pending port-out can change, to authorized or rejected-pending. The
// body must carry "reason". Rejecting needs a rejection code: the fake reads
// it from an optional "rejection_code" member (not in the API reference, so
// the SDK never sends it), which must be eligible for the port-out and needs
// a non-empty reason when its reason_required is set. Without it, the reason
// must not be empty and the fake records the first eligible code that
// requires a reason (else the first eligible code, else 0).
func (s *Server) updateStatus(w http.ResponseWriter, r *http.Request, id, status string) {
	to := telnyx.PortoutStatus(status)
	if to != telnyx.PortoutStatusAuthorized && to != telnyx.PortoutStatusRejectedPending {
		writeError(w, errInvalidParam("status", fmt.Sprintf("%q is not authorized or rejected-pending.", status)))
		return
	}
	var (
		reason        string
		hostMessaging bool
		code          int
		hasCode       bool
	)
	body, e := readJSON(r)
	if e == nil {
		var present bool
		present, e = member(body, "reason", &reason)
		if _, ok := body["reason"]; e == nil && !present && !ok {
			e = errMissing("/reason", "reason is required.")
		}
	}
	if e == nil {
		_, e = member(body, "host_messaging", &hostMessaging)
	}
	if e == nil {
		hasCode, e = member(body, "rejection_code", &code)
	}
	reason = strings.TrimSpace(reason)

	s.mu.Lock()
	rec := s.st.portout(id)
	if rec == nil || e != nil {
		s.mu.Unlock()
		if rec == nil {
			e = errNotFound("port-out", id)
		}
		writeError(w, e)
		return
	}
	if rec.p.Status != telnyx.PortoutStatusPending {
		st := rec.p.Status
		s.mu.Unlock()
		writeError(w, &apiError{
			status: http.StatusUnprocessableEntity, code: "10015", title: "Invalid status transition",
			detail:    fmt.Sprintf("The port-out is %s; only a pending port-out can be authorized or rejected.", st),
			parameter: "status",
		})
		return
	}
	if to == telnyx.PortoutStatusRejectedPending {
		if hasCode {
			i := slices.IndexFunc(rec.codes, func(c telnyx.PortoutRejectionCode) bool { return c.Code == code })
			if i < 0 {
				s.mu.Unlock()
				writeError(w, errInvalid("/rejection_code", fmt.Sprintf("Rejection code %d is not eligible for this port-out.", code)))
				return
			}
			if rec.codes[i].ReasonRequired && reason == "" {
				s.mu.Unlock()
				writeError(w, errMissing("/reason", fmt.Sprintf("Rejection code %d requires a reason.", code)))
				return
			}
		} else {
			if reason == "" {
				s.mu.Unlock()
				writeError(w, errMissing("/reason", "A reason is required to reject a port-out."))
				return
			}
			code = pickRejectionCode(rec.codes)
		}
		rec.p.Reason = reason
		rec.p.RejectionCode = code
	} else {
		rec.p.Reason = ""
		rec.p.RejectionCode = 0
	}
	rec.p.HostMessaging = hostMessaging
	ev := s.changeStatus(rec, to)
	p := copyPortout(rec.p)
	s.mu.Unlock()
	s.deliver(ev)
	writeData(w, http.StatusOK, p)
}

// pickRejectionCode is the code recorded for a rejection that names none:
// the first eligible code that requires a reason, else the first one.
func pickRejectionCode(codes []telnyx.PortoutRejectionCode) int {
	for _, c := range codes {
		if c.ReasonRequired {
			return c.Code
		}
	}
	if len(codes) > 0 {
		return codes[0].Code
	}
	return 0
}

// listComments serves GET /portouts/{id}/comments.
func (s *Server) listComments(w http.ResponseWriter, id string) {
	s.mu.Lock()
	rec := s.st.portout(id)
	var out []telnyx.PortoutComment
	if rec != nil {
		out = append([]telnyx.PortoutComment{}, rec.comments...)
	}
	s.mu.Unlock()
	if rec == nil {
		writeError(w, errNotFound("port-out", id))
		return
	}
	writePage(w, out, telnyx.PageMeta{PageNumber: 1, PageSize: max(len(out), 1), TotalPages: 1, TotalResults: len(out)})
}

// createComment serves POST /portouts/{id}/comments.
func (s *Server) createComment(w http.ResponseWriter, r *http.Request, id string) {
	var text string
	body, e := readJSON(r)
	if e == nil {
		var present bool
		present, e = member(body, "body", &text)
		if e == nil && (!present || strings.TrimSpace(text) == "") {
			e = errMissing("/body", "body is required and must not be empty.")
		}
	}
	s.mu.Lock()
	rec := s.st.portout(id)
	if rec == nil || e != nil {
		s.mu.Unlock()
		if rec == nil {
			e = errNotFound("port-out", id)
		}
		writeError(w, e)
		return
	}
	c, ev := s.addComment(rec, text, s.cfg.userID)
	s.mu.Unlock()
	s.deliver(ev)
	writeData(w, http.StatusCreated, c)
}
