"""Several Python threads on one loaded model: every call releases the GIL, and the results are those of one
thread."""

from concurrent.futures import ThreadPoolExecutor

import slimnlp
from conftest import TEXTS

MANY = [f"{t} {i}" for i in range(40) for t in TEXTS]


def _in_threads(fn, n=4):
    with ThreadPoolExecutor(n) as pool:
        return list(pool.map(lambda _: fn(), range(n)))


def test_language_identifier_threads(lid):
    expected = lid.identify_batch(MANY)
    assert all(r == expected for r in _in_threads(lambda: lid.identify_batch(MANY)))
    assert all(r == expected for r in _in_threads(lambda: [lid.identify(t) for t in MANY]))
    spans = [lid.identify_spans(t) for t in TEXTS]
    assert all(r == spans for r in _in_threads(lambda: [lid.identify_spans(t) for t in TEXTS]))


def test_pipeline_threads(pipeline):
    # A fresh pipeline: its models load on first use, under its lock, from several threads at once.
    fresh = slimnlp.Pipeline()
    results = _in_threads(lambda: fresh.annotate_batch(MANY))
    expected = pipeline.annotate_batch(MANY)
    assert all(r == expected for r in results)


def test_segmenter_and_tagger_threads(segmenter_zh, tagger_en):
    seg = segmenter_zh.segment_batch(MANY)
    assert all(r == seg for r in _in_threads(lambda: segmenter_zh.segment_batch(MANY)))
    tags = tagger_en.tag_text_batch(MANY)
    assert all(r == tags for r in _in_threads(lambda: [tagger_en.tag_text(t) for t in MANY]))


def test_index_threads(tmp_path):
    path = tmp_path / "docs.txt"
    path.write_text("".join(f"document number {i} about {TEXTS[i % len(TEXTS)]}\n" for i in range(200)))
    slimnlp.build_index(path, tmp_path / "t.index")
    index = slimnlp.Index(tmp_path / "t.index")
    queries = ["document about the cat", "marché village", "number 17", "Satz Deutsch"] * 10
    expected = index.search_batch(queries, k=5)
    assert all(r == expected for r in _in_threads(lambda: [index.search(q, k=5) for q in queries]))
