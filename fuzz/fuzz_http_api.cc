// libFuzzer target: request bodies for the HTTP service, through the same Api the server calls. The first
// byte picks the endpoint, the rest is the body. Every answer must be a known status with a JSON body, and
// an error must say its status in that body.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "src/server/api.h"

namespace {

struct Service {
  std::unique_ptr<slimnlp::Pipeline> pipeline;
  std::unique_ptr<slimnlp::ShardedIndex> index;
  std::unique_ptr<slimnlp::server::Api> api;
};

Service* Start() {
  auto s = new Service;
  slimnlp::PipelineOptions o;
  o.models_dir = std::string(SLIMNLP_SOURCE_DIR) + "/models";
  o.preload = true;
  auto p = slimnlp::Pipeline::Load(o);
  if (!p.ok()) __builtin_trap();
  s->pipeline = *std::move(p);
  const std::filesystem::path dir = std::filesystem::temp_directory_path();
  std::ofstream(dir / "fuzz_http_api.jsonl")
      << "{\"id\": \"a\", \"title\": \"Paris\", \"text\": \"Paris is the capital of France.\"}\n"
      << "{\"id\": \"b\", \"title\": \"Rome\", \"text\": \"Rome was founded in 753 BC.\"}\n";
  slimnlp::IndexBuildOptions b;
  b.input_paths = {(dir / "fuzz_http_api.jsonl").string()};
  b.output_path = (dir / "fuzz_http_api.index").string();
  if (!slimnlp::BuildIndex(b).ok()) __builtin_trap();
  auto index = slimnlp::ShardedIndex::Open({b.output_path});
  if (!index.ok()) __builtin_trap();
  s->index = *std::move(index);
  slimnlp::server::ApiLimits limits;
  limits.max_batch = 8;
  limits.max_text_bytes = 4096;
  s->api = std::make_unique<slimnlp::server::Api>(*s->pipeline, s->index.get(), nullptr, limits);
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Service* service = Start();
  if (size == 0) return 0;
  const auto endpoint = static_cast<slimnlp::server::Endpoint>(data[0] % 5);
  const std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
  const slimnlp::server::ApiResponse r = service->api->Handle(endpoint, body);
  if (r.status != 200 && r.status != 400 && r.status != 404 && r.status != 413 && r.status != 503) __builtin_trap();
  const nlohmann::json j = nlohmann::json::parse(r.body, nullptr, false);
  if (j.is_discarded()) __builtin_trap();
  if (r.status != 200 && (!j.contains("error") || j["error"]["status"] != r.status)) __builtin_trap();
  return 0;
}
