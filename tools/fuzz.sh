#!/usr/bin/env bash
# Runs one libFuzzer target for a while, with AddressSanitizer and UndefinedBehaviorSanitizer.
#   tools/fuzz.sh TARGET SECONDS     TARGET: fuzz_model_loader | fuzz_text | fuzz_tsv | fuzz_conllu |
#                                    fuzz_index_loader | fuzz_jsonl | fuzz_segment | fuzz_http_api |
#                                    fuzz_http_request | all
# Builds with clang into build-fuzz/, makes seed corpora from small valid inputs (fuzz/make_fuzz_seeds.cc),
# also starts from the kept corpus fuzz/corpus/TARGET (replayed by the test suite), keeps the growing corpus
# in build-fuzz/corpus/TARGET and any crash in build-fuzz/crashes/. Each input gets
# at most 10 s (-timeout=10): a slower one counts as a hang. Exits non-zero if the fuzzer found anything.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
target=${1:?usage: tools/fuzz.sh TARGET SECONDS}
seconds=${2:?usage: tools/fuzz.sh TARGET SECONDS}
targets=(fuzz_model_loader fuzz_text fuzz_tsv fuzz_conllu fuzz_index_loader fuzz_jsonl fuzz_segment fuzz_http_api fuzz_http_request)
"$root/tools/setup.sh"
if ! command -v clang++ >/dev/null || ! ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1; then
  echo "fuzz: installing clang and its sanitizer/libFuzzer runtimes" >&2
  apt-get update -qq && apt-get install -y -qq clang libclang-rt-dev >/dev/null
fi
build="$root/build-fuzz"
CC=clang CXX=clang++ SLIMNLP_BUILD_DIR="$build" CMAKE_BUILD_TYPE=RelWithDebInfo \
  "$root/tools/build.sh" -DSLIMNLP_FUZZ=ON -DSLIMNLP_SANITIZE=address,undefined
"$build/fuzz/make_fuzz_seeds" "$build/seeds"
[ "$target" = all ] && run=("${targets[@]}") || run=("$target")
status=0
for t in "${run[@]}"; do
  [ -x "$build/fuzz/$t" ] || { echo "fuzz: no target '$t' (have: ${targets[*]})" >&2; exit 2; }
  mkdir -p "$build/corpus/$t" "$build/crashes/$t" "$build/seeds/$t"
  echo "== $t for ${seconds}s"
  if ! ASAN_OPTIONS=detect_leaks=1 "$build/fuzz/$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -max_len=65536 -artifact_prefix="$build/crashes/$t/" -print_final_stats=1 \
      "$build/corpus/$t" "$build/seeds/$t" $([ -d "$root/fuzz/corpus/$t" ] && echo "$root/fuzz/corpus/$t") 2>&1 | tee "$build/$t.log" | grep -E "^(#[0-9]+.*(DONE|pulse))|stat::|ERROR|SUMMARY|Test unit written" ; then
    :
  fi
  if grep -qE "ERROR: |Test unit written|SUMMARY: .*Sanitizer" "$build/$t.log"; then
    echo "fuzz: $t found a problem: see $build/$t.log and $build/crashes/$t/" >&2
    status=1
  fi
done
exit $status
