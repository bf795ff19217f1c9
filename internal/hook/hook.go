// Package hook lets the SDK's own packages (telnyxtest) reach client settings
// that are not part of the public API. Package telnyx fills it in at init.
package hook

import (
	"context"
	"time"
)

// WithSleep returns a telnyx.Option (typed any to avoid an import cycle)
// that replaces how the client waits between retries and between polls.
var WithSleep func(sleep func(ctx context.Context, d time.Duration) error) any
