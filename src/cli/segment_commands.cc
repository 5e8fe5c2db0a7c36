// `slimnlp segment`, `slimnlp train segment`, `slimnlp eval segment`.
#include <nlohmann/json.hpp>

#include "absl/strings/str_format.h"
#include <mutex>
#include <set>

#include "slimnlp/pipeline.h"
#include "slimnlp/segmenter.h"
#include "slimnlp/sentence_splitter.h"
#include "src/cli/cli_common.h"
#include "src/cli/parallel_lines.h"
#include "src/core/line_reader.h"
#include "src/core/utf8.h"

namespace slimnlp::cli {
namespace {

struct SegmentArgs {
  std::string model, lang, format = "text", file = "-";
  std::vector<std::string> texts;
  size_t piece_bytes = 1 << 20;
  bool no_split = false;
  int threads = 1;
};

// What splits a line: its language's sentence splitter (null: the line is one sentence) and segmenter (null:
// the rule-based tokenizer).
struct LineModels {
  const SentenceSplitter* splitter = nullptr;
  const Segmenter* segmenter = nullptr;
};

size_t CountCodepoints(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

// Writes one input line's tokens as they come, piece by piece: text (tokens joined by a space) or one JSON
// object with byte and code point offsets into the line.
class LineWriter {
 public:
  LineWriter(const std::string& format, LineSink* out) : json_(format == "json"), out_(out) {}

  void Begin(size_t line_number) {
    first_ = true;
    line_bytes_ = line_chars_ = 0;
    if (json_) out_->Out(absl::StrFormat("{\"line\":%d,\"tokens\":[", line_number));
  }
  // The tokens of `text`, which starts at the line's byte line_bytes_; then `consumed` bytes of it are done.
  void Tokens(std::string_view text, const std::vector<TextSpan>& tokens, size_t count, size_t consumed) {
    size_t chars_before = 0, at = 0;  // Code points of text[0..at).
    for (size_t k = 0; k < count; ++k) {
      const TextSpan& t = tokens[k];
      const std::string_view token = text.substr(t.begin, t.end - t.begin);
      if (json_) {
        chars_before += CountCodepoints(text.substr(at, t.begin - at));
        const size_t chars = CountCodepoints(token);
        nlohmann::json j = {{"text", token},
                            {"begin", line_bytes_ + t.begin},
                            {"end", line_bytes_ + t.end},
                            {"char_begin", line_chars_ + chars_before},
                            {"char_end", line_chars_ + chars_before + chars}};
        out_->Out((first_ ? "" : ",") + j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
        chars_before += chars;
        at = t.end;
      } else {
        if (!first_) out_->Out(" ");
        out_->Out(token);
      }
      first_ = false;
    }
    if (json_) line_chars_ += chars_before + CountCodepoints(text.substr(at, consumed - std::min(at, consumed)));
    line_bytes_ += consumed;
  }
  void End() { out_->Out(json_ ? "]}\n" : "\n"); }
  size_t line_bytes() const { return line_bytes_; }

 private:
  bool json_;
  LineSink* out_;
  bool first_ = true;
  size_t line_bytes_ = 0, line_chars_ = 0;
};

// Which models split each line: --model (no sentence splitter); or the shipped models of --lang (a BCP-47 tag,
// any case); or, without either, those of the language identified on each line, as `annotate` and the server
// do. A language without a segmenter is split by the rule-based tokenizer (SimpleTokenize), with a notice.
class SegmenterChoice {
 public:
  static absl::StatusOr<SegmenterChoice> Make(const SegmentArgs& args) {
    SegmenterChoice c;
    c.split_ = !args.no_split;
    if (!args.model.empty()) {
      absl::StatusOr<std::unique_ptr<Segmenter>> seg = Segmenter::Load(args.model);
      if (!seg.ok()) return seg.status();
      c.own_ = *std::move(seg);
      c.fixed_ = {nullptr, c.own_.get()};
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
      absl::StatusOr<LineModels> models = c.For(*language);
      if (!models.ok()) return models.status();
      c.fixed_ = *models;
      c.language_fixed_ = true;
    }
    return c;
  }

  // The models for a line starting with `text`.
  absl::StatusOr<LineModels> ForLine(std::string_view text) {
    if (language_fixed_) return fixed_;
    absl::StatusOr<LanguageGuess> guess = pipeline_->identifier().Identify(text);
    if (!guess.ok()) return LineModels();  // Invalid UTF-8: reported by the caller.
    return For(std::string(guess->language));
  }

 private:
  absl::StatusOr<LineModels> For(const std::string& language) {
    absl::StatusOr<const Segmenter*> seg = pipeline_->segmenter(language);
    if (!seg.ok()) return seg.status();
    if (*seg == nullptr && language != kUndetermined && noticed_.insert(language).second) {
      std::fprintf(stderr, "slimnlp segment: no segmenter model for '%s'; its text is split by the rule-based tokenizer\n",
                   language.c_str());
    }
    absl::StatusOr<const SentenceSplitter*> splitter = pipeline_->sentence_splitter(language);
    if (!splitter.ok()) return splitter.status();
    return LineModels{split_ ? *splitter : nullptr, *seg};
  }

  std::unique_ptr<Segmenter> own_;
  std::unique_ptr<Pipeline> pipeline_;
  LineModels fixed_;
  bool language_fixed_ = false, split_ = true;
  std::set<std::string> noticed_;
};

// The tokens of `text` (SegmentSentences).
void Tokens(const LineModels& models, std::string_view text, std::vector<TextSpan>* tokens) {
  SegmentSentences(models.splitter, models.segmenter, text, tokens);
}

int RunSegment(const SegmentArgs& args) {
  absl::StatusOr<SegmenterChoice> choice = SegmenterChoice::Make(args);
  if (!choice.ok()) {
    std::fprintf(stderr, "slimnlp segment: %s\n", std::string(choice.status().message()).c_str());
    return 2;
  }
  std::mutex choice_mu;  // The choice loads models and notes languages without one.
  const auto pick = [&](std::string_view text, LineSink& sink) -> LineModels {
    std::lock_guard<std::mutex> lock(choice_mu);
    absl::StatusOr<LineModels> models = choice->ForLine(text);
    if (!models.ok()) {
      sink.Err(absl::StrFormat("slimnlp segment: %s; rule-based tokenizer used\n", models.status().message()));
      return LineModels();
    }
    return *models;
  };
  const auto report_invalid = [&](std::string_view text, size_t line, size_t from, LineSink& sink) {
    if (absl::Status v = core::ValidateUtf8(text); !v.ok()) {
      const std::string where = from == 0 ? absl::StrFormat("line %d", line)
                                          : absl::StrFormat("line %d, in the piece from byte %d", line, from);
      sink.Err(absl::StrFormat("slimnlp segment: %s: %s; each invalid byte is kept as a character\n", where,
                               v.message()));
    }
  };
  // A whole line (the common case): on any thread.
  const LineFn segment_line = [&](std::string& line, size_t n, LineSink& sink) {
    LineWriter writer(args.format, &sink);
    thread_local std::vector<TextSpan> line_tokens;
    writer.Begin(n);
    report_invalid(line, n, 0, sink);
    Tokens(pick(line, sink), line, &line_tokens);
    writer.Tokens(line, line_tokens, line_tokens.size(), line.size());
    writer.End();
    return true;
  };
  if (!args.texts.empty()) return ForEachText(args.texts, args.threads, segment_line);
  absl::StatusOr<std::unique_ptr<core::LineReader>> reader = core::LineReader::Open(args.file, args.piece_bytes);
  if (!reader.ok()) {
    std::fprintf(stderr, "slimnlp segment: %s\n", std::string(reader.status().message()).c_str());
    return 2;
  }
  Output out;
  LineBatch batch(args.threads, segment_line, &out);
  DirectSink direct(&out);
  LineWriter writer(args.format, &direct);
  std::vector<TextSpan> tokens;
  // A line longer than --piece-bytes comes in pieces, in this thread (after the lines gathered before it). All
  // but a piece's last token are final; that token (it may go on in the next piece) and any incomplete UTF-8
  // sequence at the cut are carried into the next piece, so memory stays bounded by the piece size and no token
  // shorter than a piece is split by a cut.
  std::string piece, text;
  bool continues = false, in_line = false;
  LineModels seg;
  while ((*reader)->NextPiece(&piece, &continues)) {
    const size_t n = (*reader)->line_number();
    if (!in_line && !continues) {
      batch.Add(std::move(piece), n);
      piece.clear();
      continue;
    }
    if (!in_line) {
      batch.Flush();
      writer.Begin(n);
      seg = pick(std::string_view(piece).substr(0, core::CompleteUtf8Prefix(piece)), direct);  // By its first piece.
    }
    text += piece;
    size_t done = text.size();
    if (continues) done = core::CompleteUtf8Prefix(text);
    const std::string_view ready(text.data(), done);
    report_invalid(continues ? ready : std::string_view(text), n, writer.line_bytes(), direct);
    Tokens(seg, ready, &tokens);
    size_t count = tokens.size();
    // The last token is carried only while it is shorter than a piece: a run without any token boundary would
    // otherwise be carried and segmented again with every piece (quadratic time, memory growing with the run),
    // so such a run is cut where the pieces end.
    if (continues && count > 0 && text.size() - tokens.back().begin < args.piece_bytes) {
      done = tokens.back().begin;
      --count;
    }
    writer.Tokens(text, tokens, count, done);
    text.erase(0, done);
    in_line = continues;
    if (!in_line) {
      writer.End();
      text.clear();
    }
  }
  batch.Flush();
  if (!(*reader)->status().ok()) {
    std::fprintf(stderr, "slimnlp segment: %s\n", std::string((*reader)->status().message()).c_str());
    return 2;
  }
  return 0;
}

int RunEval(const std::string& model, const std::string& data, bool join_without_spaces, const std::string& format) {
  absl::StatusOr<std::unique_ptr<Segmenter>> seg = Segmenter::Load(model);
  if (!seg.ok()) {
    std::fprintf(stderr, "slimnlp eval segment: %s\n", std::string(seg.status().message()).c_str());
    return 2;
  }
  absl::StatusOr<SegmentEvalReport> r = EvaluateSegmenter(**seg, data, join_without_spaces);
  if (!r.ok()) {
    std::fprintf(stderr, "slimnlp eval segment: %s\n", std::string(r.status().message()).c_str());
    return 2;
  }
  Output out;
  if (format == "json") {
    out.Write(nlohmann::json{{"model", model}, {"data", data}, {"sentences", r->sentences},
                             {"skipped_sentences", r->skipped_sentences}, {"gold_tokens", r->gold_tokens},
                             {"predicted_tokens", r->predicted_tokens}, {"correct_tokens", r->correct_tokens},
                             {"precision", r->precision}, {"recall", r->recall}, {"f1", r->f1},
                             {"text_bytes", r->text_bytes},
                             {"megabytes_per_second", r->seconds > 0 ? r->text_bytes / r->seconds / 1e6 : 0.0}}
                  .dump() +
              "\n");
    return 0;
  }
  out.Write(absl::StrFormat("model: %s\ndata: %s (%d sentences, %d gold tokens)\n", model, data, r->sentences,
                            r->gold_tokens));
  if (r->skipped_sentences) {
    out.Write(absl::StrFormat("skipped: %d sentences whose tokens are not found in their text\n", r->skipped_sentences));
  }
  out.Write(absl::StrFormat("\nprecision  %.4f (%d/%d)\nrecall     %.4f (%d/%d)\nF1         %.4f\n", r->precision,
                            r->correct_tokens, r->predicted_tokens, r->recall, r->correct_tokens, r->gold_tokens,
                            r->f1));
  out.Write(absl::StrFormat("speed      %.2f MB/s (%d bytes; segmentation only, one thread)\n",
                            r->seconds > 0 ? r->text_bytes / r->seconds / 1e6 : 0.0, r->text_bytes));
  return 0;
}

}  // namespace

void AddSegmentCommands(CLI::App& app, CLI::App& eval, CLI::App& train, int* exit_code) {
  auto args = std::make_shared<SegmentArgs>();
  CLI::App* seg = app.add_subcommand(
      "segment",
      "Split raw text into words (Chinese) or tokens (other languages): one input line, one output line.\n"
      "Each line's language is identified and its shipped segmenter used, unless --lang or --model is given;\n"
      "a line is first split into sentences (sent-<lang>.slim, unless --no-split or --model) and each sentence\n"
      "segmented, as the segmenter learnt from sentences (\"I saw. I\": \"saw\" and \".\" apart).\n"
      "Output: the tokens separated by a space, or JSON with each token's byte and code point offsets into\n"
      "its line (exact even where tokens contain spaces or invalid bytes). Invalid UTF-8 is reported on stderr\n"
      "and kept (each bad byte a character of its own). Lines of any length: past --piece-bytes they are\n"
      "read and segmented in pieces (a run of text with no token boundary longer than a piece is cut there).\n"
      "\nExamples:\n"
      "  echo '然而，這樣的處理也衍生了一些問題。' | slimnlp segment\n"
      "  slimnlp segment --lang en --format json \"Don't panic.\"\n"
      "  slimnlp segment --model my-seg.slim --file corpus.txt.zst > words.txt\n"
      "  slimnlp split --file running-text.txt | slimnlp segment   # sentences first, then a sentence a line\n");
  seg->add_option("text", args->texts, "Texts to segment (default: lines of --file or stdin)");
  seg->add_option("-m,--model", args->model, "Model (default: the shipped model of --lang, or of each line's language)");
  seg->add_option("-l,--lang", args->lang,
                  "Language (BCP-47, any case: en, EN, zh-Hant) whose shipped model to use; one without a model is\n"
                  "split by the rule-based tokenizer, with a notice (default: identified on each line)");
  seg->add_option("-f,--format", args->format, "text or json")->check(CLI::IsMember({"text", "json"}))->capture_default_str();
  seg->add_option("--file", args->file, "Input file, plain or .zst (default: stdin)")->capture_default_str();
  seg->add_flag("--no-split", args->no_split, "Segment each line whole, without splitting it into sentences first");
  seg->add_option("--piece-bytes", args->piece_bytes, "Longer lines are read in pieces of this size")
      ->capture_default_str()
      ->check(CLI::Range(size_t{64}, size_t{1} << 30));
  AddThreadsOption(seg, &args->threads);
  seg->callback([args, exit_code] { *exit_code = RunSegment(*args); });

  struct EvalArgs {
    std::string model, data, format = "text";
    bool join_without_spaces = false;
  };
  auto e = std::make_shared<EvalArgs>();
  CLI::App* ev = eval.add_subcommand(
      "segment", "Word precision, recall and F1 on character spans of each sentence's raw text (# text =)");
  ev->add_option("-m,--model", e->model, "Model")->required();
  ev->add_option("-d,--data", e->data, "CoNLL-U with gold tokens (plain or .zst)")->required();
  ev->add_flag("--join-without-spaces", e->join_without_spaces,
               "Sentences without '# text =' are their tokens joined with nothing (legacy Chinese treebank)");
  ev->add_option("-f,--format", e->format, "text or json (one object)")->check(CLI::IsMember({"text", "json"}))->capture_default_str();
  ev->callback([e, exit_code] { *exit_code = RunEval(e->model, e->data, e->join_without_spaces, e->format); });

  auto opts = std::make_shared<SegmentTrainOptions>();
  auto budget = std::make_shared<std::string>("256KiB");
  CLI::App* tr = train.add_subcommand(
      "segment",
      "Train a segmenter (tokenizer) on CoNLL-U within a memory budget; progress on stderr. The raw text of\n"
      "each sentence is its '# text =' line (or its tokens joined, see --join-without-spaces).\n"
      "\nExample:\n  slimnlp train segment --train zh-ud-train.conllu.zst --join-without-spaces --add-simplified \\\n"
      "      --dev zh_gsd-ud-dev.conllu.zst --out models/seg-zh.slim --budget 1MiB --language zh \\\n"
      "      --lexicon /usr/lib/python3/dist-packages/jieba/dict.txt --lexicon-min-count 5\n");
  tr->add_option("--train", opts->train_path, "Training CoNLL-U")->required();
  tr->add_option("--dev", opts->dev_path, "Development CoNLL-U (default: every 10th training sentence)");
  tr->add_option("-o,--out", opts->output_path, "Model file to write")->required();
  tr->add_option("--language", opts->language, "Language code recorded in the model");
  tr->add_option("--budget", *budget, "Size limit on disk and in memory (e.g. 1MiB, 256KiB)")->capture_default_str();
  tr->add_option("--hidden", opts->hidden, "Hidden layer width (0: none)")->capture_default_str()->check(HiddenWidth());
  tr->add_option("--window", opts->window, "Characters read each side of the one labelled, and the bigrams within")
      ->capture_default_str()
      ->check(CLI::Range(2, 6));
  tr->add_option("--epochs", opts->epochs, "Maximum epochs")->capture_default_str()->check(CLI::Range(1, 1000));
  tr->add_option("--seed", opts->seed, "Random seed")->capture_default_str();
  tr->add_option("--learning-rate", opts->learning_rate, "Adam's initial step size")->capture_default_str();
  tr->add_option("--prevtag-noise", opts->prevtag_noise, "Share of characters trained with random previous labels")
      ->capture_default_str()
      ->check(CLI::Range(0.0f, 1.0f));
  tr->add_option("--ema", opts->ema_decay, "Per-step decay of the weights' moving average (0: off)")
      ->capture_default_str()
      ->check(CLI::Range(0.0f, 0.99999f));
  tr->add_option("--group-dropout", opts->group_dropout, "Share of feature groups left out per training character")
      ->capture_default_str()
      ->check(CLI::Range(0.0f, 0.9f));
  tr->add_flag("--join-without-spaces", opts->join_without_spaces,
               "Sentences without '# text =' are their tokens joined with nothing (legacy Chinese treebank)");
  tr->add_flag("--add-simplified", opts->add_simplified,
               "Also train on the sentences converted to simplified Chinese characters");
  tr->add_option("--paragraphs", opts->paragraph_sentences,
                 "Also train on runs of this many sentences joined into one line, as running text has them (0: off)")
      ->capture_default_str()
      ->check(CLI::Range(0, 100));
  tr->add_option("--lexicon", opts->lexicon_path,
                 "Word list (a word, then optionally its count, on each line, e.g. jieba's dict.txt) the model keeps "
                 "as a Bloom filter and reads as features: which of its words begin, end or run across each "
                 "character, and how common they are");
  tr->add_option("--lexicon-min-count", opts->lexicon_min_count,
                 "Leave out lexicon lines whose second field is a count below this")
      ->capture_default_str();
  tr->add_option("--lexicon-bits", opts->lexicon_bits_per_word,
                 "Bloom filter bits per lexicon word (10: about 1% false matches)")
      ->capture_default_str()
      ->check(CLI::Range(1.0, 64.0));
  tr->callback([opts, budget, exit_code, tr] {
    if (!PrepareTraining(*tr, budget.get(), opts->output_path, opts.get())) {
      *exit_code = 2;
      return;
    }
    absl::StatusOr<SegmentTrainResult> r = TrainSegmenter(*opts);
    if (!r.ok()) {
      std::fprintf(stderr, "slimnlp train segment: %s\n", std::string(r.status().message()).c_str());
      *exit_code = 2;
      return;
    }
    std::printf("trained %s: %zu sentences, %zu characters, dev F1 %.4f (greedy, quantized), %zu bytes on disk, "
                "%zu in memory, %.0fs\n",
                opts->output_path.c_str(), r->train_sentences, r->train_characters, r->dev_f1, r->file_bytes,
                r->memory_bytes, r->seconds);
  });
}

}  // namespace slimnlp::cli
