"""Readers for the non-Apertium sources. Each takes an iterable of text lines (so tests can feed inline
samples) and adds (form, UPOS set) pairs to a Lexicon; each returns {"read": n, "unmapped": {tag: n}}.
"""

import csv

from lexcommon import here, read_mapping


def _count(stats, key, n=1):
    stats[key] = stats.get(key, 0) + n


def _unmapped(stats, tag):
    d = stats.setdefault("unmapped", {})
    d[tag] = d.get(tag, 0) + 1


# --- WordNet (wordnet-base: index.noun/verb/adj/adv and the *.exc irregular-form lists) -----------------

WORDNET_POS = {"noun": "NOUN", "verb": "VERB", "adj": "ADJ", "adv": "ADV"}


def read_wordnet_index(lines, upos, lexicon):
    """index.<pos>: `lemma pos synset_cnt ...`; lines starting with two spaces are the license header.
    Multiword lemmas (`ice_cream`) are skipped: the tagger looks up single tokens."""
    stats = {}
    for line in lines:
        if line.startswith(" ") or not line.strip():
            continue
        lemma = line.split(" ", 1)[0]
        _count(stats, "read")
        if "_" in lemma:
            _count(stats, "multiword")
            continue
        lexicon.add(lemma, (upos,))
    return stats


def read_wordnet_exc(lines, upos, lexicon):
    """<pos>.exc: `inflected_form base_form ...` (irregular forms: `went go`, `geese goose`)."""
    stats = {}
    for line in lines:
        parts = line.split()
        if len(parts) < 2 or "_" in parts[0]:
            continue
        _count(stats, "read")
        lexicon.add(parts[0], (upos,))
    return stats


# --- UniDic for MeCab (unidic-mecab: lex_3_1.csv) -------------------------------------------------------

def load_unidic_mapping(path=None):
    return read_mapping(path or here("unidic_upos.tsv"))


def unidic_upos(pos_levels, mapping):
    """Longest matching prefix of the POS hierarchy (`名詞-普通名詞-一般` then `名詞-普通名詞`, then `名詞`)."""
    levels = [p for p in pos_levels if p and p != "*"]
    for k in range(len(levels), 0, -1):
        tags = mapping.get("-".join(levels[:k]))
        if tags is not None:
            return tags
    return None


def read_unidic_csv(lines, mapping, lexicon):
    """lex.csv rows: surface,left_id,right_id,cost,pos1,pos2,pos3,pos4,cType,cForm,... (quoted fields are
    used when a surface contains a comma). The count kept for ranking is 30000 - cost (MeCab's word cost is
    lower for more frequent words; UniDic costs lie well within +-30000)."""
    stats = {}
    for row in csv.reader(lines):
        if len(row) < 8:
            _count(stats, "malformed")
            continue
        _count(stats, "read")
        tags = unidic_upos(row[4:8], mapping)
        if tags is None:
            _unmapped(stats, "-".join(p for p in row[4:8] if p != "*"))
            continue
        if not tags:
            continue
        try:
            cost = int(row[3])
        except ValueError:
            cost = 30000
        lexicon.add(row[0], tags, count=max(0, 30000 - cost))
    return stats


# --- jieba (python3-jieba: dict.txt) ---------------------------------------------------------------------

def load_jieba_mapping(path=None):
    return read_mapping(path or here("jieba_upos.tsv"))


def read_jieba_dict(lines, mapping, lexicon):
    """dict.txt: `word freq tag` separated by single spaces (the word itself has no space)."""
    stats = {}
    for line in lines:
        parts = line.rstrip("\n").split(" ")
        if len(parts) != 3 or not parts[1].isdigit():
            _count(stats, "malformed")
            continue
        word, freq, tag = parts
        _count(stats, "read")
        tags = mapping.get(tag)
        if tags is None:
            _unmapped(stats, tag)
            continue
        if tags:
            lexicon.add(word, tags, count=int(freq))
    return stats


# --- Hunspell / aspell word lists (forms without part of speech) ------------------------------------------

def read_word_list(lines, lexicon):
    """One word form per line (unmunch output, `aspell dump master | aspell expand` output split on spaces,
    or a .dic without its count line). `word/FLAGS` keeps the word; Hunspell morphological fields after a
    tab or space are dropped. Adds the forms with no tag (written as KNOWN)."""
    stats = {}
    for line in lines:
        line = line.rstrip("\n")
        if not line:
            continue
        for word in line.split("\t", 1)[0].split(" "):
            word = word.split("/", 1)[0] if "/" in word[1:] else word
            if not word or word.isdigit():
                continue
            _count(stats, "read")
            if lexicon.add(word, ()):
                _count(stats, "added")
    return stats


