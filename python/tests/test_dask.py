"""slimnlp.dask on a real distributed.LocalCluster with 2 worker processes (small data, one cluster for all)."""

import os

import pytest

dask = pytest.importorskip("dask", reason="python3-distributed is not installed (tools/setup.sh installs it)")
distributed = pytest.importorskip("distributed")
pd = pytest.importorskip("pandas")
import dask.bag as db  # noqa: E402
import dask.dataframe as dd  # noqa: E402

import slimnlp  # noqa: E402
import slimnlp.dask  # noqa: E402
from conftest import TEXTS  # noqa: E402

TEXTS_MANY = [f"{t} ({i})" if t else "" for i in range(30) for t in TEXTS]


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=2, processes=True, dashboard_address=None,
                                       worker_dashboard_address=None)
    c = distributed.Client(cluster)
    try:
        yield c
    finally:
        c.close()
        cluster.close()


def test_cluster_has_two_worker_processes(client):
    pids = client.run(os.getpid)
    assert len(pids) == 2 and len(set(pids.values())) == 2 and os.getpid() not in pids.values()


def test_identify_bag_in_order(client, lid):
    bag = db.from_sequence(TEXTS_MANY, npartitions=12)
    got = slimnlp.dask.identify(bag).compute()
    assert got == lid.identify_batch(TEXTS_MANY)
    # Each worker loaded the model once, however many tasks it ran.
    loaded = client.run(slimnlp.dask.loaded_models)
    assert all(v["loads"] == 1 for v in loaded.values() if v["models"]), loaded
    assert sum(1 for v in loaded.values() if v["models"]) >= 1


def test_identify_dataframe_column(client, lid):
    pdf = pd.DataFrame({"text": TEXTS_MANY, "n": range(len(TEXTS_MANY))}, index=range(100, 100 + len(TEXTS_MANY)))
    df = dd.from_pandas(pdf, npartitions=5)
    out = slimnlp.dask.identify(df["text"]).compute()
    assert list(out.index) == list(pdf.index)
    assert list(out.columns) == ["language", "probability", "reliable"]
    expected = lid.identify_batch(TEXTS_MANY)
    assert list(out["language"]) == [g.language for g in expected]
    assert list(out["probability"]) == pytest.approx([g.probability for g in expected])
    with pytest.raises(TypeError, match="column"):
        slimnlp.dask.identify(df)


def _without_sent_ids(conllu):
    # A partition numbers its own sentences (as `slimnlp annotate` numbers the lines of its input).
    return "".join(line for line in conllu.splitlines(keepends=True) if not line.startswith("# sent_id = "))


def test_annotate_bag_conllu_same_as_local(client, pipeline):
    bag = db.from_sequence(TEXTS_MANY, npartitions=8)
    conllu = slimnlp.dask.annotate(bag, output="conllu").compute()
    assert _without_sent_ids("".join(conllu)) == _without_sent_ids(pipeline.to_conllu(TEXTS_MANY))
    objects = slimnlp.dask.annotate(bag).compute()  # Annotation objects travel back pickled.
    assert objects == pipeline.annotate_batch(TEXTS_MANY)
    dicts = slimnlp.dask.annotate(db.from_sequence(TEXTS[:3], npartitions=2), output="dict").compute()
    assert dicts[0]["language"] == "fr" and dicts[0]["words"][0]["form"] == "Ceci"


def test_annotate_and_tag_series(client, pipeline, tagger_en):
    s = dd.from_pandas(pd.Series(TEXTS_MANY, name="text"), npartitions=4)
    out = slimnlp.dask.annotate(s, output="conllu").compute()
    assert _without_sent_ids("".join(out)) == _without_sent_ids(pipeline.to_conllu(TEXTS_MANY))
    tagged = slimnlp.dask.tag(s).compute()
    assert list(tagged) == tagger_en.tag_text_batch(TEXTS_MANY)


def test_worker_death_is_retried_without_losing_or_repeating_rows(client, lid, tmp_path):
    """A task kills its worker process the first time it runs; Dask reruns it on a live worker."""
    marker = str(tmp_path / "died-once")
    bag = db.from_sequence(TEXTS_MANY, npartitions=6).map_partitions(_die_once, marker)
    got = slimnlp.dask.identify(bag).compute()
    assert os.path.exists(marker)
    assert got == lid.identify_batch(TEXTS_MANY)


