package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	telnyx "github.com/a54710f5/telnyx-go"
	"github.com/a54710f5/telnyx-go/telnyxtest"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// fake starts the fake API with port-outs the flags tell apart; the tests
// know them by their support keys, and ids maps those to the port-outs' IDs.
func fake(t *testing.T) (srv *telnyxtest.Server, connect func() (*telnyx.Client, error), ids map[string]string) {
	t.Helper()
	srv = telnyxtest.NewServer()
	t.Cleanup(srv.Close)
	ids = map[string]string{}
	day := func(m time.Month, d int) time.Time { return time.Date(2025, m, d, 12, 0, 0, 0, time.UTC) }
	for _, p := range []struct {
		key, carrier, phone, country string
		status                       telnyx.PortoutStatus
		inserted, foc                time.Time
	}{
		{"PO_1", "Lakeside Telecom", "+13125550142", "US", telnyx.PortoutStatusPending, day(6, 2), day(6, 20)},
		{"PO_2", "Maple Mobile", "+14165550199", "CA", telnyx.PortoutStatusPending, day(6, 30), day(7, 1)},
		{"PO_3", "Lakeside Telecom", "+12065550123", "US", telnyx.PortoutStatusAuthorized, day(6, 3), time.Time{}},
		{"PO_4", "Thames Telecom", "+442071838750", "GB", telnyx.PortoutStatusPending, day(5, 1), time.Time{}},
	} {
		added := srv.AddPortout(telnyx.Portout{
			SupportKey: p.key, CarrierName: p.carrier, PhoneNumbers: []string{p.phone},
			Status: p.status, InsertedAt: p.inserted, CreatedAt: p.inserted, FocDate: p.foc,
		})
		require.NoError(t, srv.SetCountryCode(added.ID, p.country))
		ids[p.key] = added.ID
	}
	return srv, func() (*telnyx.Client, error) { return srv.Client(), nil }, ids
}

// keys returns the support keys in the order of the printed table.
func keys(out string) []string {
	var ks []string
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) > 0 && strings.HasPrefix(f[len(f)-1], "PO_") {
			ks = append(ks, f[len(f)-1])
		}
	}
	return ks
}

// filters returns the filter and page parameters of a request's query.
func filters(q url.Values) map[string]string {
	m := map[string]string{}
	for k := range q {
		if strings.HasPrefix(k, "filter[") || k == "page[size]" {
			m[k] = q.Get(k)
		}
	}
	return m
}

