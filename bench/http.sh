#!/usr/bin/env bash
# Throughput and latency of a generated API on PostgreSQL, beside the peers a user would
# otherwise write (issue 7, part 2). Prints one Markdown section on stdout; progress and
# build output go to stderr and to target/bench/http/. Exits non-zero on any failure.
#
#   bench/http.sh
#
# What it does, in order:
#   1. builds apigen (release), generates the crate of bench/schema.toml into
#      target/bench/gen (its Cargo.lock pinned by bench/generated.Cargo.lock) and builds it
#      `--release --locked --features postgres`; builds the hand-written axum + sqlx baseline
#      (bench/peers/axum-sqlx, release); copies the Next.js peer (bench/peers/nextjs) to
#      target/bench/nextjs, installs it with `npm ci` and builds it with `next build`;
#      installs wrk from Debian (`apt-get install -y wrk`) if it is missing;
#   2. creates a fresh database `apigen_bench` on 127.0.0.1:5432 (user postgres, trust)
#      and runs the generated API's migrations (`<bin> migrate up`): every server uses
#      that table;
#   3. for each server in turn (never two at once), on its own loopback port: starts it,
#      checks its answers against the generated API's (bench/check-answers.mjs), logs
#      the SQL it runs for each measured request (PostgreSQL's log_statement, when the
#      server's log file is readable), then for each endpoint warms up and runs wrk for
#      BENCH_DURATION seconds at each connection count, reseeding the table first
#      (BENCH_ROWS identical rows) so that every run of every server sees the same data,
#      while the resident memory of the server's process tree is sampled from /proc;
#   4. runs the generated API once more with RUST_LOG=warn (no per-request log line), and
#      the same binary on SQLite (a file in target/bench/http, the embedded default) and on
#      MariaDB (database apigen_bench at BENCH_MYSQL_URL), reseeded with the same rows by
#      bench/seed.py: the trend on the other databases, with no peer beside them;
#   5. prints the tables, the ratios, and the exact commands and versions.
#
# Settings (environment): BENCH_DURATION (10 s per run), BENCH_WARMUP (5 s per endpoint),
# BENCH_CONNECTIONS ("8 32 128"), BENCH_LOG_CONNECTIONS (32: the log-cost runs),
# BENCH_ROWS (10000), BENCH_PG_URL (postgres://postgres@127.0.0.1:5432), BENCH_THREADS
# (wrk threads, 2), BENCH_MYSQL_URL (mysql://root@127.0.0.1:3306), BENCH_SERVERS (which
# servers to build and run, of "generated generated-quiet baseline nextjs prisma sqlite
# mariadb", all by default; the generated API is always built, as it makes the database
# and is the reference for the answers).
set -euo pipefail
started=$(date +%s)
run_id="$started-$$"
cd "$(dirname "$0")/.."
root=$PWD

