"""Pins the lexicon tools' mappings and file format on small inline samples of each source format.
Needs no Debian dictionary package: run with `python3 -m pytest tools/lexicon/tests`."""

import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import apertium  # noqa: E402
import build_lexicons  # noqa: E402
import coverage  # noqa: E402
import sources  # noqa: E402
from lexcommon import (KNOWN, UPOS_SET, Lexicon, here, normalize_form, rank_and_cap, read_mapping,  # noqa: E402
                       write_lexicon)


# --- forms and the file format ---------------------------------------------------------------------------

def test_normalize_form_lowercases_unicode_and_composes():
    assert normalize_form("ÉCOLE") == "école"
    assert normalize_form("Straße") == "straße"
    assert normalize_form("ΟΔΟΣ") == "οδος"  # str.lower() applies the final-sigma rule
    assert normalize_form("e\u0301") == "é"  # decomposed input is composed (NFC)
    assert normalize_form("l'") == "l'"


@pytest.mark.parametrize("bad", ["", "a b", "a\tb", "a\nb", "x\x00", "\ud800", "#tag", "-ment", "sondöttrar-",
                                 "a" * 65])
def test_normalize_form_drops_unusable_forms(bad):
    assert normalize_form(bad) is None


def test_normalize_form_keeps_zero_width_joiners():
    assert normalize_form("می\u200cروم") == "می\u200cروم"  # Persian needs ZWNJ


def test_writer_sorts_dedups_and_marks_known(tmp_path):
    lex = Lexicon()
    lex.add("Run", ["VERB"])
    lex.add("run", ["NOUN"])
    lex.add("zebra", [])
    lex.add("apple", ["NOUN"])
    out = tmp_path / "lex-xx.tsv"
    write_lexicon(str(out), lex, rank_and_cap(lex, {}, 0), ["source: test"])
    assert out.read_text(encoding="utf-8") == "# source: test\napple\tNOUN\nrun\tNOUN,VERB\nzebra\tKNOWN\n"


def test_rank_prefers_frequent_then_tagged_then_short():
    lex = Lexicon()
    for form, tags in [("aaaa", ["NOUN"]), ("b", []), ("cc", ["VERB"]), ("ddd", ["ADJ"]), ("e", ["NOUN"])]:
        lex.add(form, tags)
    # 'ddd' is in the text; then tagged forms by length ('e', 'cc', 'aaaa'), KNOWN-only 'b' last.
    assert rank_and_cap(lex, {"ddd": 3}, 0) == ["ddd", "e", "cc", "aaaa", "b"]
    assert rank_and_cap(lex, {"ddd": 3}, 2) == ["ddd", "e"]


def test_read_mapping_rejects_non_upos(tmp_path):
    bad = tmp_path / "m.tsv"
    bad.write_text("n\tNOUN\tok\nx\tNOUNS\ttypo\n", encoding="utf-8")
    with pytest.raises(ValueError, match="m.tsv:2"):
        read_mapping(str(bad))


@pytest.mark.parametrize("table", ["apertium_upos.tsv", "unidic_upos.tsv", "jieba_upos.tsv",
                                   "hunspell_hu_upos.tsv", "hunspell_fr_upos.tsv", "hspell_upos.tsv"])
def test_shipped_tables_parse_and_use_only_upos(table):
    mapping = read_mapping(here(table))
    assert mapping
    for tags in mapping.values():
        assert tags <= UPOS_SET


# --- Apertium ----------------------------------------------------------------------------------------------

APERTIUM_PINS = [
    (["n", "sg"], "NOUN"), (["np", "ant"], "PROPN"), (["adj"], "ADJ"), (["adv"], "ADV"), (["preadv"], "ADV"),
    (["vblex", "pres"], "VERB"), (["vbser", "pri"], "AUX"), (["vbhaver", "pres"], "AUX,VERB"),
    (["vaux", "past"], "AUX"), (["pr"], "ADP"), (["det", "def"], "DET"), (["det", "ord"], "ADJ"),
    (["predet", "sp"], "DET"), (["prn", "subj"], "PRON"), (["rel", "an"], "PRON"), (["rel", "aa"], "DET"),
    (["rel", "adv"], "ADV"), (["cnjcoo"], "CCONJ"), (["cnjsub"], "SCONJ"), (["num", "sp"], "NUM"),
    (["num", "ord"], "ADJ"), (["ij"], "INTJ"), (["gen"], "PART"), (["sent"], "PUNCT"), (["cm"], "PUNCT"),
    (["lpar"], "PUNCT"), (["mon"], "SYM"), (["web"], ""),
]


