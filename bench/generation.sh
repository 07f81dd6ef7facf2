#!/usr/bin/env bash
# Part 1 of the benchmarks: the cost of `apigen new` and `apigen generate` as the schema grows.
#
# For each size N (1, 10, 100 and 500 resources by default), bench/make-schema.py writes a
# realistic schema of N resources, `apigen validate` checks it, `apigen new` creates the
# project (timed once: the first generation, every file written), then `apigen generate`
# regenerates the unchanged project RUNS times (the common case: parse, check, plan, render
# every file, compare with the disk, write nothing). Peak resident memory comes from one more
# run under /usr/bin/time -f %M. The three fixtures are measured the same way.
#
# Usage: bench/generation.sh          (environment: GEN_RUNS=10, GEN_SIZES="1 10 100 500",
#                                      APIGEN=path/to/apigen, GEN_TIMEOUT=1800 seconds)
# Prints one Markdown section on stdout, progress on stderr; exits non-zero on a failure.
# Work files: target/bench/generation/ (emptied at the start).
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."
root="$PWD"

# Every run is bounded in time: the script re-runs itself under `timeout`.
if [[ -z "${BENCH_GENERATION_BOUNDED:-}" ]]; then
  export BENCH_GENERATION_BOUNDED=1
  exec timeout --kill-after=30 "${GEN_TIMEOUT:-1800}" "$0" "$@"
fi

runs="${GEN_RUNS:-10}"
sizes="${GEN_SIZES:-1 10 100 500}"
bin="${APIGEN:-$root/target/release/apigen}"
work="$root/target/bench/generation"
log() { printf '[generation] %s\n' "$*" >&2; }

if [[ ! -x "$bin" ]]; then
  log "building apigen (release)"
  cargo build --release --locked --quiet
fi
if [[ ! -x /usr/bin/time ]]; then
  log "installing GNU time (Debian package time) for the peak memory"
  if [[ "$(id -u)" -eq 0 ]]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time) >&2
  else
    sudo sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time' >&2
  fi
fi
command -v python3 >/dev/null || { log "python3 is needed for bench/make-schema.py"; exit 1; }

rm -rf "$work"
mkdir -p "$work"

# Times are ${EPOCHREALTIME/./}: microseconds since the epoch, read without starting a process.
# Milliseconds with 1 decimal (ms < 10: 2 decimals) from microseconds.
ms() { awk -v us="$1" 'BEGIN { v = us / 1000; printf (v < 10 ? "%.2f ms" : "%.1f ms"), v }'; }
# Human size of a byte count.
size() { awk -v b="$1" 'BEGIN { if (b >= 1048576) printf "%.1f MiB", b / 1048576; else printf "%.0f KiB", b / 1024 }'; }

# cpu_snap: CPU time (user + system, microseconds) used so far by this shell's finished
# children. `times` must run in this shell (a subshell has no children yet), so no $(...).
snap_cpu() {
  times >"$work/.times"
  cpu_snap="$(awk 'NR == 2 { t = 0; for (i = 1; i <= 2; i++) { split($i, p, /[ms]/); t += p[1] * 60 + p[2] } printf "%d\n", t * 1000000 }' "$work/.times")"
}

# measure NAME SCHEMA: fills the globals below for one project.
measure() {
  local name="$1" schema="$2" dir="$work/$1"
  "$bin" validate "$schema" >/dev/null 2>"$work/$name.validate.log" || {
    log "$name: apigen validate rejected the schema:"; cat "$work/$name.validate.log" >&2; return 1; }
  local t0 t1
  t0="${EPOCHREALTIME/./}"
  /usr/bin/time -f '%M' -o "$work/$name.new.rss" "$bin" new "$dir" --schema "$schema" \
    >/dev/null 2>"$work/$name.new.log" || {
    log "$name: apigen new failed:"; cat "$work/$name.new.log" >&2; return 1; }
  t1="${EPOCHREALTIME/./}"
  new_us=$((t1 - t0))
  new_rss="$(tail -n 1 "$work/$name.new.rss")"
  files="$(grep -vc '^#' "$dir/.apigen/manifest")"
  bytes="$(du -sb --exclude=.apigen "$dir" | cut -f1)"
  # One untimed regeneration (warms the page cache), then `apigen check`: the project is
  # exactly what its schema generates, so the timed runs below write nothing.
  "$bin" generate "$dir" >/dev/null 2>&1
  "$bin" check "$dir" >/dev/null 2>"$work/$name.check.log" || {
    log "$name: the project is not stable under regeneration:"; cat "$work/$name.check.log" >&2; return 1; }
  local samples=() i cpu0 cpu1
  snap_cpu
  cpu0="$cpu_snap"
  for ((i = 0; i < runs; i++)); do
    t0="${EPOCHREALTIME/./}"
    "$bin" generate "$dir" >/dev/null 2>&1
    t1="${EPOCHREALTIME/./}"
    samples+=($((t1 - t0)))
  done
  snap_cpu
  cpu1="$cpu_snap"
  cpu_us=$(((cpu1 - cpu0) / runs))
  read -r mean_us min_us < <(printf '%s\n' "${samples[@]}" |
    awk '{ s += $1; if (NR == 1 || $1 < m) m = $1 } END { printf "%d %d\n", s / NR, m }')
  gen_rss="$(/usr/bin/time -f '%M' "$bin" generate "$dir" 2>&1 >/dev/null | tail -n 1)"
}

