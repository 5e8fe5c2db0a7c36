#!/usr/bin/env bash
# run_ret_peers.sh -- passage-retrieval peers (Xapian BM25, DrQA-style TF-IDF) on the shared qa/ sets,
# scored by ret_score.py; prints a markdown table (also saved as $WORK/results.md).
#
# Usage (from anywhere):  bash bench/peers/retrieval/run_ret_peers.sh
#   WORK=/tmp/ret_peers  work dir (runs, Xapian databases, binary); nothing is written into the repo
#   DATA=<repo>/../shared/data/qa, or /work/shared/data/qa
#   NICE="nice -n 10"    the machine is shared with builds
#   SLIMNLP_RUN=<build>/retrieval_run   if set, slimnlp is measured too, the same way (BM25 and TF-IDF)
#   SLIMNLP_RERANK=models/rerank.slim   and with it, BM25 followed by the reranker
# Needs: g++, libxapian-dev, nlohmann-json3-dev, zstd, python3-{numpy,scipy,regex} (Debian packages).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
WORK="${WORK:-/tmp/ret_peers}"
DATA="${DATA:-$here/../../../../shared/data/qa}"
[[ -d "$DATA" ]] || DATA=/work/shared/data/qa
NICE="${NICE:-nice -n 10}"
PY=/usr/bin/python3
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1   # single-thread latency figures

if [[ ! -f /usr/include/xapian.h || ! -f /usr/include/nlohmann/json.hpp ]] || ! $PY -c 'import numpy, scipy, regex' 2>/dev/null; then
  echo "run_ret_peers.sh: missing packages; install with:" >&2
  echo "  apt-get update && apt-get install -y libxapian-dev nlohmann-json3-dev zstd python3-numpy python3-scipy python3-regex" >&2
  exit 1
fi
mkdir -p "$WORK/bin" "$WORK/runs"
bin="$WORK/bin/xapian_bm25"
if [[ ! -x "$bin" || "$here/xapian_bm25.cc" -nt "$bin" ]]; then
  # shellcheck disable=SC2046  # pkg-config output is meant to be split into flags
  $NICE g++ -O2 -std=c++17 -Wall -o "$bin" "$here/xapian_bm25.cc" $(pkg-config --cflags --libs xapian-core)
fi
$PY "$here/drqa_tfidf.py" --selftest >&2

# BEIR convention: only the queries that have test qrels are run.
$PY - "$DATA/scifact" "$WORK/scifact-test-queries.jsonl" <<'EOF'
import json, sys
d, out = sys.argv[1:]
test = {l.split('\t')[0] for l in open(d + '/qrels/test.tsv').read().splitlines()[1:] if l}
with open(out, 'w') as f:
    for l in open(d + '/queries.jsonl', encoding='utf-8'):
        if json.loads(l)['_id'] in test:
            f.write(l)
EOF

gap="$DATA/wiki-distractors-gap/corpus.jsonl"
systems=(xapian-bm25 drqa-tfidf)
[[ -n "${SLIMNLP_RUN:-}" ]] && systems=(slimnlp-bm25 slimnlp-tfidf xapian-bm25 drqa-tfidf)
[[ -n "${SLIMNLP_RERANK:-}" ]] && systems=(slimnlp-bm25+rerank "${systems[@]}")
# name | corpus args | queries | scoring args
sets=(
  "squad11-dev-disjoint|--corpus $DATA/squad11-dev-disjoint/corpus.jsonl|$DATA/squad11-dev-disjoint/questions.jsonl|--questions $DATA/squad11-dev-disjoint/questions.jsonl"
  "squad11-dev-disjoint+gap|--corpus $DATA/squad11-dev-disjoint/corpus.jsonl --corpus $gap|$DATA/squad11-dev-disjoint/questions.jsonl|--questions $DATA/squad11-dev-disjoint/questions.jsonl"
  "nq-qed-dev|--corpus $DATA/nq-qed-dev/corpus.jsonl|$DATA/nq-qed-dev/questions.jsonl|--questions $DATA/nq-qed-dev/questions.jsonl"
  "nq-qed-dev+gap|--corpus $DATA/nq-qed-dev/corpus.jsonl --corpus $gap|$DATA/nq-qed-dev/questions.jsonl|--questions $DATA/nq-qed-dev/questions.jsonl"
  "scifact|--corpus $DATA/scifact/corpus.jsonl.zst|$WORK/scifact-test-queries.jsonl|--qrels $DATA/scifact/qrels/test.tsv"
)
for s in "${sets[@]}"; do
  IFS='|' read -r name corpus queries scoring <<<"$s"
  for sys in "${systems[@]}"; do
    base="$WORK/runs/$sys.$name"
    echo "== $sys on $name" >&2
    if [[ $sys == slimnlp-* ]]; then
      flag=""
      [[ $sys == slimnlp-tfidf ]] && flag=--tfidf
      [[ $sys == slimnlp-bm25+rerank ]] && flag="--rerank $SLIMNLP_RERANK"
      # shellcheck disable=SC2086
      $NICE "$SLIMNLP_RUN" $corpus --queries "$queries" --out "$base.tsv" --index "$WORK/slimnlp.index" $flag 2>"$base.log"
    elif [[ $sys == xapian-bm25 ]]; then
      # shellcheck disable=SC2086
      $NICE "$bin" --db "$WORK/xapian-db" $corpus --queries "$queries" --out "$base.tsv" 2>"$base.log"
    else
      # shellcheck disable=SC2086
      $NICE $PY "$here/drqa_tfidf.py" $corpus --queries "$queries" --out "$base.tsv" 2>"$base.log"
    fi
    grep -v '^TIMING' "$base.log" >&2 || true
    grep '^TIMING' "$base.log" | sed 's/^TIMING //' >"$base.timing.json"
    # --corpus only matters for answer recall (qa/ sets); harmless for scifact
    # shellcheck disable=SC2086
    $NICE $PY "$here/ret_score.py" "$base.tsv" $scoring $corpus --json >"$base.score.json"
  done
done
rm -rf "$WORK/xapian-db"

$PY - "$WORK/runs" "${systems[*]}" "${sets[@]%%|*}" <<'EOF' | tee "$WORK/results.md"
import json, os, sys
runs, systems, names = sys.argv[1], sys.argv[2].split(), sys.argv[3:]
f = lambda v, d=3: '–' if v is None else ('%.*f' % (d, v))
print('| system | set | docs | queries | R@1 | R@5 | R@20 | answer R@5 | MRR | nDCG@10 | index s (cpu) | query p50 ms (cpu) | query p99 ms (cpu) |')
print('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|')
for name in names:
    for sys_ in systems:
        b = os.path.join(runs, '%s.%s' % (sys_, name))
        s, t = json.load(open(b + '.score.json')), json.load(open(b + '.timing.json'))
        print('| %s | %s | %d | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s |' % (
            sys_, name, t['docs'], s['queries'], f(s['R@1']), f(s['R@5']), f(s['R@20']), f(s.get('AR@5')),
            f(s['MRR']), f(s.get('nDCG@10')), '%s (%s)' % (f(t['index_s'], 2), f(t['index_cpu_s'], 2)),
            '%s (%s)' % (f(t['p50_ms']), f(t['cpu_p50_ms'])), '%s (%s)' % (f(t['p99_ms']), f(t['cpu_p99_ms']))))
EOF
echo "(load average during the run: $(cut -d' ' -f1-3 /proc/loadavg); 2 cores, peers at '$NICE')" | tee -a "$WORK/results.md"