func TestFilters(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		args  []string
		want  []string
		query map[string]string // every filter the fake must have received, and no other
		pages int               // requests sent
	}{
		{"pending by default", nil, []string{"PO_1", "PO_2", "PO_4"},
			map[string]string{"filter[status]": "pending", "page[size]": "50"}, 1},
		{"any status", []string{"-status", ""}, []string{"PO_1", "PO_2", "PO_3", "PO_4"},
			map[string]string{"page[size]": "50"}, 1},
		{"another status", []string{"-status", "authorized"}, []string{"PO_3"},
			map[string]string{"filter[status]": "authorized", "page[size]": "50"}, 1},
		{"one country", []string{"-country", "US"}, []string{"PO_1"},
			map[string]string{"filter[status]": "pending", "filter[country_code]": "US", "page[size]": "50"}, 1},
		{"several countries, spaced and in lower case", []string{"-country", " us, ca ,"}, []string{"PO_1", "PO_2"},
			map[string]string{"filter[status]": "pending", "filter[country_code_in]": "US,CA", "page[size]": "50"}, 1},
		{"carrier", []string{"-status", "", "-carrier", "Lakeside Telecom"}, []string{"PO_1", "PO_3"},
			map[string]string{"filter[carrier_name]": "Lakeside Telecom", "page[size]": "50"}, 1},
		{"phone number", []string{"-phone", "+14165550199"}, []string{"PO_2"},
			map[string]string{"filter[status]": "pending", "filter[phone_number]": "+14165550199", "page[size]": "50"}, 1},
		{"support key", []string{"-support-key", "PO_4"}, []string{"PO_4"},
			map[string]string{"filter[status]": "pending", "filter[support_key]": "PO_4", "page[size]": "50"}, 1},
		{"date window, until includes its whole day", []string{"-since", "2025-06-01", "-until", "2025-06-02"}, []string{"PO_1"},
			map[string]string{"filter[status]": "pending", "page[size]": "50",
				"filter[inserted_at][gte]": "2025-06-01T00:00:00Z", "filter[inserted_at][lte]": "2025-06-02T23:59:59Z"}, 1},
		{"RFC 3339 times are taken as they are", []string{"-status", "", "-since", "2025-06-02T12:00:00Z", "-until", "2025-06-03T11:59:59Z"}, []string{"PO_1"},
			map[string]string{"page[size]": "50",
				"filter[inserted_at][gte]": "2025-06-02T12:00:00Z", "filter[inserted_at][lte]": "2025-06-03T11:59:59Z"}, 1},
		{"FOC date", []string{"-foc", "2025-07-01"}, []string{"PO_2"},
			map[string]string{"filter[status]": "pending", "filter[foc_date]": "2025-07-01T00:00:00Z", "page[size]": "50"}, 1},
		{"limit stops paging", []string{"-limit", "2", "-page-size", "1"}, []string{"PO_1", "PO_2"},
			map[string]string{"filter[status]": "pending", "page[size]": "1"}, 2},
		{"no limit pages to the end", []string{"-limit", "0", "-page-size", "1"}, []string{"PO_1", "PO_2", "PO_4"},
			map[string]string{"filter[status]": "pending", "page[size]": "1"}, 3},
		{"nothing matches", []string{"-carrier", "Nobody"}, nil,
			map[string]string{"filter[status]": "pending", "filter[carrier_name]": "Nobody", "page[size]": "50"}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, connect, _ := fake(t)
			var stdout, stderr bytes.Buffer
			require.NoError(t, run(context.Background(), tt.args, &stdout, &stderr, connect))

			assert.Equal(t, tt.want, keys(stdout.String()))
			assert.True(t, strings.HasPrefix(stdout.String(), "ID  "), stdout.String())
			assert.True(t, strings.HasSuffix(stdout.String(), "\n"+strconv.Itoa(len(tt.want))+" port-out(s)\n"), stdout.String())
			assert.Empty(t, stderr.String())
			reqs := srv.Requests()
			require.Len(t, reqs, tt.pages)
			for i, r := range reqs {
				assert.Equal(t, "/portouts", r.Path)
				assert.Equal(t, tt.query, filters(r.Query), "request %d", i)
			}
		})
	}
}

func TestTableRows(t *testing.T) {
	t.Parallel()
	_, connect, ids := fake(t)
	var stdout bytes.Buffer
	require.NoError(t, run(context.Background(), []string{"-status", "", "-carrier", "Lakeside Telecom"}, &stdout, io.Discard, connect))

	var rows [][]string
	for _, line := range strings.Split(strings.TrimSuffix(stdout.String(), "\n"), "\n") {
		rows = append(rows, strings.Fields(line))
	}
	assert.Equal(t, [][]string{
		{"ID", "STATUS", "FOC", "DATE", "NEW", "CARRIER", "NUMBERS", "SUPPORT", "KEY"},
		{ids["PO_1"], "pending", "2025-06-20", "Lakeside", "Telecom", "+13125550142", "PO_1"},
		{ids["PO_3"], "authorized", "-", "Lakeside", "Telecom", "+12065550123", "PO_3"},
		{"2", "port-out(s)"},
	}, rows)
}