@pytest.mark.parametrize("tags,expected", APERTIUM_PINS)
def test_apertium_mapping_pins(tags, expected):
    got = apertium.tags_to_upos(tags, apertium.load_mapping())
    assert ",".join(sorted(got)) == expected


def test_apertium_language_override_and_unknown_tag():
    mapping = apertium.load_mapping()
    assert apertium.tags_to_upos(["det", "pos"], mapping) == {"DET"}
    assert apertium.tags_to_upos(["det", "pos"], mapping, "en") == {"PRON"}
    assert apertium.tags_to_upos(["det", "pos"], mapping, "es") == {"DET"}
    # Indonesian derivation: the second tag says what the root became.
    assert apertium.tags_to_upos(["n", "actio"], mapping, "id") == {"VERB"}
    assert apertium.tags_to_upos(["vblex", "subst"], mapping, "id") == {"NOUN"}
    assert apertium.tags_to_upos(["n", "sg"], mapping, "id") == {"NOUN"}
    assert apertium.tags_to_upos(["n", "actio"], mapping, "es") == {"NOUN"}
    assert apertium.tags_to_upos(["nosuchtag"], mapping) is None
    assert apertium.tags_to_upos([], mapping) is None


# A toy analyser in lt-print's AT&T text: section 1 has `casa<n><sg>`, `casas<n><pl>`, `del` = `de<pr>+el<det>`
# and `come` (verb); section 2 is a loop pattern (digits) that also has `.` as <sent>.
TOY_ATT = """0\t1\tc\tc\t0.000000
1\t2\ta\ta\t0.000000
2\t3\ts\ts\t0.000000
3\t4\ta\ta\t0.000000
4\t5\tε\t<n>\t0.000000
5\t6\tε\t<sg>\t0.000000
4\t7\ts\t<n>\t0.000000
7\t8\tε\t<pl>\t0.000000
0\t9\td\td\t0.000000
9\t10\te\te\t0.000000
10\t11\tε\t<pr>\t0.000000
11\t12\tε\t+\t0.000000
12\t13\tl\te\t0.000000
13\t14\tε\tl\t0.000000
14\t15\tε\t<det>\t0.000000
0\t16\tc\tc\t0.000000
16\t17\to\to\t0.000000
17\t18\tm\tm\t0.000000
18\t19\te\te\t0.000000
19\t20\tε\tr\t0.000000
20\t21\tε\t<vblex>\t0.000000
6\t0.000000
8\t0.000000
15\t0.000000
21\t0.000000
--
0\t1\t0\t0\t0.000000
1\t1\t1\t1\t0.000000
1\t2\tε\t<num>\t0.000000
0\t3\t.\t.\t0.000000
3\t2\tε\t<sent>\t0.000000
2\t0.000000
"""


def test_att_sections_and_path_enumeration():
    sections = apertium.read_att_sections(TOY_ATT.splitlines())
    assert len(sections) == 2
    arcs, finals = sections[0]
    assert not apertium.has_cycle(arcs)
    assert apertium.has_cycle(sections[1][0])
    simple = sorted(apertium.enumerate_paths(arcs, finals))
    assert simple == [("casa", ("n", "sg")), ("casas", ("n", "pl")), ("come", ("vblex",))]
    report = {}
    assert len(list(apertium.enumerate_paths(arcs, finals, max_steps=5, report=report))) < 3
    assert report == {"truncated": 1}  # a walk cut short says so
    joined = sorted(apertium.enumerate_paths(arcs, finals, joined=True))
    assert ("del", ("pr",)) in joined  # first part decides, tags of `el<det>` are not read


