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
// A word may have a class (0 .. 2^class_bits - 1: how frequent it is, what kind of word): each set bit k of it
// sets, in the word's own block, the bits of fmix64(key(w) + 0x9e3779b97f4a7c15 * (k + 2)), so a class is
// read from the cache line its word was found in.
//
// Only a lexicon whose words are matched inside running text (clex) needs the prefix keys; one that is asked
// about whole tokens (tlex) leaves them out and saves their bits.
//
// Section layout (little-endian): u32 format (1 or 2), u32 words, u32 blocks, u32 probes, u32 longest word, u32
// class bits, in format 2 a u32 of flags (bit 0: prefix keys set; format 1 always sets them), then blocks x 8
// u64 of bits. Parse checks every field and the exact size before the filter is used.
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

  static constexpr int kMaxClassBits = 24;
  struct Word {
    std::u32string text;
    uint32_t word_class = 0;  // Below 2^class_bits.
  };
  // A filter of `words` with about `bits_per_word` bits a key (at least one block). Words longer than `longest`
  // code points are left out; so are empty ones. A word given twice keeps the union of its classes' bits.
  static Lexicon Build(const std::vector<Word>& words, double bits_per_word, int longest, int class_bits = 0,
                       bool prefix_keys = true);

  bool empty() const { return words_ == 0; }
  uint32_t words() const { return words_; }
  int longest() const { return longest_; }
  // The class of the word whose state (Extend over its code points from kStart) is `state` and whose length is
  // `length`, or -1 if it is not in the set. A member is always found (its class may gain a false bit now and
  // then); about 1% of others are found too, at 10 bits a key.
  int Find(uint64_t state, size_t length) const { return FindKey(WordKey(state, length)); }
  bool MayContain(uint64_t state, size_t length) const { return Find(state, length) >= 0; }
  // Whether some word longer than kPrefixLength may begin with the kPrefixLength code points of `state`
  // (always true for a lexicon built without prefix keys).
  bool MayContinue(uint64_t state) const { return MayContinueKey(PrefixKey(state)); }

  // The same lookups in two steps, so that a caller can ask for many blocks before it reads any: the keys
  // (defined above), Prefetch to start loading a key's block, then FindKey / MayContinueKey.
  static uint64_t WordKey(uint64_t state, size_t length);
  static uint64_t PrefixKey(uint64_t state);
  void Prefetch(uint64_t key) const {
    if (words_ != 0) __builtin_prefetch(Block(key));
  }
  int FindKey(uint64_t key) const;
  bool MayContinueKey(uint64_t prefix_key) const;
  int class_bits() const { return class_bits_; }

  size_t MemoryBytes() const { return bits_.size() * sizeof(uint64_t); }
  std::string Serialize() const;
  // DataLoss naming `what` for any field out of range or a size that does not match.
  static absl::StatusOr<Lexicon> Parse(std::string_view data, std::string_view what);

 private:
  const uint64_t* Block(uint64_t key) const { return bits_.data() + ((key >> 32) * blocks_ >> 32) * 8; }
  // Sets (tests) `probes` bits given by the 9-bit fields of `fields` in the block that `block_key` picks.
  void Insert(uint64_t block_key, uint64_t fields);
  bool MayHold(uint64_t block_key, uint64_t fields) const;
  uint32_t words_ = 0, blocks_ = 0, probes_ = 0;
  int longest_ = 0, class_bits_ = 0;
  bool prefix_keys_ = true;
  std::vector<uint64_t> bits_;  // blocks_ x 8 words.
};

}  // namespace slimnlp::core

#endif  // SLIMNLP_SRC_CORE_LEXICON_H_
