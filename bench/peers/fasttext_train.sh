#!/usr/bin/env bash
# fasttext_train.sh -- peer baseline: train a fastText language identifier on the slimnlp langid
# train split, then quantize it to fit a byte budget.
#
# Usage (from the project root):
#   bash bench/peers/fasttext_train.sh [MAX_BYTES]          # MAX_BYTES defaults to 524288 (512 KiB)
# Environment (all optional):
#   LANGID_DATA  data folder            (default /work/shared/data/langid)
#   OUT          output folder          (default /tmp/peers/fasttext)
#   DIM EPOCH LR THREADS                training hyper-parameters (defaults 16 10 0.5 1)
#   CUTOFFS      space-separated cutoff candidates for `fasttext quantize -cutoff`; the largest
#                fitting one is then refined by bisection up to the first misfit (REFINE=250 rows)
#   DSUB         product-quantizer sub-vector size (default 2)
#   REUSE=1      reuse OUT/lid.bin if it was trained with the same settings (skip training)
# Outputs, in OUT:
#   train.ft, dev.ft          data in fastText format (`__label__X text`)
#   lid.bin                   unquantized model
#   lid-MAX_BYTES.ftz         quantized model: the largest candidate cutoff whose file is <= MAX_BYTES
#   cutoffs-MAX_BYTES.tsv     cutoff -> size probe log
#   summary-MAX_BYTES.txt     settings, sizes, dev accuracy of both models
# Predict with: bash bench/peers/fasttext_predict.sh OUT/lid-524288.ftz < texts > labels
#
# Choices: char n-grams 2..4 (-minn 2 -maxn 4, as fastText's lid.176), -dim 16 (lid.176's
# dimension; enough for 106 classes and keeps the quantized rows small), -epoch 10 and -lr 0.5
# (330k short sentences: the loss is flat well before 10 epochs; a larger lr is the usual choice for
# fastText classifiers), -loss softmax (only 106 labels), -minCount 1 and the default 2M buckets,
# -thread 1 (the machine has 2 shared cores; 1 thread also makes runs reproducible).
# Quantization: `quantize -cutoff N -retrain -qnorm -dsub 2` (the classifier matrix is left
# unquantized: with 106x16 floats it is only ~7 KB). The file size depends only on the cutoff (and
# dsub/qnorm), not on the retrained weights, so cutoffs are first probed with a fast quantize
# without -retrain (candidates upwards, then bisection); only the largest cutoff that fits is then
# quantized again with -retrain (retraining with the same epoch/lr) and checked against the budget.
set -euo pipefail

max_bytes="${1:-524288}"
[[ "$max_bytes" =~ ^[0-9]+$ ]] || { echo "fasttext_train.sh: MAX_BYTES must be an integer, got '$max_bytes'" >&2; exit 2; }
data="${LANGID_DATA:-/work/shared/data/langid}"
out="${OUT:-/tmp/peers/fasttext}"
dim="${DIM:-16}"; epoch="${EPOCH:-10}"; lr="${LR:-0.5}"; threads="${THREADS:-1}"; dsub="${DSUB:-2}"
cutoffs="${CUTOFFS:-2000 5000 10000 15000 20000 25000 30000 35000 40000 50000 60000 80000 100000}"

for f in train.tsv.zst dev.tsv; do
  [[ -f "$data/$f" ]] || { echo "fasttext_train.sh: $data/$f not found (set LANGID_DATA to the langid data folder)" >&2; exit 1; }
done
for tool in fasttext zstd; do
  command -v "$tool" >/dev/null || { echo "fasttext_train.sh: '$tool' not found (apt-get install $tool)" >&2; exit 1; }
done
mkdir -p "$out"

log() { echo "[fasttext_train $(date +%H:%M:%S)] $*" >&2; }
to_ft() { awk -F'\t' 'BEGIN{OFS=""} NF>=2 {print "__label__", $1, " ", $2}'; }
dev_acc() {  # model -> dev accuracy (top-1 prediction vs the single gold label), 4 decimals
  cut -f2 "$data/dev.tsv" | fasttext predict "$1" - 1 | sed 's/^__label__//' \
    | paste <(cut -f1 "$data/dev.tsv") - | awk -F'\t' '{n++; c += ($1 == $2)} END {printf "%.4f\n", c / n}'
}
fsize() { stat -c %s "$1"; }

if [[ ! -s "$out/train.ft" || ! -s "$out/dev.ft" ]]; then
  log "converting data to fastText format in $out"
  zstd -dc "$data/train.tsv.zst" | to_ft > "$out/train.ft.tmp" && mv "$out/train.ft.tmp" "$out/train.ft"
  to_ft < "$data/dev.tsv" > "$out/dev.ft.tmp" && mv "$out/dev.ft.tmp" "$out/dev.ft"
