#!/usr/bin/env bash
# Installs dependencies, builds, and runs every test (ctest). Tests that use ../shared/data fail with a clear
# message when it is missing.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/tools/setup.sh"
"$root/tools/build.sh"
cd "${SLIMNLP_BUILD_DIR:-$root/build}"
ctest --output-on-failure -j "$(nproc)" --timeout 600
