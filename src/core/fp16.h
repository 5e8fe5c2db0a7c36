// IEEE 754 half precision, used for the per-row scales of quantized tables. Portable bit manipulation (no F16C)
// so model files read the same on every CPU.
#ifndef SLIMNLP_SRC_CORE_FP16_H_
#define SLIMNLP_SRC_CORE_FP16_H_

#include <cstdint>
#include <cstring>

namespace slimnlp::core {

// Round to nearest even; values past the half range become infinity, NaN stays NaN.
uint16_t FloatToHalf(float f);
float HalfToFloatSlow(uint16_t h);

// Inline because it runs once per embedding row summed: normal numbers take the short path.
inline float HalfToFloat(uint16_t h) {
  const uint32_t exp = (h >> 10) & 0x1Fu;
  if (exp == 0 || exp == 31) return HalfToFloatSlow(h);
  const uint32_t x = ((uint32_t{h} & 0x8000u) << 16) | ((exp + 112) << 23) | ((uint32_t{h} & 0x3FFu) << 13);
  float f;
  std::memcpy(&f, &x, 4);
  return f;
}

}  // namespace slimnlp::core

#endif  // SLIMNLP_SRC_CORE_FP16_H_
