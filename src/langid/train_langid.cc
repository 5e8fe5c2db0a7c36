// TrainLanguageIdentifier: reads the data, fits the feature spec to the budget, trains, records how.
#include <algorithm>
#include <chrono>
#include <map>
#include <set>

#include "absl/strings/str_format.h"
#include "slimnlp/langid.h"
#include "src/core/budget.h"
#include "src/core/trainer.h"
#include "src/core/utf8.h"
#include "src/langid/langid_features.h"
#include "src/langid/tsv_dataset.h"

namespace slimnlp {
namespace {

constexpr size_t kTrainMaxTextBytes = 4096;

// Training or dev examples. With `short_fraction` > 0, that share of the examples is cut to a short prefix
// (1-4 words, or 4-15 characters in scripts written without spaces), drawn afresh every epoch: short queries
// are what users send and what full sentences alone do not teach.
class LangIdExamples : public core::ExampleSource {
 public:
  LangIdExamples(const core::FeatureSpec& spec, std::vector<langid::LabeledText> rows,
                 const std::map<std::string, int>& label_ids, float short_fraction)
      : spec_(spec), rows_(std::move(rows)), short_fraction_(short_fraction) {
    for (const auto& r : rows_) labels_.push_back(label_ids.at(r.label));
  }
  size_t size() const override { return rows_.size(); }
  int Label(size_t i) const override { return labels_[i]; }
  void Features(size_t i, core::Rng* rng, core::FeatureBags* out) const override {
    std::string_view text = rows_[i].text;
    if (short_fraction_ > 0 && rng->Unit() < short_fraction_) text = ShortPrefix(text, rng);
    langid::ExtractLangIdFeatures(spec_, text, kTrainMaxTextBytes, &scratch_);
    out->ids.swap(scratch_.bags.ids);
  }

 private:
  static std::string_view ShortPrefix(std::string_view text, core::Rng* rng) {
    size_t spaces = std::count(text.begin(), text.end(), ' ');
    if (spaces >= 2) {
      const size_t words = 1 + rng->Below(4);
      size_t pos = 0;
      for (size_t w = 0; w < words; ++w) {
        pos = text.find(' ', pos + 1);
        if (pos == std::string_view::npos) return text;
      }
      return text.substr(0, pos);
    }
    const size_t chars = 4 + rng->Below(12);
    size_t pos = 0;
    for (size_t c = 0; c < chars && pos < text.size(); ++c) {
      char32_t cp;
      size_t len;
      core::DecodeUtf8(text, pos, &cp, &len);
      pos += len;
    }
    return text.substr(0, pos);
  }

  const core::FeatureSpec& spec_;
  std::vector<langid::LabeledText> rows_;
  std::vector<int> labels_;
  float short_fraction_;
  mutable langid::Scratch scratch_;  // Training is single-threaded.
};

}  // namespace

absl::StatusOr<LangIdTrainResult> TrainLanguageIdentifier(const LangIdTrainOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  const auto say = [&](const std::string& s) {
    if (options.progress) options.progress(s);
  };
  if (options.train_path.empty() || options.dev_path.empty() || options.output_path.empty()) {
    return absl::InvalidArgumentError("training needs --train, --dev and --out");
  }
  if (options.hidden < 0 || options.hidden > core::kMaxHiddenWidth) {
    return absl::InvalidArgumentError(absl::StrFormat("--hidden must be in 0..%d", core::kMaxHiddenWidth));
  }
  say(absl::StrFormat("reading %s", options.train_path));
  absl::StatusOr<std::vector<langid::LabeledText>> train = langid::ReadLabeledTsv(options.train_path, nullptr);
  if (!train.ok()) return train.status();
  absl::StatusOr<std::vector<langid::LabeledText>> dev = langid::ReadLabeledTsv(options.dev_path, nullptr);
  if (!dev.ok()) return dev.status();
  if (train->empty()) return absl::InvalidArgumentError(options.train_path + " has no examples");
  if (dev->empty()) return absl::InvalidArgumentError(options.dev_path + " has no examples");

  std::set<std::string> label_set;
  for (const auto& r : *train) label_set.insert(r.label);
  std::vector<std::string> labels(label_set.begin(), label_set.end());
  std::map<std::string, int> label_ids;
  for (size_t i = 0; i < labels.size(); ++i) label_ids[labels[i]] = static_cast<int>(i);
  for (const auto& r : *dev) {
    if (!label_ids.count(r.label)) {
      return absl::InvalidArgumentError(absl::StrFormat("%s:%d: label '%s' does not occur in the training data",
                                                        options.dev_path, r.line, r.label));
    }
  }

  std::vector<int> hidden;
  if (options.hidden > 0) hidden.push_back(options.hidden);
  absl::StatusOr<core::FeatureSpec> spec =
      core::FitToBudget(langid::DefaultGroups(), hidden, labels, options.budget_bytes);
  if (!spec.ok()) return spec.status();
  say(absl::StrFormat("%d examples, %d languages; feature spec for a %d-byte budget: %s", train->size(),
                      labels.size(), options.budget_bytes, spec->ToString()));

  LangIdTrainResult result;
  result.train_examples = train->size();
  result.dev_examples = dev->size();
  result.languages = labels.size();
  LangIdExamples train_examples(*spec, *std::move(train), label_ids, options.short_fraction);
  LangIdExamples dev_examples(*spec, *std::move(dev), label_ids, 0.0f);

  core::TrainerOptions trainer;
  trainer.hidden = hidden;
  trainer.max_epochs = options.epochs;
  trainer.seed = options.seed;
  trainer.progress = options.progress;
  core::TrainReport report;
  absl::StatusOr<core::Classifier> model =
      core::TrainClassifier(*spec, labels, train_examples, dev_examples, trainer, &report);
  if (!model.ok()) return model.status();

  model->task = std::string(langid::kTask);
  core::RecordTraining(report, options.budget_bytes, options.train_path, options.dev_path, options.seed,
                       options.command_line, &*model);
  model->meta["case_fold"] = "1";
  model->meta["train.examples"] = std::to_string(result.train_examples);
  model->meta["train.short_fraction"] = absl::StrFormat("%g", options.short_fraction);
  model->meta["train.dev_accuracy_float"] = absl::StrFormat("%.4f", report.dev_accuracy_float);
  model->meta["train.dev_accuracy_quantized"] = absl::StrFormat("%.4f", report.dev_accuracy_quantized);

  absl::StatusOr<size_t> file_bytes = core::SaveWithinBudget(*model, options.budget_bytes, options.output_path);
  if (!file_bytes.ok()) return file_bytes.status();
  result.file_bytes = *file_bytes;
  result.memory_bytes = model->MemoryBytes();
  result.dev_accuracy_float = report.dev_accuracy_float;
  result.dev_accuracy_quantized = report.dev_accuracy_quantized;
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  say(absl::StrFormat("wrote %s: %d bytes on disk, %d in memory", options.output_path, result.file_bytes,
                      result.memory_bytes));
  return result;
}

}  // namespace slimnlp
