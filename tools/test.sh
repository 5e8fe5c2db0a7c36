#!/usr/bin/env bash
# Installs dependencies, builds, and runs every test (ctest). Tests that use ../shared/data fail with a clear
# message when it is missing.
#   tools/test.sh              the normal (Release) build in build/
#   tools/test.sh --sanitize   also AddressSanitizer + UndefinedBehaviorSanitizer (build-asan/, whole suite)
#                              and ThreadSanitizer (build-tsan/, the tests tagged [threads])
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
sanitize=0
for arg in "$@"; do
  case "$arg" in
    --sanitize) sanitize=1 ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    *) echo "test.sh: unknown argument '$arg' (see --help)" >&2; exit 2 ;;
  esac
done
"$root/tools/setup.sh"

"$root/tools/build.sh"
(cd "${SLIMNLP_BUILD_DIR:-$root/build}" && ctest --output-on-failure -j "$(nproc)" --timeout 900)

if [ "$sanitize" = 1 ]; then
  # halt_on_error + abort: any finding fails its test. detect_leaks is on by default with ASan on Linux.
  export ASAN_OPTIONS=halt_on_error=1:abort_on_error=1:detect_stack_use_after_return=1
  export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
  export TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1
  echo "== AddressSanitizer + UndefinedBehaviorSanitizer: whole suite"
  SLIMNLP_BUILD_DIR="$root/build-asan" CMAKE_BUILD_TYPE=RelWithDebInfo \
    "$root/tools/build.sh" -DSLIMNLP_SANITIZE=address,undefined -DSLIMNLP_BUILD_BENCH=OFF
  (cd "$root/build-asan" && ctest --output-on-failure -j "$(nproc)" --timeout 1800)
  echo "== ThreadSanitizer: concurrency tests"
  SLIMNLP_BUILD_DIR="$root/build-tsan" CMAKE_BUILD_TYPE=RelWithDebInfo \
    "$root/tools/build.sh" -DSLIMNLP_SANITIZE=thread -DSLIMNLP_BUILD_BENCH=OFF
  "$root/build-tsan/slimnlp_tests" "[threads]"
fi
