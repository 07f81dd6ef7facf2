#!/usr/bin/env bash
# Where `apigen generate` spends its time: callgrind on one regeneration of a project of
# N resources (bench/make-schema.py N), with apigen built in release with debug info.
#
# Usage: bench/profile-generation.sh [N]     (default 100; N = 500 takes a few minutes)
# Prints the functions of apigen's own src/ by inclusive instruction count, then the
# heaviest functions overall by their own count. Not part of bench/run: a tool to find the
# hot spots behind the figures of part 1. Work files: target/bench/profile/.
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."
root="$PWD"
if [[ -z "${BENCH_PROFILE_BOUNDED:-}" ]]; then
  export BENCH_PROFILE_BOUNDED=1
  exec timeout --kill-after=30 "${PROFILE_TIMEOUT:-3600}" "$0" "$@"
fi
n="${1:-100}"
work="$root/target/bench/profile"
log() { printf '[profile] %s\n' "$*" >&2; }
command -v valgrind >/dev/null || {
  log "installing valgrind (Debian)"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq valgrind) >&2
}

log "building apigen (release, with debug info) into $work/target"
CARGO_TARGET_DIR="$work/target" CARGO_PROFILE_RELEASE_DEBUG=true cargo build --release --locked --quiet
bin="$work/target/release/apigen"
rm -rf "$work/project" "$work"/callgrind.*
python3 bench/make-schema.py "$n" >"$work/schema.toml"
"$bin" new "$work/project" --schema "$work/schema.toml" >/dev/null 2>&1
"$bin" generate "$work/project" >/dev/null 2>&1
log "callgrind: apigen generate on $n resources"
valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.out" \
  "$bin" generate "$work/project" 2>"$work/valgrind.log" >/dev/null
grep 'refs:' "$work/valgrind.log" >&2
echo "Inclusive instructions, functions of src/ (callgrind_annotate --inclusive=yes):"
callgrind_annotate --auto=no --inclusive=yes "$work/callgrind.out" 2>/dev/null | grep -E '^ *[0-9,]+ \(' |
  grep "$root/src/" | sed "s|$root/||; s| \[.*\]$||" | head -n 40
echo
echo "Own instructions, every function:"
callgrind_annotate --auto=no "$work/callgrind.out" 2>/dev/null |
  grep -E '^ *[0-9,]+ \(' | grep -v 'PROGRAM TOTALS' | sed "s|$root/||; s| \[.*\]$||" | head -n 25
echo
echo "Full data: callgrind_annotate --tree=caller --inclusive=yes $work/callgrind.out"
