// Replays each saved fuzz input (tests/regressions/<target>/) through its target's checks.
#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "slimnlp/segmenter.h"
#include "src/server/api.h"
#include "tests/test_util.h"

using namespace slimnlp;

namespace {

std::vector<std::string> Inputs(const std::string& target) {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(testing::SourceDir() + "/tests/regressions/" + target)) {
    out.push_back(testing::ReadFile(e.path().string()));
  }
  REQUIRE_FALSE(out.empty());
  return out;
}

}  // namespace

TEST_CASE("fuzz regressions: segmentation keeps every byte that is not white space", "[regression][segment]") {
  absl::StatusOr<std::unique_ptr<Segmenter>> seg = Segmenter::Load(testing::ShippedModel("seg-zh.slim"));
  REQUIRE(seg.ok());
  for (const std::string& text : Inputs("fuzz_segment")) {
    std::vector<TextSpan> tokens;
    (*seg)->Segment(text, &tokens);
    size_t pos = 0;
    for (const TextSpan& t : tokens) {
      REQUIRE(t.begin >= pos);
      REQUIRE(t.end > t.begin);
      for (size_t b = pos; b < t.begin; ++b) CHECK(std::string(" \t\n\r\v\f").find(text[b]) != std::string::npos);
      pos = t.end;
    }
  }
}

TEST_CASE("fuzz regressions: request bodies get a known status and a JSON body", "[regression][server]") {
  PipelineOptions o;
  o.models_dir = testing::SourceDir() + "/models";
  absl::StatusOr<std::unique_ptr<Pipeline>> pipeline = Pipeline::Load(o);
  REQUIRE(pipeline.ok());
  const server::Api api(**pipeline, nullptr, nullptr, {});
  for (const std::string& input : Inputs("fuzz_http_api")) {
    REQUIRE_FALSE(input.empty());
    const server::ApiResponse r = api.Handle(static_cast<server::Endpoint>(input[0] % 5), input.substr(1));
    CHECK((r.status == 200 || r.status == 400 || r.status == 404 || r.status == 413 || r.status == 503));
    const nlohmann::json j = nlohmann::json::parse(r.body, nullptr, false);
    CHECK_FALSE(j.is_discarded());
  }
}
