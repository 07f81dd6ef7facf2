#!/usr/bin/env bash
# Part 3 of the benchmarks: what a generated crate costs to build, for the default schema
# features (the starter schema of `apigen new DIR --yes`: SQLite, default cargo features).
#
#   1. `apigen new todo --yes`, then `cargo fetch` (downloads, untimed; writes Cargo.lock);
#   2. cold debug build: `cargo build --timings` into a fresh CARGO_TARGET_DIR;
#   3. no-op rebuild: `cargo build` again, nothing changed;
#   4. incremental rebuild: `apigen add field Task priority:int?` (schema, code and a new
#      migration), then `cargo build`;
#   5. release build: `cargo build --release --timings`; binary size as built and stripped;
#   6. the packages in Cargo.lock, the units compiled, and every compilation unit that took
#      more than BUILD_HEAVY seconds (default 10) in either timings report, with what pulls it
#      in (`cargo tree -i`) and the note about it in bench/dependency-notes.tsv;
#   7. the peer, in the same run: a fresh Loco app (`loco new --db sqlite --bg async
#      --assets none`, the CLI installed by scripts/loco), fetched, then its cold debug
#      build into a fresh target of its own; BUILD_LOCO=0 skips it.
#
# Usage: bench/build.sh     (environment: APIGEN=path/to/apigen, BUILD_HEAVY=10,
#                            BUILD_TIMEOUT=5400 seconds, BUILD_LOCO=1)
# Prints one Markdown section on stdout, progress on stderr; exits non-zero on a failure.
# Work files: target/bench/build/ (emptied at the start; the timings reports stay there).
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."
root="$PWD"

# Every run is bounded in time: the script re-runs itself under `timeout`.
if [[ -z "${BENCH_BUILD_BOUNDED:-}" ]]; then
  export BENCH_BUILD_BOUNDED=1
  exec timeout --kill-after=30 "${BUILD_TIMEOUT:-5400}" "$0" "$@"
fi

bin="${APIGEN:-$root/target/release/apigen}"
heavy="${BUILD_HEAVY:-10}"
work="$root/target/bench/build"
app="$work/todo"
log() { printf '[build] %s\n' "$*" >&2; }

if [[ ! -x "$bin" ]]; then
  log "building apigen (release)"
  cargo build --release --locked --quiet
fi
command -v python3 >/dev/null || { log "python3 is needed to read the cargo timings"; exit 1; }

rm -rf "$work"
mkdir -p "$work"
export CARGO_TARGET_DIR="$work/target"
# The generated crate's own settings only: no flags or wrappers from the environment.
unset RUSTFLAGS CARGO_BUILD_RUSTFLAGS RUSTC_WRAPPER CARGO_BUILD_RUSTC_WRAPPER CARGO_INCREMENTAL

secs() { awk -v us="$1" 'BEGIN { printf "%.1f s", us / 1000000 }'; }
mib() { awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }

# timed NAME CMD...: runs CMD with its output in $work/NAME.log, sets $took (microseconds).
timed() {
  local name="$1" t0 t1
  shift
  t0="${EPOCHREALTIME/./}"
  "$@" >"$work/$name.log" 2>&1 || {
    log "$name failed: $*"; tail -n 40 "$work/$name.log" >&2; return 1; }
  t1="${EPOCHREALTIME/./}"
  took=$((t1 - t0))
}
compiled() { grep -c '^ *Compiling ' "$work/$1.log" || true; }

log "apigen new todo --yes (the starter schema)"
"$bin" new "$app" --yes >"$work/new.log" 2>&1 || { cat "$work/new.log" >&2; exit 1; }
cd "$app"
features="$(sed -n 's/^default = \[\(.*\)\]/\1/p' Cargo.toml | tr -d '"' | head -n 1)"

log "cargo fetch (downloads; not timed)"
cargo fetch >"$work/fetch.log" 2>&1 || { tail -n 40 "$work/fetch.log" >&2; exit 1; }
packages="$(grep -c '^\[\[package\]\]' Cargo.lock)"

log "cold debug build (cargo build --timings)"
timed cold cargo build --timings
cold_us="$took"
cold_units="$(compiled cold)"
cp "$CARGO_TARGET_DIR"/cargo-timings/cargo-timing.html "$work/timings-debug.html"
log "  $(secs "$cold_us"), $cold_units crates compiled"

log "no-op rebuild (cargo build)"
timed noop cargo build
noop_us="$took"

log "apigen add field Task priority:int?, then cargo build"
"$bin" add field Task 'priority:int?' --dir "$app" -v >"$work/add-field.log" 2>&1 ||
  { cat "$work/add-field.log" >&2; exit 1; }
changed="$(grep -cE '^(write|create) ' "$work/add-field.log" || true)"
timed incremental cargo build
incr_us="$took"
incr_units="$(compiled incremental)"
log "  $(secs "$incr_us")"

log "release build (cargo build --release --timings)"
timed release cargo build --release --timings
release_us="$took"
cp "$CARGO_TARGET_DIR"/cargo-timings/cargo-timing.html "$work/timings-release.html"
binary="$CARGO_TARGET_DIR/release/todo"
size="$(stat -c %s "$binary")"
strip --strip-all -o "$work/todo.stripped" "$binary"
stripped="$(stat -c %s "$work/todo.stripped")"
profile="$(awk '/^\[profile\.release\]/ { p = 1; next } /^\[/ { p = 0 } p && NF' Cargo.toml | paste -sd ' ' -)"
[[ -n "$profile" ]] || profile="none, so cargo's defaults (no strip, no LTO)"
log "  $(secs "$release_us"), binary $(mib "$size") ($(mib "$stripped") stripped)"

