#!/usr/bin/env bash
# Runs the integration tests (integration_test.go) against Prism, a mock
# server that serves the OpenAPI spec and, with --errors, answers 422 or 401
# to any request that breaks it.
#
#   scripts/integration.sh [go test flags, such as -v]
#
# Prism is installed from scripts/prism/package-lock.json into
# scripts/prism/node_modules (git-ignored) the first time, and again only when
# the lockfile changes. The spec is the repository's own api/openapi.yml, or
# TELNYX_OPENAPI_SPEC. Prism listens on a free loopback port
# and is stopped however the script ends.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
prism_dir="$root/scripts/prism"
spec=${TELNYX_OPENAPI_SPEC:-"$root/api/openapi.yml"}
start_timeout=${PRISM_START_TIMEOUT:-60} # seconds

die() { echo "integration: $*" >&2; exit 1; }

[ -f "$spec" ] || die "OpenAPI spec not found at $spec (the repository keeps it at api/openapi.yml; TELNYX_OPENAPI_SPEC overrides)"
spec=$(cd "$(dirname "$spec")" && pwd)/$(basename "$spec")
command -v node >/dev/null || die "node is required (Prism runs on Node.js)"
command -v npm >/dev/null || die "npm is required to install Prism"
command -v go >/dev/null || die "go is required"

# Analytics and update checks of npm packages stay off.
export SCARF_ANALYTICS=false DO_NOT_TRACK=1

# Install Prism when it is missing or the lockfile changed since the last
# install. --ignore-scripts: Prism needs no install scripts.
prism="$prism_dir/node_modules/.bin/prism"
stamp_file="$prism_dir/node_modules/.integration-stamp"
stamp=$(cat "$prism_dir/package.json" "$prism_dir/package-lock.json" | cksum)
if [ ! -x "$prism" ] || [ "$(cat "$stamp_file" 2>/dev/null)" != "$stamp" ]; then
  echo "== installing Prism (npm ci)"
  (cd "$prism_dir" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
  echo "$stamp" >"$stamp_file"
fi
echo "== Prism $("$prism" --version)"

log=$(mktemp)
pid=""
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  rm -f "$log"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

# answers URL exits 0 once an HTTP server answers at URL, whatever the status.
answers() {
  node -e 'fetch(process.argv[1],{signal:AbortSignal.timeout(2000)}).then(()=>process.exit(0),()=>process.exit(1))' "$1"
}

# Start Prism; a port taken between choosing and binding it gets another try.
url=""
for try in 1 2 3; do
  port=$(free_port)
  "$prism" mock --errors --host 127.0.0.1 --port "$port" "$spec" >"$log" 2>&1 &
  pid=$!
  deadline=$((SECONDS + start_timeout))
  while kill -0 "$pid" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do
    if answers "http://127.0.0.1:$port/"; then
      url="http://127.0.0.1:$port/"
      break 2
    fi
    sleep 0.2
  done
  if kill -0 "$pid" 2>/dev/null; then
    cat "$log" >&2
    die "Prism did not answer on port $port within ${start_timeout}s"
  fi
  wait "$pid" 2>/dev/null || true
  pid=""
  echo "integration: Prism exited on start (try $try):" >&2
  tail -n 20 "$log" >&2
done
[ -n "$url" ] || die "Prism could not be started"
echo "== Prism serving $(basename "$spec") at $url"

echo "== go test -run '^TestIntegration'"
cd "$root"
status=0
TELNYX_PRISM_URL="$url" go test -count=1 -run '^TestIntegration' "$@" . || status=$?

if ! kill -0 "$pid" 2>/dev/null; then
  echo "integration: Prism stopped during the tests:" >&2
  tail -n 40 "$log" >&2
  status=1
fi
if [ "$status" -ne 0 ]; then
  echo "integration: FAILED; Prism's validation errors:" >&2
  grep -E 'Violation|error' "$log" | tail -n 40 >&2 || true
fi
exit "$status"
