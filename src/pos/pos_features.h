// What part-of-speech tagging feeds the engine: the feature groups of a tagger and the greedy decoder that
// training (dev accuracy) and inference share.
#ifndef SLIMNLP_SRC_POS_POS_FEATURES_H_
#define SLIMNLP_SRC_POS_POS_FEATURES_H_

#include <string_view>
#include <vector>

#include "src/core/budget.h"
#include "src/core/classifier.h"
#include "src/core/token_features.h"

namespace slimnlp::pos {

inline constexpr std::string_view kTask = "pos";

// The groups of a tagger with `tags` labels, and their shares of the budget; with `lexicon`, also the tlex
// groups that read the model's dictionary (pos_lexicon.h) for the token and its neighbours.
std::vector<core::GroupTemplate> DefaultGroups(size_t tags, bool lexicon = false);

// The groups that read the current token's own form (word, n-grams, affixes at offset 0): what training
// leaves out to simulate an unknown word.
std::vector<size_t> FormGroups(const core::FeatureSpec& spec);

struct Scratch {
  core::TokenScratch tokens;
  core::FeatureBags bags;
  core::ClassifierScratch net;
  std::vector<int> tags;
};

// Tags `tokens` (valid UTF-8, non-empty) left to right into scratch->tags (label indexes). The first
// `known` tokens keep the tags already in scratch->tags (context carried over from an earlier piece).
void TagGreedy(const core::Classifier& model, const core::TokenFeaturizer& featurizer,
               const std::vector<std::string_view>& tokens, Scratch* scratch, size_t known = 0);

}  // namespace slimnlp::pos

#endif  // SLIMNLP_SRC_POS_POS_FEATURES_H_
