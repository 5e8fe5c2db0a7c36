#!/usr/bin/python3
"""Reliability curve of `slimnlp langid`: for each probability threshold, the share of short texts answered
"reliable" (coverage) and the share of those answers that are right (precision), on a dev-short set made here
from dev.tsv with test-short's recipe (the first 1-4 words of a sentence, or 4-15 characters for scripts
written without spaces; punctuation at the ends stripped; at least 3 characters; 100 a label; seeded), and on
the shared test-short.tsv. The threshold is chosen on dev-short only. Prints the Markdown section; to put it
into bench/RESULTS.md:

  bench/langid_reliability.py > /tmp/s.md && python3 bench/update_results.py bench/RESULTS.md /tmp/s.md langid-reliability
"""
import argparse
import datetime
import os
import random
import subprocess
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "..", "shared", "data", "langid")
NO_SPACES = {"zh", "zh-Hant", "yue", "ja", "th", "lo", "km", "my", "bo"}
PUNCT = " .,;:!?¿¡\"'()[]{}«»“”„‘’—–-…。、，！？：；（）「」『』"
THRESHOLDS = [0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 0.97, 0.98, 0.99]


def dev_short(seed=20261203):
    rng = random.Random(seed)
    by_label = {}
    with open(os.path.join(DATA, "dev.tsv"), encoding="utf-8") as f:
        for line in f:
            label, text = line.rstrip("\n").split("\t", 1)
            by_label.setdefault(label, []).append(text)
    rows = []
    for label in sorted(by_label):
        texts = by_label[label][:]
        rng.shuffle(texts)
        kept = set()
        for text in texts:
            if len(kept) == 100:
                break
            if label in NO_SPACES:
                cut = text[:rng.randint(4, 15)]
            else:
                cut = " ".join(text.split()[:rng.randint(1, 4)])
            cut = cut.strip(PUNCT)
            if len(cut) < 3 or cut in kept:
                continue
            kept.add(cut)
            rows.append((label, cut))
    return rows


def answers(binary, model, rows):
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".txt", delete=False) as f:
        f.write("".join(text + "\n" for _, text in rows))
        path = f.name
    out = subprocess.run([binary, "langid", "--model", model, "--threshold", "0", "--file", path],
                         capture_output=True, text=True, check=True).stdout.splitlines()
    os.unlink(path)
    assert len(out) == len(rows)
    result = []
    for (label, _), line in zip(rows, out):
        lang, prob, reliable = line.split("\t")[:3]
        # --threshold 0 leaves only the letter-count rule in "reliable".
        result.append((lang == label, float(prob), reliable == "true"))
    return result


def curve(result):
    table = []
    for t in THRESHOLDS:
        chosen = [ok for ok, p, letters_ok in result if letters_ok and p >= t]
        coverage = len(chosen) / len(result)
        precision = sum(chosen) / len(chosen) if chosen else 0
        table.append((t, coverage, precision))
    return table


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(ROOT, "build", "slimnlp"))
    ap.add_argument("--model", default=os.path.join(ROOT, "models", "langid.slim"))
    ap.add_argument("--target", type=float, default=0.97)
    args = ap.parse_args()
    dev = curve(answers(args.bin, args.model, dev_short()))
    test_rows = []
    with open(os.path.join(DATA, "test-short.tsv"), encoding="utf-8") as f:
        for line in f:
            label, text = line.rstrip("\n").split("\t", 1)
            test_rows.append((label, text))
    test = curve(answers(args.bin, args.model, test_rows))
    chosen = next((t for t, _, p in dev if p >= args.target), THRESHOLDS[-1])
    print("<!-- langid-reliability:begin -->")
    print("## Language ID reliability\n")
    print(f"Command: `bench/langid_reliability.py` ({datetime.date.today()}), model `models/langid.slim`. For each threshold,")
    print("the share of short texts whose answer is reliable (probability at or above it, and 3 letters or more)")
    print("and the share of those answers that are right. dev-short: made here from dev.tsv with test-short's")
    print("recipe (the first 1-4 words of a sentence, 4-15 characters where words are not spaced; 100 a label;")
    print("seeded), where the default is chosen: the lowest threshold reaching 97% there. test-short: the shared")
    print("truncated test texts, never used to choose.\n")
    print("| threshold | dev-short coverage | dev-short precision | test-short coverage | test-short precision |")
    print("| ---: | ---: | ---: | ---: | ---: |")
    for (t, dc, dp), (_, tc, tp) in zip(dev, test):
        mark = " (chosen)" if t == chosen else ""
        print(f"| {t:.2f}{mark} | {100 * dc:.1f}% | {100 * dp:.2f}% | {100 * tc:.1f}% | {100 * tp:.2f}% |")
    print(f"\nLowest threshold whose dev-short precision reaches {100 * args.target:.0f}%: {chosen:.2f} (the default).")
    # Inputs that are not prose in any language: each should come back unreliable (or und).
    kinds, texts = [], []
    with open(os.path.join(ROOT, "bench", "data", "langid_nonprose.tsv"), encoding="utf-8") as f:
        for line in f:
            kind, text = line.rstrip("\n").split("\t", 1)
            kinds.append(kind)
            texts.append(text)
    out = subprocess.run([args.bin, "langid", "--model", args.model, *texts], capture_output=True, text=True,
                         check=True).stdout.splitlines()
    print("\nHand-made inputs that are not prose (`bench/data/langid_nonprose.tsv`: names of people and places,")
    print("e-mail addresses, URLs, hashtags, handles, code, identifiers), at the default threshold:\n")
    print("| kind | inputs | answered reliable | reliable ones |")
    print("| --- | ---: | ---: | --- |")
    for kind in dict.fromkeys(kinds):
        rows = [(t, o.split("\t")) for k, t, o in zip(kinds, texts, out) if k == kind]
        reliable = [f"`{t}` -> {o[0]}" for t, o in rows if o[2] == "true"]
        print(f"| {kind} | {len(rows)} | {len(reliable)} | {'; '.join(reliable)} |")
    print("<!-- langid-reliability:end -->")


if __name__ == "__main__":
    main()