def test_apertium_add_paths_maps_and_keeps_only_punctuation_from_patterns():
    lex = Lexicon()
    stats = {}
    apertium.add_paths(apertium.read_att_sections(TOY_ATT.splitlines()), apertium.load_mapping(), lex, stats)
    assert lex.tags == {"casa": {"NOUN"}, "casas": {"NOUN"}, "del": {"ADP"}, "come": {"VERB"}, ".": {"PUNCT"}}
    assert "0" not in lex.tags  # digit strings of the pattern section are not dictionary words


# --- UniDic, jieba, WordNet, word lists --------------------------------------------------------------------

UNIDIC_SAMPLE = """猫,5146,5146,3772,名詞,普通名詞,一般,*,*,*,ネコ,猫,猫,ネコ,猫,ネコ,和,*,*,*,*
東京,4789,4789,2543,名詞,固有名詞,地名,一般,*,*,トウキョウ,東京,東京,トーキョー,東京,トーキョー,固,*,*,*,*
食べる,6,6,3200,動詞,一般,*,*,下一段-バ行,終止形-一般,タベル,食べる,食べる,タベル,食べる,タベル,和,*,*,*,*
いる,1,1,4000,動詞,非自立可能,*,*,上一段-ア行,終止形-一般,イル,居る,いる,イル,いる,イル,和,*,*,*,*
は,3,3,-2000,助詞,係助詞,*,*,*,*,ハ,は,は,ワ,は,ワ,和,*,*,*,*
て,3,3,-1000,助詞,接続助詞,*,*,*,*,テ,て,て,テ,て,テ,和,*,*,*,*
この,4,4,1000,連体詞,*,*,*,*,*,コノ,此の,この,コノ,この,コノ,和,*,*,*,*
。,5,5,-3000,補助記号,句点,*,*,*,*,,。,。,,。,,記号,*,*,*,*
"，",5,5,-3000,補助記号,読点,*,*,*,*,,，,，,,，,,記号,*,*,*,*
　,6,6,0,空白,*,*,*,*,*,,　,　,,　,,記号,*,*,*,*
short,row
"""


def test_unidic_mapping_pins():
    lex = Lexicon()
    stats = sources.read_unidic_csv(UNIDIC_SAMPLE.splitlines(), sources.load_unidic_mapping(), lex)
    assert {k: ",".join(sorted(v)) for k, v in lex.tags.items()} == {
        "猫": "NOUN", "東京": "PROPN", "食べる": "VERB", "いる": "AUX,VERB", "は": "ADP", "て": "SCONJ",
        "この": "ADJ,DET", "。": "PUNCT", "，": "PUNCT"}
    assert stats["malformed"] == 1
    assert lex.counts["は"] > lex.counts["猫"]  # lower MeCab cost = more frequent = higher count


JIEBA_SAMPLE = """的 318825 uj
中国 34569 ns
发展 20000 vn
我们 9000 r
和 3000 c
了 883634 ul
个 5000 q
上 1000 f
一心一意 300 i
badline
"""


def test_jieba_mapping_pins():
    lex = Lexicon()
    stats = sources.read_jieba_dict(JIEBA_SAMPLE.splitlines(), sources.load_jieba_mapping(), lex)
    assert {k: ",".join(sorted(v)) for k, v in lex.tags.items()} == {
        "的": "PART", "中国": "PROPN", "发展": "NOUN,VERB", "我们": "PRON", "和": "CCONJ,SCONJ", "了": "AUX",
        "个": "NOUN", "上": "ADP,NOUN"}
    assert "一心一意" not in lex.tags  # idioms: category depends on use, deliberately unmapped
    assert stats["malformed"] == 1
    assert lex.counts["了"] == 883634


