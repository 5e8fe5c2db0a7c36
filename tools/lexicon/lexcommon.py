"""Shared pieces of the lexicon tools: the UPOS inventory, form normalisation, mapping tables, the writer.

A lexicon maps a lower-cased word form to the set of UPOS tags that a dictionary allows it (its ambiguity
class). Forms that a source lists without any part of speech (spelling dictionaries) get the pseudo-tag
KNOWN, which is dropped as soon as any source gives the form a real tag.
"""

import os
import unicodedata

UPOS = ("ADJ", "ADP", "ADV", "AUX", "CCONJ", "DET", "INTJ", "NOUN", "NUM", "PART", "PRON", "PROPN",
        "PUNCT", "SCONJ", "SYM", "VERB", "X")
UPOS_SET = frozenset(UPOS)
KNOWN = "KNOWN"

# A form longer than this is a run-on or a multiword expression; the tagger looks up single tokens.
MAX_FORM_CHARS = 64


def normalize_form(form):
    """Returns the lexicon key of `form` (Unicode lower-cased, NFC), or None when the form is unusable.

    Unusable: empty, containing whitespace or a control/format/surrogate/private/unassigned character
    (a tab or newline would break the file format; the others are encoding debris), or too long.
    """
    if not form or len(form) > MAX_FORM_CHARS or form.startswith("#"):
        return None  # a leading '#' would read as a comment line
    if len(form) > 1 and (form[0] == "-" or form[-1] == "-"):
        return None  # compounding stems (`sondöttrar-`) and bound suffixes: never a token on their own
    form = unicodedata.normalize("NFC", form).lower()
    for ch in form:
        if ch.isspace():
            return None
        cat = unicodedata.category(ch)
        # Cf would also drop ZWJ/ZWNJ, which Persian, Indic and Malayalam spellings need.
        if cat in ("Cc", "Cs", "Co", "Cn") or (cat == "Cf" and ch not in "\u200c\u200d"):
            return None
    return form


def read_mapping(path):
    """Reads a mapping table: `key<TAB>UPOS[,UPOS...]<TAB>comment`; `#` starts a comment line.

    An empty tag field means "known on purpose not to map" (the entry is skipped, not counted as unknown).
    Returns {key: frozenset of tags}. Raises ValueError naming the file and line on a bad row.
    """
    table = {}
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) < 2:
                raise ValueError(f"{path}:{lineno}: expected key<TAB>tags, got {line!r}")
            key, tags = cols[0].strip(), cols[1].strip()
            tagset = frozenset(t for t in tags.split(",") if t)
            bad = tagset - UPOS_SET
            if bad:
                raise ValueError(f"{path}:{lineno}: not a UPOS tag: {sorted(bad)}")
            if key in table:
                raise ValueError(f"{path}:{lineno}: duplicate key {key!r}")
            table[key] = tagset
    return table


def here(name):
    return os.path.join(os.path.dirname(os.path.abspath(__file__)), name)


class Lexicon:
    """form -> frozenset of tags, plus an optional count per form (the source's frequency, if it has one).

    Tag sets are interned: a few hundred distinct sets serve millions of forms (Portuguese Apertium with
    enclitics has 3 million), which keeps a build within a few GB.
    """

    def __init__(self):
        self.tags = {}
        self.counts = {}
        self._sets = {}

    def _intern(self, tags):
        tags = frozenset(tags)
        return self._sets.setdefault(tags, tags)

    def add(self, form, tags, count=None):
        """Adds `tags` (an iterable of UPOS, or empty for a form known without a part of speech)."""
        key = normalize_form(form)
        if key is None:
            return False
        cur = self.tags.get(key)
        self.tags[key] = self._intern(tags) if cur is None else self._intern(cur.union(tags))
        if count is not None:
            self.counts[key] = self.counts.get(key, 0) + count
        return True

    def add_new(self, form, tags):
        """Sets a normalised form's tags only if the form is not there yet (for "fill" sources)."""
        if form in self.tags:
            return False
        self.tags[form] = self._intern(tags)
        return True

    def merge(self, other):
        for form, tags in other.tags.items():
            cur = self.tags.get(form)
            self.tags[form] = self._intern(tags) if cur is None else self._intern(cur | tags)
        for form, c in other.counts.items():
            self.counts[form] = self.counts.get(form, 0) + c

    def tag_field(self, form):
        tags = self.tags[form]
        return ",".join(sorted(tags)) if tags else KNOWN

    def n_tagged(self):
        return sum(1 for t in self.tags.values() if t)

    def __len__(self):
        return len(self.tags)


def rank_and_cap(lexicon, freq, cap):
    """Returns the forms to keep, at most `cap` of them.

    Order of preference: forms seen in the frequency text (most frequent first), then forms with a real
    tag before KNOWN-only forms, then the source's own count (jieba), then shorter forms (short words are
    the frequent ones in every language), then the form itself so the choice is reproducible.
    """
    def key(form):
        return (-freq.get(form, 0), not lexicon.tags[form], -lexicon.counts.get(form, 0), len(form), form)
    forms = sorted(lexicon.tags, key=key)
    return forms[:cap] if cap and cap > 0 else forms


def write_lexicon(path, lexicon, forms, header_lines, with_counts=False):
    """Writes `forms` of `lexicon` sorted by form, after `#` header lines. Atomic (temp file + rename)."""
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        for h in header_lines:
            f.write("# " + h.replace("\n", " ") + "\n")
        for form in sorted(forms):
            line = form + "\t" + lexicon.tag_field(form)
            if with_counts and form in lexicon.counts:
                line += "\t" + str(lexicon.counts[form])
            f.write(line + "\n")
    os.replace(tmp, path)
