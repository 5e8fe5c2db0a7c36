#include "src/pos/pos_features.h"

#include <algorithm>

namespace slimnlp::pos {

std::vector<core::GroupTemplate> DefaultGroups(size_t tags) {
  using core::FeatureKind;
  std::vector<core::GroupTemplate> groups;
  const auto own = [&](const char* name, FeatureKind kind, int order, int offset, int dim, double share,
                       uint32_t min_buckets = 64, uint32_t max_buckets = 1u << 24) {
    core::FeatureGroupSpec g;
    g.name = name;
    g.kind = kind;
    g.order = order;
    g.offset = offset;
    g.dim = dim;
    groups.push_back({g, share, min_buckets, max_buckets});
  };
  const auto shared = [&](const char* name, const char* owner, FeatureKind kind, int order, int offset) {
    core::FeatureGroupSpec g;
    g.name = name;
    g.kind = kind;
    g.order = order;
    g.offset = offset;
    g.share = owner;
    groups.push_back({g, 0});
  };
  // Words in a window of two each side, one table.
  own("w0", FeatureKind::kTokenWord, 0, 0, 24, 0.55);
  shared("w-2", "w0", FeatureKind::kTokenWord, 0, -2);
  shared("w-1", "w0", FeatureKind::kTokenWord, 0, -1);
  shared("w+1", "w0", FeatureKind::kTokenWord, 0, 1);
  shared("w+2", "w0", FeatureKind::kTokenWord, 0, 2);
  // Character n-grams of the token (what carries unknown words), trigrams of its neighbours.
  own("c2", FeatureKind::kTokenNgram, 2, 0, 16, 0.06);
  own("c3", FeatureKind::kTokenNgram, 3, 0, 16, 0.10);
  own("c4", FeatureKind::kTokenNgram, 4, 0, 16, 0.10);
  shared("c3-1", "c3", FeatureKind::kTokenNgram, 3, -1);
  shared("c3+1", "c3", FeatureKind::kTokenNgram, 3, 1);
  // Affixes: inflection lives there in most languages.
  own("suf", FeatureKind::kTokenSuffix, 4, 0, 16, 0.08);
  shared("suf-1", "suf", FeatureKind::kTokenSuffix, 4, -1);
  shared("suf+1", "suf", FeatureKind::kTokenSuffix, 4, 1);
  own("pre", FeatureKind::kTokenPrefix, 3, 0, 8, 0.03);
  // Shapes (capitals, digits, punctuation) around the token.
  own("sh0", FeatureKind::kTokenShape, 0, 0, 8, 0.01, 64, 1024);
  shared("sh-1", "sh0", FeatureKind::kTokenShape, 0, -1);
  shared("sh+1", "sh0", FeatureKind::kTokenShape, 0, 1);
  // The tags already chosen for the two tokens before: one bucket per tag plus "none".
  const uint32_t tag_buckets = static_cast<uint32_t>(tags + 1);
  own("t-1", FeatureKind::kPrevTag, 0, -1, 8, 0.001, tag_buckets, tag_buckets);
  own("t-2", FeatureKind::kPrevTag, 0, -2, 8, 0.001, tag_buckets, tag_buckets);
  return groups;
}

void TagGreedy(const core::Classifier& model, const core::TokenFeaturizer& featurizer,
               const std::vector<std::string_view>& tokens, Scratch* s, size_t known) {
  featurizer.Prepare(tokens, &s->tokens);
  s->tags.resize(tokens.size(), 0);
  for (size_t i = known; i < tokens.size(); ++i) {
    featurizer.Extract(s->tokens, i, s->tags.data(), &s->bags);
    s->tags[i] = model.PredictBest(s->bags, &s->net);
  }
}

}  // namespace slimnlp::pos
