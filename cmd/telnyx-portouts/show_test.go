package main

import (
	"encoding/json"
	"testing"

	telnyx "github.com/a54710f5/telnyx-go"
	"github.com/a54710f5/telnyx-go/telnyxtest"
)

func TestShowTable(t *testing.T) {
	clock := &demoClock{t: at(t, "2026-11-05T10:00:00Z")}
	srv := telnyxtest.NewServer(telnyxtest.WithClock(clock.now), telnyxtest.WithRejectionCodes(
		telnyx.PortoutRejectionCode{Code: 1001, Description: "Account number does not match"},
		telnyx.PortoutRejectionCode{Code: 1099, Description: "Other", ReasonRequired: true},
	))
	defer srv.Close()
	srv.AddPortout(telnyx.Portout{
		ID: "po-1", PhoneNumbers: []string{"+13125550100", "+13125550101", "+13125550102", "+13125550103"},
		EndUserName: "Tab\tand\x1b[31mescape", CarrierName: "Lumen", SPID: "7231", PON: "PON-1",
		City: "Chicago", State: "IL", SupportKey: "PO_000001",
		RequestedFocDate: at(t, "2026-11-20T00:00:00Z"),
		CreatedAt:        at(t, "2026-11-01T09:00:00Z"),
	})
	if _, err := srv.AddComment("po-1", "First line\nsecond line"); err != nil {
		t.Fatal(err)
	}
	client := srv.Client()
	if _, err := client.Portouts.Comments.Create(t.Context(), "po-1", telnyx.PortoutCommentCreateParams{Body: "Checked."}); err != nil {
		t.Fatal(err)
	}

	r := runCLI(t, srv, "show", "po-1")
	wantCode(t, r, exitOK)
	wantText(t, "stdout", r.stdout, ""+
		"ID               po-1\n"+
		"Status           pending\n"+
		"Phone numbers    +13125550100, +13125550101, +13125550102, +13125550103\n"+
		"End user         Tab and\\x1b[31mescape\n"+
		"Authorized by    -\n"+
		"Service address  Chicago, IL\n"+
		"Gaining carrier  Lumen\n"+
		"SPID             7231\n"+
		"PON              PON-1\n"+
		"Requested FOC    2026-11-20\n"+
		"FOC date         -\n"+
		"Host messaging   no\n"+
		"Reason           -\n"+
		"Rejection code   -\n"+
		"Support key      PO_000001\n"+
		"Received         2026-11-01\n"+
		"Updated          2026-11-05\n"+
		"\n"+
		"Comments (2)\n"+
		"DATE        BY                                    COMMENT\n"+
		"2026-11-05  Telnyx                                First line second line\n"+
		"2026-11-05  7c6b8a1e-4f3d-4e2a-9b1c-5d0e8f7a6b42  Checked.\n"+
		"\n"+
		"Supporting documents (0)\n"+
		"\n"+
		"Eligible rejection codes (2)\n"+
		"CODE  DESCRIPTION                    NOTE\n"+
		"1001  Account number does not match  -\n"+
		"1099  Other                          needs reason\n")
	var paths []string
	for _, q := range srv.Requests()[1:] {
		paths = append(paths, q.Method+" "+q.Path)
	}
	want := []string{
		"GET /portouts/po-1", "GET /portouts/po-1/comments",
		"GET /portouts/po-1/supporting_documents", "GET /portouts/rejections/po-1",
	}
	if len(paths) != len(want) {
		t.Fatalf("requests %v, want %v", paths, want)
	}
	for i := range want {
		if paths[i] != want[i] {
			t.Errorf("request %d: %s, want %s", i, paths[i], want[i])
		}
	}
}

func TestShowJSON(t *testing.T) {
	r, _ := runFake(t, "show", demoBistro, "--output", "json")
	wantCode(t, r, exitOK)
	if n := len(lines(r.stdout)); n != 1 {
		t.Fatalf("%d lines, want one object", n)
	}
	var got struct {
		Portout struct {
			ID            string `json:"id"`
			Status        string `json:"status"`
			RejectionCode int    `json:"rejection_code"`
		} `json:"portout"`
		Comments            []json.RawMessage `json:"comments"`
		SupportingDocuments []json.RawMessage `json:"supporting_documents"`
		RejectionCodes      []struct {
			Code           int  `json:"code"`
			ReasonRequired bool `json:"reason_required"`
		} `json:"rejection_codes"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatal(err)
	}
	if got.Portout.ID != demoBistro || got.Portout.Status != "rejected" || got.Portout.RejectionCode != 1002 {
		t.Errorf("portout %+v", got.Portout)
	}
	if got.Comments == nil || len(got.Comments) != 0 || got.SupportingDocuments == nil {
		t.Errorf("empty lists must be []: %s", r.stdout)
	}
	if len(got.RejectionCodes) != 6 || !got.RejectionCodes[5].ReasonRequired {
		t.Errorf("rejection codes %+v", got.RejectionCodes)
	}
}

func TestShowUsage(t *testing.T) {
	srv := telnyxtest.NewServer()
	defer srv.Close()
	for _, args := range [][]string{{"show"}, {"show", "a", "b"}, {"show", " "}} {
		r := runCLI(t, srv, args...)
		wantCode(t, r, exitUsage)
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}
