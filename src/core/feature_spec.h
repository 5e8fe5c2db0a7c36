// A FeatureSpec names the feature groups of a model: each group is an extractor, its settings, and the shape of
// its embedding table. It is stored as text in the model file, so a model describes itself:
//
//   c2=ngram(order=2,buckets=6000,dim=16,bits=8);w=word(buckets=4000,dim=16,bits=8);s=script(buckets=64,dim=8,bits=8)
//
// Kinds (the extractor of each is in text_features.h):
//   ngram(order=N)  character N-grams of the text, words wrapped in a space as boundary marker
//   word            whole words (runs of letters and marks), with their boundary markers
//   script          the ICU script of each letter
#ifndef SLIMNLP_SRC_CORE_FEATURE_SPEC_H_
#define SLIMNLP_SRC_CORE_FEATURE_SPEC_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace slimnlp::core {

enum class FeatureKind : uint8_t { kCharNgram, kWord, kScript };

struct FeatureGroupSpec {
  std::string name;
  FeatureKind kind = FeatureKind::kCharNgram;
  int order = 0;         // For kCharNgram: N (1..8).
  uint32_t buckets = 0;  // Rows of the embedding table (1..2^24).
  int dim = 0;           // Columns (1..1024).
  int bits = 8;          // 8 or 4: storage width of the quantized table.

  // Seed of the feature hash: Murmur3_32(name, 0x51A7) so that groups hash independently.
  uint32_t seed() const;
  // Bytes the quantized table takes: rows of packed values plus an fp16 scale each.
  size_t TableBytes() const;
};

struct FeatureSpec {
  std::vector<FeatureGroupSpec> groups;

  int InputDim() const;  // Sum of the group dims: the width of the network's input.
  std::string ToString() const;
  // Parses ToString's format; InvalidArgument naming the group and field on any error.
  static absl::StatusOr<FeatureSpec> Parse(std::string_view text);
};

// Bytes of one quantized row of `dim` values at `bits` (without its scale).
inline size_t PackedRowBytes(int dim, int bits) { return bits == 4 ? (static_cast<size_t>(dim) + 1) / 2 : dim; }

}  // namespace slimnlp::core

#endif  // SLIMNLP_SRC_CORE_FEATURE_SPEC_H_
