#include "src/core/trainer.h"

#include <catch2/catch.hpp>

#include "tests/core/tiny_model.h"

using namespace slimnlp;

TEST_CASE("the trainer learns a separable task and quantization keeps it", "[trainer]") {
  core::TrainReport report;
  const core::Classifier model = testing::TrainTinyModel(1, &report);
  CHECK(report.dev_accuracy_float > 0.95);
  CHECK(report.dev_accuracy_quantized > 0.95);
  CHECK(report.best_epoch >= 1);
  testing::TinyExamples test(200, 99);
  CHECK(core::EvaluateAccuracy(model, test) > 0.95);
}

TEST_CASE("a fixed seed gives the same model bit for bit, another seed does not", "[trainer][determinism]") {
  const std::string a = testing::TrainTinyModel(5).Serialize();
  const std::string b = testing::TrainTinyModel(5).Serialize();
  const std::string c = testing::TrainTinyModel(6).Serialize();
  CHECK(a == b);
  CHECK(a != c);
}

TEST_CASE("the trainer refuses impossible settings", "[trainer]") {
  testing::TinyExamples train(10, 1), empty(0, 2);
  core::TrainerOptions options;
  CHECK_FALSE(core::TrainClassifier(testing::TinySpec(), {"a", "b", "c"}, empty, train, options, nullptr).ok());
  CHECK_FALSE(core::TrainClassifier(testing::TinySpec(), {"a"}, train, train, options, nullptr).ok());
  options.hidden = {4, 4, 4};
  CHECK_FALSE(core::TrainClassifier(testing::TinySpec(), {"a", "b", "c"}, train, train, options, nullptr).ok());
}
