// libFuzzer target: any bytes as text to segment with the shipped Chinese model. Tokens must be in order,
// non-empty, within the text, and cover every byte that is not white space.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "slimnlp/segmenter.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::unique_ptr<slimnlp::Segmenter> segmenter = [] {
    absl::StatusOr<std::unique_ptr<slimnlp::Segmenter>> s =
        slimnlp::Segmenter::Load(std::string(SLIMNLP_SOURCE_DIR) + "/models/seg-zh.slim");
    if (!s.ok()) __builtin_trap();
    return *std::move(s);
  }();
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<slimnlp::TextSpan> tokens;
  segmenter->Segment(text, &tokens);
  size_t pos = 0;
  for (const auto& t : tokens) {
    if (t.begin < pos || t.end <= t.begin || t.end > size) __builtin_trap();
    for (size_t b = pos; b < t.begin; ++b) {
      const char c = text[b];
      // Gaps may hold only white space (ASCII or multi-byte, e.g. U+3000).
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\v' && c != '\f' &&
          (static_cast<unsigned char>(c) < 0x80)) {
        __builtin_trap();
      }
    }
    pos = t.end;
  }
  return 0;
}
