package telnyx_test

// Integration tests against Prism serving api/openapi.yml with
// `prism mock --errors`, which answers 422 (or 401) to any request that breaks
// the spec. scripts/integration.sh starts Prism and sets TELNYX_PRISM_URL;
// without it these tests skip.
//
// Prism answers with the spec's examples, with two habits of its own: an
// enum field gets the enum's first value rather than its example, and a
// date-time without an example gets a fixed sample. The expectations below
// say where that applies.

import (
	"bytes"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	telnyx "github.com/a54710f5/telnyx-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Identifiers from the spec's examples; Prism checks the uuid format.
const (
	specPortoutID  = "0ccc7b54-4df3-4bca-a65a-3da1ecc777f0"
	specEventID    = "eef3340b-8903-4466-b445-89b697315a3a"
	specReportID   = "eef3340b-8903-4466-b445-89b697315a3a"
	specDocumentID = "6a09cdc3-8948-47f0-aa62-74ac943d6c58"
)

var (
	specStamp  = time.Date(2018, 2, 2, 22, 25, 27, 521e6, time.UTC)  // 2018-02-02T22:25:27.521Z
	eventStamp = time.Date(2021, 3, 19, 10, 7, 15, 527e6, time.UTC)  // 2021-03-19T10:07:15.527000Z
	filterDay  = time.Date(2024, 9, 4, 0, 0, 0, 0, time.UTC)         // the filters' example
	since      = time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)         // events' created_at example
	until      = time.Date(2021, 12, 31, 23, 59, 59, 0, time.UTC)    // a later bound
	anyStatus  = []telnyx.PortoutStatus{telnyx.PortoutStatusPending} // enum's first value, as Prism serves it
)

// prismURL returns the base URL of the running Prism, or skips the test.
func prismURL(t *testing.T) string {
	t.Helper()
	u := os.Getenv("TELNYX_PRISM_URL")
	if u == "" {
		t.Skip("TELNYX_PRISM_URL is not set; scripts/integration.sh runs these tests against Prism")
	}
	return u
}

// prismClient returns a client for Prism with a transport of its own, closed
// when the test ends so that no connection goroutine outlives it.
func prismClient(t *testing.T) *telnyx.Client {
	t.Helper()
	base := prismURL(t)
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	c, err := telnyx.NewClient(
		telnyx.WithAPIKey("KEY_integration"),
		telnyx.WithBaseURL(base),
		telnyx.WithHTTPClient(&http.Client{Transport: tr, Timeout: 30 * time.Second}),
		telnyx.WithMaxRetries(0), // Prism's answers are final; a retry would hide a 5xx
	)
	require.NoError(t, err)
	return c
}

// specPortout is PortoutDetails with every property at its example.
func specPortout() telnyx.Portout {
	return telnyx.Portout{
		ID:               specPortoutID,
		AlreadyPorted:    false,
		AuthorizedName:   "McPortersen",
		CarrierName:      "test",
		City:             "Chicago",
		CreatedAt:        specStamp,
		CurrentCarrier:   "telnyx",
		EndUserName:      "McPortersen",
		FocDate:          specStamp,
		HostMessaging:    false,
		InsertedAt:       specStamp,
		LSR:              []string{"https://example.com/files/lsr.pdf"},
		PhoneNumbers:     []string{"+35312345678"},
		PON:              "00000000",
		Reason:           "", // example: null
		RecordType:       "portout",
		RejectionCode:    1002,
		RequestedFocDate: specStamp,
		ServiceAddress:   "000 Example Street",
		SPID:             "0ccc7b54-4df3-4bca-a65a-3da1ecc777f0",
		State:            "IL",
		Status:           telnyx.PortoutStatusPending, // enum's first value (the example says rejected)
		SupportKey:       "PO_764725",
		UpdatedAt:        specStamp,
		UserID:           "7865816a-ee85-4e50-b19e-52983dcc6d4a",
		Vendor:           "0e66ed3b-37e6-4fed-93d6-a30ce2493661",
		Zip:              "00000",
	}
}

