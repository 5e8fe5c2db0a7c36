// `slimnlp annotate`: the pipeline on raw text, a line at a time: language identification, then the segmenter
// (tokenizer) and the tagger of that language, each loaded the first time its language is seen.
#include <map>
#include <nlohmann/json.hpp>

#include "absl/strings/str_format.h"
#include "slimnlp/langid.h"
#include "src/cli/cli_common.h"
#include "src/cli/word_splitter.h"
#include "src/core/utf8.h"

namespace slimnlp::cli {
namespace {

struct AnnotateArgs {
  std::string format = "conllu", file = "-", langid_model;
  std::vector<std::string> texts;
  size_t max_line_bytes = 1 << 20;
};

// The shipped models of one language; either may be missing (then SimpleTokenize, or no tags).
struct LanguageModels {
  std::unique_ptr<WordSplitter> splitter;
  std::unique_ptr<Tagger> tagger;
};

// Loads the models of `language` ("zh" for "zh-Hant"); a model that exists but does not load is an error.
absl::StatusOr<LanguageModels> LoadLanguage(const std::string& language) {
  LanguageModels m;
  std::unique_ptr<Segmenter> segmenter;
  if (const std::string seg = DefaultModelPath("seg-" + language + ".slim"); FileExists(seg)) {
    absl::StatusOr<std::unique_ptr<Segmenter>> s = Segmenter::Load(seg);
    if (!s.ok()) return s.status();
    segmenter = *std::move(s);
  }
  m.splitter = std::make_unique<WordSplitter>(std::move(segmenter));
  if (const std::string pos = DefaultModelPath("pos-" + language + ".slim"); FileExists(pos)) {
    absl::StatusOr<std::unique_ptr<Tagger>> t = Tagger::Load(pos);
    if (!t.ok()) return t.status();
    m.tagger = *std::move(t);
  }
  return m;
}

int RunAnnotate(const AnnotateArgs& args) {
  const std::string lid_path = args.langid_model.empty() ? DefaultModelPath("langid.slim") : args.langid_model;
  absl::StatusOr<std::unique_ptr<LanguageIdentifier>> lid = LanguageIdentifier::Load(lid_path);
  if (!lid.ok()) {
    std::fprintf(stderr, "slimnlp annotate: %s\n", std::string(lid.status().message()).c_str());
    return 2;
  }
  std::map<std::string, LanguageModels> models;
  Output out;
  std::vector<Word> words;
  std::vector<std::string_view> forms, tags;
  const auto annotate = [&](const std::string& line, size_t n) -> bool {
    if (absl::Status v = core::ValidateUtf8(line); !v.ok()) {
      std::fprintf(stderr, "slimnlp annotate: line %zu: %s\n", n, std::string(v.message()).c_str());
      out.Write(args.format == "json" ? nlohmann::json{{"line", n}, {"error", std::string(v.message())}}.dump() + "\n"
                                      : absl::StrFormat("# line = %d\n# error = %s\n\n", n, v.message()));
      return true;
    }
    absl::StatusOr<LanguageGuess> guess = (*lid)->Identify(line);
    if (!guess.ok()) return false;
    const std::string language(guess->language.substr(0, guess->language.find('-')));
    auto it = models.find(language);
    if (it == models.end()) {
      absl::StatusOr<LanguageModels> m = LoadLanguage(language);
      if (!m.ok()) {
        std::fprintf(stderr, "slimnlp annotate: %s\n", std::string(m.status().message()).c_str());
        return false;
      }
      it = models.emplace(language, *std::move(m)).first;
    }
    it->second.splitter->Split(line, &words);
    forms.clear();
    for (const Word& w : words) forms.push_back(w.form);
    tags.assign(words.size(), "_");
    if (it->second.tagger && !words.empty()) {
      if (absl::Status st = it->second.tagger->Tag(forms, &tags); !st.ok()) {
        std::fprintf(stderr, "slimnlp annotate: line %zu: %s\n", n, std::string(st.message()).c_str());
        tags.assign(words.size(), "_");
      }
    }
    if (args.format == "json") {
      nlohmann::json tokens = nlohmann::json::array();
      for (size_t i = 0; i < words.size(); ++i) {
        tokens.push_back({{"text", words[i].form}, {"begin", words[i].span.begin}, {"end", words[i].span.end},
                          {"upos", tags[i]}});
      }
      out.Write(nlohmann::json{{"line", n},
                               {"language", guess->language},
                               {"probability", guess->probability},
                               {"reliable", guess->reliable},
                               {"tokens", tokens}}
                    .dump() +
                "\n");
    } else {
      out.Write(absl::StrFormat("# language = %s %.4f%s\n", guess->language, guess->probability,
                                guess->reliable ? "" : " (unreliable)"));
      out.Write(WordsToConllu(line, words, tags));
    }
    return true;
  };
  if (!args.texts.empty()) {
    for (size_t i = 0; i < args.texts.size(); ++i)
      if (!annotate(args.texts[i], i + 1)) return 2;
    return 0;
  }
  return ForEachCappedLine("slimnlp annotate", args.file, args.max_line_bytes, "annotated", annotate);
}

}  // namespace

void AddAnnotateCommand(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<AnnotateArgs>();
  CLI::App* a = app.add_subcommand(
      "annotate",
      "The whole pipeline on raw text, one sentence a line, in any supported language: language identification,\n"
      "then that language's segmenter (seg-<lang>.slim; else the simple tokenizer) and tagger (pos-<lang>.slim;\n"
      "else no tags). Output: CoNLL-U (# language and # text comments, multiword tokens as range lines) or JSON\n"
      "with byte offsets into the line.\n"
      "\nExamples:\n"
      "  echo 'Je vais au marché.' | slimnlp annotate\n"
      "  slimnlp annotate --format json --file mixed.txt\n");
  a->add_option("text", args->texts, "Texts (default: lines of --file or stdin)");
  a->add_option("-f,--format", args->format, "conllu or json")->check(CLI::IsMember({"conllu", "json"}))->capture_default_str();
  a->add_option("--file", args->file, "Input file, plain or .zst (default: stdin)")->capture_default_str();
  a->add_option("--langid-model", args->langid_model, "Language identification model (default: the shipped one)");
  a->add_option("--max-line-bytes", args->max_line_bytes, "Longer lines are annotated up to this many bytes")
      ->capture_default_str();
  a->callback([args, exit_code] { *exit_code = RunAnnotate(*args); });
}

}  // namespace slimnlp::cli
