#!/usr/bin/env python3
"""langid_score.py -- score language-identification predictions of several systems side by side.

Usage (from the project root):
  python3 bench/langid_score.py --gold /tmp/peers/test.tsv \\
      --pred cld2=/tmp/peers/cld2.test.pred --pred cld3=/tmp/peers/cld3.test.pred \\
      --pred fasttext=/tmp/peers/fasttext.test.pred --pred ours=/tmp/ours.test.pred \\
      [--system-codes cld2=cld2 --system-codes myft=fasttext ...] [--readme README.md] [--per-label]

--gold     `label<TAB>text` file (plain, or .zst read through `zstd -dc`); only the label is used.
--pred     NAME=FILE, one predicted code per line, aligned with --gold (a `__label__` prefix is
           stripped). Repeatable.
--system-codes NAME=TYPE with TYPE one of cld2, cld3, fasttext, ours: which column of the README
           language table gives the codes NAME outputs (`ours` = the data set's own labels).
           Repeatable, or comma-separated. A NAME that is itself a TYPE needs no entry.
--readme   the data set README whose "Languages" markdown table maps each label to the CLD2,
           CLD3 and fastText lid.176 code (default /work/shared/data/langid/README.md); it is
           parsed at run time.
--sources  optional file with one source letter per gold row (the data set's test-sources.txt,
           aligned with test.tsv): adds rows per source (F = FLORES-200, N = NTREX-128, T = Tatoeba).
--per-label  also print per-label accuracy.

A model trained on this data set (e.g. bench/peers/fasttext_train.sh) outputs the data set's own
labels, so it is scored with TYPE `ours`, not `fasttext` (which means lid.176's codes).

Scoring is strict: a row is correct for a system when its output equals the code its TYPE uses for
the gold label (e.g. gold `he` -> CLD2/CLD3 `iw`; gold `zh-Hant` -> CLD3 `zh`; gold `nb` -> `no`);
a label with an empty code is unknown to that system and always counts as wrong. Output (markdown
on stdout): accuracy of every system on every subset -- all rows, and the rows whose gold label
each peer knows (`cld2-known`, `cld3-known`, `fasttext-known`) plus the rows all three know
(`common`) -- so each system, `ours` included, is scored on each peer's label set like for like.
A second table scores every `ours`-type system after collapsing its labels to each peer's codes
(e.g. `sr-Latn`/`sr-Cyrl` both become `sr`, `zh-Hant` becomes CLD3's `zh`), i.e. with the same
distinctions forgiven that the peer cannot make. Python 3 standard library only.
"""
import argparse
import collections
import os
import re
import subprocess
import sys

TYPES = ("cld2", "cld3", "fasttext", "ours")
PEER_TYPES = ("cld2", "cld3", "fasttext")
DEFAULT_README = "/work/shared/data/langid/README.md"


def die(msg):
    sys.stderr.write("langid_score.py: %s\n" % msg)
    sys.exit(2)


def split_row(line):
    line = line.strip()
    if line.startswith("|"):
        line = line[1:]
    if line.endswith("|"):
        line = line[:-1]
    return [c.strip() for c in line.split("|")]


def clean_cell(cell):
    return cell.strip().strip("`*").strip()


def parse_language_table(readme_path):
    """Return {type: {label: code or ''}} from the README's language table."""
    try:
        with open(readme_path, encoding="utf-8") as f:
            lines = f.read().splitlines()
    except OSError as e:
        die("cannot read README %s: %s" % (readme_path, e))
    for i, line in enumerate(lines):
        if not line.lstrip().startswith("|"):
            continue
        header = [c.lower() for c in split_row(line)]
        if not header or header[0] != "label":
            continue
        cols = {}
        for j, h in enumerate(header):
            if "cld2" in h:
                cols["cld2"] = j
            elif "cld3" in h:
                cols["cld3"] = j
            elif "fasttext" in h:
                cols["fasttext"] = j
        if len(cols) != 3:
            continue
        table = {t: {} for t in PEER_TYPES}
        for row_line in lines[i + 1:]:
            if not row_line.lstrip().startswith("|"):
                break
            cells = split_row(row_line)
            if all(re.fullmatch(r":?-+:?", c) for c in cells if c):
                continue  # separator row
            label = cells[0]
            if not (label.startswith("`") and label.endswith("`")):
                continue  # e.g. the bold total row
            label = clean_cell(label)
            for t, j in cols.items():
                table[t][label] = clean_cell(cells[j]) if j < len(cells) else ""
        if table["cld2"]:
            return table
    die("no language table (header starting with 'label' and CLD2/CLD3/fastText code columns) in %s"
        % readme_path)