// specStatusChangedEvent is WebhookPortoutStatusChanged at its examples.
func specStatusChangedEvent() telnyx.PortoutEvent {
	return telnyx.PortoutEvent{
		ID:                           specEventID,
		EventType:                    telnyx.PortoutEventStatusChanged,
		PortoutID:                    "9471c873-e3eb-4ca1-957d-f9a451334d52",
		PayloadStatus:                "created",
		AvailableNotificationMethods: []telnyx.NotificationMethod{telnyx.NotificationMethodEmail}, // no example: the enum's first value
		RecordType:                   "portout_event",
		CreatedAt:                    eventStamp,
		UpdatedAt:                    eventStamp,
		Payload: &telnyx.PortoutStatusChangedPayload{
			ID:              "96dfa9e4-c753-4fd3-97cd-42d66f26cf0c",
			AttemptedPin:    "1234",
			CarrierName:     "Testing Carrier",
			PhoneNumbers:    []string{"+35312345678"},
			RejectionReason: "", // example: null
			SPID:            "987H",
			Status:          telnyx.PortoutStatusPending, // enum's first value (the example says authorized)
			SubscriberName:  "John Doe",
			UserID:          "96dfa9e4-c753-4fd3-97cd-42d66f26cf0c",
		},
	}
}

// assertSpecReport checks a PortoutReport against the spec's examples.
func assertSpecReport(t *testing.T, r *telnyx.PortoutReport) {
	t.Helper()
	assert.Equal(t, specReportID, r.ID)
	assert.Equal(t, "f1486bae-f067-460c-ad43-73a92848f902", r.DocumentID)
	assert.Equal(t, "portout_report", r.RecordType)
	assert.Equal(t, telnyx.PortoutReportTypeExportCSV, r.ReportType)
	assert.Equal(t, telnyx.PortoutReportStatusPending, r.Status) // enum's first value (the example says completed)
	assert.Equal(t, eventStamp, r.CreatedAt)
	assert.Equal(t, eventStamp, r.UpdatedAt)
	f := r.Filters
	assert.False(t, f.CreatedAtGt.IsZero(), "created_at__gt has no example; Prism sends a sample")
	assert.False(t, f.CreatedAtLt.IsZero(), "created_at__lt has no example; Prism sends a sample")
	assert.Equal(t, []string{"my-customer-reference"}, f.CustomerReferenceIn)
	assert.Equal(t, "McPortersen", f.EndUserName)
	assert.Equal(t, []string{"+1234567890"}, f.PhoneNumbersOverlaps)
	assert.Equal(t, anyStatus, f.StatusIn)
}

func specSupportingDocument() telnyx.PortoutSupportingDocument {
	return telnyx.PortoutSupportingDocument{
		ID:         "5a16902a-2ee9-4882-a247-420fc6627b62",
		DocumentID: "f1c5e079-9d82-4f50-95bc-ae2f6b8d84d7",
		PortoutID:  specPortoutID,
		RecordType: "supporting_document",
		Type:       telnyx.SupportingDocumentLOA,
		CreatedAt:  specStamp,
		UpdatedAt:  specStamp,
	}
}

// specDocument is DocServiceDocument at its examples, as Prism serves it.
func specDocument() telnyx.Document {
	return telnyx.Document{
		ID:                specDocumentID,
		Filename:          "test-document.pdf",
		ContentType:       "application/pdf",
		CustomerReference: "MY REF 001",
		SHA256:            "08a96c641c3a74e44eb59afb61a24f2cb9f4d7188748e76ba4bb5edfa3cb7d1c",
		Status:            telnyx.DocumentStatusPending, // the example, also the enum's first value
		AVScanStatus:      telnyx.DocumentAVScanned,     // the example, also the enum's first value
		RecordType:        "document",
		Size:              123456,
		SizeUnit:          "bytes",
		CreatedAt:         specStamp,
		UpdatedAt:         specStamp,
	}
}

// specDocumentLink is DocServiceDocumentLink at its examples.
func specDocumentLink() telnyx.DocumentLink {
	return telnyx.DocumentLink{
		ID:               specDocumentID,
		DocumentID:       specDocumentID,
		LinkedRecordType: "porting_order",
		LinkedResourceID: "132091b4-442b-4a2a-b87f-61e707e46d54",
		RecordType:       "document_link",
		CreatedAt:        specStamp,
		UpdatedAt:        specStamp,
	}
}

