#!/usr/bin/env python3
"""Makes the request bodies and CLI inputs for the HTTP service benchmarks (bench/server_bench.sh,
bench/server_soak.sh), from the shared data sets, so the server and the CLI see exactly the same texts.

  python3 bench/peers/server/make_bodies.py DATA_DIR OUT_DIR [--langid-lines 20000] [--seed 1]

DATA_DIR is ../shared/data (langid/test.tsv.zst and ud/UD_*/*-ud-test.conllu.zst are read with `zstd -dc`).
Writes into OUT_DIR:
  langid.txt            N sentences sampled (seeded) from langid test.tsv, one a line (106 languages)
  annotate.txt          every `# text` of UD English-EWT, French-Sequoia, Chinese-GSDSimp and Chinese-GSD test
  annotate_cli.txt      annotate.txt repeated to at least N lines (the CLI run, so start-up is amortised)
  langid.bodies         one JSON body a line, {"text": ...} for each line of langid.txt
  annotate.bodies       the same for annotate.txt
  langid_batch.bodies   {"texts": [100 texts]} bodies, consecutive slices of langid.txt
  langid_one.txt        one French sentence (the per-process start cost of the CLI)
The .bodies files are read by bench/peers/server/post.lua, which sends them round robin.
Texts are taken as they are; a text with a tab or newline cannot occur (the data has none).
"""
import argparse
import json
import os
import random
import subprocess
import sys

UD_TESTS = [
    "UD_English-EWT/en_ewt-ud-test.conllu.zst",
    "UD_French-Sequoia/fr_sequoia-ud-test.conllu.zst",
    "UD_Chinese-GSDSimp/zh_gsdsimp-ud-test.conllu.zst",
    "UD_Chinese-GSD/zh_gsd-ud-test.conllu.zst",
]


def zstd_lines(path):
    out = subprocess.run(["zstd", "-dc", path], check=True, stdout=subprocess.PIPE).stdout
    return out.decode("utf-8").splitlines()


def write_lines(path, lines):
    with open(path, "w", encoding="utf-8") as f:
        for line in lines:
            f.write(line + "\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data_dir")
    ap.add_argument("out_dir")
    ap.add_argument("--langid-lines", type=int, default=20000)
    ap.add_argument("--batch", type=int, default=100)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    os.makedirs(a.out_dir, exist_ok=True)
    rng = random.Random(a.seed)

    rows = [l.split("\t", 1) for l in zstd_lines(os.path.join(a.data_dir, "langid", "test.tsv.zst"))]
    texts = [t for _, t in rows if t.strip()]
    langid = rng.sample(texts, min(a.langid_lines, len(texts)))
    french = next(t for lab, t in rows if lab == "fr" and 40 <= len(t) <= 120)

    annotate = []
    for rel in UD_TESTS:
        for line in zstd_lines(os.path.join(a.data_dir, "ud", rel)):
            if line.startswith("# text = "):
                t = line[len("# text = "):].strip()
                if t:
                    annotate.append(t)
    rng.shuffle(annotate)  # Languages interleaved, as in real traffic.
    copies = -(-a.langid_lines // len(annotate))

    write_lines(os.path.join(a.out_dir, "langid.txt"), langid)
    write_lines(os.path.join(a.out_dir, "annotate.txt"), annotate)
    write_lines(os.path.join(a.out_dir, "annotate_cli.txt"), annotate * copies)
    write_lines(os.path.join(a.out_dir, "langid_one.txt"), [french])
    dumps = lambda o: json.dumps(o, ensure_ascii=False)
    write_lines(os.path.join(a.out_dir, "langid.bodies"), [dumps({"text": t}) for t in langid])
    write_lines(os.path.join(a.out_dir, "annotate.bodies"), [dumps({"text": t}) for t in annotate])
    batches = [langid[i:i + a.batch] for i in range(0, len(langid) - a.batch + 1, a.batch)]
    write_lines(os.path.join(a.out_dir, "langid_batch.bodies"), [dumps({"texts": b}) for b in batches])
    print(f"make_bodies: langid {len(langid)} texts ({sum(len(t.encode()) for t in langid) / len(langid):.0f} "
          f"bytes avg), annotate {len(annotate)} texts ({sum(len(t.encode()) for t in annotate) / len(annotate):.0f} "
          f"bytes avg; CLI input {len(annotate) * copies} lines), {len(batches)} batches of {a.batch}",
          file=sys.stderr)


if __name__ == "__main__":
    main()
