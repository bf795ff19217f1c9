package telnyx

import "runtime"

// Version is the version of this SDK, sent in the User-Agent header.
const Version = "0.1.0"

var defaultUserAgent = "telnyx-go/" + Version + " (" + runtime.Version() + "; " + runtime.GOOS + "/" + runtime.GOARCH + ")"