func TestIntegrationPortouts(t *testing.T) {
	c := prismClient(t)
	ctx := t.Context()
	params := &telnyx.PortoutListParams{
		Page: telnyx.PageParams{Number: 2, Size: 25},
		Filter: telnyx.PortoutListFilter{
			CarrierName:   "test",
			CountryCode:   "US",
			CountryCodeIn: []string{"CA", "US"},
			FocDate:       filterDay,
			InsertedAt:    telnyx.DateRange{Gte: filterDay, Lte: filterDay.Add(24 * time.Hour)},
			PhoneNumber:   "+13035551212",
			PON:           "00000000",
			PortedOutAt:   telnyx.DateRange{Gte: filterDay, Lte: filterDay.Add(48 * time.Hour)},
			SPID:          "987H",
			Status:        telnyx.PortoutStatusPending,
			StatusIn:      []telnyx.PortoutStatus{telnyx.PortoutStatusPending, telnyx.PortoutStatusRejectedPending},
			SupportKey:    "PO_abc123",
		},
	}

	t.Run("List", func(t *testing.T) {
		page, err := c.Portouts.List(ctx, params)
		require.NoError(t, err)
		assert.Equal(t, []telnyx.Portout{specPortout()}, page.Data)
		assert.Equal(t, telnyx.PageMeta{PageNumber: 3, PageSize: 1, TotalPages: 13, TotalResults: 13}, page.Meta)
	})

	t.Run("ListAutoPaging", func(t *testing.T) {
		// Prism's meta never answers the page asked for, so paging stops
		// after the first page instead of looping.
		var got []telnyx.Portout
		for p, err := range c.Portouts.ListAutoPaging(ctx, params) {
			require.NoError(t, err)
			got = append(got, *p)
		}
		assert.Equal(t, []telnyx.Portout{specPortout()}, got)
	})

	t.Run("Get", func(t *testing.T) {
		p, err := c.Portouts.Get(ctx, specPortoutID)
		require.NoError(t, err)
		assert.Equal(t, specPortout(), *p)
	})

	t.Run("ListRejectionCodes", func(t *testing.T) {
		for _, codes := range [][]int{nil, {1002}, {1002, 1003}} {
			got, err := c.Portouts.ListRejectionCodes(ctx, "329d6658-8f93-405d-862f-648776e8afd7", &telnyx.PortoutRejectionCodeListParams{Code: codes})
			require.NoError(t, err, "codes %v", codes)
			assert.Equal(t, []telnyx.PortoutRejectionCode{{Code: 1002, Description: "Invalid PIN", ReasonRequired: false}}, got)
		}
	})

	t.Run("UpdateStatus", func(t *testing.T) {
		for _, tc := range []struct {
			status telnyx.PortoutStatus
			params telnyx.PortoutUpdateStatusParams
		}{
			{telnyx.PortoutStatusAuthorized, telnyx.PortoutUpdateStatusParams{HostMessaging: true}},
			{telnyx.PortoutStatusRejectedPending, telnyx.PortoutUpdateStatusParams{Reason: "I do not recognize this transaction"}},
		} {
			p, err := c.Portouts.UpdateStatus(ctx, specPortoutID, tc.status, tc.params)
			require.NoError(t, err, "status %s", tc.status)
			assert.Equal(t, specPortout(), *p)
		}
	})
}

func TestIntegrationEvents(t *testing.T) {
	c := prismClient(t)
	ctx := t.Context()
	params := &telnyx.PortoutEventListParams{
		Page: telnyx.PageParams{Number: 1, Size: 50},
		Filter: telnyx.PortoutEventListFilter{
			CreatedAt: telnyx.DateRange{Gte: since, Lte: until},
			EventType: telnyx.PortoutEventStatusChanged,
			PortoutID: "34dc46a9-53ed-4e01-9454-26227ea13326",
		},
	}

	t.Run("List", func(t *testing.T) {
		page, err := c.Portouts.Events.List(ctx, params)
		require.NoError(t, err)
		assert.Equal(t, []telnyx.PortoutEvent{specStatusChangedEvent()}, page.Data)
		assert.Equal(t, telnyx.PageMeta{PageNumber: 2, PageSize: 25, TotalPages: 3, TotalResults: 55}, page.Meta)
	})

	t.Run("ListAutoPaging", func(t *testing.T) {
		n := 0
		for e, err := range c.Portouts.Events.ListAutoPaging(ctx, params) {
			require.NoError(t, err)
			assert.Equal(t, specStatusChangedEvent(), *e)
			n++
		}
		assert.Equal(t, 1, n)
	})

	t.Run("Get", func(t *testing.T) {
		e, err := c.Portouts.Events.Get(ctx, specEventID)
		require.NoError(t, err)
		assert.Equal(t, specStatusChangedEvent(), *e)
	})

	t.Run("Republish", func(t *testing.T) {
		require.NoError(t, c.Portouts.Events.Republish(ctx, specEventID))
	})
}

