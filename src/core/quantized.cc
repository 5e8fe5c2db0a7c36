#include "src/core/quantized.h"

#include <algorithm>
#if defined(__x86_64__)
#include <immintrin.h>
#endif
#include <bit>
#include <cmath>
#include <cstring>
#include <string_view>

#include "absl/strings/str_format.h"
#include "src/core/cpu_features.h"
#include "src/core/feature_spec.h"
#include "src/core/fp16.h"
#include "src/core/int8_dot.h"

namespace slimnlp::core {
namespace {

// The two hot loops of inference get an AVX2 version next to the baseline one, picked at load time by the
// dynamic linker (GCC function multi-versioning): fast where the CPU has it, correct everywhere. Not in
// sanitizer builds: the ifunc resolver runs before the sanitizer runtime is ready (ThreadSanitizer crashes).
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(SLIMNLP_NO_MULTIVERSIONING)
#define SLIMNLP_HOT_LOOP __attribute__((target_clones("avx2", "default")))
#else
#define SLIMNLP_HOT_LOOP
#endif

// Largest magnitude of a quantized value at `bits`.
int MaxLevel(int bits) { return bits == 4 ? 7 : 127; }

}  // namespace

// One call per group, not per row: each call through the clone dispatch costs an indirect jump, and the loop
// over a group's rows lets the compiler keep `acc` in registers between rows.
namespace {

void AddRow(const RowRef& r, float* __restrict out) {
  float* o = out + r.offset;
  const float scale = r.weight * HalfToFloat(*r.scale);
  const uint8_t* v = r.row;
  for (int j = 0; j < r.cols; ++j) {
    const float q = r.bits == 8 ? static_cast<float>(reinterpret_cast<const int8_t*>(v)[j])
                                : static_cast<float>(((v[j / 2] >> ((j & 1) * 4)) & 0xF) - 8);
    o[j] = (r.first ? 0.0f : o[j]) + scale * q;
  }
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
// 8-bit rows whose width is a multiple of 8 (nearly all): eight bytes widened to floats and multiply-added at a
// time, with no set-up or tail to pay per row.
__attribute__((target("avx2,fma,f16c"))) void SumRowsAvx2(const RowRef* refs, size_t n, float* out) {
  for (size_t k = 0; k < n; ++k) {
    const RowRef& r = refs[k];
    if (r.bits != 8 || r.cols % 8 != 0) {
      AddRow(r, out);
      continue;
    }
    // F16C converts the scale exactly as HalfToFloat does (every half is a float).
    const __m256 s = _mm256_set1_ps(r.weight * _cvtsh_ss(*r.scale));
    float* o = out + r.offset;
    const uint8_t* v = r.row;
    for (int c = 0; c < r.cols; c += 8) {
      const __m128i bytes = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(v + c));
      const __m256 v = _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(bytes));
      _mm256_storeu_ps(o + c, r.first ? _mm256_mul_ps(v, s) : _mm256_fmadd_ps(v, s, _mm256_loadu_ps(o + c)));
    }
  }
}

#define SLIMNLP_HAVE_ROWS_AVX2 1
#endif

}  // namespace

void SumRows(const RowRef* refs, size_t n, float* out) {
#ifdef SLIMNLP_HAVE_ROWS_AVX2
  if (Cpu().avx2 && Cpu().fma && Cpu().f16c) return SumRowsAvx2(refs, n, out);
#endif
  for (size_t k = 0; k < n; ++k) AddRow(refs[k], out);
}

void QuantizedTable::MeanOfRows(const uint32_t* ids, size_t n, float* out) const {
  for (size_t k = 0; k < n; ++k) {
    const RowRef r = Ref(ids[k], 1.0f / static_cast<float>(n), 0, k == 0);
    SumRows(&r, 1, out);
  }
}

void QuantizedTable::DequantizeRow(uint32_t r, float* out) const { MeanOfRows(&r, 1, out); }

