// `slimnlp annotate`: the pipeline on raw text, a line at a time: language identification, then the segmenter
// (tokenizer) and the tagger of that language, each loaded the first time its language is seen.
#include <mutex>
#include <set>
#include <nlohmann/json.hpp>

#include "absl/strings/str_format.h"
#include "slimnlp/pipeline.h"
#include "src/cli/cli_common.h"
#include "src/cli/parallel_lines.h"
#include "src/cli/words_conllu.h"

namespace slimnlp::cli {
namespace {

struct AnnotateArgs {
  std::string format = "conllu", file = "-", langid_model, models_dir;
  std::vector<std::string> texts;
  size_t max_line_bytes = 1 << 20;
  bool no_split = false;
  int threads = 1;
};

int RunAnnotate(const AnnotateArgs& args) {
  PipelineOptions options;
  options.langid_model = args.langid_model;
  options.models_dir = args.models_dir;
  options.split_sentences = !args.no_split;
  if (options.models_dir.empty()) options.models_dir = DefaultModelsDir();
  absl::StatusOr<std::unique_ptr<Pipeline>> pipeline = Pipeline::Load(options);
  if (!pipeline.ok()) {
    std::fprintf(stderr, "slimnlp annotate: %s\n", std::string(pipeline.status().message()).c_str());
    return 2;
  }
  // A language without a tagger or segmenter is said once on stderr, and on every sentence it touches.
  std::mutex told_mu;
  std::set<std::string> told;
  const auto missing_models = [&](const Annotation& a, LineSink& sink) {
    const std::string note = MissingModelsNote(a.language, a.segmented, a.tagged);
    if (note.empty()) return note;
    std::lock_guard<std::mutex> lock(told_mu);
    if (told.insert(a.language).second) {
      sink.Err(absl::StrFormat("slimnlp annotate: language '%s': %s (models in %s)\n", a.language, note,
                               options.models_dir));
    }
    return note;
  };
  const auto annotate = [&](const std::string& line, size_t n, LineSink& sink) -> bool {
    absl::StatusOr<Annotation> a = (*pipeline)->Annotate(line);
    if (absl::IsInvalidArgument(a.status())) {
      // Invalid UTF-8: reported on stderr, and in JSON marked on its line. CoNLL-U has no place for it (a
      // sentence without words, or comments without a sentence, is invalid), so its sent_ids say what is missing.
      const std::string message(a.status().message());
      sink.Err(absl::StrFormat("slimnlp annotate: line %d: %s\n", n, message));
      if (args.format == "json") sink.Out(nlohmann::json{{"line", n}, {"error", message}}.dump() + "\n");
      return true;
    }
    if (!a.ok()) {
      sink.Err(absl::StrFormat("slimnlp annotate: line %d: %s\n", n, a.status().message()));
      return false;
    }
    if (args.format == "json") {
      missing_models(*a, sink);
      nlohmann::json tokens = nlohmann::json::array();
      for (const Word& w : a->words) {
        tokens.push_back({{"text", w.form}, {"begin", w.span.begin}, {"end", w.span.end}, {"upos", w.upos}});
      }
      sink.Out(nlohmann::json{{"line", n},
                              {"language", a->language},
                              {"probability", a->probability},
                              {"reliable", a->reliable},
                              {"segmented", a->segmented},
                              {"tagged", a->tagged},
                              {"split", a->split},
                              {"sentences", SentencesJson(*a)},
                              {"tokens", tokens}}
                   .dump() +
               "\n");
    } else {
      // sent_id: the input line's number, so that a sentence can be traced to its line (and a skipped line seen).
      std::string header = absl::StrFormat("# language = %s %.4f%s\n", a->language, a->probability,
                                           a->reliable ? "" : " (unreliable)");
      if (const std::string note = missing_models(*a, sink); !note.empty()) header += "# models = " + note + "\n";
      sink.Out(SentencesToConllu(line, a->words, a->sentence_starts, std::to_string(n), header));
    }
    return true;
  };
  if (!args.texts.empty()) return ForEachText(args.texts, args.threads, annotate);
  return ForEachLine("slimnlp annotate", args.file, args.max_line_bytes, "annotated", args.threads, annotate);
}

}  // namespace

void AddAnnotateCommand(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<AnnotateArgs>();
  CLI::App* a = app.add_subcommand(
      "annotate",
      "The whole pipeline on raw text, a paragraph a line, in any supported language: language identification,\n"
      "then that language's sentence splitter (sent-<lang>.slim; else the line is one sentence), segmenter\n"
      "(seg-<lang>.slim; else the simple tokenizer) and tagger (pos-<lang>.slim; else no tags).\n"
      "Output: CoNLL-U (# sent_id = the input line's number, or N.1, N.2, ... for the sentences of line N;\n"
      "# language and # text comments,\n"
      "multiword tokens as range lines; blank and invalid lines give no sentence, the latter reported on stderr)\n"
      "or JSON with byte offsets into the line. A UTF-8 byte-order mark at the start is skipped.\n"
      "\nExamples:\n"
      "  echo 'Je vais au marché.' | slimnlp annotate\n"
      "  slimnlp annotate --format json --file mixed.txt\n");
  a->add_option("text", args->texts, "Texts (default: lines of --file or stdin)");
  a->add_option("-f,--format", args->format, "conllu or json")->check(CLI::IsMember({"conllu", "json"}))->capture_default_str();
  a->add_option("--file", args->file, "Input file, plain or .zst (default: stdin)")->capture_default_str();
  a->add_option("--models", args->models_dir,
                "Directory of langid.slim, seg-<lang>.slim and pos-<lang>.slim (default: the shipped models)");
  a->add_option("--langid-model", args->langid_model, "Language identification model (default: <models>/langid.slim)");
  a->add_flag("--no-split", args->no_split,
              "Each line is one sentence: do not split lines into sentences with the language's sent-<lang>.slim");
  a->add_option("--max-line-bytes", args->max_line_bytes, "Longer lines are annotated up to this many bytes")
      ->capture_default_str();
  AddThreadsOption(a, &args->threads);
  a->callback([args, exit_code] { *exit_code = RunAnnotate(*args); });
}

}  // namespace slimnlp::cli
