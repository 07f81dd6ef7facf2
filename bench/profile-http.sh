#!/usr/bin/env bash
# What one request costs a server in instructions (user space, every thread), counted by
# callgrind: a figure that other work on the machine does not move, unlike requests per
# second. Not part of bench/run: a tool to weigh a change to the generated API's hot path
# against the baseline of part 2.
#
# Usage: bench/profile-http.sh [ENDPOINT [SERVER...]]
#   ENDPOINT: get (default), list, post or patch, as in bench/wrk/bench.lua;
#   SERVER: generated (default both), baseline, or the path of a server binary built
#           like bench/http.sh builds them (a path whose name holds "baseline" is
#           started as the baseline is).
# Needs what bench/http.sh leaves behind: the release binaries in target/bench/target and
# the seeded database apigen_bench (run `bench/run http` once first). Settings:
# BENCH_PG_URL as in bench/http.sh; RUST_LOG, passed to the generated API when set.
#
# Each server runs twice under callgrind, loaded by wrk (one thread, 4 connections) for
# 3 s and for 13 s; the difference of the two instruction totals over the difference of
# the two request counts leaves out start-up and shutdown. Callgrind slows a server about
# 50 times, so the counts, not the times, are the result. memcpy is counted per byte
# moved (`rep movsb`), so large copies weigh more here than on the real CPU.
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."
root=$PWD
endpoint=${1:-get}
shift || true
servers=("$@")
((${#servers[@]})) || servers=(generated baseline)
pg_url=${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432}
url="$pg_url/apigen_bench?sslmode=disable"
work=$root/target/bench/profile-http
port=3197
mkdir -p "$work"
log() { printf '[profile-http] %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

case $endpoint in get | list | post | patch) ;; *) die "unknown endpoint $endpoint" ;; esac
command -v valgrind >/dev/null || {
  log "installing valgrind (Debian)"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq valgrind) >&2
}
command -v wrk >/dev/null || die "wrk is missing: run bench/http.sh (bench/run http) first"
rows=$(psql "$url" -qAt -c 'SELECT count(*) FROM items' 2>/dev/null) ||
  die "no seeded database apigen_bench at $pg_url: run bench/http.sh (bench/run http) first"

# One run under callgrind with `seconds` of load; prints "requests instructions".
run() {
  local bin=$1 seconds=$2 args=(serve) env=(RATE_LIMIT=off)
  [[ $(basename "$bin") == *baseline* ]] && args=()
  [[ -n ${RUST_LOG:-} ]] && env+=("RUST_LOG=$RUST_LOG")
  rm -f "$work"/callgrind.out*
  env DATABASE_URL="$url" HOST=127.0.0.1 PORT=$port DB_MAX_CONNECTIONS=10 "${env[@]}" \
    timeout 600 valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.out" \
    "$bin" "${args[@]}" 2>"$work/valgrind.log" >/dev/null &
  local pid=$! up=''
  for _ in $(seq 120); do
    curl -sf "http://127.0.0.1:$port/api/items/1" >/dev/null && { up=1; break; }
    sleep 0.5
  done
  [[ -n $up ]] || { kill "$pid" 2>/dev/null; die "$bin did not answer (log: $work/valgrind.log)"; }
  local requests
  requests=$(wrk -t1 -c4 -d"${seconds}s" --timeout 10s -s bench/wrk/bench.lua \
    "http://127.0.0.1:$port" -- "$endpoint" "$rows" | awk '/requests in/ {print $1}')
  kill -INT "$pid"
  wait "$pid" || true
  local total
  total=$(awk '/^summary:/ {sum += $2} END {print sum + 0}' "$work"/callgrind.out*)
  echo "$requests $total"
}

echo "| server | endpoint | requests (3 s, 13 s) | instructions / request |"
echo "| --- | --- | ---: | ---: |"
for server in "${servers[@]}"; do
  case $server in
    generated) bin=$root/target/bench/target/release/benchapi ;;
    baseline) bin=$root/target/bench/target/release/axum-sqlx-baseline ;;
    *) bin=$server ;;
  esac
  [[ -x $bin ]] || die "no $bin: run bench/http.sh (bench/run http) first"
  log "$server: $endpoint under callgrind, 3 s then 13 s of load"
  read -r n1 t1 < <(run "$bin" 3)
  read -r n2 t2 < <(run "$bin" 13)
  ((n2 > n1)) || die "$server: no more requests in 13 s than in 3 s ($n1, $n2)"
  echo "| $server | $endpoint | $n1, $n2 | $(((t2 - t1) / (n2 - n1))) |"
done