QuantizedTable QuantizedTable::Quantize(const float* values, uint32_t rows, int cols, int bits) {
  QuantizedTable t;
  t.rows = rows;
  t.cols = cols;
  t.bits = bits;
  const size_t row_bytes = PackedRowBytes(cols, bits);
  t.data.assign(size_t{rows} * row_bytes, 0);
  t.scales.resize(rows);
  const int levels = MaxLevel(bits);
  for (uint32_t r = 0; r < rows; ++r) {
    const float* v = values + size_t{r} * cols;
    float max_abs = 0;
    for (int j = 0; j < cols; ++j) max_abs = std::max(max_abs, std::fabs(v[j]));
    // Round the scale to fp16 first, then quantize against the rounded value, so storage adds no error.
    t.scales[r] = FloatToHalf(max_abs / levels);
    const float scale = HalfToFloat(t.scales[r]);
    const float inv = scale > 0 ? 1.0f / scale : 0.0f;
    uint8_t* row = t.data.data() + size_t{r} * row_bytes;
    for (int j = 0; j < cols; ++j) {
      const int q = std::clamp(static_cast<int>(std::lround(v[j] * inv)), -levels, levels);
      if (bits == 8) {
        row[j] = static_cast<uint8_t>(static_cast<int8_t>(q));
      } else {
        row[j / 2] |= static_cast<uint8_t>((q + 8) << ((j & 1) * 4));
      }
    }
  }
  return t;
}

void QuantizedTable::Write(ByteWriter* w) const {
  w->U32(rows);
  w->U32(static_cast<uint32_t>(cols));
  w->U8(static_cast<uint8_t>(bits));
  w->Bytes(std::string_view(reinterpret_cast<const char*>(data.data()), data.size()));
  for (uint16_t s : scales) w->U16(s);
}

bool QuantizedTable::Read(ByteReader* r, uint32_t expect_rows, int expect_cols, int expect_bits) {
  uint32_t c;
  uint8_t b;
  if (!r->U32(&rows) || !r->U32(&c) || !r->U8(&b)) return false;
  cols = static_cast<int>(c);
  bits = b;
  if (rows != expect_rows || cols != expect_cols || bits != expect_bits) {
    return r->Fail(absl::StrFormat("table is %dx%d at %d bits, the feature spec says %dx%d at %d bits", rows,
                                   cols, bits, expect_rows, expect_cols, expect_bits));
  }
  std::string_view bytes;
  if (!r->Bytes(uint64_t{rows} * PackedRowBytes(cols, bits), &bytes)) return false;
  data.assign(bytes.begin(), bytes.end());
  if (r->remaining() < uint64_t{rows} * 2) return r->Fail("scales truncated");
  scales.resize(rows);
  for (uint32_t i = 0; i < rows; ++i) {
    r->U16(&scales[i]);
    const float s = HalfToFloat(scales[i]);
    if (!std::isfinite(s) || s < 0) return r->Fail(absl::StrFormat("row %d has an invalid scale", i));
  }
  return true;
}

SLIMNLP_HOT_LOOP void QuantizedDense::Forward(const float* x, float* y, int8_t* xq) const {
  // Locals, not members, in the loops: a store through int8_t* may alias anything, members included, which
  // would keep the compiler from vectorizing.
  const int n = in;
  // The largest |x| as the largest float bit pattern with the sign cleared: for finite values the integer
  // order is the float order, and an integer max reduction vectorizes where a float one would not.
  uint32_t max_bits = 0;
  for (int i = 0; i < n; ++i) max_bits = std::max(max_bits, std::bit_cast<uint32_t>(x[i]) & 0x7FFFFFFFu);
  const float max_abs = std::bit_cast<float>(max_bits);
  if (max_abs == 0) {
    std::copy(bias.begin(), bias.end(), y);
    return;
  }
  const float inv = 127.0f / max_abs;
  for (int i = 0; i < n; ++i) {
    const float v = x[i] * inv;
    xq[i] = static_cast<int8_t>(v + (v >= 0 ? 0.5f : -0.5f));
  }
  // Dot products run over `in` rounded up to whole blocks; the extra inputs are zero, which makes the weights
  // read past a row's end (the next row's, or the zero padding after the last) count for nothing.
  const int padded = (n + kDotBlock - 1) / kDotBlock * kDotBlock;
  std::fill(xq + n, xq + padded, int8_t{0});
  const float x_scale = max_abs / 127.0f;
  const float* scale = scales.data();
  const float* b = bias.data();
  constexpr int kChunk = 64;
  int32_t sums[kChunk];
  for (int o = 0; o < out; o += kChunk) {
    const int rows = std::min(kChunk, out - o);
    DotRowsInt8(weights.data() + size_t(o) * n, size_t(n), xq, padded, rows, sums);
    for (int k = 0; k < rows; ++k) y[o + k] = static_cast<float>(sums[k]) * (scale[o + k] * x_scale) + b[o + k];
  }
}