func TestBadFlagsFailBeforeAnyRequest(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"-status", "approved"}, `-status "approved" is not a port-out status`},
		{[]string{"-page-size", "0"}, "-page-size 0 is outside 1 to 250"},
		{[]string{"-page-size", "251"}, "-page-size 251 is outside 1 to 250"},
		{[]string{"-limit", "-1"}, "-limit -1 is negative"},
		{[]string{"-limit", "ten"}, `invalid value "ten" for flag -limit`},
		{[]string{"-country", "USA"}, `-country: "USA" is not a 2-letter country code`},
		{[]string{"-country", "US,C1"}, `-country: "C1" is not a 2-letter country code`},
		{[]string{"-since", "yesterday"}, `-since: "yesterday" is neither a date (2006-01-02) nor an RFC 3339 time`},
		{[]string{"-until", "2025-13-01"}, `-until: "2025-13-01" is neither a date`},
		{[]string{"-since", "2025-06-03", "-until", "2025-06-02"}, "-since is after -until"},
		{[]string{"-foc", "06/01/2025"}, `-foc: "06/01/2025" is neither a date`},
		{[]string{"-nope"}, "flag provided but not defined: -nope"},
		{[]string{"extra"}, `unexpected argument "extra"`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			t.Parallel()
			srv, connect, _ := fake(t)
			connected := false
			var stdout, stderr bytes.Buffer
			err := run(context.Background(), tt.args, &stdout, &stderr, func() (*telnyx.Client, error) {
				connected = true
				return connect()
			})
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			var msg bytes.Buffer
			assert.Equal(t, 2, exitCode(err, &msg), "a usage mistake exits 2")
			shown := msg.String() + stderr.String()
			assert.Equal(t, 1, strings.Count(shown, tt.want), "the mistake is shown once: %s", shown)
			assert.False(t, connected, "no client is built")
			assert.Empty(t, srv.Requests())
			assert.Empty(t, stdout.String())
		})
	}
}

func TestHelp(t *testing.T) {
	t.Parallel()
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"-h"}, &stdout, &stderr, func() (*telnyx.Client, error) {
		return nil, errors.New("-h needs no client")
	})
	require.ErrorIs(t, err, flag.ErrHelp)
	assert.Equal(t, 0, exitCode(err, io.Discard))
	assert.Empty(t, stdout.String())
	for _, f := range []string{"-status", "-country", "-carrier", "-phone", "-support-key", "-since", "-until", "-foc", "-limit", "-page-size"} {
		assert.Contains(t, stderr.String(), f)
	}
}

func TestFailures(t *testing.T) {
	t.Parallel()
	boom := errors.New("no key")
	err := run(context.Background(), nil, io.Discard, io.Discard, func() (*telnyx.Client, error) { return nil, boom })
	require.ErrorIs(t, err, boom)
	var msg bytes.Buffer
	assert.Equal(t, 1, exitCode(err, &msg))
	assert.Equal(t, "list-pending: no key\n", msg.String())

	_, connect, _ := fake(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err = run(ctx, nil, io.Discard, io.Discard, connect)
	require.ErrorIs(t, err, context.Canceled)
	assert.True(t, strings.HasPrefix(err.Error(), "interrupted: "), err.Error())
	assert.Equal(t, 1, exitCode(err, io.Discard))

	srv, connect, _ := fake(t)
	srv.FailNext(1, http.StatusForbidden, nil)
	err = run(context.Background(), nil, io.Discard, io.Discard, connect)
	require.ErrorIs(t, err, telnyx.ErrForbidden)
}

// TestConnectFromEnvironment runs the command as main does, with the
// client built from TELNYX_API_KEY and TELNYX_BASE_URL. It sets the
// environment, so it cannot run in parallel.
func TestConnectFromEnvironment(t *testing.T) {
	srv, _, _ := fake(t)
	t.Setenv("TELNYX_API_KEY", "")
	t.Setenv("TELNYX_BASE_URL", srv.URL)
	err := run(context.Background(), nil, io.Discard, io.Discard, connect)
	require.ErrorIs(t, err, telnyx.ErrMissingAPIKey)
	assert.Empty(t, srv.Requests())

	t.Setenv("TELNYX_API_KEY", telnyxtest.APIKey)
	var stdout bytes.Buffer
	require.NoError(t, run(context.Background(), []string{"-support-key", "PO_2"}, &stdout, io.Discard, connect))
	assert.Equal(t, []string{"PO_2"}, keys(stdout.String()))
	reqs := srv.Requests()
	require.Len(t, reqs, 1)
	assert.Contains(t, reqs[0].Header.Get("User-Agent"), "telnyx-go-list-pending")
}
