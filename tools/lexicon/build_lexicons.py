#!/usr/bin/env python3
"""Builds build/lexicons/lex-<lang>.tsv from the Debian packages named in LANGS (see README.md).

  build_lexicons.py --packages [LANG...]        print the Debian packages the languages need
  build_lexicons.py --licenses [LANG...]        print the sources' license lines (for models/README.md)
  build_lexicons.py --out DIR [--cap N] [LANG...] build the lexicons (all languages with a source if none)
"""

import argparse
import collections
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import apertium  # noqa: E402
import sources  # noqa: E402
from lexcommon import UPOS_SET, Lexicon, here, rank_and_cap, write_lexicon  # noqa: E402

APERTIUM_DIR = "/usr/share/apertium"
HUNSPELL_DIR = "/usr/share/hunspell"
LANGID_TRAIN = os.path.join(os.path.dirname(__file__), "../../../shared/data/langid/train.tsv.zst")

# Licenses as the packages' copyright files state them for the file used (for LibreOffice's hunspell
# dictionaries the stanza of that dictionary, not the package's default stanza).
LICENSES = {
    "apertium-eng-spa": "GPL-2", "apertium-fr-es": "GPL-2", "apertium-es-pt": "GPL-2",
    "apertium-spa-ita": "GPL-2", "apertium-cat-ita": "GPL-2+", "apertium-afr-nld": "GPL-2+",
    "apertium-rus-ukr": "GPL-2+", "apertium-swe-dan": "GPL-2+", "apertium-pol-szl": "GPL-3+",
    "apertium-ind-zlm": "GPL-2+", "wordnet-base": "WordNet 3.0 license (BSD-like)",
    "unidic-mecab": "BSD-3-Clause or LGPL-2.1 or GPL-2+", "python3-jieba": "MIT (Expat)",
    "hunspell-en-us": "SCOWL (BSD-like, permissive)", "hunspell-es": "GPL-3+ or LGPL-3+ or MPL-1.1+",
    "hunspell-fr": "MPL-2.0", "hunspell-pt-pt": "GPL-2 or LGPL-2.1 or MPL-1.1",
    "hunspell-pt-br": "LGPL-3 or MPL", "hunspell-it": "GPL-3", "hunspell-nl": "BSD or CC-BY-3.0 (OpenTaal)",
    "hunspell-af": "LGPL-2.1+", "hunspell-ru": "BSD-style (4 clauses)", "hunspell-sv": "LGPL-3",
    "hunspell-pl": "GPL or LGPL or MPL or Apache-2.0 or CC-SA-1.0", "hunspell-id": "LGPL-3",
    "hunspell-de-de": "GPL-2+ (igerman98)", "hunspell-el": "MPL-1.1 or GPL-2 or LGPL-2.1",
    "hunspell-tr": "MPL-2.0", "hunspell-hu": "GPL-3+ or LGPL-3+ or MPL-2.0+", "hunspell-vi": "GPL-2",
    "hunspell-th": "LGPL", "hunspell-ko": "MPL-1.1 or GPL-2+ or LGPL-2.1+", "hunspell-cs": "GPL-2",
    "hunspell-he": "AGPL-3+", "hspell": "AGPL-3+", "opencc": "Apache-2.0 (conversion tables only; entries are jieba's)", "aspell-ta": "GPL-2+", "aspell-mr": "GPL-2+", "aspell-fa": "GPL-2+",
}


def ap(pkg, binfile):
    return ("apertium", pkg, os.path.join(APERTIUM_DIR, pkg, binfile))


def hs(pkg, name):
    return ("hunspell", pkg, os.path.join(HUNSPELL_DIR, name))


def asp(pkg, name):
    return ("aspell", pkg, name)


