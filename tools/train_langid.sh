#!/usr/bin/env bash
# Retrains the shipped language identifier, models/langid.slim, from ../shared/data/langid. Deterministic:
# the same build gives the same file bit for bit (the command and paths below are recorded in it, so run it
# from anywhere: it cds to the project root). About 7 minutes on one core.
#   tools/train_langid.sh [OUT]        (default models/langid.slim)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
[ -f ../shared/data/langid/train.tsv.zst ] || { echo "train_langid: ../shared/data/langid is missing" >&2; exit 1; }
tools/build.sh
exec build/slimnlp train langid --train ../shared/data/langid/train.tsv.zst --dev ../shared/data/langid/dev.tsv \
  --out "${1:-models/langid.slim}" --budget 512KiB --hidden 208 --epochs 15 --seed 1 --short-fraction 0.25
