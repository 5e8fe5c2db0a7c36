import json

import pytest

import slimnlp

DOCS = [
    {"id": "paris", "title": "Paris", "text": "Paris is the capital of France. It was founded by the Parisii in the 3rd century BC."},
    {"id": "rome", "title": "Rome", "text": "Rome was founded in 753 BC by Romulus, according to legend. It is the capital of Italy."},
    {"id": "berlin", "title": "Berlin", "text": "Berlin is the capital of Germany and its largest city, with 3.7 million people."},
    {"id": "nile", "title": "Nile", "text": "The Nile is a river in Africa, about 6,650 km long, flowing north into the Mediterranean."},
    {"id": "everest", "title": "Mount Everest", "text": "Mount Everest is the highest mountain on Earth, 8,849 metres above sea level."},
    {"id": "python", "title": "Python", "text": "Python is a programming language created by Guido van Rossum and first released in 1991."},
    {"id": "moon", "title": "Moon", "text": "The Moon is Earth's only natural satellite. Apollo 11 landed on it in 1969."},
    {"id": "tokyo", "title": "Tokyo", "text": "Tokyo is the capital of Japan and the most populous metropolitan area in the world."},
]
QUESTIONS = [
    {"id": "q1", "question": "who founded rome?", "answers": ["Romulus"], "gold": ["rome"]},
    {"id": "q2", "question": "what is the capital of france", "answers": ["Paris"], "gold": ["paris"]},
    {"id": "q3", "question": "how long is the nile river", "answers": ["6,650 km"], "gold": ["nile"]},
    {"id": "q4", "question": "when did apollo 11 land on the moon", "answers": ["1969"], "gold": ["moon"]},
    {"id": "q5", "question": "who created the python language", "answers": ["Guido van Rossum"], "gold": ["python"]},
]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    d = tmp_path_factory.mktemp("corpus")
    path = d / "corpus.jsonl"
    path.write_text("".join(json.dumps(x) + "\n" for x in DOCS))
    questions = d / "questions.jsonl"
    questions.write_text("".join(json.dumps(x) + "\n" for x in QUESTIONS))
    return d


@pytest.fixture(scope="module")
def index(corpus):
    lines = []
    r = slimnlp.build_index(corpus / "corpus.jsonl", corpus / "my.index", progress=lines.append)
    assert (r.documents, r.skipped) == (len(DOCS), 0)
    assert r.terms > 0 and r.postings > 0 and r.index_bytes > 0
    assert lines, "progress gets a line at the end"
    return slimnlp.Index(corpus / "my.index")


def test_search(index):
    assert len(index) == len(DOCS)
    results = index.search("who founded rome?", k=3)
    assert results[0].id == "rome" and results[0].rank == 1 and results[0].title == "Rome"
    assert [r.rank for r in results] == list(range(1, len(results) + 1))
    assert [r.score for r in results] == sorted((r.score for r in results), reverse=True)
    assert "Romulus" in results[0].snippet
    doc = index.get_document(results[0].doc)
    assert (doc.id, doc.title, doc.text) == ("rome", "Rome", DOCS[1]["text"])
    assert index.search("") == [] and index.search("zzzzqqq") == []
    assert index.search("nile river", k=2, scoring="tfidf")[0].id == "nile"


def test_search_batch_and_reranker(index):
    queries = [q["question"] for q in QUESTIONS]
    assert index.search_batch(iter(queries), k=3) == [index.search(q, k=3) for q in queries]
    reranker = slimnlp.Reranker()
    reranked = index.search("who founded rome?", k=3, reranker=reranker)
    assert len(reranked) == min(3, len(index.search("who founded rome?", k=20)))
    assert all(0 <= r.score <= 1 for r in reranked) and reranked[0].id == "rome"
    assert index.search_batch(queries, k=2, reranker=reranker) == [index.search(q, k=2, reranker=reranker) for q in queries]


def test_search_errors(index):
    with pytest.raises(ValueError, match="scoring must be"):
        index.search("x", scoring="bm99")
    with pytest.raises(IndexError, match="out of range"):
        index.get_document(len(DOCS))
    with pytest.raises(ValueError, match="k must be at least 1"):
        index.search("x", k=0)


