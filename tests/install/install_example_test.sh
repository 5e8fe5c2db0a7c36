#!/usr/bin/env bash
# The installed package, used as a consumer would use it (ctest: "installed package builds and runs the
# examples"). Installs the build tree into a temporary prefix, checks the layout, builds examples/ with
# find_package(slimnlp) (shared, and langid_static against libslimnlp.a), builds langid.cc with pkg-config
# (shared and static), runs them all and the installed CLI, and checks their output.
#
#   install_example_test.sh CMAKE BUILD_DIR EXAMPLES_DIR CXX [SANITIZE]
#
# Exits 77 (ctest: skipped) when SANITIZE is set: a sanitized library needs the sanitizer runtime linked into
# every program that uses it, which a consumer's build does not do; the library code itself runs under the
# sanitizers in the unit tests.
set -euo pipefail
cmake=$1 build=$2 examples=$3 cxx=$4 sanitize=${5:-}
if [ -n "$sanitize" ]; then
  echo "skipped: sanitizer build (SLIMNLP_SANITIZE=$sanitize); the installed package is tested in the normal build"
  exit 77
fi
start=$SECONDS
jobs=$(nproc 2>/dev/null || echo 2)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/slimnlp-install-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix
unset SLIMNLP_MODELS  # the programs must find the installed models by themselves
cd "$tmp"             # and no ./models directory is at hand

