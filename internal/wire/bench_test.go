package wire

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Run with:
//
//	go test ./internal/wire -run '^$' -bench . -benchmem -count 6

// testPortoutStatus is benchmark data shaped like telnyx.PortoutStatus.
type testPortoutStatus string

// testPortout is benchmark data shaped like telnyx.Portout (this package
// cannot import the SDK that imports it); the SDK's own listing benchmark
// is in benchmarks/.
type testPortout struct {
	ID               string                     `json:"id"`
	AlreadyPorted    bool                       `json:"already_ported"`
	AuthorizedName   string                     `json:"authorized_name"`
	CarrierName      string                     `json:"carrier_name"`
	City             string                     `json:"city"`
	CreatedAt        time.Time                  `json:"created_at"`
	CurrentCarrier   string                     `json:"current_carrier"`
	EndUserName      string                     `json:"end_user_name"`
	FocDate          time.Time                  `json:"foc_date"`
	HostMessaging    bool                       `json:"host_messaging"`
	InsertedAt       time.Time                  `json:"inserted_at"`
	LSR              []string                   `json:"lsr"`
	PhoneNumbers     []string                   `json:"phone_numbers"`
	PON              string                     `json:"pon"`
	Reason           string                     `json:"reason"`
	RecordType       string                     `json:"record_type"`
	RejectionCode    int                        `json:"rejection_code"`
	RequestedFocDate time.Time                  `json:"requested_foc_date"`
	ServiceAddress   string                     `json:"service_address"`
	SPID             string                     `json:"spid"`
	State            string                     `json:"state"`
	Status           testPortoutStatus          `json:"status"`
	SupportKey       string                     `json:"support_key"`
	UpdatedAt        time.Time                  `json:"updated_at"`
	UserID           string                     `json:"user_id"`
	Vendor           string                     `json:"vendor"`
	Zip              string                     `json:"zip"`
	Extra            map[string]json.RawMessage `json:"-"`
}

type testMeta struct {
	PageNumber   int `json:"page_number"`
	PageSize     int `json:"page_size"`
	TotalPages   int `json:"total_pages"`
	TotalResults int `json:"total_results"`
}

type testPage struct {
	Data []testPortout `json:"data"`
	Meta *testMeta     `json:"meta"`
}

func init() {
	Intern[testPortoutStatus]("pending", "authorized", "ported", "rejected", "rejected-pending", "canceled")
}

// benchPortoutJSON is benchmarks.portoutJSON: every field of the spec
// filled, only the ID varying.
func benchPortoutJSON(i int) string {
	return fmt.Sprintf(`{"already_ported":false,"authorized_name":"McPortersen","carrier_name":"test","city":"Chicago",`+
		`"created_at":"2018-02-02T22:25:27.521Z","current_carrier":"telnyx","end_user_name":"McPortersen",`+
		`"foc_date":"2018-02-02T22:25:27.521Z","host_messaging":false,"id":"0ccc7b54-4df3-4bca-a65a-%012d",`+
		`"inserted_at":"2018-02-02T22:25:27.521Z","lsr":["https://example.com/files/lsr.pdf"],`+
		`"phone_numbers":["+35312345678"],"pon":"00000000","reason":null,"record_type":"portout",`+
		`"rejection_code":1002,"requested_foc_date":"2018-02-02T22:25:27.521Z","service_address":"000 Example Street",`+
		`"spid":"0ccc7b54-4df3-4bca-a65a-3da1ecc777f0","state":"IL","status":"rejected","support_key":"PO_764725",`+
		`"updated_at":"2018-02-02T22:25:27.521Z","user_id":"7865816a-ee85-4e50-b19e-52983dcc6d4a",`+
		`"vendor":"0e66ed3b-37e6-4fed-93d6-a30ce2493661","zip":"00000"}`, i)
}

// variedPortoutJSON differs from item to item in every free-text field, as
// a real account's port-outs would: only the record type, statuses, the
// carrier and the user repeat.
func variedPortoutJSON(i int) string {
	statuses := []string{"pending", "authorized", "ported", "rejected", "rejected-pending", "canceled"}
	return fmt.Sprintf(`{"already_ported":false,"authorized_name":"Name %[1]d","carrier_name":"test","city":"City %[1]d",`+
		`"created_at":"2018-02-02T22:25:27.521Z","current_carrier":"telnyx","end_user_name":"User %[1]d",`+
		`"foc_date":"2018-02-02T22:25:27.521Z","host_messaging":false,"id":"0ccc7b54-4df3-4bca-a65a-%012[1]d",`+
		`"inserted_at":"2018-02-02T22:25:27.521Z","lsr":["https://example.com/files/lsr-%[1]d.pdf"],`+
		`"phone_numbers":["+3531234%05[1]d"],"pon":"%08[1]d","reason":null,"record_type":"portout",`+
		`"rejection_code":1002,"requested_foc_date":"2018-02-02T22:25:27.521Z","service_address":"%[1]d Example Street",`+
		`"spid":"0ccc7b54-4df3-4bca-a65a-%012[1]d","state":"IL","status":"%[2]s","support_key":"PO_%06[1]d",`+
		`"updated_at":"2018-02-02T22:25:27.521Z","user_id":"7865816a-ee85-4e50-b19e-52983dcc6d4a",`+
		`"vendor":"0e66ed3b-37e6-4fed-93d6-a30ce2493661","zip":"%05[1]d"}`, i, statuses[i%len(statuses)])
}

// benchPage renders a page of 250 port-outs in their envelope.
func benchPage(item func(int) string) []byte {
	var buf bytes.Buffer
	buf.WriteString(`{"data":[`)
	for i := range 250 {
		if i > 0 {
			buf.WriteByte(',')
		}
		buf.WriteString(item(i))
	}
	buf.WriteString(`],"meta":{"page_number":1,"page_size":250,"total_pages":40,"total_results":10000}}`)
	return buf.Bytes()
}

func benchUnmarshal(b *testing.B, page []byte, cache bool) {
	defer func(old bool) { cacheStrings = old }(cacheStrings)
	cacheStrings = cache
	b.ReportAllocs()
	b.SetBytes(int64(len(page)))
	for b.Loop() {
		var p testPage
		if err := Unmarshal(page, &p); err != nil || len(p.Data) != 250 {
			b.Fatal(err)
		}
	}
}

func BenchmarkUnmarshalPage(b *testing.B) {
	same, varied := benchPage(benchPortoutJSON), benchPage(variedPortoutJSON)
	b.Run("bench-items", func(b *testing.B) { benchUnmarshal(b, same, true) })
	b.Run("bench-items-nocache", func(b *testing.B) { benchUnmarshal(b, same, false) })
	b.Run("varied-items", func(b *testing.B) { benchUnmarshal(b, varied, true) })
	b.Run("varied-items-nocache", func(b *testing.B) { benchUnmarshal(b, varied, false) })
}

func BenchmarkUnmarshalPageEncodingJSON(b *testing.B) {
	page := benchPage(benchPortoutJSON)
	b.ReportAllocs()
	b.SetBytes(int64(len(page)))
	for b.Loop() {
		var p testPage
		if err := json.Unmarshal(page, &p); err != nil || len(p.Data) != 250 {
			b.Fatal(err)
		}
	}
}

func BenchmarkMarshalPage(b *testing.B) {
	var p testPage
	require.NoError(b, Unmarshal(benchPage(variedPortoutJSON), &p))
	b.Run("wire", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Marshal(&p); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := json.Marshal(&p); err != nil {
				b.Fatal(err)
			}
		}
	})
}
