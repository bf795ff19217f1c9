package main

import (
	"fmt"
	"sync"
	"time"

	telnyx "github.com/a54710f5/telnyx-go"
	"github.com/a54710f5/telnyx-go/telnyxtest"
)

// The demo port-outs and documents that --fake starts with. Their IDs are
// fixed so that the commands in the README work as written.
const (
	demoAcme    = "8c1f0c3a-4d2b-4f6e-9a51-2d7f60e10001" // pending, two Chicago numbers
	demoBakery  = "8c1f0c3a-4d2b-4f6e-9a51-2d7f60e10002" // pending, San Francisco
	demoDental  = "8c1f0c3a-4d2b-4f6e-9a51-2d7f60e10003" // pending, four Toronto numbers
	demoLegal   = "8c1f0c3a-4d2b-4f6e-9a51-2d7f60e10004" // authorized
	demoSurf    = "8c1f0c3a-4d2b-4f6e-9a51-2d7f60e10005" // ported
	demoBistro  = "8c1f0c3a-4d2b-4f6e-9a51-2d7f60e10006" // rejected
	demoLOA     = "3f7d2a9e-6b1c-4e8f-b2d4-9a0c5e71d001" // Hudson Legal's LOA, linked and verified
	demoInvoice = "3f7d2a9e-6b1c-4e8f-b2d4-9a0c5e71d002" // Acme's draft invoice, linked to nothing
	demoUserID  = "5e0c6d4b-2a1f-4c3e-8d7a-1b2c3d4e5f60"
	demoNowText = "2026-11-24T15:00:00Z"
)

// demoNow is the fake's time once seeding is done: everything a --fake
// session changes is stamped with it, so that its output is the same on
// every run.
var demoNow = mustTime(demoNowText)

func mustTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// demoClock is the fake's clock: it stands still, and seeding moves it.
type demoClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *demoClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *demoClock) set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// startFake starts the in-process fake API and seeds it.
func (a *app) startFake() (*telnyxtest.Server, error) {
	a.clock = &demoClock{t: demoNow}
	srv := telnyxtest.NewServer(telnyxtest.WithClock(a.clock.now), telnyxtest.WithUserID(demoUserID))
	a.fakeSrv = srv
	if err := seedDemo(srv, a.clock); err != nil {
		return nil, fmt.Errorf("seeding the fake: %w", err)
	}
	if a.fakeReady != nil {
		a.fakeReady(srv)
	}
	return srv, nil
}

