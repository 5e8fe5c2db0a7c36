// The reranker's features of (question, candidate paragraph): ids of small "ext" groups (feature_spec.h),
// computed here. Part of the reranker model format: changing an id's meaning needs a new model.
#ifndef SLIMNLP_SRC_RETRIEVAL_RERANK_FEATURES_H_
#define SLIMNLP_SRC_RETRIEVAL_RERANK_FEATURES_H_

#include <string_view>
#include <vector>

#include "slimnlp/retrieval.h"
#include "src/core/budget.h"
#include "src/core/text_features.h"

namespace slimnlp::retrieval {

inline constexpr std::string_view kRerankTask = "rerank";

std::vector<core::GroupTemplate> RerankGroups();

// What the features of one question need, computed once for all its candidates.
struct QuestionInfo {
  int type = 0;                        // what, who, when, where, which, why, how, how many/much, other
  std::vector<uint32_t> words;         // Content words (no stopwords), stemmed hashes, sorted and unique.
  std::vector<uint32_t> bigrams;       // Of adjacent content words, sorted and unique.
};
QuestionInfo AnalyzeQuestion(std::string_view question);

// Features of `doc` at first-stage `rank` (0-based) with `score` (the first hit's: `top_score`).
void RerankFeatures(const QuestionInfo& q, const Document& doc, size_t rank, float score, float top_score,
                    core::FeatureBags* bags);

}  // namespace slimnlp::retrieval

#endif  // SLIMNLP_SRC_RETRIEVAL_RERANK_FEATURES_H_
