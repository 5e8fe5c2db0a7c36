#!/usr/bin/env bash
# Configures and builds slimnlp into build/ (or $SLIMNLP_BUILD_DIR). Extra arguments go to cmake's configure
# step, e.g. tools/build.sh -DSLIMNLP_SANITIZE=address,undefined. Quiet unless something fails.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${SLIMNLP_BUILD_DIR:-$root/build}
mkdir -p "$build"
log="$build/build.log"
if ! cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=${CMAKE_BUILD_TYPE:-Release} "$@" > "$log" 2>&1; then
  cat "$log" >&2
  echo "build: cmake configure failed (log above, also in $log)" >&2
  exit 1
fi
# SLIMNLP_BUILD_TARGET: build that target only (tools/run.sh builds the command-line tool, not the tests).
target=()
[ -n "${SLIMNLP_BUILD_TARGET:-}" ] && target=(--target "$SLIMNLP_BUILD_TARGET")
if ! cmake --build "$build" -j "$(nproc)" "${target[@]}" >> "$log" 2>&1; then
  grep -E "error|Error" "$log" | head -50 >&2 || true
  echo "build: compilation failed; full log in $log" >&2
  exit 1
fi
