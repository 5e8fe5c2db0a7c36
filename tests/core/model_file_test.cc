#include "src/core/model_file.h"

#include <catch2/catch.hpp>
#include <filesystem>

#include "src/core/classifier.h"
#include "src/core/crc32c.h"
#include "src/core/file_io.h"
#include "tests/core/tiny_model.h"
#include "tests/test_util.h"

using namespace slimnlp;

namespace {

const std::string& TinyModelBytes() {
  static const std::string bytes = testing::TrainTinyModel().Serialize();
  return bytes;
}

std::vector<float> Predict(const core::Classifier& m, const std::u32string& text) {
  core::TextFeatureScratch scratch;
  core::FeatureBags bags;
  core::ClassifierScratch net;
  core::ExtractTextFeatures(m.spec, text.data(), text.size(), &scratch, &bags);
  std::vector<float> probs(m.labels.size());
  m.Predict(bags, &net, probs.data());
  return probs;
}

// Rewrites the header's version field and its checksum, as a future writer would.
std::string WithVersion(std::string bytes, uint16_t major) {
  bytes[8] = static_cast<char>(major & 0xFF);
  bytes[9] = static_cast<char>(major >> 8);
  const uint32_t crc = core::Crc32c(std::string_view(bytes).substr(0, 36));
  for (int i = 0; i < 4; ++i) bytes[36 + i] = static_cast<char>((crc >> (8 * i)) & 0xFF);
  return bytes;
}

}  // namespace

TEST_CASE("a container round-trips its sections, compressed or not", "[model_file]") {
  const std::vector<core::Section> sections = {{"a", "hello"}, {"empty", ""}, {"bin", std::string("\0\1\2", 3)}};
  for (int level : {0, 3}) {
    absl::StatusOr<std::vector<core::Section>> back = core::DecodeContainer(core::EncodeContainer(sections, level), "x");
    REQUIRE(back.ok());
    REQUIRE(back->size() == 3);
    CHECK((*back)[0].data == "hello");
    CHECK((*back)[2].data == std::string("\0\1\2", 3));
  }
}

TEST_CASE("a saved model loads back and predicts the same", "[model_file]") {
  absl::StatusOr<core::Classifier> m = core::Classifier::Parse(TinyModelBytes(), "tiny");
  REQUIRE(m.ok());
  const core::Classifier original = testing::TrainTinyModel();
  CHECK(m->task == "test");
  CHECK(m->labels == original.labels);
  CHECK(m->MetaOr("note", "") == "tiny");
  CHECK(m->spec.ToString() == original.spec.ToString());
  for (const std::u32string& text : {std::u32string(U"abc dem"), std::u32string(U"xyz"), std::u32string(U"\u0431\u0432")}) {
    CHECK(Predict(*m, text) == Predict(original, text));
  }
}

TEST_CASE("a model truncated at any byte is refused cleanly", "[model_file][bad_input]") {
  const std::string& bytes = TinyModelBytes();
  for (size_t len = 0; len < bytes.size(); ++len) {
    absl::StatusOr<core::Classifier> m = core::Classifier::Parse(std::string_view(bytes).substr(0, len), "cut");
    REQUIRE_FALSE(m.ok());
    if (len >= 8) CHECK(m.status().code() == absl::StatusCode::kDataLoss);
  }
}

TEST_CASE("a flipped byte anywhere is caught by a checksum", "[model_file][bad_input]") {
  const std::string& bytes = TinyModelBytes();
  for (size_t pos = 8; pos < bytes.size(); pos += 7) {
    std::string bad = bytes;
    bad[pos] = static_cast<char>(bad[pos] ^ 0x20);
    absl::StatusOr<core::Classifier> m = core::Classifier::Parse(bad, "flipped");
    INFO("flipped byte " << pos);
    REQUIRE_FALSE(m.ok());
    CHECK(std::string(m.status().message()).find("corrupted") != std::string::npos);
  }
}

TEST_CASE("wrong magic and newer versions say so", "[model_file][bad_input]") {
  std::string bad = TinyModelBytes();
  bad[0] = 'X';
  absl::StatusOr<core::Classifier> m = core::Classifier::Parse(bad, "file.bin");
  CHECK(m.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(std::string(m.status().message()) == "file.bin: not a slimnlp model (bad magic)");

  m = core::Classifier::Parse(WithVersion(TinyModelBytes(), core::kFormatMajor + 1), "new.slim");
  CHECK(m.status().code() == absl::StatusCode::kFailedPrecondition);
  CHECK(std::string(m.status().message()).find("newer than this build") != std::string::npos);
  CHECK(core::Classifier::Parse("", "empty").status().code() == absl::StatusCode::kDataLoss);
}

TEST_CASE("a model that names another hash is refused", "[model_file][bad_input]") {
  absl::StatusOr<std::vector<core::Section>> sections = core::DecodeContainer(TinyModelBytes(), "x");
  REQUIRE(sections.ok());
  for (auto& s : *sections) {
    if (s.name == "meta") s.data.replace(s.data.find("hash=") + 5, 7, "fnv1a32");
  }
  absl::StatusOr<core::Classifier> m = core::Classifier::Parse(core::EncodeContainer(*sections, 3), "x");
  CHECK(m.status().code() == absl::StatusCode::kFailedPrecondition);
}

TEST_CASE("saving replaces the file atomically, and a failed write leaves the old file and no litter",
          "[model_file][file_io][bad_input]") {
  testing::TempDir dir;
  const std::string path = dir.File("model.slim");
  REQUIRE(core::WriteFileAtomically(path, "old contents").ok());
  for (uint64_t fail_after : {uint64_t{0}, uint64_t{1}, uint64_t{100}}) {
    const absl::Status s = core::WriteFileAtomically(path, TinyModelBytes(), fail_after);
    CHECK(s.code() == absl::StatusCode::kResourceExhausted);
    CHECK(testing::ReadFile(path) == "old contents");
    size_t files = 0;
    for (const auto& e : std::filesystem::directory_iterator(dir.path())) files += e.is_regular_file();
    CHECK(files == 1);
  }
  REQUIRE(core::WriteFileAtomically(path, TinyModelBytes()).ok());
  CHECK(core::Classifier::Load(path).ok());
  CHECK(core::Classifier::Load(dir.File("missing.slim")).status().code() == absl::StatusCode::kNotFound);
  CHECK(core::Classifier::Load(dir.path()).status().code() == absl::StatusCode::kInvalidArgument);
}
