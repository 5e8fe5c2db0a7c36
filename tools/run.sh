#!/usr/bin/env bash
# Quick start: installs dependencies, builds, and identifies the language of each line of standard input
# with the shipped model. Arguments are passed to `slimnlp langid` (e.g. --format json, --top-k 3, or texts).
#   echo "Ceci est une phrase." | tools/run.sh
#   tools/run.sh --top-k 3 "Dit is een zin."
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/tools/setup.sh"
binary=${SLIMNLP_BUILD_DIR:-$root/build}/slimnlp
if [ ! -x "$binary" ]; then
  echo "building slimnlp (the command-line tool only, not the tests): about 3 minutes on 2 idle cores (5 CPU-minutes)" >&2
fi
SLIMNLP_BUILD_TARGET=slimnlp_cli "$root/tools/build.sh" >&2
exec "${SLIMNLP_BUILD_DIR:-$root/build}/slimnlp" langid --model "$root/models/langid.slim" "$@"
