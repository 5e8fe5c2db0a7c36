// Integer dot products of int8 weight rows with an int8 input vector: the inner loop of every dense layer.
// Values must lie in -127..127 (never -128), which keeps every pairwise sum within int16 so the AVX2 kernel
// (unsigned x signed byte multiply-adds) is exact and gives the same sums as the portable loop.
#ifndef SLIMNLP_SRC_CORE_INT8_DOT_H_
#define SLIMNLP_SRC_CORE_INT8_DOT_H_

#include <cstddef>
#include <cstdint>

namespace slimnlp::core {

// Inputs are processed in blocks of this many: `n` below is a multiple of it.
inline constexpr int kDotBlock = 32;

// sums[r] = sum over i < n of w[r * stride + i] * x[i], for r < rows. Reads n bytes from each row start, so
// the caller pads: past a row's real length x must be zero (the bytes read there then count for nothing),
// and the weights must be readable up to (rows - 1) * stride + n.
void DotRowsInt8(const int8_t* w, size_t stride, const int8_t* x, int n, int rows, int32_t* sums);

// The kernels DotRowsInt8 picks from, each CPU getting the last it has; all give the same sums. For tests.
enum class DotKernel { kPortable, kAvx2, kAvxVnni };
bool DotKernelAvailable(DotKernel k);
void DotRowsInt8With(DotKernel k, const int8_t* w, size_t stride, const int8_t* x, int n, int rows, int32_t* sums);

}  // namespace slimnlp::core

#endif  // SLIMNLP_SRC_CORE_INT8_DOT_H_
