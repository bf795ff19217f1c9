package telnyx

import (
	"encoding/json"
	"net/http"
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every resource keeps the members this SDK does not name, verbatim, in
// Extra, and writes them back when encoded.
func TestUnknownMembersAreKept(t *testing.T) {
	t.Parallel()
	const unknown = `"new_member":{"b":[1,"two",null],"a":true},"newer":"x<y"`
	tests := []struct {
		name string
		body string
		into any
	}{
		{"Portout", `{"id":"p1","status":"pending",` + unknown + `}`, new(Portout)},
		{"PortoutEvent", `{"id":"e1","event_type":"portout.new_comment","payload":{"id":"c1"},` + unknown + `}`, new(PortoutEvent)},
		{"PortoutStatusChangedPayload", `{"id":"p1","status":"authorized",` + unknown + `}`, new(PortoutStatusChangedPayload)},
		{"PortoutNewCommentPayload", `{"id":"c1","comment":"hi",` + unknown + `}`, new(PortoutNewCommentPayload)},
		{"PortoutFocDateChangedPayload", `{"id":"p1","foc_date":"2026-12-01",` + unknown + `}`, new(PortoutFocDateChangedPayload)},
		{"PortoutComment", `{"id":"c1","body":"hi",` + unknown + `}`, new(PortoutComment)},
		{"PortoutSupportingDocument", `{"id":"s1","type":"loa",` + unknown + `}`, new(PortoutSupportingDocument)},
		{"PortoutRejectionCode", `{"code":1002,"reason_required":true,` + unknown + `}`, new(PortoutRejectionCode)},
		{"PortoutReport", `{"id":"r1","params":{"filters":{"status__in":["pending"]}},` + unknown + `}`, new(PortoutReport)},
		{"Document", `{"id":"d1","size":{"amount":3,"unit":"bytes"},` + unknown + `}`, new(Document)},
		{"DocumentLink", `{"id":"l1","linked_record_type":"portout",` + unknown + `}`, new(DocumentLink)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.NoError(t, json.Unmarshal([]byte(tt.body), tt.into))
			extra := reflect.ValueOf(tt.into).Elem().FieldByName("Extra").Interface().(map[string]json.RawMessage)
			assert.Equal(t, map[string]json.RawMessage{
				"new_member": json.RawMessage(`{"b":[1,"two",null],"a":true}`),
				"newer":      json.RawMessage(`"x<y"`),
			}, extra, "verbatim, member order and spacing kept")

			out, err := json.Marshal(tt.into)
			require.NoError(t, err)
			var back map[string]json.RawMessage
			require.NoError(t, json.Unmarshal(out, &back))
			assert.JSONEq(t, `{"b":[1,"two",null],"a":true}`, string(back["new_member"]), "written back")
			assert.JSONEq(t, `"x<y"`, string(back["newer"]))
		})
	}
}

func TestKnownMembersLeaveExtraNil(t *testing.T) {
	t.Parallel()
	var p Portout
	require.NoError(t, json.Unmarshal([]byte(`{"id":"p1","status":"pending","reason":null}`), &p))
	assert.Nil(t, p.Extra)
}

// Through the client: a page keeps each item's own unknown members.
func TestUnknownMembersThroughTheClient(t *testing.T) {
	t.Parallel()
	c, mock := newTestClient(t)
	mock.RegisterResponder(http.MethodGet, testURL("portouts"), jsonResponder(200,
		`{"data":[{"id":"p1","risk_score":7},{"id":"p2"}],"meta":{"page_number":1,"total_pages":1}}`))
	page, err := c.Portouts.List(t.Context(), nil)
	require.NoError(t, err)
	require.Len(t, page.Data, 2)
	assert.Equal(t, json.RawMessage(`7`), page.Data[0].Extra["risk_score"])
	assert.Nil(t, page.Data[1].Extra)
}
