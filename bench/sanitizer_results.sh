#!/usr/bin/env bash
# The sanitizers' section of bench/RESULTS.md: runs `tools/test.sh --sanitize` (the normal suite, the whole
# suite under AddressSanitizer + UndefinedBehaviorSanitizer, the [threads] tests under ThreadSanitizer) and
# records what each run reported. With a LOG argument it reads the output of a run already made instead.
#   bash bench/sanitizer_results.sh            (about 30 minutes on 2 cores)
#   bash bench/sanitizer_results.sh LOG        (LOG: what `tools/test.sh --sanitize` printed)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
log=${1:-}
if [ -z "$log" ]; then
  log=$(mktemp)
  "$root/tools/test.sh" --sanitize > "$log" 2>&1 || { tail -50 "$log" >&2; echo "sanitizer_results: the run failed" >&2; }
fi
section=$(mktemp)
python3 - "$log" "$(nproc)" "$(date -u +%Y-%m-%d)" "$(git -C "$root" rev-parse --short HEAD)" > "$section" <<'PY'
import re, sys
log, cores, day, commit = sys.argv[1:5]
text = open(log, encoding="utf-8", errors="replace").read()
parts = re.split(r"^== ", text, flags=re.M)
names = ["normal build (Release)", "AddressSanitizer + UndefinedBehaviorSanitizer, whole suite",
         "ThreadSanitizer, [threads] tests"]
findings = len(re.findall(r"ERROR: (AddressSanitizer|LeakSanitizer|ThreadSanitizer)|WARNING: ThreadSanitizer|"
                          r"runtime error:", text))
p = print
p("<!-- sanitizers:begin -->")
p("## Sanitizers")
p()
p(f"Command: `tools/test.sh --sanitize` ({day}, commit {commit}, {cores} cores; the same as `.ci/run` before its")
p("short fuzz runs). Findings fail their test: ASAN_OPTIONS=halt_on_error=1:abort_on_error=1, UBSAN_OPTIONS=")
p("halt_on_error=1, TSAN_OPTIONS=halt_on_error=1; leak detection is on with ASan. The installed-package test is")
p("skipped in the sanitizer build (it builds the examples against an installed copy).")
p()
p("| run | result |")
p("| --- | --- |")
for name, part in zip(names, parts):
    m = re.search(r"(\d+)% tests passed, (\d+) tests failed out of (\d+)", part)
    c = re.search(r"All tests passed \((\d+) assertions in (\d+) test cases\)", part)
    skipped = len(re.findall(r"\(Skipped\)", part))
    if m:
        ran = int(m.group(3)) - skipped
        p(f"| {name} | {ran - int(m.group(2))} of {ran} tests passed" + (f" ({skipped} skipped)" if skipped else "") + " |")
    elif c:
        p(f"| {name} | {c.group(2)} test cases, {c.group(1)} assertions passed |")
    else:
        fail = re.search(r"test cases:.*", part)
        p(f"| {name} | {fail.group(0) if fail else 'did not finish (see the log)'} |")
p()
p(f"Sanitizer reports in the whole log: {findings}.")
p("<!-- sanitizers:end -->")
PY
python3 "$root/bench/update_results.py" "$root/bench/RESULTS.md" "$section" sanitizers
cat "$section"