log "apigen: $bin ($("$bin" --version)); $runs timed regenerations per project"
rows=()
prev_n=""
prev_mean=""
mean100=""
for n in $sizes; do
  log "$n resources: schema, new, $runs regenerations"
  python3 bench/make-schema.py "$n" >"$work/schema-$n.toml"
  measure "n$n" "$work/schema-$n.toml"
  lines="$(wc -l <"$work/schema-$n.toml")"
  per="$(awk -v us="$mean_us" -v n="$n" 'BEGIN { printf "%.2f ms", us / n / 1000 }')"
  growth="-"
  if [[ -n "$prev_n" ]]; then
    growth="$(awk -v t="$mean_us" -v pt="$prev_mean" -v n="$n" -v pn="$prev_n" \
      'BEGIN { printf "x%.1f for x%g (N^%.2f)", t / pt, n / pn, log(t / pt) / log(n / pn) }')"
  fi
  [[ "$n" == 100 ]] && mean100="$mean_us"
  rows+=("| $n | $lines | $files | $(size "$bytes") | $(ms "$new_us") | $(ms "$mean_us") | $(ms "$min_us") | $(ms "$cpu_us") | $per | $growth | $((new_rss / 1024)) MiB | $((gen_rss / 1024)) MiB |")
  prev_n="$n"
  prev_mean="$mean_us"
  log "  new $(ms "$new_us"), regenerate mean $(ms "$mean_us") min $(ms "$min_us"), peak RSS $gen_rss KiB"
done

fixture_rows=()
for fixture in fixtures/*.toml; do
  name="$(basename "$fixture" .toml)"
  log "fixture $name"
  measure "fixture-$name" "$fixture"
  resources="$(grep -o '^\[resources\.[A-Za-z0-9]*' "$fixture" | grep -vx '\[resources\.User' | sort -u | wc -l | tr -d ' ')"
  fixture_rows+=("| $name | $resources | $files | $(ms "$new_us") | $(ms "$mean_us") | $(ms "$min_us") | $(ms "$cpu_us") | $((gen_rss / 1024)) MiB |")
done

# The section.
cat <<EOF
## 1. Generation: \`apigen new\` and \`apigen generate\`

Command: \`bench/generation.sh\` (GEN_RUNS=$runs). For each size, \`bench/make-schema.py N\`
writes a realistic schema of N resources (every field type and rule, belongs_to chains,
many_to_many, \`[auth]\` with three roles and per-resource access; N excludes the built-in
User), and \`apigen validate\` accepts it. **new**: one \`apigen new\`, every file written.
**regenerate**: \`apigen generate\` on the unchanged project (parse, check, plan, render every
file, compare with the disk, write nothing), $runs runs: mean and min wall time per run, and
**CPU**, the user + system time per run (less sensitive to other load on the machine).
**per resource**: the mean over N. **growth**: the mean against the row before; N^1.00 is
linear. Peak RSS: \`/usr/bin/time -f %M\`. Files: those apigen generates; size: the project
on disk.

| resources | schema lines | files | size | new | regenerate mean | min | CPU | per resource | growth | peak RSS new | peak RSS regenerate |
| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |
EOF
printf '%s\n' "${rows[@]}"
echo
if [[ -n "$mean100" ]]; then
  if ((mean100 < 100000)); then verdict="met"; else verdict="**missed**"; fi
  echo "Target: 100 resources regenerated in under 100 ms, growing linearly: $verdict"
  echo "(mean $(ms "$mean100") at 100 resources)."
  echo
fi
cat <<EOF
The fixtures, measured the same way (resources without the built-in User):

| fixture | resources | files | new | regenerate mean | min | CPU | peak RSS |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
EOF
printf '%s\n' "${fixture_rows[@]}"
