// libFuzzer target: any bytes as a CoNLL-U file, through the reader that training, evaluation and
// `slimnlp tag --input conllu` use, then written back.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "src/core/conllu.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string path = "/tmp/slimnlp-fuzz-conllu-" + std::to_string(::getpid()) + ".conllu";
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return 0;
  std::fwrite(data, 1, size, f);
  std::fclose(f);
  auto reader = slimnlp::core::ConlluReader::Open(path);
  if (!reader.ok()) return 0;
  slimnlp::core::ConlluSentence s;
  std::string problem;
  while ((*reader)->Next(&s, &problem)) {
    if (!problem.empty()) continue;
    for (size_t w : s.words) {
      if (w >= s.rows.size() || s.rows[w].form().empty()) __builtin_trap();  // What the reader promises.
    }
    (void)s.ToString();
    (void)s.Text();
  }
  std::remove(path.c_str());
  return 0;
}
