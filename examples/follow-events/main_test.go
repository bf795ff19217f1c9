package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	telnyx "github.com/a54710f5/telnyx-go"
	"github.com/a54710f5/telnyx-go/telnyxtest"
)

func TestRunPrintsEachEventOnce(t *testing.T) {
	srv := telnyxtest.NewServer()
	defer srv.Close()
	p := srv.AddPortout(telnyx.Portout{})
	require.NoError(t, srv.SetStatus(p.ID, telnyx.PortoutStatusAuthorized))

	ticks := make(chan time.Time)
	var out bytes.Buffer
	done := make(chan error, 1)
	go func() {
		done <- run(t.Context(), srv.Client(), &out, time.Now().Add(-time.Hour), ticks, 2)
	}()
	ticks <- time.Now() // the first listing is over
	_, err := srv.AddComment(p.ID, "FOC confirmed by the gaining carrier")
	require.NoError(t, err)
	ticks <- time.Now() // the first poll is over; the second sees the comment
	require.NoError(t, <-done)

	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	require.Len(t, lines, 2, out.String())
	assert.Contains(t, lines[0], "status is now authorized")
	assert.Contains(t, lines[1], `comment: "FOC confirmed by the gaining carrier"`)

	// The second listing starts from the first event, not from an hour ago.
	page, err := srv.Client().Portouts.Events.List(t.Context(), nil)
	require.NoError(t, err)
	second := srv.Requests()[1].Query.Get("filter[created_at][gte]")
	gte, err := time.Parse(time.RFC3339Nano, second)
	require.NoError(t, err, second)
	first := page.Data[0].CreatedAt
	assert.True(t, gte.Equal(first.Truncate(time.Second)), "gte %s, first event %s", gte, first)
}
