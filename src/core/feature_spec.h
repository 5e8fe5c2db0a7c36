// A FeatureSpec names the feature groups of a model: each group is an extractor, its settings, and the shape of
// its embedding table. It is stored as text in the model file, so a model describes itself:
//
//   c2=ngram(order=2,buckets=6000,dim=16,bits=8);w0=tword(offset=0,buckets=20000,dim=32,bits=8);w1=tword(offset=1,share=w0)
//
// Kinds over a whole text (extractor: text_features.h):
//   ngram(order=N)       character N-grams, words wrapped in a space as boundary marker
//   word                 whole words (runs of letters and marks), with their boundary markers
//   script               the ICU script of each letter
// Kinds over a token in a sequence, at `offset` from the current one (extractor: token_features.h):
//   tword                the case-folded token
//   tngram(order=N)      character N-grams of the case-folded token wrapped in spaces
//   tprefix(order=N)     its prefixes of 1..N characters; tsuffix(order=N) its suffixes
//   tshape               its shape: character classes with runs collapsed ("Xx", "dd.d", "x-x"), and length
//   tlex                 what the model's lexicon (lexicon.h) says of the token: not in it, or in it with its
//                        class bits (for a tagger, the tags a dictionary allows the word) and the whole class
//   prevtag              the label decided for that (earlier) token: offset < 0
// Kinds over a character in a text (segmentation), at `offset` from the current one (char_features.h):
//   cgram(order=N)       the N characters starting there, normalized as char_features.h says
//   cclass               that character's class (letter of which script, digit, space, punctuation, ...)
//   clex(order=N)        which words of the model's lexicon (lexicon.h) begin at, end at and run across that
//                        character: the longest of each, capped at N characters
//   prevtag              as above, for the label of an earlier character
//
// Kind for features a task extracts itself (the retrieval reranker's overlap buckets, question types, ...):
//   ext                  ids given by the task, already within buckets
//
// `share=G` makes a group use group G's table (G must come first and own one): the same word gets the same
// row at every offset, so tables are not paid for five times. Its buckets, dim and bits are G's.
#ifndef SLIMNLP_SRC_CORE_FEATURE_SPEC_H_
#define SLIMNLP_SRC_CORE_FEATURE_SPEC_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace slimnlp::core {

enum class FeatureKind : uint8_t {
  kCharNgram, kWord, kScript,                                              // Text kinds.
  kTokenWord, kTokenNgram, kTokenPrefix, kTokenSuffix, kTokenShape, kPrevTag,  // Token kinds.
  kTokenLexicon,                                                               // (token kind)
  kCharGram, kCharClass, kCharLexicon,                                         // Character kinds (+ prevtag).
  kExternal                                                                    // Ids a task computes itself.
};

// Whether the kind reads the model's lexicon (clex, tlex): such a model must carry one.
bool ReadsLexicon(FeatureKind kind);

// Whether token_features.h (resp. char_features.h) extracts the kind; both take prevtag.
bool IsTokenKind(FeatureKind kind);
bool IsCharKind(FeatureKind kind);

struct FeatureGroupSpec {
  std::string name;
  FeatureKind kind = FeatureKind::kCharNgram;
  int order = 0;         // N for ngram kinds (1..8) and the longest affix (1..8).
  int offset = 0;        // Token and character kinds: position relative to the current one (-8..8).
  std::string share;     // Name of the group whose table this one uses; empty: its own table.
  uint32_t buckets = 0;  // Rows of the embedding table (1..2^24).
  int dim = 0;           // Columns (1..1024).
  int bits = 8;          // 8 or 4: storage width of the quantized table.

  // The name of the table this group reads: `share` or its own name.
  const std::string& table_name() const { return share.empty() ? name : share; }
  // Seed of the feature hash: Murmur3_32(table_name(), 0x51A7), so tables hash independently and groups
  // sharing a table hash alike.
  uint32_t seed() const;
  // Bytes the quantized table takes: rows of packed values plus an fp16 scale each (0 for a shared table).
  size_t TableBytes() const;
};

struct FeatureSpec {
  std::vector<FeatureGroupSpec> groups;

  int InputDim() const;  // Sum of the group dims: the width of the network's input.
  // Index into the list of tables (one per group that owns one, in group order) of each group's table.
  std::vector<int> TableOf() const;
  // The groups that own a table, in order.
  std::vector<size_t> TableOwners() const;
  std::string ToString() const;
  // Parses ToString's format; InvalidArgument naming the group and field on any error.
  static absl::StatusOr<FeatureSpec> Parse(std::string_view text);
};

// Bytes of one quantized row of `dim` values at `bits` (without its scale).
inline size_t PackedRowBytes(int dim, int bits) { return bits == 4 ? (static_cast<size_t>(dim) + 1) / 2 : dim; }

}  // namespace slimnlp::core

#endif  // SLIMNLP_SRC_CORE_FEATURE_SPEC_H_
