#!/usr/bin/env bash
# The HTTP service's section of bench/RESULTS.md: runs the load benchmark (bench/server_bench.sh), the soak
# (bench/server_soak.sh) and the robustness test (bench/server_robustness.py) one after the other on the same
# binary, and writes their three subsections between the "server" markers.
#   bash bench/server_results.sh            (needs ../shared/data; about 25 minutes)
#   SOAK_SECONDS=300 SLIMNLP_BIN=/path/to/slimnlp bash bench/server_results.sh
# Exit 1 if any of the three failed (errors under load, memory growth, an unexpected answer); the section is
# written anyway, so that the failure is on record.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=${WORK:-/tmp/server_results}
mkdir -p "$work"
if [ -z "${SLIMNLP_BIN:-}" ]; then
  "$root/tools/build.sh" || exit 1
  # A copy, so that rebuilding the tree while this runs does not change what is measured.
  cp "$root/build/slimnlp" "$work/slimnlp"
  export SLIMNLP_BIN="$work/slimnlp"
  export SLIMNLP_BIN_NOTE="built from commit $(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet HEAD || echo ' + uncommitted changes')"
fi
export SLIMNLP_MODELS=${SLIMNLP_MODELS:-$root/models}
status=0
OUT="$work/load.md" WORK="$work/load" bash "$root/bench/server_bench.sh" || status=1
OUT="$work/soak.md" WORK="$work/soak" bash "$root/bench/server_soak.sh" "${SOAK_SECONDS:-300}" || status=1
python3 "$root/bench/server_robustness.py" --binary "$SLIMNLP_BIN" --markdown "$work/robustness.md" --quiet ||
  status=1
{
  echo "<!-- server:begin -->"
  echo "## HTTP service"
  echo
  cat "$work/load.md"
  echo
  cat "$work/soak.md"
  echo
  echo "### Robustness (\`python3 bench/server_robustness.py\`, $(date -u +%Y-%m-%d))"
  echo
  cat "$work/robustness.md"
  echo "<!-- server:end -->"
} > "$work/section.md"
python3 "$root/bench/update_results.py" "$root/bench/RESULTS.md" "$work/section.md" server
echo "server_results: wrote the server section of bench/RESULTS.md (status $status)" >&2
exit $status