def _die_once(texts, marker):
    texts = list(texts)
    try:
        os.close(os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY))  # Only the first task to get here dies.
    except FileExistsError:
        return texts
    os._exit(1)  # The worker process dies mid-run, as a crashed or killed machine would.


def test_errors_reach_the_client(client):
    bag = db.from_sequence([b"ok", b"\xff"], npartitions=1)
    with pytest.raises(ValueError, match="invalid UTF-8 at byte 0"):
        slimnlp.dask.identify(bag).compute()
    with pytest.raises(FileNotFoundError):
        slimnlp.dask.identify(db.from_sequence(["x"]), model="/nonexistent.slim").compute()


def test_sharded_index_built_on_workers_searches_as_one_index(client, tmp_path, cli):
    import json
    import random
    rng = random.Random(3)
    vocab = [f"w{i}" for i in range(400)]
    docs = [{"id": f"d{i}", "title": f"T{i}",
             "text": " ".join(rng.choice(vocab[:20] if rng.random() < 0.5 else vocab) for _ in range(rng.randint(5, 40)))}
            for i in range(300)]
    with open(tmp_path / "all.jsonl", "w") as f:
        f.writelines(json.dumps(d) + "\n" for d in docs)
    slimnlp.build_index(tmp_path / "all.jsonl", tmp_path / "all.index")
    whole = slimnlp.Index(tmp_path / "all.index")
    paths = slimnlp.dask.build_index(db.from_sequence(docs, npartitions=4), tmp_path).compute()
    assert paths == [str(tmp_path / f"shard-{i:05d}.index") for i in range(4)]
    sharded = slimnlp.ShardedIndex(paths)
    assert (len(sharded), sharded.shards) == (len(whole), 4)
    # The manifest written last names these shards: the directory opens to them, in the CLI as here.
    manifest = (tmp_path / "shard.shards").read_text().splitlines()
    assert manifest[1:] == [f"shard-{i:05d}.index" for i in range(4)]
    assert slimnlp.ShardedIndex(tmp_path).paths == paths
    run = cli("search", "--index", str(tmp_path), "-f", "json", "-k", "10", "w1 w7 w200")
    assert [h["id"] for h in json.loads(run)["results"]] == [r.id for r in whole.search("w1 w7 w200", k=10)]
    for q in range(40):
        query = " ".join(rng.choice(vocab) for _ in range(rng.randint(1, 4)))
        for scoring in ("bm25", "tfidf"):
            expected = whole.search(query, k=10, scoring=scoring)
            got = sharded.search(query, k=10, scoring=scoring)
            assert [(r.rank, r.doc, r.id, r.snippet) for r in got] == [(r.rank, r.doc, r.id, r.snippet) for r in expected]
            assert [r.score for r in got] == pytest.approx([r.score for r in expected], rel=1e-6)
    # One shard alone scores with its own statistics: that is what the collection's statistics change.
    alone = slimnlp.Index(paths[1]).search("w1 w2 w300", k=5)
    whole_scores = {r.id: r.score for r in whole.search("w1 w2 w300", k=300)}
    assert alone and any(abs(whole_scores[a.id] - a.score) > 1e-4 * a.score for a in alone)
    assert sharded.get_document(150).id == "d150"
    # JSONL lines (str) pass through unparsed and give the same shards' ranking.
    lines = db.from_sequence([json.dumps(d) for d in docs], npartitions=3)
    (tmp_path / "lines").mkdir()
    by_lines = slimnlp.ShardedIndex(slimnlp.dask.build_index(lines, tmp_path / "lines").compute())
    assert [r.id for r in by_lines.search("w1 w7 w200", k=20)] == [r.id for r in whole.search("w1 w7 w200", k=20)]
    reranker = slimnlp.Reranker()
    for query in ("w1 w7 w200", "w3 w250"):
        got = sharded.search(query, k=5, reranker=reranker)
        expected = whole.search(query, k=5, reranker=reranker)
        assert [r.id for r in got] == [r.id for r in expected]
        assert [r.score for r in got] == pytest.approx([r.score for r in expected], rel=1e-5)
