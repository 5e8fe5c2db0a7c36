// `slimnlp split`, `slimnlp train sentences`, `slimnlp eval sentences`.
#include <mutex>
#include <set>

#include <nlohmann/json.hpp>

#include "absl/strings/str_format.h"
#include "slimnlp/pipeline.h"
#include "slimnlp/sentence_splitter.h"
#include "src/cli/cli_common.h"
#include "src/cli/parallel_lines.h"
#include "src/core/utf8.h"

namespace slimnlp::cli {
namespace {

struct SplitArgs {
  std::string model, lang, format = "text", file = "-";
  std::vector<std::string> texts;
  size_t max_line_bytes = 1 << 20;
  int threads = 1;
};

// Which splitter splits each line: --model; or the shipped model of --lang; or that of each line's language.
// A language without one keeps its line as one sentence, with a notice.
class SplitterChoice {
 public:
  static absl::StatusOr<SplitterChoice> Make(const SplitArgs& args) {
    SplitterChoice c;
    if (!args.model.empty()) {
      absl::StatusOr<std::unique_ptr<SentenceSplitter>> s = SentenceSplitter::Load(args.model);
      if (!s.ok()) return s.status();
      c.own_ = *std::move(s);
      c.fixed_ = c.own_.get();
      c.language_fixed_ = true;
      return c;
    }
    PipelineOptions options;
    options.models_dir = DefaultModelsDir();
    absl::StatusOr<std::unique_ptr<Pipeline>> pipeline = Pipeline::Load(options);
    if (!pipeline.ok()) return pipeline.status();
    c.pipeline_ = *std::move(pipeline);
    if (!args.lang.empty()) {
      absl::StatusOr<std::string> language = c.pipeline_->ResolveLanguage(args.lang);
      if (!language.ok()) return language.status();
      absl::StatusOr<const SentenceSplitter*> s = c.For(*language);
      if (!s.ok()) return s.status();
      c.fixed_ = *s;
      c.language_fixed_ = true;
    }
    return c;
  }

  // The splitter for `text` (null: the line is one sentence).
  absl::StatusOr<const SentenceSplitter*> ForLine(std::string_view text) {
    if (language_fixed_) return fixed_;
    absl::StatusOr<LanguageGuess> guess = pipeline_->identifier().Identify(text);
    if (!guess.ok()) return guess.status();
    return For(std::string(guess->language));
  }

 private:
  absl::StatusOr<const SentenceSplitter*> For(const std::string& language) {
    absl::StatusOr<const SentenceSplitter*> s = pipeline_->sentence_splitter(language);
    if (s.ok() && *s == nullptr && language != kUndetermined && noticed_.insert(language).second) {
      std::fprintf(stderr, "slimnlp split: no sentence splitter model for '%s' (sent-%s.slim); its lines are kept whole\n",
                   language.c_str(), language.c_str());
    }
    return s;
  }