func TestIntegrationReports(t *testing.T) {
	c := prismClient(t)
	ctx := t.Context()
	params := &telnyx.PortoutReportListParams{
		Page:   telnyx.PageParams{Number: 1, Size: 10},
		Filter: telnyx.PortoutReportListFilter{ReportType: telnyx.PortoutReportTypeExportCSV, Status: telnyx.PortoutReportStatusCompleted},
	}

	t.Run("List", func(t *testing.T) {
		page, err := c.Portouts.Reports.List(ctx, params)
		require.NoError(t, err)
		require.Len(t, page.Data, 1)
		assertSpecReport(t, &page.Data[0])
		assert.Equal(t, telnyx.PageMeta{PageNumber: 2, PageSize: 25, TotalPages: 3, TotalResults: 55}, page.Meta)
	})

	t.Run("ListAutoPaging", func(t *testing.T) {
		n := 0
		for r, err := range c.Portouts.Reports.ListAutoPaging(ctx, params) {
			require.NoError(t, err)
			assertSpecReport(t, r)
			n++
		}
		assert.Equal(t, 1, n)
	})

	t.Run("Create", func(t *testing.T) {
		for name, filters := range map[string]telnyx.PortoutReportFilters{
			"no filters": {},
			"every filter": {
				CreatedAtGt:          since,
				CreatedAtLt:          until,
				CustomerReferenceIn:  []string{"my-customer-reference", "MY REF 001"},
				EndUserName:          "McPortersen",
				PhoneNumbersOverlaps: []string{"+1234567890"},
				StatusIn:             []telnyx.PortoutStatus{telnyx.PortoutStatusPending, telnyx.PortoutStatusAuthorized, telnyx.PortoutStatusRejectedPending},
			},
		} {
			r, err := c.Portouts.Reports.Create(ctx, telnyx.PortoutReportCreateParams{ReportType: telnyx.PortoutReportTypeExportCSV, Filters: filters})
			require.NoError(t, err, name)
			assertSpecReport(t, r)
		}
	})

	t.Run("Get", func(t *testing.T) {
		r, err := c.Portouts.Reports.Get(ctx, specReportID)
		require.NoError(t, err)
		assertSpecReport(t, r)
	})
}

func TestIntegrationComments(t *testing.T) {
	c := prismClient(t)
	ctx := t.Context()
	want := telnyx.PortoutComment{
		ID:         "0ccc7b54-4df3-4bca-a65a-3da1ecc777f0",
		Body:       "This is a comment",
		PortoutID:  "0ccc7b54-4df3-4bca-a65a-3da1ecc777f0",
		RecordType: "portout",
		UserID:     "0ccc7b54-4df3-4bca-a65a-3da1ecc777f0",
		CreatedAt:  specStamp,
	}

	t.Run("List", func(t *testing.T) {
		got, err := c.Portouts.Comments.List(ctx, specPortoutID)
		require.NoError(t, err)
		assert.Equal(t, []telnyx.PortoutComment{want}, got)
	})

	t.Run("Create", func(t *testing.T) {
		got, err := c.Portouts.Comments.Create(ctx, specPortoutID, telnyx.PortoutCommentCreateParams{Body: "Please send the LOA again"})
		require.NoError(t, err)
		assert.Equal(t, want, *got)
	})
}

func TestIntegrationSupportingDocuments(t *testing.T) {
	c := prismClient(t)
	ctx := t.Context()

	t.Run("List", func(t *testing.T) {
		got, err := c.Portouts.SupportingDocuments.List(ctx, specPortoutID)
		require.NoError(t, err)
		assert.Equal(t, []telnyx.PortoutSupportingDocument{specSupportingDocument()}, got)
	})

	t.Run("Create", func(t *testing.T) {
		got, err := c.Portouts.SupportingDocuments.Create(ctx, specPortoutID, telnyx.PortoutSupportingDocumentCreateParams{
			Documents: []telnyx.SupportingDocumentParam{
				{DocumentID: "0ccc7b54-4df3-4bca-a65a-3da1ecc777f0", Type: telnyx.SupportingDocumentLOA},
				{DocumentID: specDocumentID, Type: telnyx.SupportingDocumentInvoice},
			},
		})
		require.NoError(t, err)
		assert.Equal(t, []telnyx.PortoutSupportingDocument{specSupportingDocument()}, got)
	})
}

