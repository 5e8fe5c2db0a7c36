#!/usr/bin/env python3
"""Coverage of lexicons on UD: for each language, the share of word tokens (and of distinct word types) of its
UD dev split (test if the treebank has no dev) found in lex-<lang>.tsv, the share found with a real tag set
(not KNOWN), and how often the gold UPOS is in that tag set.

  coverage.py [--lexicons build/lexicons] [--ud ../shared/data/ud] [LANG...]   prints a Markdown table
  coverage.py --check [--lexicons build/lexicons] [LANG...]                 checks the files' format
"""

import argparse
import os
import subprocess
import sys
import unicodedata

TREEBANKS = {  # language -> treebank folder (the one with a train split where there is one)
    "en": "UD_English-EWT", "fr": "UD_French-Sequoia", "pt": "UD_Portuguese-Bosque", "it": "UD_Italian-ParTUT",
    "el": "UD_Greek-GDT", "tr": "UD_Turkish-IMST", "hu": "UD_Hungarian-Szeged", "vi": "UD_Vietnamese-VTB",
    "th": "UD_Thai-TUD", "ug": "UD_Uyghur-UDT", "ta": "UD_Tamil-TTB", "mr": "UD_Marathi-UFAL",
    "mt": "UD_Maltese-MUDT", "af": "UD_Afrikaans-AfriBooms", "ky": "UD_Kyrgyz-KTMU", "id": "UD_Indonesian-CSUI",
    "zh": "UD_Chinese-GSDSimp", "zh-Hant": "UD_Chinese-GSD", "ja": "UD_Japanese-GSD", "ko": "UD_Korean-GSD", "pl": "UD_Polish-MPDT",
    "sv": "UD_Swedish-LinES", "ru": "UD_Russian-Taiga", "cs": "UD_Czech-CLTT", "nl": "UD_Dutch-Alpino",
    "de": "UD_German-GSD", "es": "UD_Spanish-GSD", "he": "UD_Hebrew-HTB", "fa": "UD_Persian-Seraji",
}
V1_TAGS = {"CONJ": "CCONJ"}  # UD v1 treebanks (Dutch here) use CONJ


def read_lexicon(path):
    lex = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                continue
            cols = line.rstrip("\n").split("\t")
            if len(cols) >= 2:
                lex[cols[0]] = frozenset() if cols[1] == "KNOWN" else frozenset(cols[1].split(","))
    return lex


def validate(lines):
    """Checks a lexicon file's lines against the format (see README). Returns a list of problems
    ("line N: what"), empty if the file is well-formed."""
    problems = []
    prev = None
    upos = {"ADJ", "ADP", "ADV", "AUX", "CCONJ", "DET", "INTJ", "NOUN", "NUM", "PART", "PRON", "PROPN",
            "PUNCT", "SCONJ", "SYM", "VERB", "X"}
    for n, line in enumerate(lines, 1):
        line = line.rstrip("\n")
        if line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) not in (2, 3) or not cols[0]:
            problems.append(f"line {n}: expected form<TAB>tags[<TAB>count]")
            continue
        form, tags = cols[0], cols[1]
        if form != unicodedata.normalize("NFC", form).lower() and form != form.lower():
            problems.append(f"line {n}: form {form!r} is not lower-cased")
        if any(c.isspace() for c in form):
            problems.append(f"line {n}: form {form!r} has whitespace")
        if prev is not None and form <= prev:
            problems.append(f"line {n}: form {form!r} not after {prev!r} (unsorted or duplicate)")
        prev = form
        if tags != "KNOWN":
            t = tags.split(",")
            if t != sorted(set(t)) or not set(t) <= upos:
                problems.append(f"line {n}: tag field {tags!r} is not sorted unique UPOS")
        if len(cols) == 3 and not cols[2].isdigit():
            problems.append(f"line {n}: count {cols[2]!r} is not a number")
    return problems


def read_words(lines):
    """Yields (form, UPOS) for every syntactic word (integer ID) of a CoNLL-U stream."""
    for line in lines:
        if not line or line[0] == "#":
            continue
        cols = line.rstrip("\n").split("\t")
        if len(cols) < 4 or not cols[0].isdigit():
            continue
        yield cols[1], V1_TAGS.get(cols[3], cols[3])


def split_file(ud_dir, treebank):
    folder = os.path.join(ud_dir, treebank)
    names = sorted(os.listdir(folder)) if os.path.isdir(folder) else []
    for split in ("dev", "test"):
        for name in names:
            if name.endswith(f"-ud-{split}.conllu.zst"):
                return os.path.join(folder, name), split
    return None, None


def measure(lex, words):
    tokens = found = tagged = gold_in = 0
    types, types_found = set(), set()
    for form, upos in words:
        key = unicodedata.normalize("NFC", form).lower()
        tokens += 1
        types.add(key)
        tags = lex.get(key)
        if tags is None:
            continue
        found += 1
        types_found.add(key)
        if tags:
            tagged += 1
            gold_in += upos in tags
    return {"tokens": tokens, "found": found, "types": len(types), "types_found": len(types_found),
            "tagged": tagged, "gold_in": gold_in}


def pct(a, b):
    return f"{100.0 * a / b:.1f}" if b else "-"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("langs", nargs="*")
    ap.add_argument("--lexicons", default="build/lexicons")
    ap.add_argument("--ud", default=os.path.join(os.path.dirname(__file__), "../../../shared/data/ud"))
    ap.add_argument("--check", action="store_true", help="only check the files' format; exit 1 on a problem")
    args = ap.parse_args()
    if args.check:
        bad = 0
        for lang in args.langs or sorted(set(t.split("-")[0] for t in TREEBANKS)):
            path = os.path.join(args.lexicons, f"lex-{lang}.tsv")
            if not os.path.exists(path):
                continue
            with open(path, encoding="utf-8") as f:
                problems = validate(f)
            for p in problems[:10]:
                print(f"{path}: {p}", file=sys.stderr)
            print(f"{path}: {'ok' if not problems else str(len(problems)) + ' problems'}")
            bad += bool(problems)
        return 1 if bad else 0
    print("| lang | treebank (split) | forms | tokens found % | types found % | tokens with tags % "
          "| gold UPOS in tag set % (of tokens with tags) |")
    print("|---|---|---|---|---|---|---|")
    for lang in args.langs or list(TREEBANKS):
        tb = TREEBANKS.get(lang)
        path = os.path.join(args.lexicons, f"lex-{lang.split('-')[0]}.tsv")
        conllu, split = split_file(args.ud, tb) if tb else (None, None)
        if conllu is None:
            print(f"{lang}: no UD dev/test split under {args.ud}", file=sys.stderr)
            continue
        if not os.path.exists(path):
            print(f"| {lang} | {tb} ({split}) | no lexicon | | | | |")
            continue
        lex = read_lexicon(path)
        text = subprocess.run(["zstdcat", conllu], stdout=subprocess.PIPE, check=True).stdout.decode("utf-8")
        m = measure(lex, read_words(text.splitlines()))
        print(f"| {lang} | {tb} ({split}) | {len(lex):,} | {pct(m['found'], m['tokens'])} | "
              f"{pct(m['types_found'], m['types'])} | {pct(m['tagged'], m['tokens'])} | "
              f"{pct(m['gold_in'], m['tagged'])} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
