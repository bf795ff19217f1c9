package telnyx

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/a54710f5/telnyx-go/internal/wire"
)

// PortoutService reviews port-out requests: list and read them, see which
// rejection codes apply, and authorize or reject them. Its fields reach the
// related resources.
type PortoutService struct {
	Events              *PortoutEventService
	Reports             *PortoutReportService
	Comments            *PortoutCommentService
	SupportingDocuments *PortoutSupportingDocumentService

	s *service
}

// PortoutStatus is the state of a port-out request.
type PortoutStatus string

// The port-out statuses. A status this SDK does not know is kept as its
// string.
const (
	PortoutStatusPending         PortoutStatus = "pending"
	PortoutStatusAuthorized      PortoutStatus = "authorized"
	PortoutStatusPorted          PortoutStatus = "ported"
	PortoutStatusRejected        PortoutStatus = "rejected"
	PortoutStatusRejectedPending PortoutStatus = "rejected-pending"
	PortoutStatusCanceled        PortoutStatus = "canceled"
)

// Valid reports whether s is one of the statuses the API documents.
func (s PortoutStatus) Valid() bool {
	switch s {
	case PortoutStatusPending, PortoutStatusAuthorized, PortoutStatusPorted,
		PortoutStatusRejected, PortoutStatusRejectedPending, PortoutStatusCanceled:
		return true
	}
	return false
}

