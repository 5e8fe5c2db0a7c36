// Evaluation, training and model info: the C++ side returns plain dicts, which slimnlp/_reports.py turns into
// dataclasses (these calls are not hot, and nested reports read better as Python dataclasses).
#include "python/src/bindings.h"
#include "python/src/common.h"
#include "slimnlp/langid.h"
#include "slimnlp/model_info.h"
#include "slimnlp/retrieval.h"
#include "slimnlp/segmenter.h"
#include "slimnlp/tagger.h"

namespace slimnlp::python {
namespace {

// Runs `fn` (returning absl::StatusOr<T>) without the GIL; raises its error.
template <typename Fn>
auto Unlocked(Fn fn) {
  decltype(fn()) r = absl::UnknownError("not run");
  {
    py::gil_scoped_release release;
    r = fn();
  }
  if (!r.ok()) ThrowStatus(r.status());
  return *std::move(r);
}

py::dict EvaluateLangId(const py::object& model, const py::object& data) {
  const LanguageIdentifier& lid = UnwrapLanguageIdentifier(model);
  const std::string path = *PathArg(data);
  std::vector<std::string> warnings;
  const LangIdEvalReport r = Unlocked([&] {
    return EvaluateLanguageIdentifier(lid, path, [&](const std::string& w) { warnings.push_back(w); });
  });
  py::list per_language, confusions, by_length;
  for (const auto& p : r.per_language) {
    per_language.append(py::dict(py::arg("language") = p.language, py::arg("gold") = p.gold,
                                 py::arg("predicted") = p.predicted, py::arg("correct") = p.correct,
                                 py::arg("precision") = p.precision, py::arg("recall") = p.recall,
                                 py::arg("f1") = p.f1));
  }
  for (const auto& c : r.top_confusions) {
    confusions.append(py::dict(py::arg("gold") = c.gold, py::arg("predicted") = c.predicted, py::arg("count") = c.count));
  }
  for (const auto& b : r.by_length) {
    by_length.append(py::dict(py::arg("name") = b.name, py::arg("examples") = b.examples, py::arg("correct") = b.correct));
  }
  return py::dict(py::arg("examples") = r.examples, py::arg("correct") = r.correct, py::arg("accuracy") = r.accuracy,
                  py::arg("macro_f1") = r.macro_f1, py::arg("per_language") = per_language,
                  py::arg("top_confusions") = confusions, py::arg("by_length") = by_length,
                  py::arg("reliable") = r.reliable, py::arg("reliable_correct") = r.reliable_correct,
                  py::arg("skipped_lines") = r.skipped_lines, py::arg("warnings") = warnings);
}

py::dict EvaluatePos(const py::object& tagger, const py::object& data, const py::object& train) {
  const Tagger& t = UnwrapTagger(tagger);
  const std::string data_path = *PathArg(data), train_path = PathArg(train).value_or("");
  const PosEvalReport r = Unlocked([&] { return EvaluateTagger(t, data_path, train_path); });
  return py::dict(py::arg("tokens") = r.tokens, py::arg("correct") = r.correct, py::arg("accuracy") = r.accuracy,
                  py::arg("oov_tokens") = r.oov_tokens, py::arg("oov_correct") = r.oov_correct,
                  py::arg("oov_accuracy") = r.oov_accuracy, py::arg("tags") = r.tags,
                  py::arg("confusion") = r.confusion, py::arg("seconds") = r.seconds);
}

py::dict EvaluateSeg(const py::object& segmenter, const py::object& data, bool join_without_spaces) {
  const Segmenter& s = UnwrapSegmenter(segmenter);
  const std::string data_path = *PathArg(data);
  const SegmentEvalReport r = Unlocked([&] { return EvaluateSegmenter(s, data_path, join_without_spaces); });
  return py::dict(py::arg("sentences") = r.sentences, py::arg("gold_tokens") = r.gold_tokens,
                  py::arg("predicted_tokens") = r.predicted_tokens, py::arg("correct_tokens") = r.correct_tokens,
                  py::arg("skipped_sentences") = r.skipped_sentences, py::arg("precision") = r.precision,
                  py::arg("recall") = r.recall, py::arg("f1") = r.f1, py::arg("text_bytes") = r.text_bytes,
                  py::arg("seconds") = r.seconds);
}

py::dict EvaluateRet(const py::object& index, const py::object& questions, const py::object& qrels,
                     const std::string& scoring, float k1, float b, const py::object& reranker) {
  const ShardedIndex* sharded = AsShardedIndex(index);
  const Index* single = sharded ? nullptr : &UnwrapIndex(index);
  RetrievalEvalOptions options;
  options.questions_path = *PathArg(questions);
  options.qrels_path = PathArg(qrels).value_or("");
  if (scoring != "bm25" && scoring != "tfidf") throw py::value_error("scoring must be 'bm25' or 'tfidf'");
  options.search.scoring = scoring == "tfidf" ? SearchOptions::Scoring::kTfIdf : SearchOptions::Scoring::kBm25;
  options.search.k1 = k1;
  options.search.b = b;
  if (!reranker.is_none()) options.reranker = &UnwrapReranker(reranker);
  const RetrievalEvalReport r =
      Unlocked([&] { return sharded ? EvaluateRetrieval(*sharded, options) : EvaluateRetrieval(*single, options); });
  const auto three = [](const double* v) { return py::make_tuple(v[0], v[1], v[2]); };
  return py::dict(py::arg("questions") = r.questions, py::arg("recall_at") = three(r.recall_at),
                  py::arg("answer_recall_at") = three(r.answer_recall_at),
                  py::arg("questions_with_answers") = r.questions_with_answers, py::arg("mrr") = r.mrr,
                  py::arg("ndcg_at_10") = r.ndcg_at_10, py::arg("latency_ms") = three(r.latency_ms));
}

py::dict Inspect(const py::object& path_obj) {
  const std::string path = *PathArg(path_obj);
  const ModelInfo info = Unlocked([&] { return InspectModel(path); });
  py::list parts;
  for (const auto& p : info.parts) {
    parts.append(py::dict(py::arg("name") = p.name, py::arg("shape") = p.shape, py::arg("bytes") = p.bytes));
  }
  return py::dict(py::arg("path") = info.path, py::arg("task") = info.task, py::arg("feature_spec") = info.feature_spec,
                  py::arg("file_bytes") = info.file_bytes, py::arg("memory_bytes") = info.memory_bytes,
                  py::arg("budget_bytes") = info.budget_bytes, py::arg("labels") = info.labels,
                  py::arg("meta") = info.meta, py::arg("parts") = parts);
}

// Training: options come as a dict of the fields the caller set (checked in Python), progress as a callable.
template <typename T>
void Set(const py::dict& d, const char* key, T* field) {
  if (d.contains(key)) *field = d[key].cast<T>();
}

py::dict TrainLangId(const py::dict& o, const py::object& progress) {
  LangIdTrainOptions options;
  options.train_path = o["train"].cast<std::string>();
  options.dev_path = o["dev"].cast<std::string>();
  options.output_path = o["output"].cast<std::string>();
  Set(o, "budget_bytes", &options.budget_bytes);
  Set(o, "hidden", &options.hidden);
  Set(o, "epochs", &options.epochs);
  Set(o, "seed", &options.seed);
  Set(o, "short_fraction", &options.short_fraction);
  Set(o, "command_line", &options.command_line);
  PyCallback callback(progress);
  options.progress = callback.Function();
  absl::StatusOr<LangIdTrainResult> r;
  {
    py::gil_scoped_release release;
    r = TrainLanguageIdentifier(options);
  }
  callback.Rethrow();
  if (!r.ok()) ThrowStatus(r.status());
  return py::dict(py::arg("train_examples") = r->train_examples, py::arg("dev_examples") = r->dev_examples,
                  py::arg("languages") = r->languages, py::arg("dev_accuracy_float") = r->dev_accuracy_float,
                  py::arg("dev_accuracy_quantized") = r->dev_accuracy_quantized, py::arg("file_bytes") = r->file_bytes,
                  py::arg("memory_bytes") = r->memory_bytes, py::arg("seconds") = r->seconds);
}

py::dict TrainPos(const py::dict& o, const py::object& progress) {
  PosTrainOptions options;
  options.train_path = o["train"].cast<std::string>();
  Set(o, "dev", &options.dev_path);
  options.output_path = o["output"].cast<std::string>();
  Set(o, "budget_bytes", &options.budget_bytes);
  Set(o, "hidden", &options.hidden);
  Set(o, "epochs", &options.epochs);
  Set(o, "seed", &options.seed);
  Set(o, "group_dropout", &options.group_dropout);
  Set(o, "learning_rate", &options.learning_rate);
  Set(o, "ema_decay", &options.ema_decay);
  Set(o, "embedding_init", &options.embedding_init);
  Set(o, "prevtag_noise", &options.prevtag_noise);
  Set(o, "command_line", &options.command_line);
  PyCallback callback(progress);
  options.progress = callback.Function();
  absl::StatusOr<PosTrainResult> r;
  {
    py::gil_scoped_release release;
    r = TrainTagger(options);
  }
  callback.Rethrow();
  if (!r.ok()) ThrowStatus(r.status());
  return py::dict(py::arg("train_tokens") = r->train_tokens, py::arg("dev_tokens") = r->dev_tokens,
                  py::arg("tags") = r->tags, py::arg("dev_accuracy_float") = r->dev_accuracy_float,
                  py::arg("dev_accuracy_quantized") = r->dev_accuracy_quantized, py::arg("file_bytes") = r->file_bytes,
                  py::arg("memory_bytes") = r->memory_bytes, py::arg("seconds") = r->seconds);
}

py::dict TrainSeg(const py::dict& o, const py::object& progress) {
  SegmentTrainOptions options;
  options.train_path = o["train"].cast<std::string>();
  Set(o, "dev", &options.dev_path);
  options.output_path = o["output"].cast<std::string>();
  Set(o, "language", &options.language);
  Set(o, "budget_bytes", &options.budget_bytes);
  Set(o, "hidden", &options.hidden);
  Set(o, "window", &options.window);
  Set(o, "epochs", &options.epochs);
  Set(o, "seed", &options.seed);
  Set(o, "group_dropout", &options.group_dropout);
  Set(o, "learning_rate", &options.learning_rate);
  Set(o, "ema_decay", &options.ema_decay);
  Set(o, "prevtag_noise", &options.prevtag_noise);
  Set(o, "join_without_spaces", &options.join_without_spaces);
  Set(o, "add_simplified", &options.add_simplified);
  Set(o, "lexicon", &options.lexicon_path);
  Set(o, "lexicon_min_count", &options.lexicon_min_count);
  Set(o, "lexicon_bits_per_word", &options.lexicon_bits_per_word);
  Set(o, "command_line", &options.command_line);
  PyCallback callback(progress);
  options.progress = callback.Function();
  absl::StatusOr<SegmentTrainResult> r;
  {
    py::gil_scoped_release release;
    r = TrainSegmenter(options);
  }
  callback.Rethrow();
  if (!r.ok()) ThrowStatus(r.status());
  return py::dict(py::arg("train_sentences") = r->train_sentences, py::arg("train_characters") = r->train_characters,
                  py::arg("skipped_sentences") = r->skipped_sentences, py::arg("dev_f1") = r->dev_f1,
                  py::arg("file_bytes") = r->file_bytes, py::arg("memory_bytes") = r->memory_bytes,
                  py::arg("seconds") = r->seconds);
}

}  // namespace

void RegisterReports(py::module_& m) {
  m.def("_evaluate_language_identifier", &EvaluateLangId, py::arg("model"), py::arg("data"));
  m.def("_evaluate_tagger", &EvaluatePos, py::arg("tagger"), py::arg("data"), py::arg("train") = py::none());
  m.def("_evaluate_segmenter", &EvaluateSeg, py::arg("segmenter"), py::arg("data"),
        py::arg("join_without_spaces") = false);
  m.def("_evaluate_retrieval", &EvaluateRet, py::arg("index"), py::arg("questions"), py::arg("qrels"),
        py::arg("scoring"), py::arg("k1"), py::arg("b"), py::arg("reranker"));
  m.def("_inspect_model", &Inspect, py::arg("path"));
  m.def("_train_language_identifier", &TrainLangId, py::arg("options"), py::arg("progress"));
  m.def("_train_tagger", &TrainPos, py::arg("options"), py::arg("progress"));
  m.def("_train_segmenter", &TrainSeg, py::arg("options"), py::arg("progress"));
}

}  // namespace slimnlp::python
