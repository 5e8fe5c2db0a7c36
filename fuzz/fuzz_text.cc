// libFuzzer target: any bytes as input text, through UTF-8 validation, NFKC, decoding, feature extraction and
// language identification (top-k and spans) with the shipped model.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "slimnlp/langid.h"
#include "src/core/feature_spec.h"
#include "src/core/text.h"
#include "src/core/text_features.h"
#include "src/core/utf8.h"

namespace {
const slimnlp::LanguageIdentifier* Model() {
  static const std::unique_ptr<slimnlp::LanguageIdentifier> lid = [] {
    auto l = slimnlp::LanguageIdentifier::Load(SLIMNLP_SOURCE_DIR "/models/langid.slim");
    return l.ok() ? *std::move(l) : nullptr;
  }();
  return lid.get();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const bool valid = slimnlp::core::ValidateUtf8(text).ok();
  std::vector<slimnlp::LanguageGuess> top;
  std::vector<slimnlp::LanguageSpan> spans;
  if (const auto* lid = Model()) {
    const bool ok = lid->IdentifyTopK(text, 3, &top).ok();
    if (ok != valid && text.size() <= lid->options().max_text_bytes) __builtin_trap();  // Must agree.
    if (lid->IdentifySpans(text, &spans).ok()) {
      size_t at = 0;
      for (const auto& s : spans) {
        if (s.begin != at || s.end <= s.begin) __builtin_trap();  // Spans must tile the input.
        at = s.end;
      }
    }
  }
  if (!valid) return 0;
  std::string normalized;
  (void)slimnlp::core::NormalizeNfkc(text, &normalized);
  slimnlp::core::DecodedText decoded;
  slimnlp::core::Decode(text, true, text.size(), &decoded);
  static const slimnlp::core::FeatureSpec spec = *slimnlp::core::FeatureSpec::Parse(
      "c1=ngram(order=1,buckets=100,dim=2,bits=8);c3=ngram(order=3,buckets=100,dim=2,bits=8);"
      "w=word(buckets=100,dim=2,bits=8);s=script(buckets=10,dim=2,bits=8)");
  slimnlp::core::TextFeatureScratch scratch;
  slimnlp::core::FeatureBags bags;
  slimnlp::core::ExtractTextFeatures(spec, decoded.cps.data(), decoded.cps.size(), &scratch, &bags);
  for (size_t g = 0; g < bags.ids.size(); ++g)
    for (uint32_t id : bags.ids[g])
      if (id >= spec.groups[g].buckets) __builtin_trap();
  (void)slimnlp::core::FeatureSpec::Parse(text);
  return 0;
}
