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
# --no-as-needed: the binary references no symbol of libcld2_full itself, so with the default
# --as-needed the linker would drop it and CLD2 would silently run on its small (Chrome) table.
# Listed first, libcld2_full's table objects (kQuad_obj, ...) interpose on libcld2's.
g++ -O2 -std=c++17 -Wall -o "$outdir/cld2_langid" "$here/cld2_langid.cc" \
  -Wl,--no-as-needed -lcld2_full -Wl,--as-needed -lcld2
if ! readelf -d "$outdir/cld2_langid" | grep -q "libcld2_full"; then
  echo "build.sh: libcld2_full is not linked into $outdir/cld2_langid" >&2
  exit 1
fi
echo "built $outdir/cld2_langid"