fi

train_args=(-minn 2 -maxn 4 -dim "$dim" -epoch "$epoch" -lr "$lr" -loss softmax -minCount 1
            -wordNgrams 1 -bucket 2000000 -thread "$threads" -verbose 1)
stamp="${train_args[*]}"
t0=$(date +%s)
if [[ "${REUSE:-0}" == 1 && -s "$out/lid.bin" && "$(cat "$out/lid.stamp" 2>/dev/null)" == "$stamp" ]]; then
  log "reusing $out/lid.bin"
  train_secs="$(cat "$out/lid.train_seconds" 2>/dev/null || echo '?') (earlier run)"
else
  log "training: fasttext supervised ${train_args[*]}"
  rm -f "$out/lid.stamp"
  fasttext supervised -input "$out/train.ft" -output "$out/lid" "${train_args[@]}" >&2
  rm -f "$out/lid.vec"
  echo "$stamp" > "$out/lid.stamp"
  train_secs=$(( $(date +%s) - t0 ))
  echo "$train_secs" > "$out/lid.train_seconds"
fi
full_size=$(fsize "$out/lid.bin")
full_acc=$(dev_acc "$out/lid.bin")
log "unquantized model: $full_size bytes, dev accuracy $full_acc (train $train_secs s)"

# Quantize writes <output>.ftz; probes work on a copy so the unquantized lid.bin stays untouched.
probe="$out/probe"
cp "$out/lid.bin" "$probe.bin"
qargs=(-qnorm -dsub "$dsub" -thread "$threads" -verbose 0)
printf 'cutoff\tbytes\tfits\n' > "$out/cutoffs-$max_bytes.tsv"
probe_size() {  # cutoff -> file size of the (not retrained) quantized model; logged
  fasttext quantize -input "$out/train.ft" -output "$probe" -cutoff "$1" "${qargs[@]}" >/dev/null
  local s; s=$(fsize "$probe.ftz")
  local fits=no; if (( s <= max_bytes )); then fits=yes; fi
  printf '%s\t%s\t%s\n' "$1" "$s" "$fits" >> "$out/cutoffs-$max_bytes.tsv"
  log "  cutoff $1 -> $s bytes ($fits)"
  echo "$s"
}
# The size grows with the cutoff, so walk the candidates upwards until one does not fit, then
# bisect between the last fit and the first misfit down to a gap of REFINE (default 250) rows.
log "probing sizes for cutoffs: $cutoffs"
best=""; over=""
for c in $(printf '%s\n' $cutoffs | sort -n); do
  if (( $(probe_size "$c") <= max_bytes )); then best="$c"; else over="$c"; break; fi
done
if [[ -z "$best" ]]; then
  echo "fasttext_train.sh: no candidate cutoff gives a model <= $max_bytes bytes; set CUTOFFS to smaller values" >&2
  exit 1
fi
if [[ -n "$over" ]]; then
  while (( over - best > ${REFINE:-250} )); do
    mid=$(( (best + over) / 2 ))
    if (( $(probe_size "$mid") <= max_bytes )); then best="$mid"; else over="$mid"; fi
  done
else
  log "  every candidate fits: add larger CUTOFFS to use more of the budget"
fi
rm -f "$probe.bin" "$probe.ftz"

final="$out/lid-$max_bytes"
cp "$out/lid.bin" "$final.bin"
log "quantizing with -cutoff $best -retrain (epoch $epoch, lr $lr)"
t2=$(date +%s)
fasttext quantize -input "$out/train.ft" -output "$final" -cutoff "$best" -retrain -epoch "$epoch" -lr "$lr" "${qargs[@]}" >&2
t3=$(date +%s)
rm -f "$final.bin"
qsize=$(fsize "$final.ftz")
if (( qsize > max_bytes )); then
  echo "fasttext_train.sh: retrained model $final.ftz is $qsize bytes > $max_bytes (unexpected)" >&2
  exit 1
fi
qacc=$(dev_acc "$final.ftz")
log "quantized model: $final.ftz, cutoff $best, $qsize bytes, dev accuracy $qacc (quantize+retrain $((t3-t2)) s)"

{
  echo "fasttext supervised ${train_args[*]}"
  echo "fasttext quantize -cutoff $best -retrain -epoch $epoch -lr $lr ${qargs[*]}"
  echo "max_bytes=$max_bytes"
  echo "unquantized: $out/lid.bin bytes=$full_size dev_acc=$full_acc train_seconds=$train_secs"
  echo "quantized:   $final.ftz cutoff=$best bytes=$qsize dev_acc=$qacc quantize_seconds=$((t3-t2))"
} > "$out/summary-$max_bytes.txt"
cat "$out/summary-$max_bytes.txt"
