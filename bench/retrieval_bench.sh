#!/usr/bin/env bash
# Retrieval benchmark: slimnlp (BM25 and TF-IDF) side by side with Xapian's BM25 and a DrQA-style hashed TF-IDF
# on the shared QA sets, one scorer for all (bench/peers/retrieval/run_ret_peers.sh, ret_score.py); then the
# scale test: a synthetic collection of 1,000,000 documents (bench/gen_synthetic_corpus.py, seed 1) indexed on
# this machine, with build rate, index size and query latency. Writes the "Retrieval" section of
# bench/RESULTS.md.
#   bash bench/retrieval_bench.sh      (needs ../shared/data/qa; ~10 minutes; scratch in /tmp/ret_peers)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
qa="$root/../shared/data/qa"
[ -d "$qa" ] || { echo "retrieval_bench: $qa is missing (see DEVELOPERS.md)" >&2; exit 1; }
need=()
[ -f /usr/include/xapian.h ] || need+=(libxapian-dev)
/usr/bin/python3 -c 'import numpy, scipy, regex' 2>/dev/null || need+=(python3-numpy python3-scipy python3-regex)
[ -x /usr/bin/time ] || need+=(time)
if [ ${#need[@]} -gt 0 ]; then apt-get update -qq && apt-get install -y -qq "${need[@]}" >/dev/null; fi
"$root/tools/build.sh"
export WORK=${WORK:-/tmp/ret_peers} DATA=$qa NICE=""
mkdir -p "$WORK"
peers=$(SLIMNLP_RUN="$root/build/retrieval_run" SLIMNLP_RERANK="$root/models/rerank.slim" bash "$root/bench/peers/retrieval/run_ret_peers.sh" 2>/dev/null)

syn="$WORK/syn1m.jsonl" synq="$WORK/syn1m-q.jsonl"
[ -s "$syn" ] || /usr/bin/python3 "$root/bench/gen_synthetic_corpus.py" 1000000 "$syn" --seed 1 --questions 2000 "$synq" >&2
/usr/bin/time -f '%e %M' -o "$WORK/index.time" "$root/build/slimnlp" index --input "$syn" --out "$WORK/syn1m.index" \
  > "$WORK/index.out" 2> "$WORK/index.log"
/usr/bin/time -f '%e %M' -o "$WORK/search.time" "$root/build/slimnlp" eval retrieval --index "$WORK/syn1m.index" \
  --questions "$synq" > "$WORK/search.out"
raw=$(stat -c %s "$syn"); idx=$(stat -c %s "$WORK/syn1m.index")
read -r build_s build_kb < "$WORK/index.time"
read -r _ search_kb < "$WORK/search.time"
# Sizes from the header's section table (docs/index_format.md, version 2): the inverted index proper (both
# dictionaries, postings, document lengths) apart from the compressed documents kept for snippets.
read -r inverted store sections < <(/usr/bin/python3 - "$WORK/syn1m.index" "$raw" <<'PY'
import struct, sys
h = open(sys.argv[1], 'rb').read(192); raw = int(sys.argv[2])
names = ['dictionary of single-document terms', 'dictionary of the others', 'postings', 'document lengths',
         'block table', 'zstd dictionary', 'document store']
sizes = [struct.unpack_from('<QQ', h, 64 + 16 * i)[1] for i in range(len(names))]
print(sum(sizes[:4]), sum(sizes[4:]), ', '.join('%s %.1f%%' % (n, 100 * b / raw) for n, b in zip(names, sizes)))
PY
)

# The same measure on real text: every paragraph of the shared QA collections in one index.
cat "$qa"/{squad11-dev-disjoint,squad11-dev-train,nq-qed-dev,nq-qed-train,wiki-distractors-gap}/corpus.jsonl > "$WORK/real.jsonl"
"$root/build/slimnlp" index --input "$WORK/real.jsonl" --out "$WORK/real.index" > /dev/null 2>&1
real_raw=$(stat -c %s "$WORK/real.jsonl"); real_docs=$(wc -l < "$WORK/real.jsonl")
read -r real_inverted real_store _ < <(/usr/bin/python3 - "$WORK/real.index" <<'PY'
import struct, sys
h = open(sys.argv[1], 'rb').read(192)
sizes = [struct.unpack_from('<QQ', h, 64 + 16 * i)[1] for i in range(7)]
print(sum(sizes[:4]), sum(sizes[4:]), '-')
PY
)

section="$WORK/ret_section.md"
{
  echo "<!-- retrieval:begin -->"
  echo "## Retrieval"
  echo
  echo "Command: \`bash bench/retrieval_bench.sh\` ($(date -u +%Y-%m-%d)). Machine: $(nproc) cores, shared and noisy."
  echo
  echo "### Quality and speed on the shared QA sets"
  echo
  echo "Data: \`../shared/data/qa\` (title + text of each paragraph; \"+gap\": with the 4,451 wiki-distractors-gap"
  echo "paragraphs added; scifact: BEIR test qrels). One scorer for every system (\`ret_score.py\`: R@k = gold"
  echo "paragraph in the top k; answer R@5 = DrQA's has_answer on the top 5; MRR over the top 20; nDCG@10 with"
  echo "binary gains). slimnlp: \`bench/retrieval_run.cc\` = BuildIndex + Index::Search with the defaults (hashed"
  echo "stemmed unigrams + bigrams, English stopwords out, BM25 k1 0.9 b 0.4, or \`--scoring tfidf\`). Xapian:"
  echo "TermGenerator with the English stemmer, QueryParser, BM25Weight defaults. DrQA: its TfidfDocRanker"
  echo "recipe reimplemented in Python (hashed uni+bigrams, 2^24 buckets, SimpleTokenizer). slimnlp-bm25+rerank:"
  echo "BM25's top 20 reordered by \`models/rerank.slim\` (trained by \`tools/train_rerank.sh\` on the article-disjoint"
  echo "training sets, never on these). Latency: one thread, wall (thread CPU), per query (with reranking)."
  echo
  echo "$peers"
  echo
  echo "### Scale: 1,000,000 synthetic documents"
  echo
  echo "\`python3 bench/gen_synthetic_corpus.py 1000000 syn1m.jsonl --seed 1 --questions 2000 syn1m-q.jsonl\`"
  echo "(Zipf vocabulary of 200k pseudo-words whose 100 most frequent are English function words, as in English"
  echo "text; paragraph-like lengths; queries are a few words of a random document, which is their gold). Then"
  echo "\`slimnlp index\` and \`slimnlp eval retrieval\`, one thread."
  echo
  echo "| measure | value |"
  echo "| --- | ---: |"
  echo "| raw JSONL | $raw bytes |"
  echo "| index build | $build_s s: $(awk -v s="$build_s" 'BEGIN{printf "%.0f", 1e6/s}') documents/s, $(awk -v s="$build_s" -v r="$raw" 'BEGIN{printf "%.2f", r/s/1e6}') MB/s |"
  echo "| peak memory, building | $(awk -v k="$build_kb" 'BEGIN{printf "%.0f", k/1024}') MiB |"
  echo "| inverted index (dictionaries, postings, document lengths) | $inverted bytes = $(awk -v a="$inverted" -v b="$raw" 'BEGIN{printf "%.1f", 100*a/b}')% of the raw text |"
  echo "| document store (zstd blocks, for snippets and GetDocument) | $store bytes = $(awk -v a="$store" -v b="$raw" 'BEGIN{printf "%.1f", 100*a/b}')% of the raw text |"
  echo "| index file in all | $idx bytes = $(awk -v a="$idx" -v b="$raw" 'BEGIN{printf "%.1f", 100*a/b}')% of the raw text ($sections) |"
  echo "| query latency p50 / p90 / p99 | $(awk '/^latency/{print $4" / "$6" / "$8" ms"}' "$WORK/search.out") |"
  echo "| recall@1 / @5 / @20 (synthetic queries) | $(awk '/^recall@1 /{a=$2} /^recall@5 /{b=$2} /^recall@20/{c=$2} END{print a" / "b" / "c}' "$WORK/search.out") |"
  echo "| peak memory, searching (eval, 2000 queries, index mapped) | $(awk -v k="$search_kb" 'BEGIN{printf "%.0f", k/1024}') MiB |"
  echo
  echo "Real text for comparison: the $real_docs paragraphs of every shared QA collection (SQuAD, NQ, wiki distractors;"
  echo "$real_raw bytes of JSONL) in one index: inverted index $(awk -v a="$real_inverted" -v b="$real_raw" 'BEGIN{printf "%.1f", 100*a/b}')%, document store"
  echo "$(awk -v a="$real_store" -v b="$real_raw" 'BEGIN{printf "%.1f", 100*a/b}')% of the raw text (a small collection: most of its bigrams occur once)."
  echo "<!-- retrieval:end -->"
} > "$section"
python3 "$root/bench/update_results.py" "$root/bench/RESULTS.md" "$section" retrieval
echo "retrieval_bench: wrote the retrieval section of bench/RESULTS.md" >&2
