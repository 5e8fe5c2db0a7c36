// A small deterministic random generator (SplitMix64). The standard library's distributions differ between
// implementations, so training draws every random number through this: the random choices for a seed are
// the same everywhere, and a given build gives the same model bit for bit.
#ifndef SLIMNLP_SRC_CORE_RNG_H_
#define SLIMNLP_SRC_CORE_RNG_H_

#include <cstdint>

namespace slimnlp::core {

class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}

  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n); n > 0.
  uint64_t Below(uint64_t n) { return static_cast<uint64_t>((static_cast<unsigned __int128>(Next()) * n) >> 64); }
  // Uniform in [0, 1) with 24 random bits: exact in float.
  float Unit() { return static_cast<float>(Next() >> 40) * (1.0f / 16777216.0f); }
  // Uniform in [-a, a).
  float Symmetric(float a) { return (2.0f * Unit() - 1.0f) * a; }

 private:
  uint64_t state_;
};

}  // namespace slimnlp::core

#endif  // SLIMNLP_SRC_CORE_RNG_H_
