#!/usr/bin/env bash
# Runs every fuzz target of the module, one after another, for FUZZTIME each
# (default 5s; any -fuzztime value, such as 30s or 10000x). Targets are found
# with `go test -list`, so a new Fuzz function is picked up without editing
# this script. Exits non-zero when any target fails; the input that failed is
# then under the package's testdata/fuzz/<Target>/, for `go test -run` to
# replay (commit it only as a minimized regression seed once the bug is
# fixed).
#
# Fuzzing runs on Go 1.27.3 (fetched through the module proxy on first use;
# FUZZ_GOTOOLCHAIN overrides it). Go 1.26's fuzz coordinator can report a
# bare "context deadline exceeded" failure, with no failing input, when a
# duration -fuzztime ends while a worker is mid-call (go.dev/issue/75804,
# fixed in Go 1.27.0). It failed CI once on FuzzPortoutEvent that way.
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime=${FUZZTIME:-5s}
export GOTOOLCHAIN=${FUZZ_GOTOOLCHAIN:-go1.27.3}

# "import/path FuzzName" per line. go test -list prints the names of a
# package, then an "ok" line naming it; it fails when a package does not
# build, and so does this script.
listing=$(go test -list '^Fuzz' ./...)
targets=$(awk '/^Fuzz/ { names[n++] = $1; next }
  /^ok/ { for (i = 0; i < n; i++) print $2, names[i]; n = 0 }' <<<"$listing")
if [ -z "$targets" ]; then
  echo "fuzz.sh: no fuzz targets found" >&2
  exit 1
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
failed=()
summary=()
while read -r pkg name; do
  echo "== $name ($pkg, $fuzztime)"
  if go test -run '^$' -fuzz "^${name}\$" -fuzztime "$fuzztime" "$pkg" >"$log" 2>&1; then
    status=ok
  else
    status=FAIL
    failed+=("$pkg $name")
    cat "$log"
  fi
  execs=$(grep -o 'execs: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2 || true)
  summary+=("$(printf '%-4s %-22s %12s  %s' "$status" "$name" "${execs:-?}" "$pkg")")
done <<<"$targets"

echo
printf '%-4s %-22s %12s  %s\n' "" target execs package
printf '%s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
  echo
  echo "fuzz.sh: ${#failed[@]} target(s) failed:" >&2
  printf '  %s\n' "${failed[@]}" >&2
  exit 1
fi
