// EvaluateRetrieval: recall@k of the gold documents and of answer strings, MRR, nDCG@10, latency.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "slimnlp/retrieval.h"
#include "src/core/line_reader.h"
#include "src/retrieval/terms.h"

namespace slimnlp {
namespace {

struct Question {
  std::string id, text;
  std::vector<std::string> answers;
  std::set<std::string> gold;
};

absl::StatusOr<std::map<std::string, std::set<std::string>>> ReadQrels(const std::string& path) {
  absl::StatusOr<std::unique_ptr<core::LineReader>> r = core::LineReader::Open(path, 1 << 20);
  if (!r.ok()) return r.status();
  std::map<std::string, std::set<std::string>> gold;
  std::string line;
  bool cut;
  while ((*r)->Next(&line, &cut)) {
    std::vector<std::string> f = absl::StrSplit(line, '\t');
    if ((*r)->line_number() == 1 && !f.empty() && f[0] == "query-id") continue;
    if (line.empty()) continue;
    if (f.size() < 3) return absl::InvalidArgumentError(absl::StrFormat("%s:%d: expected 3 tab-separated fields", path, (*r)->line_number()));
    if (f[2] != "0") gold[f[0]].insert(f[1]);
  }
  if (!(*r)->status().ok()) return (*r)->status();
  return gold;
}

absl::StatusOr<std::vector<Question>> ReadQuestions(const RetrievalEvalOptions& o) {
  std::map<std::string, std::set<std::string>> qrels;
  if (!o.qrels_path.empty()) {
    absl::StatusOr<std::map<std::string, std::set<std::string>>> q = ReadQrels(o.qrels_path);
    if (!q.ok()) return q.status();
    qrels = *std::move(q);
  }
  absl::StatusOr<std::unique_ptr<core::LineReader>> r = core::LineReader::Open(o.questions_path, 1 << 20);
  if (!r.ok()) return r.status();
  std::vector<Question> out;
  std::string line;
  bool cut;
  while ((*r)->Next(&line, &cut)) {
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    const auto bad = [&](const std::string& why) {
      return absl::InvalidArgumentError(absl::StrFormat("%s:%d: %s", o.questions_path, (*r)->line_number(), why));
    };
    const nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return bad("not a JSON object");
    Question q;
    const bool beir = !o.qrels_path.empty();
    const auto id = j.find(beir ? "_id" : "id");
    const auto text = j.find(beir ? "text" : "question");
    if (id == j.end() || !id->is_string() || text == j.end() || !text->is_string()) {
      return bad(beir ? "needs string \"_id\" and \"text\"" : "needs string \"id\" and \"question\"");
    }
    q.id = id->get<std::string>();
    q.text = text->get<std::string>();
    if (beir) {
      const auto it = qrels.find(q.id);
      if (it == qrels.end()) continue;  // Not in this split.
      q.gold = it->second;
    } else {
      for (const char* key : {"answers", "gold"}) {
        const auto a = j.find(key);
        if (a == j.end()) continue;
        if (!a->is_array()) return bad(absl::StrFormat("\"%s\" must be an array of strings", key));
        for (const auto& v : *a) {
          if (!v.is_string()) return bad(absl::StrFormat("\"%s\" must be an array of strings", key));
          (std::string(key) == "gold" ? static_cast<void>(q.gold.insert(v.get<std::string>()))
                                      : q.answers.push_back(v.get<std::string>()));
        }
      }
    }
    if (!q.gold.empty()) out.push_back(std::move(q));
  }
  if (!(*r)->status().ok()) return (*r)->status();
  return out;
}

// Whether an answer's words (`answer`, as WordHashes) occur, in order and adjacent, among `doc_words`.
bool HasAnswer(const std::vector<uint32_t>& doc_words, const std::vector<uint32_t>& answer) {
  if (answer.empty() || answer.size() > doc_words.size()) return false;
  return std::search(doc_words.begin(), doc_words.end(), answer.begin(), answer.end()) != doc_words.end();
}

template <typename IndexT>  // Index or ShardedIndex.
absl::StatusOr<RetrievalEvalReport> Evaluate(const IndexT& index, const RetrievalEvalOptions& options) {
  absl::StatusOr<std::vector<Question>> questions = ReadQuestions(options);
  if (!questions.ok()) return questions.status();
  SearchOptions search = options.search;
  search.k = std::max<size_t>(search.k, 20);
  constexpr size_t kCuts[3] = {1, 5, 20};
  RetrievalEvalReport r;
  std::vector<double> latencies;
  std::vector<SearchHit> hits;
  std::vector<uint32_t> words;
  std::vector<std::vector<uint32_t>> answers;
  for (const Question& q : *questions) {
    answers.resize(q.answers.size());
    for (size_t a = 0; a < q.answers.size(); ++a) retrieval::WordHashes(q.answers[a], &answers[a]);
    const auto start = std::chrono::steady_clock::now();
    index.Search(q.text, search, &hits);
    if (options.reranker) {
      if (absl::Status s = options.reranker->Rerank(index, q.text, &hits); !s.ok()) return s;
    }
    latencies.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    size_t first_gold = SIZE_MAX, first_answer = SIZE_MAX;
    double dcg = 0;
    for (size_t rank = 0; rank < hits.size() && rank < 20; ++rank) {
      absl::StatusOr<Document> doc = index.GetDocument(hits[rank].doc);
      if (!doc.ok()) return doc.status();
      if (q.gold.count(doc->id)) {
        first_gold = std::min(first_gold, rank);
        if (rank < 10) dcg += 1 / std::log2(rank + 2.0);
      }
      if (!q.answers.empty() && first_answer == SIZE_MAX) {
        retrieval::WordHashes(doc->text, &words);
        for (const auto& a : answers) {
          if (HasAnswer(words, a)) {
            first_answer = rank;
            break;
          }
        }
      }
    }
    double ideal = 0;
    for (size_t i = 0; i < std::min<size_t>(q.gold.size(), 10); ++i) ideal += 1 / std::log2(i + 2.0);
    r.ndcg_at_10 += dcg / ideal;
    ++r.questions;
    if (!q.answers.empty()) ++r.questions_with_answers;
    for (int c = 0; c < 3; ++c) {
      r.recall_at[c] += first_gold < kCuts[c];
      r.answer_recall_at[c] += first_answer < kCuts[c];
    }
    if (first_gold != SIZE_MAX) r.mrr += 1.0 / (first_gold + 1);
  }
  if (r.questions == 0) return absl::InvalidArgumentError(options.questions_path + ": no question with a gold document");
  for (int c = 0; c < 3; ++c) {
    r.recall_at[c] /= r.questions;
    if (r.questions_with_answers) r.answer_recall_at[c] /= r.questions_with_answers;
  }
  r.mrr /= r.questions;
  r.ndcg_at_10 /= r.questions;
  std::sort(latencies.begin(), latencies.end());
  const double quantiles[3] = {0.5, 0.9, 0.99};
  for (int i = 0; i < 3; ++i) {
    r.latency_ms[i] = latencies[std::min(latencies.size() - 1, static_cast<size_t>(quantiles[i] * latencies.size()))];
  }
  return r;
}

}  // namespace

absl::StatusOr<RetrievalEvalReport> EvaluateRetrieval(const Index& index, const RetrievalEvalOptions& options) {
  return Evaluate(index, options);
}

absl::StatusOr<RetrievalEvalReport> EvaluateRetrieval(const ShardedIndex& index, const RetrievalEvalOptions& options) {
  return Evaluate(index, options);
}

}  // namespace slimnlp
