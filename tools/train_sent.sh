#!/usr/bin/env bash
# Trains the shipped sentence splitters, models/sent-<lang>.slim, one per language that tools/ud_data.sh lists,
# on its training sentences joined into paragraphs as raw text has them (`# newpar` / `# newdoc` marks, else
# runs of 10 sentences), each within 128 KiB, the epoch chosen on the dev split. Chinese and Japanese write no
# space between sentences (--join-without-spaces); Chinese learns from the legacy r1.4 train split (no raw text:
# its words joined), as its segmenter does; Dutch from the v1.4 LassySmall train. Deterministic for a build.
#   tools/train_sent.sh            all of them (about 10 minutes on one core)
#   tools/train_sent.sh en zh      only these languages
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
source tools/ud_data.sh
[ -d "$ud_root" ] || { echo "train_sent: $ud_root is missing" >&2; exit 1; }
tools/build.sh
langs=("$@")
[ ${#langs[@]} -gt 0 ] || mapfile -t langs < <(ud_languages)
for lang in "${langs[@]}"; do
  ud_prepare "$lang"
  args=()
  case "$lang" in
    zh|ja) args+=(--join-without-spaces) ;;
  esac
  [ -n "$UD_DEV" ] && args+=(--dev "$UD_DEV")
  echo "== $lang: $UD_TRAIN" >&2
  build/slimnlp train sentences --train "$UD_TRAIN" "${args[@]}" --language "$lang" --out "models/sent-$lang.slim" \
    --seed 1 2> "build/train-sent-$lang.log" | tee -a build/train-sent.log
done
