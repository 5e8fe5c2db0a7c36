#!/usr/bin/env bash
# Trains the shipped part-of-speech taggers, models/pos-<lang>.slim, one per treebank in ../shared/data/ud with
# a train split (dev split when it has one, else every 10th training sentence). Deterministic for a build.
#   tools/train_pos.sh            all of them (about 15 minutes on one core)
#   tools/train_pos.sh en fr      only these languages
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
ud=../shared/data/ud
[ -d "$ud" ] || { echo "train_pos: $ud is missing" >&2; exit 1; }
tools/build.sh
for train in $ud/UD_*/*-ud-train.conllu.zst $ud/UD_Chinese-GSD/legacy-r1.4/zh-ud-train.conllu.zst; do
  [ -f "$train" ] || continue
  base=$(basename "$train" -ud-train.conllu.zst)   # en_ewt, zh
  lang=${base%%_*}
  if [ $# -gt 0 ] && [[ ! " $* " =~ " $lang " ]]; then continue; fi
  dev=${train/-train./-dev.}
  dev_args=()
  [ -f "$dev" ] && dev_args=(--dev "$dev")
  echo "== $lang: $train" >&2
  build/slimnlp train pos --train "$train" "${dev_args[@]}" --out "models/pos-$lang.slim" --budget 1MiB --epochs 15 \
    --seed 1 2> "build/train-pos-$lang.log"
done
