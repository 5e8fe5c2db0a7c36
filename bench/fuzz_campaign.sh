#!/usr/bin/env bash
# A fuzzing campaign: every libFuzzer target for SECONDS (default 600) with ASan+UBSan, one after another, then
# the "Fuzzing" section of bench/RESULTS.md: executions, coverage, corpus, crashes and hangs per target.
#   bash bench/fuzz_campaign.sh [SECONDS]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-600}
build="$root/build-fuzz"
mkdir -p "$build"
"$root/tools/fuzz.sh" all "$seconds" > "$build/campaign.log" 2>&1 || true
section=$(mktemp)
{
  echo "<!-- fuzz:begin -->"
  echo "## Fuzzing"
  echo
  echo "Command: \`bash bench/fuzz_campaign.sh $seconds\` ($(date -u +%Y-%m-%d)): each target for $seconds s on one core,"
  echo "clang $(clang++ --version | head -1 | grep -oE '[0-9]+\.[0-9]+\.[0-9]+' | head -1) libFuzzer with AddressSanitizer + UndefinedBehaviorSanitizer, \`-timeout=10\` (an input"
  echo "slower than 10 s counts as a hang), seeds from \`fuzz/make_fuzz_seeds.cc\`. Machine: $(nproc) cores, shared."
  echo
  echo "| target | what it feeds | executions | exec/s | coverage (edges) | corpus | crashes | hangs |"
  echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"
  for t in fuzz_model_loader fuzz_text fuzz_tsv fuzz_conllu; do
    log="$build/$t.log"
    case $t in
      fuzz_model_loader) what="model files (container, sections, tensors) then a prediction";;
      fuzz_text) what="UTF-8 check, NFKC, decoding, features, langid top-k and spans";;
      fuzz_tsv) what="TSV files, plain and zstd, through the line reader";;
      fuzz_conllu) what="CoNLL-U files through the reader and writer";;
    esac
    execs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' || echo 0)
    rate=$(grep -oE 'stat::average_exec_per_sec: *[0-9]+' "$log" | grep -oE '[0-9]+$' || echo 0)
    cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+' || echo 0)
    corpus=$(grep -oE 'corp: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+' || echo 0)
    crashes=$(ls "$build/crashes/$t" 2>/dev/null | grep -c '^crash-' || true)
    hangs=$(ls "$build/crashes/$t" 2>/dev/null | grep -c '^timeout-' || true)
    echo "| $t | $what | $execs | $rate | $cov | $corpus | $crashes | $hangs |"
  done
  echo "<!-- fuzz:end -->"
} > "$section"
python3 "$root/bench/update_results.py" "$root/bench/RESULTS.md" "$section" fuzz
cat "$section"