func TestIntegrationDocuments(t *testing.T) {
	c := prismClient(t)
	ctx := t.Context()

	t.Run("Upload", func(t *testing.T) {
		// A reader that is not an io.Seeker: streamed once, never buffered.
		file := struct{ *strings.Reader }{strings.NewReader("%PDF-1.4 letter of authorization")}
		d, err := c.Documents.Upload(ctx, telnyx.DocumentUploadParams{
			Filename:          "test-document.pdf",
			File:              file,
			CustomerReference: "MY REF 001",
		})
		require.NoError(t, err)
		assert.Equal(t, specDocument(), *d)
	})

	t.Run("Download", func(t *testing.T) {
		var buf bytes.Buffer
		n, err := c.Documents.Download(ctx, specDocumentID, &buf)
		require.NoError(t, err)
		assert.Positive(t, n, "the binary schema has no example; Prism sends a sample string")
		assert.Equal(t, int64(buf.Len()), n)
	})
}

// documentSorts is every sort key the spec's enum lists.
var documentSorts = []telnyx.DocumentSort{
	telnyx.DocumentSortFilename, telnyx.DocumentSortCreatedAt, telnyx.DocumentSortUpdatedAt,
	telnyx.DocumentSortFilenameDesc, telnyx.DocumentSortCreatedAtDesc, telnyx.DocumentSortUpdatedAtDesc,
}

func TestIntegrationDocumentsManage(t *testing.T) {
	c := prismClient(t)
	gt := time.Date(2021, 4, 9, 22, 25, 27, 521e6, time.UTC) // the filter's example
	every := telnyx.DocumentListFilter{
		FilenameContains:    "invoice",
		CustomerReference:   "MY REF 001",
		CustomerReferenceIn: []string{"MY REF 001", "MY REF 002"},
		CreatedAtGt:         gt,
		CreatedAtLt:         gt.Add(36 * time.Hour),
	}

	t.Run("Get", func(t *testing.T) {
		d, err := c.Documents.Get(t.Context(), specDocumentID)
		require.NoError(t, err)
		assert.Equal(t, specDocument(), *d)
	})

	t.Run("List", func(t *testing.T) {
		cases := map[string]*telnyx.DocumentListParams{
			"nil":                    nil,
			"every filter and paged": {Page: telnyx.PageParams{Number: 2, Size: 250}, Filter: every},
			"every sort key at once": {Filter: every, Sort: []telnyx.DocumentSort{telnyx.DocumentSortUpdatedAtDesc, telnyx.DocumentSortFilename, telnyx.DocumentSortCreatedAt}},
			"one filter, one bound":  {Filter: telnyx.DocumentListFilter{CreatedAtLt: gt}},
		}
		for _, s := range documentSorts {
			cases["sort "+string(s)] = &telnyx.DocumentListParams{Sort: []telnyx.DocumentSort{s}}
		}
		for name, params := range cases {
			page, err := c.Documents.List(t.Context(), params)
			require.NoError(t, err, name)
			assert.Equal(t, []telnyx.Document{specDocument()}, page.Data, name)
			assert.Equal(t, telnyx.PageMeta{PageNumber: 2, PageSize: 25, TotalPages: 3, TotalResults: 55}, page.Meta, name)
		}
	})

	t.Run("ListAutoPaging", func(t *testing.T) {
		n := 0
		for d, err := range c.Documents.ListAutoPaging(t.Context(), &telnyx.DocumentListParams{
			Page: telnyx.PageParams{Size: 10}, Filter: every, Sort: documentSorts[:3],
		}) {
			require.NoError(t, err)
			assert.Equal(t, specDocument(), *d)
			n++
		}
		assert.Equal(t, 1, n, "Prism's meta never answers the page asked for")
	})

	t.Run("Update", func(t *testing.T) {
		for _, params := range []telnyx.DocumentUpdateParams{
			{Filename: "loa-signed.pdf", CustomerReference: "MY REF 002"},
			{Filename: "loa-signed.pdf"},
			{CustomerReference: "MY REF 002"},
			{},
		} {
			d, err := c.Documents.Update(t.Context(), specDocumentID, params)
			require.NoError(t, err, "%+v", params)
			assert.Equal(t, specDocument(), *d)
		}
	})

	t.Run("Delete", func(t *testing.T) {
		d, err := c.Documents.Delete(t.Context(), specDocumentID)
		require.NoError(t, err)
		assert.Equal(t, specDocument(), *d)
	})

	t.Run("DownloadLink", func(t *testing.T) {
		u, err := c.Documents.DownloadLink(t.Context(), "550e8400-e29b-41d4-a716-446655440000")
		require.NoError(t, err)
		assert.Equal(t, "https://s3.amazonaws.com/bucket/path/to/document?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=...", u.String())
	})

	t.Run("UploadFromURL", func(t *testing.T) {
		for _, params := range []telnyx.DocumentUploadURLParams{
			{URL: "https://www.w3.org/WAI/ER/tests/xhtml/testfiles/resources/pdf/dummy.pdf", Filename: "test-document.pdf", CustomerReference: "MY REF 001"},
			{URL: "http://example.com/loa.pdf"},
		} {
			d, err := c.Documents.UploadFromURL(t.Context(), params)
			require.NoError(t, err, params.URL)
			assert.Equal(t, specDocument(), *d)
		}
	})
}

