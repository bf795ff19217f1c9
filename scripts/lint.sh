#!/usr/bin/env bash
# Runs golangci-lint, pinned, with the repository's .golangci.yml over every
# package (tests and examples included). The first run builds the pinned
# version into .bin/ (git-ignored) with `go install`; later runs reuse it.
# Extra arguments go to `golangci-lint run`, e.g. scripts/lint.sh --fix.
set -euo pipefail
cd "$(dirname "$0")/.."

version=v2.15.0
bin="$PWD/.bin"
lint="$bin/golangci-lint"

if ! [ -x "$lint" ] || ! "$lint" version 2>/dev/null | grep -q "version ${version#v} "; then
  echo "lint.sh: installing golangci-lint $version into .bin/" >&2
  GOBIN="$bin" go install "github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$version"
fi

"$lint" run "$@" ./...
