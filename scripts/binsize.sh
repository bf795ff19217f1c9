#!/usr/bin/env bash
# Compares a minimal program calling Portouts.Get with the same program
# written on net/http alone: binary size, and the time of a cold build
# (empty build cache) of each.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

cold_build() { # name
  local cache="$out/cache-$1" start end
  mkdir -p "$cache"
  start=$(date +%s.%N)
  GOCACHE="$cache" go build -trimpath -o "$out/$1" "./benchmarks/cmd/$1"
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN { print b - a }' 
}

raw_time=$(cold_build rawget)
sdk_time=$(cold_build sdkget)
raw_size=$(stat -c %s "$out/rawget")
sdk_size=$(stat -c %s "$out/sdkget")

printf '%-8s %12s %10s\n' program bytes build_s
printf '%-8s %12d %10.1f\n' rawget "$raw_size" "$raw_time"
printf '%-8s %12d %10.1f\n' sdkget "$sdk_size" "$sdk_time"
awk -v rs="$raw_size" -v ss="$sdk_size" -v rt="$raw_time" -v st="$sdk_time" \
  'BEGIN { printf "size ratio %.3f, cold build ratio %.3f\n", ss / rs, st / rt }' 