# Per language, sources in order of trust. Sources with a part of speech come first; a form's tags are the
# union over the POS sources, except that "fill" sources (WordNet, word lists) only add forms that the
# earlier sources do not have (WordNet's `be` NOUN = beryllium would otherwise blur a closed class).
LANGS = {
    "en": [ap("apertium-eng-spa", "eng-spa.automorf.bin"), ("wordnet", "wordnet-base", "/usr/share/wordnet"),
           hs("hunspell-en-us", "en_US")],
    "es": [ap("apertium-eng-spa", "spa-eng.automorf.bin"), hs("hunspell-es", "es_ES")],
    "fr": [ap("apertium-fr-es", "fr-es.automorf.bin"),
           ("hunspell-m", "hunspell-fr", os.path.join(HUNSPELL_DIR, "fr_FR")), hs("hunspell-fr", "fr_FR")],
    "pt": [ap("apertium-es-pt", "pt-es.automorf.bin"), hs("hunspell-pt-pt", "pt_PT"),
           hs("hunspell-pt-br", "pt_BR")],
    "it": [ap("apertium-spa-ita", "ita-spa.automorf.bin"), ap("apertium-cat-ita", "ita-cat.automorf.bin"),
           hs("hunspell-it", "it_IT")],
    "nl": [ap("apertium-afr-nld", "nld-afr.automorf.bin"), hs("hunspell-nl", "nl_NL")],
    "af": [ap("apertium-afr-nld", "afr-nld.automorf.bin"), hs("hunspell-af", "af_ZA")],
    "ru": [ap("apertium-rus-ukr", "rus-ukr.automorf.bin"), hs("hunspell-ru", "ru_RU")],
    "sv": [ap("apertium-swe-dan", "swe-dan.automorf.bin"), hs("hunspell-sv", "sv_SE")],
    "pl": [ap("apertium-pol-szl", "pol-szl.automorf.bin"), hs("hunspell-pl", "pl_PL")],
    "id": [ap("apertium-ind-zlm", "ind-zlm.automorf.bin"), hs("hunspell-id", "id_ID")],
    "ja": [("unidic", "unidic-mecab", "/usr/share/mecab/dic/unidic/lex_3_1.csv")],
    "zh": [("jieba", "python3-jieba", "/usr/lib/python3/dist-packages/jieba/dict.txt"),
           # The same entries in traditional characters (UD Chinese-GSD is traditional, jieba simplified).
           ("jieba-s2t", "opencc", "/usr/lib/python3/dist-packages/jieba/dict.txt")],
    "de": [hs("hunspell-de-de", "de_DE")],
    "el": [hs("hunspell-el", "el_GR")],
    "tr": [hs("hunspell-tr", "tr_TR")],
    "hu": [("hunspell-m", "hunspell-hu", os.path.join(HUNSPELL_DIR, "hu_HU")), hs("hunspell-hu", "hu_HU")],
    "vi": [hs("hunspell-vi", "vi_VN")],
    "th": [hs("hunspell-th", "th_TH")],
    "ko": [hs("hunspell-ko", "ko_KR")],
    "cs": [hs("hunspell-cs", "cs_CZ")],
    "he": [("hspell", "hspell", os.path.join(HUNSPELL_DIR, "he_IL")), hs("hunspell-he", "he_IL")],
    "ta": [asp("aspell-ta", "ta")],
    "mr": [asp("aspell-mr", "mr")],
    "fa": [asp("aspell-fa", "fa")],
    # No Debian source with this language's words: ug, mt, ky.
}
NO_SOURCE = ("ug", "mt", "ky")
NO_SPACES = ("ja", "zh", "th")  # frequency by substring count, the text has no word boundaries
LANGID_LABELS = {"zh": ("zh", "zh-Hant")}
TOOLS = {"apertium": ["lttoolbox-dev"], "hunspell": ["hunspell-tools", "hunspell"], "aspell": ["aspell"],
         "hunspell-m": ["hunspell"], "jieba-s2t": ["python3-jieba"]}


def packages(langs):
    pkgs = []
    for lang in langs:
        for kind, pkg, _ in LANGS.get(lang, ()):
            for p in TOOLS.get(kind, []) + [pkg]:
                if p not in pkgs:
                    pkgs.append(p)
    return pkgs


def pkg_version(pkg):
    try:
        return subprocess.run(["dpkg-query", "-W", "-f=${Version}", pkg], stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, check=True).stdout.decode().strip()
    except (OSError, subprocess.CalledProcessError):
        return "not installed"