def test_wordnet_index_and_exceptions():
    index = ["  1 This software and database is being provided to you, the LICENSEE, by",
             "dog n 7 5 @ ~ #m #p %p 7 1 02084071 10114209",
             "hot_dog n 2 3 @ ~ + 2 0 07697537 10187990"]
    exc = ["geese goose", "mice mouse", "  "]
    lex = Lexicon()
    stats = sources.read_wordnet_index(index, "NOUN", lex)
    sources.read_wordnet_exc(exc, "NOUN", lex)
    assert lex.tags == {"dog": {"NOUN"}, "geese": {"NOUN"}, "mice": {"NOUN"}}
    assert stats == {"read": 2, "multiword": 1}


def test_word_list_forms_are_known_without_tags():
    lex = Lexicon()
    sources.read_word_list(["Haus", "Häuser/S", "12345", "naïve\tpo:adj", "de facto", ""], lex)
    assert lex.tags == {"haus": set(), "häuser": set(), "naïve": set(), "de": set(), "facto": set()}
    assert lex.tag_field("haus") == KNOWN


HU_ANALYSES = """házban  st:ház po:noun ts:NOM al:házak is:INE

futott  st:fut po:vrb ts:PRES_INDIC_INDEF_SG_3 is:PAST_INDIC_INDEF_SG_3
futott  st:fut po:vrb ts:PRES_INDIC_INDEF_SG_3 ds:tt_PASTPART_adj ts:NOM

a  st:a po:det_def al:a-vá

második  st:kettő po:adj_num is:dik_ORDINAL_adj ts:NOM

és  st:és po:con

xqzv

NATO  st:NATO po:abr

izé  st:izé po:nosuchcat
"""


def test_hunspell_morph_analyses_hungarian():
    lex = Lexicon()
    stats = sources.read_hunspell_analyses(HU_ANALYSES.splitlines(), sources.load_hunspell_morph_mapping(), lex)
    assert {k: ",".join(sorted(v)) for k, v in lex.tags.items()} == {
        "házban": "NOUN", "futott": "ADJ,VERB", "a": "DET", "második": "ADJ", "és": "CCONJ,SCONJ"}
    assert stats["unmapped"] == {"nosuchcat": 1}  # `abr` is deliberately unmapped, not unknown


HSPELL_OUTPUT = """צירוף חוקי: ה+בית
\tבית(ע,ז,יחיד)
מילה חוקית: של
\tנשל(פ,ז,2,יחיד,ציווי)
\tשל(x)
מילה חוקית: גדול
\tגדול(ת,ז,יחיד)
\tגדול(ע,ז,יחיד)
מילה חוקית: הלך
\tהלך(פ,ז,3,יחיד,עבר)
\tהלך(ע,ז,יחיד)
"""


def test_hspell_analyses_hebrew():
    lex = Lexicon()
    sources.read_hspell_analyses(HSPELL_OUTPUT.splitlines(), sources.load_hspell_mapping(), lex)
    assert {k: ",".join(sorted(v)) for k, v in lex.tags.items()} == {
        "של": "", "גדול": "ADJ,NOUN", "הלך": "NOUN,VERB"}  # של: function word, KNOWN
    assert "הבית" not in lex.tags  # prefix combinations are not the form's own analyses


FR_ANALYSES = """maisons  st:maison po:nom is:fem is:pl

mangeait  st:manger po:v1_it_x__a po:iimp po:3sg

Paris  st:pari po:nom is:mas is:pl
Paris  st:Paris po:npr is:epi is:inv

le  st:le po:mg po:det is:mas is:sg
le  st:le po:mg po:properobj po:preverb is:mas is:sg

Aaron  st:Aaron po:prn is:mas is:inv

étais  st:être po:v0ei_____a po:iimp po:1sg
"""


def test_hunspell_morph_analyses_french():
    lex = Lexicon()
    stats = sources.read_hunspell_analyses(FR_ANALYSES.splitlines(),
                                           sources.load_hunspell_morph_mapping(lang="fr"), lex)
    assert {k: ",".join(sorted(v)) for k, v in lex.tags.items()} == {
        "maisons": "NOUN", "mangeait": "VERB", "paris": "NOUN,PROPN", "le": "DET,PRON", "aaron": "PROPN",
        "étais": "VERB"}
    assert "unmapped" not in stats


