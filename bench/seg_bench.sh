#!/usr/bin/env bash
# Segmentation benchmark: the shipped Chinese segmenter side by side with jieba and ICU's dictionary word break
# on UD Chinese-GSD test (traditional) and GSDSimp test (simplified), one scorer for all three
# (bench/peers/seg/seg_score.py, word F1 on character spans) and whole-run speeds; then every shipped
# models/seg-<lang>.slim on its treebank's test split (`slimnlp eval segment`), and the CLI's peak memory.
# Writes the "Segmentation" section of bench/RESULTS.md.
#   bash bench/seg_bench.sh        (needs ../shared/data/ud; ~3 minutes; scratch in /tmp/seg_peers)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
ud="$root/../shared/data/ud"
[ -d "$ud" ] || { echo "seg_bench: $ud is missing (see DEVELOPERS.md)" >&2; exit 1; }
/usr/bin/python3 -c 'import jieba' 2>/dev/null || { apt-get update -qq && apt-get install -y -qq python3-jieba >/dev/null; }
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
"$root/tools/build.sh"
export WORK=${WORK:-/tmp/seg_peers} UD_DIR=$ud SLIMNLP_BIN="$root/build/slimnlp" SLIMNLP_MODELS="$root/models"
peers=$(bash "$root/bench/peers/seg/run_seg_peers.sh")

section="$WORK/seg_section.md"
{
  echo "<!-- segment:begin -->"
  echo "## Segmentation"
  echo
  echo "Command: \`bash bench/seg_bench.sh\` ($(date -u +%Y-%m-%d)). Machine: $(nproc) cores, shared and noisy."
  echo
  echo "### Chinese: slimnlp, jieba and ICU on one scorer"
  echo
  echo "Data: UD Chinese-GSD r2.17 test (traditional characters, full-width punctuation) and Chinese-GSDSimp test"
  echo "(the same sentences in simplified characters); input = each sentence's \`# text\`, one a line. Score:"
  echo "\`bench/peers/seg/seg_score.py\` (word P/R/F1 on character spans, CoNLL 2018 style) for all three. slimnlp:"
  echo "\`models/seg-zh.slim\`, trained on the legacy r1.4 train split (the current one is not in the shared data)"
  echo "plus its simplified copy. jieba: Debian python3-jieba, default dictionary (simplified only), \`jieba.cut\`"
  echo "with HMM. ICU: \`BreakIterator::createWordInstance(zh)\` (dictionary based). Times: median of 3 whole"
  echo "runs (process start, model or dictionary load, segmentation, output); \"big\" = the test text repeated to"
  echo "about 5 MB, where MB/s is meaningful."
  echo
  echo "$peers"
  echo
  echo "### Every shipped segmenter on its treebank"
  echo
  echo "\`slimnlp eval segment --model models/seg-<lang>.slim --data <test>\`: token precision/recall/F1 on the"
  echo "raw text of each test sentence (\`# text\`); surface tokens (a multiword token such as English \"don't\""
  echo "counts as one). Speed: segmentation only, one thread."
  echo
  echo "| treebank | model | size (bytes) | P % | R % | F1 % | MB/s |"
  echo "| --- | --- | ---: | ---: | ---: | ---: | ---: |"
  for model in "$root"/models/seg-*.slim; do
    lang=$(basename "$model" .slim); lang=${lang#seg-}
    if [ "$lang" = zh ]; then
      tests=("$ud/UD_Chinese-GSD/zh_gsd-ud-test.conllu.zst" "$ud/UD_Chinese-GSDSimp/zh_gsdsimp-ud-test.conllu.zst")
    else
      tests=("$(ls "$ud"/UD_*/"${lang}"_*-ud-test.conllu.zst | head -1)")
    fi
    for test in "${tests[@]}"; do
      name=$(basename "$(dirname "$test")")
      report=$("$root/build/slimnlp" eval segment --model "$model" --data "$test")
      read -r p r f mbs < <(awk '/^precision/{p=$2} /^recall/{r=$2} /^F1/{f=$2} /^speed/{s=$2}
        END{printf "%.2f %.2f %.2f %s\n", p*100, r*100, f*100, s}' <<< "$report")
      echo "| $name | seg-$lang | $(stat -c %s "$model") | $p | $r | $f | $mbs |"
    done
  done
  echo
  /usr/bin/time -f '%M' -o "$WORK/seg.rss" "$root/build/slimnlp" segment --lang zh --file "$WORK/GSD.big.txt" > /dev/null
  echo "Peak memory of \`slimnlp segment --lang zh\` on the 5 MB input: $(awk '{printf "%.1f", $1/1024}' "$WORK/seg.rss") MiB (max RSS)."
  echo "<!-- segment:end -->"
} > "$section"
python3 "$root/bench/update_results.py" "$root/bench/RESULTS.md" "$section" segment
echo "seg_bench: wrote the segmentation section of bench/RESULTS.md" >&2
