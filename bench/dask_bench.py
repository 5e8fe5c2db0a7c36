#!/usr/bin/env python3
"""slimnlp.dask throughput against the single-process CLI on the same text: the shared langid test text
(52,916 lines), language ID and the annotate pipeline, on a distributed.LocalCluster of 1 and 2 worker
processes (one thread each) and with `slimnlp langid` / `slimnlp annotate` reading the file. Dask reads the file
on the workers (dask.bag.read_text, --blocksize per partition) and brings every result back to the client.
Warm runs (models already loaded in the workers); the first, cold run is shown apart. Also the scheduler's
overhead per task: 1,000 tasks that do nothing. Prints Markdown for bench/RESULTS.md.
    bench/dask_bench.py [--build build] [--runs 3] [--blocksize 1000000]"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def timed(fn):
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def strip_lines(lines):
    return [line.rstrip("\n") for line in lines]


def noop(x):
    return x


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--blocksize", type=int, default=1_000_000)
    args = ap.parse_args()
    sys.path.insert(0, os.path.join(args.build, "python"))
    os.environ["PYTHONPATH"] = os.path.join(args.build, "python") + os.pathsep + os.environ.get("PYTHONPATH", "")
    import dask.bag as db
    import distributed
    import slimnlp.dask

    data = os.path.join(ROOT, "..", "shared", "data", "langid", "test.tsv.zst")
    lines = subprocess.run(["zstd", "-dc", data], capture_output=True, check=True).stdout.decode().splitlines()
    texts = [line.split("\t", 1)[1] for line in lines]
    tmp = tempfile.mkdtemp()
    path = os.path.join(tmp, "texts.txt")
    with open(path, "w") as f:
        f.write("\n".join(texts) + "\n")
    cli = os.path.join(args.build, "slimnlp")
    models = os.path.join(ROOT, "models")

    def run_cli(*cmd):
        with open(path) as stdin, open(os.devnull, "w") as out:
            subprocess.run([cli, *cmd], stdin=stdin, stdout=out, check=True)

    results = {}
    results[("langid", "CLI")] = statistics.median(timed(lambda: run_cli("langid")) for _ in range(args.runs))
    results[("annotate", "CLI")] = statistics.median(
        timed(lambda: run_cli("annotate", "--models", models, "--file", path)) for _ in range(args.runs))

    overhead = {}
    cold = {}
    for workers in (1, 2):
        with distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                      dashboard_address=None, worker_dashboard_address=None) as cluster, \
                distributed.Client(cluster) as client:
            bag = db.read_text(path, blocksize=args.blocksize).map_partitions(strip_lines)
            partitions = bag.npartitions
            jobs = {"langid": lambda: slimnlp.dask.identify(bag, model=os.path.join(models, "langid.slim")).compute(),
                    "annotate": lambda: slimnlp.dask.annotate(bag, models_dir=models, output="conllu").compute()}
            for task, job in jobs.items():
                cold[(task, workers)] = timed(job)
                got = job()
                assert len(got) == len(texts), (len(got), len(texts))
                results[(task, f"Dask, {workers} worker{'s' if workers > 1 else ''}")] = statistics.median(
                    timed(job) for _ in range(args.runs))
            n = 1000
            client.gather(client.map(noop, range(n), pure=False))  # Warm-up.
            overhead[workers] = statistics.median(
                timed(lambda: client.gather(client.map(noop, range(n), pure=False))) for _ in range(args.runs)) / n
    os.unlink(path)

    print(f"{len(texts):,} texts, {os.path.getsize(data):,} bytes compressed; {partitions} partitions of "
          f"{args.blocksize:,} bytes; median of {args.runs} warm runs; {os.cpu_count()} cores; load average "
          f"{os.getloadavg()[0]:.1f}\n")
    print("| task | how | seconds | texts/s | vs CLI |")
    print("|---|---|---:|---:|---:|")
    for task in ("langid", "annotate"):
        base = results[(task, "CLI")]
        for (t, how), s in results.items():
            if t == task:
                extra = ""
                for w in (1, 2):
                    if how.startswith(f"Dask, {w} "):
                        extra = f" (cold first run {cold[(task, w)]:.2f} s)"
                print(f"| {task} | {how}{extra} | {s:.2f} | {len(texts) / s:,.0f} | {base / s:.2f}x |")
    print()
    for w, o in overhead.items():
        print(f"Scheduler overhead, {w} worker{'s' if w > 1 else ''}: {o * 1e3:.2f} ms per task "
              f"(1,000 no-op tasks submitted and gathered).")


if __name__ == "__main__":
    main()
