#!/usr/bin/env bash
# Quick start: installs dependencies, builds, and identifies the language of each line of standard input
# with the shipped model. Arguments are passed to `slimnlp langid` (e.g. --format json, --top-k 3, or texts).
#   echo "Ceci est une phrase." | tools/run.sh
#   tools/run.sh --top-k 3 "Dit is een zin."
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/tools/setup.sh"
"$root/tools/build.sh" >&2
exec "${SLIMNLP_BUILD_DIR:-$root/build}/slimnlp" langid --model "$root/models/langid.slim" "$@"
