#!/usr/bin/env python3
"""Indexing a corpus in shards on Dask workers (slimnlp.dask.build_index) against one `slimnlp index` process,
on the synthetic corpus of bench/gen_synthetic_corpus.py, and a check that the shards, searched as one
(slimnlp.ShardedIndex, the collection's statistics), rank as the single index does. Prints Markdown.
    bench/dask_index_bench.py [--build build] [--docs 200000] [--partitions 8] [--queries 300]"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--docs", type=int, default=200_000)
    ap.add_argument("--partitions", type=int, default=8)
    ap.add_argument("--queries", type=int, default=300)
    args = ap.parse_args()
    sys.path.insert(0, os.path.join(args.build, "python"))
    os.environ["PYTHONPATH"] = os.path.join(args.build, "python") + os.pathsep + os.environ.get("PYTHONPATH", "")
    import dask.bag as db
    import distributed
    import slimnlp
    import slimnlp.dask

    tmp = tempfile.mkdtemp(prefix="slimnlp-dask-index-")
    try:
        corpus, questions = os.path.join(tmp, "corpus.jsonl"), os.path.join(tmp, "q.jsonl")
        subprocess.run([sys.executable, os.path.join(ROOT, "bench", "gen_synthetic_corpus.py"), str(args.docs), corpus,
                        "--seed", "1", "--questions", str(args.queries), questions], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        size = os.path.getsize(corpus)
        rows = []
        start = time.perf_counter()
        subprocess.run([os.path.join(args.build, "slimnlp"), "index", "--input", corpus, "--out",
                        os.path.join(tmp, "one.index")], check=True, stdout=subprocess.DEVNULL)
        rows.append(("`slimnlp index`, one process", time.perf_counter() - start, 1))
        paths = None
        for workers in (1, 2):
            with distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                          dashboard_address=None, worker_dashboard_address=None) as cluster, \
                    distributed.Client(cluster):
                out = os.path.join(tmp, f"shards{workers}")
                os.makedirs(out)
                blocksize = size // args.partitions + 1
                start = time.perf_counter()
                docs = db.read_text(corpus, blocksize=blocksize)  # JSONL lines, passed through unparsed.
                paths = slimnlp.dask.build_index(docs, out).compute()
                rows.append((f"`slimnlp.dask.build_index`, {workers} worker{'s' if workers > 1 else ''}",
                             time.perf_counter() - start, len(paths)))
        one = slimnlp.Index(os.path.join(tmp, "one.index"))
        sharded = slimnlp.ShardedIndex(paths)
        assert len(one) == len(sharded) == args.docs, (len(one), len(sharded))
        queries = [json.loads(line)["question"] for line in open(questions)]
        same, close = 0, True
        for q in queries:
            a, b = one.search(q, k=10), sharded.search(q, k=10)
            same += [r.id for r in a] == [r.id for r in b]
            close = close and all(abs(x.score - y.score) <= 1e-6 * max(1.0, abs(x.score)) for x, y in zip(a, b))
        print(f"{args.docs:,} synthetic documents ({size:,} bytes of JSONL), {len(paths)} shards; load average "
              f"{os.getloadavg()[0]:.1f}; one run each\n")
        print("| how | seconds | documents/s | vs one process |")
        print("|---|---:|---:|---:|")
        base = rows[0][1]
        for how, s, _ in rows:
            print(f"| {how} | {s:.1f} | {args.docs / s:,.0f} | {base / s:.2f}x |")
        print(f"\nThe {len(paths)} shards searched as one (`slimnlp.ShardedIndex`): top 10 identical to the single "
              f"index's for {same} of {len(queries)} synthetic queries; scores equal within 1e-6: {close}.")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
