#!/usr/bin/env bash
# A fuzzing campaign: every libFuzzer target for SECONDS (default 600) with ASan+UBSan, one after another, then
# the "Fuzzing" section of bench/RESULTS.md: executions, coverage, corpus, crashes and hangs per target.
#   bash bench/fuzz_campaign.sh [SECONDS [TARGET...]]   (default: every target; the table shows every target's
#                                                        last run, from its log in build-fuzz/)
#   bash bench/fuzz_campaign.sh 0                        only writes the table from the logs there
# To keep a campaign's gains: build-fuzz/fuzz/TARGET -merge=1 NEW_DIR fuzz/corpus/TARGET build-fuzz/corpus/TARGET
# then replace fuzz/corpus/TARGET by NEW_DIR's files (replayed by ctest's fuzz_replay.TARGET). Keep it small (a few
# hundred files, a few hundred KB): when the set with every feature is larger, merge it again by edges alone,
# -merge=1 -use_counters=0 SMALLER_DIR NEW_DIR.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-600}
shift || true
build="$root/build-fuzz"
mkdir -p "$build"
if [ $# -eq 0 ]; then set -- all; fi
if [ "$seconds" != 0 ]; then
  for t in "$@"; do "$root/tools/fuzz.sh" "$t" "$seconds" >> "$build/campaign.log" 2>&1 || true; done
fi
section=$(mktemp)
missing=
{
  echo "<!-- fuzz:begin -->"
  echo "## Fuzzing"
  echo
  echo "Command: \`bash bench/fuzz_campaign.sh SECONDS [TARGET...]\` or \`tools/fuzz.sh TARGET SECONDS\` (table written"
  echo "$(date -u +%Y-%m-%d); each row is that target's last campaign, with its length): one target at a time on one core,"
  echo "clang $(clang++ --version | head -1 | grep -oE '[0-9]+\.[0-9]+\.[0-9]+' | head -1) libFuzzer with AddressSanitizer + UndefinedBehaviorSanitizer, \`-timeout=10\` (an input"
  echo "slower than 10 s counts as a hang), seeds from \`fuzz/make_fuzz_seeds.cc\`. Machine: $(nproc) cores, shared."
  echo
  echo "Coverage is libFuzzer's: \`cov\` counts the instrumented edges reached, \`ft\` the features (edges with hit"
  echo "counts, comparisons). Corpus is what the campaign grew (files); kept is \`fuzz/corpus/TARGET\` after \`-merge=1\`,"
  echo "replayed by ctest's \`fuzz_replay.TARGET\`."
  echo
  echo "| target | what it feeds | seconds | executions | exec/s | cov (edges) | ft | corpus | kept (files, KB) | crashes | hangs |"
  echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
  for t in fuzz_model_loader fuzz_text fuzz_tsv fuzz_conllu fuzz_index_loader fuzz_jsonl fuzz_segment fuzz_http_api fuzz_http_request; do
    log="$build/$t.log"
    [ -f "$log" ] || { echo "| $t | (no campaign logged in build-fuzz/) | | | | | | | | | |"; missing=1; continue; }
    case $t in
      fuzz_model_loader) what="model files (container, sections, tensors) then a prediction";;
      fuzz_text) what="UTF-8 check, NFKC, decoding, features, langid top-k and spans";;
      fuzz_tsv) what="TSV files, plain and zstd, through the line reader";;
      fuzz_conllu) what="CoNLL-U files through the reader and writer";;
      fuzz_index_loader) what="index files: open (all checks), search, documents";;
      fuzz_jsonl) what="JSONL corpora through BuildIndex, then open and search the result";;
      fuzz_segment) what="any text through the Chinese segmenter; token order and coverage checked";;
      fuzz_http_api) what="HTTP request bodies through the server's JSON API, every endpoint; status and JSON body checked";;
      fuzz_http_request) what="raw bytes of whole requests over loopback to a real server (request guard, httplib, API); guard verdict and status line checked";;
    esac
    execs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' || echo 0)
    rate=$(grep -oE 'stat::average_exec_per_sec: *[0-9]+' "$log" | grep -oE '[0-9]+$' || echo 0)
    cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+' || echo 0)
    ft=$(grep -oE 'ft: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+' || echo 0)
    corpus=$(grep -oE 'corp: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+' || echo 0)
    kept="0"
    [ -d "$root/fuzz/corpus/$t" ] &&
      kept="$(ls "$root/fuzz/corpus/$t" | wc -l), $(( ($(cat "$root/fuzz/corpus/$t"/* | wc -c) + 512) / 1024 ))"
    crashes=$(ls "$build/crashes/$t" 2>/dev/null | grep -c '^crash-' || true)
    hangs=$(ls "$build/crashes/$t" 2>/dev/null | grep -c '^timeout-' || true)
    secs=$(grep -oE 'Done [0-9]+ runs in [0-9]+ second' "$log" | grep -oE '[0-9]+ second' | grep -oE '[0-9]+' || echo "?")
    echo "| $t | $what | $secs | $execs | $rate | $cov | $ft | $corpus | $kept | $crashes | $hangs |"
  done
  [ -n "$missing" ] && {
    echo
    echo "A target marked \"no campaign logged\" was not run in this build directory: its last figures are in the"
    echo "history of this file."
  }
  echo "<!-- fuzz:end -->"
} > "$section"
python3 "$root/bench/update_results.py" "$root/bench/RESULTS.md" "$section" fuzz
cat "$section"
