#include "src/core/quantized.h"

#include <catch2/catch.hpp>
#include <cmath>

#include "src/core/int8_dot.h"
#include "src/core/rng.h"

using namespace slimnlp::core;

namespace {
std::vector<float> RandomValues(size_t n, uint64_t seed, float scale) {
  Rng rng(seed);
  std::vector<float> v(n);
  for (float& x : v) x = rng.Symmetric(scale);
  return v;
}
}  // namespace

TEST_CASE("8-bit and 4-bit tables dequantize within half a step", "[quantized]") {
  const uint32_t rows = 50;
  const int cols = 13;  // Odd, to test the 4-bit packing of a half-used last byte.
  const std::vector<float> values = RandomValues(rows * cols, 7, 2.0f);
  for (int bits : {8, 4}) {
    const QuantizedTable t = QuantizedTable::Quantize(values.data(), rows, cols, bits);
    CHECK(t.MemoryBytes() == rows * (bits == 8 ? 13 : 7) + rows * 2);
    std::vector<float> row(cols);
    for (uint32_t r = 0; r < rows; ++r) {
      float max_abs = 0;
      for (int j = 0; j < cols; ++j) max_abs = std::max(max_abs, std::fabs(values[r * cols + j]));
      const float step = max_abs / (bits == 8 ? 127 : 7);
      t.DequantizeRow(r, row.data());
      for (int j = 0; j < cols; ++j) CHECK(std::fabs(row[j] - values[r * cols + j]) <= step * 0.5f + 1e-3f * max_abs);
    }
  }
}

TEST_CASE("a quantized dense layer agrees with the float computation", "[quantized]") {
  const int in = 37, out = 11;
  const std::vector<float> w = RandomValues(in * out, 3, 0.5f);
  const std::vector<float> b = RandomValues(out, 4, 0.1f);
  std::vector<float> x = RandomValues(in, 5, 1.0f);
  for (int i = 0; i < in; i += 3) x[i] = 0;  // As after a ReLU.
  const QuantizedDense d = QuantizedDense::Quantize(w.data(), b.data(), in, out);
  std::vector<float> y(out);
  std::vector<int8_t> xq(in + kDotBlock);
  d.Forward(x.data(), y.data(), xq.data());
  for (int o = 0; o < out; ++o) {
    double ref = b[o];
    for (int i = 0; i < in; ++i) ref += double(x[i]) * w[i * out + o];
    CHECK(y[o] == Approx(ref).margin(0.05));
  }
  std::vector<float> zeros(in, 0.0f);
  d.Forward(zeros.data(), y.data(), xq.data());
  for (int o = 0; o < out; ++o) CHECK(y[o] == b[o]);
}

TEST_CASE("tables and layers survive serialization and refuse a wrong shape", "[quantized]") {
  const std::vector<float> values = RandomValues(6 * 4, 9, 1.0f);
  const QuantizedTable t = QuantizedTable::Quantize(values.data(), 6, 4, 8);
  ByteWriter w;
  t.Write(&w);
  {
    ByteReader r(w.data(), "table");
    QuantizedTable back;
    REQUIRE(back.Read(&r, 6, 4, 8));
    CHECK(back.data == t.data);
    CHECK(back.scales == t.scales);
  }
  {
    ByteReader r(w.data(), "table");
    QuantizedTable back;
    CHECK_FALSE(back.Read(&r, 7, 4, 8));
    CHECK(std::string(r.status().message()).find("feature spec says") != std::string::npos);
  }
  {
    ByteReader r(std::string_view(w.data()).substr(0, w.data().size() - 1), "table");
    QuantizedTable back;
    CHECK_FALSE(back.Read(&r, 6, 4, 8));
    CHECK(r.status().code() == absl::StatusCode::kDataLoss);
  }
}

TEST_CASE("int8 dot products are exact in every kernel, for every row count and at the extremes of the range",
          "[quantized]") {
  Rng rng(11);
  for (int n : {32, 96, 320}) {
    for (int rows = 1; rows <= 9; ++rows) {
      std::vector<int8_t> w(size_t(rows) * n), x(n);
      // Half the cases at +-127 only: the largest products, where a saturating kernel would go wrong.
      const bool extreme = rows % 2 == 0;
      for (auto& v : w) v = static_cast<int8_t>(extreme ? (rng.Next() & 1 ? 127 : -127) : int(rng.Next() % 255) - 127);
      for (auto& v : x) v = static_cast<int8_t>(extreme ? (rng.Next() & 1 ? 127 : -127) : int(rng.Next() % 255) - 127);
      std::vector<int32_t> ref(rows, 0);
      for (int r = 0; r < rows; ++r) {
        for (int i = 0; i < n; ++i) ref[r] += int32_t{w[size_t(r) * n + i]} * x[i];
      }
      for (DotKernel k : {DotKernel::kPortable, DotKernel::kAvx2, DotKernel::kAvxVnni}) {
        if (!DotKernelAvailable(k)) continue;
        std::vector<int32_t> sums(rows);
        DotRowsInt8With(k, w.data(), n, x.data(), n, rows, sums.data());
        CHECK(sums == ref);
      }
      std::vector<int32_t> sums(rows);
      DotRowsInt8(w.data(), n, x.data(), n, rows, sums.data());
      CHECK(sums == ref);
    }
  }
}

TEST_CASE("a dense layer with a weight of -128 is refused", "[quantized]") {
  const std::vector<float> w = RandomValues(4 * 3, 12, 1.0f), b = RandomValues(3, 13, 1.0f);
  ByteWriter writer;
  QuantizedDense::Quantize(w.data(), b.data(), 4, 3).Write(&writer);
  std::string bytes = writer.data();
  bytes[8 + 5] = static_cast<char>(0x80);  // After in and out (two u32): weight 5.
  ByteReader r(bytes, "layer");
  QuantizedDense back;
  CHECK_FALSE(back.Read(&r, 4, 3));
  CHECK(std::string(r.status().message()).find("-128") != std::string::npos);
}