def test_fill_sources_do_not_blur_tagged_forms():
    total = Lexicon()
    total.add("be", ["AUX"])
    wordnet = Lexicon()
    wordnet.add("be", ["NOUN"])  # beryllium
    wordnet.add("dog", ["NOUN"])
    for form, tags in wordnet.tags.items():  # what build() does for a fill source
        total.add_new(form, tags)
    assert total.tags == {"be": {"AUX"}, "dog": {"NOUN"}}
    assert total.tags["be"] is not wordnet.tags["be"]


def test_tag_sets_are_interned_and_unioned():
    lex = Lexicon()
    lex.add("run", ["VERB"])
    lex.add("run", ["NOUN"])
    lex.add("walk", ["NOUN", "VERB"])
    assert lex.tags["run"] == {"NOUN", "VERB"} and lex.tags["run"] is lex.tags["walk"]


def test_overrides_add_tags_and_reject_bad_rows():
    lex = Lexicon()
    lex.add("to", ["ADP"])
    n = build_lexicons.apply_overrides("en", lex, ["# c", "en\tto\tPART\twhy", "fr\tto\tNOUN\tother lang"])
    assert n == 1 and lex.tags["to"] == {"ADP", "PART"}
    assert build_lexicons.apply_overrides("fr", lex, ["*\t«\tPUNCT\tevery language"]) == 1
    assert lex.tags["«"] == {"PUNCT"}
    with pytest.raises(ValueError):
        build_lexicons.apply_overrides("en", lex, ["en\tto\tPARTICLE\tbad"])


def test_frequencies_tokens_elisions_and_substrings():
    f = build_lexicons.frequencies("fr", ["L'homme, l'homme."])
    assert f["l'"] == 2 and f["homme"] == 2
    z = build_lexicons.frequencies("zh", ["中国人"])
    assert z["中国"] == 1 and z["国人"] == 1 and z["中国人"] == 1


# --- coverage ----------------------------------------------------------------------------------------------

CONLLU = """# text = The dogs run.
1\tThe\tthe\tDET\t_\t_\t2\tdet\t_\t_
2\tdogs\tdog\tNOUN\t_\t_\t3\tnsubj\t_\t_
3-4\truns\t_\t_\t_\t_\t_\t_\t_\t_
3\trun\trun\tVERB\t_\t_\t0\troot\t_\t_
4\ts\ts\tPART\t_\t_\t3\tdep\t_\t_
5\t.\t.\tPUNCT\t_\t_\t3\tpunct\t_\t_
5.1\tgo\tgo\tVERB\t_\t_\t_\t_\t_\t_

"""


def test_coverage_counts_words_types_and_gold_in_set():
    lex = {"the": frozenset({"DET"}), "run": frozenset({"NOUN"}), "dogs": frozenset(), ".": frozenset({"PUNCT"})}
    m = coverage.measure(lex, coverage.read_words(CONLLU.splitlines()))
    assert m == {"tokens": 5, "found": 4, "types": 5, "types_found": 4, "tagged": 3, "gold_in": 2}


def test_validate_accepts_written_files_and_names_bad_lines(tmp_path):
    lex = Lexicon()
    for form, tags in [("Élan", ["NOUN"]), ("run", ["VERB", "NOUN"]), ("zut", [])]:
        lex.add(form, tags)
    out = tmp_path / "lex-xx.tsv"
    write_lexicon(str(out), lex, rank_and_cap(lex, {}, 0), ["source: test"])
    assert coverage.validate(out.read_text(encoding="utf-8").splitlines()) == []
    bad = ["# header", "b\tNOUN", "a\tNOUN", "c\tVERB,NOUN", "d\tNOUNS", "E\tNOUN", "f g\tNOUN", "h"]
    problems = coverage.validate(bad)
    # line 3 unsorted, 4 tags unsorted, 5 not UPOS, 6 upper case (and so unsorted), 7 whitespace, 8 no tags
    assert sorted(set(p.split(":")[0] for p in problems)) == ["line 3", "line 4", "line 5", "line 6", "line 7",
                                                               "line 8"]
    assert any("not lower-cased" in p for p in problems) and any("whitespace" in p for p in problems)
