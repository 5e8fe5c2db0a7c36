// A lexicon: a set of words (code point sequences, normalized as the features that read them are), kept as a
// blocked Bloom filter, so a model can ask "is this substring a word?" for the price of a few bits a word
// instead of the words themselves. The clex feature kind (char_features.h) reads it; a false positive rate
// near 1% is noise the network is trained with, since training sees the same filter.
//
// The hash is part of the model format (golden values in tests/core/lexicon_test.cc):
//   state(w)  = FNV-1a 64 over the code points of w, each as one 64-bit step: h = (h ^ cp) * 0x100000001b3,
//               from h = 0xcbf29ce484222325; a longer word extends its prefix's state (one step a character)
//   key(w)    = fmix64(state(w) ^ length(w))                     (MurmurHash3's 64-bit finalizer)
//   block     = (key >> 32) * blocks >> 32                       (one 512-bit block a word)
//   bits      = `probes` 9-bit fields of fmix64(key + 0x9e3779b97f4a7c15), lowest first: the bits set in it
// A word longer than kPrefixLength code points also sets the key fmix64(state(p) ^ 0x100 ^ kPrefixLength) of
// its prefix p of that length, so a lookup of longer words can stop where no word goes on: few lookups for
// long lengths, so few false matches there.
//
// Section layout (little-endian): u32 format (1), u32 words, u32 blocks, u32 probes, u32 longest word, then
// blocks x 8 u64 of bits. Parse checks every field and the exact size before the filter is used.
#ifndef SLIMNLP_SRC_CORE_LEXICON_H_
#define SLIMNLP_SRC_CORE_LEXICON_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace slimnlp::core {

class Lexicon {
 public:
  static constexpr uint64_t kStart = 0xcbf29ce484222325ull;
  static uint64_t Extend(uint64_t state, char32_t cp) { return (state ^ cp) * 0x100000001b3ull; }
  static constexpr size_t kPrefixLength = 4;

  // A filter of `words` (duplicates are fine) with about `bits_per_word` bits each (at least one block).
  // Words longer than `longest` code points are left out; so are empty ones.
  static Lexicon Build(const std::vector<std::u32string>& words, double bits_per_word, int longest);

  bool empty() const { return words_ == 0; }
  uint32_t words() const { return words_; }
  int longest() const { return longest_; }
  // Whether the word whose state (Extend over its code points from kStart) is `state` and whose length is
  // `length` may be in the set: always true for a member, true for about 1% of others.
  bool MayContain(uint64_t state, size_t length) const;
  // Whether some word longer than kPrefixLength may begin with the kPrefixLength code points of `state`.
  bool MayContinue(uint64_t state) const;

  size_t MemoryBytes() const { return bits_.size() * sizeof(uint64_t); }
  std::string Serialize() const;
  // DataLoss naming `what` for any field out of range or a size that does not match.
  static absl::StatusOr<Lexicon> Parse(std::string_view data, std::string_view what);

 private:
  void Insert(uint64_t key);
  bool MayHold(uint64_t key) const;
  uint32_t words_ = 0, blocks_ = 0, probes_ = 0;
  int longest_ = 0;
  std::vector<uint64_t> bits_;  // blocks_ x 8 words.
};

}  // namespace slimnlp::core

#endif  // SLIMNLP_SRC_CORE_LEXICON_H_
