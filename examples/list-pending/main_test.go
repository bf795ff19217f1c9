package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
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

// fake starts the fake API with port-outs the flags tell apart, and returns
// their support keys by name.
func fake(t *testing.T) (*telnyxtest.Server, func() (*telnyx.Client, error)) {
	t.Helper()
	srv := telnyxtest.NewServer()
	t.Cleanup(srv.Close)
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
	}
	return srv, func() (*telnyx.Client, error) { return srv.Client(), nil }
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

func TestFilters(t *testing.T) {
	tests := []struct {
		name  string
		args  []string
		want  []string
		query map[string]string // filters the fake must have received
	}{
		{"pending by default", nil, []string{"PO_1", "PO_2", "PO_4"}, map[string]string{"filter[status]": "pending"}},
		{"any status", []string{"-status", ""}, []string{"PO_1", "PO_2", "PO_3", "PO_4"}, nil},
		{"one country", []string{"-country", "US"}, []string{"PO_1"}, map[string]string{"filter[country_code]": "US"}},
		{"several countries", []string{"-country", "US,CA"}, []string{"PO_1", "PO_2"}, map[string]string{"filter[country_code_in]": "US,CA"}},
		{"carrier", []string{"-status", "", "-carrier", "Lakeside Telecom"}, []string{"PO_1", "PO_3"}, map[string]string{"filter[carrier_name]": "Lakeside Telecom"}},
		{"phone number", []string{"-phone", "+14165550199"}, []string{"PO_2"}, map[string]string{"filter[phone_number]": "+14165550199"}},
		{"support key", []string{"-support-key", "PO_4"}, []string{"PO_4"}, map[string]string{"filter[support_key]": "PO_4"}},
		{"date window, until includes its whole day", []string{"-since", "2025-06-01", "-until", "2025-06-02"}, []string{"PO_1"},
			map[string]string{"filter[inserted_at][gte]": "2025-06-01T00:00:00Z", "filter[inserted_at][lte]": "2025-06-02T23:59:59Z"}},
		{"FOC date", []string{"-foc", "2025-07-01"}, []string{"PO_2"}, map[string]string{"filter[foc_date]": "2025-07-01T00:00:00Z"}},
		{"limit", []string{"-limit", "2", "-page-size", "1"}, []string{"PO_1", "PO_2"}, map[string]string{"page[size]": "1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, connect := fake(t)
			var stdout, stderr bytes.Buffer
			require.NoError(t, run(context.Background(), tt.args, &stdout, &stderr, connect))

			assert.Equal(t, tt.want, keys(stdout.String()))
			assert.Contains(t, stdout.String(), "ID  ")
			assert.True(t, strings.HasSuffix(stdout.String(), "port-out(s)\n"))
			assert.Contains(t, stdout.String(), "\n"+strconv.Itoa(len(tt.want))+" port-out(s)\n")
			reqs := srv.Requests()
			require.NotEmpty(t, reqs)
			for k, v := range tt.query {
				assert.Equal(t, v, reqs[0].Query.Get(k), k)
			}
			assert.Empty(t, stderr.String())
		})
	}
}

func TestBadFlagsSendNothing(t *testing.T) {
	for _, args := range [][]string{
		{"-status", "approved"},
		{"-page-size", "0"},
		{"-page-size", "251"},
		{"-limit", "-1"},
		{"-since", "yesterday"},
		{"-until", "2025-13-01"},
		{"-foc", "06/01/2025"},
		{"-nope"},
		{"extra"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			srv, connect := fake(t)
			err := run(context.Background(), args, &bytes.Buffer{}, &bytes.Buffer{}, connect)
			assert.ErrorIs(t, err, errUsage)
			assert.Empty(t, srv.Requests())
		})
	}
}

func TestHelpAndConnectErrors(t *testing.T) {
	var stderr bytes.Buffer
	err := run(context.Background(), []string{"-h"}, &bytes.Buffer{}, &stderr, nil)
	assert.ErrorIs(t, err, flag.ErrHelp)
	assert.Contains(t, stderr.String(), "-support-key")

	boom := errors.New("no key")
	err = run(context.Background(), nil, &bytes.Buffer{}, &bytes.Buffer{}, func() (*telnyx.Client, error) { return nil, boom })
	assert.ErrorIs(t, err, boom)
}

func TestCancelledContextStopsTheListing(t *testing.T) {
	_, connect := fake(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := run(ctx, nil, &bytes.Buffer{}, &bytes.Buffer{}, connect)
	assert.ErrorIs(t, err, context.Canceled)
}
