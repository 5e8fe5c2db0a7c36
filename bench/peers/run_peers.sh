#!/usr/bin/env bash
# run_peers.sh -- run every peer language-ID baseline (CLD2, CLD3, fastText) on the slimnlp langid
# test sets, time them on the full test set, and score them with bench/langid_score.py.
#
# Usage (from the project root):  bash bench/peers/run_peers.sh
# Environment (all optional):
#   LANGID_DATA  data folder (default /work/shared/data/langid)
#   WORK         scratch/output folder (default /tmp/peers); never inside the repo
#   MAX_BYTES    fastText quantized-model budget (default 524288); trains it if missing
#   RUNS         timing runs per predictor, median reported (default 3)
#   OURS_CMD     a shell command that reads texts on stdin and prints one label per line, e.g.
#                OURS_CMD="build/slimnlp langid --model models/langid.slim | cut -f1"
#                (run from the project root); if set, it is run, timed and scored as "ours".
# The fastText models trained here output the data set's own labels, so they are scored as type
# `ours` (strict labels), not `fasttext` (lid.176's codes).
# Results: WORK/results.md (score tables + timings), predictions in WORK/pred/.
# Runs one CPU-heavy process at a time (the machine has 2 shared cores).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
data="${LANGID_DATA:-/work/shared/data/langid}"
work="${WORK:-/tmp/peers}"
max_bytes="${MAX_BYTES:-524288}"
runs="${RUNS:-3}"
for f in README.md test.tsv.zst test-short.tsv train.tsv.zst dev.tsv; do
  [[ -f "$data/$f" ]] || { echo "run_peers.sh: $data/$f not found (set LANGID_DATA)" >&2; exit 1; }
done
for tool in zstd g++ node npm fasttext python3; do
  command -v "$tool" >/dev/null || { echo "run_peers.sh: '$tool' not found" >&2; exit 1; }
done
[[ -x /usr/bin/time ]] || { echo "run_peers.sh: /usr/bin/time not found (apt-get install time)" >&2; exit 1; }
mkdir -p "$work/pred" "$work/time"
log() { echo "[run_peers $(date +%H:%M:%S)] $*" >&2; }

# Test data (text column only for the predictors).
if [[ ! -s "$work/test.tsv" ]]; then zstd -dc "$data/test.tsv.zst" > "$work/test.tsv"; fi
cut -f2 "$work/test.tsv" > "$work/test.txt"
cut -f2 "$data/test-short.tsv" > "$work/short.txt"

# Build / install the predictors.
bash "$here/build.sh" "$work/bin" >&2
if [[ ! -d "$here/cld3/node_modules/cld3-asm" ]]; then
  log "installing cld3-asm (npm ci --prefix bench/peers/cld3)"
  npm ci --prefix "$here/cld3" --no-audit --no-fund >&2
fi
ft="$work/fasttext"
if [[ ! -s "$ft/lid-$max_bytes.ftz" || ! -s "$ft/lid.bin" ]]; then
  log "training fastText (budget $max_bytes bytes)"
  OUT="$ft" REUSE=1 bash "$here/fasttext_train.sh" "$max_bytes" >&2
fi

# name | command reading texts on stdin (run with bash -c)
declare -a names cmds
names+=(cld2);          cmds+=("'$work/bin/cld2_langid'")
names+=(cld2-besteffort); cmds+=("'$work/bin/cld2_langid' --best-effort")
names+=(cld3);          cmds+=("node '$here/cld3_langid.js'")
names+=(fasttext-q);    cmds+=("bash '$here/fasttext_predict.sh' '$ft/lid-$max_bytes.ftz'")
names+=(fasttext-full); cmds+=("bash '$here/fasttext_predict.sh' '$ft/lid.bin'")
if [[ -n "${OURS_CMD:-}" ]]; then names+=(ours); cmds+=("cd '$root' && $OURS_CMD"); fi

timing="$work/time/timings.tsv"
printf 'system\truns_s\tmedian_s\tlines_per_s\tmax_rss_mb\n' > "$timing"
for k in "${!names[@]}"; do
  n="${names[$k]}"; c="${cmds[$k]}"
  log "$n: test-short.tsv"
  bash -c "$c" < "$work/short.txt" > "$work/pred/$n.short.pred"
  log "$n: test.tsv x $runs (timed)"
  secs=(); rss=0
  for ((r = 1; r <= runs; r++)); do
    /usr/bin/time -f '%e %M' -o "$work/time/$n.$r" bash -c "$c" < "$work/test.txt" > "$work/pred/$n.test.pred"
    read -r e m < "$work/time/$n.$r"
    secs+=("$e"); if (( m > rss )); then rss=$m; fi
  done
  med=$(printf '%s\n' "${secs[@]}" | sort -g | awk '{a[NR]=$1} END{print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}')
  lines=$(wc -l < "$work/test.txt")
  printf '%s\t%s\t%s\t%s\t%s\n' "$n" "${secs[*]}" "$med" "$(awk -v l="$lines" -v s="$med" 'BEGIN{printf "%.0f", (s>0? l/s : 0)}')" \
    "$(awk -v m="$rss" 'BEGIN{printf "%.1f", m/1024}')" >> "$timing"
done

score_args=(--system-codes cld2=cld2,cld2-besteffort=cld2,cld3=cld3,fasttext-q=ours,fasttext-full=ours)
preds() {  # $1 = test|short
  local n
  for n in "${names[@]}"; do printf -- '--pred\n%s=%s\n' "$n" "$work/pred/$n.$1.pred"; done
}
{
  echo "# Peer language-ID baselines ($(date -u +%Y-%m-%d))"
  echo
  mapfile -t pt < <(preds test)
  python3 "$root/bench/langid_score.py" --readme "$data/README.md" --gold "$work/test.tsv" --sources "$data/test-sources.txt" "${pt[@]}" "${score_args[@]}"
  echo
  mapfile -t ps < <(preds short)
  python3 "$root/bench/langid_score.py" --readme "$data/README.md" --gold "$data/test-short.tsv" "${ps[@]}" "${score_args[@]}"
  echo
  echo "### Timing on test.tsv ($(wc -l < "$work/test.txt") lines; wall seconds incl. start-up and model load; median of $runs)"
  echo
  echo "| system | runs (s) | median (s) | lines/s | max RSS (MB) |"
  echo "| --- | --- | ---: | ---: | ---: |"
  tail -n +2 "$timing" | awk -F'\t' '{printf "| %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5}'
  echo
  echo "fastText models: quantized $(stat -c %s "$ft/lid-$max_bytes.ftz") bytes, unquantized $(stat -c %s "$ft/lid.bin") bytes."
  [[ -f "$ft/summary-$max_bytes.txt" ]] && { echo; echo '```'; cat "$ft/summary-$max_bytes.txt"; echo '```'; }
} > "$work/results.md"
log "wrote $work/results.md"
cat "$work/results.md"