# --- Hunspell morphological analysis (`hunspell -m`, dictionaries with po: fields: Hungarian) -------------

def load_hunspell_morph_mapping(path=None, lang="hu"):
    return read_mapping(path or here(f"hunspell_{lang}_upos.tsv"))


DERIVED = {"adj": "ADJ", "adv": "ADV", "vrb": "VERB", "noun": "NOUN"}


def hunspell_morph_upos(fields, mapping):
    """UPOS of one `hunspell -m` analysis (its fields after the word): the union of its mapped `po:` values
    (a verb class `v1_it_x__a` or `v0ait____a` is looked up as `v1`, `v0`), unless a derivational suffix (`ds:tt_PASTPART_adj`,
    Hungarian) makes another category of the word. None if no `po:` value is in the mapping."""
    tags = None
    derived = None
    for f in fields:
        if f.startswith("po:"):
            po = f[3:]
            t = mapping.get(po)
            if t is None and "_" in po:
                t = mapping.get(po.split("_", 1)[0])
            if t is None and len(po) > 2 and po[0] == "v" and po[1].isdigit():
                t = mapping.get(po[:2])  # French verb classes `v0ait____a`, `v1ei_____a`
            if t is not None:
                tags = set(t) if tags is None else tags | t
        elif f.startswith("ds:") or f.startswith("is:"):  # `is:dik_ORDINAL_adj` makes an adjective too
            parts = f[3:].split("_")
            for p in reversed(parts):
                if p in DERIVED:
                    derived = DERIVED[p]
                    break
    if derived is not None:
        return frozenset((derived,))
    return None if tags is None else frozenset(tags)


def read_hunspell_analyses(lines, mapping, lexicon):
    """`hunspell -m` output: `word<SP>st:stem po:cat ...` lines, one per analysis, a blank line after each
    word; words without analysis give no line. A word's tags are the union over its analyses."""
    stats = {}
    for line in lines:
        parts = line.split()
        if len(parts) < 2:
            continue
        _count(stats, "read")
        tags = hunspell_morph_upos(parts[1:], mapping)
        if tags is None:
            po = next((p[3:] for p in parts[1:] if p.startswith("po:")), "(none)")
            _unmapped(stats, po)
            continue
        if tags:
            lexicon.add(parts[0], tags)
    return stats


# --- Hspell (Hebrew, `hspell -l` linguistic information) --------------------------------------------------

HSPELL_WORD = "מילה חוקית:"  # "legal word": analyses of the whole form follow, one per tab-indented line
HSPELL_COMBO = "צירוף חוקי:"  # "legal combination": prefix letters + word; UD Hebrew splits those, skip


def load_hspell_mapping(path=None):
    return read_mapping(path or here("hspell_upos.tsv"))


def read_hspell_analyses(lines, mapping, lexicon):
    """`hspell -l` output (decoded): `מילה חוקית: WORD` then `\tLEMMA(CAT,features...)` lines. The category
    is the first field in the parentheses. Analyses under a prefix combination are not the form's own.
    A word with an uncategorised analysis (`x`, function words such as `של`) is kept as KNOWN: its other
    analyses (`של` as an imperative verb) would otherwise claim a set that lacks its main use."""
    stats = {}
    found = {}  # word -> (set of tags, has an uncategorised analysis)
    word = None
    for line in lines:
        line = line.rstrip("\n")
        if line.startswith(HSPELL_WORD):
            word = line[len(HSPELL_WORD):].strip()
            found.setdefault(word, (set(), [False]))
            continue
        if line.startswith(HSPELL_COMBO) or not line.startswith("\t"):
            word = None
            continue
        if word is None or "(" not in line:
            continue
        cat = line.split("(", 1)[1].split(")", 1)[0].split(",", 1)[0]
        _count(stats, "read")
        tags = mapping.get(cat)
        if tags is None:
            _unmapped(stats, cat)
            continue
        if tags:
            found[word][0].update(tags)
        else:
            found[word][1][0] = True
    for word, (tags, uncategorised) in found.items():
        lexicon.add(word, () if uncategorised[0] else tags)
    return stats
