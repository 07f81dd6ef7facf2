#!/usr/bin/env python3
"""The slow compilation units of `cargo build --timings` reports.

    bench/timings.py --over SECONDS DEBUG.html RELEASE.html

Reads the unit table that cargo embeds in each report (`const UNIT_DATA = [...]`) and prints,
one line each, tab-separated, every crate target with a unit that took more than SECONDS in
either report: name, version, target (lib, build script, build script (run), proc-macro ...),
its durations in the first report, its durations in the second ("-" when absent). A crate
built twice in one build (for the host and for the target, with other features) shows both
durations. Sorted by the longest duration, longest first.
"""

import argparse
import json
import re
import sys


def units(path):
    text = open(path, encoding="utf-8").read()
    match = re.search(r"const UNIT_DATA = (\[.*?\]);\s*\n", text, re.S)
    if not match:
        sys.exit(f"timings.py: no UNIT_DATA in {path} (has cargo's report format changed?)")
    out = {}
    for unit in json.loads(match.group(1)):
        target = unit.get("target", "").strip() or "lib"
        if target == "build-script":
            target = "build script (compile)"
        elif target.startswith("build-script"):
            target = target.replace("build-script", "build script")
        elif target.endswith('"bin"') or target.startswith("bin"):
            target = "bin"
        key = (unit["name"], unit["version"], target)
        out.setdefault(key, []).append(float(unit["duration"]))
    return out


def show(durations):
    if not durations:
        return "-"
    return " + ".join(f"{d:.1f} s" for d in sorted(durations, reverse=True))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--over", type=float, default=10.0)
    parser.add_argument("reports", nargs="+")
    args = parser.parse_args()
    reports = [units(path) for path in args.reports]
    keys = {key for report in reports for key in report}
    slow = [
        key for key in keys
        if any(d > args.over for report in reports for d in report.get(key, []))
    ]
    slow.sort(key=lambda key: -max(d for report in reports for d in report.get(key, [0.0])))
    for name, version, target in slow:
        cells = [show(report.get((name, version, target), [])) for report in reports]
        print("\t".join([name, version, target, *cells]))


if __name__ == "__main__":
    main()
