// libFuzzer target: any bytes as an index file. Opening must fail cleanly or give an index that searches and
// returns its documents (or a clean error for a damaged block).
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "slimnlp/retrieval.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string path = "/tmp/fuzz_index_loader." + std::to_string(getpid());
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return 0;
  std::fwrite(data, 1, size, f);
  std::fclose(f);
  absl::StatusOr<std::unique_ptr<slimnlp::Index>> index = slimnlp::Index::Open(path);
  if (!index.ok()) return 0;
  std::vector<slimnlp::SearchHit> hits;
  for (const char* query : {"alpha beta", "the capital of france", "gamma"}) {
    (*index)->Search(query, {}, &hits);
    for (const auto& h : hits) {
      if (h.doc >= (*index)->size()) __builtin_trap();
      (void)(*index)->GetDocument(h.doc);
    }
  }
  (void)(*index)->GetDocument(0);
  return 0;
}
