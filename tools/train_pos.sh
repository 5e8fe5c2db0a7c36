#!/usr/bin/env bash
# Trains the shipped part-of-speech taggers, models/pos-<lang>.slim, one per language that tools/ud_data.sh
# lists (which treebank files each one is trained, selected and tested on, and how they are joined or mapped),
# each with its language's dictionary where Debian packages one (tools/lexicon/make_lexicons.sh).
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
# The dictionaries (from Debian packages: tools/lexicon/README.md) of the languages that have one, unless they
# were built before (LEXICON_REBUILD=1 builds them again; about two minutes a language).
missing=()
for lang in "${langs[@]}"; do
  [ -f "$UD_LEXICONS/lex-$lang.tsv" ] && [ -z "${LEXICON_REBUILD:-}" ] || missing+=("$lang")
done
if [ ${#missing[@]} -gt 0 ]; then
  LEXICON_OUT=$UD_LEXICONS tools/lexicon/make_lexicons.sh "${missing[@]}" > build/lexicon-coverage.txt
fi
for lang in "${langs[@]}"; do
  ud_prepare "$lang"
  dev_args=()
  [ -n "$UD_DEV" ] && dev_args=(--dev "$UD_DEV")
  echo "== $lang: $UD_TRAIN${UD_NOTE:+ ($UD_NOTE)}" >&2
  mapfile -t recipe < <(pos_recipe "$lang" | tr ' ' '\n')
  build/slimnlp train pos --train "$UD_TRAIN" "${dev_args[@]}" --out "models/pos-$lang.slim" --budget 1MiB \
    --epochs 15 --seed 1 "${recipe[@]}" 2> "build/train-pos-$lang.log"
done
