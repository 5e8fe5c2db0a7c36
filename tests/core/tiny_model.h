// A tiny synthetic classification task for engine tests: three "languages" written with disjoint letter sets
// (a-m, n-z, Cyrillic). Fast to train, so tests can train real models.
#ifndef SLIMNLP_TESTS_CORE_TINY_MODEL_H_
#define SLIMNLP_TESTS_CORE_TINY_MODEL_H_

#include <string>
#include <vector>

#include "src/core/trainer.h"
#include "src/core/utf8.h"

namespace slimnlp::testing {

inline core::FeatureSpec TinySpec() {
  return *core::FeatureSpec::Parse(
      "c1=ngram(order=1,buckets=64,dim=8,bits=8);c2=ngram(order=2,buckets=256,dim=8,bits=4);"
      "w=word(buckets=128,dim=8,bits=8)");
}

class TinyExamples : public core::ExampleSource {
 public:
  TinyExamples(size_t n, uint64_t seed) {
    core::Rng rng(seed);
    for (size_t i = 0; i < n; ++i) {
      const int label = static_cast<int>(rng.Below(3));
      std::u32string text;
      const size_t words = 1 + rng.Below(4);
      for (size_t w = 0; w < words; ++w) {
        const size_t len = 2 + rng.Below(5);
        for (size_t c = 0; c < len; ++c) {
          const char32_t base = label == 0 ? U'a' : label == 1 ? U'n' : U'\u0430';
          text.push_back(base + static_cast<char32_t>(rng.Below(13)));
        }
        text.push_back(U' ');
      }
      texts_.push_back(text);
      labels_.push_back(label);
    }
  }
  size_t size() const override { return texts_.size(); }
  int Label(size_t i) const override { return labels_[i]; }
  void Features(size_t i, core::Rng*, core::FeatureBags* out) const override {
    core::ExtractTextFeatures(spec_, texts_[i].data(), texts_[i].size(), &scratch_, out);
  }

 private:
  core::FeatureSpec spec_ = TinySpec();
  std::vector<std::u32string> texts_;
  std::vector<int> labels_;
  mutable core::TextFeatureScratch scratch_;
};

inline core::Classifier TrainTinyModel(uint64_t seed = 1, core::TrainReport* report = nullptr) {
  TinyExamples train(600, 11), dev(150, 12);
  core::TrainerOptions options;
  options.hidden = {16};
  options.max_epochs = 4;
  options.batch_size = 8;
  options.learning_rate = 0.01f;
  options.seed = seed;
  core::Classifier model = *core::TrainClassifier(TinySpec(), {"am", "nz", "cyr"}, train, dev, options, report);
  model.task = "test";
  model.meta["note"] = "tiny";
  return model;
}

}  // namespace slimnlp::testing

#endif  // SLIMNLP_TESTS_CORE_TINY_MODEL_H_
