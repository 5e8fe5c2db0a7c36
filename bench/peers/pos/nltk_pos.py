#!/usr/bin/python3
"""Peer baseline for UPOS tagging: NLTK's averaged perceptron tagger.

Trains nltk.tag.perceptron.PerceptronTagger(load=False) on a CoNLL-U train
split and tags the test split with gold tokens (syntactic words), then prints
UPOS accuracy, OOV accuracy, word counts, training time and tagging speed.

Stdlib + nltk only. Run with the system python (Debian's python3-nltk):

    /usr/bin/python3 bench/peers/pos/nltk_pos.py \
        --train .../en_ewt-ud-train.conllu.zst --test .../en_ewt-ud-test.conllu.zst \
        [--iterations 5] [--seed 1] [--out-pred FILE]

CoNLL-U reading: sentences are blocks separated by blank lines; lines starting
with '#' are comments; token lines have exactly 10 tab-separated columns;
multiword-token ranges (ID with '-') and empty nodes (ID with '.') are skipped;
word = column 2 (FORM), gold tag = column 4 (UPOS). Malformed lines are reported
on stderr with file and line number and skipped.

Output (stdout) is one "key: value" line per figure; run_nltk_all.sh parses it.
"""

import argparse
import random
import re
import statistics
import subprocess
import sys
import time

import nltk
from nltk.tag.perceptron import PerceptronTagger

_ID_WORD = re.compile(r"[1-9][0-9]*\Z")
_ID_RANGE = re.compile(r"[1-9][0-9]*-[1-9][0-9]*\Z")
_ID_EMPTY = re.compile(r"(0|[1-9][0-9]*)\.[1-9][0-9]*\Z")


def read_text(path):
    """Whole file as str; .zst files are decompressed with `zstd -dc`."""
    if path.endswith(".zst"):
        proc = subprocess.run(["zstd", "-dc", "--", path], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, check=False)
        if proc.returncode != 0:
            sys.exit(f"error: zstd -dc {path} failed: {proc.stderr.decode(errors='replace').strip()}")
        data = proc.stdout
    else:
        with open(path, "rb") as f:
            data = f.read()
    return data.decode("utf-8")  # strict: a bad byte is an error, not a silent replacement


