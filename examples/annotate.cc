// The whole pipeline on text in any supported language: identifies the language, then segments and tags the
// text with that language's models.
//
//   annotate [--models DIR] [TEXT...]           (or lines of stdin if no TEXT)
//   annotate "Je vais au marché."     ->  fr 0.99: Je/PRON vais/VERB à/ADP le/DET marché/NOUN ./PUNCT
//
// Models: --models DIR, else $SLIMNLP_MODELS, else the installed package's (SLIMNLP_MODELS_DIR, set by
// examples/CMakeLists.txt).
#include <slimnlp/pipeline.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#ifndef SLIMNLP_MODELS_DIR
#define SLIMNLP_MODELS_DIR "models"
#endif

int main(int argc, char** argv) {
  slimnlp::PipelineOptions options;
  options.models_dir = std::getenv("SLIMNLP_MODELS") ? std::getenv("SLIMNLP_MODELS") : SLIMNLP_MODELS_DIR;
  std::vector<std::string> texts;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--models" && i + 1 < argc) {
      options.models_dir = argv[++i];
    } else {
      texts.push_back(arg);
    }
  }

  // Loads the language identifier now; each language's segmenter and tagger on first use.
  absl::StatusOr<std::unique_ptr<slimnlp::Pipeline>> pipeline = slimnlp::Pipeline::Load(options);
  if (!pipeline.ok()) {
    std::cerr << "annotate: " << pipeline.status() << "\n";
    return 1;
  }

  int exit_code = 0;
  const auto annotate = [&](const std::string& text) {
    absl::StatusOr<slimnlp::Annotation> a = (*pipeline)->Annotate(text);
    if (!a.ok()) {
      std::cerr << "annotate: " << a.status() << "\n";
      exit_code = 1;
      return;
    }
    std::cout << a->language;
    std::printf(" %.2f:", a->probability);
    for (const slimnlp::Word& word : a->words) std::cout << ' ' << word.form << '/' << word.upos;
    std::cout << '\n';
  };
  if (texts.empty()) {
    for (std::string line; std::getline(std::cin, line);) annotate(line);
  } else {
    for (const std::string& text : texts) annotate(text);
  }
  return exit_code;
}
