#include "src/core/int8_dot.h"

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
// 32 products per instruction: maddubs multiplies unsigned by signed bytes, so |x| meets w with x's sign moved
// onto it. Four rows share each load of x, and their four sums are reduced together at the end.
__attribute__((target("avx2"), always_inline)) inline __m256i Step(const int8_t* row, __m256i xv, __m256i ax,
                                                                   __m256i acc) {
  const __m256i wv = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(row));
  const __m256i pairs = _mm256_maddubs_epi16(ax, _mm256_sign_epi8(wv, xv));
  return _mm256_add_epi32(acc, _mm256_madd_epi16(pairs, _mm256_set1_epi16(1)));
}

__attribute__((target("avx2"))) void DotRowsAvx2(const int8_t* w, size_t stride, const int8_t* x, int n, int rows,
                                                 int32_t* sums) {
  int r = 0;
  for (; r + 4 <= rows; r += 4) {
    const int8_t* w0 = w + r * stride;
    __m256i a0 = _mm256_setzero_si256(), a1 = a0, a2 = a0, a3 = a0;
    for (int i = 0; i < n; i += kDotBlock) {
      const __m256i xv = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(x + i));
      const __m256i ax = _mm256_abs_epi8(xv);
      a0 = Step(w0 + i, xv, ax, a0);
      a1 = Step(w0 + stride + i, xv, ax, a1);
      a2 = Step(w0 + 2 * stride + i, xv, ax, a2);
      a3 = Step(w0 + 3 * stride + i, xv, ax, a3);
    }
    // Per 128-bit half, hadd twice leaves [sum a0, sum a1, sum a2, sum a3]; then the halves are added.
    const __m256i s = _mm256_hadd_epi32(_mm256_hadd_epi32(a0, a1), _mm256_hadd_epi32(a2, a3));
    const __m128i t = _mm_add_epi32(_mm256_castsi256_si128(s), _mm256_extracti128_si256(s, 1));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(sums + r), t);
  }
  for (; r < rows; ++r) {
    const int8_t* row = w + r * stride;
    __m256i acc = _mm256_setzero_si256();
    for (int i = 0; i < n; i += kDotBlock) {
      const __m256i xv = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(x + i));
      acc = Step(row + i, xv, _mm256_abs_epi8(xv), acc);
    }
    const __m128i h = _mm_add_epi32(_mm256_castsi256_si128(acc), _mm256_extracti128_si256(acc, 1));
    const __m128i q = _mm_add_epi32(h, _mm_shuffle_epi32(h, 0x4E));
    sums[r] = _mm_cvtsi128_si32(_mm_add_epi32(q, _mm_shuffle_epi32(q, 0xB1)));
  }
}

bool HasAvx2() {
  static const bool has = __builtin_cpu_supports("avx2");
  return has;
}
#endif

}  // namespace

void DotRowsInt8(const int8_t* w, size_t stride, const int8_t* x, int n, int rows, int32_t* sums) {
#ifdef SLIMNLP_HAVE_AVX2_KERNEL
  if (HasAvx2()) return DotRowsAvx2(w, stride, x, n, rows, sums);
#endif
  DotRowsPortable(w, stride, x, n, rows, sums);
}

}  // namespace slimnlp::core
