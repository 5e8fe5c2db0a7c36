#!/usr/bin/python3
"""Word-segmentation scorer: gold CoNLL-U vs. one-sentence-per-line system output.

  seg_score.py GOLD.conllu[.zst] SYSTEM.txt [--json] [--name NAME]
  seg_score.py GOLD.conllu[.zst] --raw-out RAW.txt      # just write the raw texts, one per line

Scoring follows the CoNLL 2018 shared task's token metric: both sides are mapped onto
character spans of the sentence's raw text with whitespace removed, and a word is correct iff
its (start, end) span matches a gold span exactly. Aligning on the raw text (not on
the concatenated tokens) means a system that drops, adds or rewrites characters is caught.

A token that cannot be aligned where expected is searched for further on in the sentence (the
skipped characters just belong to no token); a token not found at all gets no span. Either
way it is reported on stderr and can never be correct, but it still counts in its side's
total, so it lowers precision (system) or recall (gold) instead of crashing the run.
"""
import argparse
import json
import re
import subprocess
import sys

TEXT_RE = re.compile(r"^#\s*text\s*=\s?(.*)$")  # also '# text=...' (seen in some treebanks)
ID_RE = re.compile(r"^\d+$")
RANGE_RE = re.compile(r"^(\d+)-(\d+)$")


def read_text(path):
    if path.endswith(".zst"):
        data = subprocess.run(["zstd", "-dc", path], check=True, stdout=subprocess.PIPE).stdout
    else:
        with open(path, "rb") as f:
            data = f.read()
    # Split on '\n' only: str.splitlines() would also break on U+2028, U+0085, ... inside text.
    lines = data.decode("utf-8").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [l[:-1] if l.endswith("\r") else l for l in lines]


def read_conllu(path):
    """-> list of (raw_text, [gold token forms]) per sentence."""
    sents, text, forms, spaced, skip_to = [], None, [], [], 0
    for line in read_text(path) + [""]:
        if not line.strip():
            if forms:
                if text is None:  # no '# text': rebuild it from forms and SpaceAfter=No
                    text = "".join(f + ("" if no_sp else " ") for f, no_sp in spaced).rstrip()
                sents.append((text, forms))
            text, forms, spaced, skip_to = None, [], [], 0
            continue
        if line.startswith("#"):
            m = TEXT_RE.match(line)
            if m and text is None:
                text = m.group(1)
            continue
        cols = line.split("\t")
        if len(cols) < 10:
            continue
        tid, form, misc = cols[0], cols[1], cols[9]
        m = RANGE_RE.match(tid)
        if m:  # a multiword token is one surface token; its word lines are skipped
            skip_to = int(m.group(2))
        elif not ID_RE.match(tid):  # empty node 8.1
            continue
        elif int(tid) <= skip_to:
            continue
        forms.append(form)
        spaced.append((form, "SpaceAfter=No" in misc.split("|")))
    return sents


def align(raw, tokens, who, sent_no, problems):
    """Map tokens onto (start, end) spans of raw with whitespace removed; None if unalignable."""
    chars = "".join(raw.split())
    spans, pos = [], 0
    for tok in tokens:
        t = "".join(tok.split())
        if not t:
            spans.append(None)
            problems.append(f"{who} sentence {sent_no}: empty token")
            continue
        if chars.startswith(t, pos):
            spans.append((pos, pos + len(t)))
            pos += len(t)
            continue
        at = chars.find(t, pos)
        if at >= 0:
            problems.append(f"{who} sentence {sent_no}: skipped {chars[pos:at]!r} before {t!r}")
            spans.append((at, at + len(t)))
            pos = at + len(t)
        else:
            problems.append(f"{who} sentence {sent_no}: token {t!r} not in raw text at offset {pos}")
            spans.append(None)
    if pos != len(chars):
        problems.append(f"{who} sentence {sent_no}: raw text {chars[pos:]!r} left uncovered")
    return spans


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("gold")
    ap.add_argument("system", nargs="?")
    ap.add_argument("--json", action="store_true", help="print one JSON line instead of text")
    ap.add_argument("--name", default="", help="system name to put in the output")
    ap.add_argument("--raw-out", metavar="FILE", help="write raw sentence texts, one per line, and exit")
    ap.add_argument("--max-problems", type=int, default=20, help="alignment problems listed on stderr")
    a = ap.parse_args()

    gold = read_conllu(a.gold)
    if a.raw_out:
        with open(a.raw_out, "w", encoding="utf-8", newline="\n") as f:
            for raw, _ in gold:
                f.write(raw + "\n")
        return 0
    if not a.system:
        ap.error("SYSTEM file required unless --raw-out is given")

    sys_lines = read_text(a.system)
    problems = []
    if len(sys_lines) != len(gold):
        problems.append(f"system has {len(sys_lines)} lines, gold has {len(gold)} sentences")
    n_gold = n_sys = n_ok = 0
    for i, (raw, gforms) in enumerate(gold):
        stoks = sys_lines[i].split(" ") if i < len(sys_lines) else []
        stoks = [t for t in stoks if t]  # tolerate doubled / trailing spaces
        gspans = align(raw, gforms, "gold", i + 1, problems)
        sspans = align(raw, stoks, "system", i + 1, problems)
        n_gold += len(gspans)
        n_sys += len(sspans)
        n_ok += len(set(s for s in gspans if s) & set(s for s in sspans if s))
    p = n_ok / n_sys if n_sys else 0.0
    r = n_ok / n_gold if n_gold else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0

    for msg in problems[: a.max_problems]:
        print("seg_score: " + msg, file=sys.stderr)
    if len(problems) > a.max_problems:
        print(f"seg_score: ... {len(problems) - a.max_problems} more alignment problems", file=sys.stderr)
    res = {"system": a.name, "gold": a.gold, "sentences": len(gold), "gold_words": n_gold,
           "system_words": n_sys, "correct": n_ok, "precision": round(100 * p, 2),
           "recall": round(100 * r, 2), "f1": round(100 * f1, 2), "alignment_problems": len(problems)}
    if a.json:
        print(json.dumps(res, ensure_ascii=False))
    else:
        print(f"{a.name or a.system}: P {res['precision']:.2f}  R {res['recall']:.2f}  F1 {res['f1']:.2f}"
              f"  (gold {n_gold}, system {n_sys}, correct {n_ok}, alignment problems {len(problems)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
