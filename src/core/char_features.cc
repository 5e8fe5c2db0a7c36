#include "src/core/char_features.h"

#include <algorithm>

#include "src/core/hash.h"
#include "src/core/text.h"

namespace slimnlp::core {

char32_t NormalizeForFeatures(char32_t cp) {
  if (cp < 0x80) {
    if (cp >= '0' && cp <= '9') return U'0';
    if (cp == ' ' || (cp >= '\t' && cp <= '\r')) return U' ';
    return (cp >= 'A' && cp <= 'Z') ? cp + 32 : cp;
  }
  if (cp == 0x3002) return U'.';  // Ideographic full stop: the legacy Chinese treebank writes '.'.
  const char32_t folded = FoldCase(WidthFold(cp));
  switch (ClassOf(folded)) {
    case CharClass::kDigit:
      return U'0';
    case CharClass::kSpace:
      return U' ';
    default:
      return folded;
  }
}

CharFeaturizer::CharFeaturizer(const FeatureSpec& spec, const Lexicon* lexicon) : spec_(spec), lexicon_(nullptr) {
  for (const auto& g : spec.groups) {
    seeds_.push_back(g.seed());
    if (g.kind == FeatureKind::kCharGram) max_order_ = std::max(max_order_, g.order);
    if (g.kind == FeatureKind::kCharLexicon && lexicon != nullptr && !lexicon->empty()) lexicon_ = lexicon;
  }
}

void CharFeaturizer::MatchLexicon(CharScratch* s) const {
  const size_t n = s->size;
  s->begins.assign(n, 0);
  s->ends.assign(n, 0);
  s->inside.assign(n, 0);
  const size_t longest = static_cast<size_t>(lexicon_->longest());
  const char32_t* cps = s->cps.data() + kMargin;
  for (size_t i = 0; i < n; ++i) {
    uint64_t state = Lexicon::Extend(Lexicon::kStart, cps[i]);
    for (size_t len = 2; len <= longest && i + len <= n; ++len) {
      if (len == Lexicon::kPrefixLength + 1 && !lexicon_->MayContinue(state)) break;
      state = Lexicon::Extend(state, cps[i + len - 1]);
      if (!lexicon_->MayContain(state, len)) continue;
      const uint8_t l = static_cast<uint8_t>(len);
      s->begins[i] = l;  // Lengths grow in this loop, so the last match is the longest.
      s->ends[i + len - 1] = std::max(s->ends[i + len - 1], l);
      for (size_t k = i + 1; k + 1 < i + len; ++k) s->inside[k] = std::max(s->inside[k], l);
    }
  }
}

void CharFeaturizer::Prepare(const char32_t* cps, size_t n, CharScratch* s) const {
  s->size = n;
  const size_t padded = n + 2 * kMargin;
  s->cps.assign(kMargin, kCharPadBefore);
  s->classes.assign(padded, 0);
  for (size_t i = 0; i < n; ++i) {
    const char32_t cp = cps[i];
    s->cps.push_back(NormalizeForFeatures(cp));
    const CharClass cls = cp < 0x80 ? (((cp | 32) >= 'a' && (cp | 32) <= 'z') ? CharClass::kLetter : ClassOf(cp))
                                    : ClassOf(cp);
    const char32_t key[2] = {static_cast<char32_t>(cls),
                             static_cast<char32_t>(cls == CharClass::kLetter ? ScriptOf(cp) : 0)};
    s->classes[kMargin + i] = HashCodepoints(key, 2, 0x4343);
  }
  s->cps.resize(padded + max_order_, kCharPadAfter);  // Room for the last n-grams to read past the end.
  s->grams.resize(size_t(max_order_) * padded);
  for (int order = 1; order <= max_order_; ++order) {
    uint32_t* out = s->grams.data() + size_t(order - 1) * padded;
    for (size_t p = 0; p < padded; ++p) out[p] = HashCodepoints(s->cps.data() + p, order, 0x4300u + order);
  }
  if (lexicon_ != nullptr) MatchLexicon(s);
}

void CharFeaturizer::Extract(const CharScratch& s, size_t i, const int* tags, FeatureBags* out) const {
  out->Reset(spec_.groups.size());
  const size_t padded = s.size + 2 * kMargin;
  for (size_t g = 0; g < spec_.groups.size(); ++g) {
    const FeatureGroupSpec& group = spec_.groups[g];
    const long j = static_cast<long>(i) + group.offset;
    uint32_t hash;
    switch (group.kind) {
      case FeatureKind::kPrevTag:
        // Id 0 is "before the text"; label k is id k + 1 (mod buckets).
        out->ids[g].push_back(j < 0 ? 0 : static_cast<uint32_t>(tags[j] + 1) % group.buckets);
        continue;
      case FeatureKind::kCharGram:
        hash = s.grams[size_t(group.order - 1) * padded + kMargin + j];
        break;
      case FeatureKind::kCharClass:
        hash = s.classes[kMargin + j];
        break;
      case FeatureKind::kCharLexicon: {
        if (lexicon_ == nullptr) continue;
        const uint8_t cap = static_cast<uint8_t>(group.order);
        const bool in = j >= 0 && j < static_cast<long>(s.size);
        const char32_t key[3] = {in ? std::min(s.begins[j], cap) : 0u, in ? std::min(s.ends[j], cap) : 0u,
                                 in ? std::min(s.inside[j], cap) : 0u};
        hash = HashCodepoints(key, 3, 0x4c58);
        break;
      }
      default:
        continue;
    }
    out->ids[g].push_back(BucketOf(Reseed(hash, seeds_[g]), group.buckets));
  }
}

}  // namespace slimnlp::core
