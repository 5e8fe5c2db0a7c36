#include "src/core/lexicon.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_format.h"
#include "src/core/byte_io.h"

namespace slimnlp::core {
namespace {

constexpr uint32_t kFormat = 2;  // Format 1 (no flags field) is still read.
constexpr uint32_t kPrefixKeysFlag = 1;
constexpr int kWordsPerBlock = 8;      // 512 bits: one cache line.
constexpr uint32_t kMaxProbes = 7;     // 7 fields of 9 bits fit one 64-bit hash.
constexpr int kMaxLongest = 32;
constexpr uint32_t kMaxBlocks = 1u << 24;

uint64_t Fmix64(uint64_t k) {
  k ^= k >> 33;
  k *= 0xff51afd7ed558ccdull;
  k ^= k >> 33;
  k *= 0xc4ceb9fe1a85ec53ull;
  k ^= k >> 33;
  return k;
}

constexpr uint64_t kFieldSalt = 0x9e3779b97f4a7c15ull;
// The bits of class bit `bit` of the word whose key is `key` are set in that word's block, so reading a class
// costs no other cache line.
uint64_t ClassFields(uint64_t key, int bit) { return Fmix64(key + kFieldSalt * static_cast<uint64_t>(bit + 2)); }

}  // namespace

uint64_t Lexicon::WordKey(uint64_t state, size_t length) { return Fmix64(state ^ length); }
uint64_t Lexicon::PrefixKey(uint64_t state) { return Fmix64(state ^ 0x100 ^ kPrefixLength); }

Lexicon Lexicon::Build(const std::vector<Word>& words, double bits_per_word, int longest, int class_bits,
                       bool prefix_keys) {
  Lexicon lex;
  lex.prefix_keys_ = prefix_keys;
  lex.longest_ = std::clamp(longest, 1, kMaxLongest);
  lex.class_bits_ = std::clamp(class_bits, 0, kMaxClassBits);
  const auto kept = [&](const Word& w) { return !w.text.empty() && w.text.size() <= static_cast<size_t>(lex.longest_); };
  size_t count = 0, keys = 0;
  for (const Word& w : words) {
    if (!kept(w)) continue;
    ++count;
    keys += 1 + (prefix_keys && w.text.size() > kPrefixLength);
    for (int b = 0; b < lex.class_bits_; ++b) keys += (w.word_class >> b) & 1;
  }
  const double bits = std::max(1.0, bits_per_word) * static_cast<double>(keys);
  lex.blocks_ = static_cast<uint32_t>(
      std::clamp<double>(std::ceil(bits / (64.0 * kWordsPerBlock)), 1, kMaxBlocks));
  lex.probes_ = static_cast<uint32_t>(std::clamp<long>(std::lround(std::max(1.0, bits_per_word) * std::log(2.0)),
                                                       1, kMaxProbes));
  lex.bits_.assign(size_t{lex.blocks_} * kWordsPerBlock, 0);
  for (const Word& w : words) {
    if (!kept(w)) continue;
    uint64_t state = kStart;
    for (size_t i = 0; i < w.text.size(); ++i) {
      state = Extend(state, w.text[i]);
      if (prefix_keys && i + 1 == kPrefixLength && w.text.size() > kPrefixLength) {
        const uint64_t prefix = PrefixKey(state);
        lex.Insert(prefix, Fmix64(prefix + kFieldSalt));
      }
    }
    const uint64_t key = WordKey(state, w.text.size());
    lex.Insert(key, Fmix64(key + kFieldSalt));
    for (int b = 0; b < lex.class_bits_; ++b) {
      if ((w.word_class >> b) & 1) lex.Insert(key, ClassFields(key, b));
    }
  }
  lex.words_ = static_cast<uint32_t>(std::min<size_t>(count, UINT32_MAX));
  return lex;
}

void Lexicon::Insert(uint64_t block_key, uint64_t fields) {
  uint64_t* block = const_cast<uint64_t*>(Block(block_key));
  for (uint32_t p = 0; p < probes_; ++p, fields >>= 9) block[(fields >> 6) & 7] |= uint64_t{1} << (fields & 63);
}

int Lexicon::FindKey(uint64_t key) const {
  if (words_ == 0 || !MayHold(key, Fmix64(key + kFieldSalt))) return -1;
  int c = 0;
  for (int b = 0; b < class_bits_; ++b) c |= MayHold(key, ClassFields(key, b)) << b;
  return c;
}

bool Lexicon::MayContinueKey(uint64_t prefix_key) const {
  if (!prefix_keys_) return words_ != 0;
  return words_ != 0 && MayHold(prefix_key, Fmix64(prefix_key + kFieldSalt));
}

bool Lexicon::MayHold(uint64_t block_key, uint64_t fields) const {
  const uint64_t* block = Block(block_key);
  for (uint32_t p = 0; p < probes_; ++p, fields >>= 9) {
    if (!(block[(fields >> 6) & 7] >> (fields & 63) & 1)) return false;
  }
  return true;
}

std::string Lexicon::Serialize() const {
  ByteWriter w;
  w.U32(kFormat);
  w.U32(words_);
  w.U32(blocks_);
  w.U32(probes_);
  w.U32(static_cast<uint32_t>(longest_));
  w.U32(static_cast<uint32_t>(class_bits_));
  w.U32(prefix_keys_ ? kPrefixKeysFlag : 0);
  for (uint64_t b : bits_) w.U64(b);
  return std::move(w.data());
}

absl::StatusOr<Lexicon> Lexicon::Parse(std::string_view data, std::string_view what) {
  ByteReader r(data, std::string(what));
  uint32_t format, words, blocks, probes, longest, class_bits;
  if (!r.U32(&format) || !r.U32(&words) || !r.U32(&blocks) || !r.U32(&probes) || !r.U32(&longest) ||
      !r.U32(&class_bits)) {
    return absl::DataLossError(absl::StrFormat("%s: lexicon header is truncated", what));
  }
  uint32_t flags = kPrefixKeysFlag;
  if (format == 2 && !r.U32(&flags)) {
    return absl::DataLossError(absl::StrFormat("%s: lexicon header is truncated", what));
  }
  if (format != 1 && format != kFormat) {
    return absl::DataLossError(absl::StrFormat("%s: lexicon format %d is not 1 or %d", what, format, kFormat));
  }
  if (flags & ~kPrefixKeysFlag) {
    return absl::DataLossError(absl::StrFormat("%s: lexicon flags %#x name unknown features", what, flags));
  }
  if (blocks == 0 || blocks > kMaxBlocks || probes == 0 || probes > kMaxProbes || longest == 0 ||
      longest > static_cast<uint32_t>(kMaxLongest) || class_bits > static_cast<uint32_t>(kMaxClassBits)) {
    return absl::DataLossError(absl::StrFormat(
        "%s: lexicon has %d blocks, %d probes, longest word %d, %d class bits: out of range", what, blocks, probes,
        longest, class_bits));
  }
  const uint64_t bytes = uint64_t{blocks} * kWordsPerBlock * 8;
  if (r.remaining() != bytes) {
    return absl::DataLossError(absl::StrFormat("%s: lexicon of %d blocks needs %d bytes of bits, has %d", what,
                                               blocks, bytes, r.remaining()));
  }
  Lexicon lex;
  lex.words_ = words;
  lex.blocks_ = blocks;
  lex.probes_ = probes;
  lex.longest_ = static_cast<int>(longest);
  lex.class_bits_ = static_cast<int>(class_bits);
  lex.prefix_keys_ = (flags & kPrefixKeysFlag) != 0;
  lex.bits_.resize(size_t{blocks} * kWordsPerBlock);
  for (uint64_t& b : lex.bits_) r.U64(&b);
  return lex;
}

}  // namespace slimnlp::core
