package telnyxtest_test

import (
	"context"
	"testing"

	telnyx "github.com/a54710f5/telnyx-go"
	"github.com/a54710f5/telnyx-go/telnyxtest"
)

// The README's "Testing your code" snippet, as written there: it must
// compile and pass.

// Review is the code under test: it authorizes a pending port-out.
func Review(ctx context.Context, client *telnyx.Client, id string) error {
	_, err := client.Portouts.Authorize(ctx, id, telnyx.PortoutAuthorizeParams{})
	return err
}

func TestReview(t *testing.T) {
	srv := telnyxtest.NewServer()
	defer srv.Close()
	p := srv.AddPortout(telnyx.Portout{Status: telnyx.PortoutStatusPending, PhoneNumbers: []string{"+13125550142"}})

	if err := Review(t.Context(), srv.Client(), p.ID); err != nil { // srv.Client() is wired to the fake
		t.Fatal(err)
	}
	got, ok := srv.Portout(p.ID)
	if !ok || got.Status != telnyx.PortoutStatusAuthorized {
		t.Errorf("status %q, want authorized", got.Status)
	}
}
