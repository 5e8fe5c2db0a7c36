import json

import pytest

import slimnlp
from conftest import TEXTS, shared


def test_identify(lid):
    g = lid.identify("Ceci est une phrase en français.")
    assert (g.language, g.reliable) == ("fr", True)
    assert 0.9 < g.probability <= 1.0
    assert repr(g).startswith("LanguageGuess(language='fr', probability=")
    assert g.to_dict() == {"language": "fr", "probability": g.probability, "reliable": True}


def test_no_letters_is_und_and_short_text_unreliable(lid):
    assert lid.identify("12345 !!!").language == "und"
    assert lid.identify("").probability == 0
    assert not lid.identify("ok").reliable


def test_bytes_and_str_agree(lid):
    for t in TEXTS:
        assert lid.identify(t.encode()) == lid.identify(t)
        assert lid.identify(bytearray(t.encode())) == lid.identify(t)


def test_top_k(lid):
    top = lid.identify_top_k("Dit is een zin in het Nederlands.", 5)
    assert len(top) == 5
    assert top[0] == lid.identify("Dit is een zin in het Nederlands.")
    assert [g.probability for g in top] == sorted((g.probability for g in top), reverse=True)
    assert len({g.language for g in top}) == 5
    with pytest.raises(ValueError, match="k must be at least 1"):
        lid.identify_top_k("x", 0)


def test_spans_cover_text_with_byte_and_char_offsets(lid):
    text = "Hello there, how are you? Je vais très bien, merci beaucoup. 然而，這樣的處理也衍生了一些問題。"
    spans = lid.identify_spans(text)
    assert [s.language for s in spans][:2] == ["en", "fr"]
    assert spans[0].begin == 0 and spans[-1].end == len(text.encode())
    data = text.encode()
    for a, b in zip(spans, spans[1:]):
        assert a.end == b.begin and a.char_end == b.char_begin
    for s in spans:
        assert data[s.begin:s.end].decode() == s.text == text[s.char_begin:s.char_end]


def test_batch_equals_single_calls_and_takes_any_iterable(lid):
    expected = [lid.identify(t) for t in TEXTS]
    assert lid.identify_batch(TEXTS) == expected
    assert lid.identify_batch(t for t in TEXTS) == expected  # A generator.
    assert lid.identify_batch(tuple(t.encode() for t in TEXTS)) == expected
    assert lid.identify_batch([]) == []
    assert lid.identify_top_k_batch(TEXTS, 2) == [lid.identify_top_k(t, 2) for t in TEXTS]


def test_invalid_utf8_bytes_raise_value_error_with_offset(lid):
    with pytest.raises(ValueError, match=r"invalid UTF-8 at byte 4 \(bytes 0xFF\)"):
        lid.identify(b"abcd\xffef")
    with pytest.raises(ValueError, match=r"^text 3: invalid UTF-8 at byte 1"):
        lid.identify_batch(["fine", b"fine", b"a\xc3(", "never reached"])
    with pytest.raises(ValueError, match="invalid UTF-8 at byte 0"):
        lid.identify_spans(b"\x80")


def test_wrong_types(lid):
    with pytest.raises(TypeError, match="text must be str or bytes, not int"):
        lid.identify(42)
    with pytest.raises(TypeError, match="not a single text"):
        lid.identify_batch("a string is not a batch")
    with pytest.raises(UnicodeEncodeError):  # A lone surrogate cannot be UTF-8.
        lid.identify("\ud800")


def test_options(lid):
    strict = slimnlp.LanguageIdentifier(reliability_threshold=1.0)
    g = strict.identify("Dit is een zin.")
    assert g.language == lid.identify("Dit is een zin.").language and not g.reliable
    assert strict.reliability_threshold == 1.0
    assert len(lid.languages) == 106 and "fr" in lid.languages
    assert lid.path.endswith("langid.slim")


def test_pickle_round_trip(lid):
    import pickle
    g = lid.identify("Das ist ein Satz.")
    assert pickle.loads(pickle.dumps(g)) == g
    s = lid.identify_spans("Hello there. Bonjour à tous.")
    assert pickle.loads(pickle.dumps(s)) == s


def _cli_guess(j):
    return (j["language"], j["probability"], j["reliable"])


def test_same_as_cli(lid, cli):
    out = cli("langid", "--top-k", "3", "--format", "json", input="\n".join(TEXTS) + "\n")
    lines = [json.loads(x) for x in out.splitlines()]
    assert len(lines) == len(TEXTS)
    for text, j in zip(TEXTS, lines):
        top = lid.identify_top_k(text, 3)
        assert [_cli_guess(x) for x in j["top"]] == [(g.language, round(g.probability, 4), g.reliable) for g in top]


def test_spans_same_as_cli(lid, cli):
    text = "Hello there, how are you? Je vais très bien, merci beaucoup. Das ist gut."
    j = json.loads(cli("langid", "--spans", "--format", "json", text))
    got = [(s.begin, s.end, s.text, s.language, round(s.probability, 4), s.reliable) for s in lid.identify_spans(text)]
    assert got == [(x["begin"], x["end"], x["text"], x["language"], x["probability"], x["reliable"])
                   for x in j["spans"]]


def test_same_as_cli_on_shared_test_text(lid, cli):
    """The first 2,000 lines of the shared langid test set: the batch call and `slimnlp langid` agree."""
    import subprocess
    path = shared("langid", "test.tsv.zst")
    lines = subprocess.run(["zstd", "-dc", path], capture_output=True, check=True).stdout.decode().splitlines()[:2000]
    texts = [line.split("\t", 1)[1] for line in lines]
    out = cli("langid", input="\n".join(texts) + "\n").splitlines()
    got = [f"{g.language}\t{g.probability:.4f}\t{'true' if g.reliable else 'false'}" for g in lid.identify_batch(texts)]
    assert got == out
