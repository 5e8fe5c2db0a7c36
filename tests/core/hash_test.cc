#include "src/core/hash.h"

#include <catch2/catch.hpp>
#include <cstring>
#include <vector>

#include "src/core/crc32c.h"
#include "src/core/fp16.h"

using namespace slimnlp::core;

TEST_CASE("Murmur3_32 matches the reference implementation's published values", "[hash]") {
  CHECK(Murmur3_32("", 0u) == 0u);
  CHECK(Murmur3_32("", 1u) == 0x514E28B7u);
  CHECK(Murmur3_32("", 0xFFFFFFFFu) == 0x81F16F39u);
  CHECK(Murmur3_32("hello", 0u) == 0x248BFA47u);
  CHECK(Murmur3_32(std::string(4, '\0'), 0u) == 0x2362F9DEu);
  CHECK(Murmur3_32("Hello, world!", 0x9747B28Cu) == 0x24884CBAu);
  CHECK(Murmur3_32("The quick brown fox jumps over the lazy dog", 0x9747B28Cu) == 0x2FA826CDu);
  CHECK(Murmur3_32("aaaa", 0x9747B28Cu) == 0x5A97808Au);
  CHECK(Murmur3_32("abc", 0x9747B28Cu) == 0xC84A62DDu);
}

TEST_CASE("HashCodepoints is Murmur3 of the little-endian code point bytes", "[hash]") {
  const std::u32string cps = U" \u4E2Dab\U0001F600 ";
  std::vector<unsigned char> bytes;
  for (char32_t c : cps)
    for (int i = 0; i < 4; ++i) bytes.push_back(static_cast<unsigned char>((c >> (8 * i)) & 0xFF));
  for (uint32_t seed : {0u, 1u, 0xDEADBEEFu}) {
    CHECK(HashCodepoints(cps.data(), cps.size(), seed) == Murmur3_32(bytes.data(), bytes.size(), seed));
  }
}

TEST_CASE("feature hashes are frozen: golden values", "[hash]") {
  // These values are part of the model format. If this test fails, every shipped model is invalid.
  const std::u32string the = U" the";
  CHECK(HashCodepoints(the.data(), the.size(), 0) == 0xA5EBF94Cu);
  const std::u32string zhong = U"\u4E2D\u6587";
  CHECK(HashCodepoints(zhong.data(), zhong.size(), 0x51A7) == 0x343A9851u);
  CHECK(BucketOf(0xFFFFFFFFu, 1000) == 999u);
  CHECK(BucketOf(0x80000000u, 1000) == 500u);
  CHECK(BucketOf(0u, 7) == 0u);
}

TEST_CASE("CRC-32C matches the standard check values", "[crc32c]") {
  CHECK(Crc32c("123456789") == 0xE3069283u);
  CHECK(Crc32c(std::string(32, '\0')) == 0x8A9136AAu);
  CHECK(Crc32c(std::string(32, '\xFF')) == 0x62A8AB43u);
  // Extending in pieces equals one pass.
  CHECK(Crc32cExtend(Crc32c("1234"), "56789", 5) == 0xE3069283u);
}

TEST_CASE("fp16 conversion has the IEEE bit patterns", "[fp16]") {
  CHECK(FloatToHalf(1.0f) == 0x3C00);
  CHECK(FloatToHalf(-2.0f) == 0xC000);
  CHECK(FloatToHalf(65504.0f) == 0x7BFF);
  CHECK(FloatToHalf(1e6f) == 0x7C00);
  CHECK(FloatToHalf(5.9604645e-8f) == 0x0001);  // Smallest subnormal.
  CHECK(FloatToHalf(0.0f) == 0x0000);
  CHECK(HalfToFloat(0x3555) == Approx(0.33325195f));
  CHECK(HalfToFloat(0x0001) == 5.9604645e-8f);
  for (float f : {0.5f, 0.1f, 3.14159f, 1000.0f, 6.2e-5f}) {
    CHECK(HalfToFloat(FloatToHalf(f)) == Approx(f).epsilon(1e-3));
  }
  CHECK(HalfToFloat(FloatToHalf(1e-5f)) == Approx(1e-5f).margin(3e-8));  // Subnormal: absolute step 2^-24.
}