  std::unique_ptr<SentenceSplitter> own_;
  std::unique_ptr<Pipeline> pipeline_;
  const SentenceSplitter* fixed_ = nullptr;
  bool language_fixed_ = false;
  std::set<std::string> noticed_;
};

int RunSplit(const SplitArgs& args) {
  absl::StatusOr<SplitterChoice> choice = SplitterChoice::Make(args);
  if (!choice.ok()) {
    std::fprintf(stderr, "slimnlp split: %s\n", std::string(choice.status().message()).c_str());
    return 2;
  }
  std::mutex choice_mu;  // The choice loads models and notes languages without one.
  const auto split = [&](const std::string& line, size_t n, LineSink& sink) -> bool {
    if (absl::Status v = core::ValidateUtf8(line); !v.ok()) {
      const std::string message(v.message());
      sink.Err(absl::StrFormat("slimnlp split: line %d: %s\n", n, message));
      if (args.format == "json") sink.Out(nlohmann::json{{"line", n}, {"error", message}}.dump() + "\n");
      return true;
    }
    absl::StatusOr<const SentenceSplitter*> splitter;
    {
      std::lock_guard<std::mutex> lock(choice_mu);
      splitter = choice->ForLine(line);
    }
    if (!splitter.ok()) {
      sink.Err(absl::StrFormat("slimnlp split: line %d: %s\n", n, splitter.status().message()));
      return false;
    }
    thread_local std::vector<TextSpan> sentences;
    if (*splitter != nullptr) {
      (*splitter)->Split(line, &sentences);
    } else {
      sentences.clear();
      const size_t b = line.find_first_not_of(" \t\r\n"), e = line.find_last_not_of(" \t\r\n");
      if (b != std::string::npos) sentences.push_back({b, e + 1});
    }
    if (args.format == "json") {
      nlohmann::json spans = nlohmann::json::array();
      for (const TextSpan& s : sentences) {
        spans.push_back({{"text", line.substr(s.begin, s.end - s.begin)}, {"begin", s.begin}, {"end", s.end}});
      }
      sink.Out(nlohmann::json{{"line", n}, {"sentences", spans}}.dump() + "\n");
    } else {
      // A blank line between the sentences of one input line and the next keeps paragraphs apart.
      for (const TextSpan& s : sentences) sink.Out(line.substr(s.begin, s.end - s.begin) + "\n");
      if (!sentences.empty()) sink.Out("\n");
    }
    return true;
  };
  if (!args.texts.empty()) return ForEachText(args.texts, args.threads, split);
  return ForEachLine("slimnlp split", args.file, args.max_line_bytes, "split", args.threads, split);
}

int RunEval(const std::string& model, const std::string& data, const SentenceTextOptions& text,
            const std::string& format) {
  absl::StatusOr<std::unique_ptr<SentenceSplitter>> splitter = SentenceSplitter::Load(model);
  if (!splitter.ok()) {
    std::fprintf(stderr, "slimnlp eval sentences: %s\n", std::string(splitter.status().message()).c_str());
    return 2;
  }
  absl::StatusOr<SentenceEvalReport> r = EvaluateSentenceSplitter(**splitter, data, text);
  if (!r.ok()) {
    std::fprintf(stderr, "slimnlp eval sentences: %s\n", std::string(r.status().message()).c_str());
    return 2;
  }
  Output out;
  const double mbps = r->seconds > 0 ? r->text_bytes / r->seconds / 1e6 : 0.0;
  if (format == "json") {
    out.Write(nlohmann::json{{"model", model}, {"data", data}, {"paragraphs", r->paragraphs},
                             {"gold_sentences", r->gold_sentences}, {"predicted_sentences", r->predicted_sentences},
                             {"correct_sentences", r->correct_sentences}, {"precision", r->precision},
                             {"recall", r->recall}, {"f1", r->f1}, {"text_bytes", r->text_bytes},
                             {"megabytes_per_second", mbps}}
                  .dump() +
              "\n");
    return 0;
  }
  out.Write(absl::StrFormat("model: %s\ndata: %s (%d paragraphs, %d gold sentences)\n", model, data, r->paragraphs,
                            r->gold_sentences));
  out.Write(absl::StrFormat("\nprecision  %.4f (%d/%d)\nrecall     %.4f (%d/%d)\nF1         %.4f\n", r->precision,
                            r->correct_sentences, r->predicted_sentences, r->recall, r->correct_sentences,
                            r->gold_sentences, r->f1));
  out.Write(absl::StrFormat("speed      %.2f MB/s (%d bytes; splitting only, one thread)\n", mbps, r->text_bytes));
  return 0;
}

void AddTextOptions(CLI::App* cmd, SentenceTextOptions* text) {
  cmd->add_flag("--join-without-spaces", text->join_without_spaces,
                "Sentences are joined with nothing, not a space (Chinese, Japanese)");
  cmd->add_option("--sentences-per-paragraph", text->sentences_per_paragraph,
                  "In a file without '# newpar' or '# newdoc', every run of this many sentences is a paragraph")
      ->capture_default_str()
      ->check(CLI::Range(1, 10000));
}

}  // namespace

void AddSentenceCommands(CLI::App& app, CLI::App& eval, CLI::App& train, int* exit_code) {
  auto args = std::make_shared<SplitArgs>();
  CLI::App* split = app.add_subcommand(
      "split",
      "Split running text into sentences: each input line (a paragraph) gives its sentences, one a line, then a\n"
      "blank line; or with --format json one object a line with each sentence's text and byte offsets. Each\n"
      "line's language is identified and its shipped splitter (sent-<lang>.slim) used, unless --lang or --model\n"
      "is given; a language without one keeps its lines whole, with a notice. Invalid UTF-8 is reported on\n"
      "stderr and its line skipped.\n"
      "\nExamples:\n"
      "  echo 'I came. I saw. Mr. Smith conquered at 3 p.m. today.' | slimnlp split\n"
      "  slimnlp split --lang en --format json --file notes.txt.zst\n");
  split->add_option("text", args->texts, "Texts to split (default: lines of --file or stdin)");
  split->add_option("-m,--model", args->model, "Model (default: the shipped model of --lang, or of each line's language)");
  split->add_option("-l,--lang", args->lang, "Language (BCP-47, any case) whose shipped model to use (default: identified on each line)");
  split->add_option("-f,--format", args->format, "text or json")->check(CLI::IsMember({"text", "json"}))->capture_default_str();
  split->add_option("--file", args->file, "Input file, plain or .zst (default: stdin)")->capture_default_str();
  split->add_option("--max-line-bytes", args->max_line_bytes, "Longer lines are split up to this many bytes")
      ->capture_default_str();
  AddThreadsOption(split, &args->threads);
  split->callback([args, exit_code] { *exit_code = RunSplit(*args); });

  struct EvalArgs {
    std::string model, data, format = "text";
    SentenceTextOptions text;
  };
  auto e = std::make_shared<EvalArgs>();
  CLI::App* ev = eval.add_subcommand(
      "sentences",
      "Sentence precision, recall and F1 (the CoNLL 2018 shared task's measure): the gold sentences are joined\n"
      "into paragraphs as running text ('# newpar' / '# newdoc' marks, else runs of --sentences-per-paragraph)\n"
      "and split again; a sentence is right if its span is exactly a gold sentence's.");
  ev->add_option("-m,--model", e->model, "Model")->required();
  ev->add_option("-d,--data", e->data, "CoNLL-U with gold sentences (plain or .zst)")->required();
  AddTextOptions(ev, &e->text);
  ev->add_option("-f,--format", e->format, "text or json (one object)")->check(CLI::IsMember({"text", "json"}))->capture_default_str();
  ev->callback([e, exit_code] { *exit_code = RunEval(e->model, e->data, e->text, e->format); });

  auto opts = std::make_shared<SentenceTrainOptions>();
  auto budget = std::make_shared<std::string>("128KiB");
  CLI::App* tr = train.add_subcommand(
      "sentences",
      "Train a sentence splitter on CoNLL-U within a memory budget; progress on stderr. The sentences are joined\n"
      "into paragraphs as running text (see --sentences-per-paragraph), and every place where a sentence may\n"
      "end (after a character followed by white space, or after punctuation) is an example.\n"
      "\nExample:\n  slimnlp train sentences --train en_ewt-ud-train.conllu --dev en_ewt-ud-dev.conllu \\\n"
      "      --out models/sent-en.slim --language en\n");
  tr->add_option("--train", opts->train_path, "Training CoNLL-U")->required();
  tr->add_option("--dev", opts->dev_path, "Development CoNLL-U (default: every 10th training paragraph)");
  tr->add_option("-o,--out", opts->output_path, "Model file to write")->required();
  tr->add_option("--language", opts->language, "Language code recorded in the model");
  tr->add_option("--budget", *budget, "Size limit on disk and in memory (e.g. 128KiB)")->capture_default_str();
  tr->add_option("--hidden", opts->hidden, "Hidden layer width (0: none)")->capture_default_str()->check(HiddenWidth());
  tr->add_option("--epochs", opts->epochs, "Maximum epochs")->capture_default_str()->check(CLI::Range(1, 1000));
  tr->add_option("--seed", opts->seed, "Random seed")->capture_default_str();
  tr->add_option("--learning-rate", opts->learning_rate, "Adam's initial step size")->capture_default_str();
  tr->add_option("--ema", opts->ema_decay, "Per-step decay of the weights' moving average (0: off)")
      ->capture_default_str()
      ->check(CLI::Range(0.0f, 0.99999f));
  tr->add_option("--group-dropout", opts->group_dropout, "Share of feature groups left out per training example")
      ->capture_default_str()
      ->check(CLI::Range(0.0f, 0.9f));
  AddTextOptions(tr, &opts->text);
  tr->callback([opts, budget, exit_code, tr] {
    if (!PrepareTraining(*tr, budget.get(), opts->output_path, opts.get())) {
      *exit_code = 2;
      return;
    }
    absl::StatusOr<SentenceTrainResult> r = TrainSentenceSplitter(*opts);
    if (!r.ok()) {
      std::fprintf(stderr, "slimnlp train sentences: %s\n", std::string(r.status().message()).c_str());
      *exit_code = 2;
      return;
    }
    std::printf("trained %s: %zu sentences in %zu paragraphs, %zu places, dev F1 %.4f (quantized), %zu bytes on "
                "disk, %zu in memory, %.0fs\n",
                opts->output_path.c_str(), r->train_sentences, r->train_paragraphs, r->train_places, r->dev_f1,
                r->file_bytes, r->memory_bytes, r->seconds);
  });
}

}  // namespace slimnlp::cli
