#include "src/core/int8_dot.h"

#include "src/core/cpu_features.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define SLIMNLP_HAVE_AVX2_KERNEL 1
#endif

namespace slimnlp::core {
namespace {

void DotRowsPortable(const int8_t* w, size_t stride, const int8_t* x, int n, int rows, int32_t* sums) {
  for (int r = 0; r < rows; ++r) {
    const int8_t* row = w + r * stride;
    int32_t acc = 0;
    for (int i = 0; i < n; ++i) acc += static_cast<int32_t>(row[i]) * x[i];
    sums[r] = acc;
  }
}

#ifdef SLIMNLP_HAVE_AVX2_KERNEL
// 32 products per step: the unsigned x signed byte multiply-add takes |x|, and x's sign is moved onto w. AVX2
// needs two more instructions to widen the byte pairs to int32; AVX-VNNI's dpbusd does it all in one (and, as
// it never saturates, gives the same sums). Four rows share each load of x, their sums reduced together. The
// loop is a macro over the step because each kernel must be compiled for its own instruction set only: an
// AVX2 kernel built with AVX-VNNI enabled could fault on a CPU without it.
__attribute__((target("avx2"), always_inline)) inline __m256i StepAvx2(const int8_t* row, __m256i xv, __m256i ax,
                                                                       __m256i acc) {
  const __m256i wv = _mm256_sign_epi8(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(row)), xv);
  return _mm256_add_epi32(acc, _mm256_madd_epi16(_mm256_maddubs_epi16(ax, wv), _mm256_set1_epi16(1)));
}

__attribute__((target("avx2,avxvnni"), always_inline)) inline __m256i StepAvxVnni(const int8_t* row, __m256i xv,
                                                                                  __m256i ax, __m256i acc) {
  const __m256i wv = _mm256_sign_epi8(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(row)), xv);
  return _mm256_dpbusd_avx_epi32(acc, ax, wv);
}

#define SLIMNLP_DOT_ROWS(STEP)                                                                          \
  int r = 0;                                                                                            \
  for (; r + 4 <= rows; r += 4) {                                                                       \
    const int8_t* w0 = w + r * stride;                                                                  \
    __m256i a0 = _mm256_setzero_si256(), a1 = a0, a2 = a0, a3 = a0;                                     \
    for (int i = 0; i < n; i += kDotBlock) {                                                            \
      const __m256i xv = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(x + i));                   \
      const __m256i ax = _mm256_abs_epi8(xv);                                                           \
      a0 = STEP(w0 + i, xv, ax, a0);                                                                    \
      a1 = STEP(w0 + stride + i, xv, ax, a1);                                                           \
      a2 = STEP(w0 + 2 * stride + i, xv, ax, a2);                                                       \
      a3 = STEP(w0 + 3 * stride + i, xv, ax, a3);                                                       \
    }                                                                                                   \
    /* Per 128-bit half, hadd twice leaves [sum a0, sum a1, sum a2, sum a3]; then the halves are added. */ \
    const __m256i s = _mm256_hadd_epi32(_mm256_hadd_epi32(a0, a1), _mm256_hadd_epi32(a2, a3));          \
    const __m128i t = _mm_add_epi32(_mm256_castsi256_si128(s), _mm256_extracti128_si256(s, 1));         \
    _mm_storeu_si128(reinterpret_cast<__m128i*>(sums + r), t);                                          \
  }                                                                                                     \
  for (; r < rows; ++r) {                                                                               \
    const int8_t* row = w + r * stride;                                                                 \
    __m256i acc = _mm256_setzero_si256();                                                               \
    for (int i = 0; i < n; i += kDotBlock) {                                                            \
      const __m256i xv = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(x + i));                   \
      acc = STEP(row + i, xv, _mm256_abs_epi8(xv), acc);                                                \
    }                                                                                                   \
    const __m128i h = _mm_add_epi32(_mm256_castsi256_si128(acc), _mm256_extracti128_si256(acc, 1));     \
    const __m128i q = _mm_add_epi32(h, _mm_shuffle_epi32(h, 0x4E));                                     \
    sums[r] = _mm_cvtsi128_si32(_mm_add_epi32(q, _mm_shuffle_epi32(q, 0xB1)));                          \
  }

__attribute__((target("avx2"))) void DotRowsAvx2(const int8_t* w, size_t stride, const int8_t* x, int n, int rows,
                                                 int32_t* sums) {
  SLIMNLP_DOT_ROWS(StepAvx2)
}

__attribute__((target("avx2,avxvnni"))) void DotRowsAvxVnni(const int8_t* w, size_t stride, const int8_t* x, int n,
                                                            int rows, int32_t* sums) {
  SLIMNLP_DOT_ROWS(StepAvxVnni)
}
#undef SLIMNLP_DOT_ROWS

#endif

DotKernel BestKernel() {
#ifdef SLIMNLP_HAVE_AVX2_KERNEL
  if (Cpu().avx_vnni) return DotKernel::kAvxVnni;
  if (Cpu().avx2) return DotKernel::kAvx2;
#endif
  return DotKernel::kPortable;
}

}  // namespace

bool DotKernelAvailable(DotKernel k) { return static_cast<int>(k) <= static_cast<int>(BestKernel()); }

void DotRowsInt8With(DotKernel k, const int8_t* w, size_t stride, const int8_t* x, int n, int rows, int32_t* sums) {
  switch (k) {
#ifdef SLIMNLP_HAVE_AVX2_KERNEL
    case DotKernel::kAvxVnni:
      return DotRowsAvxVnni(w, stride, x, n, rows, sums);
    case DotKernel::kAvx2:
      return DotRowsAvx2(w, stride, x, n, rows, sums);
#endif
    default:
      return DotRowsPortable(w, stride, x, n, rows, sums);
  }
}

void DotRowsInt8(const int8_t* w, size_t stride, const int8_t* x, int n, int rows, int32_t* sums) {
  DotRowsInt8With(BestKernel(), w, stride, x, n, rows, sums);
}

}  // namespace slimnlp::core
