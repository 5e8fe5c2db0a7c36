#include "src/core/text_features.h"

#include "src/core/hash.h"
#include "src/core/text.h"

namespace slimnlp::core {
namespace {

bool IsLetterOrMark(char32_t cp, CharClass* cls) {
  if (cp < 0x80) {
    const bool alpha = (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
    *cls = alpha ? CharClass::kLetter : CharClass::kOther;
    return alpha;
  }
  *cls = ClassOf(cp);
  return *cls == CharClass::kLetter || *cls == CharClass::kMark;
}

}  // namespace

size_t ExtractTextFeatures(const FeatureSpec& spec, const char32_t* cps, size_t n, TextFeatureScratch* scratch,
                           FeatureBags* out) {
  bool want_scripts = false;
  for (const auto& g : spec.groups) want_scripts |= g.kind == FeatureKind::kScript;

  auto& stream = scratch->stream;
  auto& scripts = scratch->scripts;
  stream.clear();
  scripts.clear();
  stream.push_back(U' ');
  size_t letters = 0;
  for (size_t i = 0; i < n; ++i) {
    CharClass cls;
    if (IsLetterOrMark(cps[i], &cls)) {
      stream.push_back(cps[i]);
      ++letters;
      if (want_scripts && cls == CharClass::kLetter) scripts.push_back(cps[i] < 0x80 ? 25 : ScriptOf(cps[i]));
    } else if (stream.back() != U' ') {
      stream.push_back(U' ');
    }
  }
  if (stream.back() != U' ') stream.push_back(U' ');

  out->Reset(spec.groups.size());
  if (letters == 0) return 0;
  const size_t len = stream.size();
  for (size_t gi = 0; gi < spec.groups.size(); ++gi) {
    const FeatureGroupSpec& g = spec.groups[gi];
    const uint32_t seed = g.seed();
    std::vector<uint32_t>& ids = out->ids[gi];
    switch (g.kind) {
      case FeatureKind::kCharNgram: {
        const size_t order = static_cast<size_t>(g.order);
        for (size_t i = 0; i + order <= len; ++i) {
          if (order == 1 && stream[i] == U' ') continue;
          ids.push_back(BucketOf(HashCodepoints(&stream[i], order, seed), g.buckets));
        }
        break;
      }
      case FeatureKind::kWord: {
        size_t start = 0;  // Index of the space before the current word.
        for (size_t i = 1; i < len; ++i) {
          if (stream[i] != U' ') continue;
          const size_t word_len = i - start - 1;
          if (word_len > 0 && word_len <= kMaxWordFeatureLength) {
            ids.push_back(BucketOf(HashCodepoints(&stream[start], word_len + 2, seed), g.buckets));
          }
          start = i;
        }
        break;
      }
      case FeatureKind::kScript:
        for (int s : scripts) {
          const char32_t code = static_cast<char32_t>(s);
          ids.push_back(BucketOf(HashCodepoints(&code, 1, seed), g.buckets));
        }
        break;
    }
  }
  return letters;
}

}  // namespace slimnlp::core
