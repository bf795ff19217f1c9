package telnyxtest

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"time"

	telnyx "github.com/a54710f5/telnyx-go"
)

// state is everything the server holds; Server.mu guards it.
type state struct {
	portouts     map[string]*portoutRecord
	portoutOrder []string
	events       []telnyx.PortoutEvent
	eventIndex   map[string]int
	reports      []*reportRecord
	reportIndex  map[string]int
	documents    map[string]*documentRecord
	documentSeq  int                   // insertion counter, for stable document order
	links        []telnyx.DocumentLink // document links, oldest first
	downloads    map[string]string     // download_link signature → document ID
	requests     []RecordedRequest
	failures     []failure
}

func newState() state {
	return state{
		portouts:    map[string]*portoutRecord{},
		eventIndex:  map[string]int{},
		reportIndex: map[string]int{},
		documents:   map[string]*documentRecord{},
		downloads:   map[string]string{},
	}
}

// portoutRecord is a port-out and what the fake keeps beside it.
type portoutRecord struct {
	p              telnyx.Portout
	country        string // set by SetCountryCode; else derived from the numbers
	customerRef    string // for the report filter customer_reference__in
	portedOutAt    time.Time
	codes          []telnyx.PortoutRejectionCode
	comments       []telnyx.PortoutComment
	supportingDocs []telnyx.PortoutSupportingDocument
}

