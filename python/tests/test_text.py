import json
import pickle

import pytest

import slimnlp
from conftest import TEXTS

ZH = "然而，這樣的處理也衍生了一些問題。"


def _check_offsets(text, tokens):
    data = text.encode()
    for t in tokens:
        assert data[t.begin:t.end].decode() == t.text == text[t.char_begin:t.char_end]


def test_segment(segmenter_zh):
    tokens = segmenter_zh.segment(ZH)
    assert [t.text for t in tokens][:4] == ["然而", "，", "這樣", "的"]
    _check_offsets(ZH, tokens)
    assert segmenter_zh.segment(ZH.encode()) == tokens
    assert segmenter_zh.language == "zh"
    assert segmenter_zh.segment("") == []


def test_segment_batch(segmenter_zh):
    assert segmenter_zh.segment_batch(iter(TEXTS)) == [segmenter_zh.segment(t) for t in TEXTS]


def test_segment_invalid_utf8_raises_with_offset(segmenter_zh):
    # The C++ segmenter keeps invalid bytes as characters; from Python, bytes must be UTF-8 (str always is).
    with pytest.raises(ValueError, match=r"invalid UTF-8 at byte 6 \(bytes 0xFE\)"):
        segmenter_zh.segment("然而".encode() + b"\xfe")
    with pytest.raises(ValueError, match="^text 2: invalid UTF-8 at byte 0"):
        segmenter_zh.segment_batch([ZH, b"\xff"])


def test_segment_english_and_multiword():
    en = slimnlp.Segmenter(language="en")
    text = "Don't panic, Mr. Dent."
    tokens = en.segment(text)
    _check_offsets(text, tokens)
    assert "panic" in [t.text for t in tokens]
    fr = slimnlp.Segmenter(language="fr")
    assert fr.expand_multiword("du") == ["de", "le"]
    assert fr.expand_multiword("maison") is None


def test_segment_same_as_cli(segmenter_zh, cli):
    out = cli("segment", "--lang", "zh", "--format", "json", input="\n".join(TEXTS) + "\n")
    for text, line in zip(TEXTS, out.splitlines()):
        expected = json.loads(line)["tokens"]
        assert [t.to_dict() for t in segmenter_zh.segment(text)] == expected


def test_tag(tagger_en):
    assert tagger_en.tag(["The", "cat", "sat", "on", "the", "mat", "."]) == \
        ["DET", "NOUN", "VERB", "ADP", "DET", "NOUN", "PUNCT"]
    assert tagger_en.tag([b"The", "cat"]) == tagger_en.tag(["The", "cat"])
    assert tagger_en.tag([]) == []
    assert "NOUN" in tagger_en.tag_set
    sentences = [["The", "cat", "sat", "."], ["I", "run", "."]]
    assert tagger_en.tag_batch(iter(sentences)) == [tagger_en.tag(s) for s in sentences]


def test_tag_errors(tagger_en):
    with pytest.raises(ValueError, match="empty"):
        tagger_en.tag(["a", "", "b"])
    with pytest.raises(ValueError, match="^sentence 2: "):
        tagger_en.tag_batch([["fine"], ["x", ""]])
    with pytest.raises(TypeError):
        tagger_en.tag("The cat")  # A str is not a token list.


def test_tag_text_splits_multiword_tokens(tagger_en):
    words = tagger_en.tag_text("I don't know.")
    assert [(w.form, w.upos, w.token_words) for w in words][:3] == [("I", "PRON", 1), ("do", "AUX", 2), ("n't", "PART", 0)]
    assert words[1].begin == words[2].begin == 2 and words[1].end == words[2].end == 7
    assert tagger_en.tokenizer_path.endswith("seg-en.slim")
    simple = slimnlp.Tagger(tokenizer="simple")
    assert simple.tokenizer_path == ""
    assert [w.form for w in simple.tag_text("I don't know.")] == ["I", "don't", "know", "."]


