"""slimnlp on Dask distributed: language identification, tagging and the annotate pipeline over a Dask bag of
texts or a Dask dataframe column (a Series of str), on any `distributed` cluster.

    from distributed import Client
    import dask.bag as db
    import slimnlp.dask

    client = Client("tcp://scheduler:8786")          # or Client(LocalCluster(n_workers=2))
    texts = db.read_text("s3://bucket/corpus-*.txt").map(str.rstrip)
    languages = slimnlp.dask.identify(texts).compute()   # LanguageGuess objects, in input order

Each task receives a whole partition and hands it to the C++ batch call. Models are not shipped with the tasks:
a task names a model (a path on the workers, or None for the shipped default) and each worker process loads it
the first time it needs it, then keeps it (`_model` below); the worker's threads share it, as the models are
thread-safe and their calls release the GIL. Tasks are pure functions of their partition, so when a worker dies
Dask reruns its tasks elsewhere and no row is lost or repeated. Results keep the input order (and a Series'
index). docs/dask.md shows the same code on a multi-machine cluster.
"""

import os
import threading
from typing import Optional

import slimnlp

_lock = threading.Lock()
_models = {}
_loads = 0


def _load(kind, key):
    if kind == "langid":
        return slimnlp.LanguageIdentifier(key[0], reliability_threshold=key[1])
    if kind == "tagger":
        return slimnlp.Tagger(key[0], language=key[1], tokenizer=key[2])
    if kind == "pipeline":
        return slimnlp.Pipeline(key[0], langid_model=key[1], reliability_threshold=key[2])
    raise ValueError(f"unknown model kind {kind!r}")


def _model(kind, *key):
    """The model `kind` with arguments `key`, loaded once per process and kept."""
    global _loads
    with _lock:
        model = _models.get((kind, key))
        if model is None:
            model = _load(kind, key)
            _models[(kind, key)] = model
            _loads += 1
        return model


def loaded_models():
    """What this process has loaded: {"pid": ..., "loads": how many model loads so far, "models": [...]}. Run it
    on every worker with `client.run(slimnlp.dask.loaded_models)` to see that each loaded its models once."""
    with _lock:
        return {"pid": os.getpid(), "loads": _loads, "models": sorted(f"{k[0]}:{k[1]}" for k in _models)}


def clear_models():
    """Forgets this process' loaded models (e.g. after replacing a model file on the workers)."""
    global _loads
    with _lock:
        _models.clear()
        _loads = 0


# ---- Per-partition work (module-level functions: Dask pickles them by name, not with any model) ----------

def _identify_list(texts, model, threshold):
    return _model("langid", model, threshold).identify_batch(texts)


def _identify_series(series, model, threshold):
    import pandas as pd
    guesses = _model("langid", model, threshold).identify_batch(series.tolist())
    return pd.DataFrame({"language": [g.language for g in guesses],
                         "probability": [g.probability for g in guesses],
                         "reliable": [g.reliable for g in guesses]}, index=series.index)


def _tag_list(texts, model, language, tokenizer):
    return _model("tagger", model, language, tokenizer).tag_text_batch(texts)


def _tag_series(series, model, language, tokenizer):
    import pandas as pd
    tagged = _model("tagger", model, language, tokenizer).tag_text_batch(series.tolist())
    return pd.Series(tagged, index=series.index, dtype=object, name=series.name)


def _annotate(texts, models_dir, langid_model, threshold, language, output):
    pipeline = _model("pipeline", models_dir, langid_model, threshold)
    annotations = pipeline.annotate_batch(texts, language)
    if output == "conllu":
        return [a.to_conllu() for a in annotations]
    if output == "dict":
        return [_annotation_dict(a) for a in annotations]
    return annotations


def _annotation_dict(a):
    d = a.to_dict()
    d["words"] = [w.to_dict() for w in a.words]
    return d


def _annotate_list(texts, *args):
    return _annotate(texts, *args)


def _annotate_series(series, *args):
    import pandas as pd
    return pd.Series(_annotate(series.tolist(), *args), index=series.index, dtype=object, name=series.name)


def _build_shard(documents, path, format, stopwords, stem):
    """Indexes one partition into the shard `path` (written whole or not at all); returns the path. Dicts are
    written as JSONL; str items as they are, one a line (JSONL lines pass through without being parsed)."""
    import json
    tmp = f"{path}.{os.getpid()}.tmp"
    try:
        with open(tmp, "w", encoding="utf-8") as f:
            for d in documents:
                if isinstance(d, dict):
                    f.write(json.dumps(d, ensure_ascii=False) + "\n")
                else:
                    f.write(d.rstrip("\n") + "\n")
        slimnlp.build_index(tmp, path, format=format, stopwords=stopwords, stem=stem)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def _write_manifest(paths, manifest):
    """Writes the manifest that names the shards of one build_index run, in order (what `slimnlp search
    --index DIRECTORY` and slimnlp.ShardedIndex(DIRECTORY) read): written last, once every shard is whole, and
    replaced in one rename, so it never names a shard that is missing or one a previous run left behind."""
    directory = os.path.dirname(manifest)
    lines = [f"# slimnlp shards: {len(paths)} shards written by slimnlp.dask.build_index, in collection order\n"]
    lines += [os.path.relpath(p, directory) + "\n" for p in paths]
    tmp = f"{manifest}.{os.getpid()}.tmp"
    try:
        with open(tmp, "w", encoding="utf-8") as f:
            f.writelines(lines)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, manifest)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return list(paths)