WORD_RE = re.compile(r"\w+(?:['’]\w+)*['’]?|[^\w\s]", re.UNICODE)


def frequencies(lang, text_lines):
    """Counts of lower-cased forms in the frequency text. Spaced scripts: tokens (and their elided
    pieces, `l'` of `l'homme`). Languages written without spaces: every substring of 1-8 characters."""
    freq = collections.Counter()
    for text in text_lines:
        text = text.lower()
        if lang in NO_SPACES:
            for chunk in text.split():
                n = len(chunk)
                for i in range(n):
                    for j in range(i + 1, min(n, i + 8) + 1):
                        freq[chunk[i:j]] += 1
        else:
            for tok in text.split():
                freq[tok.strip(".,;:!?\"()[]{}«»“”„")] += 1
                for piece in WORD_RE.findall(tok):
                    freq[piece] += 1
                    if "'" in piece[:-1] or "’" in piece[:-1]:
                        for part in re.split(r"(?<=['’])", piece):  # l'homme -> l' + homme
                            if part:
                                freq[part] += 1
    return freq


def langid_text(lang, path):
    labels = LANGID_LABELS.get(lang, (lang,))
    if not os.path.exists(path):
        return []
    proc = subprocess.run(["zstdcat", path], stdout=subprocess.PIPE, check=True)
    out = []
    for line in proc.stdout.decode("utf-8", "replace").splitlines():
        label, _, text = line.partition("\t")
        if label in labels:
            out.append(text)
    return out


def stream_lines(cmd, encoding, timeout, max_lines):
    """Runs `cmd`, yields its stdout lines decoded with `encoding`; stops at `max_lines` or `timeout` s."""
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    start = time.time()
    n = 0
    try:
        for raw in proc.stdout:
            yield raw.decode(encoding, "replace")
            n += 1
            if n >= max_lines or time.time() - start > timeout:
                print(f"    note: {cmd[0]} stopped after {n} lines / {time.time() - start:.0f} s", file=sys.stderr)
                break
    finally:
        proc.kill()
        proc.wait()


def aff_encoding(aff):
    with open(aff, "rb") as f:
        for raw in f:
            if raw.startswith(b"SET "):
                enc = raw.split()[1].decode("ascii", "replace")
                return {"microsoft-cp1251": "cp1251", "ISCII-DEVANAGARI": "utf-8"}.get(enc, enc)
    return "latin-1"


