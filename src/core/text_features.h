// Feature extraction from a whole text (language identification): character n-grams, words and scripts, each
// hashed into its group's buckets. The text is reduced to its letters first: every run of anything else (space,
// digits, punctuation, symbols) becomes one space, and a space wraps the ends, so " word " carries its
// boundaries into the n-grams ("^w" and "d$" in the usual notation).
#ifndef SLIMNLP_SRC_CORE_TEXT_FEATURES_H_
#define SLIMNLP_SRC_CORE_TEXT_FEATURES_H_

#include <cstdint>
#include <vector>

#include "src/core/feature_spec.h"

namespace slimnlp::core {

// The hashed ids of each group, in group order. Reused across calls: clearing keeps the capacity.
struct FeatureBags {
  std::vector<std::vector<uint32_t>> ids;

  void Reset(size_t groups) {
    ids.resize(groups);
    for (auto& v : ids) v.clear();
  }
};

// Per-thread buffers for the extractor.
struct TextFeatureScratch {
  std::vector<char32_t> stream;
  std::vector<int> scripts;
};

// Words longer than this (in code points) give no word feature: in unsegmented scripts a "word" is a phrase.
inline constexpr size_t kMaxWordFeatureLength = 24;

// Fills `*out` with the features of `cps[0..n)` (already case folded if the model wants that) for every
// group of `spec`. Returns the number of letters and marks seen: 0 means there is no linguistic evidence.
size_t ExtractTextFeatures(const FeatureSpec& spec, const char32_t* cps, size_t n, TextFeatureScratch* scratch,
                           FeatureBags* out);

}  // namespace slimnlp::core

#endif  // SLIMNLP_SRC_CORE_TEXT_FEATURES_H_
