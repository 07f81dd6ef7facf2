#!/usr/bin/env bash
# Times `apigen generate` (release build) on each fixture: the mean wall time of RUNS
# regenerations of an existing project, and the peak resident memory of one run.
# Usage: bench/generate.sh [RUNS]   (default 50). Prints a Markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-50}"
cargo build --release --locked --quiet
bin="$PWD/target/release/apigen"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "| fixture | resources | files | mean wall time | peak RSS |"
echo "| --- | ---: | ---: | ---: | ---: |"
for fixture in fixtures/*.toml; do
  name="$(basename "$fixture" .toml)"
  "$bin" new "$work/$name" --schema "$fixture" 2>/dev/null
  files="$(grep -vc '^#' "$work/$name/.apigen/manifest")"
  start="$(date +%s%N)"
  for _ in $(seq "$runs"); do
    "$bin" generate "$work/$name" 2>/dev/null
  done
  end="$(date +%s%N)"
  mean_us=$(( (end - start) / runs / 1000 ))
  rss_kb="$(/usr/bin/time -f '%M' "$bin" generate "$work/$name" 2>&1 >/dev/null | tail -n 1)"
  printf '| %s | %s | %s | %d.%03d ms | %s KiB |\n' "$name" \
    "$(grep -o '^\[resources\.[A-Za-z0-9]*' "$fixture" | sort -u | wc -l | tr -d ' ')" \
    "$files" $((mean_us / 1000)) $((mean_us % 1000)) "$rss_kb"
done
