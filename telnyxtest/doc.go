// Package telnyxtest is an in-memory fake of the Telnyx port-out API, for
// testing code that uses the telnyx package without a network or an
// account.
//
// NewServer starts an HTTP server on the loopback interface that answers
// every operation of the port-out API as Telnyx documents it: port-outs with
// their filters and paging, status changes, rejection codes, events,
// comments, supporting documents, CSV reports and document uploads. State
// lives in memory and is safe for concurrent requests.
//
//	srv := telnyxtest.NewServer()
//	defer srv.Close()
//	p := srv.AddPortout(telnyx.Portout{PhoneNumbers: []string{"+13125550142"}})
//	client := srv.Client() // retries and report polls never sleep
//	got, err := client.Portouts.UpdateStatus(ctx, p.ID, telnyx.PortoutStatusAuthorized, telnyx.PortoutUpdateStatusParams{})
//
// Responses are the SDK's own types encoded with their MarshalJSON, so the
// fake and the telnyx package check each other.
//
// # What the fake enforces
//
//   - Authorization: Bearer with any non-empty token; 401 otherwise.
//   - Enums, required body members, page[size] 1 to 250 and page[number] of
//     at least 1, 1 to 10 supporting documents of type loa or invoice that
//     name uploaded documents: 422 otherwise, in Telnyx's error form
//     {"errors":[{"code","title","detail","source":{"pointer"|"parameter"}}]}.
//   - Stricter than the real API, to catch mistakes early: an unknown
//     filter[...] or page[...] query parameter is a 422, and a JSON body must
//     be sent as application/json (415).
//   - Unknown routes, and known paths with another method, are 404.
//
// # How it decides
//
//   - Lists are in insertion order; meta carries page_number, page_size,
//     total_pages and total_results. A page[number] past the last page,
//     however large, answers an empty page whose meta still counts the
//     real pages; one beyond the range of an int is a 422.
//   - filter[country_code] and filter[country_code_in] match the countries of
//     a port-out's phone numbers, read from their E.164 calling codes (+1 is
//     the US, or Canada for Canadian area codes); SetCountryCode fixes one.
//   - filter[foc_date] matches the same UTC day; filter[ported_out_at]
//     matches port-outs that reached ported (SetStatus, or added as ported).
//   - PATCH /portouts/{id}/{status} changes only a pending port-out, to
//     authorized or rejected-pending. The body carries no rejection code, so
//     a rejection needs a non-empty reason and records the first eligible
//     code that requires one. A "rejection_code" body member, which the SDK
//     never sends, picks the code instead; it must be eligible, and the
//     reason may then be empty unless the code's reason_required is set.
//   - Every status change (PATCH or SetStatus) records a
//     portout.status_changed event, every comment (API or AddComment) a
//     portout.new_comment, and SetFocDate a portout.foc_date_changed.
//   - A report is pending when created and completes on a later read
//     (WithReportPolls); it then names a document whose download is the CSV
//     of the port-outs its filters select, one row per port-out, numbers
//     joined with ";".
//   - GET /portouts/{id}/supporting_documents answers 200, where the API
//     reference says 201.
//
// # Testing tools
//
// FailNext injects failures (such as 503, or 429 with Retry-After);
// Requests returns every request received; SetStatus, SetFocDate and
// AddComment play the parts of Telnyx and of the gaining carrier;
// SendWebhooksTo delivers each new event as a signed webhook that
// WebhookPublicKey verifies.
package telnyxtest
