// Reranker (load, rerank) and TrainReranker.
#include <algorithm>
#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "absl/strings/str_format.h"
#include "slimnlp/retrieval.h"
#include "src/core/classifier.h"
#include "src/core/file_io.h"
#include "src/core/line_reader.h"
#include "src/core/precomputed_examples.h"
#include "src/core/trainer.h"
#include "src/retrieval/rerank_features.h"

namespace slimnlp {

struct Reranker::Impl {
  core::Classifier model;
  int positive = 1;  // Index of label "1".
};

Reranker::Reranker(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Reranker::~Reranker() = default;

absl::StatusOr<std::unique_ptr<Reranker>> Reranker::Load(const std::string& path) {
  absl::StatusOr<std::string> bytes = core::ReadFileToString(path, core::kMaxModelFileBytes);
  if (!bytes.ok()) return bytes.status();
  return FromBytes(*bytes, path);
}

absl::StatusOr<std::unique_ptr<Reranker>> Reranker::FromBytes(std::string_view bytes, std::string_view source) {
  absl::StatusOr<core::Classifier> model = core::Classifier::ParseForTask(bytes, source, retrieval::kRerankTask, "reranker");
  if (!model.ok()) return model.status();
  const auto it = std::find(model->labels.begin(), model->labels.end(), "1");
  if (model->labels.size() != 2 || it == model->labels.end()) {
    return absl::DataLossError(std::string(source) + ": a reranker must have the labels 0 and 1");
  }
  auto impl = std::make_unique<Impl>();
  impl->positive = static_cast<int>(it - model->labels.begin());
  impl->model = *std::move(model);
  return std::unique_ptr<Reranker>(new Reranker(std::move(impl)));
}

namespace {

// P(holds the answer) of each hit, in hit order.
template <typename IndexT>  // Index or ShardedIndex.
absl::Status Probabilities(const core::Classifier& model, int positive, const IndexT& index, std::string_view query,
                           const std::vector<SearchHit>& hits, std::vector<float>* out) {
  thread_local core::FeatureBags bags;
  thread_local core::ClassifierScratch net;
  const retrieval::QuestionInfo q = retrieval::AnalyzeQuestion(query);
  out->clear();
  float probs[2];
  for (size_t r = 0; r < hits.size(); ++r) {
    absl::StatusOr<Document> doc = index.GetDocument(hits[r].doc);
    if (!doc.ok()) return doc.status();
    retrieval::RerankFeatures(q, *doc, r, hits[r].score, hits[0].score, &bags);
    model.Predict(bags, &net, probs);
    out->push_back(probs[positive]);
  }
  return absl::OkStatus();
}

template <typename IndexT>
absl::Status RerankHits(const core::Classifier& model, int positive, const IndexT& index, std::string_view query,
                        std::vector<SearchHit>* hits) {
  thread_local std::vector<float> p;
  if (absl::Status s = Probabilities(model, positive, index, query, *hits, &p); !s.ok()) return s;
  for (size_t i = 0; i < hits->size(); ++i) (*hits)[i].score = p[i];
  std::stable_sort(hits->begin(), hits->end(), [](const SearchHit& a, const SearchHit& b) { return a.score > b.score; });
  return absl::OkStatus();
}

}  // namespace

absl::Status Reranker::Rerank(const Index& index, std::string_view query, std::vector<SearchHit>* hits) const {
  return RerankHits(impl_->model, impl_->positive, index, query, hits);
}

absl::Status Reranker::Rerank(const ShardedIndex& index, std::string_view query, std::vector<SearchHit>* hits) const {
  return RerankHits(impl_->model, impl_->positive, index, query, hits);
}

absl::StatusOr<RerankTrainResult> TrainReranker(const RerankTrainOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  const auto say = [&](const std::string& s) {
    if (options.progress) options.progress(s);
  };
  if (options.sets.empty() || options.output_path.empty()) {
    return absl::InvalidArgumentError("training a reranker needs --index/--questions pairs and --out");
  }
  const std::vector<std::string> labels = {"0", "1"};
  std::vector<int> hidden;  // 0: no hidden layer, as for every other trainer.
  if (options.hidden != 0) hidden.push_back(options.hidden);
  absl::StatusOr<core::FeatureSpec> spec = core::FitToBudget(retrieval::RerankGroups(), hidden, labels, options.budget_bytes);
  if (!spec.ok()) return spec.status();
  core::PrecomputedExamples train(*spec, 0), dev(*spec, 0);
  core::FeatureBags bags;
  // Dev questions, kept to measure recall@1 before and after reranking: (index, question, gold ids, hits).
  struct DevQuestion {
    const ShardedIndex* index;
    std::string text;
    std::set<std::string> gold;
    std::vector<SearchHit> hits;
  };
  std::vector<std::unique_ptr<ShardedIndex>> indexes;
  std::vector<DevQuestion> dev_questions;
  RerankTrainResult result;
  SearchOptions search;
  search.k = options.candidates;
  for (const auto& [index_path, questions_path] : options.sets) {
    // Named as --index names one: a file, or a collection in shards (ResolveIndexPaths).
    absl::StatusOr<std::vector<std::string>> paths = ResolveIndexPaths(index_path);
    if (!paths.ok()) return paths.status();
    absl::StatusOr<std::unique_ptr<ShardedIndex>> index = ShardedIndex::Open(*paths);
    if (!index.ok()) return index.status();
    indexes.push_back(*std::move(index));
    const ShardedIndex& idx = *indexes.back();
    absl::StatusOr<std::unique_ptr<core::LineReader>> reader = core::LineReader::Open(questions_path, 1 << 20);
    if (!reader.ok()) return reader.status();
    std::string line;
    bool cut;
    std::vector<SearchHit> hits;
    while ((*reader)->Next(&line, &cut)) {
      if (line.empty()) continue;
      const nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
      if (j.is_discarded() || !j.is_object() || !j.contains("question") || !j["question"].is_string() ||
          !j.contains("gold") || !j["gold"].is_array()) {
        return absl::InvalidArgumentError(absl::StrFormat("%s:%d: expected {\"question\": ..., \"gold\": [...]}",
                                                          questions_path, (*reader)->line_number()));
      }
      std::set<std::string> gold;
      for (const auto& g : j["gold"])
        if (g.is_string()) gold.insert(g.get<std::string>());
      const std::string question = j["question"].get<std::string>();
      idx.Search(question, search, &hits);
      if (hits.empty()) continue;
      const bool is_dev = result.questions++ % 10 == 9;
      const retrieval::QuestionInfo q = retrieval::AnalyzeQuestion(question);
      for (size_t r = 0; r < hits.size(); ++r) {
        absl::StatusOr<Document> doc = idx.GetDocument(hits[r].doc);
        if (!doc.ok()) return doc.status();
        retrieval::RerankFeatures(q, *doc, r, hits[r].score, hits[0].score, &bags);
        (is_dev ? dev : train).Add(bags, gold.count(doc->id) ? 1 : 0);
      }
      if (is_dev) dev_questions.push_back({&idx, question, gold, hits});
    }
    if (!(*reader)->status().ok()) return (*reader)->status();
  }
  result.examples = train.size();
  say(absl::StrFormat("%d questions; %d training and %d dev candidates", result.questions, train.size(), dev.size()));
  core::TrainerOptions trainer;
  trainer.hidden = hidden;
  trainer.max_epochs = options.epochs;
  trainer.seed = options.seed;
  trainer.learning_rate = 0.003f;
  trainer.progress = options.progress;
  core::TrainReport report;
  absl::StatusOr<core::Classifier> model = core::TrainClassifier(*spec, labels, train, dev, trainer, &report);
  if (!model.ok()) return model.status();
  model->task = std::string(retrieval::kRerankTask);
  const auto recall_at_1 = [&](bool rerank) -> absl::StatusOr<double> {
    size_t hit = 0;
    std::vector<float> p;
    for (const DevQuestion& d : dev_questions) {
      size_t best = 0;
      if (rerank) {
        if (absl::Status s = Probabilities(*model, 1, *d.index, d.text, d.hits, &p); !s.ok()) return s;
        best = std::max_element(p.begin(), p.end()) - p.begin();
      }
      absl::StatusOr<Document> doc = d.index->GetDocument(d.hits[best].doc);
      if (!doc.ok()) return doc.status();
      hit += d.gold.count(doc->id);
    }
    return dev_questions.empty() ? 0.0 : static_cast<double>(hit) / dev_questions.size();
  };
  absl::StatusOr<double> before = recall_at_1(false), after = recall_at_1(true);
  if (!before.ok()) return before.status();
  if (!after.ok()) return after.status();
  result.dev_recall_at_1_before = *before;
  result.dev_recall_at_1_after = *after;
  say(absl::StrFormat("dev recall@1: %.4f first stage, %.4f reranked", *before, *after));
  core::RecordTraining(report, options.budget_bytes, options.sets.front().second, "every 10th training question",
                       options.seed, options.command_line, &*model);
  model->meta["train.candidates"] = std::to_string(options.candidates);
  model->meta["train.dev_recall_at_1"] = absl::StrFormat("%.4f before, %.4f after", *before, *after);
  absl::StatusOr<size_t> bytes = core::SaveWithinBudget(*model, options.budget_bytes, options.output_path);
  if (!bytes.ok()) return bytes.status();
  result.file_bytes = *bytes;
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace slimnlp
