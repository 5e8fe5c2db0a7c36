// libFuzzer target: any bytes as an index file. Opening must fail cleanly or give an index that searches and
// returns its documents (or a clean error for a damaged block). The checksums are recomputed over the mutated
// bytes first: otherwise nearly every mutation stops at the CRC check and the parsers behind it go unfuzzed.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>

#include "slimnlp/retrieval.h"
#include "src/core/crc32c.h"
#include "src/retrieval/index_format.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string path = "/tmp/fuzz_index_loader." + std::to_string(getpid());
  std::string bytes(reinterpret_cast<const char*>(data), size);
  namespace r = slimnlp::retrieval;
  if (size >= r::kHeaderBytes) {
    const uint32_t body = slimnlp::core::Crc32cExtend(0, bytes.data() + r::kHeaderBytes, size - r::kHeaderBytes);
    std::memcpy(bytes.data() + r::kHeaderCrcOffset, &body, 4);
    const uint32_t header = slimnlp::core::Crc32cExtend(0, bytes.data(), r::kHeaderCrcOffset);
    std::memcpy(bytes.data() + r::kHeaderCrcOffset + 4, &header, 4);
  }
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return 0;
  std::fwrite(bytes.data(), 1, bytes.size(), f);
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
