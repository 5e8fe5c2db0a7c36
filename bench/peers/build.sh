#!/usr/bin/env bash
# build.sh -- compile the CLD2 peer baseline (bench/peers/cld2_langid.cc).
#
# Usage (from the project root):  bash bench/peers/build.sh [OUTDIR]
#   OUTDIR defaults to /tmp/peers/bin; the binary is OUTDIR/cld2_langid.
# Needs g++ and Debian's libcld2-dev (apt-get install libcld2-dev); links the full CLD2 table.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
outdir="${1:-/tmp/peers/bin}"
if [[ ! -f /usr/include/cld2/public/compact_lang_det.h ]]; then
  echo "build.sh: CLD2 headers not found; install them with: apt-get install libcld2-dev" >&2
  exit 1
fi
mkdir -p "$outdir"
g++ -O2 -std=c++17 -Wall -o "$outdir/cld2_langid" "$here/cld2_langid.cc" -lcld2_full -lcld2
echo "built $outdir/cld2_langid"