// Portout is a request to move phone numbers from Telnyx to another carrier.
//
// A few fields are easy to mistake for one another: Status is where the
// request stands, while State is part of the billing address; FocDate is
// the confirmed FOC date, while RequestedFocDate is the one asked for;
// CreatedAt and InsertedAt both say when the request was created.
type Portout struct {
	ID string `json:"id"`
	// AlreadyPorted is true when the numbers have already been ported.
	AlreadyPorted bool `json:"already_ported"`
	// AuthorizedName is the person who authorized the port-out.
	AuthorizedName string `json:"authorized_name"`
	// CarrierName is the carrier the numbers are moving to (the gaining
	// carrier); CurrentCarrier is the one they are leaving.
	CarrierName string `json:"carrier_name"`
	// City is the city or municipality of the billing address.
	City string `json:"city"`
	// CreatedAt is when the request was created. The API documents
	// InsertedAt with the same words; filter[inserted_at] reads InsertedAt.
	CreatedAt time.Time `json:"created_at"`
	// CurrentCarrier is the carrier the numbers are with now, such as
	// "telnyx".
	CurrentCarrier string `json:"current_carrier"`
	// EndUserName is the person or company asking for the port.
	EndUserName string `json:"end_user_name"`
	// FocDate is the firm order commitment (FOC) date: when the numbers
	// are set to move. RequestedFocDate is the date that was asked for,
	// which may differ. Zero when the API sends none.
	FocDate time.Time `json:"foc_date"`
	// HostMessaging keeps messaging services with Telnyx after the port-out
	// completes.
	HostMessaging bool `json:"host_messaging"`
	// InsertedAt is when the request was created, as CreatedAt is; it is
	// the time that PortoutListFilter.InsertedAt (filter[inserted_at])
	// selects on.
	InsertedAt time.Time `json:"inserted_at"`
	// LSR holds links (URLs) to the Local Service Request: the gaining
	// carrier's order asking for the numbers, as documents to fetch.
	LSR []string `json:"lsr"`
	// PhoneNumbers are the numbers leaving, in E.164.
	PhoneNumbers []string `json:"phone_numbers"`
	// PON is the port order number the gaining carrier assigned.
	PON string `json:"pon"`
	// Reason is why the request was rejected; "" for one that was not
	// (null on the wire reads as "").
	Reason     string `json:"reason"`
	RecordType string `json:"record_type"` // "portout"
	// RejectionCode is the code of the rejection recorded for the request,
	// one of those ListRejectionCodes lists. 0 means none is recorded: the
	// request was not rejected, or was rejected without a code. Telnyx
	// records it; Reject sends none (the PATCH body has no code member).
	RejectionCode int `json:"rejection_code"`
	// RequestedFocDate is the FOC date that was asked for. FocDate is the
	// one that holds.
	RequestedFocDate time.Time `json:"requested_foc_date"`
	// ServiceAddress is the first line (street) of the billing address.
	ServiceAddress string `json:"service_address"`
	// SPID is the gaining carrier's service provider ID.
	SPID string `json:"spid"`
	// State is the state, province or region of the billing address, such
	// as "IL". It is not the request's status: see Status.
	State string `json:"state"`
	// Status is where the request stands, such as pending or authorized.
	Status PortoutStatus `json:"status"`
	// SupportKey names the request when talking to Telnyx support, such
	// as "PO_764725".
	SupportKey string `json:"support_key"`
	// UpdatedAt is when the request last changed.
	UpdatedAt time.Time `json:"updated_at"`
	// UserID is the Telnyx user (or organization) the request belongs to.
	UserID string `json:"user_id"`
	// Vendor is the ID (a UUID) of the Telnyx partner providing network
	// coverage for the numbers; not a carrier name.
	Vendor string `json:"vendor"`
	// Zip is the postal code of the billing address.
	Zip string `json:"zip"`

	// Extra holds, verbatim, every member of the API's object that this
	// SDK does not name: a field Telnyx adds is readable here before the
	// SDK knows it. It is nil when there are none, and MarshalJSON writes
	// its members back.
	Extra map[string]json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes the API's form: timestamps in any layout the API
// uses, unknown members into Extra.
func (p *Portout) UnmarshalJSON(b []byte) error { return wire.Unmarshal(b, p) }

// MarshalJSON encodes the API's form, zero times as null, Extra included.
func (p Portout) MarshalJSON() ([]byte, error) { return wire.Marshal(&p) }

// client returns the service's Client, or nil for a zero Client's nil
// service, whose calls then fail with an error.
func (s *PortoutService) client() *Client {
	if s == nil {
		return nil
	}
	return s.s.client()
}

// DateRange bounds a timestamp filter: filter[...][gte] and [lte]. A zero
// end is left out. Times are sent in RFC 3339 to the whole second, in their
// own offset; a fraction of a second is dropped, so an Lte bound of
// 10:00:00.5 also stops at 10:00:00.
type DateRange struct {
	Gte time.Time `url:"gte,omitempty"`
	Lte time.Time `url:"lte,omitempty"`
}

// PortoutListParams filters and pages PortoutService.List.
type PortoutListParams struct {
	Page   PageParams        `url:"page"`
	Filter PortoutListFilter `url:"filter"`
}

// PortoutListFilter narrows a list of port-outs. Zero fields are left out.
type PortoutListFilter struct {
	CarrierName   string          `url:"carrier_name,omitempty"`
	CountryCode   string          `url:"country_code,omitempty"` // two letters, such as "US"
	CountryCodeIn []string        `url:"country_code_in,omitempty,comma"`
	FocDate       time.Time       `url:"foc_date,omitempty"` // matches the same date
	InsertedAt    DateRange       `url:"inserted_at"`
	PhoneNumber   string          `url:"phone_number,omitempty"` // E.164, such as "+13035551212"
	PON           string          `url:"pon,omitempty"`
	PortedOutAt   DateRange       `url:"ported_out_at"`
	SPID          string          `url:"spid,omitempty"`
	Status        PortoutStatus   `url:"status,omitempty"`
	StatusIn      []PortoutStatus `url:"status_in,omitempty,comma"`
	SupportKey    string          `url:"support_key,omitempty"`
}

func (f *PortoutListFilter) validate() error {
	if f.Status != "" && !f.Status.Valid() {
		return invalid("Filter.Status", fmt.Sprintf("unknown status %q", f.Status))
	}
	for _, s := range f.StatusIn {
		if !s.Valid() {
			return invalid("Filter.StatusIn", fmt.Sprintf("unknown status %q", s))
		}
	}
	return nil
}

const portoutsRoute = "portouts"

// List fetches one page of port-out requests. params may be nil.
func (s *PortoutService) List(ctx context.Context, params *PortoutListParams, opts ...Option) (*Page[Portout], error) {
	if params != nil {
		if err := params.Filter.validate(); err != nil {
			return nil, err
		}
	}
	return list[Portout](ctx, s.client(), portoutsRoute, params, opts)
}

// ListAutoPaging yields every port-out request matching params, page after
// page, fetching lazily (see WithPrefetch). On an error it yields (nil, err)
// once and stops; breaking out of the loop stops all fetching.
//
// The list is paged by offset. Changing what it selects while paging —
// authorizing or rejecting the pending port-outs being listed — moves later
// items onto pages already read, and they are never seen (25 pending in
// pages of 10: only 15 seen). Collect the IDs first, then act on them.
func (s *PortoutService) ListAutoPaging(ctx context.Context, params *PortoutListParams, opts ...Option) iter.Seq2[*Portout, error] {
	if params != nil {
		if err := params.Filter.validate(); err != nil {
			return failed[Portout](err)
		}
	}
	return listAll[Portout](ctx, s.client(), portoutsRoute, params, opts)
}

// Get fetches one port-out request.
func (s *PortoutService) Get(ctx context.Context, id string, opts ...Option) (*Portout, error) {
	r := request{method: http.MethodGet, route: "portouts/{id}", ids: []string{id}}
	return fetch[Portout](ctx, s.client(), r, opts)
}

// PortoutRejectionCodeListParams narrows ListRejectionCodes to some codes.
type PortoutRejectionCodeListParams struct {
	Code []int // one code: filter[code]=N; several: filter[code][in]=N,M
}

// PortoutRejectionCode is a reason a port-out may be rejected with.
type PortoutRejectionCode struct {
	Code        int    `json:"code"`
	Description string `json:"description"`
	// ReasonRequired says that rejecting for this reason needs an
	// explanation in the Reject reason. The API takes no rejection code
	// when rejecting: the PATCH body has only reason and host_messaging, so
	// the code itself is never sent; the codes tell which reasons need text.
	ReasonRequired bool `json:"reason_required"`

	// Extra holds the members this SDK does not name, verbatim (see
	// Portout.Extra); nil when there are none.
	Extra map[string]json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes the API's form: timestamps in any layout the API
// uses, unknown members into Extra.
func (c *PortoutRejectionCode) UnmarshalJSON(b []byte) error { return wire.Unmarshal(b, c) }

// MarshalJSON encodes the API's form, zero times as null, Extra included.
func (c PortoutRejectionCode) MarshalJSON() ([]byte, error) { return wire.Marshal(&c) }

// ListRejectionCodes lists the rejection codes that apply to a port-out
// request. params may be nil. The codes are for reading: Reject and
// UpdateStatus send only a reason (and host_messaging), never a code; a
// code whose ReasonRequired is set tells that such a rejection needs an
// explaining reason.
func (s *PortoutService) ListRejectionCodes(ctx context.Context, portoutID string, params *PortoutRejectionCodeListParams, opts ...Option) ([]PortoutRejectionCode, error) {
	r := request{method: http.MethodGet, route: "portouts/rejections/{portout_id}", ids: []string{portoutID}}
	if params != nil && len(params.Code) > 0 {
		codes := make([]string, len(params.Code))
		for i, c := range params.Code {
			codes[i] = strconv.Itoa(c)
		}
		q := url.Values{}
		if len(codes) == 1 {
			q.Set("filter[code]", codes[0])
		} else {
			q.Set("filter[code][in]", strings.Join(codes, ","))
		}
		r.query = q
	}
	return fetchList[PortoutRejectionCode](ctx, s.client(), r, opts)
}

// PortoutUpdateStatusParams is the body of UpdateStatus.
type PortoutUpdateStatusParams struct {
	// Reason explains a rejection; some rejection codes require one. It is
	// always sent, as the API requires the key.
	Reason string `json:"reason"`
	// HostMessaging keeps messaging with Telnyx after the port-out completes.
	HostMessaging bool `json:"host_messaging"`
}

// UpdateStatus authorizes (PortoutStatusAuthorized) or rejects
// (PortoutStatusRejectedPending) a port-out request. Any other status is an
// *InvalidParamsError, and nothing is sent.
func (s *PortoutService) UpdateStatus(ctx context.Context, id string, status PortoutStatus, params PortoutUpdateStatusParams, opts ...Option) (*Portout, error) {
	if status != PortoutStatusAuthorized && status != PortoutStatusRejectedPending {
		return nil, invalid("status", fmt.Sprintf("%q: only %q or %q can be set", status, PortoutStatusAuthorized, PortoutStatusRejectedPending))
	}
	r := request{method: http.MethodPatch, route: "portouts/{id}/" + string(status), ids: []string{id}, body: params}
	return fetch[Portout](ctx, s.client(), r, opts)
}

// PortoutAuthorizeParams is the body of Authorize.
type PortoutAuthorizeParams struct {
	// Reason is an optional note, sent as the body's reason.
	Reason string
	// HostMessaging keeps messaging with Telnyx after the port-out completes.
	HostMessaging bool
}

// Authorize lets a port-out request go ahead: PATCH
// /portouts/{id}/authorized. It is UpdateStatus with PortoutStatusAuthorized.
func (s *PortoutService) Authorize(ctx context.Context, id string, params PortoutAuthorizeParams, opts ...Option) (*Portout, error) {
	return s.UpdateStatus(ctx, id, PortoutStatusAuthorized, PortoutUpdateStatusParams(params), opts...)
}

// Reject refuses a port-out request: PATCH /portouts/{id}/rejected-pending
// with reason in the body. The API takes no rejection code: the body has
// only reason and host_messaging. ListRejectionCodes tells which reasons
// apply to a port-out and whether one needs explaining text; it is the
// carrier side, not this call, that records a code.
func (s *PortoutService) Reject(ctx context.Context, id string, reason string, opts ...Option) (*Portout, error) {
	return s.UpdateStatus(ctx, id, PortoutStatusRejectedPending, PortoutUpdateStatusParams{Reason: reason}, opts...)
}