def read_conllu(path, stats=None):
    """List of sentences, each a list of (FORM, UPOS) for the syntactic words.

    Sentences without any word (e.g. only comments) are dropped. Malformed lines
    are reported to stderr and skipped. If stats is a dict, counts are added to it.
    """
    sentences = []
    current = []
    malformed = 0
    skipped_mwt = 0
    skipped_empty = 0
    # split on '\n' only (str.splitlines would also split on U+2028, \x1c, ... inside a FORM)
    lines = read_text(path).split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    for lineno, line in enumerate(lines, 1):
        if line.endswith("\r"):
            line = line[:-1]
        if line == "":
            if current:
                sentences.append(current)
            current = []
            continue
        if line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) != 10:
            if line.strip() == "":
                why = "whitespace-only line (treated as a sentence break)"
                if current:
                    sentences.append(current)
                current = []
            else:
                why = f"{len(cols)} tab-separated columns, expected 10"
            print(f"{path}:{lineno}: malformed line skipped: {why}", file=sys.stderr)
            malformed += 1
            continue
        tok_id, form, upos = cols[0], cols[1], cols[3]
        if "-" in tok_id:
            if not _ID_RANGE.match(tok_id):
                print(f"{path}:{lineno}: malformed line skipped: bad range ID {tok_id!r}", file=sys.stderr)
                malformed += 1
            skipped_mwt += 1
            continue
        if "." in tok_id:
            if not _ID_EMPTY.match(tok_id):
                print(f"{path}:{lineno}: malformed line skipped: bad empty-node ID {tok_id!r}", file=sys.stderr)
                malformed += 1
            skipped_empty += 1
            continue
        if not _ID_WORD.match(tok_id):
            print(f"{path}:{lineno}: malformed line skipped: bad word ID {tok_id!r}", file=sys.stderr)
            malformed += 1
            continue
        if form == "" or upos == "":
            print(f"{path}:{lineno}: malformed line skipped: empty FORM or UPOS", file=sys.stderr)
            malformed += 1
            continue
        current.append((form, upos))
    if current:
        sentences.append(current)
    if stats is not None:
        stats["malformed"] = stats.get("malformed", 0) + malformed
        stats["multiword_ranges_skipped"] = stats.get("multiword_ranges_skipped", 0) + skipped_mwt
        stats["empty_nodes_skipped"] = stats.get("empty_nodes_skipped", 0) + skipped_empty
    return sentences


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--train", required=True, help="train CoNLL-U (.conllu or .conllu.zst)")
    ap.add_argument("--test", required=True, help="test CoNLL-U (.conllu or .conllu.zst)")
    ap.add_argument("--iterations", type=int, default=5, help="perceptron epochs (nr_iter), default 5")
    ap.add_argument("--seed", type=int, default=1, help="random.seed before training (NLTK shuffles), default 1")
    ap.add_argument("--out-pred", help="write predicted UPOS: one per line, blank line between sentences")
    ap.add_argument("--speed-runs", type=int, default=3, help="timed tagging passes; the median is reported")
    args = ap.parse_args()

    train_stats, test_stats = {}, {}
    train = read_conllu(args.train, train_stats)
    test = read_conllu(args.test, test_stats)
    if not train or not test:
        sys.exit("error: empty train or test set")

    train_forms = {w for sent in train for w, _ in sent}
    test_words = [[w for w, _ in sent] for sent in test]
    n_train = sum(len(s) for s in train)
    n_test = sum(len(s) for s in test)

    tagger = PerceptronTagger(load=False)
    random.seed(args.seed)
    t0 = time.perf_counter()
    tagger.train(train, nr_iter=args.iterations)
    train_seconds = time.perf_counter() - t0

    # Tagging pass(es): gold tokens, one sentence at a time (as a caller would).
    times = []
    preds = None
    for _ in range(max(1, args.speed_runs)):
        t0 = time.perf_counter()
        out = [tagger.tag(words) for words in test_words]
        times.append(time.perf_counter() - t0)
        tags = [[t for _, t in sent] for sent in out]
        if preds is None:
            preds = tags
        elif tags != preds:
            sys.exit("error: tagging is not deterministic across runs")
    tag_seconds = statistics.median(times)

    correct = total = oov_correct = oov_total = 0
    for gold_sent, pred_sent in zip(test, preds):
        assert len(gold_sent) == len(pred_sent)
        for (form, gold), pred in zip(gold_sent, pred_sent):
            ok = gold == pred
            total += 1
            correct += ok
            if form not in train_forms:
                oov_total += 1
                oov_correct += ok

    if args.out_pred:
        with open(args.out_pred, "w", encoding="utf-8") as f:
            for i, sent in enumerate(preds):
                if i:
                    f.write("\n")
                for t in sent:
                    f.write(t + "\n")

    acc = correct / total
    oov_acc_str = f"{100 * oov_correct / oov_total:.2f}" if oov_total else "n/a"
    print(f"nltk_version: {nltk.__version__}")
    print(f"python_version: {sys.version.split()[0]}")
    print(f"train_file: {args.train}")
    print(f"test_file: {args.test}")
    print(f"iterations: {args.iterations}")
    print(f"seed: {args.seed}")
    print(f"train_sentences: {len(train)}")
    print(f"train_words: {n_train}")
    print(f"test_sentences: {len(test)}")
    print(f"test_words: {n_test}")
    print(f"malformed_lines: {train_stats['malformed'] + test_stats['malformed']}")
    print(f"classes: {len(tagger.classes)}")
    print(f"tagdict_entries: {len(tagger.tagdict)}")
    print(f"correct: {correct}")
    print(f"accuracy: {100 * acc:.2f}")
    print(f"oov_words: {oov_total}")
    print(f"oov_rate: {100 * oov_total / total:.2f}")
    print(f"oov_correct: {oov_correct}")
    print(f"oov_accuracy: {oov_acc_str}")
    print(f"train_seconds: {train_seconds:.2f}")
    print(f"tag_seconds_runs: {' '.join(f'{t:.4f}' for t in times)}")
    print(f"tag_seconds: {tag_seconds:.4f}")
    print(f"tokens_per_s: {n_test / tag_seconds:.0f}")


if __name__ == "__main__":
    main()
