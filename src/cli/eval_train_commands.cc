// `slimnlp eval langid` and `slimnlp train langid`.
#include <cctype>

#include <nlohmann/json.hpp>

#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "slimnlp/langid.h"
#include "src/cli/cli_common.h"

namespace slimnlp::cli {
namespace {

std::string Percent(size_t part, size_t whole) {
  return whole ? absl::StrFormat("%.2f%%", 100.0 * part / whole) : "-";
}

int RunEval(const std::string& model_path, const std::string& data, float threshold, size_t confusions,
            const std::string& format) {
  LangIdOptions options;
  options.reliability_threshold = threshold;
  absl::StatusOr<std::unique_ptr<LanguageIdentifier>> lid = LanguageIdentifier::Load(model_path, options);
  if (!lid.ok()) {
    std::fprintf(stderr, "slimnlp eval langid: %s\n", std::string(lid.status().message()).c_str());
    return 2;
  }
  absl::StatusOr<LangIdEvalReport> r = EvaluateLanguageIdentifier(**lid, data, [](const std::string& warning) {
    std::fprintf(stderr, "slimnlp eval langid: skipped %s\n", warning.c_str());
  });
  if (!r.ok()) {
    std::fprintf(stderr, "slimnlp eval langid: %s\n", std::string(r.status().message()).c_str());
    return 2;
  }
  Output out;
  if (format == "json") {
    nlohmann::json per = nlohmann::json::array(), confused = nlohmann::json::array(), lengths = nlohmann::json::array();
    for (const auto& p : r->per_language) {
      per.push_back({{"language", p.language}, {"gold", p.gold}, {"predicted", p.predicted}, {"correct", p.correct},
                     {"precision", p.precision}, {"recall", p.recall}, {"f1", p.f1}});
    }
    for (size_t i = 0; i < r->top_confusions.size() && i < confusions; ++i) {
      const auto& c = r->top_confusions[i];
      confused.push_back({{"gold", c.gold}, {"predicted", c.predicted}, {"count", c.count}});
    }
    for (const auto& b : r->by_length) lengths.push_back({{"length", b.name}, {"examples", b.examples}, {"correct", b.correct}});
    out.Write(nlohmann::json{{"model", model_path}, {"data", data}, {"examples", r->examples}, {"correct", r->correct},
                             {"accuracy", r->accuracy}, {"macro_f1", r->macro_f1}, {"threshold", threshold},
                             {"reliable", r->reliable}, {"reliable_correct", r->reliable_correct},
                             {"skipped_lines", r->skipped_lines}, {"by_length", lengths}, {"per_language", per},
                             {"confusions", confused}}
                  .dump() +
              "\n");
    return 0;
  }
  out.Write(absl::StrFormat("model: %s\ndata: %s (%d examples", model_path, data, r->examples));
  if (r->skipped_lines) out.Write(absl::StrFormat(", %d malformed lines skipped", r->skipped_lines));
  out.Write(")\n\n");
  out.Write(absl::StrFormat("accuracy  %.4f (%d/%d)\nmacro-F1  %.4f\n", r->accuracy, r->correct, r->examples,
                            r->macro_f1));
  out.Write(absl::StrFormat("reliable  %s of answers (threshold %.2f), %s of them correct\n\n",
                            Percent(r->reliable, r->examples), threshold, Percent(r->reliable_correct, r->reliable)));
  out.Write("accuracy by text length (code points)\n");
  for (const auto& b : r->by_length) {
    out.Write(absl::StrFormat("  %-6s %7d examples  %s\n", b.name, b.examples, Percent(b.correct, b.examples)));
  }
  out.Write("\nper language\n  language    gold  predicted  precision  recall      F1\n");
  for (const auto& p : r->per_language) {
    out.Write(absl::StrFormat("  %-8s %7d %10d %10.4f %7.4f %7.4f\n", p.language, p.gold, p.predicted, p.precision,
                              p.recall, p.f1));
  }
  out.Write("\nmost confused (gold -> predicted: count)\n");
  for (size_t i = 0; i < r->top_confusions.size() && i < confusions; ++i) {
    const auto& c = r->top_confusions[i];
    out.Write(absl::StrFormat("  %s -> %s: %d\n", c.gold, c.predicted, c.count));
  }
  return 0;
}

}  // namespace

void AddEvalCommands(CLI::App& eval, int* exit_code) {
  struct Args {
    std::string model, data, format = "text";
    float threshold = LangIdOptions{}.reliability_threshold;
    size_t confusions = 20;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = eval.add_subcommand(
      "langid",
      "Accuracy, macro-F1, per-language precision/recall, the most confused pairs and accuracy by text\n"
      "length of a language identifier on TSV data (label<TAB>text, plain or .zst).\n"
      "\nExample:\n  slimnlp eval langid --data ../shared/data/langid/test.tsv.zst\n");
  cmd->add_option("-m,--model", args->model, "Model file (default: the shipped models/langid.slim)");
  cmd->add_option("-d,--data", args->data, "Labelled TSV file")->required();
  cmd->add_option("--threshold", args->threshold, "Reliability threshold")->capture_default_str();
  cmd->add_option("--confusions", args->confusions, "How many confused pairs to list")->capture_default_str();
  cmd->add_option("-f,--format", args->format, "text or json (one object)")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  cmd->callback([args, exit_code] {
    *exit_code = RunEval(args->model.empty() ? DefaultModelPath("langid.slim") : args->model, args->data,
                         args->threshold, args->confusions, args->format);
  });
}

void AddTrainCommands(CLI::App& train, int* exit_code) {
  auto opts = std::make_shared<LangIdTrainOptions>();
  auto budget = std::make_shared<std::string>("512KiB");
  CLI::App* cmd = train.add_subcommand(
      "langid",
      "Train a language identifier on TSV data (label<TAB>text, plain or .zst) within a memory budget.\n"
      "Progress goes to stderr. The model records this command, the seed and its dev accuracy.\n"
      "\nExample (the shipped model):\n"
      "  slimnlp train langid --train ../shared/data/langid/train.tsv.zst \\\n"
      "      --dev ../shared/data/langid/dev.tsv --out models/langid.slim --budget 512KiB\n");
  cmd->add_option("--train", opts->train_path, "Training data")->required();
  cmd->add_option("--dev", opts->dev_path, "Development data (picks the epoch)")->required();
  cmd->add_option("-o,--out", opts->output_path, "Model file to write")->required();
  cmd->add_option("--budget", *budget, "Size limit of the model on disk and in memory (e.g. 512KiB, 1MiB)")
      ->capture_default_str();
  cmd->add_option("--hidden", opts->hidden, "Hidden layer width (0: none)")->capture_default_str()->check(HiddenWidth());
  cmd->add_option("--epochs", opts->epochs, "Maximum epochs")->capture_default_str()->check(CLI::Range(1, 1000));
  cmd->add_option("--seed", opts->seed, "Random seed")->capture_default_str();
  cmd->add_option("--short-fraction", opts->short_fraction, "Share of examples cut to short prefixes")
      ->capture_default_str()
      ->check(CLI::Range(0.0f, 1.0f));
  cmd->callback([opts, budget, exit_code, cmd] {
    if (!PrepareTraining(*cmd, budget.get(), opts->output_path, opts.get())) {
      *exit_code = 2;
      return;
    }
    absl::StatusOr<LangIdTrainResult> r = TrainLanguageIdentifier(*opts);
    if (!r.ok()) {
      std::fprintf(stderr, "slimnlp train langid: %s\n", std::string(r.status().message()).c_str());
      *exit_code = 2;
      return;
    }
    std::printf("trained %s: %zu languages, %zu examples, dev accuracy %.4f (float) %.4f (quantized), "
                "%zu bytes on disk, %zu in memory, %.0fs\n",
                opts->output_path.c_str(), r->languages, r->train_examples, r->dev_accuracy_float,
                r->dev_accuracy_quantized, r->file_bytes, r->memory_bytes, r->seconds);
  });
}

}  // namespace slimnlp::cli
