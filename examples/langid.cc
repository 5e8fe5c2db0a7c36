// Identifies the language of each argument, or of each line of stdin if there is none.
//
//   langid [--models DIR] [TEXT...]
//   langid "Ceci est une phrase."        ->  fr  1.000  reliable
//
// Models: --models DIR, else $SLIMNLP_MODELS, else the installed package's (SLIMNLP_MODELS_DIR, set by
// examples/CMakeLists.txt).
#include <slimnlp/langid.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#ifndef SLIMNLP_MODELS_DIR
#define SLIMNLP_MODELS_DIR "models"
#endif

int main(int argc, char** argv) {
  std::string models = std::getenv("SLIMNLP_MODELS") ? std::getenv("SLIMNLP_MODELS") : SLIMNLP_MODELS_DIR;
  std::vector<std::string> texts;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--models" && i + 1 < argc) {
      models = argv[++i];
    } else {
      texts.push_back(arg);
    }
  }

  absl::StatusOr<std::unique_ptr<slimnlp::LanguageIdentifier>> lid =
      slimnlp::LanguageIdentifier::Load(models + "/langid.slim");
  if (!lid.ok()) {
    std::cerr << "langid: " << lid.status() << "\n";
    return 1;
  }

  int exit_code = 0;
  const auto identify = [&](const std::string& text) {
    absl::StatusOr<slimnlp::LanguageGuess> guess = (*lid)->Identify(text);
    if (!guess.ok()) {  // Invalid UTF-8.
      std::cerr << "langid: " << guess.status() << "\n";
      exit_code = 1;
      return;
    }
    std::printf("%.*s\t%.3f\t%s\n", static_cast<int>(guess->language.size()), guess->language.data(),
                guess->probability, guess->reliable ? "reliable" : "unreliable");
  };
  if (texts.empty()) {
    for (std::string line; std::getline(std::cin, line);) identify(line);
  } else {
    for (const std::string& text : texts) identify(text);
  }
  return exit_code;
}
