#!/usr/bin/env bash
# Writes the "Python binding and Dask distributed" section of bench/RESULTS.md: bench/python_bench.py (binding
# overhead: the same 10,000 texts through the C++ library and through Python) and bench/dask_bench.py
# (slimnlp.dask on 1 and 2 local worker processes against the single-process CLI) and bench/dask_index_bench.py
# (a synthetic corpus indexed in shards on Dask workers against `slimnlp index`; $SLIMNLP_BENCH_DOCS documents,
# default 200000). Needs a built build/ (tools/build.sh), python3-numpy and ../shared/data/langid/test.tsv.zst.
# Takes about 10 minutes on 2 cores.
#   bash bench/python_results.sh [RUNS]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-7}
python=/usr/bin/python3
[ -x "$python" ] || python=python3
binding=$("$python" "$root/bench/python_bench.py" --runs "$runs")
dask=$("$python" "$root/bench/dask_bench.py" --runs 3 2>/dev/null)
shards=$("$python" "$root/bench/dask_index_bench.py" --docs "${SLIMNLP_BENCH_DOCS:-200000}" 2>/dev/null)
section=$(mktemp)
trap 'rm -f "$section"' EXIT
cat > "$section" <<END
<!-- python:begin -->
## Python binding and Dask distributed

Command: \`${SLIMNLP_BENCH_DOCS:+SLIMNLP_BENCH_DOCS=$SLIMNLP_BENCH_DOCS }bash bench/python_results.sh $runs\` ($(date -u +%Y-%m-%d)). Machine: $(nproc) cores,
$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'); shared with other jobs, so the load
average is given with each table and the rounds are interleaved. Python $("$python" -c 'import sys; print(sys.version.split()[0])'),
Dask $("$python" -c 'import dask; print(dask.__version__)') (Debian).

### The binding's overhead (\`bench/python_bench.py\`)

The first 10,000 lines of \`../shared/data/langid/test.tsv.zst\` through the C++ library
(\`build/batch_throughput\`, a fresh process each round, one warm-up pass then one timed pass) and through
\`slimnlp\` from Python: the batch calls (\`identify_batch\`, \`annotate_batch\`, result objects built for
every text) and one call a text. One thread. The target of issue 14 is Python at >= 70% of the C++ speed.

$binding

The load average is printed above the first table. On an idle machine (load below 1) the second thread has
a core of its own and the speed-up shows how threads scale on one model (each call releases the GIL); under
load it shows only that they share it correctly (the test suite checks their results).

### Dask distributed (\`bench/dask_bench.py\`)

The whole shared langid test text as lines: \`slimnlp langid\` / \`slimnlp annotate\` (one process, output to
/dev/null) against \`slimnlp.dask.identify\` / \`annotate(output="conllu")\` on a \`distributed.LocalCluster\`
(worker processes with one thread each, the file read by the workers with \`dask.bag.read_text\`, every
result brought back to the client as Python objects). On this machine two workers share two cores with the
scheduler, the client and the other jobs, so the figures show Dask's costs more than its scaling: each
result is pickled on a worker and unpickled on the client (for language ID about 7 us a text: 0.36 s for the
52,916 results, measured apart under the same load, against 1.5 s to identify them), and a task costs the
scheduler milliseconds (below), which partitions of ~6,000 texts make small. On a real cluster each worker
has its own cores.

$dask

### Indexing in shards on Dask workers (\`bench/dask_index_bench.py\`)

A synthetic corpus (\`bench/gen_synthetic_corpus.py\`, as in the retrieval section's 1M-document scale test,
with ${SLIMNLP_BENCH_DOCS:-200000} documents: 200,000 by default, 1,000,000 with SLIMNLP_BENCH_DOCS=1000000) indexed by one \`slimnlp index\`
process, and by \`slimnlp.dask.build_index\` (the JSONL read by the workers, one shard a partition), then
the shards searched as one with \`slimnlp.ShardedIndex\` against the single index.

$shards
<!-- python:end -->
END
"$python" "$root/bench/update_results.py" "$root/bench/RESULTS.md" "$section" python
echo "bench/RESULTS.md: python section written"
