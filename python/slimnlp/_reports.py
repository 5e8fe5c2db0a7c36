"""Evaluation reports, training results and model info as dataclasses (built from the dicts the C++ side
returns)."""

from dataclasses import dataclass, field
from typing import Dict, List, Tuple


@dataclass(frozen=True)
class LanguageScore:
    language: str
    gold: int
    predicted: int
    correct: int
    precision: float
    recall: float
    f1: float


@dataclass(frozen=True)
class Confusion:
    gold: str
    predicted: str
    count: int


@dataclass(frozen=True)
class LengthBucket:
    name: str  # "<=20", "21-60", ">60" code points
    examples: int
    correct: int


@dataclass(frozen=True)
class LangIdEvalReport:
    examples: int
    correct: int
    accuracy: float
    macro_f1: float  # Over the gold labels present in the data.
    per_language: List[LanguageScore]  # Sorted by label.
    top_confusions: List[Confusion]  # Most frequent errors first.
    by_length: List[LengthBucket]
    reliable: int  # Answers flagged reliable ...
    reliable_correct: int  # ... and how many of them were right.
    skipped_lines: int  # Malformed lines, each described in `warnings` (file:line: reason).
    warnings: List[str] = field(default_factory=list)

    @staticmethod
    def _from(d):
        d = dict(d)
        d["per_language"] = [LanguageScore(**x) for x in d["per_language"]]
        d["top_confusions"] = [Confusion(**x) for x in d["top_confusions"]]
        d["by_length"] = [LengthBucket(**x) for x in d["by_length"]]
        return LangIdEvalReport(**d)


@dataclass(frozen=True)
class PosEvalReport:
    tokens: int
    correct: int
    accuracy: float
    oov_tokens: int  # Tokens whose form is not in the training file (if given).
    oov_correct: int
    oov_accuracy: float
    tags: List[str]  # Rows and columns of `confusion`: gold, then predicted.
    confusion: List[List[int]]  # confusion[gold][predicted]; gold tags unknown to the model in an extra last row.
    seconds: float  # Time spent tagging (not reading).


@dataclass(frozen=True)
class SegmentEvalReport:
    sentences: int
    gold_tokens: int
    predicted_tokens: int
    correct_tokens: int
    skipped_sentences: int  # Tokens not found in the text.
    precision: float
    recall: float
    f1: float
    text_bytes: int
    seconds: float  # Time spent segmenting (not reading).


@dataclass(frozen=True)
class RetrievalEvalReport:
    questions: int  # Questions with at least one gold document.
    recall_at: Tuple[float, float, float]  # Gold document in the top 1, 5, 20.
    answer_recall_at: Tuple[float, float, float]  # An answer string in one of the top 1, 5, 20 (DrQA's metric).
    questions_with_answers: int
    mrr: float  # Of the first gold document within the top 20.
    ndcg_at_10: float  # Binary gains over all gold documents (BEIR).
    latency_ms: Tuple[float, float, float]  # Search (and reranking), one thread: p50, p90, p99.


@dataclass(frozen=True)
class ModelPart:
    name: str  # "emb.c3", "dense.0", "labels"
    shape: str  # "6000x16 int8 + fp16 scales"
    bytes: int  # In memory.


@dataclass(frozen=True)
class ModelInfo:
    path: str
    task: str  # "langid", "pos", "segment", "rerank"
    feature_spec: str
    file_bytes: int  # On disk.
    memory_bytes: int  # Weights and labels once loaded.
    budget_bytes: int  # The budget it was trained for (0 if not recorded).
    labels: List[str]
    meta: Dict[str, str]  # Hyperparameters and the training record.
    parts: List[ModelPart]

    @staticmethod
    def _from(d):
        d = dict(d)
        d["parts"] = [ModelPart(**x) for x in d["parts"]]
        return ModelInfo(**d)


@dataclass(frozen=True)
class LangIdTrainResult:
    train_examples: int
    dev_examples: int
    languages: int
    dev_accuracy_float: float
    dev_accuracy_quantized: float
    file_bytes: int
    memory_bytes: int
    seconds: float


@dataclass(frozen=True)
class PosTrainResult:
    train_tokens: int
    dev_tokens: int
    tags: int
    dev_accuracy_float: float
    dev_accuracy_quantized: float
    file_bytes: int
    memory_bytes: int
    seconds: float


@dataclass(frozen=True)
class SegmentTrainResult:
    train_sentences: int
    train_characters: int
    skipped_sentences: int
    dev_f1: float
    file_bytes: int
    memory_bytes: int
    seconds: float
