#include "src/core/lexicon.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_format.h"
#include "src/core/byte_io.h"

namespace slimnlp::core {
namespace {

constexpr uint32_t kFormat = 1;
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

uint64_t Key(uint64_t state, size_t length) { return Fmix64(state ^ length); }
uint64_t PrefixKey(uint64_t state) { return Fmix64(state ^ 0x100 ^ Lexicon::kPrefixLength); }

}  // namespace

Lexicon Lexicon::Build(const std::vector<std::u32string>& words, double bits_per_word, int longest) {
  Lexicon lex;
  lex.longest_ = std::clamp(longest, 1, kMaxLongest);
  size_t kept = 0, keys = 0;
  for (const auto& w : words) {
    const bool in = !w.empty() && w.size() <= static_cast<size_t>(lex.longest_);
    kept += in;
    keys += in + (in && w.size() > kPrefixLength);
  }
  const double bits = std::max(1.0, bits_per_word) * static_cast<double>(keys);
  lex.blocks_ = static_cast<uint32_t>(
      std::clamp<double>(std::ceil(bits / (64.0 * kWordsPerBlock)), 1, kMaxBlocks));
  lex.probes_ = static_cast<uint32_t>(std::clamp<long>(std::lround(std::max(1.0, bits_per_word) * std::log(2.0)),
                                                       1, kMaxProbes));
  lex.bits_.assign(size_t{lex.blocks_} * kWordsPerBlock, 0);
  for (const auto& w : words) {
    if (w.empty() || w.size() > static_cast<size_t>(lex.longest_)) continue;
    uint64_t state = kStart;
    for (size_t i = 0; i < w.size(); ++i) {
      state = Extend(state, w[i]);
      if (i + 1 == kPrefixLength && w.size() > kPrefixLength) lex.Insert(PrefixKey(state));
    }
    lex.Insert(Key(state, w.size()));
  }
  lex.words_ = static_cast<uint32_t>(std::min<size_t>(kept, UINT32_MAX));
  return lex;
}

void Lexicon::Insert(uint64_t key) {
  uint64_t* block = bits_.data() + ((key >> 32) * blocks_ >> 32) * kWordsPerBlock;
  uint64_t fields = Fmix64(key + 0x9e3779b97f4a7c15ull);
  for (uint32_t p = 0; p < probes_; ++p, fields >>= 9) block[(fields >> 6) & 7] |= uint64_t{1} << (fields & 63);
}

bool Lexicon::MayContain(uint64_t state, size_t length) const {
  return words_ != 0 && MayHold(Key(state, length));
}

bool Lexicon::MayContinue(uint64_t state) const { return words_ != 0 && MayHold(PrefixKey(state)); }

bool Lexicon::MayHold(uint64_t key) const {
  const uint64_t* block = bits_.data() + ((key >> 32) * blocks_ >> 32) * kWordsPerBlock;
  uint64_t fields = Fmix64(key + 0x9e3779b97f4a7c15ull);
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
  for (uint64_t b : bits_) w.U64(b);
  return std::move(w.data());
}

absl::StatusOr<Lexicon> Lexicon::Parse(std::string_view data, std::string_view what) {
  ByteReader r(data, std::string(what));
  uint32_t format, words, blocks, probes, longest;
  if (!r.U32(&format) || !r.U32(&words) || !r.U32(&blocks) || !r.U32(&probes) || !r.U32(&longest)) {
    return absl::DataLossError(absl::StrFormat("%s: lexicon header is truncated", what));
  }
  if (format != kFormat) {
    return absl::DataLossError(absl::StrFormat("%s: lexicon format %d is not %d", what, format, kFormat));
  }
  if (blocks == 0 || blocks > kMaxBlocks || probes == 0 || probes > kMaxProbes || longest == 0 ||
      longest > static_cast<uint32_t>(kMaxLongest)) {
    return absl::DataLossError(absl::StrFormat("%s: lexicon has %d blocks, %d probes, longest word %d: out of range",
                                               what, blocks, probes, longest));
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
  lex.bits_.resize(size_t{blocks} * kWordsPerBlock);
  for (uint64_t& b : lex.bits_) r.U64(&b);
  return lex;
}

}  // namespace slimnlp::core
