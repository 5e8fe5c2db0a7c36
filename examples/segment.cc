// Segments Chinese text (or any language with a seg-LANG.slim model) into words, printed space-separated.
//
//   segment [--models DIR] [--lang LANG] [TEXT...]
//   segment "然而，這樣的處理也衍生了一些問題。"   ->  然而 ， 這樣 的 處理 也 衍生 了 一些 問題 。
//
// LANG picks the model seg-LANG.slim (default: zh). Models: --models DIR, else $SLIMNLP_MODELS, else the
// installed package's (SLIMNLP_MODELS_DIR, set by examples/CMakeLists.txt).
#include <slimnlp/segmenter.h>

#include <cstdlib>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#ifndef SLIMNLP_MODELS_DIR
#define SLIMNLP_MODELS_DIR "models"
#endif

int main(int argc, char** argv) {
  std::string models = std::getenv("SLIMNLP_MODELS") ? std::getenv("SLIMNLP_MODELS") : SLIMNLP_MODELS_DIR;
  std::string lang = "zh";
  std::vector<std::string> texts;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--models" && i + 1 < argc) {
      models = argv[++i];
    } else if (arg == "--lang" && i + 1 < argc) {
      lang = argv[++i];
    } else {
      texts.push_back(arg);
    }
  }
  if (texts.empty()) texts.push_back("然而，這樣的處理也衍生了一些問題。");

  absl::StatusOr<std::unique_ptr<slimnlp::Segmenter>> segmenter =
      slimnlp::Segmenter::Load(models + "/seg-" + lang + ".slim");
  if (!segmenter.ok()) {
    std::cerr << "segment: " << segmenter.status() << "\n";
    return 1;
  }
  std::vector<slimnlp::TextSpan> tokens;  // Byte spans into the text.
  for (const std::string& text : texts) {
    (*segmenter)->Segment(text, &tokens);
    for (size_t i = 0; i < tokens.size(); ++i) {
      std::cout << (i ? " " : "") << std::string_view(text).substr(tokens[i].begin, tokens[i].end - tokens[i].begin);
    }
    std::cout << '\n';
  }
  return 0;
}
