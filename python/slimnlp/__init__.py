"""slimnlp: small, fast NLP models in C++ (Botha et al. 2017 hashed-feature networks), from Python.

    import slimnlp
    slimnlp.LanguageIdentifier().identify("Ceci est une phrase.")   # LanguageGuess(language='fr', ...)
    slimnlp.Pipeline().annotate("Je vais au marché.").to_conllu()

Every model is immutable once loaded and every call releases the GIL, so several Python threads may share one
model. Batch calls (`*_batch`) take any iterable and loop in C++. Errors from the library arrive as Python
exceptions with the library's message: FileNotFoundError, PermissionError, ValueError (bad input, invalid
UTF-8 with its byte offset), DataLossError (a damaged file; an OSError), UnsupportedFormatError (a newer
format; a ValueError). See docs/python.md.
"""

import os
import sys
from typing import Callable, Iterable, Optional, Union

from ._slimnlp import (  # noqa: F401  (re-exported)
    Annotation,
    DataLossError,
    Document,
    Index,
    IndexBuildResult,
    LanguageGuess,
    LanguageIdentifier,
    LanguageSpan,
    Pipeline,
    Reranker,
    SearchResult,
    Segmenter,
    ShardedIndex,
    Tagger,
    Token,
    UnsupportedFormatError,
    Word,
    build_index,
    snippet,
)
from . import _slimnlp
from ._models import default_model_path, default_models_dir
from ._reports import (  # noqa: F401
    Confusion,
    LangIdEvalReport,
    LangIdTrainResult,
    LanguageScore,
    LengthBucket,
    ModelInfo,
    ModelPart,
    PosEvalReport,
    PosTrainResult,
    RetrievalEvalReport,
    SegmentEvalReport,
    SegmentTrainResult,
)

__version__ = "0.1.0"

PathLike = Union[str, "os.PathLike[str]"]
Progress = Union[None, bool, Callable[[str], None]]


def _path(p):
    return None if p is None else os.fspath(p)


def evaluate_language_identifier(model: LanguageIdentifier, data: PathLike) -> LangIdEvalReport:
    """Accuracy, macro-F1, per-language precision/recall, the most confused pairs and accuracy by text length
    on TSV data (label<TAB>text, plain or .zst), as `slimnlp eval langid`. Malformed lines are skipped and
    listed in the report's `warnings`; an unreadable file raises (FileNotFoundError, ...)."""
    return LangIdEvalReport._from(_slimnlp._evaluate_language_identifier(model, _path(data)))


def evaluate_tagger(tagger: Tagger, data: PathLike, train: Optional[PathLike] = None) -> PosEvalReport:
    """UPOS accuracy on the gold tokens of CoNLL-U `data`; with `train` (the model's training file), also on
    out-of-vocabulary tokens. Malformed CoNLL-U is a ValueError naming file and line."""
    return PosEvalReport(**_slimnlp._evaluate_tagger(tagger, _path(data), _path(train)))


def evaluate_segmenter(segmenter: Segmenter, data: PathLike, join_without_spaces: bool = False) -> SegmentEvalReport:
    """Word precision, recall and F1 on CoNLL-U `data`: a predicted token is correct if its span in the
    sentence's raw text ('# text =', or the tokens joined) equals a gold token's span."""
    return SegmentEvalReport(**_slimnlp._evaluate_segmenter(segmenter, _path(data), join_without_spaces))


def evaluate_retrieval(index: Union[Index, ShardedIndex], questions: PathLike, *, qrels: Optional[PathLike] = None,
                       scoring: str = "bm25", k1: float = 0.9, b: float = 0.4,
                       reranker: Optional[Reranker] = None) -> RetrievalEvalReport:
    """Recall@1/5/20 of the gold documents, answer recall@k, MRR, nDCG@10 and latency, as
    `slimnlp eval retrieval`. Questions: JSONL {"id", "question", "answers", "gold"}, or BEIR queries with
    `qrels` (TSV query-id, corpus-id, score). With a reranker the top 20 are reordered before scoring.
    ValueError naming file and line for malformed questions or qrels. `index`: an Index or a ShardedIndex."""
    if not isinstance(index, (Index, ShardedIndex)):
        raise TypeError(f"evaluate_retrieval needs a slimnlp.Index or ShardedIndex, not {type(index).__name__}")
    return RetrievalEvalReport(**_slimnlp._evaluate_retrieval(index, _path(questions), _path(qrels), scoring, k1, b,
                                                              reranker))


def inspect_model(path: PathLike) -> ModelInfo:
    """Loads and checks a model file (every check of a real load) and describes it, as `slimnlp info`: task,
    sizes on disk and in memory, budget, labels, parts, and the training record. Errors as the loaders."""
    return ModelInfo._from(_slimnlp._inspect_model(_path(path)))


info = inspect_model


_SIZE_UNITS = [("KiB", 1024), ("MiB", 1 << 20), ("kB", 1000), ("MB", 1000000), ("K", 1024), ("M", 1 << 20), ("B", 1)]


def _size(budget: Union[int, str]) -> int:
    """512 * 1024, "512KiB", "1MiB", "500kB" -> bytes (as the CLI's --budget)."""
    if isinstance(budget, int):
        if budget <= 0:
            raise ValueError(f"budget must be positive, not {budget}")
        return budget
    text = str(budget).strip()
    for suffix, unit in _SIZE_UNITS:
        if text.endswith(suffix) and text[: -len(suffix)].strip().isdigit():
            return int(text[: -len(suffix)]) * unit
    if text.isdigit():
        return int(text)
    raise ValueError(f"budget '{budget}' is not a size like 512KiB")


