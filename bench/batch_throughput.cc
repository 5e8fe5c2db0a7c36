// The C++ side of bench/python_bench.py: one thread, the lines of a file (read into memory first) through
// LanguageIdentifier::Identify or Pipeline::Annotate, after one warm-up pass (the pipeline loads a language's
// models on first use). Prints the median of RUNS passes.
//   build/batch_throughput langid|annotate MODELS_DIR TEXTS [RUNS]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "slimnlp/langid.h"
#include "slimnlp/pipeline.h"

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: %s langid|annotate MODELS_DIR TEXTS [RUNS]\n", argv[0]);
    return 2;
  }
  const std::string task = argv[1], models = argv[2];
  const int runs = argc > 4 ? std::atoi(argv[4]) : 5;
  std::ifstream in(argv[3]);
  std::vector<std::string> texts;
  for (std::string line; std::getline(in, line);) texts.push_back(std::move(line));

  slimnlp::PipelineOptions options;
  options.models_dir = models;
  auto lid = slimnlp::LanguageIdentifier::Load(models + "/langid.slim");
  auto pipeline = slimnlp::Pipeline::Load(options);
  if (!lid.ok() || !pipeline.ok()) {
    std::fprintf(stderr, "cannot load the models in %s\n", models.c_str());
    return 2;
  }
  size_t checksum = 0;  // Keeps the work observable so it cannot be optimized away.
  std::function<void()> pass;
  if (task == "langid") {
    pass = [&] {
      for (const auto& t : texts) {
        auto g = (*lid)->Identify(t);
        checksum += g.ok() ? g->language.size() : 0;
      }
    };
  } else if (task == "annotate") {
    pass = [&] {
      for (const auto& t : texts) {
        auto a = (*pipeline)->Annotate(t);
        checksum += a.ok() ? a->words.size() : 0;
      }
    };
  } else {
    std::fprintf(stderr, "unknown task %s\n", task.c_str());
    return 2;
  }
  pass();
  std::vector<double> seconds;
  for (int r = 0; r < runs; ++r) {
    const auto start = std::chrono::steady_clock::now();
    pass();
    seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(seconds.begin(), seconds.end());
  std::printf("task %s texts %zu runs %d median_s %.5f texts_per_s %.0f checksum %zu\n", task.c_str(), texts.size(),
              runs, seconds[seconds.size() / 2], texts.size() / seconds[seconds.size() / 2], checksum);
  return 0;
}
