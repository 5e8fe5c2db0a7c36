#!/usr/bin/env bash
# NLTK averaged-perceptron UPOS baseline on every UD treebank that has both a train and a test split.
#
#   bash bench/peers/pos/run_nltk_all.sh
#
# Env overrides: UD=/work/shared/data/ud  OUT=/tmp/pos_peers  PY=/usr/bin/python3  ITER=5  SEED=1
# Writes $OUT/nltk_results.tsv, $OUT/nltk_results.md, $OUT/pred/<treebank>.upos (predicted tags),
# $OUT/log/<treebank>.txt (full nltk_pos.py output), and prints the markdown table.
# Treebanks run one after another (one CPU-heavy process at a time).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
UD="${UD:-/work/shared/data/ud}"
OUT="${OUT:-/tmp/pos_peers}"
PY="${PY:-/usr/bin/python3}"   # Debian's python3-nltk lives in the system python, not pyenv's
ITER="${ITER:-5}"
SEED="${SEED:-1}"

if ! "$PY" -c 'import nltk' 2>/dev/null; then
  echo "nltk not importable by $PY; install it with: apt-get install -y python3-nltk" >&2
  exit 1
fi
command -v zstd >/dev/null || { echo "zstd not found (apt-get install -y zstd)" >&2; exit 1; }

mkdir -p "$OUT/pred" "$OUT/log"
TSV="$OUT/nltk_results.tsv"
MD="$OUT/nltk_results.md"
printf 'treebank\ttrain_words\ttest_words\taccuracy\toov_accuracy\ttrain_seconds\ttokens_per_s\n' > "$TSV"

# Pick one file for a split in a folder: prefer .conllu.zst, else plain .conllu. Prints nothing if absent.
pick() {  # dir split
  local f
  for f in "$1"/*-ud-"$2".conllu.zst "$1"/*-ud-"$2".conllu; do
    if [[ -f "$f" ]]; then printf '%s\n' "$f"; return 0; fi
  done
  return 0
}

get() {  # key logfile
  awk -v k="$1" -F': ' '$1 == k { print $2; exit }' "$2"
}

n=0
# Auto-discovery: every folder (depth 1 or 2, e.g. UD_Chinese-GSD/legacy-r1.4) with a train and a test split.
while IFS= read -r dir; do
  train="$(pick "$dir" train)"
  test="$(pick "$dir" test)"
  rel="${dir#"$UD"/}"
  if [[ -z "$train" || -z "$test" ]]; then
    if [[ -z "$train" && -n "$test" ]]; then echo "skip $rel: no train split" >&2
    elif [[ -n "$train" ]]; then echo "skip $rel: no test split" >&2; fi
    continue
  fi
  name="${rel//\//-}"                       # UD_Chinese-GSD/legacy-r1.4 -> UD_Chinese-GSD-legacy-r1.4
  log="$OUT/log/$name.txt"
  echo "== $name" >&2
  "$PY" "$HERE/nltk_pos.py" --train "$train" --test "$test" --iterations "$ITER" --seed "$SEED" \
        --out-pred "$OUT/pred/$name.upos" > "$log"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$(get train_words "$log")" "$(get test_words "$log")" \
    "$(get accuracy "$log")" "$(get oov_accuracy "$log")" "$(get train_seconds "$log")" \
    "$(get tokens_per_s "$log")" >> "$TSV"
  n=$((n + 1))
done < <(find "$UD" -mindepth 1 -maxdepth 2 -type d | LC_ALL=C sort)

[[ $n -gt 0 ]] || { echo "no treebank with train+test under $UD" >&2; exit 1; }

{
  echo "NLTK $("$PY" -c 'import nltk; print(nltk.__version__)') PerceptronTagger, nr_iter=$ITER, seed=$SEED, gold tokens, UPOS; accuracy and OOV accuracy in %."
  echo
  echo "| treebank | train words | test words | accuracy | OOV accuracy | train s | tokens/s |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  tail -n +2 "$TSV" | awk -F'\t' '{ printf "| %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7 }'
} > "$MD"
cat "$MD"
echo >&2
echo "wrote $TSV, $MD, $OUT/pred/, $OUT/log/" >&2
