#include "src/langid/langid_features.h"

#include "src/core/utf8.h"

namespace slimnlp::langid {

std::vector<core::GroupTemplate> DefaultGroups() {
  using core::FeatureKind;
  using core::OwnGroup;
  // Unigrams need few buckets (a few thousand characters matter); scripts fewer still (ICU has ~200).
  return {
      OwnGroup("c1", FeatureKind::kCharNgram, 1, 0, 16, 0.10, 512, 6000),
      OwnGroup("c2", FeatureKind::kCharNgram, 2, 0, 16, 0.25, 512),
      OwnGroup("c3", FeatureKind::kCharNgram, 3, 0, 16, 0.25, 512),
      OwnGroup("c4", FeatureKind::kCharNgram, 4, 0, 16, 0.20, 512),
      OwnGroup("w", FeatureKind::kWord, 0, 0, 16, 0.20, 512),
      OwnGroup("s", FeatureKind::kScript, 0, 0, 8, 0.01, 64, 64),
  };
}

size_t ExtractLangIdFeatures(const core::FeatureSpec& spec, std::string_view text, size_t max_bytes,
                             Scratch* scratch) {
  text = text.substr(0, core::Utf8SafePrefix(text, max_bytes));
  core::Decode(text, /*fold_case=*/true, text.size(), &scratch->text);
  return core::ExtractTextFeatures(spec, scratch->text.cps.data(), scratch->text.cps.size(), &scratch->features,
                                   &scratch->bags);
}

}  // namespace slimnlp::langid
