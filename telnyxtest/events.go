package telnyxtest

import (
	"net/http"

	telnyx "github.com/a54710f5/telnyx-go"
)

// listEvents serves GET /portouts/events.
func (s *Server) listEvents(w http.ResponseWriter, r *http.Request) {
	q := newQuery(r.URL.Query(), true,
		"filter[created_at][gte]", "filter[created_at][lte]", "filter[event_type]", "filter[portout_id]")
	number, size := q.page()
	gte, lte := q.time("filter[created_at][gte]"), q.time("filter[created_at][lte]")
	eventType := q.enum("filter[event_type]",
		string(telnyx.PortoutEventStatusChanged), string(telnyx.PortoutEventNewComment), string(telnyx.PortoutEventFocDateChanged))
	portoutID := q.str("filter[portout_id]")
	if q.err != nil {
		writeError(w, q.err)
		return
	}
	s.mu.Lock()
	var all []telnyx.PortoutEvent
	for _, ev := range s.st.events {
		if (eventType == "" || string(ev.EventType) == eventType) &&
			(portoutID == "" || ev.PortoutID == portoutID) &&
			inRange(ev.CreatedAt, gte, lte) {
			all = append(all, ev)
		}
	}
	s.mu.Unlock()
	data, meta := paginate(all, number, size)
	writePage(w, data, meta)
}

// event returns the event with this ID.
func (s *Server) event(id string) (telnyx.PortoutEvent, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	i, ok := s.st.eventIndex[id]
	if !ok {
		return telnyx.PortoutEvent{}, false
	}
	return s.st.events[i], true
}

// getEvent serves GET /portouts/events/{id}.
func (s *Server) getEvent(w http.ResponseWriter, id string) {
	ev, ok := s.event(id)
	if !ok {
		writeError(w, errNotFound("port-out event", id))
		return
	}
	writeData(w, http.StatusOK, ev)
}

// POST /portouts/events/{id}/republish delivers the event's webhook again
// (when SendWebhooksTo set a URL) and answers 204.
func (s *Server) republishEvent(w http.ResponseWriter, id string) {
	ev, ok := s.event(id)
	if !ok {
		writeError(w, errNotFound("port-out event", id))
		return
	}
	s.deliver(ev)
	w.WriteHeader(http.StatusNoContent)
}