def _progress(progress: Progress):
    """A callback for the trainer's progress lines: the one given; for True, tqdm.write when tqdm is installed
    (so that lines do not break a bar the caller shows), else stderr; None or False: silence."""
    if progress is None or progress is False:
        return None
    if progress is True:
        try:
            from tqdm import tqdm
            return tqdm.write
        except ImportError:
            return lambda line: print(line, file=sys.stderr, flush=True)
    if not callable(progress):
        raise TypeError("progress must be a callable, True, False or None")
    return progress


def _options(**kwargs):
    return {k: (os.fspath(v) if k in ("train", "dev", "output", "lexicon") else v)
            for k, v in kwargs.items() if v is not None}


def train_language_identifier(train: PathLike, dev: PathLike, output: PathLike, *, budget: Union[int, str] = "512KiB",
                              hidden: int = 208, epochs: int = 10, seed: int = 1, short_fraction: float = 0.25,
                              progress: Progress = None) -> LangIdTrainResult:
    """Trains a language identifier on TSV `label<TAB>text` (plain or .zst) within a size budget, as
    `slimnlp train langid`; the model is written to `output` atomically. ValueError for malformed data
    (naming file and line) or a budget too small; FileNotFoundError for missing files."""
    options = _options(train=train, dev=dev, output=output, budget_bytes=_size(budget), hidden=hidden, epochs=epochs,
                       seed=seed, short_fraction=short_fraction,
                       command_line=f"slimnlp.train_language_identifier(train={os.fspath(train)!r}, "
                                    f"dev={os.fspath(dev)!r}, budget={budget!r}, hidden={hidden}, epochs={epochs}, "
                                    f"seed={seed}, short_fraction={short_fraction})")
    return LangIdTrainResult(**_slimnlp._train_language_identifier(options, _progress(progress)))


def train_tagger(train: PathLike, output: PathLike, *, dev: Optional[PathLike] = None,
                 budget: Union[int, str] = "1MiB", hidden: int = 128, epochs: int = 12, seed: int = 1,
                 group_dropout: float = 0.2, learning_rate: float = 0.001, ema_decay: float = 0.999,
                 embedding_init: float = 0.01, prevtag_noise: float = 0.3,
                 progress: Progress = None) -> PosTrainResult:
    """Trains a part-of-speech tagger on CoNLL-U (plain or .zst), as `slimnlp train pos`. Without `dev`, every
    10th training sentence is held out. ValueError for malformed CoNLL-U or a budget too small."""
    options = _options(train=train, dev=dev, output=output, budget_bytes=_size(budget), hidden=hidden, epochs=epochs,
                       seed=seed, group_dropout=group_dropout, learning_rate=learning_rate, ema_decay=ema_decay,
                       embedding_init=embedding_init, prevtag_noise=prevtag_noise,
                       command_line=f"slimnlp.train_tagger(train={os.fspath(train)!r}, budget={budget!r}, "
                                    f"hidden={hidden}, epochs={epochs}, seed={seed})")
    return PosTrainResult(**_slimnlp._train_tagger(options, _progress(progress)))


def train_segmenter(train: PathLike, output: PathLike, *, dev: Optional[PathLike] = None, language: str = "",
                    budget: Union[int, str] = "256KiB", hidden: int = 64, window: int = 3, epochs: int = 2,
                    seed: int = 1, group_dropout: float = 0.1, learning_rate: float = 0.002,
                    ema_decay: float = 0.999, prevtag_noise: float = 0.1, join_without_spaces: bool = False,
                    add_simplified: bool = False, lexicon: Optional[PathLike] = None, lexicon_min_count: int = 0,
                    lexicon_bits_per_word: float = 10.0, progress: Progress = None) -> SegmentTrainResult:
    """Trains a segmenter (tokenizer) on CoNLL-U, as `slimnlp train segment` (see its --help for each option).
    ValueError for malformed CoNLL-U or a budget too small."""
    options = _options(train=train, dev=dev, output=output, language=language, budget_bytes=_size(budget),
                       hidden=hidden, window=window, epochs=epochs, seed=seed, group_dropout=group_dropout,
                       learning_rate=learning_rate, ema_decay=ema_decay, prevtag_noise=prevtag_noise,
                       join_without_spaces=join_without_spaces, add_simplified=add_simplified, lexicon=lexicon,
                       lexicon_min_count=lexicon_min_count, lexicon_bits_per_word=lexicon_bits_per_word,
                       command_line=f"slimnlp.train_segmenter(train={os.fspath(train)!r}, budget={budget!r}, "
                                    f"hidden={hidden}, window={window}, epochs={epochs}, seed={seed})")
    return SegmentTrainResult(**_slimnlp._train_segmenter(options, _progress(progress)))


__all__ = [
    "Annotation", "Confusion", "DataLossError", "Document", "Index", "IndexBuildResult", "LangIdEvalReport",
    "LangIdTrainResult", "LanguageGuess", "LanguageIdentifier", "LanguageScore", "LanguageSpan", "LengthBucket",
    "ModelInfo", "ModelPart", "Pipeline", "PosEvalReport", "PosTrainResult", "Reranker", "RetrievalEvalReport",
    "SearchResult", "SegmentEvalReport", "SegmentTrainResult", "Segmenter", "ShardedIndex", "Tagger", "Token",
    "UnsupportedFormatError", "Word", "build_index", "default_model_path", "default_models_dir",
    "evaluate_language_identifier", "evaluate_retrieval", "evaluate_segmenter", "evaluate_tagger", "info",
    "inspect_model", "snippet", "train_language_identifier", "train_segmenter", "train_tagger",
]
