// Package telnyxtest is an in-memory fake of the Telnyx port-out API, for
// testing code that uses the telnyx package without a network or an
// account.
//
// NewServer starts an HTTP server on the loopback interface that answers
// every operation of the port-out API as Telnyx documents it: port-outs with
// their filters and paging, status changes, rejection codes, events,
// comments, supporting documents, CSV reports, documents (upload, download,
// list, update, delete, download links) and document links. State lives in
// memory and is safe for concurrent requests.
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
//     name uploaded documents, document sort keys, an absolute http(s) url
//     to upload from: 422 otherwise, in Telnyx's error form
//     {"errors":[{"code","title","detail","source":{"pointer"|"parameter"}}]}.
//   - A document linked to a port-out (through its supporting documents)
//     cannot be deleted: DELETE /documents/{id} answers 422, as the API
//     reference says a linked document must be unlinked first and lists 422
//     as the operation's error. The port-out API has no way to unlink, so
//     such a document stays.
//   - Stricter than the real API, to catch mistakes early: an unknown
//     filter[...] or page[...] query parameter is a 422, a JSON body must
//     be sent as application/json (415), a document field sorted on twice is
//     a 422, and PATCH /documents/{id} refuses the read-only members of a
//     document (status, sha256, size and the like) with 422.
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
//   - Uploads start with status pending and av_scan_status pending_scan and
//     stay so until SetDocumentStatus plays the review and the scan; a
//     report's CSV is verified and scanned. An upload by url (the JSON form
//     of POST /documents) fetches nothing: the fake stores a one-line
//     placeholder naming the URL, and names the document after the URL's
//     last path segment when no filename is given.
//   - GET /documents lists newest created first; filter[filename][contains]
//     ignores case, filter[customer_reference][in] takes a comma list (or
//     repeated keys), filter[created_at][gt] and [lt] are strict; sort keys
//     (filename, created_at, updated_at, each with an optional leading -)
//     come as repeated sort parameters, the first deciding first, with the
//     default order breaking ties.
//   - GET /documents/{id}/download_link answers an absolute URL of the
//     fake's own /documents/{id}/download with a signature in its query: that
//     URL serves the bytes without an Authorization header, as a pre-signed
//     storage URL does, until the document is deleted.
//   - Linking documents to a port-out (POST
//     /portouts/{id}/supporting_documents) records one document link per
//     document and port-out, with linked_record_type "portout" (the
//     port-out's record_type, as "porting_order" in the API's example) and
//     linked_resource_id the port-out's ID; GET /document_links lists them
//     newest first, filtered by either.
//
// # Options
//
// NewServer takes these ServerOptions:
//
//   - WithClock: where timestamps and webhook signing times come from.
//   - WithReportPolls: how many reads of a new report answer pending.
//   - WithRejectionCodes: the codes eligible for port-outs added later
//     (DefaultRejectionCodes otherwise).
//   - WithUserID: the owner of added port-outs and of API comments
//     (DefaultUserID otherwise).
//   - WithWebhookKey: a fixed Ed25519 key for signing webhooks.
//   - WithWebhookTimeout: the bound on each webhook delivery.
//   - WithMaxUploadSize: the largest upload POST /documents accepts.
//
// # Server methods
//
// Setting up and looking inside, as Telnyx's side of the API:
//
//   - URL (a field) and Client: the base URL, and a *telnyx.Client wired to
//     it (key APIKey) whose retry and poll waits return at once; Close.
//   - AddPortout and Portout: store a port-out, and read it back.
//   - SetStatus, SetFocDate and AddComment: the carrier's and Telnyx's
//     changes, each recording its event.
//   - SetRejectionCodes, SetCountryCode and SetCustomerReference: what one
//     port-out's filters and rejections see.
//   - SetReportStatus: a report that fails or completes early.
//   - AddDocument and Document: store a document as if uploaded (a fixed
//     ID, if the test wants one), and read any document, a report's CSV
//     included, back with its bytes.
//   - LinkDocument: make a document a port-out's supporting document, as
//     POST /portouts/{id}/supporting_documents does.
//   - SetDocumentStatus: Telnyx's document review and antivirus scan.
//   - DocumentLinks: the links SupportingDocuments.Create recorded.
//
// Faults and requests:
//
//   - Inject fails the requests that match a Fault (method, path.Match
//     pattern, how many times, status, header, body), in the order
//     injected; FailNext(n, status, header) fails the next n requests of any
//     kind through the same queue. Both panic on a status outside 100 to 599.
//   - Requests returns every request received, as RecordedRequest values,
//     failed ones included.
//
// Webhooks:
//
//   - SendWebhooksTo delivers each new (or republished) event, signed, to a
//     URL; WebhookDeliveries lists the outcomes as WebhookDelivery values.
//   - WebhookPublicKey is the key that verifies them (pass it to
//     webhook.NewVerifier); SignWebhook signs a body of the test's choosing
//     with that key at the server's clock.
//   - WebhookSigner, from NewWebhookSigner, signs bodies the same way with
//     its own key (PublicKey, Sign), for testing a webhook handler without a
//     Server.
package telnyxtest
