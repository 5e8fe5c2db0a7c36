#!/usr/bin/env bash
# Thread scaling of the line-at-a-time commands: `slimnlp langid`, `annotate`, `tag`, `split` and `segment` with --threads 1
# and --threads N (N = the machine's cores) on the whole shared langid test text (52,916 lines), rounds
# interleaved, medians of wall time; the outputs of the two are compared byte for byte. Writes the "Threads"
# section of bench/RESULTS.md. The load average before and after is printed with the table: on a machine
# whose cores are busy with other work the speed-up shows the spare cores, not the scaling.
#   bash bench/threads_bench.sh [ROUNDS]     (default 5; about 2 minutes on 2 cores)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rounds=${1:-5}
data="$root/../shared/data/langid/test.tsv.zst"
[ -f "$data" ] || { echo "threads_bench: $data is missing" >&2; exit 1; }
"$root/tools/build.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
zstd -dcq "$data" | cut -f2 > "$work/text.txt"
cores=$(nproc)
load_before=$(cut -d' ' -f1 /proc/loadavg)
seconds() {  # COMMAND THREADS -> wall seconds
  local start end
  start=$(date +%s.%N)
  "$root/build/slimnlp" $1 --threads "$2" --file "$work/text.txt" > "$work/out.$2" 2> /dev/null
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}
median() { sort -g | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
rows=""
for cmd in langid annotate tag split segment; do
  one=() many=()
  for ((r = 0; r < rounds; r++)); do
    one+=("$(seconds "$cmd" 1)")
    many+=("$(seconds "$cmd" "$cores")")
  done
  same=yes
  cmp -s "$work/out.1" "$work/out.$cores" || same=NO
  m1=$(printf '%s\n' "${one[@]}" | median)
  mn=$(printf '%s\n' "${many[@]}" | median)
  rows+="| \`slimnlp $cmd\` | $(printf '%.2f' "$m1") | $(printf '%.2f' "$mn") | $(printf "%.2f" "$(echo "scale=4; $m1 / $mn" | bc)")x | $same |"$'\n'
done
load_after=$(cut -d' ' -f1 /proc/loadavg)
section="$work/section.md"
{
  echo "<!-- threads:begin -->"
  echo "## Threads"
  echo
  echo "Command: \`bash bench/threads_bench.sh $rounds\` ($(date -u +%Y-%m-%d)). Machine: $cores cores,"
  echo "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'); load average $load_before before, $load_after after."
  echo "Input: the $(wc -l < "$work/text.txt") lines of the shared langid test text (\`text\` column), each command on the"
  echo "shipped models, output to a file; whole runs (start-up and model loading included), median of $rounds interleaved"
  echo "rounds. \"Same output\": the two outputs compared byte for byte."
  echo
  echo "| command | 1 thread (s) | $cores threads (s) | speed-up | same output |"
  echo "| --- | ---: | ---: | ---: | --- |"
  printf '%s' "$rows"
  echo
  echo "<!-- threads:end -->"
} > "$section"
python3 "$root/bench/update_results.py" "$root/bench/RESULTS.md" "$section" threads
echo "threads_bench: wrote the threads section of bench/RESULTS.md" >&2
