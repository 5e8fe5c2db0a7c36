#!/usr/bin/env bash
# Segmentation benchmark: the shipped Chinese segmenter side by side with jieba and ICU's dictionary word break
# on UD Chinese-GSD test (traditional) and GSDSimp test (simplified), one scorer for all three
# (bench/peers/seg/seg_score.py, word F1 on character spans) and whole-run speeds; then every shipped
# models/seg-<lang>.slim on its treebank's test split (`slimnlp eval segment`), and the CLI's peak memory.
# Writes the "Segmentation" section of bench/RESULTS.md.
#   bash bench/seg_bench.sh        (needs ../shared/data/ud; ~5 minutes; scratch in /tmp/seg_peers)
#   bash bench/seg_bench.sh en vi  the Chinese peers, then only these languages' table rows
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/tools/ud_data.sh"
ud=$ud_root
langs=("$@")
[ ${#langs[@]} -gt 0 ] || mapfile -t langs < <(ud_languages)
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
  echo "counts as one). Test files as \`tools/ud_data.sh\` names them (\"off\": another treebank of the language,"
  echo "never trained on); Dutch learns from Alpino dev and is tested on Alpino test (the LassySmall v1.4 files"
  echo "carry no raw text). Speed: segmentation only, one thread. UDPipe 2: its published Tokens F1 for the same"
  echo "treebank (UD 2.17 models, raw text, \`bench/peers/udpipe2_published.tsv\` names the source); it scores whole"
  echo "documents with its own sentence splitting, we score sentence by sentence, so the two are close but not"
  echo "the same measurement."
  echo
  echo "| language | test treebank | domain | size (bytes) | P % | R % | F1 % | UDPipe 2 tokens F1 % | MB/s |"
  echo "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"
  for lang in "${langs[@]}"; do
    model="$root/models/seg-$lang.slim"
    [ -f "$model" ] || { echo "seg_bench: $model is missing" >&2; continue; }
    ud_prepare "$lang"
    tests=("${UD_TESTS[@]}") off=("${UD_OFFDOMAIN[@]}")
    [ "$lang" = nl ] && tests=("$ud_root/UD_Dutch-Alpino/nl_alpino-ud-test.conllu.zst") off=()
    [ "$lang" = zh ] && tests=("${UD_TESTS[@]:0:2}")  # The r1.4 test has no raw text.
    # VTB spaces punctuation apart ("Hà Nội ."): also its test as running text writes it.
    if [ "$lang" = vi ]; then
      zstd -dcq "${tests[0]}" | "$root/tools/ud/attach_punctuation.py" > "$WORK/vi-test-attached.conllu"
      tests+=("$WORK/vi-test-attached.conllu")
    fi
    for test in "${tests[@]}" "${off[@]}"; do
      domain=in
      [[ " ${off[*]} " == *" $test "* ]] && domain=off
      name=$(basename "$(dirname "$test")")
      [[ $name == UD_* ]] || name=$(basename "$(dirname "$(dirname "$test")")")
      [[ $test == *vi-test-attached.conllu ]] && name="UD_Vietnamese-VTB, punctuation attached"  # e.g. UD_Japanese-GSD/reconstructed-r2.8
      report=$("$root/build/slimnlp" eval segment --model "$model" --data "$test")
      read -r p r f mbs < <(awk '/^precision/{p=$2} /^recall/{r=$2} /^F1/{f=$2} /^speed/{s=$2}
        END{printf "%.2f %.2f %.2f %s\n", p*100, r*100, f*100, s}' <<< "$report")
      udpipe=$(awk -F'\t' -v t="${name#UD_}" '$1 == t {print $3}' "$root/bench/peers/udpipe2_published.tsv")
      echo "| $lang | $name | $domain | $(stat -c %s "$model") | $p | $r | $f | ${udpipe:-n/a} | $mbs |"
    done
  done
  echo
  /usr/bin/time -f '%M' -o "$WORK/seg.rss" "$root/build/slimnlp" segment --lang zh --file "$WORK/GSD.big.txt" > /dev/null
  echo "Peak memory of \`slimnlp segment --lang zh\` on the 5 MB input: $(awk '{printf "%.1f", $1/1024}' "$WORK/seg.rss") MiB (max RSS)."
  echo "<!-- segment:end -->"
} > "$section"
python3 "$root/bench/update_results.py" "$root/bench/RESULTS.md" "$section" segment
echo "seg_bench: wrote the segmentation section of bench/RESULTS.md" >&2
