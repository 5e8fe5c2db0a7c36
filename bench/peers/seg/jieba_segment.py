#!/usr/bin/python3
"""jieba peer: raw lines on stdin -> space-joined tokens per line on stdout.

Default dictionary, jieba.cut(line, HMM=True) (accurate mode). Timing goes to stderr as
  jieba: load S s, segment S s, N bytes
where "load" is building the prefix dictionary (from jieba's cache file after the first run)
and "segment" is the cut loop including output encoding.
"""
import logging
import sys
import time

t0 = time.perf_counter()
import jieba

jieba.setLogLevel(logging.WARNING)  # silence "Building prefix dict..." chatter
jieba.initialize()  # load the dictionary now, so it is not charged to the first line
t1 = time.perf_counter()

data = sys.stdin.buffer.read()
lines = data.decode("utf-8").split("\n")  # '\n' only, to keep line i == sentence i
if lines and lines[-1] == "":
    lines.pop()
out = []
for line in lines:
    # A token with inner whitespace cannot be written space-separated, so split it;
    # whitespace-only tokens vanish the same way.
    out.append(" ".join(part for tok in jieba.cut(line, HMM=True) for part in tok.split()))
sys.stdout.buffer.write(("\n".join(out) + "\n").encode("utf-8") if out else b"")
t2 = time.perf_counter()
print(f"jieba: load {t1 - t0:.3f} s, segment {t2 - t1:.3f} s, {len(data)} bytes", file=sys.stderr)
