#!/usr/bin/env bash
# run_seg_peers.sh -- Chinese word-segmentation peers (jieba, ICU) on UD_Chinese-GSD and -GSDSimp test.
#
# Usage (from anywhere):  bash bench/peers/seg/run_seg_peers.sh
# Environment (all optional):
#   UD_DIR        UD treebanks folder (default /work/shared/data/ud)
#   WORK          scratch/output folder (default /tmp/seg_peers); never inside the repo
#   RUNS          timed whole runs per measurement, median reported (default 3)
#   TARGET_BYTES  size of the repeated "big" input used for MB/s (default 5000000)
#   SLIMNLP_BIN   if set, slimnlp itself (`$SLIMNLP_BIN segment`, shipped seg-zh model) is measured the same way
# Needs: zstd, g++, pkg-config + libicu-dev, /usr/bin/python3 with python3-jieba (apt-get install -y python3-jieba).
# Output: markdown table on stdout and in WORK/results.md; raw texts, system outputs, scores in WORK.
# Times are wall-clock of whole process runs (startup + dictionary load + segmentation);
# MB/s = input bytes / 10^6 / seconds. The load/segment split printed by each peer is kept in WORK/*.err.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ud="${UD_DIR:-/work/shared/data/ud}"
work="${WORK:-/tmp/seg_peers}"
runs="${RUNS:-3}"
target="${TARGET_BYTES:-5000000}"
py=/usr/bin/python3
mkdir -p "$work"

for tool in zstd g++ pkg-config; do
  command -v "$tool" >/dev/null || { echo "run_seg_peers.sh: '$tool' not found" >&2; exit 1; }
done
"$py" -c 'import jieba' 2>/dev/null || { echo "run_seg_peers.sh: jieba missing (apt-get install -y python3-jieba)" >&2; exit 1; }

read -ra icu_flags < <(pkg-config --cflags --libs icu-uc icu-i18n)
g++ -O2 -o "$work/icu_segment" "$here/icu_segment.cc" "${icu_flags[@]}"

declare -A cmd=(
  [jieba]="$py $here/jieba_segment.py"
  [icu]="$work/icu_segment"
)
systems=(jieba icu)
if [[ -n "${SLIMNLP_BIN:-}" ]]; then
  cmd[slimnlp]="$SLIMNLP_BIN segment --lang zh"
  systems=(slimnlp jieba icu)
fi

# Median wall-clock seconds of $runs runs of "${cmd[$1]} < $2 > $3"; stderr of the last run to $3.err.
time_runs() {
  local sys=$1 in=$2 out=$3 i t0 t1 times=()
  for ((i = 0; i < runs; i++)); do
    t0=$(date +%s%N)
    ${cmd[$sys]} < "$in" > "$out" 2> "$out.err"
    t1=$(date +%s%N)
    times+=("$(( t1 - t0 ))")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk -v m=$(( (runs + 1) / 2 )) 'NR == m { printf "%.3f", $1 / 1e9 }'
}

mbps() { awk -v b="$1" -v s="$2" 'BEGIN { printf "%.2f", (s > 0 ? b / 1e6 / s : 0) }'; }

table="| system | treebank | P | R | F1 | test s | test MB/s | big s | big MB/s | load s |
| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
notes=""
for tb in GSD GSDSimp; do
  gold="$ud/UD_Chinese-$tb/zh_${tb,,}-ud-test.conllu.zst"
  [[ -f "$gold" ]] || { echo "run_seg_peers.sh: $gold not found (set UD_DIR)" >&2; exit 1; }
  raw="$work/$tb.raw.txt" big="$work/$tb.big.txt"
  "$py" "$here/seg_score.py" "$gold" --raw-out "$raw"
  raw_bytes=$(wc -c < "$raw")
  reps=$(( (target + raw_bytes - 1) / raw_bytes ))
  for ((i = 0; i < reps; i++)); do cat "$raw"; done > "$big"
  big_bytes=$(wc -c < "$big")
  notes+="$tb: test raw text $raw_bytes bytes, big input $reps copies = $big_bytes bytes. "
  for sys in "${systems[@]}"; do
    # Untimed warm-up: jieba builds its dictionary cache (/tmp/jieba.cache) on the very first run.
    ${cmd[$sys]} < "$raw" > /dev/null 2>&1
    t_test=$(time_runs "$sys" "$raw" "$work/$sys.$tb.txt")
    t_big=$(time_runs "$sys" "$big" "$work/$sys.$tb.big.out")
    load=$(sed -n 's/.*load \([0-9.]*\) s.*/\1/p' "$work/$sys.$tb.big.out.err")
    rm -f "$work/$sys.$tb.big.out"
    "$py" "$here/seg_score.py" "$gold" "$work/$sys.$tb.txt" --json --name "$sys" \
      > "$work/$sys.$tb.score.json" 2> "$work/$sys.$tb.score.err"
    if [[ -s "$work/$sys.$tb.score.err" ]]; then
      echo "run_seg_peers.sh: $sys/$tb alignment problems, see $work/$sys.$tb.score.err" >&2
    fi
    read -r p r f < <("$py" -c 'import json,sys; d=json.load(open(sys.argv[1])); print("%.2f %.2f %.2f" % (d["precision"], d["recall"], d["f1"]))' \
      "$work/$sys.$tb.score.json")
    table+="
| $sys | $tb test | $p | $r | $f | $t_test | $(mbps "$raw_bytes" "$t_test") | $t_big | $(mbps "$big_bytes" "$t_big") | $load |"
  done
done
notes+="Seconds: median of $runs whole runs; load s: the peer's own load figure on the big input."
printf '%s\n\n%s\n' "$table" "$notes" | tee "$work/results.md"
