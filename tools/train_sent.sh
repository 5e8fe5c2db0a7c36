#!/usr/bin/env bash
# Trains the shipped sentence splitters, models/sent-<lang>.slim, one per language that tools/ud_data.sh lists,
# on its training sentences joined into paragraphs as raw text has them (`# newpar` / `# newdoc` marks, else
# runs of 10 sentences), each within 128 KiB, the epoch chosen on the dev split. Where the shared data has
# another treebank of the language (the off-domain test of tools/ud_data.sh), its dev split is trained on too:
# trained on Czech legal text alone, the Czech splitter found 40% of the sentences of Czech fiction (FicTree
# dev). Dutch learns from Alpino's dev split only (a tenth held out), as its segmenter does: the v1.4
# LassySmall files carry no raw text and no SpaceAfter marks. Chinese and Japanese write no space between
# sentences (--join-without-spaces); Chinese learns from the legacy r1.4 train split (no raw text: its words
# joined), as its segmenter does. Vietnamese learns VTB's sentences as written and with punctuation attached,
# as its segmenter does. Deterministic for a build.
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
  train=$UD_TRAIN dev=$UD_DEV
  case "$lang" in
    zh|ja) args+=(--join-without-spaces) ;;
    nl) train=$ud_root/UD_Dutch-Alpino/nl_alpino-ud-dev.conllu.zst dev="" ;;
    vi)
      ud_both_spacings "$train" "$UD_WORK/vi-train-both.conllu"
      ud_both_spacings "$dev" "$UD_WORK/vi-dev-both.conllu"
      train=$UD_WORK/vi-train-both.conllu dev=$UD_WORK/vi-dev-both.conllu
      ;;
    *)
      extra=()
      for off in "${UD_OFFDOMAIN[@]}"; do
        [ -f "${off/-test./-dev.}" ] && extra+=("${off/-test./-dev.}")
      done
      if [ ${#extra[@]} -gt 0 ]; then
        train=$UD_WORK/$lang-sent-train.conllu
        { zstd -dcqf "$UD_TRAIN"; zstd -dcq "${extra[@]}"; } > "$train"
      fi
      ;;
  esac
  [ -n "$dev" ] && args+=(--dev "$dev")
  echo "== $lang: $train" >&2
  build/slimnlp train sentences --train "$train" "${args[@]}" --language "$lang" --out "models/sent-$lang.slim" \
    --seed 1 2> "build/train-sent-$lang.log" | tee -a build/train-sent.log
done
