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
    if (g.kind == FeatureKind::kCharLexicon && lexicon != nullptr && !lexicon->empty()) {
      lexicon_ = lexicon;
      lex_order_ = static_cast<char32_t>(g.order);
    }
  }
}

void CharFeaturizer::MatchLexicon(CharScratch* s) const {
  const size_t n = s->size;
  for (auto* v : {&s->begins, &s->ends, &s->inside, &s->begin_class, &s->end_class, &s->inside_class}) v->assign(n, 0);
  const size_t longest = static_cast<size_t>(lexicon_->longest());
  const size_t shortest_run = std::min(longest, Lexicon::kPrefixLength);
  const char32_t* cps = s->cps.data() + kMargin;
  const auto record = [s](size_t i, size_t len, int found) {
    const uint8_t l = static_cast<uint8_t>(len), c = static_cast<uint8_t>(found);
    s->begins[i] = l;  // Lengths grow for each start, so the last match is the longest.
    s->begin_class[i] = c;
    if (l >= s->ends[i + len - 1]) {
      s->ends[i + len - 1] = l;
      s->end_class[i + len - 1] = c;
    }
    for (size_t k = i + 1; k + 1 < i + len; ++k) {
      if (l < s->inside[k]) continue;
      s->inside[k] = l;
      s->inside_class[k] = c;
    }
  };
  // A chunk of positions at a time: every key of the chunk is computed and its block asked for, then the
  // blocks are read, by which time most have arrived (the filter is larger than the cache).
  constexpr size_t kChunk = 64;
  uint64_t keys[kChunk][Lexicon::kPrefixLength];  // Words of 2..kPrefixLength, then the prefix for longer ones.
  uint64_t states[kChunk];                         // After kPrefixLength code points, to go on from.
  for (size_t c0 = 0; c0 < n; c0 += kChunk) {
    const size_t c1 = std::min(n, c0 + kChunk);
    for (size_t i = c0; i < c1; ++i) {
      uint64_t state = Lexicon::Extend(Lexicon::kStart, cps[i]);
      for (size_t len = 2; len <= shortest_run && i + len <= n; ++len) {
        state = Lexicon::Extend(state, cps[i + len - 1]);
        keys[i - c0][len - 2] = Lexicon::WordKey(state, len);
        lexicon_->Prefetch(keys[i - c0][len - 2]);
      }
      if (longest > Lexicon::kPrefixLength && i + Lexicon::kPrefixLength < n) {
        states[i - c0] = state;
        keys[i - c0][Lexicon::kPrefixLength - 1] = Lexicon::PrefixKey(state);
        lexicon_->Prefetch(keys[i - c0][Lexicon::kPrefixLength - 1]);
      }
    }
    for (size_t i = c0; i < c1; ++i) {
      for (size_t len = 2; len <= shortest_run && i + len <= n; ++len) {
        const int found = lexicon_->FindKey(keys[i - c0][len - 2]);
        if (found >= 0) record(i, len, found);
      }
      if (longest <= Lexicon::kPrefixLength || i + Lexicon::kPrefixLength >= n ||
          !lexicon_->MayContinueKey(keys[i - c0][Lexicon::kPrefixLength - 1])) {
        continue;
      }
      uint64_t state = states[i - c0];
      for (size_t len = Lexicon::kPrefixLength + 1; len <= longest && i + len <= n; ++len) {
        state = Lexicon::Extend(state, cps[i + len - 1]);
        const int found = lexicon_->Find(state, len);
        if (found >= 0) record(i, len, found);
      }
    }
  }
  // Each position's clex hash, once for all the groups that read it (they share one order: FeatureSpec::Parse).
  const char32_t outside[6] = {0, 0, 0, 0, 0, 0};
  s->lex_hashes.assign(n + 2 * kMargin, HashCodepoints(outside, 6, 0x4c58));
  for (size_t i = 0; i < n; ++i) {
    const char32_t key[6] = {std::min<char32_t>(s->begins[i], lex_order_), s->begin_class[i],
                             std::min<char32_t>(s->ends[i], lex_order_),   s->end_class[i],
                             std::min<char32_t>(s->inside[i], lex_order_), s->inside_class[i]};
    s->lex_hashes[kMargin + i] = HashCodepoints(key, 6, 0x4c58);
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
      case FeatureKind::kCharLexicon:
        if (lexicon_ == nullptr) continue;
        hash = s.lex_hashes[kMargin + j];
        break;
      default:
        continue;
    }
    out->ids[g].push_back(BucketOf(Reseed(hash, seeds_[g]), group.buckets));
  }
}

}  // namespace slimnlp::core
