// Quantized weights: the form every model takes on disk and in memory at inference.
//
// QuantizedTable: an embedding table, symmetric per-row quantization. Row r holds `cols` signed integers q
// (8-bit: -127..127; 4-bit: -7..7, two per byte, low nibble first, stored as q + 8) and an fp16 scale s_r;
// the value is s_r * q. Rows are dequantized on the fly as they are summed, never expanded in memory.
//
// QuantizedDense: a fully connected layer y = x W + b with W stored output-major ([out][in]) as int8 and one
// float scale per output unit. Forward quantizes x to 8 bits too (one scale for the vector) and computes
// each output as an integer dot product (int8_dot.h).
#ifndef SLIMNLP_SRC_CORE_QUANTIZED_H_
#define SLIMNLP_SRC_CORE_QUANTIZED_H_

#include <cstdint>
#include <vector>

#include "src/core/byte_io.h"
#include "src/core/feature_spec.h"
#include "src/core/fp16.h"
#include "src/core/int8_dot.h"

namespace slimnlp::core {

// One quantized row to sum into a vector, with its scale already applied: Classifier::Logits gathers one per id
// of every group, then one SumRows call does them all (a call per group cost more than the sums of its rows).
struct RowRef {
  const uint8_t* row;     // Its values (QuantizedTable::data).
  const uint16_t* scale;  // Its fp16 scale.
  float weight;           // 1 / the number of ids of its group.
  uint32_t offset;        // Where in the vector the row goes.
  uint16_t cols;
  uint8_t bits;           // 8 or 4 (packed as QuantizedTable says).
  bool first;             // The first row of its group: written, not added.
};
void SumRows(const RowRef* refs, size_t n, float* out);

struct QuantizedTable {
  uint32_t rows = 0;
  int cols = 0;
  int bits = 8;
  // Rows apart from their scales: 8- and 16-byte rows then never straddle a cache line, and the scales, a
  // seventh of the bytes, mostly stay in the cache (interleaving them cost more misses than it saved).
  std::vector<uint8_t> data;     // rows * PackedRowBytes(cols, bits)
  std::vector<uint16_t> scales;  // fp16, one per row

  const uint8_t* values(uint32_t r) const { return data.data() + size_t{r} * PackedRowBytes(cols, bits); }

  // out[0..cols) = the mean of rows ids[0..n), n >= 1. Every id must be < rows.
  void MeanOfRows(const uint32_t* ids, size_t n, float* out) const;
  // The RowRef of row `r` with weight `weight`, to go at `offset`.
  RowRef Ref(uint32_t r, float weight, uint32_t offset, bool first) const {
    return {values(r), &scales[r], weight, offset, static_cast<uint16_t>(cols), static_cast<uint8_t>(bits), first};
  }
  // Asks the CPU to start loading row `r`: tables are larger than the cache, so issuing every row's load before
  // summing any lets the misses overlap.
  void Prefetch(uint32_t r) const {
    __builtin_prefetch(values(r));
    __builtin_prefetch(&scales[r]);
  }
  void DequantizeRow(uint32_t r, float* out) const;
  size_t MemoryBytes() const { return data.size() + scales.size() * sizeof(uint16_t); }

  // Quantizes a row-major float table.
  static QuantizedTable Quantize(const float* values, uint32_t rows, int cols, int bits);

  void Write(ByteWriter* w) const;
  // Reads and checks the shape against what the spec expects; errors go to `r`.
  bool Read(ByteReader* r, uint32_t expect_rows, int expect_cols, int expect_bits);
};

struct QuantizedDense {
  int in = 0;
  int out = 0;
  std::vector<int8_t> weights;  // [out][in] in -127..127, then kDotBlock zero bytes
  std::vector<float> scales;    // [out]
  std::vector<float> bias;      // [out]

  // y[0..out) = x W + b. `x` has `in` finite values; `xq` is scratch for `in` + kDotBlock values.
  void Forward(const float* x, float* y, int8_t* xq) const;
  size_t MemoryBytes() const { return weights.size() + (scales.size() + bias.size()) * sizeof(float); }

  // `w` is input-major [in][out] floats, `b` has `out` floats.
  static QuantizedDense Quantize(const float* w, const float* b, int in, int out);

  void Write(ByteWriter* w) const;
  bool Read(ByteReader* r, int expect_in, int expect_out);
};

}  // namespace slimnlp::core

#endif  // SLIMNLP_SRC_CORE_QUANTIZED_H_