def read_source(kind, pkg, path, lang, stats, freq=None, only_seen=False):
    lex = Lexicon()
    if kind == "apertium":
        apertium.analyse_bin(path, apertium.load_mapping(), lex, stats, lang=lang)
    elif kind == "wordnet":
        for pos, upos in sources.WORDNET_POS.items():
            with open(os.path.join(path, "index." + pos), encoding="utf-8", errors="replace") as f:
                sources.read_wordnet_index(f, upos, lex)
            with open(os.path.join(path, pos + ".exc"), encoding="utf-8", errors="replace") as f:
                sources.read_wordnet_exc(f, upos, lex)
    elif kind == "unidic":
        with open(path, encoding="utf-8", errors="replace") as f:
            stats.update(sources.read_unidic_csv(f, sources.load_unidic_mapping(), lex))
    elif kind == "jieba":
        with open(path, encoding="utf-8", errors="replace") as f:
            stats.update(sources.read_jieba_dict(f, sources.load_jieba_mapping(), lex))
    elif kind == "jieba-s2t":
        proc = subprocess.run(["opencc", "-c", "s2t.json", "-i", path], stdout=subprocess.PIPE, check=True)
        stats.update(sources.read_jieba_dict(proc.stdout.decode("utf-8", "replace").splitlines(),
                                             sources.load_jieba_mapping(), lex))
    elif kind == "hunspell" and freq is not None and only_seen:
        # Only words of the frequency text can make the cap: ask Hunspell which of them it accepts
        # (-G prints the correct ones) instead of expanding every affix.
        words = sorted(w for w in freq if w and not any(c.isspace() for c in w))
        proc = subprocess.run(["hunspell", "-d", path, "-G", "-i", "utf-8"], input="\n".join(words).encode("utf-8"),
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=True)
        stats.update(sources.read_word_list(proc.stdout.decode("utf-8", "replace").splitlines(), lex))
    elif kind == "hunspell":
        enc = aff_encoding(path + ".aff")
        # unmunch expands every stem by its affix flags; agglutinative dictionaries can yield tens of
        # millions of forms, so the expansion is bounded (the cap keeps the frequent ones anyway).
        lines = stream_lines(["unmunch", path + ".dic", path + ".aff"], enc, timeout=240, max_lines=6_000_000)
        stats.update(sources.read_word_list(lines, lex))
        with open(path + ".dic", encoding=enc, errors="replace") as f:
            next(f, None)  # the first line is the entry count
            sources.read_word_list(f, lex)
    elif kind == "hunspell-m":
        # Analyses the words that matter: the .dic stems and every word of the frequency text.
        enc = aff_encoding(path + ".aff")
        words = set(freq or ())
        with open(path + ".dic", encoding=enc, errors="replace") as f:
            next(f, None)
            for line in f:
                w = line.split("\t", 1)[0].split("/", 1)[0].strip()
                if w:
                    words.add(w)
        words = sorted(w for w in words if w and not any(c.isspace() for c in w))
        proc = subprocess.run(["hunspell", "-d", path, "-m", "-i", "utf-8"], input="\n".join(words).encode("utf-8"),
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=True)
        stats.update(sources.read_hunspell_analyses(proc.stdout.decode("utf-8", "replace").splitlines(),
                                                    sources.load_hunspell_morph_mapping(lang=lang), lex))
    elif kind == "hspell":
        # Analyses the Hunspell stems (Hspell's own word list, as Debian builds hunspell-he from Hspell) and
        # the words of the frequency text. Hspell reads and writes ISO-8859-8.
        words = set(freq or ())
        with open(path + ".dic", encoding="utf-8", errors="replace") as f:
            next(f, None)
            for line in f:
                w = line.split("\t", 1)[0].split("/", 1)[0].strip()
                if w:
                    words.add(w)
        data = "\n".join(sorted(w for w in words if w and not any(c.isspace() for c in w)))
        proc = subprocess.run(["hspell", "-l"], input=data.encode("iso-8859-8", "ignore"), stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL)
        stats.update(sources.read_hspell_analyses(proc.stdout.decode("iso-8859-8", "replace").splitlines(),
                                                  sources.load_hspell_mapping(), lex))
    elif kind == "aspell":
        dump = subprocess.run(["aspell", "-d", path, "dump", "master"], stdout=subprocess.PIPE, check=True)
        exp = subprocess.run(["aspell", "-l", path, "expand"], input=dump.stdout, stdout=subprocess.PIPE,
                             check=True)
        stats.update(sources.read_word_list(exp.stdout.decode("utf-8", "replace").splitlines(), lex))
    return lex


FILL_KINDS = ("wordnet", "hunspell", "aspell", "hunspell-m")


def apply_overrides(lang, lexicon, lines):
    """Adds the tags of overrides.tsv rows for `lang` or `*` (lang<TAB>form<TAB>UPOS,...<TAB>why). Returns
    the count."""
    n = 0
    for lineno, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.rstrip("\n").split("\t")
        if len(cols) < 3:
            raise ValueError(f"overrides.tsv:{lineno}: expected lang<TAB>form<TAB>tags")
        tags = [t for t in cols[2].split(",") if t]
        if any(t not in UPOS_SET for t in tags):
            raise ValueError(f"overrides.tsv:{lineno}: not a UPOS tag in {cols[2]!r}")
        if cols[0] in (lang, "*") and lexicon.add(cols[1], tags):
            n += 1
    return n


