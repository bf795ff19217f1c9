package wire

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hidden settles its payload through a function registered with Defer, not
// an exported method.
type hidden struct {
	Kind    string `json:"kind"`
	Payload any    `json:"payload"`
}

var _ = Defer(func(h *hidden, member string, raw []byte) error {
	if raw == nil {
		h.Payload = "none:" + h.Kind
		return nil
	}
	h.Payload = member + ":" + h.Kind + ":" + string(raw)
	return nil
})

func TestDeferRegisteredFunction(t *testing.T) {
	var h hidden
	require.NoError(t, Unmarshal([]byte(`{"payload":{"a":1},"kind":"x"}`), &h))
	assert.Equal(t, `payload:x:{"a":1}`, h.Payload, "called after the whole object, with the member's raw JSON")

	require.NoError(t, Unmarshal([]byte(`{"kind":"y"}`), &h))
	assert.Equal(t, "none:y", h.Payload, "an absent member is handed over as nil")

	var list []hidden
	require.NoError(t, Unmarshal([]byte(`[{"kind":"a","payload":null},{"kind":"b","payload":[1]}]`), &list))
	require.Len(t, list, 2)
	assert.Equal(t, "none:a", list[0].Payload)
	assert.Equal(t, "payload:b:[1]", list[1].Payload)
}
