#!/usr/bin/env bash
# `slimnlp search` and `slimnlp eval retrieval` over a collection in shards against one index of the same
# documents: the synthetic corpus of bench/gen_synthetic_corpus.py (seed 1, as the retrieval and Dask
# sections), one index, and the same lines cut into N shards (each built by `slimnlp index`, named by a
# .shards manifest as slimnlp.dask.build_index writes). Writes the "Sharded search" section of
# bench/RESULTS.md. Needs a built build/ and python3-numpy; about 4 minutes of CPU for 200,000 documents.
#   bash bench/sharded_search_bench.sh [DOCS] [SHARD_COUNTS] [ROUNDS]   (defaults: 200000 "4 16" 3)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
docs=${1:-200000} counts=${2:-"4 16"} rounds=${3:-3}
slimnlp="$root/build/slimnlp"
[ -x "$slimnlp" ] || { echo "sharded_search_bench: build first (tools/build.sh)" >&2; exit 1; }
work=$(mktemp -d /tmp/slimnlp-sharded-XXXXXX)
trap 'rm -rf "$work"' EXIT
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

/usr/bin/python3 "$root/bench/gen_synthetic_corpus.py" "$docs" "$work/c.jsonl" --seed 1 --questions 1000 "$work/q.jsonl" >&2
"$slimnlp" index --input "$work/c.jsonl" --out "$work/one.index" > /dev/null 2>&1
names=("one.index")
for n in $counts; do
  mkdir -p "$work/s$n"
  (cd "$work/s$n" && split -n "l/$n" -d -a 5 ../c.jsonl part-)
  : > "$work/s$n/shard.shards"
  for part in "$work/s$n"/part-*; do
    "$slimnlp" index --input "$part" --out "$part.index" > /dev/null 2>&1
    rm "$part"
    basename "$part.index" >> "$work/s$n/shard.shards"
  done
  names+=("s$n")
done

# Median of `rounds` wall-clock seconds of a command, the rounds interleaved over the indexes.
declare -A search_s startup_s
for ((r = 0; r < rounds; r++)); do
  for name in "${names[@]}"; do
    t0=$(date +%s.%N)
    "$slimnlp" search --index "$work/$name" --file "$work/q.jsonl" -k 10 -f trec > "$work/$name.trec"
    t1=$(date +%s.%N)
    "$slimnlp" search --index "$work/$name" -k 10 "xyzzy" > /dev/null
    t2=$(date +%s.%N)
    search_s[$name]+="$(echo "$t1 - $t0" | bc) "
    startup_s[$name]+="$(echo "$t2 - $t1" | bc) "
  done
done
median() { tr ' ' '\n' <<< "$1" | grep . | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

rows=""
for name in "${names[@]}"; do
  eval_json=$("$slimnlp" eval retrieval --index "$work/$name" --questions "$work/q.jsonl" -f json)
  rerank_json=$("$slimnlp" eval retrieval --index "$work/$name" --questions "$work/q.jsonl" -f json \
                --rerank "$root/models/rerank.slim")
  same=$(/usr/bin/python3 - "$work/one.index.trec" "$work/$name.trec" <<'PY'
import sys
def run(path):
    out = {}
    for line in open(path):
        q, _, doc, rank, score, _ = line.split()
        out.setdefault(q, []).append((doc, float(score)))
    return out
a, b = run(sys.argv[1]), run(sys.argv[2])
ids = sum(1 for q in a if [d for d, _ in a[q]] == [d for d, _ in b.get(q, [])])
diff = max((abs(x[1] - y[1]) / max(abs(x[1]), 1e-9) for q in a for x, y in zip(a[q], b.get(q, []))), default=0)
print(f"{ids}/{len(a)} {diff:.1e}")
PY
)
  rows+=$(/usr/bin/python3 - "$name" "$(median "${search_s[$name]}")" "$(median "${startup_s[$name]}")" \
          "$eval_json" "$rerank_json" "$same" <<'PY'
import json, sys
name, search, startup, e, r, same = sys.argv[1:7]
e, r = json.loads(e), json.loads(r)
ids, diff = same.split()
label = "one index" if e["shards"] == 1 else f'{e["shards"]} shards (`--index DIR`)'
print(f'| {label} | {float(search):.2f} | {float(startup):.3f} | {e["latency_ms"]["p50"]:.3f} / {e["latency_ms"]["p90"]:.3f} / '
      f'{e["latency_ms"]["p99"]:.3f} | {r["latency_ms"]["p50"]:.3f} / {r["latency_ms"]["p99"]:.3f} | '
      f'{e["recall_at_1"]:.4f} / {e["recall_at_20"]:.4f} | {r["recall_at_1"]:.4f} | {ids} | {diff} |')
PY
)$'\n'
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
bytes=$(stat -c %s "$work/c.jsonl")

section=$(mktemp)
cat > "$section" <<END
<!-- sharded-search:begin -->
## Sharded search from the command line

Command: \`bash bench/sharded_search_bench.sh $docs "$counts" $rounds\` ($(date -u +%Y-%m-%d)). $docs synthetic
documents (\`bench/gen_synthetic_corpus.py $docs c.jsonl --seed 1 --questions 1000 q.jsonl\`, $bytes bytes of JSONL)
in one index, and the same lines cut into shards (\`split -n l/N\`, each shard built by \`slimnlp index\`,
named by a \`shard.shards\` manifest as \`slimnlp.dask.build_index\` writes): \`--index one.index\` against
\`--index DIR\`. One thread; $(nproc) cores shared with other jobs: load average $load_before before,
$load_after after.

- search s: \`slimnlp search --file q.jsonl -k 10 -f trec\` for the 1000 queries, wall clock including
  start-up, median of $rounds interleaved rounds; start-up s: the same for one query (opening every shard:
  each file's checksum is verified).
- latency: \`slimnlp eval retrieval -f json\` p50 / p90 / p99 per query (search only, then with \`--rerank
  models/rerank.slim\`: p50 / p99); recall of the gold document at 1 / 20 (BM25), and at 1 reranked.
- same top 10: queries whose ten ids (in order) equal the single index's in the TREC runs; score rel. diff: the
  largest relative difference of a score there (float rounding: terms summed in another order).

| index | search s | start-up s | latency ms p50 / p90 / p99 | reranked ms p50 / p99 | recall@1 / @20 | reranked recall@1 | same top 10 | score rel. diff |
|---|---:|---:|---:|---:|---:|---:|---:|---:|
${rows%$'\n'}

Each shard runs its own MaxScore search (with the collection's document frequencies, summed over the
shards for each query term) and the per-shard top k are merged, so a query costs more the more shards there
are: the frequent terms' postings are read in each shard, and each shard fills its own top k before it can
skip. The rankings are the single index's (the two right-hand columns; scores compared as the TREC run
prints them, to 6 decimals). On a machine shared with other jobs the p90 / p99 columns mostly measure those
jobs; compare p50 and the totals.
<!-- sharded-search:end -->
END
/usr/bin/python3 "$root/bench/update_results.py" "$root/bench/RESULTS.md" "$section" sharded-search
rm -f "$section"
cat "$root/bench/RESULTS.md" | sed -n '/sharded-search:begin/,/sharded-search:end/p'