QuantizedDense QuantizedDense::Quantize(const float* w, const float* b, int in, int out) {
  QuantizedDense d;
  d.in = in;
  d.out = out;
  d.weights.assign(size_t(in) * out + kDotBlock, 0);
  d.scales.assign(out, 0.0f);
  d.bias.assign(b, b + out);
  for (int i = 0; i < in; ++i)
    for (int o = 0; o < out; ++o) d.scales[o] = std::max(d.scales[o], std::fabs(w[size_t(i) * out + o]));
  for (int o = 0; o < out; ++o) d.scales[o] = HalfToFloat(FloatToHalf(d.scales[o] / 127.0f));
  for (int i = 0; i < in; ++i) {
    for (int o = 0; o < out; ++o) {
      const float inv = d.scales[o] > 0 ? 1.0f / d.scales[o] : 0.0f;
      d.weights[size_t(o) * in + i] =
          static_cast<int8_t>(std::clamp(static_cast<int>(std::lround(w[size_t(i) * out + o] * inv)), -127, 127));
    }
  }
  return d;
}

void QuantizedDense::Write(ByteWriter* w) const {
  w->U32(static_cast<uint32_t>(in));
  w->U32(static_cast<uint32_t>(out));
  w->Bytes(std::string_view(reinterpret_cast<const char*>(weights.data()), size_t(in) * out));
  for (float s : scales) w->U16(FloatToHalf(s));
  for (float b : bias) w->F32(b);
}

bool QuantizedDense::Read(ByteReader* r, int expect_in, int expect_out) {
  uint32_t i, o;
  if (!r->U32(&i) || !r->U32(&o)) return false;
  if (static_cast<int>(i) != expect_in || static_cast<int>(o) != expect_out) {
    return r->Fail(absl::StrFormat("layer is %dx%d, expected %dx%d", i, o, expect_in, expect_out));
  }
  in = expect_in;
  out = expect_out;
  std::string_view bytes;
  if (!r->Bytes(uint64_t{i} * o, &bytes)) return false;
  weights.assign(bytes.size() + kDotBlock, 0);
  std::copy(bytes.begin(), bytes.end(), reinterpret_cast<char*>(weights.data()));
  // -128 is never written (Quantize clamps to -127..127) and would break the exactness of the dot products.
  if (std::find(weights.begin(), weights.end(), int8_t{-128}) != weights.end()) {
    return r->Fail("a weight is -128, outside the quantized range -127..127");
  }
  if (r->remaining() < uint64_t{o} * 6) return r->Fail("scales and biases truncated");
  scales.resize(out);
  bias.resize(out);
  for (int k = 0; k < out; ++k) {
    uint16_t h;
    r->U16(&h);
    scales[k] = HalfToFloat(h);
  }
  for (int k = 0; k < out; ++k) r->F32(&bias[k]);
  for (int k = 0; k < out; ++k) {
    if (!std::isfinite(scales[k]) || scales[k] < 0 || !std::isfinite(bias[k])) {
      return r->Fail(absl::StrFormat("output %d has an invalid scale or bias", k));
    }
  }
  return true;
}

}  // namespace slimnlp::core
