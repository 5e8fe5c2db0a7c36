#!/usr/bin/env bash
# Part-of-speech tagging benchmark: every shipped models/pos-<lang>.slim on its treebank's test split (gold
# tokens, UPOS), side by side with NLTK's averaged perceptron trained on the same train split and scored the
# same way (bench/peers/pos/run_nltk_all.sh), tagging speed of both, and the CLI's peak memory. Writes the
# "Part-of-speech tagging" section of bench/RESULTS.md.
#   bash bench/pos_bench.sh        (needs ../shared/data/ud; ~6 minutes; scratch in /tmp/pos_peers)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
ud="$root/../shared/data/ud"
[ -d "$ud" ] || { echo "pos_bench: $ud is missing (see DEVELOPERS.md)" >&2; exit 1; }
/usr/bin/python3 -c 'import nltk' 2>/dev/null || { apt-get update -qq && apt-get install -y -qq python3-nltk >/dev/null; }
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
"$root/tools/build.sh"
export OUT=${OUT:-/tmp/pos_peers} UD=$ud
bash "$root/bench/peers/pos/run_nltk_all.sh" > /dev/null

section="$OUT/pos_section.md"
{
  echo "<!-- pos:begin -->"
  echo "## Part-of-speech tagging"
  echo
  echo "Command: \`bash bench/pos_bench.sh\` ($(date -u +%Y-%m-%d)). Machine: $(nproc) cores, shared and noisy. Data:"
  echo "\`../shared/data/ud\`, each treebank's test split with gold tokens, UPOS accuracy; OOV = test words whose"
  echo "form is not in the train split. NLTK: \`PerceptronTagger\` (nltk $(/usr/bin/python3 -c 'import nltk; print(nltk.__version__)'), 5 iterations, seed 1) trained"
  echo "on the same train split. Speeds are tagging only, one thread (ours: \`slimnlp eval pos\`; NLTK: median of 3)."
  echo
  echo "| treebank | model | size (bytes) | ours acc % | NLTK acc % | ours OOV % | NLTK OOV % | ours tokens/s | NLTK tokens/s | speed ratio |"
  echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
  for model in "$root"/models/pos-*.slim; do
    lang=$(basename "$model" .slim); lang=${lang#pos-}
    if [ "$lang" = zh ]; then
      dir="$ud/UD_Chinese-GSD/legacy-r1.4"; name=UD_Chinese-GSD-legacy-r1.4
    else
      dir=$(dirname "$(ls "$ud"/UD_*/"${lang}"_*-ud-train.conllu.zst | head -1)"); name=$(basename "$dir")
    fi
    train=$(ls "$dir"/*-ud-train.conllu.zst); test=$(ls "$dir"/*-ud-test.conllu.zst)
    report=$("$root/build/slimnlp" eval pos --model "$model" --data "$test" --train "$train")
    acc=$(awk '/^UPOS accuracy/{printf "%.2f", $3*100}' <<< "$report")
    oov=$(awk '/^OOV accuracy/{printf "%.2f", $3*100}' <<< "$report")
    speed=$(awk '/^speed/{print $2}' <<< "$report")
    read -r nacc noov nspeed < <(awk -F'\t' -v t="$name" '$1==t{print $4, $5, $7}' "$OUT/nltk_results.tsv")
    ratio=$(awk -v a="$speed" -v b="$nspeed" 'BEGIN{if (b>0) printf "%.1fx", a/b}')
    echo "| $name | pos-$lang | $(stat -c %s "$model") | $acc | $nacc | $oov | $noov | $speed | $nspeed | $ratio |"
  done
  echo
  ewt_test="$ud/UD_English-EWT/en_ewt-ud-test.conllu.zst"
  zstd -dc "$ewt_test" > "$OUT/ewt-test.conllu"
  /usr/bin/time -f '%M' -o "$OUT/tag.rss" "$root/build/slimnlp" tag --model "$root/models/pos-en.slim" \
    --input conllu --file "$OUT/ewt-test.conllu" > /dev/null
  echo "Peak memory of \`slimnlp tag --input conllu\` on EWT test: $(awk '{printf "%.1f", $1/1024}' "$OUT/tag.rss") MiB (max RSS)."
  echo "<!-- pos:end -->"
} > "$section"
python3 "$root/bench/update_results.py" "$root/bench/RESULTS.md" "$section" pos
echo "pos_bench: wrote the part-of-speech section of bench/RESULTS.md" >&2
