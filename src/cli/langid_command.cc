// `slimnlp langid`: the language of each text given as an argument, or of each line of standard input.
#include <nlohmann/json.hpp>

#include "absl/strings/str_format.h"
#include "slimnlp/langid.h"
#include "src/cli/cli_common.h"
#include "src/cli/parallel_lines.h"
#include "src/core/line_reader.h"
#include "src/core/utf8.h"

namespace slimnlp::cli {
namespace {

struct LangIdArgs {
  std::string model;
  std::vector<std::string> texts;
  int top_k = 1;
  std::string format = "tsv", file = "-";
  bool spans = false;
  float threshold = LangIdOptions{}.reliability_threshold;
  size_t max_line_bytes = 1 << 16;
  int threads = 1;
};

// Identifies one input and writes its output line: thread-safe (the identifier is, and the buffers are the
// thread's own).
class Printer {
 public:
  Printer(const LanguageIdentifier& lid, const LangIdArgs& args) : lid_(lid), args_(args) {}

  bool Handle(std::string_view text, size_t line_number, LineSink& sink) const {
    thread_local std::vector<LanguageGuess> top;
    thread_local std::vector<LanguageSpan> spans;
    absl::Status status = args_.spans ? lid_.IdentifySpans(text, &spans) : lid_.IdentifyTopK(text, args_.top_k, &top);
    if (!status.ok()) {
      sink.Err(absl::StrFormat("slimnlp langid: line %d: %s\n", line_number, status.message()));
      if (args_.format == "json") {
        sink.Out(nlohmann::json{{"line", line_number}, {"error", std::string(status.message())}}.dump() + "\n");
      } else {
        sink.Out(absl::StrFormat("%s\t0\tfalse\terror: %s\n", kUndetermined, status.message()));
      }
      return true;  // The run goes on.
    }
    sink.Out(args_.format == "json" ? Json(text, top, spans) : Tsv(top, spans));
    return true;
  }

 private:
  static nlohmann::json GuessJson(const LanguageGuess& g) {
    return {{"language", g.language}, {"probability", std::round(g.probability * 1e4) / 1e4},
            {"reliable", g.reliable}};
  }
  std::string Json(std::string_view text, const std::vector<LanguageGuess>& top,
                   const std::vector<LanguageSpan>& spans) const {
    nlohmann::json j;
    if (args_.spans) {
      j["spans"] = nlohmann::json::array();
      for (const auto& s : spans) {
        nlohmann::json span = GuessJson(s.guess);
        span["begin"] = s.begin;
        span["end"] = s.end;
        span["text"] = text.substr(s.begin, s.end - s.begin);
        j["spans"].push_back(span);
      }
    } else {
      j = GuessJson(top.front());
      if (args_.top_k > 1) {
        j["top"] = nlohmann::json::array();
        for (const auto& g : top) j["top"].push_back(GuessJson(g));
      }
    }
    return j.dump() + "\n";
  }
  std::string Tsv(const std::vector<LanguageGuess>& top, const std::vector<LanguageSpan>& spans) const {
    std::string line;
    if (args_.spans) {
      for (const auto& s : spans) {
        absl::StrAppendFormat(&line, "%s%d-%d:%s:%.4f:%s", line.empty() ? "" : "\t", s.begin, s.end,
                              s.guess.language, s.guess.probability, s.guess.reliable ? "reliable" : "unreliable");
      }
      return line + "\n";
    }
    line = absl::StrFormat("%s\t%.4f\t%s", top[0].language, top[0].probability, top[0].reliable ? "true" : "false");
    for (size_t i = 1; i < top.size(); ++i) absl::StrAppendFormat(&line, "\t%s\t%.4f", top[i].language, top[i].probability);
    return line + "\n";
  }

  const LanguageIdentifier& lid_;
  const LangIdArgs& args_;
};

int Run(const LangIdArgs& args) {
  LangIdOptions options;
  options.reliability_threshold = args.threshold;
  const std::string path = args.model.empty() ? DefaultModelPath("langid.slim") : args.model;
  absl::StatusOr<std::unique_ptr<LanguageIdentifier>> lid = LanguageIdentifier::Load(path, options);
  if (!lid.ok()) {
    std::fprintf(stderr, "slimnlp langid: %s\n", std::string(lid.status().message()).c_str());
    return 2;
  }
  const Printer printer(**lid, args);
  const LineFn handle = [&](std::string& text, size_t n, LineSink& sink) { return printer.Handle(text, n, sink); };
  if (!args.texts.empty()) return ForEachText(args.texts, args.threads, handle);
  return ForEachLine("slimnlp langid", args.file, args.max_line_bytes, "read", args.threads, handle);
}

}  // namespace

void AddLangIdCommand(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<LangIdArgs>();
  CLI::App* cmd = app.add_subcommand(
      "langid",
      "Identify the language of each TEXT argument, or of each line of --file or standard input (plain or\n"
      "zstd-compressed, recognized by its content).\n"
      "\n"
      "Output (tsv, one line per input): language, probability, reliable (true/false), then the\n"
      "other top-k languages and probabilities. Text without letters gives 'und'. An answer is\n"
      "'reliable' when its probability reaches --threshold and the text has 3 letters or more: short\n"
      "texts such as 'hello world' are often not, and then the language is a guess. Invalid UTF-8 is reported on stderr with its line\n"
      "number and gives an 'und ... error:' line, and the stream goes on.\n"
      "\n"
      "Examples:\n"
      "  echo 'Das ist ein Satz.' | slimnlp langid\n"
      "  slimnlp langid --top-k 3 --format json 'Dit is een zin.'\n"
      "  slimnlp langid --spans 'Hello, how are you? Je vais bien, merci.'\n");
  cmd->add_option("text", args->texts, "Texts to identify (default: read lines from stdin)");
  cmd->add_option("-m,--model", args->model, "Model file (default: the shipped models/langid.slim)");
  cmd->add_option("--file", args->file, "Input file, plain or zstd-compressed (default: stdin, plain or zstd)")
      ->capture_default_str();
  CLI::Option* top_k =
      cmd->add_option("-k,--top-k", args->top_k, "Print the k most likely languages")->check(CLI::Range(1, 1000));
  cmd->add_option("-f,--format", args->format, "Output format: tsv or json (one object per line)")
      ->check(CLI::IsMember({"tsv", "json"}));
  // A span has one language: --top-k with --spans is refused rather than ignored.
  cmd->add_flag("--spans", args->spans, "Languages of the spans of a mixed-language text, with byte offsets (not with --top-k)")
      ->excludes(top_k);
  cmd->add_option("--threshold", args->threshold, "Probability at which an answer counts as reliable")
      ->check(CLI::Range(0.0f, 1.0f))
      ->capture_default_str();
  cmd->add_option("--max-line-bytes", args->max_line_bytes, "Longer stdin lines are read up to this many bytes")
      ->check(CLI::Range(size_t{1}, size_t{1} << 30))
      ->capture_default_str();
  AddThreadsOption(cmd, &args->threads);
  cmd->callback([args, exit_code] { *exit_code = Run(*args); });
}

}  // namespace slimnlp::cli
