#!/usr/bin/env bash
# Language identification benchmark: slimnlp's shipped model against CLD2, CLD3 and fastText (trained on the
# same split, quantized to fit the same budget), side by side in one run on the shared test sets. Writes the
# "Language identification" section of bench/RESULTS.md (between its markers) and leaves the rest alone.
#   bash bench/langid_bench.sh        (from anywhere; needs ../shared/data/langid; takes ~15 min when fastText
#                                      must be trained, ~3 min after; scratch in /tmp/peers)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
data="$root/../shared/data/langid"
[ -f "$data/test.tsv.zst" ] || { echo "langid_bench: $data is missing (see DEVELOPERS.md)" >&2; exit 1; }
export WORK=${WORK:-/tmp/peers} LANGID_DATA=$data RUNS=${RUNS:-5}
command -v fasttext >/dev/null && [ -f /usr/include/cld2/public/compact_lang_det.h ] && command -v node >/dev/null \
  && [ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq fasttext libcld2-dev nodejs npm time >/dev/null; }
"$root/tools/build.sh"
model="$root/models/langid.slim"
budget=$(stat -c %s "$model")
# fastText is quantized to fit the budget our model was trained for (it is smaller still on disk).
export MAX_BYTES=524288
export OURS_CMD="build/slimnlp langid --model models/langid.slim | cut -f1"
bash "$root/bench/peers/run_peers.sh" > /dev/null

out="$WORK/langid_section.md"
{
  echo "<!-- langid:begin -->"
  echo "## Language identification"
  echo
  echo "Command: \`bash bench/langid_bench.sh\` ($(date -u +%Y-%m-%d)). Machine: $(nproc) cores,"
  echo "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/{print $2}') GiB; shared and noisy, so"
  echo "timings are medians of $RUNS runs. Data: \`../shared/data/langid\` test.tsv (52,916 sentences, 106 languages)"
  echo "and test-short.tsv (10,500 truncated sentences). Peers: CLD2 (Debian libcld2, full table), CLD3 (npm"
  echo "\`cld3-asm\`: a **WebAssembly** build of CLD3 with its official model, run in Node, so its speed says little"
  echo "about native CLD3), fastText (Debian, trained on the same train split with \`-minn 2 -maxn 4\`, then"
  echo "\`quantize -cutoff\` chosen as the largest whose model fits 512 KiB). Ours: \`models/langid.slim\`, $budget bytes."
  echo
  echo "### slimnlp's own evaluation (\`slimnlp eval langid\`)"
  echo
  for f in "$WORK/test.tsv" "$data/test-short.tsv"; do
    echo '```'
    "$root/build/slimnlp" eval langid --model "$model" --data "$f" | sed -n '2,12p'
    echo '```'
  done
  echo
  echo "### Side by side (\`bench/peers/run_peers.sh\`, scored by \`bench/langid_score.py\`)"
  echo
  echo "\`ours\` is slimnlp; \`fasttext-q\` is the 512 KiB quantized fastText, \`fasttext-full\` the unquantized one."
  echo "Each peer is scored on the languages it knows (its codes mapped from the data README's table)."
  echo
  sed '1,2d' "$WORK/results.md"
  echo
  echo "### Library throughput, single thread (\`build/langid_throughput\`, texts in memory, no I/O)"
  echo
  echo '```'
  "$root/build/langid_throughput" "$model" "$WORK/test.txt" "$RUNS"
  echo '```'
  awk -F'\t' '$1=="ours"{o=$3} $1=="fasttext-q"{f=$3} END{if (o>0) printf "\nCLI speed ratio on test.tsv (median wall time, start-up included): fastText 512 KiB / ours = %.2fx\n", f/o}' "$WORK/time/timings.tsv"
  echo "<!-- langid:end -->"
} > "$out"
python3 "$root/bench/update_results.py" "$root/bench/RESULTS.md" "$out" langid
echo "langid_bench: wrote the language identification section of bench/RESULTS.md" >&2