fail() { echo "FAIL: $*" >&2; exit 1; }
# Runs a step quietly; on failure shows its output.
step() {
  local name=$1; shift
  if ! "$@" > "$tmp/$name.log" 2>&1; then
    cat "$tmp/$name.log" >&2
    fail "$name: $*"
  fi
}
# expect NAME PATTERN COMMAND...: runs COMMAND, and its output must match the extended regex PATTERN.
expect() {
  local name=$1 pattern=$2; shift 2
  local out rc=0
  out=$("$@" 2> "$tmp/$name.err") || rc=$?
  [ "$rc" = 0 ] || { cat "$tmp/$name.err" >&2; fail "$name exited with $rc: $*"; }
  grep -Eq -- "$pattern" <<< "$out" || fail "$name: output does not match /$pattern/: $out"
  echo "ok  $name: $(head -1 <<< "$out")"
}
needed() { readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'; }

# 1. Install, and the layout.
step install "$cmake" --install "$build" --prefix "$prefix"
pc=$(find "$prefix" -name slimnlp.pc -path '*/pkgconfig/*')
[ -n "$pc" ] || fail "no slimnlp.pc installed"
libdir=$(dirname "$(dirname "$pc")")
for f in include/slimnlp/langid.h include/slimnlp/tagger.h include/slimnlp/segmenter.h include/slimnlp/retrieval.h \
         include/slimnlp/pipeline.h include/slimnlp/model_info.h include/slimnlp/version.h bin/slimnlp \
         share/slimnlp/models/langid.slim share/slimnlp/models/seg-zh.slim share/slimnlp/models/pos-en.slim \
         share/slimnlp/models/rerank.slim share/slimnlp/models/README.md; do
  [ -f "$prefix/$f" ] || fail "not installed: $f"
done
for f in libslimnlp.a libslimnlp.so libslimnlp.so.0.1 libslimnlp.so.0.1.0 cmake/slimnlp/slimnlpConfig.cmake \
         cmake/slimnlp/slimnlpConfigVersion.cmake cmake/slimnlp/slimnlpTargets.cmake \
         cmake/slimnlp/slimnlpStaticTargets.cmake; do
  [ -e "$libdir/$f" ] || fail "not installed: ${libdir#"$prefix"/}/$f"
done
unwanted=$(find "$prefix" -name '*server*' -o -name '*test*' -o -name '*bench*' -o -name '*throughput*')
[ -z "$unwanted" ] || fail "installed but should not be: $unwanted"
readelf -d "$libdir/libslimnlp.so" | grep 'SONAME.*\[libslimnlp.so.0.1\]' > /dev/null ||
  fail "the soname is not libslimnlp.so.0.1"
echo "ok  install: $(find "$prefix" -type f | wc -l) files in ${prefix#"$tmp"/}"

# 2. The installed CLI finds the installed models (<bin>/../share/slimnlp/models).
expect cli '^fr	' "$prefix/bin/slimnlp" langid "Ceci est une phrase."

# 3. examples/ with CMake: find_package(slimnlp) from the prefix only.
step configure "$cmake" -S "$examples" -B "$tmp/examples" -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_CXX_COMPILER="$cxx" -DSLIMNLP_EXAMPLES_STATIC=ON -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF
grep -q "^slimnlp_DIR:PATH=$libdir/cmake/slimnlp\$" "$tmp/examples/CMakeCache.txt" ||
  fail "examples did not use the installed package: $(grep '^slimnlp_DIR' "$tmp/examples/CMakeCache.txt")"
step build "$cmake" --build "$tmp/examples" -j "$jobs"
ex=$tmp/examples
needed "$ex/langid" | grep -x 'libslimnlp.so.0.1' > /dev/null || fail "langid does not link libslimnlp.so.0.1"
needed "$ex/langid_static" | grep 'libslimnlp' > /dev/null && fail "langid_static links the shared library"
expect langid '^fr	[0-9.]+	reliable$' "$ex/langid" "Ceci est une phrase."
expect langid-stdin '^de	' sh -c "echo 'Das ist ein Satz.' | '$ex/langid'"
expect langid_static '^fr	[0-9.]+	reliable$' "$ex/langid_static" "Ceci est une phrase."
expect tag '(^| )cat/NOUN ' "$ex/tag" "The cat sat on the mat."
expect tag-multiword ' do/AUX n.t/PART ' "$ex/tag" "I don't know."  # as slimnlp tag splits it
expect segment '^然而 ' "$ex/segment" "然而，這樣的處理也衍生了一些問題。"
expect search '^1	rome	' "$ex/search" "who founded the city?"
expect annotate '^fr [0-9.]+: Je/PRON ' "$ex/annotate" "Je vais au marché."

# 4. langid.cc with pkg-config: compiled once, linked against the shared and against the static library.
export PKG_CONFIG_PATH=$libdir/pkgconfig
[ "$(pkg-config --modversion slimnlp)" = 0.1.0 ] || fail "pkg-config --modversion slimnlp: $(pkg-config --modversion slimnlp)"
models_dir=$(pkg-config --variable=modelsdir slimnlp)
# The installed version macro says what pkg-config says.
printf '#include <slimnlp/version.h>\n#include <cstdio>\nint main() { std::puts(SLIMNLP_VERSION_STRING); return SLIMNLP_VERSION > 0 ? 0 : 1; }\n' > "$tmp/version.cc"
# shellcheck disable=SC2046
step pc-version "$cxx" -std=c++17 "$tmp/version.cc" -o "$tmp/version" $(pkg-config --cflags slimnlp)
expect version-macro "^$(pkg-config --modversion slimnlp)\$" "$tmp/version"
[ -f "$models_dir/langid.slim" ] || fail "pkg-config modelsdir '$models_dir' has no langid.slim"
# shellcheck disable=SC2046  # word splitting of pkg-config's flags is wanted
step pc-compile "$cxx" -std=c++20 -c "$examples/langid.cc" -o "$tmp/langid.o" $(pkg-config --cflags slimnlp) \
  -DSLIMNLP_MODELS_DIR="\"$models_dir\""
# shellcheck disable=SC2046
step pc-link-shared "$cxx" "$tmp/langid.o" -o "$tmp/langid_pc" $(pkg-config --libs slimnlp)
# shellcheck disable=SC2046
step pc-link-static "$cxx" "$tmp/langid.o" -o "$tmp/langid_pc_static" $(pkg-config --static --libs slimnlp-static)
ldd_out=$(LD_LIBRARY_PATH=$libdir ldd "$tmp/langid_pc")
grep -F "libslimnlp.so.0.1 => $libdir/libslimnlp.so.0.1 " <<< "$ldd_out" > /dev/null ||
  fail "langid_pc does not load the installed libslimnlp.so.0.1: $ldd_out"
needed "$tmp/langid_pc_static" | grep 'libslimnlp' > /dev/null && fail "langid_pc_static links the shared library"
expect pkg-config-shared '^fr	[0-9.]+	reliable$' env LD_LIBRARY_PATH="$libdir" "$tmp/langid_pc" "Ceci est une phrase."
expect pkg-config-static '^fr	[0-9.]+	reliable$' env SLIMNLP_MODELS="$models_dir" "$tmp/langid_pc_static" \
  "Ceci est une phrase."

echo "passed in $((SECONDS - start)) s"