func TestIntegrationDocumentLinks(t *testing.T) {
	c := prismClient(t)
	params := &telnyx.DocumentLinkListParams{
		Page: telnyx.PageParams{Number: 1, Size: 100},
		Filter: telnyx.DocumentLinkListFilter{
			LinkedRecordType: "porting_order",
			LinkedResourceID: specDocumentID,
		},
	}

	t.Run("List", func(t *testing.T) {
		for _, p := range []*telnyx.DocumentLinkListParams{nil, params} {
			page, err := c.DocumentLinks.List(t.Context(), p)
			require.NoError(t, err)
			assert.Equal(t, []telnyx.DocumentLink{specDocumentLink()}, page.Data)
			assert.Equal(t, telnyx.PageMeta{PageNumber: 2, PageSize: 25, TotalPages: 3, TotalResults: 55}, page.Meta)
		}
	})

	t.Run("ListAutoPaging", func(t *testing.T) {
		n := 0
		for l, err := range c.DocumentLinks.ListAutoPaging(t.Context(), params) {
			require.NoError(t, err)
			assert.Equal(t, specDocumentLink(), *l)
			n++
		}
		assert.Equal(t, 1, n)
	})

	t.Run("a resource ID that is not a UUID is refused by Prism", func(t *testing.T) {
		_, err := c.DocumentLinks.List(t.Context(), &telnyx.DocumentLinkListParams{Filter: telnyx.DocumentLinkListFilter{LinkedResourceID: "not-a-uuid"}})
		require.ErrorIs(t, err, telnyx.ErrUnprocessable)
	})
}

// TestIntegrationPrismValidates proves the suite is not vacuous: Prism
// rejects what breaks the spec, and the SDK reports it as an *APIError.
func TestIntegrationPrismValidates(t *testing.T) {
	c := prismClient(t)
	ctx := t.Context()

	// An event type outside the spec's enum: the SDK passes unknown types
	// through (Telnyx adds new ones), Prism refuses it.
	_, err := c.Portouts.Events.List(ctx, &telnyx.PortoutEventListParams{
		Filter: telnyx.PortoutEventListFilter{EventType: "portout.not_in_the_spec"},
	})
	require.ErrorIs(t, err, telnyx.ErrUnprocessable)

	// A bare comma list for filter[code] is not the spec's form.
	base := prismURL(t)
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr}
	for path, want := range map[string]int{
		"portouts/rejections/" + specPortoutID + "?filter[code]=1002,1003":     http.StatusUnprocessableEntity,
		"portouts/rejections/" + specPortoutID + "?filter[code][in]=1002,1003": http.StatusOK,
		"portouts?page[size]=251":      http.StatusUnprocessableEntity,
		"portouts?filter[status]=done": http.StatusUnprocessableEntity,
		// The sort array is form style, exploded: one sort parameter per
		// key, as the SDK sends it. A comma list or an unknown key is not.
		"documents?sort=filename&sort=-created_at": http.StatusOK,
		"documents?sort=filename,-created_at":      http.StatusUnprocessableEntity,
		"documents?sort=size":                      http.StatusUnprocessableEntity,
	} {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimSuffix(base, "/")+"/"+path, nil)
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer KEY_integration")
		resp, err := hc.Do(req)
		require.NoError(t, err)
		_ = resp.Body.Close()
		assert.Equal(t, want, resp.StatusCode, path)
	}

	// Without a key Prism answers 401.
	noAuth, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimSuffix(base, "/")+"/portouts", nil)
	require.NoError(t, err)
	resp, err := hc.Do(noAuth)
	require.NoError(t, err)
	_ = resp.Body.Close()
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
}
