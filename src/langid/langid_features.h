// What language identification feeds the engine, shared by training and inference so both see a text the
// same way: cut to the byte cap, case folded, reduced to letters, then n-grams, words and scripts.
#ifndef SLIMNLP_SRC_LANGID_LANGID_FEATURES_H_
#define SLIMNLP_SRC_LANGID_LANGID_FEATURES_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "src/core/budget.h"
#include "src/core/classifier.h"
#include "src/core/text.h"
#include "src/core/text_features.h"

namespace slimnlp::langid {

inline constexpr std::string_view kTask = "langid";

// Per-thread buffers for one identification.
struct Scratch {
  core::DecodedText text;
  core::TextFeatureScratch features;
  core::FeatureBags bags;
  core::ClassifierScratch net;
  std::vector<float> probs;
};

// The groups of a language identifier and their shares of the budget.
std::vector<core::GroupTemplate> DefaultGroups();

// Extracts the features of `text` (valid UTF-8, at most `max_bytes` of it read) into scratch->bags. Returns
// the number of letters seen; 0 means the text has no linguistic evidence ("und").
size_t ExtractLangIdFeatures(const core::FeatureSpec& spec, std::string_view text, size_t max_bytes,
                             Scratch* scratch);

}  // namespace slimnlp::langid

#endif  // SLIMNLP_SRC_LANGID_LANGID_FEATURES_H_