# The peer: a fresh Loco app on SQLite without assets, built cold the same way.
loco_rows=()
if [[ "${BUILD_LOCO:-1}" != 0 ]]; then
  log "loco new (scripts/loco), cargo fetch, cold debug build"
  "$root/scripts/loco" new -n locoapp --db sqlite --bg async --assets none -p "$work" -a \
    >"$work/loco-new.log" 2>&1 || { cat "$work/loco-new.log" >&2; exit 1; }
  loco_version="$("$root/scripts/loco" --version | awk '{ print $2 }')"
  (
    cd "$work/locoapp"
    export CARGO_TARGET_DIR="$work/loco-target"
    cargo fetch >"$work/loco-fetch.log" 2>&1 || { tail -n 40 "$work/loco-fetch.log" >&2; exit 1; }
    timed loco-cold cargo build
    echo "$took" >"$work/loco-cold.us"
  )
  loco_us="$(cat "$work/loco-cold.us")"
  loco_packages="$(grep -c '^\[\[package\]\]' "$work/locoapp/Cargo.lock")"
  loco_units="$(compiled loco-cold)"
  ratio="$(awk -v a="$cold_us" -v b="$loco_us" 'BEGIN { printf "%.2f", a / b }')"
  log "  loco: $(secs "$loco_us"), $loco_units crates compiled; generated / loco $ratio"
  loco_rows+=(
    "| a fresh Loco $loco_version app (\`loco new --db sqlite --bg async --assets none\`): packages in Cargo.lock | $loco_packages |"
    "| the Loco app: crates compiled by the cold debug build | $loco_units |"
    "| the Loco app: cold debug build (\`cargo build\`), same run | $(secs "$loco_us") |"
    "| **cold debug build, generated / Loco** | **$ratio** |"
  )
fi

loco_table=""
if ((${#loco_rows[@]})); then
  loco_table="$(printf '%s\n' "${loco_rows[@]}")"
fi

# Units over the threshold, in either report: name, version, target, debug s, release s.
python3 "$root/bench/timings.py" --over "$heavy" "$work/timings-debug.html" "$work/timings-release.html" \
  >"$work/heavy.tsv"

heavy_rows=()
while IFS=$'\t' read -r name version target debug_s release_s; do
  [[ -n "$name" ]] || continue
  # Who depends on it directly, and the full feature tree (kept in $work for reading).
  cargo tree --offline -i "$name@$version" -e features >"$work/tree-$name.txt" 2>&1 || true
  parents="$(cargo tree --offline -i "$name@$version" -e normal,build --depth 1 --prefix none 2>/dev/null |
    awk -v n="$name" 'NF && $1 != n { print $1 }' | sort -u | paste -sd, - | sed 's/,/, /g')"
  [[ -n "$parents" ]] || parents="(the crate itself)"
  note="$(awk -F '\t' -v n="$name" '$1 == n { print $2; exit }' "$root/bench/dependency-notes.tsv" 2>/dev/null)"
  [[ -n "$note" ]] || note="no note yet: see target/bench/build/tree-$name.txt"
  heavy_rows+=("| $name $version | $target | $debug_s | $release_s | $parents | $note |")
done <"$work/heavy.tsv"

cat <<EOF
## 3. Build cost of a generated crate

Command: \`bench/build.sh\`. The crate is the one \`apigen new todo --yes\` writes (the starter
schema: one resource, SQLite), built with its default features (\`$features\`) into a fresh
\`CARGO_TARGET_DIR\` (target/bench/build/target), after \`cargo fetch\` (downloads are not
timed). Wall times of one run each; they depend on the load of the machine.

| measure | value |
| --- | ---: |
| packages in Cargo.lock (every feature's, as resolved today) | $packages |
| crates compiled by the cold debug build | $cold_units |
| cold debug build (\`cargo build\`) | $(secs "$cold_us") |
| no-op rebuild (\`cargo build\`, nothing changed) | $(secs "$noop_us") |
| incremental rebuild after \`apigen add field Task priority:int?\` ($changed files written, $incr_units crate rebuilt) | $(secs "$incr_us") |
| release build (\`cargo build --release\`, cold) | $(secs "$release_us") |
| release binary, as built | $(mib "$size") |
| release binary, stripped (\`strip --strip-all\`) | $(mib "$stripped") |
$loco_table

Release profile of the generated Cargo.toml: $profile.

Compilation units that took more than $heavy s in \`cargo build --timings\` (debug or release;
durations from cargo's reports in target/bench/build/timings-*.html; with 2 cores, units
overlap and share the CPU). "Pulled in by": direct dependents (\`cargo tree -i\`).

| unit | target | debug | release | pulled in by | can it go? |
| --- | --- | ---: | ---: | --- | --- |
EOF
if ((${#heavy_rows[@]})); then
  printf '%s\n' "${heavy_rows[@]}"
else
  echo "| (none over $heavy s) | | | | | |"
fi
