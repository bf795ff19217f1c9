package telnyxtest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"sync"
	"time"

	telnyx "github.com/a54710f5/telnyx-go"
)

// webhookSender delivers events to the URL SendWebhooksTo set.
type webhookSender struct {
	client *http.Client

	mu         sync.Mutex
	url        string
	stopped    bool
	inFlight   sync.WaitGroup
	deliveries []WebhookDelivery
}

func (h *webhookSender) init(timeout time.Duration) {
	h.client = &http.Client{
		Timeout:   timeout,
		Transport: &http.Transport{Proxy: nil, MaxIdleConnsPerHost: 4},
	}
}

// stop refuses new deliveries; wait then waits for those under way and
// closes idle connections.
func (h *webhookSender) stop() {
	h.mu.Lock()
	h.stopped = true
	h.mu.Unlock()
}

func (h *webhookSender) wait() {
	h.inFlight.Wait()
	h.client.CloseIdleConnections()
}

// WebhookDelivery is one attempt to deliver an event's webhook.
type WebhookDelivery struct {
	EventID    string
	EventType  telnyx.PortoutEventType
	URL        string
	StatusCode int   // the receiver's answer; 0 when none came
	Err        error // a transport error, or nil
}

// WebhookPublicKey returns the base64 Ed25519 public key that verifies the
// server's webhooks, as the Telnyx portal shows it.
func (s *Server) WebhookPublicKey() string {
	return s.signer.PublicKey()
}

// SendWebhooksTo makes the server POST every event recorded from now on, and
// every republished one, to url; "" stops deliveries. Each event is sent
// once, synchronously: the API call or the helper (SetStatus, SetFocDate,
// AddComment) that caused it returns after the receiver has answered, so a
// test can check the receiver right after. The receiver may call the fake.
//
// The body is the envelope {"data": <event as GET /portouts/events/{id}
// returns it>, "meta": {"attempt": 1, "delivered_to": url}}, signed as
// SignWebhook signs: the header telnyx-timestamp holds the Unix time in
// seconds (from the server's clock) and telnyx-signature-ed25519 the base64
// Ed25519 signature of timestamp + "|" + body, made with the key
// WebhookPublicKey verifies. WebhookDeliveries lists the outcomes; a failed
// delivery is not retried.
func (s *Server) SendWebhooksTo(url string) {
	s.hooks.mu.Lock()
	defer s.hooks.mu.Unlock()
	s.hooks.url = url
}

// WebhookDeliveries returns every webhook delivery attempted, in order.
func (s *Server) WebhookDeliveries() []WebhookDelivery {
	s.hooks.mu.Lock()
	defer s.hooks.mu.Unlock()
	return append([]WebhookDelivery(nil), s.hooks.deliveries...)
}

// deliver sends the event's webhook when a URL is set. s.mu must not be
// held.
func (s *Server) deliver(ev telnyx.PortoutEvent) {
	h := &s.hooks
	h.mu.Lock()
	url := h.url
	if url == "" || h.stopped {
		h.mu.Unlock()
		return
	}
	h.inFlight.Add(1)
	h.mu.Unlock()
	defer h.inFlight.Done()

	d := WebhookDelivery{EventID: ev.ID, EventType: ev.EventType, URL: url}
	d.StatusCode, d.Err = s.post(url, ev)
	h.mu.Lock()
	h.deliveries = append(h.deliveries, d)
	h.mu.Unlock()
}

type webhookMeta struct {
	Attempt     int    `json:"attempt"`
	DeliveredTo string `json:"delivered_to"`
}

// post signs and sends one delivery. Like Telnyx's, a delivery does not
// belong to the API call or helper that caused it, so it runs on a context
// of its own, bounded by the sender's client timeout.
func (s *Server) post(url string, ev telnyx.PortoutEvent) (int, error) {
	body, err := json.Marshal(struct {
		Data telnyx.PortoutEvent `json:"data"`
		Meta webhookMeta         `json:"meta"`
	}{ev, webhookMeta{Attempt: 1, DeliveredTo: url}})
	if err != nil {
		return 0, err
	}
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	for k, v := range s.SignWebhook(body) {
		req.Header[k] = v
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "telnyxtest-webhooks")
	resp, err := s.hooks.client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	return resp.StatusCode, nil
}
