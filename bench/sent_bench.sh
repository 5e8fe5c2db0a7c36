#!/usr/bin/env bash
# Sentence splitting benchmark: every shipped models/sent-<lang>.slim on its treebank's test split (and the
# off-domain test where tools/ud_data.sh names one), `slimnlp eval sentences`, beside UDPipe 2's published
# Sentences F1 for the same treebank, and NLTK's Punkt (Debian python3-nltk) trained on the same train text,
# measured in the same run (bench/peers/sent/punkt_peer.py; not for Chinese and Japanese, which Punkt cannot
# split without spaces). Writes the "Sentence splitting" section of
# bench/RESULTS.md.
#   bash bench/sent_bench.sh          (needs ../shared/data/ud; about 2 minutes)
#   bash bench/sent_bench.sh en fr    only these languages
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/tools/ud_data.sh"
langs=("$@")
[ ${#langs[@]} -gt 0 ] || mapfile -t langs < <(ud_languages)
[ -d "$ud_root" ] || { echo "sent_bench: $ud_root is missing" >&2; exit 1; }
/usr/bin/python3 -c 'import nltk' 2>/dev/null || { apt-get update -qq && apt-get install -y -qq python3-nltk >/dev/null; }
"$root/tools/build.sh"
work=${WORK:-/tmp/sent_bench}
mkdir -p "$work"
section="$work/sent_section.md"
{
  echo "<!-- sentences:begin -->"
  echo "## Sentence splitting"
  echo
  echo "Command: \`bash bench/sent_bench.sh\` ($(date -u +%Y-%m-%d)). Machine: $(nproc) cores, shared (load average"
  echo "$(cut -d' ' -f1 /proc/loadavg) at the start)."
  echo
  echo "\`slimnlp eval sentences --model models/sent-<lang>.slim --data <test>\`: the test sentences joined into"
  echo "paragraphs as the treebank's raw text has them (\`# newpar\` / \`# newdoc\`, else runs of 10 sentences; by a"
  echo "space, or by nothing for Chinese and Japanese) and split again; a sentence counts if its span is exactly a"
  echo "gold sentence's (the CoNLL 2018 shared task's Sentences F1). Models from \`tools/train_sent.sh\` (train"
  echo "split, plus the dev split of the language's other treebank where there is one; epoch chosen on dev; 128 KiB"
  echo "each). UDPipe 2: its published Sentences F1 on the same treebank (UD 2.17"
  echo "models, raw text; source in \`bench/peers/udpipe2_published.tsv\`): it splits the same raw text jointly"
  echo "with tokenization, so the two are close but not the same run. Punkt: NLTK 3.8's unsupervised splitter"
  echo "trained on the main train text (\`bench/peers/sent/punkt_peer.py\`), scored on the same paragraphs by the"
  echo "same rule. Speed: splitting only, one thread (Punkt in Python)."
  echo
  echo "| language | test treebank | domain | size (bytes) | sentences | P % | R % | F1 % | UDPipe 2 F1 % | Punkt F1 % | MB/s | Punkt MB/s |"
  echo "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
  for lang in "${langs[@]}"; do
    model="$root/models/sent-$lang.slim"
    [ -f "$model" ] || { echo "sent_bench: $model is missing" >&2; continue; }
    ud_prepare "$lang"
    args=()
    case "$lang" in zh|ja) args+=(--join-without-spaces) ;; esac
    # The dev split of the language's other treebank is trained on (tools/train_sent.sh): its test is another
    # genre, but not unseen. Dutch learns from Alpino dev and is tested on Alpino test (LassySmall v1.4 has no
    # raw text).
    tests=("${UD_TESTS[@]}" "${UD_OFFDOMAIN[@]}")
    [ "$lang" = zh ] && tests=("${UD_TESTS[@]:0:2}")  # The r1.4 test is the same sentences in older form.
    [ "$lang" = nl ] && tests=("$ud_root/UD_Dutch-Alpino/nl_alpino-ud-test.conllu.zst")
    # VTB spaces punctuation apart ("Hà Nội ."): also its test as running text writes it.
    if [ "$lang" = vi ]; then
      zstd -dcq "${tests[0]}" | "$root/tools/ud/attach_punctuation.py" > "$work/vi-test-attached.conllu"
      tests+=("$work/vi-test-attached.conllu")
    fi
    for test in "${tests[@]}"; do
      domain=in
      [[ " ${UD_OFFDOMAIN[*]} " == *" $test "* ]] && domain="other genre, its dev trained on"
      name=$(basename "$(dirname "$test")")
      [[ $name == UD_* ]] || name=$(basename "$(dirname "$(dirname "$test")")")
      [[ $test == *vi-test-attached.conllu ]] && name="UD_Vietnamese-VTB, punctuation attached"
      report=$("$root/build/slimnlp" eval sentences --model "$model" --data "$test" "${args[@]}")
      read -r n p r f mbs < <(awk '/^data:/{gsub(/\(/,""); n=$(NF-2)} /^precision/{p=$2} /^recall/{r=$2} /^F1/{f=$2} /^speed/{s=$2}
        END{printf "%s %.2f %.2f %.2f %s\n", n, p*100, r*100, f*100, s}' <<< "$report")
      udpipe=$(awk -F'\t' -v t="${name#UD_}" '$1 == t {print $5}' "$root/bench/peers/udpipe2_published.tsv")
      punkt="n/a n/a n/a n/a"
      punkt_train=$UD_TRAIN
      [ "$lang" = nl ] && punkt_train=$ud_root/UD_Dutch-Alpino/nl_alpino-ud-dev.conllu.zst
      case "$lang" in zh|ja) ;; *) punkt=$("$root/bench/peers/sent/punkt_peer.py" "$punkt_train" "$test") ;; esac
      read -r _ _ punkt_f punkt_mbs <<< "$punkt"
      echo "| $lang | $name | $domain | $(stat -c %s "$model") | $n | $p | $r | $f | ${udpipe:-n/a} | $punkt_f | $mbs | $punkt_mbs |"
    done
  done
  echo
  echo "<!-- sentences:end -->"
} > "$section"
python3 "$root/bench/update_results.py" "$root/bench/RESULTS.md" "$section" sentences
echo "sent_bench: wrote the sentence splitting section of bench/RESULTS.md" >&2
