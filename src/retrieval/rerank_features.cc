#include "src/retrieval/rerank_features.h"

#include <algorithm>
#include <cmath>

#include "src/core/hash.h"
#include "src/retrieval/terms.h"

namespace slimnlp::retrieval {
namespace {

constexpr int kTypes = 9;
constexpr uint32_t kFlags = kStem | kStopwords;

// Sorted, unique content-word hashes and bigrams of `text`.
void ContentTerms(std::string_view text, std::vector<uint32_t>* words, std::vector<uint32_t>* bigrams) {
  thread_local std::vector<uint32_t> hashes;
  thread_local std::vector<bool> stop;
  WordHashes(text, &hashes, nullptr, kFlags, &stop);
  words->clear();
  bigrams->clear();
  for (size_t i = 0; i < hashes.size(); ++i) {
    if (stop[i]) continue;
    words->push_back(hashes[i]);
    if (i + 1 < hashes.size() && !stop[i + 1]) bigrams->push_back(hashes[i] * 0x9E3779B1u + hashes[i + 1]);
  }
  for (auto* v : {words, bigrams}) {
    std::sort(v->begin(), v->end());
    v->erase(std::unique(v->begin(), v->end()), v->end());
  }
}

size_t Covered(const std::vector<uint32_t>& wanted, const std::vector<uint32_t>& have) {
  size_t n = 0;
  for (uint32_t w : wanted) n += std::binary_search(have.begin(), have.end(), w);
  return n;
}

uint32_t Tenths(size_t part, size_t whole) { return whole == 0 ? 11 : static_cast<uint32_t>(10 * part / whole); }

}  // namespace

std::vector<core::GroupTemplate> RerankGroups() {
  using core::FeatureKind;
  const auto g = [](const char* name, uint32_t buckets) {
    return core::OwnGroup(name, FeatureKind::kExternal, 0, 0, 8, 1, buckets, buckets);
  };
  return {
      g("type", kTypes),           g("rank", 6),           g("score", 11),
      g("words", 12),              g("bigrams", 12),       g("title", 12),
      g("type_words", kTypes * 12), g("type_number", kTypes * 2), g("qlen", 11),
      g("dlen", 16),               g("rank_words", 6 * 12),
  };
}

QuestionInfo AnalyzeQuestion(std::string_view question) {
  QuestionInfo q;
  std::vector<uint32_t> hashes;
  std::vector<std::string> forms;
  WordHashes(question, &hashes, &forms);
  static const char* kWh[] = {"what", "who", "when", "where", "which", "why", "how"};
  q.type = kTypes - 1;
  for (size_t i = 0; i < forms.size() && q.type == kTypes - 1; ++i) {
    for (int t = 0; t < 7; ++t) {
      if (forms[i] != kWh[t] && !(t == 1 && (forms[i] == "whom" || forms[i] == "whose"))) continue;
      q.type = t;
      if (t == 6 && i + 1 < forms.size() && (forms[i + 1] == "many" || forms[i + 1] == "much")) q.type = 7;
      break;
    }
  }
  ContentTerms(question, &q.words, &q.bigrams);
  return q;
}

void RerankFeatures(const QuestionInfo& q, const Document& doc, size_t rank, float score, float top_score,
                    core::FeatureBags* bags) {
  thread_local std::vector<uint32_t> words, bigrams, title_words, title_bigrams;
  ContentTerms(doc.text, &words, &bigrams);
  ContentTerms(doc.title, &title_words, &title_bigrams);
  const size_t covered = Covered(q.words, words) + 0;
  const uint32_t word_tenths = Tenths(covered, q.words.size());
  const uint32_t rank_bucket = rank == 0 ? 0 : rank == 1 ? 1 : rank == 2 ? 2 : rank < 5 ? 3 : rank < 10 ? 4 : 5;
  const bool has_number = std::any_of(doc.text.begin(), doc.text.end(), [](char c) { return c >= '0' && c <= '9'; });
  const uint32_t ids[] = {
      static_cast<uint32_t>(q.type),
      rank_bucket,
      top_score > 0 ? std::min<uint32_t>(10, static_cast<uint32_t>(10 * score / top_score)) : 0,
      word_tenths,
      Tenths(Covered(q.bigrams, bigrams), q.bigrams.size()),
      Tenths(Covered(q.words, title_words), q.words.size()),
      static_cast<uint32_t>(q.type) * 12 + word_tenths,
      static_cast<uint32_t>(q.type) * 2 + has_number,
      std::min<uint32_t>(10, static_cast<uint32_t>(q.words.size())),
      std::min<uint32_t>(15, static_cast<uint32_t>(std::log2(1 + words.size()))),
      rank_bucket * 12 + word_tenths,
  };
  bags->Reset(std::size(ids));
  for (size_t g = 0; g < std::size(ids); ++g) bags->ids[g].push_back(ids[g]);
}

}  // namespace slimnlp::retrieval
