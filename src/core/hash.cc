#include "src/core/hash.h"

namespace slimnlp::core {

uint32_t Murmur3_32(const void* data, size_t len, uint32_t seed) {
  const auto* bytes = static_cast<const unsigned char*>(data);
  const size_t blocks = len / 4;
  uint32_t h = seed;
  for (size_t i = 0; i < blocks; ++i) {
    const unsigned char* p = bytes + i * 4;
    // Little-endian read regardless of the host, so the value is the same on every platform.
    const uint32_t k = uint32_t{p[0]} | (uint32_t{p[1]} << 8) | (uint32_t{p[2]} << 16) | (uint32_t{p[3]} << 24);
    h = internal::MurmurMixBlock(h, k);
  }
  const unsigned char* tail = bytes + blocks * 4;
  uint32_t k = 0;
  switch (len & 3) {
    case 3:
      k ^= uint32_t{tail[2]} << 16;
      [[fallthrough]];
    case 2:
      k ^= uint32_t{tail[1]} << 8;
      [[fallthrough]];
    case 1:
      k ^= tail[0];
      k *= 0xcc9e2d51u;
      k = internal::Rotl32(k, 15);
      k *= 0x1b873593u;
      h ^= k;
  }
  return internal::MurmurFinish(h, static_cast<uint32_t>(len));
}

}  // namespace slimnlp::core
