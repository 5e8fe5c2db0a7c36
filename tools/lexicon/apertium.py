"""Apertium analysers -> (surface form, UPOS set).

Debian's apertium pair packages ship compiled analysers (`X-Y.automorf.bin`, the analyser of language X), not
the `.dix` sources, and lttoolbox 3.7's lt-expand reads only `.dix`. So the analyser is printed as AT&T text
with `lt-print` (package lttoolbox-dev) and every path is enumerated here: the input side of a path is the
surface form, the output side its analysis `lemma<tag1><tag2>...[+lemma2<...>...]`.

The part of speech is the first tag of the analysis (`<n>`, `<vblex>`, ...). A form with several analyses
gets the union of their tags. For a joined analysis (`del` = `de<pr>+el<det>...`, Spanish verb+enclitics)
the first part decides, because a tagger that sees the surface token should predict the head's category.
A few first tags need the second (`<rel><an>` is a relative pronoun, `<rel><adv>` a relative adverb): the
mapping table then has a `first.second` row, which wins over the plain `first` row.
"""

import subprocess

from lexcommon import here, read_mapping

EPSILON = ("ε", "@0@", "@_EPSILON_SYMBOL_@")
# Sections of an analyser with loops and fewer states than this are patterns (numbers, punctuation runs,
# web addresses), not word lists; dictionary sections have tens of thousands of states.
PATTERN_SECTION_STATES = 2000
MAX_STEPS = 150_000_000


def load_mapping(path=None):
    return read_mapping(path or here("apertium_upos.tsv"))


def tags_to_upos(tags, mapping, lang=None):
    """Maps the tag list of one analysis (first part) to a UPOS set; None if the tags are not mapped.

    An empty set means the table maps the tag to nothing on purpose (e.g. `<abbr>`, whose category is
    unknown): the form is then treated as not analysed by this source.
    """
    if not tags:
        return None
    if lang is not None:
        for key in ([tags[0] + "." + tags[1]] if len(tags) > 1 else []) + [tags[0]]:
            own = mapping.get(lang + ":" + key)
            if own is not None:
                return own
    if len(tags) > 1:
        both = mapping.get(tags[0] + "." + tags[1])
        if both is not None:
            return both
    return mapping.get(tags[0])


def read_att_sections(lines):
    """Parses lt-print output: sections separated by '--', each a list of arcs and final states.

    Returns a list of (arcs, finals): arcs = {state: [(dst, in_symbol, out_symbol), ...]}, finals = set.
    """
    sections = []
    arcs, finals = {}, set()
    for line in lines:
        line = line.rstrip("\n")
        if line == "--":
            sections.append((arcs, finals))
            arcs, finals = {}, set()
            continue
        cols = line.split("\t")
        if len(cols) >= 4:
            src, dst = int(cols[0]), int(cols[1])
            isym = "" if cols[2] in EPSILON else cols[2]
            osym = "" if cols[3] in EPSILON else cols[3]
            arcs.setdefault(src, []).append((dst, isym, osym))
        elif cols and cols[0].strip():
            finals.add(int(cols[0]))
    if arcs or finals:
        sections.append((arcs, finals))
    return sections


def has_cycle(arcs):
    """True if the transducer has a loop: then it is a pattern section (numbers, web addresses, roman
    numerals) whose paths are not dictionary words, and unrolling it gives millions of junk strings."""
    color = {}
    for root in arcs:
        if root in color:
            continue
        color[root] = 1
        stack = [(root, iter(arcs.get(root, ())))]
        while stack:
            state, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                color[state] = 2
                stack.pop()
                continue
            dst = nxt[0]
            c = color.get(dst, 0)
            if c == 1:
                return True
            if c == 0:
                color[dst] = 1
                stack.append((dst, iter(arcs.get(dst, ()))))
    return False


def enumerate_paths(arcs, finals, max_paths=50_000_000, max_depth=120, joined=False, max_steps=None,
                    report=None):
    """Yields (surface, tags) for every path from state 0 to a final state, where tags are the first two
    tags of the output side (enough for the mapping). A state already on the current path is not entered
    again, so cycles (number and punctuation patterns) give each loop body once instead of forever.
    """
    produced = 0
    # Stack frames: (state, arc index, surface length, tags tuple, in_first_part)
    surface = []
    on_path = {0}
    stack = [(0, 0, (), True)]
    steps = 0
    while stack:
        steps += 1
        if max_steps is not None and steps > max_steps:
            if report is not None:
                report["truncated"] = report.get("truncated", 0) + 1
            return
        state, idx, tags, first_part = stack[-1]
        out = arcs.get(state, ())
        if idx == 0 and state in finals and len(stack) > 1:
            produced += 1
            yield "".join(surface), tags
            if produced >= max_paths:
                if report is not None:
                    report["truncated"] = report.get("truncated", 0) + 1
                return
        if idx >= len(out) or len(stack) > max_depth:
            stack.pop()
            on_path.discard(state)
            if len(stack) > 0:
                surface.pop()
            continue
        stack[-1] = (state, idx + 1, tags, first_part)
        dst, isym, osym = out[idx]
        if dst in on_path:
            continue
        ntags, nfirst = tags, first_part
        if osym:
            if osym == "+" and len(tags) > 0:
                if not joined:
                    continue
                nfirst = False
            elif nfirst and len(osym) > 2 and osym[0] == "<" and osym[-1] == ">" and len(tags) < 2:
                ntags = tags + (osym[1:-1],)
        if len(isym) > 1 and isym[0] == "<":
            continue  # a tag on the surface side: not a word form
        surface.append(isym)
        on_path.add(dst)
        stack.append((dst, 0, ntags, nfirst))


def analyse_bin(path, mapping, lexicon, stats, lang=None):
    """Adds every (surface, UPOS) of the compiled analyser at `path` to `lexicon`; counts into `stats`."""
    proc = subprocess.run(["lt-print", path], stdout=subprocess.PIPE, check=True)
    sections = read_att_sections(proc.stdout.decode("utf-8", "replace").splitlines())
    del proc
    add_paths(sections, mapping, lexicon, stats, lang)


def add_paths(sections, mapping, lexicon, stats, lang=None):
    for arcs, finals in sections:
        if has_cycle(arcs) and len(arcs) < PATTERN_SECTION_STATES:
            # Pattern sections: keep only their short punctuation/symbol strings.
            paths = enumerate_paths(arcs, finals, max_paths=20000, max_depth=4, joined=False,
                                    max_steps=2_000_000)
            keep_only = frozenset(("PUNCT", "SYM"))
        else:
            # A dictionary section; one with loops (Swedish compounding) is walked without re-entering a
            # state on the current path, within a step budget.
            paths = enumerate_paths(arcs, finals, joined=True, max_steps=MAX_STEPS, report=stats)
            keep_only = None
        for surface, tags in paths:
            stats["paths"] = stats.get("paths", 0) + 1
            upos = tags_to_upos(list(tags), mapping, lang)
            if upos is None:
                key = "<" + "><".join(tags[:1]) + ">"
                unmapped = stats.setdefault("unmapped", {})
                unmapped[key] = unmapped.get(key, 0) + 1
                continue
            if keep_only is not None and not upos <= keep_only:
                continue
            if upos:
                lexicon.add(surface, upos)