// seedDemo adds the demo port-outs and the history behind them: status
// changes, comments from Telnyx support, a FOC date confirmation, each
// recorded as an event at a fixed time, and two documents.
func seedDemo(srv *telnyxtest.Server, clock *demoClock) error {
	at := mustTime
	add := func(p telnyx.Portout) {
		p.UpdatedAt = p.CreatedAt
		srv.AddPortout(p)
	}
	add(telnyx.Portout{
		ID: demoAcme, PhoneNumbers: []string{"+13125550142", "+13125550143"},
		EndUserName: "Acme Widgets LLC", AuthorizedName: "Dana Whitfield",
		CarrierName: "Lumen Technologies", SPID: "7231", PON: "PON-48213",
		ServiceAddress: "200 W Adams St", City: "Chicago", State: "IL", Zip: "60606",
		RequestedFocDate: at("2026-12-01T00:00:00Z"), SupportKey: "PO_104233",
		CreatedAt: at("2026-11-20T14:05:00Z"),
	})
	add(telnyx.Portout{
		ID: demoBakery, PhoneNumbers: []string{"+14155550199"},
		EndUserName: "Golden Gate Bakery", AuthorizedName: "Luis Ortega",
		CarrierName: "Verizon Wireless", SPID: "6006", PON: "PON-51877",
		ServiceAddress: "1450 Valencia St", City: "San Francisco", State: "CA", Zip: "94110",
		RequestedFocDate: at("2026-12-05T00:00:00Z"), SupportKey: "PO_104288",
		CreatedAt: at("2026-11-22T10:40:00Z"),
	})
	add(telnyx.Portout{
		ID: demoDental, PhoneNumbers: []string{"+16475550123", "+16475550124", "+16475550125", "+16475550126"},
		EndUserName: "Maple Dental Clinic", AuthorizedName: "Priya Raman",
		CarrierName: "Rogers Communications", SPID: "8821", PON: "PON-52040",
		ServiceAddress: "88 Queen St E", City: "Toronto", State: "ON", Zip: "M5C 1S6",
		RequestedFocDate: at("2026-12-08T00:00:00Z"), SupportKey: "PO_104301",
		CreatedAt: at("2026-11-23T16:20:00Z"),
	})
	add(telnyx.Portout{
		ID: demoLegal, PhoneNumbers: []string{"+12125550100"},
		EndUserName: "Hudson Legal Group", AuthorizedName: "Marcus Bell",
		CarrierName: "T-Mobile USA", SPID: "6529", PON: "PON-47002",
		City: "New York", State: "NY", Zip: "10007", SupportKey: "PO_103977",
		RequestedFocDate: at("2026-11-26T00:00:00Z"),
		CreatedAt:        at("2026-11-12T09:30:00Z"),
	})
	add(telnyx.Portout{
		ID: demoSurf, PhoneNumbers: []string{"+13055550111"},
		EndUserName: "Biscayne Surf Shop", AuthorizedName: "Ana Souza",
		CarrierName: "AT&T Mobility", SPID: "6214", PON: "PON-45519",
		City: "Miami", State: "FL", Zip: "33131", SupportKey: "PO_103512",
		RequestedFocDate: at("2026-11-10T00:00:00Z"), FocDate: at("2026-11-10T00:00:00Z"),
		CreatedAt: at("2026-11-02T13:15:00Z"),
	})
	add(telnyx.Portout{
		ID: demoBistro, PhoneNumbers: []string{"+17205550175"},
		EndUserName: "Front Range Bistro", AuthorizedName: "Kim Nguyen",
		CarrierName: "Comcast Business", SPID: "7700", PON: "PON-49120",
		City: "Denver", State: "CO", Zip: "80202", SupportKey: "PO_103850",
		Status: telnyx.PortoutStatusRejected, RejectionCode: 1002,
		Reason:    "The account PIN given does not match the account.",
		CreatedAt: at("2026-11-14T11:00:00Z"),
	})

	// History, oldest first, so that events list in time order. The fake
	// only refuses unknown IDs and statuses, which these are not.
	steps := []struct {
		at string
		do func() error
	}{
		{"2026-11-03T08:00:00Z", func() error { return srv.SetStatus(demoSurf, telnyx.PortoutStatusAuthorized) }},
		{"2026-11-10T17:00:00Z", func() error { return srv.SetStatus(demoSurf, telnyx.PortoutStatusPorted) }},
		{"2026-11-13T08:00:00Z", func() error { return srv.SetStatus(demoLegal, telnyx.PortoutStatusAuthorized) }},
		{"2026-11-20T15:30:00Z", func() error {
			_, err := srv.AddComment(demoAcme, "LOA received; the signature matches the account holder.")
			return err
		}},
		{"2026-11-21T09:12:00Z", func() error { return srv.SetFocDate(demoAcme, at("2026-12-03T00:00:00Z")) }},
		{"2026-11-22T11:02:00Z", func() error {
			_, err := srv.AddComment(demoBakery, "The customer asks to keep the number active until the FOC date.")
			return err
		}},
	}
	for _, s := range steps {
		clock.set(at(s.at))
		if err := s.do(); err != nil {
			return err
		}
	}
	if err := seedDocuments(srv, clock); err != nil {
		return err
	}
	clock.set(demoNow)
	return nil
}

// seedDocuments adds the authorized port-out's LOA, linked to it and
// verified, and a draft invoice linked to nothing (which documents delete
// may delete), with fixed IDs and times.
func seedDocuments(srv *telnyxtest.Server, clock *demoClock) error {
	clock.set(mustTime("2026-11-12T10:00:00Z"))
	srv.AddDocument(telnyx.Document{
		ID: demoLOA, Filename: "hudson-legal-loa.pdf",
		Status: telnyx.DocumentStatusVerified, AVScanStatus: telnyx.DocumentAVScanned,
		UpdatedAt: mustTime("2026-11-12T10:05:00Z"), // reviewed and scanned
	}, []byte("%PDF-1.4\n% Letter of authorization, Hudson Legal Group (demo)\n"))
	if _, err := srv.LinkDocument(demoLOA, demoLegal, telnyx.SupportingDocumentLOA); err != nil {
		return err
	}
	clock.set(mustTime("2026-11-20T14:20:00Z"))
	srv.AddDocument(telnyx.Document{ID: demoInvoice, Filename: "acme-invoice-draft.pdf"},
		[]byte("%PDF-1.4\n% Draft invoice, Acme Widgets LLC (demo)\n"))
	return nil
}

// demoDeliveries makes the fake deliver a few signed webhooks, as Telnyx
// would after carrier-side changes; listen --fake runs it once it is
// listening. Each delivery returns once the receiver has answered.
func demoDeliveries(srv *telnyxtest.Server) error {
	if err := srv.SetStatus(demoLegal, telnyx.PortoutStatusPorted); err != nil {
		return err
	}
	if _, err := srv.AddComment(demoBakery, "Verizon confirmed the requested FOC date."); err != nil {
		return err
	}
	return srv.SetFocDate(demoDental, mustTime("2026-12-10T00:00:00Z"))
}
