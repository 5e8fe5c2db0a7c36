// libFuzzer target: any bytes as a labelled TSV file, plain or (first byte odd) zstd-compressed, through the
// line reader and the TSV parser that training and evaluation use.
#include <unistd.h>
#include <zstd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "src/langid/tsv_dataset.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const bool zst = data[0] & 1;
  static const std::string base = "/tmp/slimnlp-fuzz-tsv-" + std::to_string(::getpid());
  const std::string path = base + (zst ? ".tsv.zst" : ".tsv");
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return 0;
  std::string body(reinterpret_cast<const char*>(data + 1), size - 1);
  if (zst && (data[0] & 2)) {  // Half the zstd cases: valid frames of fuzzed text, to reach the parser.
    std::string z(ZSTD_compressBound(body.size()), '\0');
    z.resize(ZSTD_compress(z.data(), z.size(), body.data(), body.size(), 1));
    body = z;
  }
  std::fwrite(body.data(), 1, body.size(), f);
  std::fclose(f);
  size_t bad = 0;
  auto rows = slimnlp::langid::ReadLabeledTsv(path, [&](const std::string&) { ++bad; });
  if (rows.ok()) {
    for (const auto& r : *rows)
      if (r.label.empty() || r.label.find('\t') != std::string::npos) __builtin_trap();
  }
  std::remove(path.c_str());
  return 0;
}
