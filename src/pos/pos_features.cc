#include "src/pos/pos_features.h"

#include <algorithm>

namespace slimnlp::pos {

std::vector<core::GroupTemplate> DefaultGroups(size_t tags, bool lexicon) {
  using core::FeatureKind;
  using core::OwnGroup;
  using core::SharedGroup;
  const uint32_t tag_buckets = static_cast<uint32_t>(tags + 1);  // One bucket per tag plus "none".
  std::vector<core::GroupTemplate> groups = {
      // Words in a window of two each side, one table.
      OwnGroup("w0", FeatureKind::kTokenWord, 0, 0, 24, 0.55),
      SharedGroup("w-2", "w0", FeatureKind::kTokenWord, 0, -2),
      SharedGroup("w-1", "w0", FeatureKind::kTokenWord, 0, -1),
      SharedGroup("w+1", "w0", FeatureKind::kTokenWord, 0, 1),
      SharedGroup("w+2", "w0", FeatureKind::kTokenWord, 0, 2),
      // Character n-grams of the token (what carries unknown words), trigrams of its neighbours.
      OwnGroup("c2", FeatureKind::kTokenNgram, 2, 0, 16, 0.06),
      OwnGroup("c3", FeatureKind::kTokenNgram, 3, 0, 16, 0.10),
      OwnGroup("c4", FeatureKind::kTokenNgram, 4, 0, 16, 0.10),
      SharedGroup("c3-1", "c3", FeatureKind::kTokenNgram, 3, -1),
      SharedGroup("c3+1", "c3", FeatureKind::kTokenNgram, 3, 1),
      // Affixes: inflection lives there in most languages.
      OwnGroup("suf", FeatureKind::kTokenSuffix, 4, 0, 16, 0.08),
      SharedGroup("suf-1", "suf", FeatureKind::kTokenSuffix, 4, -1),
      SharedGroup("suf+1", "suf", FeatureKind::kTokenSuffix, 4, 1),
      OwnGroup("pre", FeatureKind::kTokenPrefix, 3, 0, 8, 0.03),
      // Shapes (capitals, digits, punctuation) around the token.
      OwnGroup("sh0", FeatureKind::kTokenShape, 0, 0, 8, 0.01, 64, 1024),
      SharedGroup("sh-1", "sh0", FeatureKind::kTokenShape, 0, -1),
      SharedGroup("sh+1", "sh0", FeatureKind::kTokenShape, 0, 1),
      // The tags already chosen for the two tokens before.
      OwnGroup("t-1", FeatureKind::kPrevTag, 0, -1, 8, 0.001, tag_buckets, tag_buckets),
      OwnGroup("t-2", FeatureKind::kPrevTag, 0, -2, 8, 0.001, tag_buckets, tag_buckets),
  };
  if (lexicon) {
    // 17 tag bits, three fixed ids and the whole ambiguity classes (token_features.h): a few hundred rows.
    groups.push_back(OwnGroup("lx0", FeatureKind::kTokenLexicon, 0, 0, 16, 0.001, 256, 256));
    groups.push_back(SharedGroup("lx-1", "lx0", FeatureKind::kTokenLexicon, 0, -1));
    groups.push_back(SharedGroup("lx+1", "lx0", FeatureKind::kTokenLexicon, 0, 1));
    groups.push_back(SharedGroup("lx+2", "lx0", FeatureKind::kTokenLexicon, 0, 2));
  }
  return groups;
}

std::vector<size_t> FormGroups(const core::FeatureSpec& spec) {
  std::vector<size_t> groups;
  for (size_t g = 0; g < spec.groups.size(); ++g) {
    const core::FeatureKind k = spec.groups[g].kind;
    if (spec.groups[g].offset == 0 && (k == core::FeatureKind::kTokenWord || k == core::FeatureKind::kTokenNgram ||
                                       k == core::FeatureKind::kTokenPrefix || k == core::FeatureKind::kTokenSuffix)) {
      groups.push_back(g);
    }
  }
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
