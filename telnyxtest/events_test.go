package telnyxtest_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	telnyx "github.com/a54710f5/telnyx-go"
	"github.com/a54710f5/telnyx-go/telnyxtest"
)

func TestEventsListGetRepublish(t *testing.T) {
	t.Parallel()
	start := day("2025-06-01T00:00:00Z")
	srv := newServer(t, telnyxtest.WithClock(fixedClock(start, time.Minute)))
	a := srv.AddPortout(telnyx.Portout{PhoneNumbers: []string{"+13125550142"}})
	b := srv.AddPortout(telnyx.Portout{Status: telnyx.PortoutStatusAuthorized})
	client := srv.Client()
	ctx := context.Background()

	// Five events, one minute apart on the server's clock.
	_, err := client.Portouts.UpdateStatus(ctx, a.ID, telnyx.PortoutStatusAuthorized, telnyx.PortoutUpdateStatusParams{})
	require.NoError(t, err)
	_, err = srv.AddComment(a.ID, "Authorized, thanks.")
	require.NoError(t, err)
	require.NoError(t, srv.SetFocDate(a.ID, day("2025-07-01T00:00:00Z")))
	require.NoError(t, srv.SetStatus(b.ID, telnyx.PortoutStatusPorted))
	require.NoError(t, srv.SetStatus(a.ID, telnyx.PortoutStatusPorted))

	all, err := client.Portouts.Events.List(ctx, nil)
	require.NoError(t, err)
	require.Len(t, all.Data, 5)
	assert.Equal(t, telnyx.PageMeta{PageNumber: 1, PageSize: 20, TotalPages: 1, TotalResults: 5}, all.Meta)
	for _, ev := range all.Data {
		assert.Equal(t, "portout_event", ev.RecordType)
		assert.Equal(t, []telnyx.NotificationMethod{telnyx.NotificationMethodEmail, telnyx.NotificationMethodWebhook}, ev.AvailableNotificationMethods)
		assert.NotEmpty(t, ev.ID)
	}

	types := func(evs []telnyx.PortoutEvent) []telnyx.PortoutEventType {
		out := make([]telnyx.PortoutEventType, len(evs))
		for i, e := range evs {
			out[i] = e.EventType
		}
		return out
	}
	created := func(i int) time.Time { return all.Data[i].CreatedAt }
	tests := []struct {
		name   string
		filter telnyx.PortoutEventListFilter
		want   []telnyx.PortoutEventType
	}{
		{"by type", telnyx.PortoutEventListFilter{EventType: telnyx.PortoutEventStatusChanged},
			[]telnyx.PortoutEventType{"portout.status_changed", "portout.status_changed", "portout.status_changed"}},
		{"by port-out", telnyx.PortoutEventListFilter{PortoutID: b.ID}, []telnyx.PortoutEventType{"portout.status_changed"}},
		{"by port-out and type", telnyx.PortoutEventListFilter{PortoutID: a.ID, EventType: telnyx.PortoutEventNewComment},
			[]telnyx.PortoutEventType{"portout.new_comment"}},
		{"created range", telnyx.PortoutEventListFilter{CreatedAt: telnyx.DateRange{Gte: created(1), Lte: created(2)}},
			[]telnyx.PortoutEventType{"portout.new_comment", "portout.foc_date_changed"}},
		{"created after the last", telnyx.PortoutEventListFilter{CreatedAt: telnyx.DateRange{Gte: created(4).Add(time.Second)}},
			[]telnyx.PortoutEventType{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page, err := client.Portouts.Events.List(ctx, &telnyx.PortoutEventListParams{Filter: tt.filter})
			require.NoError(t, err)
			assert.Equal(t, tt.want, types(page.Data))
		})
	}

	t.Run("paging", func(t *testing.T) {
		page, err := client.Portouts.Events.List(ctx, &telnyx.PortoutEventListParams{Page: telnyx.PageParams{Number: 2, Size: 2}})
		require.NoError(t, err)
		assert.Equal(t, telnyx.PageMeta{PageNumber: 2, PageSize: 2, TotalPages: 3, TotalResults: 5}, page.Meta)
		assert.Equal(t, []string{all.Data[2].ID, all.Data[3].ID}, []string{page.Data[0].ID, page.Data[1].ID})
		n := 0
		for ev, err := range client.Portouts.Events.ListAutoPaging(ctx, &telnyx.PortoutEventListParams{Page: telnyx.PageParams{Size: 2}}) {
			require.NoError(t, err)
			assert.Equal(t, all.Data[n].ID, ev.ID)
			n++
		}
		assert.Equal(t, 5, n)
	})

	t.Run("get", func(t *testing.T) {
		ev, err := client.Portouts.Events.Get(ctx, all.Data[2].ID)
		require.NoError(t, err)
		assert.Equal(t, telnyx.PortoutEventFocDateChanged, ev.EventType)
		assert.Equal(t, a.ID, ev.PortoutID)
		_, err = client.Portouts.Events.Get(ctx, "missing")
		assert.True(t, errors.Is(err, telnyx.ErrNotFound))
	})

	t.Run("republish", func(t *testing.T) {
		require.NoError(t, client.Portouts.Events.Republish(ctx, all.Data[0].ID))
		err := client.Portouts.Events.Republish(ctx, "missing")
		assert.True(t, errors.Is(err, telnyx.ErrNotFound))
		status, _, body := raw(t, srv, http.MethodPost, "/portouts/events/"+all.Data[0].ID+"/republish", "Bearer k", "", nil)
		assert.Equal(t, http.StatusNoContent, status)
		assert.Empty(t, body)
	})
}
