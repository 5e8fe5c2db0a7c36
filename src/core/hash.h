// The feature hash. It is part of the model file format: a model trained on one machine must hash the same
// features to the same buckets everywhere, forever. So it is defined on explicit bytes, never on host types:
//
//   Murmur3_32(bytes, seed)            MurmurHash3_x86_32 (Austin Appleby, public domain), exactly.
//   HashCodepoints(cps, n, seed)       Murmur3_32 of the code points written as little-endian 32-bit words.
//   BucketOf(hash, buckets)            (uint64(hash) * buckets) >> 32, Lemire's multiply-shift range map.
//   Reseed(hash, seed)                 MurmurHash3's fmix32(hash ^ seed), for token features (token_features.h).
//
// The model file records kHashName; a file naming another hash is refused. Golden values are in
// tests/core/hash_test.cc.
#ifndef SLIMNLP_SRC_CORE_HASH_H_
#define SLIMNLP_SRC_CORE_HASH_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace slimnlp::core {

inline constexpr std::string_view kHashName = "murmur3_x86_32/cp-le32/mulshift";

uint32_t Murmur3_32(const void* data, size_t len, uint32_t seed);

inline uint32_t Murmur3_32(std::string_view s, uint32_t seed) { return Murmur3_32(s.data(), s.size(), seed); }

namespace internal {
inline uint32_t Rotl32(uint32_t x, int r) { return (x << r) | (x >> (32 - r)); }
inline uint32_t MurmurMixBlock(uint32_t h, uint32_t k) {
  k *= 0xcc9e2d51u;
  k = Rotl32(k, 15);
  k *= 0x1b873593u;
  h ^= k;
  h = Rotl32(h, 13);
  return h * 5 + 0xe6546b64u;
}
inline uint32_t MurmurFinish(uint32_t h, uint32_t len_bytes) {
  h ^= len_bytes;
  h ^= h >> 16;
  h *= 0x85ebca6bu;
  h ^= h >> 13;
  h *= 0xc2b2ae35u;
  h ^= h >> 16;
  return h;
}
}  // namespace internal

// Equal to Murmur3_32 of the little-endian byte image of `cps[0..n)`, without building that image.
inline uint32_t HashCodepoints(const char32_t* cps, size_t n, uint32_t seed) {
  uint32_t h = seed;
  for (size_t i = 0; i < n; ++i) h = internal::MurmurMixBlock(h, static_cast<uint32_t>(cps[i]));
  return internal::MurmurFinish(h, static_cast<uint32_t>(n * 4));
}

// A token feature's hash is computed once per token and re-seeded for each group that reads it:
// MurmurHash3's finalizer of (hash ^ seed).
inline uint32_t Reseed(uint32_t hash, uint32_t seed) { return internal::MurmurFinish(hash, seed); }

inline uint32_t BucketOf(uint32_t hash, uint32_t buckets) {
  return static_cast<uint32_t>((static_cast<uint64_t>(hash) * buckets) >> 32);
}

}  // namespace slimnlp::core

#endif  // SLIMNLP_SRC_CORE_HASH_H_
