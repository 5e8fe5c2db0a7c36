#!/usr/bin/env bash
# Off-domain tagging: leave-one-genre-out on UD English-EWT. Its sent_ids name five genres (answers, email,
# newsgroup, reviews, weblog); for each, a tagger is trained on the other four (train split, epoch chosen on
# their dev sentences) with the shipped English recipe (tools/ud_data.sh pos_recipe: the dictionary and
# unknown-word training), and tested on every sentence of the fifth (from train, dev and test: none of it was
# trained on); NLTK's averaged perceptron is trained on the same four and tested on the same sentences.
# Writes the "Off-domain tagging" section of bench/RESULTS.md.
#   bash bench/pos_genre_bench.sh      (needs ../shared/data/ud; ~20 minutes; scratch in /tmp/pos_genre)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/tools/ud_data.sh"
[ -d "$ud_root" ] || { echo "pos_genre_bench: $ud_root is missing (see README.md)" >&2; exit 1; }
/usr/bin/python3 -c 'import nltk' 2>/dev/null || { apt-get update -qq && apt-get install -y -qq python3-nltk >/dev/null; }
"$root/tools/build.sh"
OUT=${OUT:-/tmp/pos_genre}
mkdir -p "$OUT"
ewt=$ud_root/UD_English-EWT
genres=$(python3 "$root/bench/peers/pos/split_by_genre.py" "$OUT" "$ewt"/en_ewt-ud-{train,dev,test}.conllu.zst)
mapfile -t recipe < <(pos_recipe en | tr ' ' '\n')
shown_recipe=$(pos_recipe en | sed "s|$root/||g")

section="$OUT/genre_section.md"
{
  echo "<!-- pos-genre:begin -->"
  echo "## Off-domain tagging: leave one genre of English-EWT out"
  echo
  echo "Command: \`bash bench/pos_genre_bench.sh\` ($(date -u +%Y-%m-%d)). Machine: $(nproc) cores. For each genre,"
  echo "both taggers train on the other four genres' train sentences (ours selects its epoch on their dev"
  echo "sentences) and are tested on every sentence of the held-out genre (train, dev and test splits). Ours:"
  echo "\`slimnlp train pos --budget 1MiB --epochs 15 --seed 1 $shown_recipe\` (the shipped English recipe), then"
  echo "\`slimnlp eval pos\`. NLTK: \`PerceptronTagger\`, 5 iterations, seed 1 (\`bench/peers/pos/nltk_pos.py\`)."
  echo "OOV = words not in the four genres' train sentences."
  echo
  echo "| held-out genre | test words | ours acc % | NLTK acc % | difference | ours OOV % | NLTK OOV % |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
  for g in $genres; do
    train=$OUT/minus-$g-train.conllu dev=$OUT/minus-$g-dev.conllu test=$OUT/only-$g.conllu
    "$root/build/slimnlp" train pos --train "$train" --dev "$dev" --out "$OUT/pos-minus-$g.slim" --budget 1MiB \
      --epochs 15 --seed 1 "${recipe[@]}" > "$OUT/train-$g.log" 2>&1
    report=$("$root/build/slimnlp" eval pos --model "$OUT/pos-minus-$g.slim" --data "$test" --train "$train")
    read -r acc oov words < <(awk '/^UPOS accuracy/{a=$3*100; split($4, n, "/"); w=n[2]+0}
      /^OOV accuracy/{o=$3*100} END{printf "%.2f %.2f %d\n", a, o, w}' <<< "$report")
    /usr/bin/python3 "$root/bench/peers/pos/nltk_pos.py" --train "$train" --test "$test" --iterations 5 --seed 1 \
      --speed-runs 1 > "$OUT/nltk-$g.txt"
    nacc=$(awk -F': ' '$1=="accuracy"{print $2}' "$OUT/nltk-$g.txt")
    noov=$(awk -F': ' '$1=="oov_accuracy"{print $2}' "$OUT/nltk-$g.txt")
    diff=$(awk -v a="$acc" -v b="$nacc" 'BEGIN{printf "%+.2f", a-b}')
    echo "| $g | $words | $acc | $nacc | $diff | $oov | $noov |"
  done
  echo "<!-- pos-genre:end -->"
} > "$section"
python3 "$root/bench/update_results.py" "$root/bench/RESULTS.md" "$section" pos-genre
echo "pos_genre_bench: wrote the off-domain tagging section of bench/RESULTS.md" >&2
