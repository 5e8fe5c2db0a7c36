#include "src/langid/langid_features.h"

#include "src/core/utf8.h"

namespace slimnlp::langid {

std::vector<core::GroupTemplate> DefaultGroups() {
  using core::FeatureKind;
  const auto group = [](const char* name, FeatureKind kind, int order, int dim, int bits) {
    core::FeatureGroupSpec g;
    g.name = name;
    g.kind = kind;
    g.order = order;
    g.dim = dim;
    g.bits = bits;
    return g;
  };
  // Unigrams need few buckets (a few thousand characters matter); scripts fewer still (ICU has ~200).
  return {
      {group("c1", FeatureKind::kCharNgram, 1, 16, 8), 0.10, 512, 6000},
      {group("c2", FeatureKind::kCharNgram, 2, 16, 8), 0.25, 512},
      {group("c3", FeatureKind::kCharNgram, 3, 16, 8), 0.25, 512},
      {group("c4", FeatureKind::kCharNgram, 4, 16, 8), 0.20, 512},
      {group("w", FeatureKind::kWord, 0, 16, 8), 0.20, 512},
      {group("s", FeatureKind::kScript, 0, 8, 8), 0.01, 64, 64},
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
