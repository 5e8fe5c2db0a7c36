// IEEE 754 half precision, used for the per-row scales of quantized tables. Portable bit manipulation (no F16C)
// so model files read the same on every CPU.
#ifndef SLIMNLP_SRC_CORE_FP16_H_
#define SLIMNLP_SRC_CORE_FP16_H_

#include <cstdint>

namespace slimnlp::core {

// Round to nearest even; values past the half range become infinity, NaN stays NaN.
uint16_t FloatToHalf(float f);
float HalfToFloat(uint16_t h);

}  // namespace slimnlp::core

#endif  // SLIMNLP_SRC_CORE_FP16_H_
