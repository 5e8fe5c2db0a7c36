// libFuzzer target: any bytes as a model file. Parsing must fail cleanly or give a model that predicts.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "src/core/char_features.h"
#include "src/core/classifier.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<slimnlp::core::Classifier> model = slimnlp::core::Classifier::Parse(bytes, "fuzz");
  if (!model.ok()) return 0;
  // A model that loads must be usable: extract and predict on a fixed text.
  const std::u32string text = U" fuzzing a model \u4E2D\u6587 ";
  slimnlp::core::TextFeatureScratch scratch;
  slimnlp::core::FeatureBags bags;
  slimnlp::core::ClassifierScratch net;
  slimnlp::core::ExtractTextFeatures(model->spec, text.data(), text.size(), &scratch, &bags);
  std::vector<float> probs(model->labels.size());
  model->Predict(bags, &net, probs.data());
  // Character features too (segmenters), with the model's lexicon if it has one.
  slimnlp::core::CharFeaturizer chars(model->spec, &model->lexicon);
  slimnlp::core::CharScratch char_scratch;
  chars.Prepare(text.data(), text.size(), &char_scratch);
  const std::vector<int> tags(text.size(), 0);
  for (size_t i = 0; i < text.size(); ++i) {
    chars.Extract(char_scratch, i, tags.data(), &bags);
    model->Predict(bags, &net, probs.data());
  }
  (void)model->Serialize(1);
  return 0;
}