def read_lines(path):
    try:
        if path.endswith(".zst"):
            out = subprocess.run(["zstd", "-dc", path], check=True, stdout=subprocess.PIPE).stdout
            text = out.decode("utf-8")
        else:
            with open(path, encoding="utf-8", newline="\n") as f:
                text = f.read()
    except (OSError, subprocess.CalledProcessError) as e:
        die("cannot read %s: %s" % (path, e))
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def parse_pairs(values, what):
    pairs = []
    for v in values or []:
        for item in v.split(","):
            if not item:
                continue
            if "=" not in item:
                die("%s expects NAME=VALUE, got %r" % (what, item))
            name, val = item.split("=", 1)
            if not name or not val:
                die("%s expects NAME=VALUE, got %r" % (what, item))
            pairs.append((name, val))
    return pairs


def pct(correct, total):
    return "n/a" if total == 0 else "%.2f" % (100.0 * correct / total)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gold", required=True)
    ap.add_argument("--pred", action="append", required=True, metavar="NAME=FILE")
    ap.add_argument("--system-codes", action="append", metavar="NAME=TYPE")
    ap.add_argument("--readme", default=DEFAULT_README)
    ap.add_argument("--sources", help="one source letter per line aligned with --gold "
                    "(test-sources.txt): adds per-source rows")
    ap.add_argument("--per-label", action="store_true", help="also print per-label accuracy")
    args = ap.parse_args()

    table = parse_language_table(args.readme)
    # "ours" outputs the data set's own labels.
    table["ours"] = {label: label for label in table["cld2"]}

    gold = [line.split("\t", 1)[0].strip() for line in read_lines(args.gold)]
    if not gold:
        die("gold file %s is empty" % args.gold)
    unknown = sorted(set(gold) - set(table["ours"]))
    if unknown:
        sys.stderr.write("langid_score.py: warning: gold labels not in the README table "
                         "(unknown to every peer): %s\n" % " ".join(unknown))
        for label in unknown:
            table["ours"][label] = label

    systems = []  # (name, type, predictions)
    types = dict(parse_pairs(args.system_codes, "--system-codes"))
    for t in types.values():
        if t not in TYPES:
            die("unknown system type %r (expected one of %s)" % (t, ", ".join(TYPES)))
    seen = set()
    for name, path in parse_pairs(args.pred, "--pred"):
        if name in seen:
            die("system %r given twice" % name)
        seen.add(name)
        t = types.get(name, name if name in TYPES else None)
        if t is None:
            die("no code type for system %r: add --system-codes %s=cld2|cld3|fasttext|ours" % (name, name))
        preds = [p.strip() for p in read_lines(path)]
        preds = [p[len("__label__"):] if p.startswith("__label__") else p for p in preds]
        if len(preds) != len(gold):
            die("%s has %d lines but the gold file %s has %d" % (path, len(preds), args.gold, len(gold)))
        systems.append((name, t, preds))
    extra = sorted(set(types) - seen)
    if extra:
        die("--system-codes given for systems without --pred: %s" % ", ".join(extra))

    def expected(t, label):
        return table[t].get(label, "")

    # Subsets: all rows, then the labels each peer type knows (always all three: they are defined
    # by the README table, whatever systems are scored), the labels all three know, and optionally
    # the rows of each source (--sources, aligned with --gold).
    subsets = [("all", lambda i: True)]
    for pt in PEER_TYPES:
        subsets.append(("%s-known" % pt, lambda i, pt=pt: expected(pt, gold[i]) != ""))
    subsets.append(("common (known to cld2+cld3+fasttext)",
                    lambda i: all(expected(pt, gold[i]) != "" for pt in PEER_TYPES)))
    if args.sources:
        src = [line.strip() for line in read_lines(args.sources)]
        if len(src) != len(gold):
            die("%s has %d lines but the gold file has %d" % (args.sources, len(src), len(gold)))
        names = {"F": "FLORES-200", "N": "NTREX-128", "T": "Tatoeba"}
        for code in sorted(set(src)):
            subsets.append(("all, source %s (%s)" % (code, names.get(code, code)),
                            lambda i, code=code: src[i] == code))

    n_labels = len(set(gold))
    print("### %s: %d rows, %d labels\n" % (os.path.basename(args.gold), len(gold), n_labels))
    print("Accuracy % (strict: output must equal the system's own code for the gold label; "
          "labels a system does not know count as wrong).\n")
    header = ["subset", "rows", "labels"] + ["%s (%s)" % (n, t) if n != t else n for n, t, _ in systems]
    print("| " + " | ".join(header) + " |")
    print("| " + " | ".join(["---"] + ["---:"] * (len(header) - 1)) + " |")
    for sname, keep in subsets:
        idx = [i for i in range(len(gold)) if keep(i)]
        labels = len({gold[i] for i in idx})
        cells = [sname, str(len(idx)), str(labels)]
        for _, t, preds in systems:
            c = sum(1 for i in idx if preds[i] == expected(t, gold[i]) != "")
            cells.append(pct(c, len(idx)))
        print("| " + " | ".join(cells) + " |")

    und = ["%s %d" % (n, sum(1 for p in preds if p in ("und", "un", ""))) for n, _, preds in systems]
    print("\n`und` (no answer) rows: " + ", ".join(und) + ".")

    # ours collapsed to each peer's code set.
    ours = [(n, preds) for n, t, preds in systems if t == "ours"]
    if ours:
        print("\nLike for like: `ours` with its labels mapped to each peer's codes before comparing "
              "(forgives the distinctions the peer cannot make, e.g. `sr-Latn`/`sr-Cyrl` -> `sr`), "
              "on that peer's known labels.\n")
        header = ["subset", "rows"] + [n + " (collapsed)" for n, _ in ours] + \
                 [n for n, t, _ in systems if t != "ours"]
        print("| " + " | ".join(header) + " |")
        print("| " + " | ".join(["---"] + ["---:"] * (len(header) - 1)) + " |")
        for pt in PEER_TYPES:
            idx = [i for i, g in enumerate(gold) if expected(pt, g) != ""]
            cells = ["%s-known" % pt, str(len(idx))]
            for _, preds in ours:
                c = sum(1 for i in idx if expected(pt, preds[i]) == expected(pt, gold[i]))
                cells.append(pct(c, len(idx)))
            for _, t, preds in systems:
                if t == "ours":
                    continue
                if t == pt:
                    c = sum(1 for i in idx if preds[i] == expected(t, gold[i]))
                    cells.append(pct(c, len(idx)))
                else:
                    cells.append("")
            print("| " + " | ".join(cells) + " |")

    if args.per_label:
        print("\nPer-label accuracy %.\n")
        header = ["label", "rows"] + [n for n, _, _ in systems]
        print("| " + " | ".join(header) + " |")
        print("| " + " | ".join(["---"] + ["---:"] * (len(header) - 1)) + " |")
        by_label = collections.defaultdict(list)
        for i, g in enumerate(gold):
            by_label[g].append(i)
        order = [l for l in table["ours"] if l in by_label]
        for label in order:
            idx = by_label[label]
            cells = ["`%s`" % label, str(len(idx))]
            for _, t, preds in systems:
                if expected(t, label) == "":
                    cells.append("-")
                else:
                    c = sum(1 for i in idx if preds[i] == expected(t, label))
                    cells.append(pct(c, len(idx)))
            print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    try:
        main()
    except BrokenPipeError:  # e.g. piped into head
        sys.stderr.close()
        sys.exit(1)