// countries are the ISO codes the port-out matches in filter[country_code].
func (r *portoutRecord) countries() []string {
	if r.country != "" {
		return []string{r.country}
	}
	var out []string
	for _, n := range r.p.PhoneNumbers {
		if c := countryOf(n); c != "" && !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

type failure struct {
	n      int
	status int
	header http.Header
}

// nextFailure takes one injected failure off the queue, if any.
func (st *state) nextFailure() (failure, bool) {
	if len(st.failures) == 0 {
		return failure{}, false
	}
	f := st.failures[0]
	st.failures[0].n--
	if st.failures[0].n == 0 {
		st.failures = st.failures[1:]
	}
	return f, true
}

func (st *state) portout(id string) *portoutRecord { return st.portouts[id] }

// AddPortout stores p as if Telnyx had received it and returns it as stored.
// Empty fields are filled: ID (a random UUID), CreatedAt, InsertedAt and
// UpdatedAt (now), Status (pending), RecordType ("portout"), SupportKey
// ("PO_" and six digits), CurrentCarrier ("telnyx") and UserID
// (DefaultUserID or WithUserID). A port-out added as ported is taken to have
// ported out at its UpdatedAt (see filter[ported_out_at]). Adding no event,
// it is the setup step of a test. AddPortout panics if a port-out with the
// same ID exists.
func (s *Server) AddPortout(p telnyx.Portout) telnyx.Portout {
	now := s.now()
	if p.ID == "" {
		p.ID = newID()
	}
	if p.CreatedAt.IsZero() {
		p.CreatedAt = now
	}
	if p.InsertedAt.IsZero() {
		p.InsertedAt = p.CreatedAt
	}
	if p.UpdatedAt.IsZero() {
		p.UpdatedAt = now
	}
	if p.Status == "" {
		p.Status = telnyx.PortoutStatusPending
	}
	if p.RecordType == "" {
		p.RecordType = "portout"
	}
	if p.SupportKey == "" {
		p.SupportKey = fmt.Sprintf("PO_%06d", rand.IntN(1000000)) //nolint:gosec // G404: a display label in a fake, nothing secret
	}
	if p.CurrentCarrier == "" {
		p.CurrentCarrier = "telnyx"
	}
	if p.UserID == "" {
		p.UserID = s.cfg.userID
	}
	p = copyPortout(p)

	s.mu.Lock()
	defer s.mu.Unlock()
	if _, dup := s.st.portouts[p.ID]; dup {
		panic(fmt.Sprintf("telnyxtest: AddPortout: a port-out with ID %q exists", p.ID))
	}
	rec := &portoutRecord{p: p, codes: slices.Clone(s.cfg.rejectionCodes)}
	if p.Status == telnyx.PortoutStatusPorted {
		rec.portedOutAt = p.UpdatedAt
	}
	s.st.portouts[p.ID] = rec
	s.st.portoutOrder = append(s.st.portoutOrder, p.ID)
	return copyPortout(p)
}

// copyPortout returns p with its slices copied, so that callers and the
// server never share them.
func copyPortout(p telnyx.Portout) telnyx.Portout {
	p.LSR = slices.Clone(p.LSR)
	p.PhoneNumbers = slices.Clone(p.PhoneNumbers)
	return p
}

// Portout returns the port-out with this ID as the server holds it now.
func (s *Server) Portout(id string) (telnyx.Portout, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := s.st.portout(id)
	if rec == nil {
		return telnyx.Portout{}, false
	}
	return copyPortout(rec.p), true
}

func errNoPortout(method, id string) error {
	return fmt.Errorf("telnyxtest: %s: no port-out with ID %q", method, id)
}

// SetStatus changes a port-out's status as Telnyx or the gaining carrier
// would (for example authorized → ported), without the rules PATCH applies.
// A change records a portout.status_changed event (and delivers its webhook);
// setting the status it already has changes nothing. Ported also sets the
// time of porting that filter[ported_out_at] reads. The error reports an
// unknown ID or status.
func (s *Server) SetStatus(id string, status telnyx.PortoutStatus) error {
	if !status.Valid() {
		return fmt.Errorf("telnyxtest: SetStatus: unknown status %q", status)
	}
	s.mu.Lock()
	rec := s.st.portout(id)
	if rec == nil {
		s.mu.Unlock()
		return errNoPortout("SetStatus", id)
	}
	if rec.p.Status == status {
		s.mu.Unlock()
		return nil
	}
	ev := s.changeStatus(rec, status)
	s.mu.Unlock()
	s.deliver(ev)
	return nil
}

// changeStatus sets rec's status and records the event; s.mu is held.
func (s *Server) changeStatus(rec *portoutRecord, status telnyx.PortoutStatus) telnyx.PortoutEvent {
	now := s.now()
	rec.p.Status = status
	rec.p.UpdatedAt = now
	if status == telnyx.PortoutStatusPorted {
		rec.portedOutAt = now
	}
	return s.recordEvent(rec.p.ID, telnyx.PortoutEventStatusChanged, &telnyx.PortoutStatusChangedPayload{
		ID:              rec.p.ID,
		CarrierName:     rec.p.CarrierName,
		PhoneNumbers:    slices.Clone(rec.p.PhoneNumbers),
		RejectionReason: rec.p.Reason,
		SPID:            rec.p.SPID,
		Status:          status,
		SubscriberName:  rec.p.EndUserName,
		UserID:          rec.p.UserID,
	})
}

// SetFocDate changes a port-out's FOC date, as the gaining carrier's
// confirmation would, and records a portout.foc_date_changed event.
func (s *Server) SetFocDate(id string, foc time.Time) error {
	s.mu.Lock()
	rec := s.st.portout(id)
	if rec == nil {
		s.mu.Unlock()
		return errNoPortout("SetFocDate", id)
	}
	rec.p.FocDate = foc
	rec.p.UpdatedAt = s.now()
	ev := s.recordEvent(id, telnyx.PortoutEventFocDateChanged, &telnyx.PortoutFocDateChangedPayload{
		ID: id, FocDate: foc, UserID: rec.p.UserID,
	})
	s.mu.Unlock()
	s.deliver(ev)
	return nil
}

// AddComment adds a comment written by Telnyx support (its UserID is empty)
// to a port-out and records a portout.new_comment event. Comments posted
// through the API are written by the server's user instead.
func (s *Server) AddComment(portoutID, body string) (telnyx.PortoutComment, error) {
	s.mu.Lock()
	rec := s.st.portout(portoutID)
	if rec == nil {
		s.mu.Unlock()
		return telnyx.PortoutComment{}, errNoPortout("AddComment", portoutID)
	}
	c, ev := s.addComment(rec, body, "")
	s.mu.Unlock()
	s.deliver(ev)
	return c, nil
}

// addComment stores a comment and records its event; s.mu is held.
func (s *Server) addComment(rec *portoutRecord, body, userID string) (telnyx.PortoutComment, telnyx.PortoutEvent) {
	c := telnyx.PortoutComment{
		ID:         newID(),
		Body:       body,
		PortoutID:  rec.p.ID,
		RecordType: "portout",
		UserID:     userID,
		CreatedAt:  s.now(),
	}
	rec.comments = append(rec.comments, c)
	ev := s.recordEvent(rec.p.ID, telnyx.PortoutEventNewComment, &telnyx.PortoutNewCommentPayload{
		ID: c.ID, Comment: body, PortoutID: rec.p.ID, UserID: userID,
	})
	return c, ev
}

// SetRejectionCodes replaces the rejection codes eligible for one port-out.
// With no codes, none are eligible, and rejecting it through the API records
// rejection code 0.
func (s *Server) SetRejectionCodes(portoutID string, codes ...telnyx.PortoutRejectionCode) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := s.st.portout(portoutID)
	if rec == nil {
		return errNoPortout("SetRejectionCodes", portoutID)
	}
	rec.codes = slices.Clone(codes)
	return nil
}

// SetCountryCode fixes the country (two letters, such as "CA") that
// filter[country_code] and filter[country_code_in] match for a port-out.
// Without it, a port-out matches the countries of its phone numbers, read
// from their E.164 calling codes (+1 is the US, or Canada for Canadian area
// codes; +44 is GB; and so on for the common codes); "" restores that.
func (s *Server) SetCountryCode(portoutID, country string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := s.st.portout(portoutID)
	if rec == nil {
		return errNoPortout("SetCountryCode", portoutID)
	}
	rec.country = strings.ToUpper(strings.TrimSpace(country))
	return nil
}

// SetCustomerReference sets the customer reference that the report filter
// customer_reference__in matches for a port-out. Port-outs have none
// otherwise.
func (s *Server) SetCustomerReference(portoutID, ref string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := s.st.portout(portoutID)
	if rec == nil {
		return errNoPortout("SetCustomerReference", portoutID)
	}
	rec.customerRef = ref
	return nil
}

// recordEvent appends an event; s.mu is held. The caller delivers it once
// the lock is released.
func (s *Server) recordEvent(portoutID string, t telnyx.PortoutEventType, payload telnyx.PortoutEventPayload) telnyx.PortoutEvent {
	now := s.now()
	ev := telnyx.PortoutEvent{
		ID:                           newID(),
		EventType:                    t,
		PortoutID:                    portoutID,
		PayloadStatus:                telnyx.PortoutEventPayloadCreated,
		AvailableNotificationMethods: []telnyx.NotificationMethod{telnyx.NotificationMethodEmail, telnyx.NotificationMethodWebhook},
		RecordType:                   "portout_event",
		CreatedAt:                    now,
		UpdatedAt:                    now,
		Payload:                      payload,
	}
	s.st.eventIndex[ev.ID] = len(s.st.events)
	s.st.events = append(s.st.events, ev)
	return ev
}