duration=${BENCH_DURATION:-10}
warmup=${BENCH_WARMUP:-5}
connections=${BENCH_CONNECTIONS:-8 32 128}
log_connections=${BENCH_LOG_CONNECTIONS:-32}
rows=${BENCH_ROWS:-10000}
threads=${BENCH_THREADS:-2}
selected=" ${BENCH_SERVERS:-generated generated-quiet baseline nextjs prisma sqlite mariadb} "
wants() { [[ $selected == *" $1 "* ]]; }
pg_url=${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432}
database=apigen_bench
# Loopback, no TLS for any server (the pg driver's default; sqlx would otherwise try TLS).
db_url="$pg_url/$database?sslmode=disable"
mysql_url=${BENCH_MYSQL_URL:-mysql://root@127.0.0.1:3306}
wrk_timeout=5
list_path='/api/items?category.in=books,games&price.lt=50000&sort=-price&per_page=20'
endpoints=(get list post patch)

out=$root/target/bench/http
logs=$out/logs
gen=$root/target/bench/gen
cargo_target=$root/target/bench/target
next_dir=$root/target/bench/nextjs
prisma_dir=$root/target/bench/nextjs-prisma
results=$out/results.tsv
mkdir -p "$logs"
: >"$results"

log() { printf '[http.sh %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() {
  log "error: $*"
  exit 1
}
# Runs a command with its output in $logs/$1.log; on failure shows the end of it.
logged() {
  local name=$1
  shift
  if ! "$@" >"$logs/$name.log" 2>&1; then
    tail -n 40 "$logs/$name.log" >&2
    die "$name failed: $* (log: $logs/$name.log)"
  fi
}
psql_db() { psql "$pg_url/${1}" -v ON_ERROR_STOP=1 -qAt -c "$2"; }

server_pid=''
sampler_pid=''
cleanup() {
  local status=$?
  [[ -n $sampler_pid ]] && kill "$sampler_pid" 2>/dev/null
  [[ -n $server_pid ]] && stop_server
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- 1. tools and builds ----

for tool in cargo node npm psql curl setsid pgrep timeout; do
  command -v "$tool" >/dev/null || die "$tool is needed"
done
if ! command -v wrk >/dev/null; then
  log "installing wrk from Debian"
  if ! apt-get install -y wrk >"$logs/apt.log" 2>&1; then
    apt-get update >>"$logs/apt.log" 2>&1 || true
    apt-get install -y wrk >>"$logs/apt.log" 2>&1 || die "apt-get install -y wrk failed (log: $logs/apt.log)"
  fi
fi

log "building apigen (release)"
logged build-apigen cargo build --release --locked
apigen=$root/target/release/apigen

log "generating the bench crate into $gen"
if [[ -f $gen/apigen.toml ]] && cp bench/schema.toml "$gen/apigen.toml" &&
  "$apigen" generate "$gen" >"$logs/generate.log" 2>&1; then
  : # regenerated in place: unchanged files keep their times, so cargo rebuilds less
else
  rm -rf "$gen"
  logged generate "$apigen" new "$gen" --schema bench/schema.toml
fi
cp bench/generated.Cargo.lock "$gen/Cargo.lock"
lock_note="bench/generated.Cargo.lock"
if ! (cd "$gen" && cargo metadata --locked --format-version 1 >/dev/null 2>&1); then
  # The generator's dependencies changed since the lock was committed: let cargo add what
  # is missing (keeping every other version) and say so in the output.
  (cd "$gen" && cargo metadata --format-version 1 >/dev/null 2>"$logs/lock-refresh.log") ||
    die "cannot resolve the generated crate's dependencies (log: $logs/lock-refresh.log)"
  lock_note="bench/generated.Cargo.lock, refreshed by cargo because the generated Cargo.toml has changed since it was committed (copy $gen/Cargo.lock over it)"
  log "warning: bench/generated.Cargo.lock is out of date; cargo refreshed it"
fi
log "building the generated crate (release; about 5 minutes cold)"
# One binary for the three databases: SQLite is a default feature, MariaDB's driver is added.
gen_build_cmd="cargo build --release --locked --features postgres,mysql"
(cd "$gen" && export CARGO_TARGET_DIR=$cargo_target && logged build-generated $gen_build_cmd)
gen_bin=$cargo_target/release/benchapi

log "building the axum + sqlx baseline (release)"
(cd bench/peers/axum-sqlx && export CARGO_TARGET_DIR=$cargo_target && logged build-baseline cargo build --release --locked)
base_bin=$cargo_target/release/axum-sqlx-baseline

export NEXT_TELEMETRY_DISABLED=1
if wants nextjs; then
  log "installing and building the Next.js peer in $next_dir"
  rm -rf "$next_dir/app" "$next_dir/lib"
  mkdir -p "$next_dir"
  cp -R bench/peers/nextjs/. "$next_dir/"
  (cd "$next_dir" && logged npm-ci npm ci --no-audit --no-fund)
  (cd "$next_dir" && logged next-build ./node_modules/.bin/next build)
fi

# Prisma 7 runs offline once its client is generated (a TypeScript client, with the query
# compiler as WebAssembly and the pg driver adapter). Only `prisma generate` reaches out:
# it first downloads the schema engine from Prisma's own host (not a package registry, so
# unreachable here), although generating does not run it. PRISMA_SCHEMA_ENGINE_BINARY
# pointing at an existing file skips that download; install scripts (the same download)
# are skipped with --ignore-scripts.
if wants prisma; then
  log "installing and building the Next.js + Prisma peer in $prisma_dir"
  rm -rf "$prisma_dir/app" "$prisma_dir/lib" "$prisma_dir/prisma" "$prisma_dir/generated"
  mkdir -p "$prisma_dir"
  cp -R bench/peers/nextjs-prisma/. "$prisma_dir/"
  (cd "$prisma_dir" && logged npm-ci-prisma npm ci --ignore-scripts --no-audit --no-fund)
  (cd "$prisma_dir" && export PRISMA_SCHEMA_ENGINE_BINARY=/bin/true && logged prisma-generate ./node_modules/.bin/prisma generate)
  (cd "$prisma_dir" && logged next-build-prisma ./node_modules/.bin/next build)
fi

# ---- 2. database ----

log "creating the database $database"
psql_db postgres "DROP DATABASE IF EXISTS $database WITH (FORCE)" >/dev/null
psql_db postgres "CREATE DATABASE $database" >/dev/null
(cd "$out" && DATABASE_URL=$db_url logged migrate env -u RUST_LOG "$gen_bin" migrate up)
seed_sql="TRUNCATE items RESTART IDENTITY;
INSERT INTO items (name, category, price, stock, active, created_at, updated_at)
SELECT 'Item ' || lpad(g::text, 5, '0'), (ARRAY['books', 'games', 'tools', 'music'])[1 + g % 4],
       (g * 7919) % 100000, g % 500, g % 10 <> 0,
       TIMESTAMPTZ '2026-01-01 00:00:00+00' + g * INTERVAL '1 minute',
       TIMESTAMPTZ '2026-01-01 00:00:00+00' + g * INTERVAL '1 minute'
FROM generate_series(1, $rows) AS g;
ANALYZE items;
CHECKPOINT;"
# The database the running server uses, reseeded before every run: postgres, sqlite or
# mysql; and the process whose CPU time is the database's (none for SQLite, in-process).
seed_target=postgres
sqlite_file=$out/$database.db
sqlite_url="sqlite://$sqlite_file?mode=rwc"
mysql_db_url="$mysql_url/$database"
mysql_cli() {
  local rest=${mysql_url#mysql://} user host port
  user=${rest%%@*} host=${rest#*@}
  port=${host##*:} host=${host%%:*}
  "$(command -v mariadb || command -v mysql)" -h "$host" -P "$port" -u "$user" "$@"
}
reseed() {
  case $seed_target in
    postgres) psql_db "$database" "$seed_sql" >/dev/null ;;
    sqlite) python3 bench/seed.py sqlite "$sqlite_file" "$rows" ;;
    mysql) python3 bench/seed.py mysql "$rows" | mysql_cli "$database" ;;
  esac
}
if wants sqlite; then
  log "creating the SQLite database $sqlite_file"
  rm -f "$sqlite_file"*
  (cd "$out" && DATABASE_URL=$sqlite_url logged migrate-sqlite env -u RUST_LOG "$gen_bin" migrate up)
fi
if wants mariadb; then
  log "creating the database $database on $mysql_url"
  mysql_cli -e "DROP DATABASE IF EXISTS $database; CREATE DATABASE $database" ||
    die "cannot reach MariaDB at $mysql_url (BENCH_MYSQL_URL)"
  (cd "$out" && DATABASE_URL=$mysql_db_url logged migrate-mysql env -u RUST_LOG "$gen_bin" migrate up)
fi

# PostgreSQL's own log file (its standard error), when this user can read it.
pg_log=''
data_dir=$(psql_db postgres "SHOW data_directory")
pg_pid=$(head -n 1 "$data_dir/postmaster.pid" 2>/dev/null || true)
if [[ -n $pg_pid ]]; then
  candidate=$(readlink "/proc/$pg_pid/fd/2" 2>/dev/null || true)
  [[ -f $candidate && -r $candidate ]] && pg_log=$candidate
fi
db_pid=$pg_pid

# ---- 3. servers ----

# A process and all its descendants.
tree_pids() {
  local todo=("$1") pid
  while ((${#todo[@]})); do
    pid=${todo[-1]}
    unset 'todo[-1]'
    echo "$pid"
    for child in $(pgrep -P "$pid" 2>/dev/null); do todo+=("$child"); done
  done
}
# Resident memory (KiB) of a process tree.
tree_rss() {
  local total=0 pid key value rest
  for pid in $(tree_pids "$1"); do
    while read -r key value rest; do
      [[ $key == VmRSS: ]] && total=$((total + value))
    done 2>/dev/null <"/proc/$pid/status" || true
  done
  echo "$total"
}
# CPU time (clock ticks, user + system, every thread) of a process tree, including its
# children that have exited and been waited for (PostgreSQL's backends come and go).
tree_cpu() {
  local total=0 pid stat fields
  for pid in $(tree_pids "$1"); do
    stat=$(cat "/proc/$pid/stat" 2>/dev/null) || continue
    read -r -a fields <<<"${stat##*) }"
    total=$((total + fields[11] + fields[12] + fields[13] + fields[14]))
  done
  echo "$total"
}
ticks=$(getconf CLK_TCK)
# Appends the tree's resident memory to $2 every 0.2 s, until killed.
sample_rss() {
  while :; do
    tree_rss "$1" >>"$2"
    sleep 0.2
  done
}

declare -A port_of env_of cmd_of
# start_server NAME PORT DIR VAR=value... -- COMMAND...: a clean environment (env -i),
# a session of its own (so that stopping it stops every process it started).
start_server() {
  local name=$1 port=$2 dir=$3
  shift 3
  local vars=()
  while [[ $1 != -- ]]; do
    vars+=("$1")
    shift
  done
  shift
  port_of[$name]=$port
  env_of[$name]="${vars[*]}"
  cmd_of[$name]="$*"
  log "starting $name on 127.0.0.1:$port"
  (cd "$dir" && exec setsid env -i "${vars[@]}" "$@") >>"$logs/server-$name.log" 2>&1 &
  server_pid=$!
  local waited=0
  until curl -fs -o /dev/null "http://127.0.0.1:$port/health" 2>/dev/null; do
    kill -0 "$server_pid" 2>/dev/null || {
      tail -n 20 "$logs/server-$name.log" >&2
      server_pid=''
      die "$name exited before it answered /health"
    }
    ((waited++ < 600)) || die "$name did not answer /health within 60 s"
    sleep 0.1
  done
}
stop_server() {
  local pid=$server_pid
  server_pid=''
  kill -TERM -- "-$pid" 2>/dev/null || true
  for _ in $(seq 150); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL -- "-$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# wrk against the running server; prints its RESULT line.
wrk_run() {
  local name=$1 endpoint=$2 conns=$3 seconds=$4
  local t=$((threads < conns ? threads : conns))
  timeout $((seconds + 60)) wrk -t"$t" -c"$conns" -d"${seconds}s" --timeout "${wrk_timeout}s" \
    -s bench/wrk/bench.lua "http://127.0.0.1:${port_of[$name]}" -- "$endpoint" "$rows" \
    >"$logs/wrk-$name-$endpoint-$conns.txt" 2>&1 ||
    die "wrk failed against $name ($endpoint, $conns connections): $(tail -n 5 "$logs/wrk-$name-$endpoint-$conns.txt")"
  grep '^RESULT ' "$logs/wrk-$name-$endpoint-$conns.txt" ||
    die "no RESULT line from wrk ($logs/wrk-$name-$endpoint-$conns.txt)"
}

# One measured run: reseed, sample the memory, run wrk, record a row of $results with the
# CPU time the server's process tree and PostgreSQL's spent during it.
measure() {
  local name=$1 endpoint=$2 conns=$3
  reseed
  local rss_file=$out/rss-samples
  : >"$rss_file"
  sample_rss "$server_pid" "$rss_file" &
  sampler_pid=$!
  local cpu0 pg0 result cpu1 pg1
  cpu0=$(tree_cpu "$server_pid")
  pg0=$([[ -n $db_pid ]] && tree_cpu "$db_pid" || echo 0)
  result=$(wrk_run "$name" "$endpoint" "$conns" "$duration")
  cpu1=$(tree_cpu "$server_pid")
  pg1=$([[ -n $db_pid ]] && tree_cpu "$db_pid" || echo 0)
  kill "$sampler_pid" 2>/dev/null || true
  wait "$sampler_pid" 2>/dev/null || true
  sampler_pid=''
  local peak
  peak=$(grep -E '^[0-9]+$' "$rss_file" | sort -n | tail -n 1)
  local -A r=()
  local pair
  for pair in ${result#RESULT }; do r[${pair%%=*}]=${pair#*=}; done
  local socket=$((r[connect] + r[read] + r[write] + r[timeout]))
  # CPU microseconds per request, of the server and of PostgreSQL.
  local cpu_us=$(((cpu1 - cpu0) * 1000000 / ticks / (r[requests] > 0 ? r[requests] : 1)))
  local pg_us=$(((pg1 - pg0) * 1000000 / ticks / (r[requests] > 0 ? r[requests] : 1)))
  [[ -n $db_pid ]] || pg_us=-1
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$endpoint" "$conns" \
    "${r[requests]}" "${r[duration_us]}" "${r[p50]}" "${r[p99]}" "${r[status]}" "$socket" \
    "${peak:-0}" "$cpu_us" "$pg_us" >>"$results"
  log "  $name $endpoint c=$conns: $(awk -v n="${r[requests]}" -v d="${r[duration_us]}" 'BEGIN { printf "%.0f req/s", n / d * 1e6 }'), p99 $((r[p99] / 1000)) ms, errors ${r[status]}+$socket, CPU/request ${cpu_us} us (PostgreSQL ${pg_us} us)"
}

# Checks the answers, logs the SQL of each measured request, then runs every endpoint.
bench_server() {
  local name=$1 conn_list=$2
  reseed
  node bench/check-answers.mjs "http://127.0.0.1:${port_of[$name]}" "$list_path" >"$out/answers-$name.json" ||
    die "bench/check-answers.mjs failed against $name"
  if [[ $name != generated* ]] && ! diff -u "$out/answers-generated.json" "$out/answers-$name.json" >"$out/answers-$name.diff"; then
    cat "$out/answers-$name.diff" >&2
    die "$name does not answer as the generated API does (diff above)"
  fi
  for endpoint in "${endpoints[@]}"; do
    reseed
    log "  warming up $name $endpoint (${warmup} s)"
    wrk_run "$name" "$endpoint" 32 "$warmup" >/dev/null
    for conns in $conn_list; do measure "$name" "$endpoint" "$conns"; done
  done
}

# The statements each measured request runs on a server, from PostgreSQL's log.
sql_trace() {
  local name=$1
  [[ -n $pg_log ]] || return 0
  reseed
  local endpoint marker
  for endpoint in "${endpoints[@]}"; do
    marker="apigen-bench-trace $run_id $name $endpoint"
    psql_db "$database" "SELECT '$marker begin'" >/dev/null
    case $endpoint in
      get) curl -fsS -o /dev/null "http://127.0.0.1:${port_of[$name]}/api/items/7" ;;
      list) curl -fsS -o /dev/null "http://127.0.0.1:${port_of[$name]}$list_path" ;;
      post) curl -fsS -o /dev/null -H 'content-type: application/json' \
        -d '{"name":"bench item","category":"tools","price":1999,"stock":5}' "http://127.0.0.1:${port_of[$name]}/api/items" ;;
      patch) curl -fsS -o /dev/null -X PATCH -H 'content-type: application/json' \
        -d '{"price":5,"stock":6}' "http://127.0.0.1:${port_of[$name]}/api/items/7" ;;
    esac
    psql_db "$database" "SELECT '$marker end'" >/dev/null
  done
}

servers_run=()
run_server() {
  local name=$1 conn_list=$2
  shift 2
  wants "$name" || return 0
  if [[ $name != generated-quiet && $seed_target == postgres ]]; then
    psql_db postgres "ALTER DATABASE $database SET log_statement = 'all'" >/dev/null
    start_server "$name" "$@"
    sql_trace "$name"
    stop_server
  fi
  psql_db postgres "ALTER DATABASE $database RESET log_statement" >/dev/null
  start_server "$name" "$@"
  bench_server "$name" "$conn_list"
  stop_server
  servers_run+=("$name")
}

load_start=$(cut -d' ' -f1-3 /proc/loadavg)
base_env=("PATH=/usr/local/bin:/usr/bin:/bin" "DATABASE_URL=$db_url" "HOST=127.0.0.1")
# The generated API: its defaults, with the per-client rate limit off (wrk is one client).
gen_env=("${base_env[@]}" "PORT=3100" "RATE_LIMIT=off")
run_server generated "$connections" 3100 "$out" "${gen_env[@]}" -- "$gen_bin" serve
run_server generated-quiet "$log_connections" 3100 "$out" "${gen_env[@]}" "RUST_LOG=warn" -- "$gen_bin" serve
run_server baseline "$connections" 3101 "$out" "${base_env[@]}" "PORT=3101" "DB_MAX_CONNECTIONS=10" -- "$base_bin"
run_server nextjs "$connections" 3102 "$next_dir" "${base_env[@]}" "HOME=$next_dir" "NEXT_TELEMETRY_DISABLED=1" \
  "DB_MAX_CONNECTIONS=10" -- ./node_modules/.bin/next start -H 127.0.0.1 -p 3102
run_server prisma "$connections" 3103 "$prisma_dir" "${base_env[@]}" "HOME=$prisma_dir" "NEXT_TELEMETRY_DISABLED=1" \
  "DB_MAX_CONNECTIONS=10" -- ./node_modules/.bin/next start -H 127.0.0.1 -p 3103
# The same binary on the other databases, with the same defaults.
other_env=("PATH=/usr/local/bin:/usr/bin:/bin" "HOST=127.0.0.1" "PORT=3100" "RATE_LIMIT=off")
seed_target=sqlite db_pid=''
run_server sqlite "$connections" 3100 "$out" "${other_env[@]}" "DATABASE_URL=$sqlite_url" -- "$gen_bin" serve
seed_target=mysql db_pid=$(pgrep -o -x mariadbd || pgrep -o -x mysqld || true)
run_server mariadb "$connections" 3100 "$out" "${other_env[@]}" "DATABASE_URL=$mysql_db_url" -- "$gen_bin" serve
seed_target=postgres db_pid=$pg_pid

# ---- 5. the report ----

log "writing the report"
elapsed=$(($(date +%s) - started))
pkg_version() { grep -A1 "^name = \"$2\"$" "$1" | sed -n 's/^version = "\(.*\)"/\1/p' | head -n 1; }
export LIST_PATH=$list_path ROWS=$rows DURATION=$duration
{
  echo "## Throughput and latency"
  echo
  echo "One resource (\`bench/schema.toml\`: \`Item\` with name, category, price, stock, active"
  echo "and timestamps) on PostgreSQL, served on loopback by four servers in turn, never two at"
  echo "once, each with a pool of 10 connections to the same database: the generated API (release"
  echo "build, its defaults, \`RATE_LIMIT=off\`), the hand-written axum + sqlx baseline"
  echo "(\`bench/peers/axum-sqlx\`: the same SQL, no ORM, no middleware, no log), Next.js route"
  echo "handlers with \`pg\` (\`bench/peers/nextjs\`: the same SQL) and with Prisma"
  echo "(\`bench/peers/nextjs-prisma\`: the same requests in Prisma's SQL), both \`next build\` +"
  echo "\`next start\`. Every server's answers are checked against the generated API's before it is"
  echo "timed. Before every run the table is reseeded with the same $rows rows. Each run is wrk for"
  echo "$duration s after a $warmup s warm-up per endpoint; p50 and p99 are wrk's latencies; errors"
  echo "are answers of status 400 or more plus socket errors and timeouts (${wrk_timeout} s), as"
  echo "wrk counts them; peak RSS is the largest resident memory of the server's process tree,"
  echo "sampled from /proc every 0.2 s during the run; CPU / request is the CPU time (user and"
  echo "system, all threads) that the server's process tree, and PostgreSQL's, spent during the"
  echo "run, divided by the requests answered: the figure that noise from other work on the"
  echo "machine moves least. The load client runs on the same two"
  echo "cores as the server and PostgreSQL."
  echo
} >"$out/report.md"
awk -F'\t' -v list_path="$list_path" -v rows="$rows" '
  function rps(i) { return req[i] / dur[i] * 1e6 }
  function ratio(a, b) { return b ? sprintf("%.2f", a / b) : "-" }
  function ms(us) { return sprintf("%.2f ms", us / 1000) }
  function num(x,   s, out) { s = sprintf("%.0f", x); out = ""; while (length(s) > 3) { out = " " substr(s, length(s) - 2) out; s = substr(s, 1, length(s) - 3) } return s out }
  function label(s) { return s == "generated" ? "generated (apigen)" : s == "generated-quiet" ? "generated, RUST_LOG=warn" : s == "baseline" ? "axum + sqlx baseline" : s == "nextjs" ? "Next.js + pg" : "Next.js + Prisma" }
  function errs(i) { if (status[i] + sock[i] == 0) return "0"; return "**" status[i] " status, " sock[i] " socket**" }
  {
    key = $1 SUBSEP $2 SUBSEP $3; n++
    name[n] = $1; ep[n] = $2; c[n] = $3; req[n] = $4; dur[n] = $5; p50[n] = $6; p99[n] = $7
    status[n] = $8; sock[n] = $9; rss[n] = $10; cpu[n] = $11; pgcpu[n] = $12; at[key] = n
    if (!(($2, $3) in seen)) { seen[$2, $3] = 1; order[++m] = $2 SUBSEP $3 }
  }
  END {
    title["get"] = "GET one row by id: `GET /api/items/{id}`, a random id of the " rows " seeded"
    title["list"] = "A filtered and sorted page of 20: `GET " list_path "` (2 of 4 categories, half the prices: about " rows / 4 " matching rows; the answer counts them)"
    title["post"] = "POST a row: `POST /api/items` with `{\"name\":\"bench item\",\"category\":\"tools\",\"price\":1999,\"stock\":5}`, 201"
    title["patch"] = "PATCH a row: `PATCH /api/items/{id}` with a random id, `{\"price\":P,\"stock\":S}`"
    split("get list post patch", eps, " ")
    split("generated baseline nextjs prisma", servers, " ")
    for (e = 1; e <= 4; e++) {
      print "### " title[eps[e]]; print ""
      print "| server | connections | req/s | p50 | p99 | errors | peak RSS | server CPU / request | PostgreSQL CPU / request |"
      print "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
      for (j = 1; j <= m; j++) {
        split(order[j], k, SUBSEP); if (k[1] != eps[e]) continue
        for (s = 1; s <= 4; s++) {
          i = at[servers[s], k[1], k[2]]; if (!i) continue
          printf "| %s | %s | %s | %s | %s | %s | %.1f MiB | %s µs | %s |\n", label(name[i]), c[i], num(rps(i)), ms(p50[i]), ms(p99[i]), errs(i), rss[i] / 1024, cpu[i], pgcpu[i] < 0 ? "-" : pgcpu[i] " µs"
        }
      }
      print ""
    }
    print "### Ratios and targets"; print ""
    print "Targets of issue 7: the generated API at 0.9 or more of the baseline'"'"'s requests per second, and"
    print "at 5 or more times Next.js'"'"'s (with pg, and with Prisma) with a lower p99."
    print ""
    print "| endpoint | connections | generated / baseline req/s | generated / Next.js + pg req/s | generated / Next.js + Prisma req/s | p99 generated / Next.js + pg | p99 generated / Next.js + Prisma | targets |"
    print "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
    missed = 0
    for (j = 1; j <= m; j++) {
      split(order[j], k, SUBSEP)
      g = at["generated", k[1], k[2]]; b = at["baseline", k[1], k[2]]; x = at["nextjs", k[1], k[2]]; y = at["prisma", k[1], k[2]]
      # A peer left out by BENCH_SERVERS shows as "-" and sets no target.
      if (!g || !b) continue
      rb = rps(g) / rps(b)
      verdict = ""
      if (rb < 0.9) verdict = verdict "0.9x baseline missed; "
      if (x && rps(g) / rps(x) < 5) verdict = verdict "5x Next.js + pg missed; "
      if (y && rps(g) / rps(y) < 5) verdict = verdict "5x Next.js + Prisma missed; "
      if ((x && p99[g] >= p99[x]) || (y && p99[g] >= p99[y])) verdict = verdict "p99 not lower; "
      if (status[g] + sock[g] > 0) verdict = verdict "errors in the generated API'"'"'s run; "
      if (status[b] + sock[b] + (x ? status[x] + sock[x] : 0) + (y ? status[y] + sock[y] : 0) > 0) verdict = verdict "(errors in a peer'"'"'s run); "
      if (verdict == "" || verdict ~ /^\(errors in a peer/) verdict = "met" (verdict == "" ? "" : " " verdict)
      sub(/; $/, "", verdict)
      printf "| %s | %s | %.2f | %s | %s | %s | %s | %s |\n", k[1], k[2], rb, ratio(rps(g), x ? rps(x) : 0), ratio(rps(g), y ? rps(y) : 0), ratio(p99[g], x ? p99[x] : 0), ratio(p99[g], y ? p99[y] : 0), verdict
    }
    print ""
    print "### The per-request log line"; print ""
    print "The generated API writes one log line per request at its default level (`RUST_LOG` unset:"
    print "info, text, to standard error, here a file). The same runs with `RUST_LOG=warn`:"
    print ""
    print "| endpoint | connections | req/s, default | req/s, RUST_LOG=warn | change | p99, default | p99, RUST_LOG=warn | server CPU / request, default | server CPU / request, RUST_LOG=warn |"
    print "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    for (j = 1; j <= m; j++) {
      split(order[j], k, SUBSEP)
      g = at["generated", k[1], k[2]]; q = at["generated-quiet", k[1], k[2]]
      if (!g || !q) continue
      printf "| %s | %s | %s | %s | %+.1f%% | %s | %s | %s µs | %s µs |\n", k[1], k[2], num(rps(g)), num(rps(q)), (rps(q) / rps(g) - 1) * 100, ms(p99[g]), ms(p99[q]), cpu[g], cpu[q]
    }
    print ""
    others = 0
    for (j = 1; j <= m; j++) { split(order[j], k, SUBSEP); if (at["sqlite", k[1], k[2]] || at["mariadb", k[1], k[2]]) others = 1 }
    if (others) {
      print "### The same binary on SQLite and MariaDB"; print ""
      print "The generated API of the runs above, started with `DATABASE_URL` set to a SQLite file"
      print "(the embedded default, as the generated `src/db.rs` opens it) and to MariaDB on"
      print "loopback, each reseeded with the same rows (`bench/seed.py`). No peer: the trend against"
      print "PostgreSQL is what these rows show. Database CPU is MariaDB'"'"'s server process (SQLite runs"
      print "inside the API'"'"'s process)."
      print ""
      print "| endpoint | connections | PostgreSQL req/s | SQLite req/s | MariaDB req/s | p99 PostgreSQL | p99 SQLite | p99 MariaDB | errors SQLite / MariaDB | peak RSS SQLite / MariaDB | server CPU / request SQLite / MariaDB | MariaDB CPU / request |"
      print "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | --- | ---: |"
      for (j = 1; j <= m; j++) {
        split(order[j], k, SUBSEP)
        g = at["generated", k[1], k[2]]; l = at["sqlite", k[1], k[2]]; y = at["mariadb", k[1], k[2]]
        if (!l && !y) continue
        printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s / %s | %s / %s | %s / %s | %s |\n", k[1], k[2], g ? num(rps(g)) : "-", l ? num(rps(l)) : "-", y ? num(rps(y)) : "-", g ? ms(p99[g]) : "-", l ? ms(p99[l]) : "-", y ? ms(p99[y]) : "-", l ? errs(l) : "-", y ? errs(y) : "-", l ? sprintf("%.1f MiB", rss[l] / 1024) : "-", y ? sprintf("%.1f MiB", rss[y] / 1024) : "-", l ? cpu[l] " µs" : "-", y ? cpu[y] " µs" : "-", y && pgcpu[y] >= 0 ? pgcpu[y] " µs" : "-"
      }
      print ""
    }
  }' "$results" >>"$out/report.md"

{
  if [[ -n $pg_log ]]; then
    echo "### The SQL of each request"
    echo
    echo "What PostgreSQL ran for one request of each kind (\`log_statement = 'all'\`, read from"
    echo "$pg_log; parameters left out; BEGIN/COMMIT as the drivers send them):"
    echo
    for name in generated baseline nextjs prisma; do
      echo "<details><summary>$name</summary>"
      echo
      echo '```'
      for endpoint in "${endpoints[@]}"; do
        echo "-- $endpoint"
        awk -v b="apigen-bench-trace $run_id $name $endpoint begin" -v e="apigen-bench-trace $run_id $name $endpoint end" '
          index($0, b) { on = 1; next }
          index($0, e) { on = 0; exit }
          on && /(statement|execute [^:]*): / && !/apigen-bench-trace/ {
            sub(/.*(statement|execute [^:]*): /, ""); print }' "$pg_log"
      done
      echo '```'
      echo
      echo "</details>"
      echo
    done
  fi

  echo "### How it ran"
  echo
  echo "- Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')), $(free -g | awk '/^Mem:/ { print $2 }') GiB; load average $load_start at the start and $(cut -d' ' -f1-3 /proc/loadavg) at the end (work other than the benchmark's own on the machine shows in the figures)."
  echo "- $(psql_db postgres 'SELECT version()' | cut -d, -f1), at $pg_url (as configured: synchronous_commit $(psql_db postgres 'SHOW synchronous_commit'), shared_buffers $(psql_db postgres 'SHOW shared_buffers'), max_connections $(psql_db postgres 'SHOW max_connections')); database \`$database\`, created fresh, migrated by \`benchapi migrate up\`."
  echo "- $(rustc --version); generated crate: sea-orm $(pkg_version "$gen/Cargo.lock" sea-orm), sqlx $(pkg_version "$gen/Cargo.lock" sqlx), axum $(pkg_version "$gen/Cargo.lock" axum), tokio $(pkg_version "$gen/Cargo.lock" tokio) (lock: $lock_note); baseline: sqlx $(pkg_version bench/peers/axum-sqlx/Cargo.lock sqlx), axum $(pkg_version bench/peers/axum-sqlx/Cargo.lock axum), tokio $(pkg_version bench/peers/axum-sqlx/Cargo.lock tokio)."
  ! wants nextjs || echo "- node $(node --version), Next.js $(node -p "require('$next_dir/node_modules/next/package.json').version"), pg $(node -p "require('$next_dir/node_modules/pg/package.json').version"), React $(node -p "require('$next_dir/node_modules/react/package.json').version")."
  echo "- $(wrk -v 2>&1 | head -n 1 | sed 's/ \[.*//'), \`-t$threads\` (or one thread per connection below that), \`--timeout ${wrk_timeout}s\`, script \`bench/wrk/bench.lua\`."
  ! wants prisma || echo "- Prisma $(node -p "require('$prisma_dir/node_modules/@prisma/client/package.json').version") with @prisma/adapter-pg (\`bench/peers/nextjs-prisma\`, the same Next.js): it runs offline, but \`prisma generate\` first downloads a schema engine it does not use from Prisma's own host, which is not a package registry; \`PRISMA_SCHEMA_ENGINE_BINARY=/bin/true\` skips that, and \`npm ci --ignore-scripts\` the same download at install."
  echo
  echo "Commands (from the repository root; \`bench/http.sh\` runs them all):"
  echo
  echo '```sh'
  echo "cargo build --release --locked"
  echo "target/release/apigen new target/bench/gen --schema bench/schema.toml    # or apigen generate, when it exists"
  echo "cp bench/generated.Cargo.lock target/bench/gen/Cargo.lock"
  echo "(cd target/bench/gen && CARGO_TARGET_DIR=target/bench/target $gen_build_cmd)"
  echo "(cd bench/peers/axum-sqlx && CARGO_TARGET_DIR=target/bench/target cargo build --release --locked)"
  echo "(cd target/bench/nextjs && npm ci && NEXT_TELEMETRY_DISABLED=1 ./node_modules/.bin/next build)   # a copy of bench/peers/nextjs"
  echo "(cd target/bench/nextjs-prisma && npm ci --ignore-scripts && PRISMA_SCHEMA_ENGINE_BINARY=/bin/true ./node_modules/.bin/prisma generate && NEXT_TELEMETRY_DISABLED=1 ./node_modules/.bin/next build)   # a copy of bench/peers/nextjs-prisma"
  echo "psql $pg_url/postgres -c 'CREATE DATABASE $database'"
  echo "DATABASE_URL='$db_url' target/bench/target/release/benchapi migrate up"
  echo "# before every run: the seed below, then for each endpoint E and connection count C:"
  echo "wrk -t$threads -cC -d${duration}s --timeout ${wrk_timeout}s -s bench/wrk/bench.lua http://127.0.0.1:PORT -- E $rows"
  echo '```'
  echo
  echo "Servers, each started alone with exactly this environment (\`env -i\`):"
  echo
  echo '```sh'
  for name in "${servers_run[@]}"; do
    echo "# $name"
    echo "${env_of[$name]} ${cmd_of[$name]#"$root/"}"
  done
  echo '```'
  echo
  echo "Seed, before every run:"
  echo
  echo '```sql'
  echo "$seed_sql"
  echo '```'
  echo
  echo "This section took $((elapsed / 60)) min $((elapsed % 60)) s to produce, builds included."
  echo
} >>"$out/report.md"
cat "$out/report.md"
log "done in $(($(date +%s) - started)) s; raw results in $results"
