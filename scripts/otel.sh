#!/usr/bin/env bash
# Checks examples/otel, a Go module of its own (it requires OpenTelemetry,
# which the SDK's go.mod must not): go.mod and go.sum are tidy, vet is clean,
# the tests pass under the race detector, and `go run .` succeeds against the
# in-process fake. TELNYX_API_KEY is unset for the tests and the run so that
# they never reach a real account.
set -euo pipefail
cd "$(dirname "$0")/../examples/otel"

echo "otel.sh: gofmt"
unformatted=$(gofmt -l .)
if [ -n "$unformatted" ]; then
  echo "gofmt would change:"; echo "$unformatted"; exit 1
fi

echo "otel.sh: go mod tidy -diff"
go mod tidy -diff

echo "otel.sh: go vet"
go vet ./...

echo "otel.sh: go test -race"
env -u TELNYX_API_KEY go test -race -count=1 ./...

echo "otel.sh: go run ."
env -u TELNYX_API_KEY go run . >/dev/null
echo "otel.sh: ok"