@pytest.mark.parametrize("rerank", [False, True])
def test_search_same_as_cli(index, corpus, cli, rerank):
    queries = [q["question"] for q in QUESTIONS]
    args = ["search", "--index", str(corpus / "my.index"), "-k", "4", "--format", "json"]
    reranker = None
    if rerank:
        reranker = slimnlp.Reranker()
        args += ["--rerank", reranker.path]
    out = cli(*args, input="\n".join(queries) + "\n").splitlines()
    for q, line in zip(queries, out):
        expected = [(x["rank"], x["id"], x["title"], x["score"], x["snippet"]) for x in json.loads(line)["results"]]
        got = [(r.rank, r.id, r.title, r.score, r.snippet) for r in index.search(q, k=4, reranker=reranker)]
        assert [g[:3] + g[4:] for g in got] == [e[:3] + e[4:] for e in expected]
        assert [g[3] for g in got] == pytest.approx([e[3] for e in expected], rel=1e-6)


def test_evaluate_retrieval_same_as_cli(index, corpus, cli):
    report = slimnlp.evaluate_retrieval(index, corpus / "questions.jsonl")
    assert report.questions == len(QUESTIONS)
    out = cli("eval", "retrieval", "--index", str(corpus / "my.index"), "--questions", str(corpus / "questions.jsonl"))
    values = {line.split()[0]: line.split()[1] for line in out.splitlines() if line.startswith(("recall@", "MRR@"))}
    assert values["recall@1"] == f"{report.recall_at[0]:.4f}"
    assert values["recall@20"] == f"{report.recall_at[2]:.4f}"
    assert values["MRR@20"] == f"{report.mrr:.4f}"
    with_reranker = slimnlp.evaluate_retrieval(index, corpus / "questions.jsonl", reranker=slimnlp.Reranker())
    assert with_reranker.questions == len(QUESTIONS)
    # One name, as `slimnlp search --index` takes it: the index file itself is a collection of one shard.
    assert slimnlp.ShardedIndex(index.path).shards == 1
    with pytest.raises(ValueError, match="no index named"):
        slimnlp.ShardedIndex("")
    with pytest.raises(FileNotFoundError, match="missing.index: no such index file"):
        slimnlp.ShardedIndex(f"{index.path},{corpus / 'missing.index'}")
    with pytest.raises(ValueError, match="same file as"):
        slimnlp.ShardedIndex(f"{index.path},{index.path}")
    with pytest.raises(ValueError, match="at least one shard"):
        slimnlp.ShardedIndex([])
    with pytest.raises(TypeError, match="needs a slimnlp.Index"):
        slimnlp.evaluate_retrieval(str(index.path), corpus / "questions.jsonl")
    # One shard holding everything is the index itself: the same report, with and without the reranker.
    one_shard = slimnlp.ShardedIndex([index.path])
    assert slimnlp.evaluate_retrieval(one_shard, corpus / "questions.jsonl").recall_at == report.recall_at
    assert slimnlp.evaluate_retrieval(one_shard, corpus / "questions.jsonl", reranker=slimnlp.Reranker()).mrr == \
        with_reranker.mrr


def test_build_index_options_and_errors(tmp_path):
    text = tmp_path / "docs.txt"
    text.write_text("the first document\nthe second one\n")
    r = slimnlp.build_index([str(text)], tmp_path / "t.index", format="text", stopwords=False, stem=False)
    assert r.documents == 2
    idx = slimnlp.Index(tmp_path / "t.index")
    assert idx.get_document(1).id == "2" and idx.search("the")  # "the" is indexed without stopwords.
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    with pytest.raises(ValueError):
        slimnlp.build_index(empty, tmp_path / "e.index")
    with pytest.raises(FileNotFoundError):
        slimnlp.build_index(tmp_path / "missing.jsonl", tmp_path / "m.index")
    with pytest.raises(ValueError, match="format must be"):
        slimnlp.build_index(text, tmp_path / "x.index", format="csv")


def test_progress_callback_exception_propagates(tmp_path):
    text = tmp_path / "docs.txt"
    text.write_text("one document\n")

    def boom(line):
        raise KeyError("stop here")

    with pytest.raises(KeyError, match="stop here"):
        slimnlp.build_index(text, tmp_path / "p.index", progress=boom)


def test_damaged_index(tmp_path, index):
    data = bytearray(open(index.path, "rb").read())
    data[len(data) // 2] ^= 0xFF
    (tmp_path / "bad.index").write_bytes(bytes(data))
    with pytest.raises(slimnlp.DataLossError) as e:
        slimnlp.Index(tmp_path / "bad.index")
    assert isinstance(e.value, OSError) and "bad.index" in str(e.value)
    (tmp_path / "short.index").write_bytes(bytes(data[:100]))
    with pytest.raises(slimnlp.DataLossError):
        slimnlp.Index(tmp_path / "short.index")
    with pytest.raises(FileNotFoundError):
        slimnlp.Index(tmp_path / "none.index")
