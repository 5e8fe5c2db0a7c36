// Feature extraction for a character in a text (segmentation, tokenization): the character-kind groups of a
// FeatureSpec (cgram and cclass at an offset, and prevtag). Prepare hashes every n-gram of the text once; each
// group at each offset then only re-seeds (hash.h Reseed), as token_features.h does for tokens.
//
// Characters are normalized for features (NormalizeForFeatures): NFKC width folding (text.h WidthFold), case
// folding, every decimal digit to '0', every white space to ' ', the ideographic full stop to '.', and
// invalid bytes (decoded as U+FFFD) kept as U+FFFD. Raw hashes (part of the model format; golden values in
// tests/core/char_features_test.cc):
//   cgram N   HashCodepoints(N normalized code points from that position, 0x4300 + N)
//   cclass    HashCodepoints({CharClass, ICU script if a letter else 0}, 0x4343)
//   clex N    HashCodepoints({min(B, N), class of B, min(E, N), class of E, min(M, N), class of M}, 0x4c58),
//             where B, E and M are the lengths of the longest lexicon words (2 code points or more, up to the
//             lexicon's longest) that begin at, end at, and strictly contain the character (0 for none, class 0),
//             looked up on the normalized code points; a class is the lexicon's class of that word
// Positions outside the text are the code points kPadBefore / kPadAfter (above Unicode: they never occur in
// text), so n-grams overlapping an end say so.
#ifndef SLIMNLP_SRC_CORE_CHAR_FEATURES_H_
#define SLIMNLP_SRC_CORE_CHAR_FEATURES_H_

#include <cstdint>
#include <vector>

#include "src/core/feature_spec.h"
#include "src/core/lexicon.h"
#include "src/core/text_features.h"

namespace slimnlp::core {

inline constexpr char32_t kCharPadBefore = 0x110001, kCharPadAfter = 0x110002;

char32_t NormalizeForFeatures(char32_t cp);

// Per-text buffers; reused across texts (they only grow).
struct CharScratch {
  size_t size = 0;                  // Characters in the prepared text.
  std::vector<char32_t> cps;        // Normalized, with kMargin pads each side.
  std::vector<uint32_t> grams;      // grams[(n - 1) * cps.size() + p]: n-gram starting at padded position p.
  std::vector<uint32_t> classes;    // Per padded position.
  // Per character, the lexicon matches clex reads: lengths (B, E, M) and classes of the longest of each.
  std::vector<uint8_t> begins, ends, inside, begin_class, end_class, inside_class;
  std::vector<uint32_t> lex_hashes;  // Per padded position: the clex hash.
};

class CharFeaturizer {
 public:
  // `lexicon` is what clex groups read (a spec with clex groups and no lexicon gives them no ids); both must
  // outlive the featurizer.
  explicit CharFeaturizer(const FeatureSpec& spec, const Lexicon* lexicon = nullptr);

  // Hashes the n-grams and classes of `cps[0..n)` (code points as decoded, not normalized).
  void Prepare(const char32_t* cps, size_t n, CharScratch* scratch) const;

  // Fills `*out` with the features of character `i` of the prepared text. `tags[j]` (j < i) is the label
  // index decided for character j, read by prevtag groups.
  void Extract(const CharScratch& scratch, size_t i, const int* tags, FeatureBags* out) const;

 private:
  static constexpr size_t kMargin = 16;  // >= largest offset (8) + largest order (8).
  void MatchLexicon(CharScratch* scratch) const;

  const FeatureSpec& spec_;
  const Lexicon* lexicon_;  // Null when no group reads it.
  char32_t lex_order_ = 0;   // The order of the clex groups.
  std::vector<uint32_t> seeds_;
  int max_order_ = 1;
};

}  // namespace slimnlp::core

#endif  // SLIMNLP_SRC_CORE_CHAR_FEATURES_H_