def build(lang, out_dir, cap, langid_path):
    t0 = time.time()
    total = Lexicon()
    header = [f"slimnlp lexicon, language {lang}: form<TAB>UPOS[,UPOS...] (KNOWN = word listed without a "
              "part of speech); forms lower-cased (Python str.lower), NFC; made by tools/lexicon/build_lexicons.py"]
    summary = []
    freq = frequencies(lang, langid_text(lang, langid_path))
    for kind, pkg, path in LANGS[lang]:
        stats = {}
        # Forms only a fill word list has rank after every tagged form unless the frequency text has them:
        # once the tagged forms fill the cap, only those can still be kept (same output, less time and memory).
        only_seen = kind in ("hunspell", "aspell") and cap > 0 and total.n_tagged() >= cap
        lex = read_source(kind, pkg, path, lang, stats, freq, only_seen)
        added = 0
        if kind in FILL_KINDS:
            for form, tags in lex.tags.items():
                if only_seen and form not in freq:
                    continue
                added += total.add_new(form, tags)
        else:
            added = sum(1 for f in lex.tags if f not in total.tags)
            total.merge(lex)
        unmapped = stats.get("unmapped", {})
        top = ", ".join(f"{k} {v}" for k, v in sorted(unmapped.items(), key=lambda kv: -kv[1])[:8])
        print(f"  {lang} {kind} {pkg}: {len(lex)} forms, {added} new" + (f"; unmapped: {top}" if top else "")
              + ("; WARNING: path walk stopped at its budget, forms are missing" if stats.get("truncated") else ""),
              file=sys.stderr)
        header.append(f"source: Debian package {pkg} {pkg_version(pkg)}, license {LICENSES.get(pkg, '?')}, "
                      f"file {path}" + ("" if kind not in FILL_KINDS else " (adds forms the sources above lack)"))
        summary.append((pkg, pkg_version(pkg), LICENSES.get(pkg, "?")))
    with open(here("overrides.tsv"), encoding="utf-8") as f:
        n_over = apply_overrides(lang, total, f)
    if n_over:
        header.append(f"{n_over} hand additions from tools/lexicon/overrides.tsv (UD conventions no source encodes)")
    forms = rank_and_cap(total, freq, cap)
    seen = sum(1 for f in total.tags if freq.get(f))
    header.append(f"kept {len(forms)} of {len(total)} forms: those seen in the slimnlp langid train text first "
                  f"({seen} are), then tagged before KNOWN, then by source frequency, then shortest first")
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, f"lex-{lang}.tsv")
    write_lexicon(path, total, forms, header, with_counts=False)
    print(f"{lang}: {path}: {len(forms)} forms ({time.time() - t0:.0f} s)", file=sys.stderr)
    return path


def main():
    ap_ = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap_.add_argument("langs", nargs="*")
    ap_.add_argument("--packages", action="store_true", help="print the needed Debian packages and exit")
    ap_.add_argument("--licenses", action="store_true", help="print one license line per language and exit")
    ap_.add_argument("--out", default="build/lexicons")
    ap_.add_argument("--cap", type=int, default=200000, help="most forms per language (0 = all)")
    ap_.add_argument("--langid", default=LANGID_TRAIN, help="langid train.tsv.zst used to rank forms")
    args = ap_.parse_args()
    langs = args.langs or list(LANGS)
    for lang in langs:
        if lang not in LANGS:
            why = "no Debian package with its words was found" if lang in NO_SOURCE else "unknown language"
            print(f"{lang}: skipped: {why}", file=sys.stderr)
    langs = [lang for lang in langs if lang in LANGS]
    if args.packages:
        print(" ".join(packages(langs)))
        return 0
    if args.licenses:
        for lang in langs:
            pkgs = list(dict.fromkeys(pkg for _, pkg, _ in LANGS[lang]))
            parts = [f"{pkg} {pkg_version(pkg)} ({LICENSES.get(pkg, '?')})" for pkg in pkgs]
            print(f"- lexicon `{lang}` (tools/lexicon): " + "; ".join(parts))
        for lang in NO_SOURCE:
            print(f"- lexicon `{lang}`: none (no Debian package with its words)")
        return 0
    for lang in langs:
        build(lang, args.out, args.cap, args.langid)
    return 0


if __name__ == "__main__":
    sys.exit(main())
