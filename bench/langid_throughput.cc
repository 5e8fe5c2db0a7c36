// Single-thread throughput of LanguageIdentifier::Identify over the lines of a file (texts only, one per
// line), excluding I/O: the file is read into memory first. Prints the median of --runs passes.
//   build/langid_throughput models/langid.slim texts.txt [runs]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "slimnlp/langid.h"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s MODEL TEXTS [RUNS]\n", argv[0]);
    return 2;
  }
  const int runs = argc > 3 ? std::atoi(argv[3]) : 5;
  auto lid = slimnlp::LanguageIdentifier::Load(argv[1]);
  if (!lid.ok()) {
    std::fprintf(stderr, "%s\n", std::string(lid.status().message()).c_str());
    return 2;
  }
  std::ifstream in(argv[2]);
  std::vector<std::string> texts;
  size_t bytes = 0;
  for (std::string line; std::getline(in, line);) {
    bytes += line.size();
    texts.push_back(std::move(line));
  }
  std::vector<double> seconds;
  size_t checksum = 0;  // Keeps the work observable so it cannot be optimized away.
  for (int r = 0; r < runs; ++r) {
    const auto start = std::chrono::steady_clock::now();
    for (const auto& t : texts) {
      auto g = (*lid)->Identify(t);
      checksum += g.ok() ? g->language.size() : 0;
    }
    seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(seconds.begin(), seconds.end());
  const double median = seconds[seconds.size() / 2];
  std::printf("texts %zu bytes %zu runs %d median_s %.4f texts_per_s %.0f mb_per_s %.2f checksum %zu\n", texts.size(),
              bytes, runs, median, texts.size() / median, bytes / median / 1e6, checksum);
  return 0;
}