def test_tag_same_as_cli(tagger_en, cli):
    texts = ["The cat sat on the mat.", "I don't know what you mean.", "He's gone to the U.S. today."]
    out = cli("tag", "--format", "json", input="\n".join(texts) + "\n").splitlines()
    for text, line in zip(texts, out):
        expected = [(t["text"], t["upos"], t["begin"], t["end"]) for t in json.loads(line)["tokens"]]
        assert [(w.form, w.upos, w.begin, w.end) for w in tagger_en.tag_text(text)] == expected
    assert tagger_en.tag_text_batch(texts) == [tagger_en.tag_text(t) for t in texts]


def test_tag_other_language():
    fr = slimnlp.Tagger(language="fr")
    words = fr.tag_text("Je vais au marché.")
    assert [w.form for w in words] == ["Je", "vais", "à", "le", "marché", "."]


def test_annotate(pipeline):
    a = pipeline.annotate("Je vais au marché.")
    assert (a.language, a.segmented, a.tagged, a.reliable) == ("fr", True, True, True)
    assert [(w.form, w.upos) for w in a.words] == [("Je", "PRON"), ("vais", "VERB"), ("à", "ADP"), ("le", "DET"),
                                                  ("marché", "NOUN"), (".", "PUNCT")]
    m = a.words[4]
    assert (m.begin, m.end, m.char_begin, m.char_end) == (11, 18, 11, 17)  # "é" is 2 bytes, 1 character.
    assert pickle.loads(pickle.dumps(a)) == a
    assert "zh" in pipeline.languages and pipeline.model_paths[0].endswith("langid.slim")


def test_annotate_splits_sentences(pipeline):
    a = pipeline.annotate("I came. I saw. Mr. Smith left at 3 p.m. today.")
    assert a.sentence_starts == [0, 3, 6]
    assert [w.form for w in a.words[6:9]] == ["Mr.", "Smith", "left"]
    assert a.to_conllu().count("# sent_id = 1.") == 3
    assert pickle.loads(pickle.dumps(a)) == a
    assert a.to_dict()["sentence_starts"] == [0, 3, 6]


def test_annotate_as_given_language(pipeline):
    a = pipeline.annotate("Je vais au marché.", language="en")
    assert (a.language, a.probability, a.reliable) == ("en", 0.0, False)  # Given, not identified.
    assert [w.form for w in a.words] == ["Je", "vais", "au", "marché", "."]  # English tokenizer: no "à le".


def test_annotate_batch_and_offsets(pipeline):
    batch = pipeline.annotate_batch(iter(TEXTS))
    assert batch == [pipeline.annotate(t) for t in TEXTS]
    for text, a in zip(TEXTS, batch):
        data = text.encode()
        for w in a.words:
            assert data[w.begin:w.end].decode() == text[w.char_begin:w.char_end]
    assert pipeline.annotate_batch([t.encode() for t in TEXTS]) == batch


def test_annotate_invalid_utf8(pipeline):
    with pytest.raises(ValueError, match=r"^text 2: invalid UTF-8 at byte 3"):
        pipeline.annotate_batch(["ok", b"abc\xe2\x82"])
    with pytest.raises(ValueError, match="invalid UTF-8 at byte 0"):
        pipeline.annotate(b"\xc0\xaf")


def test_conllu_same_as_cli(pipeline, cli, tmp_path):
    path = tmp_path / "in.txt"
    path.write_text("\n".join(TEXTS) + "\n")
    expected = cli("annotate", "--file", str(path))
    assert pipeline.to_conllu(TEXTS) == expected
    assert "".join(a.to_conllu() for a in pipeline.annotate_batch(TEXTS)) == expected  # sent_id: position in the batch


def test_annotate_json_same_as_cli(pipeline, cli):
    out = cli("annotate", "--format", "json", input="\n".join(TEXTS) + "\n").splitlines()
    for text, line in zip(TEXTS, out):
        j = json.loads(line)
        a = pipeline.annotate(text)
        assert (a.language, a.reliable) == (j["language"], j["reliable"])
        assert abs(a.probability - j["probability"]) < 1e-6
        assert [(w.form, w.begin, w.end, w.upos) for w in a.words] == \
            [(t["text"], t["begin"], t["end"], t["upos"]) for t in j["tokens"]]


def test_pipeline_errors(tmp_path):
    with pytest.raises(FileNotFoundError):
        slimnlp.Pipeline(tmp_path / "nowhere")
