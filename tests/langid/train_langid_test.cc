// Training and evaluating a small language identifier from files, as `slimnlp train langid` does.
#include <catch2/catch.hpp>

#include "slimnlp/langid.h"
#include "slimnlp/model_info.h"
#include "src/core/rng.h"
#include "tests/test_util.h"

using namespace slimnlp;

namespace {

// Pseudo-languages with distinct syllable inventories, so a small model can learn them in seconds.
std::string MakeTsv(size_t rows, uint64_t seed) {
  const std::vector<std::pair<std::string, std::vector<std::string>>> langs = {
      {"xa", {"ka", "lo", "mi", "ne", "tu"}},
      {"xb", {"sch", "ei", "ung", "ch", "er"}},
      {"xc", {"\xD0\xB4\xD0\xB0", "\xD0\xBD\xD0\xB5", "\xD0\xBC\xD0\xB8"}},  // да не ми
  };
  core::Rng rng(seed);
  std::string out;
  for (size_t i = 0; i < rows; ++i) {
    const auto& [label, syllables] = langs[rng.Below(langs.size())];
    out += label + "\t";
    for (size_t w = 0, words = 2 + rng.Below(6); w < words; ++w) {
      for (size_t s = 0, n = 1 + rng.Below(3); s < n; ++s) out += syllables[rng.Below(syllables.size())];
      out += w + 1 < words ? " " : ".\n";
    }
  }
  return out;
}

}  // namespace

TEST_CASE("train, save, load, evaluate a small identifier within its budget", "[langid][train]") {
  testing::TempDir dir;
  testing::WriteFile(dir.File("train.tsv"), MakeTsv(3000, 1));
  testing::WriteFile(dir.File("dev.tsv"), MakeTsv(300, 2));
  LangIdTrainOptions options;
  options.train_path = dir.File("train.tsv");
  options.dev_path = dir.File("dev.tsv");
  options.output_path = dir.File("m.slim");
  options.budget_bytes = 64 * 1024;
  options.hidden = 32;
  options.epochs = 3;
  std::vector<std::string> progress;
  options.progress = [&](const std::string& line) { progress.push_back(line); };
  absl::StatusOr<LangIdTrainResult> r = TrainLanguageIdentifier(options);
  REQUIRE(r.ok());
  CHECK(r->languages == 3);
  CHECK(r->dev_accuracy_quantized > 0.95);
  CHECK(r->file_bytes <= options.budget_bytes);
  CHECK(r->memory_bytes <= options.budget_bytes);
  CHECK(progress.size() >= 4);

  absl::StatusOr<ModelInfo> info = InspectModel(options.output_path);
  REQUIRE(info.ok());
  CHECK(info->file_bytes == r->file_bytes);
  CHECK(info->memory_bytes == r->memory_bytes);

  absl::StatusOr<std::unique_ptr<LanguageIdentifier>> lid = LanguageIdentifier::Load(options.output_path);
  REQUIRE(lid.ok());
  testing::WriteFile(dir.File("test.tsv"), MakeTsv(200, 3) + "no tab here\n" + "xa\tbad \xFF utf8\n");
  std::vector<std::string> warnings;
  absl::StatusOr<LangIdEvalReport> e = EvaluateLanguageIdentifier(
      **lid, dir.File("test.tsv"), [&](const std::string& w) { warnings.push_back(w); });
  REQUIRE(e.ok());
  CHECK(e->examples == 200);
  CHECK(e->accuracy > 0.95);
  CHECK(e->skipped_lines == 2);
  REQUIRE(warnings.size() == 2);
  CHECK(warnings[0].find("test.tsv:201: no tab") != std::string::npos);
  CHECK(warnings[1].find("test.tsv:202: invalid UTF-8") != std::string::npos);
  CHECK(e->by_length.size() == 3);
  CHECK(e->per_language.size() == 3);
}

TEST_CASE("training refuses bad data and impossible budgets with clear errors", "[langid][train][bad_input]") {
  testing::TempDir dir;
  testing::WriteFile(dir.File("train.tsv"), MakeTsv(100, 1));
  testing::WriteFile(dir.File("bad.tsv"), MakeTsv(5, 1) + "xa no tab\n");
  testing::WriteFile(dir.File("dev_unknown.tsv"), "zz\tunknown label\n");
  LangIdTrainOptions options;
  options.train_path = dir.File("bad.tsv");
  options.dev_path = dir.File("train.tsv");
  options.output_path = dir.File("m.slim");
  absl::StatusOr<LangIdTrainResult> r = TrainLanguageIdentifier(options);
  CHECK(r.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(std::string(r.status().message()).find("bad.tsv:6") != std::string::npos);

  options.train_path = dir.File("train.tsv");
  options.dev_path = dir.File("dev_unknown.tsv");
  r = TrainLanguageIdentifier(options);
  CHECK(std::string(r.status().message()).find("'zz' does not occur") != std::string::npos);

  options.dev_path = dir.File("train.tsv");
  options.budget_bytes = 10000;
  CHECK(TrainLanguageIdentifier(options).status().code() == absl::StatusCode::kOutOfRange);

  options.train_path = dir.File("missing.tsv");
  CHECK(TrainLanguageIdentifier(options).status().code() == absl::StatusCode::kNotFound);
}
