#!/usr/bin/env bash
# Trains the shipped part-of-speech taggers, models/pos-<lang>.slim, one per language that tools/ud_data.sh
# lists (which treebank files each one is trained, selected and tested on, and how they are joined or mapped).
# Deterministic for a build.
#   tools/train_pos.sh            all of them (about 30 minutes on one core)
#   tools/train_pos.sh en fr      only these languages
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
source tools/ud_data.sh
[ -d "$ud_root" ] || { echo "train_pos: $ud_root is missing" >&2; exit 1; }
tools/build.sh
langs=("$@")
[ ${#langs[@]} -gt 0 ] || mapfile -t langs < <(ud_languages)
for lang in "${langs[@]}"; do
  ud_prepare "$lang"
  dev_args=()
  [ -n "$UD_DEV" ] && dev_args=(--dev "$UD_DEV")
  echo "== $lang: $UD_TRAIN${UD_NOTE:+ ($UD_NOTE)}" >&2
  build/slimnlp train pos --train "$UD_TRAIN" "${dev_args[@]}" --out "models/pos-$lang.slim" --budget 1MiB \
    --epochs 15 --seed 1 2> "build/train-pos-$lang.log"
done
