package main

import (
	"net/url"
	"reflect"
	"testing"

	telnyx "github.com/a54710f5/telnyx-go"
	"github.com/a54710f5/telnyx-go/telnyxtest"
)

// The README promises that --fake list prints the pending demo port-outs.
func TestFakeListPrintsPendingDemoPortouts(t *testing.T) {
	r, srv := runFake(t, "list")
	wantCode(t, r, exitOK)
	wantText(t, "stdout", r.stdout, ""+
		"ID                                    STATUS   PHONE NUMBERS                          END USER             GAINING CARRIER        FOC DATE                RECEIVED\n"+
		"8c1f0c3a-4d2b-4f6e-9a51-2d7f60e10001  pending  +13125550142, +13125550143             Acme Widgets LLC     Lumen Technologies     2026-12-03              2026-11-20\n"+
		"8c1f0c3a-4d2b-4f6e-9a51-2d7f60e10002  pending  +14155550199                           Golden Gate Bakery   Verizon Wireless       2026-12-05 (requested)  2026-11-22\n"+
		"8c1f0c3a-4d2b-4f6e-9a51-2d7f60e10003  pending  +16475550123, +16475550124 and 2 more  Maple Dental Clinic  Rogers Communications  2026-12-08 (requested)  2026-11-23\n")
	wantText(t, "stderr", r.stderr, "")
	reqs := srv.Requests()
	last := reqs[len(reqs)-1]
	want := url.Values{"filter[status]": {"pending"}, "page[size]": {"250"}}
	if last.Path != "/portouts" || !reflect.DeepEqual(last.Query, want) {
		t.Errorf("sent %s %v, want /portouts %v", last.Path, last.Query, want)
	}
}

func TestListFiltersAndJSON(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want url.Values
		ids  []string
	}{
		{
			name: "several statuses",
			args: []string{"--status", "authorized", "--status", "ported,rejected"},
			want: url.Values{"filter[status_in]": {"authorized,ported,rejected"}},
			ids:  []string{demoLegal, demoSurf, demoBistro},
		},
		{
			name: "all",
			args: []string{"--status", "all", "--country", "ca"},
			want: url.Values{"filter[country_code]": {"CA"}},
			ids:  []string{demoDental},
		},
		{
			name: "carrier and dates",
			args: []string{"--carrier", "Verizon Wireless", "--since", "2026-11-21", "--until", "2026-11-22"},
			want: url.Values{
				"filter[status]":           {"pending"},
				"filter[carrier_name]":     {"Verizon Wireless"},
				"filter[inserted_at][gte]": {"2026-11-21T00:00:00Z"},
				"filter[inserted_at][lte]": {"2026-11-22T23:59:59Z"},
			},
			ids: []string{demoBakery},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, srv := runFake(t, append([]string{"list", "--output", "json"}, tt.args...)...)
			wantCode(t, r, exitOK)
			var ids []string
			for _, m := range decodeLines(t, r.stdout) {
				ids = append(ids, m["id"].(string))
			}
			if !reflect.DeepEqual(ids, tt.ids) {
				t.Errorf("listed %v, want %v", ids, tt.ids)
			}
			reqs := srv.Requests()
			q := reqs[len(reqs)-1].Query
			tt.want.Set("page[size]", "250")
			if !reflect.DeepEqual(q, tt.want) {
				t.Errorf("query %v, want %v", q, tt.want)
			}
		})
	}
}

// --limit stops early and says on stderr that more port-outs match.
func TestListLimit(t *testing.T) {
	srv := telnyxtest.NewServer()
	defer srv.Close()
	for _, id := range []string{"po-1", "po-2", "po-3"} {
		srv.AddPortout(telnyx.Portout{ID: id, CreatedAt: at(t, "2026-11-02T10:00:00Z")})
	}
	r := runCLI(t, srv, "list", "--limit", "2", "--output", "json")
	wantCode(t, r, exitOK)
	if got := decodeLines(t, r.stdout); len(got) != 2 || got[1]["id"] != "po-2" {
		t.Errorf("listed %v", got)
	}
	wantText(t, "stderr", r.stderr, "Showing 2 of 3 port-outs: more match; raise --limit to see them.\n")
	reqs := srv.Requests()
	if len(reqs) != 1 || reqs[0].Query.Get("page[size]") != "2" {
		t.Errorf("requests %v", reqs)
	}

	// Exactly as many as the limit: no note. Several pages are walked.
	r = runCLI(t, srv, "list", "--limit", "3")
	wantCode(t, r, exitOK)
	wantText(t, "stderr", r.stderr, "")
	if n := len(lines(r.stdout)); n != 4 {
		t.Errorf("%d lines:\n%s", n, r.stdout)
	}
}

func TestListEmpty(t *testing.T) {
	srv := telnyxtest.NewServer()
	defer srv.Close()
	r := runCLI(t, srv, "list")
	wantCode(t, r, exitOK)
	wantText(t, "stdout", r.stdout, "")
	wantText(t, "stderr", r.stderr, "No port-outs match.\n")
}

func TestListUsageErrorsSendNothing(t *testing.T) {
	tests := map[string][]string{
		"unknown status":    {"--status", "done"},
		"all with another":  {"--status", "all,pending"},
		"country":           {"--country", "USA"},
		"since after until": {"--since", "2026-11-02", "--until", "2026-11-01"},
		"bad date":          {"--since", "yesterday"},
		"negative limit":    {"--limit", "-1"},
		"argument":          {"pending"},
	}
	for name, args := range tests {
		t.Run(name, func(t *testing.T) {
			srv := telnyxtest.NewServer()
			defer srv.Close()
			r := runCLI(t, srv, append([]string{"list"}, args...)...)
			wantCode(t, r, exitUsage)
			if n := len(srv.Requests()); n != 0 {
				t.Errorf("%d requests sent", n)
			}
		})
	}
}