# ---- Public calls -------------------------------------------------------------------------------------------

def _kind(collection):
    import dask.bag
    import dask.dataframe
    if isinstance(collection, dask.bag.Bag):
        return "bag"
    if isinstance(collection, dask.dataframe.Series):
        return "series"
    if isinstance(collection, dask.dataframe.DataFrame):
        raise TypeError("give a column of texts (df['text']), not a whole dataframe")
    raise TypeError(f"expected a dask.bag.Bag or a dask.dataframe.Series of texts, not {type(collection).__name__}")


def _path(p):
    return None if p is None else os.fspath(p)


def identify(texts, *, model: Optional[str] = None, reliability_threshold: float = 0.95):
    """The language of each text. A Bag gives a Bag of slimnlp.LanguageGuess; a Series gives a DataFrame with
    the columns language, probability, reliable and the Series' index. `model`: a path valid on every worker
    (default: the shipped langid.slim of each worker's slimnlp)."""
    args = (_path(model), float(reliability_threshold))
    if _kind(texts) == "bag":
        return texts.map_partitions(_identify_list, *args)
    import pandas as pd
    meta = pd.DataFrame({"language": pd.Series([], dtype=object), "probability": pd.Series([], dtype="float64"),
                         "reliable": pd.Series([], dtype=bool)})
    return texts.map_partitions(_identify_series, *args, meta=meta)


def tag(texts, *, model: Optional[str] = None, language: Optional[str] = None, tokenizer: Optional[str] = None):
    """Tokenizes and tags each text with one tagger (as slimnlp.Tagger.tag_text): a list of slimnlp.Word per
    text. A Bag gives a Bag of lists; a Series an object Series of lists (same index)."""
    args = (_path(model), language, _path(tokenizer))
    if _kind(texts) == "bag":
        return texts.map_partitions(_tag_list, *args)
    return texts.map_partitions(_tag_series, *args, meta=(texts.name, object))


def annotate(texts, *, models_dir: Optional[str] = None, langid_model: Optional[str] = None,
             reliability_threshold: float = 0.95, language: Optional[str] = None, output: str = "annotation"):
    """The whole pipeline on each text (language identification, then that language's segmenter and tagger).
    output: "annotation" (slimnlp.Annotation objects), "conllu" (each text's CoNLL-U, as `slimnlp annotate`
    writes it, but with each partition numbering its own `# sent_id`s from 1) or "dict" (plain dicts, e.g. for
    JSON).
    A Bag gives a Bag; a Series an object Series with the same index."""
    if output not in ("annotation", "conllu", "dict"):
        raise ValueError(f"output must be 'annotation', 'conllu' or 'dict', not {output!r}")
    args = (_path(models_dir), _path(langid_model), float(reliability_threshold), language, output)
    if _kind(texts) == "bag":
        return texts.map_partitions(_annotate_list, *args)
    return texts.map_partitions(_annotate_series, *args, meta=(texts.name, object))


def build_index(documents, directory, *, prefix: str = "shard", format: str = "auto", stopwords: bool = True,
                stem: bool = True):
    """Indexes a corpus too large for one machine: each partition of the Bag `documents` becomes a shard built on
    a worker, `directory/<prefix>-00000.index`, ... (`directory` must be writable by every worker at the same
    path, and readable where the shards are searched). Items: dicts {"text", "id", "title"} ("text" required),
    or str lines as `slimnlp index` reads them: JSONL lines (passed through unparsed: the fastest, e.g.
    db.read_text("corpus-*.jsonl")) or plain text, a document a line (id: its line number in the shard);
    `format` as build_index's ("auto": JSONL if a shard's first line starts with '{'). Returns a dask Delayed;
    `.compute()` gives the shard paths in partition order, for slimnlp.ShardedIndex(paths), which scores with
    the collection's statistics over all shards, so search ranks as one index over the whole corpus would.
    Once every shard is written, the manifest `directory/<prefix>.shards` lists them (one a line, relative to
    the directory): `slimnlp search --index directory` (and eval retrieval, serve, ShardedIndex(directory))
    open exactly these shards, whatever else the directory holds."""
    import dask
    if _kind(documents) != "bag":
        raise TypeError("build_index takes a dask.bag.Bag of documents")
    directory = os.fspath(directory)
    if format not in ("auto", "jsonl", "text"):
        raise ValueError(f"format must be 'auto', 'jsonl' or 'text', not {format!r}")
    shards = [dask.delayed(_build_shard, pure=False)(part, os.path.join(directory, f"{prefix}-{i:05d}.index"),
                                                     format, stopwords, stem)
              for i, part in enumerate(documents.to_delayed())]
    manifest = os.path.join(directory, f"{prefix}.shards")
    return dask.delayed(_write_manifest, pure=False)(shards, manifest)
