// `slimnlp tag`, `slimnlp train pos`, `slimnlp eval pos`.
#include <nlohmann/json.hpp>

#include "absl/strings/str_format.h"
#include "slimnlp/pipeline.h"
#include "src/cli/cli_common.h"
#include "src/cli/parallel_lines.h"
#include "src/cli/words_conllu.h"
#include "src/core/conllu.h"
#include "src/core/utf8.h"

namespace slimnlp::cli {
namespace {

struct TagArgs {
  std::string model, tokenizer, splitter, input = "text", format, file = "-";
  size_t max_line_bytes = 1 << 20;
  int threads = 1;
};

// The model of kind `prefix` ("seg-", "sent-") to go with the tagger at `pos_path`: `given` if set (`none`: no
// model), else <prefix><lang>.slim beside pos-<lang>.slim if that exists.
template <typename Model>
absl::StatusOr<std::unique_ptr<Model>> CompanionOf(const std::string& pos_path, const std::string& given,
                                                   const std::string& none, const std::string& prefix) {
  std::string path = given;
  if (given == none) return std::unique_ptr<Model>();
  if (path.empty()) {
    const size_t slash = pos_path.find_last_of('/');
    const size_t name = slash == std::string::npos ? 0 : slash + 1;
    if (pos_path.compare(name, 4, "pos-") != 0) return std::unique_ptr<Model>();
    path = pos_path.substr(0, name) + prefix + pos_path.substr(name + 4);
    if (!FileExists(path)) return std::unique_ptr<Model>();
  }
  return Model::Load(path);
}

// One line's sentences in the chosen format. `text` is the raw line (text input) or empty.
std::string Formatted(const TagArgs& args, const std::vector<Word>& words, const std::vector<size_t>& sentence_starts,
                      std::string_view text, size_t line) {
  if (args.format == "tagged") {
    std::string out;
    for (size_t i = 0; i < words.size(); ++i) absl::StrAppendFormat(&out, "%s%s/%s", i ? " " : "", words[i].form, words[i].upos);
    return out + "\n";
  } else if (args.format == "json") {
    nlohmann::json j = nlohmann::json::array();
    for (const Word& w : words) {
      // The same keys as annotate's and the server's: "text" the word, and for a word of a multiword token,
      // "token" the token as written ("au" for "à" + "le").
      nlohmann::json t = {{"text", w.form}, {"upos", w.upos}};
      if (!text.empty()) {  // Byte offsets into the input line (a multiword token's, for each of its words).
        t["begin"] = w.span.begin;
        t["end"] = w.span.end;
        if (w.token_words != 1) t["token"] = text.substr(w.span.begin, w.span.end - w.span.begin);
      }
      j.push_back(t);
    }
    return nlohmann::json{{"tokens", j}}.dump() + "\n";
  }
  return SentencesToConllu(text, words, sentence_starts, std::to_string(line));  // CoNLL-U from text.
}

int RunTag(TagArgs args) {
  const std::string path = args.model.empty() ? DefaultModelPath("pos-en.slim") : args.model;
  absl::StatusOr<std::unique_ptr<Tagger>> tagger = Tagger::Load(path);
  if (!tagger.ok()) {
    std::fprintf(stderr, "slimnlp tag: %s\n", std::string(tagger.status().message()).c_str());
    return 2;
  }
  if (args.format.empty()) args.format = args.input == "conllu" ? "conllu" : "tagged";
  if (args.input == "conllu") {
    Output out;
    std::vector<Word> words;
    absl::StatusOr<std::unique_ptr<core::ConlluReader>> reader = core::ConlluReader::Open(args.file);
    if (!reader.ok()) {
      std::fprintf(stderr, "slimnlp tag: %s\n", std::string(reader.status().message()).c_str());
      return 2;
    }
    core::ConlluSentence s;
    std::string problem;
    while ((*reader)->Next(&s, &problem)) {
      if (!problem.empty()) {
        // Reported and passed through untouched: nothing of the input is lost.
        std::fprintf(stderr, "slimnlp tag: %s (sentence passed through untagged)\n", problem.c_str());
        if (args.format == "conllu") {
          for (const auto& l : s.raw_lines) out.Write(l + "\n");
          out.Write("\n");
        }
        continue;
      }
      words.clear();
      for (size_t w : s.words) words.push_back({s.rows[w].form()});
      if (absl::Status st = TagWords(**tagger, &words); !st.ok()) {
        std::fprintf(stderr, "slimnlp tag: line %zu: %s\n", s.first_line, std::string(st.message()).c_str());
        continue;
      }
      if (args.format == "conllu") {
        for (size_t i = 0; i < s.words.size(); ++i) s.rows[s.words[i]].cols[3] = std::string(words[i].upos);
        out.Write(s.ToString());
      } else {
        out.Write(Formatted(args, words, {}, "", 0));
      }
    }
    if (!(*reader)->status().ok()) {
      std::fprintf(stderr, "slimnlp tag: %s\n", std::string((*reader)->status().message()).c_str());
      return 2;
    }
    return 0;
  }
  absl::StatusOr<std::unique_ptr<Segmenter>> segmenter = CompanionOf<Segmenter>(path, args.tokenizer, "simple", "seg-");
  if (!segmenter.ok()) {
    std::fprintf(stderr, "slimnlp tag: tokenizer: %s\n", std::string(segmenter.status().message()).c_str());
    return 2;
  }
  absl::StatusOr<std::unique_ptr<SentenceSplitter>> splitter =
      CompanionOf<SentenceSplitter>(path, args.splitter, "none", "sent-");
  if (!splitter.ok()) {
    std::fprintf(stderr, "slimnlp tag: sentence splitter: %s\n", std::string(splitter.status().message()).c_str());
    return 2;
  }
  return ForEachLine("slimnlp tag", args.file, args.max_line_bytes, "tagged", args.threads,
                     [&](std::string& line, size_t n, LineSink& sink) {
    if (absl::Status v = core::ValidateUtf8(line); !v.ok()) {
      sink.Err(absl::StrFormat("slimnlp tag: line %d: %s\n", n, v.message()));
      // Tagged output keeps a line per input line; CoNLL-U has no empty sentences.
      if (args.format == "json") {
        sink.Out(nlohmann::json{{"line", n}, {"error", std::string(v.message())}}.dump() + "\n");
      } else if (args.format == "tagged") {
        sink.Out("\n");
      }
      return true;
    }
    thread_local std::vector<Word> words;
    thread_local std::vector<size_t> sentence_starts;
    if (absl::Status st = SplitAndTag(splitter->get(), segmenter->get(), tagger->get(), line, &words, &sentence_starts);
        !st.ok()) {
      sink.Err(absl::StrFormat("slimnlp tag: line %d: %s\n", n, st.message()));
      return true;
    }
    sink.Out(Formatted(args, words, sentence_starts, line, n));
    return true;
  });
}

int RunEval(const std::string& model, const std::string& data, const std::string& train, const std::string& format) {
  absl::StatusOr<std::unique_ptr<Tagger>> tagger = Tagger::Load(model);
  if (!tagger.ok()) {
    std::fprintf(stderr, "slimnlp eval pos: %s\n", std::string(tagger.status().message()).c_str());
    return 2;
  }
  absl::StatusOr<PosEvalReport> r = EvaluateTagger(**tagger, data, train);
  if (!r.ok()) {
    std::fprintf(stderr, "slimnlp eval pos: %s\n", std::string(r.status().message()).c_str());
    return 2;
  }
  Output out;
  if (format == "json") {
    nlohmann::json j = {{"model", model}, {"data", data}, {"tokens", r->tokens}, {"correct", r->correct},
                        {"accuracy", r->accuracy}, {"tags", r->tags}, {"confusion", r->confusion},
                        {"tokens_per_second", r->seconds > 0 ? r->tokens / r->seconds : 0.0}};
    if (!train.empty()) {
      j["train"] = train;
      j["oov_tokens"] = r->oov_tokens;
      j["oov_correct"] = r->oov_correct;
      j["oov_accuracy"] = r->oov_accuracy;
    }
    out.Write(j.dump() + "\n");
    return 0;
  }
  out.Write(absl::StrFormat("model: %s\ndata: %s (%d tokens)\n\nUPOS accuracy  %.4f (%d/%d)\n", model, data,
                            r->tokens, r->accuracy, r->correct, r->tokens));
  if (!train.empty()) {
    out.Write(absl::StrFormat("OOV accuracy   %.4f (%d/%d tokens not in %s)\n", r->oov_accuracy, r->oov_correct,
                              r->oov_tokens, train));
  }
  out.Write(absl::StrFormat("speed          %.0f tokens/s (tagging only, one thread)\n\n",
                            r->seconds > 0 ? r->tokens / r->seconds : 0.0));
  out.Write("confusion (rows: gold, columns: predicted)\n       ");
  for (const auto& t : r->tags) out.Write(absl::StrFormat(" %6s", t.substr(0, 6)));
  out.Write("   recall\n");
  for (size_t g = 0; g < r->confusion.size(); ++g) {
    size_t total = 0;
    for (size_t c : r->confusion[g]) total += c;
    if (total == 0) continue;
    out.Write(absl::StrFormat("%-7s", g < r->tags.size() ? r->tags[g].substr(0, 7) : "other"));
    for (size_t c : r->confusion[g]) out.Write(absl::StrFormat(" %6d", c));
    out.Write(absl::StrFormat("   %.4f\n", g < r->tags.size() ? double(r->confusion[g][g]) / total : 0.0));
  }
  return 0;
}

}  // namespace

void AddPosCommands(CLI::App& app, CLI::App& eval, CLI::App& train, int* exit_code) {
  auto args = std::make_shared<TagArgs>();
  CLI::App* tag = app.add_subcommand(
      "tag",
      "Tag parts of speech (UPOS). Input: plain text, a paragraph a line, split into sentences by the model\n"
      "language's splitter (sent-<lang>.slim beside pos-<lang>.slim, or --splitter) and tokenized by its segmenter\n"
      "(seg-<lang>.slim, multiword tokens such as \"du\" split into their words, or --tokenizer); each sentence is\n"
      "tagged on its own. Or CoNLL-U with --input conllu (sentences and tokens as given).\n"
      "Output: word/TAG lines, one per input line (default for text); CoNLL-U with UPOS filled (default for\n"
      "CoNLL-U; from text, a sentence each, sent_id N or N.1, N.2, ... for line N); or JSON.\n"
      "A malformed CoNLL-U sentence is reported with its line number and passed through untagged.\n"
      "\nExamples:\n"
      "  echo 'The cat sat on the mat.' | slimnlp tag\n"
      "  slimnlp tag --model models/pos-fr.slim --input conllu --file dev.conllu > tagged.conllu\n");
  tag->add_option("-m,--model", args->model, "Model (default: the shipped models/pos-en.slim)");
  tag->add_option("-t,--tokenizer", args->tokenizer,
                  "Segmenter model for text input, or 'simple' for the rule-based tokenizer (default: seg-<lang>.slim "
                  "beside the model if it exists, else simple)");
  tag->add_option("-s,--splitter", args->splitter,
                  "Sentence splitter model for text input, or 'none' to keep each line one sentence (default:\n"
                  "sent-<lang>.slim beside the model if it exists, else none)");
  tag->add_option("-i,--input", args->input, "text or conllu")->check(CLI::IsMember({"text", "conllu"}))->capture_default_str();
  tag->add_option("-f,--format", args->format, "tagged, conllu or json (default: tagged for text, conllu for CoNLL-U)")
      ->check(CLI::IsMember({"tagged", "conllu", "json"}));
  tag->add_option("--file", args->file, "Input file, plain or .zst (default: stdin)")->capture_default_str();
  tag->add_option("--max-line-bytes", args->max_line_bytes, "Longer text lines are tagged up to this many bytes")
      ->capture_default_str();
  AddThreadsOption(tag, &args->threads);
  tag->callback([args, exit_code] { *exit_code = RunTag(*args); });

  struct EvalArgs {
    std::string model, data, train, format = "text";
  };
  auto e = std::make_shared<EvalArgs>();
  CLI::App* ev = eval.add_subcommand("pos", "UPOS accuracy (overall, on out-of-vocabulary tokens) and a confusion table");
  ev->add_option("-m,--model", e->model, "Model")->required();
  ev->add_option("-d,--data", e->data, "CoNLL-U with gold tags (plain or .zst)")->required();
  ev->add_option("--train", e->train, "The model's training file, to report accuracy on tokens not in it");
  ev->add_option("-f,--format", e->format, "text or json (one object)")->check(CLI::IsMember({"text", "json"}))->capture_default_str();
  ev->callback([e, exit_code] { *exit_code = RunEval(e->model, e->data, e->train, e->format); });

  auto opts = std::make_shared<PosTrainOptions>();
  auto budget = std::make_shared<std::string>("1MiB");
  CLI::App* tr = train.add_subcommand(
      "pos",
      "Train a part-of-speech tagger on CoNLL-U within a memory budget; progress on stderr.\n"
      "\nExample:\n  slimnlp train pos --train en_ewt-ud-train.conllu.zst --dev en_ewt-ud-dev.conllu.zst \\\n"
      "      --out models/pos-en.slim --budget 1MiB\n");
  tr->add_option("--train", opts->train_path, "Training CoNLL-U")->required();
  tr->add_option("--dev", opts->dev_path, "Development CoNLL-U (default: every 10th training sentence)");
  tr->add_option("-o,--out", opts->output_path, "Model file to write")->required();
  tr->add_option("--budget", *budget, "Size limit on disk and in memory (e.g. 1MiB, 512KiB)")->capture_default_str();
  tr->add_option("--hidden", opts->hidden, "Hidden layer width (0: none)")->capture_default_str()->check(HiddenWidth());
  tr->add_option("--epochs", opts->epochs, "Maximum epochs")->capture_default_str()->check(CLI::Range(1, 1000));
  tr->add_option("--seed", opts->seed, "Random seed")->capture_default_str();
  tr->add_option("--learning-rate", opts->learning_rate, "Adam's initial step size")->capture_default_str();
  tr->add_option("--prevtag-noise", opts->prevtag_noise, "Share of tokens trained with random previous tags")
      ->capture_default_str()
      ->check(CLI::Range(0.0f, 1.0f));
  tr->add_option("--embedding-init", opts->embedding_init, "Embedding rows start uniform in [-x, x]")
      ->capture_default_str()
      ->check(CLI::Range(0.0f, 1.0f));
  tr->add_option("--ema", opts->ema_decay, "Per-step decay of the weights' moving average (0: off)")
      ->capture_default_str()
      ->check(CLI::Range(0.0f, 0.99999f));
  tr->add_option("--group-dropout", opts->group_dropout, "Share of feature groups left out per training token")
      ->capture_default_str()
      ->check(CLI::Range(0.0f, 0.9f));
  tr->add_option("--unknown-words", opts->unknown_words,
                 "Share of training tokens served as unseen words (their form's features left out)")
      ->capture_default_str()
      ->check(CLI::Range(0.0f, 0.9f));
  tr->add_option("--lexicon", opts->lexicon_path,
                 "Dictionary of word forms and the UPOS tags each allows, form<TAB>TAG,TAG (tools/lexicon/)");
  tr->add_option("--lexicon-bits", opts->lexicon_bits_per_word, "Bloom filter bits a key for the dictionary")
      ->capture_default_str()
      ->check(CLI::Range(1.0, 32.0));
  tr->callback([opts, budget, exit_code, tr] {
    if (!PrepareTraining(*tr, budget.get(), opts->output_path, opts.get())) {
      *exit_code = 2;
      return;
    }
    absl::StatusOr<PosTrainResult> r = TrainTagger(*opts);
    if (!r.ok()) {
      std::fprintf(stderr, "slimnlp train pos: %s\n", std::string(r.status().message()).c_str());
      *exit_code = 2;
      return;
    }
    std::printf("trained %s: %zu tags, %zu tokens, dev accuracy %.4f (greedy, quantized), %zu bytes on disk, "
                "%zu in memory, %.0fs\n",
                opts->output_path.c_str(), r->tags, r->train_tokens, r->dev_accuracy_quantized, r->file_bytes,
                r->memory_bytes, r->seconds);
  });
}

}  // namespace slimnlp::cli
