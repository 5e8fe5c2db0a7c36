#include "src/core/token_features.h"

#include <algorithm>

#include "src/core/hash.h"
#include "src/core/text.h"
#include "src/core/utf8.h"

namespace slimnlp::core {
namespace {

constexpr uint32_t kPadBefore = 0xB05, kPadAfter = 0xE05;

char32_t ShapeClass(char32_t cp, char32_t folded) {
  if (cp >= '0' && cp <= '9') return U'd';
  const CharClass cls = cp < 0x80 ? (((cp | 32) >= 'a' && (cp | 32) <= 'z') ? CharClass::kLetter : CharClass::kPunct)
                                  : ClassOf(cp);
  switch (cls) {
    case CharClass::kLetter:
      return folded != cp ? U'X' : U'x';
    case CharClass::kDigit:
      return U'd';
    case CharClass::kMark:
      return 0;
    default:
      return cp;
  }
}

}  // namespace

void NormalizeToken(std::string_view text, std::u32string* out) {
  out->clear();
  for (size_t pos = 0; pos < text.size() && out->size() < kMaxTokenCodepoints;) {
    char32_t cp;
    size_t len;
    if (!DecodeUtf8(text, pos, &cp, &len)) cp = 0xFFFD;
    pos += len;
    cp = WidthFold(cp);
    const char32_t folded = FoldCase(cp);
    out->push_back(ShapeClass(cp, folded) == U'd' ? U'0' : folded);
  }
}

void TokenFeaturizer::AddLexiconIds(int32_t lexicon_class, uint32_t buckets, std::vector<uint32_t>* ids) const {
  const uint32_t c = lexicon_ == nullptr ? 0 : static_cast<uint32_t>(lexicon_->class_bits());
  if (lexicon_class == kOutside) {
    ids->push_back((c + 2) % buckets);
  } else if (lexicon_class < 0) {
    ids->push_back((c + 1) % buckets);
  } else {
    const uint32_t cls = static_cast<uint32_t>(lexicon_class);
    ids->push_back(c % buckets);
    for (uint32_t k = 0; k < c; ++k) {
      if ((cls >> k) & 1) ids->push_back(k % buckets);
    }
    if (buckets > c + 3) ids->push_back(c + 3 + ((cls * 0x9E3779B1u) >> 8) % (buckets - c - 3));
  }
}

TokenFeaturizer::TokenFeaturizer(const FeatureSpec& spec, const Lexicon* lexicon) : spec_(spec), lexicon_(nullptr) {
  for (const auto& g : spec.groups) {
    seeds_.push_back(g.seed());
    if (g.kind == FeatureKind::kTokenLexicon && lexicon != nullptr && !lexicon->empty()) lexicon_ = lexicon;
    if (g.kind == FeatureKind::kTokenNgram) max_ngram_order_ = std::max(max_ngram_order_, g.order);
    if (g.kind == FeatureKind::kTokenPrefix || g.kind == FeatureKind::kTokenSuffix) {
      max_affix_order_ = std::max(max_affix_order_, g.order);
    }
  }
}

void TokenFeaturizer::Prepare(const std::vector<std::string_view>& tokens, TokenScratch* s) const {
  s->tokens.resize(tokens.size());
  s->hashes.clear();
  for (size_t t = 0; t < tokens.size(); ++t) {
    TokenScratch::Token& tok = s->tokens[t];
    // Decode, width-fold and case-fold, map digits to '0'; keep the case-unfolded classes for the shape.
    s->cps.clear();
    s->shape.clear();
    s->cps.push_back(U' ');
    const std::string_view text = tokens[t];
    size_t length = 0;
    for (size_t pos = 0; pos < text.size() && length < kMaxTokenCodepoints;) {
      char32_t cp;
      size_t len;
      if (!DecodeUtf8(text, pos, &cp, &len)) cp = 0xFFFD;
      pos += len;
      ++length;
      cp = WidthFold(cp);  // Full-width forms read as their ASCII twins ("，" as ",").
      const char32_t folded = FoldCase(cp);
      const char32_t cls = ShapeClass(cp, folded);
      if (cls != 0 && (s->shape.empty() || s->shape.back() != cls)) s->shape.push_back(cls);
      s->cps.push_back(cls == U'd' ? U'0' : folded);
    }
    s->cps.push_back(U' ');
    s->shape.push_back(static_cast<char32_t>(std::min<size_t>(length, 8)));
    const char32_t* word = s->cps.data() + 1;
    tok.word = HashCodepoints(word, length, 0x57);
    tok.shape = HashCodepoints(s->shape.data(), s->shape.size(), 0x5348);
    tok.ngram_begin = static_cast<uint32_t>(s->hashes.size());
    tok.ngram_end[0] = tok.ngram_begin;
    for (int n = 1; n <= max_ngram_order_; ++n) {
      for (size_t i = 0; i + n <= s->cps.size(); ++i) {
        if (n == 1 && (i == 0 || i + 1 == s->cps.size())) continue;  // The boundary spaces alone say nothing.
        s->hashes.push_back(HashCodepoints(s->cps.data() + i, n, static_cast<uint32_t>(n)));
      }
      tok.ngram_end[n] = static_cast<uint32_t>(s->hashes.size());
    }
    tok.affixes = static_cast<uint32_t>(std::min<size_t>(length, max_affix_order_));
    tok.prefix_begin = static_cast<uint32_t>(s->hashes.size());
    for (uint32_t l = 1; l <= tok.affixes; ++l) s->hashes.push_back(HashCodepoints(word, l, 0x50));
    tok.suffix_begin = static_cast<uint32_t>(s->hashes.size());
    for (uint32_t l = 1; l <= tok.affixes; ++l) s->hashes.push_back(HashCodepoints(word + length - l, l, 0x53));
    tok.lexicon_class = -1;
    if (lexicon_ != nullptr && length <= static_cast<size_t>(lexicon_->longest())) {
      uint64_t state = Lexicon::kStart;
      for (size_t k = 0; k < length; ++k) state = Lexicon::Extend(state, word[k]);
      tok.lexicon_class = lexicon_->Find(state, length);
    }
  }
}

void TokenFeaturizer::Extract(const TokenScratch& s, size_t i, const int* tags, FeatureBags* out) const {
  out->Reset(spec_.groups.size());
  const long n = static_cast<long>(s.tokens.size());
  for (size_t g = 0; g < spec_.groups.size(); ++g) {
    const FeatureGroupSpec& group = spec_.groups[g];
    if (!IsTokenKind(group.kind)) continue;
    std::vector<uint32_t>& ids = out->ids[g];
    const uint32_t seed = seeds_[g];
    const long j = static_cast<long>(i) + group.offset;
    if (group.kind == FeatureKind::kPrevTag) {
      // Id 0 is "before the sentence"; label k is id k + 1 (mod buckets, which the trainer sets to labels + 1).
      ids.push_back(j < 0 ? 0 : static_cast<uint32_t>(tags[j] + 1) % group.buckets);
      continue;
    }
    if (group.kind == FeatureKind::kTokenLexicon) {
      AddLexiconIds(j < 0 || j >= n ? kOutside : s.tokens[j].lexicon_class, group.buckets, &ids);
      continue;
    }
    if (j < 0 || j >= n) {
      ids.push_back(BucketOf(Reseed(j < 0 ? kPadBefore : kPadAfter, seed), group.buckets));
      continue;
    }
    const TokenScratch::Token& tok = s.tokens[j];
    const auto add_range = [&](uint32_t begin, uint32_t end) {
      for (uint32_t k = begin; k < end; ++k) ids.push_back(BucketOf(Reseed(s.hashes[k], seed), group.buckets));
    };
    switch (group.kind) {
      case FeatureKind::kTokenWord:
        ids.push_back(BucketOf(Reseed(tok.word, seed), group.buckets));
        break;
      case FeatureKind::kTokenShape:
        ids.push_back(BucketOf(Reseed(tok.shape, seed), group.buckets));
        break;
      case FeatureKind::kTokenNgram:
        add_range(tok.ngram_end[group.order - 1], tok.ngram_end[group.order]);
        break;
      case FeatureKind::kTokenPrefix:
        add_range(tok.prefix_begin, tok.prefix_begin + std::min<uint32_t>(tok.affixes, group.order));
        break;
      case FeatureKind::kTokenSuffix:
        add_range(tok.suffix_begin, tok.suffix_begin + std::min<uint32_t>(tok.affixes, group.order));
        break;
      default:
        break;
    }
  }
}

}  // namespace slimnlp::core
