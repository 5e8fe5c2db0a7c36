#!/usr/bin/env bash
# Trains the shipped segmenters (tokenizers), models/seg-<lang>.slim, one per language that tools/ud_data.sh
# lists, on the raw text of its training sentences (`# text`, or the tokens and SpaceAfter=No). Chinese: the
# legacy r1.4 train (no `# text`: words joined with nothing) plus a simplified-character copy, selected on the
# current GSD dev (full-width punctuation, as real text has), within 1 MiB, with jieba's dictionary (Debian
# python3-jieba, MIT) as its lexicon: the words with a count of 10 or more, at 12 bits a word. Japanese: within
# 1 MiB, with MeCab's IPA dictionary (Debian mecab-ipadic, BSD-style licence) as its lexicon: every common word
# and inflected stem, not the personal, place and organisation names. Dutch: the v1.4 LassySmall files carry no
# raw text, so the Dutch tokenizer learns from Alpino's dev split (a tenth held out) and is tested on Alpino test.
# Vietnamese: VTB's sentences as written and again with punctuation attached to the words as running text
# has it (tools/ud/attach_punctuation.py; VTB spaces every punctuation token apart).
# The others within 256 KiB. Deterministic for a build.
#   tools/train_seg.sh            all of them (about 10 minutes on one core)
#   tools/train_seg.sh en zh      only these languages
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
source tools/ud_data.sh
[ -d "$ud_root" ] || { echo "train_seg: $ud_root is missing" >&2; exit 1; }
tools/build.sh
langs=("$@")
[ ${#langs[@]} -gt 0 ] || mapfile -t langs < <(ud_languages)
install_missing() { dpkg -s "$1" > /dev/null 2>&1 || apt-get install -y -qq "$1" > /dev/null 2>&1 ||
                    { apt-get update -qq && apt-get install -y -qq "$1" > /dev/null; }; }
for lang in "${langs[@]}"; do
  ud_prepare "$lang"
  train=$UD_TRAIN dev=$UD_DEV
  args=(--budget 256KiB)
  case "$lang" in
    zh)
      install_missing python3-jieba
      train=$ud_root/UD_Chinese-GSD/legacy-r1.4/zh-ud-train.conllu.zst
      # Window 2: the lexicon sees further than characters would, and the Chinese model must stay fast. One
      # epoch: every longer run was best on dev after its first (the hashed tables then learn the train split by
      # heart), and a schedule that decays within that epoch did best (dev F1 0.9414 at 0.006, 0.9385-0.9406
      # for 0.002-0.01 and 1-4 epochs, 2026-12-02).
      args=(--budget 1MiB --window 2 --epochs 1 --join-without-spaces --add-simplified --learning-rate 0.006
            --lexicon /usr/lib/python3/dist-packages/jieba/dict.txt --lexicon-min-count 10 --lexicon-bits 12)
      ;;
    ja)
      install_missing mecab-ipadic
      lexicon=$UD_WORK/ipadic-words.txt
      for f in /usr/share/mecab/dic/ipadic/*.csv; do
        case "$(basename "$f")" in Noun.name.csv|Noun.place.csv|Noun.org.csv) continue ;; esac
        iconv -f EUC-JP -t UTF-8 "$f" | cut -d, -f1
      done | LC_ALL=C sort -u > "$lexicon"
      args=(--budget 1MiB --window 2 --lexicon "$lexicon" --lexicon-bits 10)
      ;;
    nl)
      train=$ud_root/UD_Dutch-Alpino/nl_alpino-ud-dev.conllu.zst dev=""
      ;;
    vi)
      # VTB's raw text spaces punctuation apart ("Hà Nội ."): also learn the spacing running text has.
      ud_both_spacings "$train" "$UD_WORK/vi-train-both.conllu"
      ud_both_spacings "$dev" "$UD_WORK/vi-dev-both.conllu"
      train=$UD_WORK/vi-train-both.conllu dev=$UD_WORK/vi-dev-both.conllu
      ;;
  esac
  [ -n "$dev" ] && args+=(--dev "$dev")
  echo "== $lang: $train" >&2
  build/slimnlp train segment --train "$train" "${args[@]}" --language "$lang" --out "models/seg-$lang.slim" \
    --seed 1 2> "build/train-seg-$lang.log"
done
