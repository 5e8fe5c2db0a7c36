#!/usr/bin/env bash
# Part-of-speech tagging benchmark: every shipped models/pos-<lang>.slim on the test splits tools/ud_data.sh
# names for it (gold tokens, UPOS): its own treebank's, and other treebanks of the language that it never saw
# (off-domain). Side by side with NLTK's averaged perceptron trained on the same training file and scored the
# same way (bench/peers/pos/nltk_pos.py); tagging speed of both, and the CLI's peak memory. Writes the
# "Part-of-speech tagging" section of bench/RESULTS.md.
#   bash bench/pos_bench.sh           (needs ../shared/data/ud; ~30 minutes; scratch in /tmp/pos_peers)
#   bash bench/pos_bench.sh en fr     only these languages (the section then lists only them)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/tools/ud_data.sh"
[ -d "$ud_root" ] || { echo "pos_bench: $ud_root is missing (see README.md)" >&2; exit 1; }
/usr/bin/python3 -c 'import nltk' 2>/dev/null || { apt-get update -qq && apt-get install -y -qq python3-nltk >/dev/null; }
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
# SLIMNLP_BIN: a binary to measure instead of building build/slimnlp.
[ -n "${SLIMNLP_BIN:-}" ] || "$root/tools/build.sh"
bin=${SLIMNLP_BIN:-$root/build/slimnlp}
OUT=${OUT:-/tmp/pos_peers}
mkdir -p "$OUT"
langs=("$@")
[ ${#langs[@]} -gt 0 ] || mapfile -t langs < <(ud_languages)

section="$OUT/pos_section.md"
{
  echo "<!-- pos:begin -->"
  echo "## Part-of-speech tagging"
  echo
  echo "Command: \`bash bench/pos_bench.sh\` ($(date -u +%Y-%m-%d)). Machine: $(nproc) cores, shared and noisy. Data:"
  echo "\`../shared/data/ud\`, gold tokens, UPOS accuracy; which files each model trains and is tested on is"
  echo "\`tools/ud_data.sh\` (\"off\" rows: another treebank of the language, never trained on). OOV = test words"
  echo "whose form is not in the training file. NLTK: \`PerceptronTagger\` (nltk $(/usr/bin/python3 -c 'import nltk; print(nltk.__version__)'), 5 iterations, seed 1)"
  echo "trained on the same training file. Speeds are tagging only, one thread (ours: \`slimnlp eval pos\`; NLTK:"
  echo "median of 3)."
  echo
  echo "| language | test treebank | domain | size (bytes) | ours acc % | NLTK acc % | ours OOV % | NLTK OOV % | ours tokens/s | NLTK tokens/s | speed ratio |"
  echo "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
  for lang in "${langs[@]}"; do
    model="$root/models/pos-$lang.slim"
    [ -f "$model" ] || { echo "pos_bench: $model is missing" >&2; continue; }
    ud_prepare "$lang"
    for test in "${UD_TESTS[@]}" "${UD_OFFDOMAIN[@]}"; do
      domain=in
      [[ " ${UD_OFFDOMAIN[*]} " == *" $test "* ]] && domain=off
      name=$(basename "$test" .conllu.zst)
      report=$("$bin" eval pos --model "$model" --data "$test" --train "$UD_TRAIN")
      acc=$(awk '/^UPOS accuracy/{printf "%.2f", $3*100}' <<< "$report")
      oov=$(awk '/^OOV accuracy/{printf "%.2f", $3*100}' <<< "$report")
      speed=$(awk '/^speed/{print $2}' <<< "$report")
      log="$OUT/nltk-$lang-$name.txt"
      /usr/bin/python3 "$root/bench/peers/pos/nltk_pos.py" --train "$UD_TRAIN" --test "$test" --iterations 5 --seed 1 > "$log"
      nacc=$(awk -F': ' '$1=="accuracy"{print $2}' "$log")
      noov=$(awk -F': ' '$1=="oov_accuracy"{print $2}' "$log")
      nspeed=$(awk -F': ' '$1=="tokens_per_s"{print $2}' "$log")
      ratio=$(awk -v a="$speed" -v b="$nspeed" 'BEGIN{if (b>0) printf "%.1fx", a/b}')
      echo "| $lang | $name | $domain | $(stat -c %s "$model") | $acc | $nacc | $oov | $noov | $speed | $nspeed | $ratio |"
    done
  done
  echo
  ewt_test="$ud_root/UD_English-EWT/en_ewt-ud-test.conllu.zst"
  zstd -dcq "$ewt_test" > "$OUT/ewt-test.conllu"
  /usr/bin/time -f '%M' -o "$OUT/tag.rss" "$bin" tag --model "$root/models/pos-en.slim" \
    --input conllu --file "$OUT/ewt-test.conllu" > /dev/null
  echo "Peak memory of \`slimnlp tag --input conllu\` on EWT test: $(awk '{printf "%.1f", $1/1024}' "$OUT/tag.rss") MiB (max RSS)."
  echo "<!-- pos:end -->"
} > "$section"
python3 "$root/bench/update_results.py" "$root/bench/RESULTS.md" "$section" pos
echo "pos_bench: wrote the part-of-speech section of bench/RESULTS.md" >&2
