// Part-of-speech tags a sentence (UPOS): splits it into words with the language's segmenter (seg-LANG.slim,
// multiword tokens such as "don't" expanded to "do n't", as `slimnlp tag` does), else with SimpleTokenize, then
// tags them.
//
//   tag [--models DIR] [--lang LANG] [SENTENCE...]
//   tag "The cat sat on the mat."          ->  The/DET cat/NOUN sat/VERB on/ADP the/DET mat/NOUN ./PUNCT
//
// LANG picks the model pos-LANG.slim (default: en). Models: --models DIR, else $SLIMNLP_MODELS, else the
// installed package's (SLIMNLP_MODELS_DIR, set by examples/CMakeLists.txt).
#include <slimnlp/segmenter.h>
#include <slimnlp/tagger.h>

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
  std::string lang = "en";
  std::string sentence;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--models" && i + 1 < argc) {
      models = argv[++i];
    } else if (arg == "--lang" && i + 1 < argc) {
      lang = argv[++i];
    } else {
      sentence += (sentence.empty() ? "" : " ") + arg;
    }
  }
  if (sentence.empty()) sentence = "The cat sat on the mat.";

  absl::StatusOr<std::unique_ptr<slimnlp::Tagger>> tagger = slimnlp::Tagger::Load(models + "/pos-" + lang + ".slim");
  if (!tagger.ok()) {
    std::cerr << "tag: " << tagger.status() << "\n";
    return 1;
  }
  std::vector<std::string> words;
  if (auto seg = slimnlp::Segmenter::Load(models + "/seg-" + lang + ".slim"); seg.ok()) {
    (*seg)->SegmentWords(sentence, &words);
  } else {
    for (std::string_view t : slimnlp::SimpleTokenize(sentence)) words.emplace_back(t);
  }
  const std::vector<std::string_view> tokens(words.begin(), words.end());
  std::vector<std::string_view> tags;  // Views into the model's tag names.
  if (absl::Status s = (*tagger)->Tag(tokens, &tags); !s.ok()) {
    std::cerr << "tag: " << s << "\n";
    return 1;
  }
  for (size_t i = 0; i < tokens.size(); ++i) std::cout << (i ? " " : "") << tokens[i] << '/' << tags[i];
  std::cout << '\n';
  return 0;
}
