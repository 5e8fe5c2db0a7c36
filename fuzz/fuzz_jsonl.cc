// libFuzzer target: any bytes as a JSONL corpus for BuildIndex. Building must succeed (skipping bad lines) or
// fail cleanly, and what it builds must open and search.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "slimnlp/retrieval.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string in = "/tmp/fuzz_jsonl." + std::to_string(getpid()) + ".jsonl";
  static const std::string out = "/tmp/fuzz_jsonl." + std::to_string(getpid()) + ".index";
  std::FILE* f = std::fopen(in.c_str(), "wb");
  if (!f) return 0;
  std::fwrite(data, 1, size, f);
  std::fclose(f);
  slimnlp::IndexBuildOptions o;
  o.input_paths = {in};
  o.output_path = out;
  o.max_document_bytes = 4096;
  absl::StatusOr<slimnlp::IndexBuildResult> built = slimnlp::BuildIndex(o);
  if (!built.ok()) return 0;
  absl::StatusOr<std::unique_ptr<slimnlp::Index>> index = slimnlp::Index::Open(out);
  if (!index.ok() || (*index)->size() != built->documents) __builtin_trap();  // What we write, we must read.
  std::vector<slimnlp::SearchHit> hits;
  (*index)->Search(std::string(reinterpret_cast<const char*>(data), std::min<size_t>(size, 64)), {}, &hits);
  for (const auto& h : hits) {
    if (!(*index)->GetDocument(h.doc).ok()) __builtin_trap();
  }
  return 0;
}
