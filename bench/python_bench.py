#!/usr/bin/env python3
"""Python binding overhead: the same 10,000 short texts through the C++ library (build/batch_throughput) and
through slimnlp from Python (batch calls, and one call a text), side by side in one run. One thread each;
medians of --runs passes after a warm-up pass. Prints a Markdown table for bench/RESULTS.md.
    bench/python_bench.py [--build build] [--runs 7] [--texts 10000]
Texts: the first --texts lines of ../shared/data/langid/test.tsv.zst (the text column)."""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--texts", type=int, default=10000)
    args = ap.parse_args()
    sys.path.insert(0, os.path.join(args.build, "python"))
    import slimnlp

    data = os.path.join(ROOT, "..", "shared", "data", "langid", "test.tsv.zst")
    lines = subprocess.run(["zstd", "-dc", data], capture_output=True, check=True).stdout.decode().splitlines()
    texts = [line.split("\t", 1)[1] for line in lines[: args.texts]]
    models = os.path.join(ROOT, "models")
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        f.write("\n".join(texts) + "\n")
        path = f.name

    def cpp(task):
        out = subprocess.run([os.path.join(args.build, "batch_throughput"), task, models, path, "1"],
                             capture_output=True, text=True, check=True).stdout.split()
        return float(out[out.index("median_s") + 1])

    def once(fn):
        start = time.perf_counter()
        fn()
        return time.perf_counter() - start

    lid = slimnlp.LanguageIdentifier(os.path.join(models, "langid.slim"))
    pipeline = slimnlp.Pipeline(models)
    pipeline.annotate_batch(texts)  # Warm-up: the pipeline loads a language's models on first use.
    jobs = {
        "language ID": ("langid", lambda: lid.identify_batch(texts), lambda: [lid.identify(t) for t in texts]),
        "annotate (langid + segment + tag)": ("annotate", lambda: pipeline.annotate_batch(texts),
                                              lambda: [pipeline.annotate(t) for t in texts]),
    }
    rows = []
    for name, (task, batch, loop) in jobs.items():
        # Interleaved rounds (C++, Python batch, Python loop), so that a change in the machine's load hits all
        # three alike; each C++ round is a fresh process timing one pass after its own warm-up pass.
        c, b, l = [], [], []
        for _ in range(args.runs):
            c.append(cpp(task))
            b.append(once(batch))
            l.append(once(loop))
        rows.append((name, statistics.median(c), statistics.median(b), statistics.median(l)))
    os.unlink(path)

    # Threads sharing one model: the batch split between 2 Python threads (each call releases the GIL).
    from concurrent.futures import ThreadPoolExecutor
    halves = [texts[: len(texts) // 2], texts[len(texts) // 2:]]
    threads = {}
    with ThreadPoolExecutor(2) as pool:
        for name, fn in (("language ID", lid.identify_batch), ("annotate (langid + segment + tag)", pipeline.annotate_batch)):
            one, two = [], []
            for _ in range(args.runs):
                one.append(once(lambda: fn(texts)))
                two.append(once(lambda: list(pool.map(fn, halves))))
            threads[name] = (statistics.median(one), statistics.median(two))

    mean_chars = sum(len(t) for t in texts) / len(texts)
    print(f"{len(texts)} texts (mean {mean_chars:.0f} characters), median of {args.runs} runs, one thread, "
          f"load average {os.getloadavg()[0]:.1f}\n")
    print("| task | C++ library | Python `*_batch` | Python / C++ speed | Python, one call a text | Python / C++ speed |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, c, b, loop in rows:
        print(f"| {name} | {len(texts) / c:,.0f} texts/s | {len(texts) / b:,.0f} texts/s | {100 * c / b:.0f}% | "
              f"{len(texts) / loop:,.0f} texts/s | {100 * c / loop:.0f}% |")
    print("\nThe same batches split between 2 Python threads sharing one model (interleaved with 1 thread):\n")
    print("| task | 1 thread | 2 threads | speed-up |")
    print("|---|---:|---:|---:|")
    for name, (one, two) in threads.items():
        print(f"| {name} | {len(texts) / one:,.0f} texts/s | {len(texts) / two:,.0f} texts/s | {one / two:.2f}x |")


if __name__ == "__main__":
    main()
