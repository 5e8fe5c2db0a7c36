// Feature extraction for a token in a sequence (tagging): the token-kind groups of a FeatureSpec (tword,
// tngram, tprefix, tsuffix, tshape at an offset, and prevtag). Each token's hashes are computed once per
// sentence by Prepare, then every group at every offset only re-seeds them (hash.h Reseed), so a window of
// five words costs five lookups, not five hashings.
//
// Raw hashes (part of the model format; golden values in tests/core/token_features_test.cc), over the token's
// code points width folded (text.h WidthFold) and case folded, with every decimal digit mapped to '0', cut at
// kMaxTokenCodepoints:
//   word      HashCodepoints(token, 0x57)
//   ngram N   HashCodepoints(N code points of " token ", N)
//   prefix L  HashCodepoints(first L, 0x50); suffix L: HashCodepoints(last L, 0x53)
//   shape     HashCodepoints(shape, 0x5348) where shape maps upper-case letters to 'X', other letters to 'x',
//             digits to 'd', drops marks, keeps other characters, collapses runs, and ends with min(length, 8)
// Positions outside the sentence get one padding id per side: Reseed(0xB05 or 0xE05, seed).
//
// tlex ids (not hashed; C = the lexicon's class bits, B = the group's buckets, every id taken mod B): the token,
// normalized as above, looked up whole in the model's lexicon; found: C, each set class bit k as k, and the
// whole class as C + 3 + (class * 0x9E3779B1 >> 8) mod (B - C - 3); not found: C + 1; outside the sentence:
// C + 2. Found, for a tagger, is "a dictionary knows this word"; the bits are the tags it allows.
#ifndef SLIMNLP_SRC_CORE_TOKEN_FEATURES_H_
#define SLIMNLP_SRC_CORE_TOKEN_FEATURES_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "src/core/feature_spec.h"
#include "src/core/lexicon.h"
#include "src/core/text_features.h"

namespace slimnlp::core {

inline constexpr size_t kMaxTokenCodepoints = 64;
inline constexpr int kMaxAffixOrder = 8;

// Per-sentence buffers; reused across sentences (they only grow).
struct TokenScratch {
  struct Token {
    uint32_t word = 0, shape = 0;
    uint32_t ngram_begin = 0;                           // Into `hashes`: for each order 1..8, its n-grams.
    std::array<uint32_t, kMaxAffixOrder + 2> ngram_end{};  // ngram_end[n] = end of order n's run.
    uint32_t prefix_begin = 0, suffix_begin = 0, affixes = 0;  // `affixes` hashes each, lengths 1..affixes.
    int32_t lexicon_class = -1;                               // Lexicon::Find of the token; -1: not in it.
  };
  std::vector<Token> tokens;
  std::vector<uint32_t> hashes;
  std::vector<char32_t> cps;
  std::vector<char32_t> shape;
};

// The code points of `token` as every token feature sees them (width folded, case folded, digits as '0', cut at
// kMaxTokenCodepoints; invalid UTF-8 as U+FFFD): what a lexicon for tlex groups must hold.
void NormalizeToken(std::string_view token, std::u32string* out);

class TokenFeaturizer {
 public:
  // `lexicon` (may be null, or empty) is what tlex groups read; it must outlive the featurizer.
  explicit TokenFeaturizer(const FeatureSpec& spec, const Lexicon* lexicon = nullptr);

  // Computes the hashes of every token (valid UTF-8 each) of a sentence.
  void Prepare(const std::vector<std::string_view>& tokens, TokenScratch* scratch) const;

  // Fills `*out` with the features of token `i` of the prepared sentence. `tags[j]` (j < i) is the label index
  // decided for token j, read by prevtag groups.
  void Extract(const TokenScratch& scratch, size_t i, const int* tags, FeatureBags* out) const;

 private:
  static constexpr int32_t kOutside = -2;  // A window position before or after the sentence.
  void AddLexiconIds(int32_t lexicon_class, uint32_t buckets, std::vector<uint32_t>* ids) const;

  const FeatureSpec& spec_;
  const Lexicon* lexicon_;  // Null unless a tlex group reads a non-empty lexicon.
  std::vector<uint32_t> seeds_;
  int max_ngram_order_ = 0;
  int max_affix_order_ = 0;
};

}  // namespace slimnlp::core

#endif  // SLIMNLP_SRC_CORE_TOKEN_FEATURES_H_
