#!/usr/bin/python3
"""NLTK's Punkt sentence splitter as a peer: trained (unsupervised, as Punkt is) on the raw text of a
treebank's train split, then scored on its test split joined into paragraphs exactly as `slimnlp eval
sentences` joins them (src/segment/sentence_features.cc ReadGoldParagraphs: `# newpar` / `# newdoc` start a
paragraph, else runs of 10 sentences; sentences joined by a space). Prints "P R F1 MB/s" (percent, splitting
speed on one thread).

  bench/peers/sent/punkt_peer.py TRAIN.conllu[.zst] TEST.conllu[.zst]
"""
import subprocess
import sys
import time

from nltk.tokenize.punkt import PunktSentenceTokenizer, PunktTrainer


def read_sentences(path):
    """Yields (starts_paragraph, text) for each sentence with a `# text` line."""
    data = subprocess.run(["zstd", "-dcq", path], capture_output=True, check=True).stdout if path.endswith(".zst") \
        else open(path, "rb").read()
    marked, text, words = False, None, 0
    for line in data.decode("utf-8").split("\n"):
        if line.startswith("# newpar") or line.startswith("# newdoc"):
            marked = True
        elif line.startswith("# text ="):
            text = line[8:].strip()
        elif line and line[0].isdigit():
            words += 1
        elif not line.strip():
            if text and words:
                yield marked, text
            marked, text, words = False, None, 0


def paragraphs(path):
    sentences = list(read_sentences(path))
    any_marks = any(m for m, _ in sentences)
    out, count = [], 0
    for marked, text in sentences:
        if not out or (marked if any_marks else count >= 10):
            out.append(("", []))
            count = 0
        para, spans = out[-1]
        if para:
            para += " "
        spans.append((len(para), len(para) + len(text)))
        out[-1] = (para + text, spans)
        count += 1
    return out


def main():
    train_path, test_path = sys.argv[1:3]
    trainer = PunktTrainer()
    trainer.INCLUDE_ALL_COLLOCS = True
    trainer.train("\n".join(p for p, _ in paragraphs(train_path)), finalize=True)
    splitter = PunktSentenceTokenizer(trainer.get_params())
    gold = found = correct = 0
    busy = 0.0
    size = 0
    for text, spans in paragraphs(test_path):
        start = time.perf_counter()
        predicted = list(splitter.span_tokenize(text))
        busy += time.perf_counter() - start
        size += len(text.encode("utf-8"))
        trimmed = set()
        for b, e in predicted:
            while b < e and text[b].isspace():
                b += 1
            while e > b and text[e - 1].isspace():
                e -= 1
            trimmed.add((b, e))
        gold += len(spans)
        found += len(trimmed)
        correct += len(trimmed & set(spans))
    p = correct / found if found else 0
    r = correct / gold if gold else 0
    f = 2 * p * r / (p + r) if p + r else 0
    print(f"{100 * p:.2f} {100 * r:.2f} {100 * f:.2f} {size / busy / 1e6 if busy else 0:.2f}")


if __name__ == "__main__":
    main()
