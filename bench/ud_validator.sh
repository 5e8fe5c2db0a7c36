#!/usr/bin/env bash
# Runs the official UD validator (github.com/UniversalDependencies/tools validate.py, which needs udapi from
# github.com/udapi/udapi-python and Debian python3-regex, python3-termcolor) on what `slimnlp annotate` and
# `slimnlp tag --format conllu` write: the raw text of each shared test treebank's first 300 sentences, three
# sentences a line (so that the sentence splitter is at work), plus a file of hostile lines (byte-order mark,
# blank and white-space lines, invalid UTF-8, digits only, symbols, a very long line). Writes the "UD
# validator" section of bench/RESULTS.md. Neither checkout can be fetched by the test suite (no network), so
# this is a benchmark script; tests/cli/cli_test.cc checks the level-1 rules that matter here on every run.
#   UD_TOOLS=/path/to/UniversalDependencies-tools UDAPI=/path/to/udapi-python bash bench/ud_validator.sh
# (checkouts; for unpacked snapshots, name their commits in UD_TOOLS_REV and UDAPI_REV)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/tools/ud_data.sh"
: "${UD_TOOLS:?set UD_TOOLS to a checkout of github.com/UniversalDependencies/tools}"
: "${UDAPI:?set UDAPI to a checkout of github.com/udapi/udapi-python}"
for p in python3-regex python3-termcolor python3-colorama; do
  dpkg -s "$p" > /dev/null 2>&1 || apt-get install -y -qq "$p" > /dev/null
done
"$root/tools/build.sh"
work=${WORK:-/tmp/ud_validator}
mkdir -p "$work"
validate() {  # FILE LANG LEVEL -> "PASSED" or the number of errors
  local out
  out=$(cd "$UD_TOOLS" && PYTHONPATH="$UDAPI" /usr/bin/python3 validate.py --level "$3" --lang "$2" "$1" 2>&1 || true)
  if grep -q '\*\*\* PASSED \*\*\*' <<< "$out"; then echo PASSED; else
    echo "FAILED: $(grep -c '\[L' <<< "$out") errors, first: $(grep -m1 '\[L' <<< "$out" | cut -c1-120)"
  fi
}
{
  printf '\xef\xbb\xbfThe cat sat. It slept.\n\n   \t \nbad \xff line\n12345\n!!! ??? ...\n'
  head -c 300000 /dev/zero | tr '\0' 'a'; echo
  echo "Je vais au marché du village. Tu viens ?"
  echo "然而，這樣的處理也衍生了一些問題。他來了。"
} > "$work/hostile.txt"
section="$work/section.md"
{
  echo "<!-- udvalidator:begin -->"
  echo "## UD validator"
  echo
  echo "Command: \`UD_TOOLS=... UDAPI=... bash bench/ud_validator.sh\` ($(date -u +%Y-%m-%d)); validator"
  echo "UniversalDependencies/tools@${UD_TOOLS_REV:-$(git -C "$UD_TOOLS" rev-parse --short HEAD)}, udapi-python@${UDAPI_REV:-$(git -C "$UDAPI" rev-parse --short HEAD)}. Input: the raw text of each test treebank's first 300"
  echo "sentences, three a line, through \`slimnlp annotate\` (language identified on each line) and \`slimnlp tag"
  echo "--format conllu --model models/pos-<lang>.slim\`; and a file of hostile lines (BOM, blank lines, invalid"
  echo "UTF-8, digits, symbols, a 300,000-byte line, French and Chinese). Level 1 is the CoNLL-U format; level 2"
  echo "also checks the content a treebank must have (lemmas, features, trees), which a tagger does not write."
  echo
  echo "| input | sentences written by annotate | annotate, level 1 | tag, level 1 |"
  echo "| --- | ---: | --- | --- |"
  "$root/build/slimnlp" annotate --file "$work/hostile.txt" > "$work/hostile.conllu" 2> /dev/null
  "$root/build/slimnlp" tag --format conllu --file "$work/hostile.txt" > "$work/hostile-tag.conllu" 2> /dev/null
  echo "| hostile lines | $(grep -c '^# sent_id' "$work/hostile.conllu") | $(validate "$work/hostile.conllu" en 1) | $(validate "$work/hostile-tag.conllu" en 1) |"
  for lang in $(ud_languages); do
    ud_prepare "$lang" > /dev/null 2>&1 || continue
    test=${UD_TESTS[0]}
    [ "$lang" = nl ] && test=$ud_root/UD_Dutch-Alpino/nl_alpino-ud-test.conllu.zst  # LassySmall v1.4: no raw text.
    name=$(basename "$(dirname "$test")")
    [[ $name == UD_* ]] || name=$(basename "$(dirname "$(dirname "$test")")")
    (set +o pipefail; zstd -dcq "$test" | awk '/^# text =/{sub(/^# text = ?/, ""); print; if (++n == 300) exit}' |
      paste -d' ' - - - > "$work/$lang.txt")
    "$root/build/slimnlp" annotate --file "$work/$lang.txt" > "$work/$lang.conllu" 2> /dev/null
    "$root/build/slimnlp" tag --format conllu --model "$root/models/pos-$lang.slim" --file "$work/$lang.txt" \
      > "$work/$lang-tag.conllu" 2> /dev/null
    echo "| $lang: $name | $(grep -c '^# sent_id' "$work/$lang.conllu") | $(validate "$work/$lang.conllu" "$lang" 1) | $(validate "$work/$lang-tag.conllu" "$lang" 1) |"
  done
  echo
  echo "<!-- udvalidator:end -->"
} > "$section"
python3 "$root/bench/update_results.py" "$root/bench/RESULTS.md" "$section" udvalidator
echo "ud_validator: wrote the UD validator section of bench/RESULTS.md" >&2
