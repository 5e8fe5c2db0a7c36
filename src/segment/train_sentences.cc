// TrainSentenceSplitter: CoNLL-U in, a sentence splitter within its budget out.
#include <chrono>

#include "absl/strings/str_format.h"
#include "slimnlp/sentence_splitter.h"
#include "src/core/precomputed_examples.h"
#include "src/core/text.h"
#include "src/core/trainer.h"
#include "src/core/utf8.h"
#include "src/segment/seg_features.h"
#include "src/segment/sentence_features.h"

namespace slimnlp {
namespace {

using segment::GoldParagraph;

// One example per place where a sentence may end: whether one of the paragraph's sentences ends there.
std::unique_ptr<core::PrecomputedExamples> PlaceExamples(const core::FeatureSpec& spec,
                                                         const std::vector<GoldParagraph>& paragraphs) {
  auto examples = std::make_unique<core::PrecomputedExamples>(spec, 0.0f);
  const segment::SentenceFeaturizer featurizer(spec);
  core::CharScratch chars;
  core::FeatureBags bags;
  core::DecodedText decoded;
  for (const GoldParagraph& p : paragraphs) {
    core::Decode(p.text, /*fold_case=*/false, p.text.size(), &decoded);
    const size_t n = decoded.cps.size();
    featurizer.Prepare(decoded.cps.data(), n, &chars);
    size_t next_end = 0;  // The first sentence that has not ended before the current character.
    for (size_t i = 0; i + 1 < n; ++i) {
      const size_t after = decoded.offsets[i + 1];
      while (next_end < p.sentences.size() && p.sentences[next_end].end < after) ++next_end;
      if (!segment::MayEndAfter(decoded.cps.data(), n, i)) continue;
      featurizer.Extract(chars, decoded.cps.data(), n, i, &bags);
      const bool ends = next_end < p.sentences.size() && p.sentences[next_end].end == after;
      examples->Add(bags, ends ? segment::kEnds : segment::kGoesOn);
    }
  }
  return examples;
}

// Sentence F1 of `model` on `paragraphs`: what a user gets.
double SplitF1(const core::Classifier& model, const std::vector<GoldParagraph>& paragraphs) {
  const segment::SentenceFeaturizer featurizer(model.spec);
  segment::SplitScratch scratch;
  std::vector<TextSpan> predicted;
  size_t gold = 0, found = 0, correct = 0;
  for (const GoldParagraph& p : paragraphs) {
    segment::SplitSentences(model, featurizer, p.text, &scratch, &predicted);
    gold += p.sentences.size();
    found += predicted.size();
    correct += segment::CountMatches(p.sentences, predicted);
  }
  return segment::F1(correct, gold, found);
}

// The gold paragraphs of `path`, refused (naming the file) if any holds invalid UTF-8: features would read
// such bytes as U+FFFD and learn from them.
absl::StatusOr<std::vector<GoldParagraph>> ReadValidParagraphs(const std::string& path,
                                                              const SentenceTextOptions& text) {
  absl::StatusOr<std::vector<GoldParagraph>> paragraphs = segment::ReadGoldParagraphs(path, text);
  if (!paragraphs.ok()) return paragraphs.status();
  for (const GoldParagraph& p : *paragraphs) {
    if (absl::Status v = core::ValidateUtf8(p.text); !v.ok()) {
      return absl::InvalidArgumentError(absl::StrFormat("%s: %s", path, v.message()));
    }
  }
  return paragraphs;
}

}  // namespace

absl::StatusOr<SentenceTrainResult> TrainSentenceSplitter(const SentenceTrainOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  const std::function<void(const std::string&)> say = [&](const std::string& s) {
    if (options.progress) options.progress(s);
  };
  if (options.train_path.empty() || options.output_path.empty()) {
    return absl::InvalidArgumentError("training needs --train and --out");
  }
  absl::StatusOr<std::vector<GoldParagraph>> train = ReadValidParagraphs(options.train_path, options.text);
  if (!train.ok()) return train.status();
  std::vector<GoldParagraph> dev;
  if (!options.dev_path.empty()) {
    absl::StatusOr<std::vector<GoldParagraph>> d = ReadValidParagraphs(options.dev_path, options.text);
    if (!d.ok()) return d.status();
    dev = *std::move(d);
  } else {
    std::vector<GoldParagraph> kept;
    for (size_t i = 0; i < train->size(); ++i) ((i % 10 == 9) ? dev : kept).push_back(std::move((*train)[i]));
    *train = std::move(kept);
    say(absl::StrFormat("no --dev: holding out %d of the training paragraphs", dev.size()));
  }
  if (train->empty() || dev.empty()) return absl::InvalidArgumentError("no paragraphs to train or select on");

  std::vector<int> hidden;
  if (options.hidden > 0) hidden.push_back(options.hidden);
  const std::vector<std::string>& labels = segment::SentenceLabelNames();
  absl::StatusOr<core::FeatureSpec> spec = core::FitToBudget(segment::SentenceGroups(), hidden, labels,
                                                             options.budget_bytes);
  if (!spec.ok()) return spec.status();
  say(absl::StrFormat("feature spec for a %d-byte budget: %s", options.budget_bytes, spec->ToString()));
  const auto train_examples = PlaceExamples(*spec, *train);
  const auto dev_examples = PlaceExamples(*spec, dev);
  size_t sentences = 0;
  for (const GoldParagraph& p : *train) sentences += p.sentences.size();
  if (sentences == train->size()) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s: every paragraph is one sentence, so there is no sentence end to learn: raise the sentences per "
        "paragraph or use a file with # newpar marks",
        options.train_path));
  }
  say(absl::StrFormat("%d sentences in %d paragraphs: %d places where a sentence may end (%d in dev)", sentences,
                      train->size(), train_examples->size(), dev_examples->size()));

  core::TrainerOptions trainer;
  trainer.hidden = hidden;
  trainer.max_epochs = options.epochs;
  trainer.patience = 2;
  trainer.seed = options.seed;
  trainer.group_dropout = options.group_dropout;
  trainer.learning_rate = options.learning_rate;
  trainer.ema_decay = options.ema_decay;
  trainer.embedding_init = 0.01f;  // Unseen words should read as near silence.
  trainer.progress = options.progress;
  core::TrainReport report;
  absl::StatusOr<core::Classifier> model =
      core::TrainClassifier(*spec, labels, *train_examples, *dev_examples, trainer, &report);
  if (!model.ok()) return model.status();

  SentenceTrainResult result;
  result.train_sentences = sentences;
  result.train_paragraphs = train->size();
  result.train_places = train_examples->size();
  result.dev_f1 = SplitF1(*model, dev);
  say(absl::StrFormat("dev sentence F1 with the quantized model: %.4f", result.dev_f1));
  model->task = std::string(segment::kSentenceTask);
  core::RecordTraining(report, options.budget_bytes, options.train_path,
                       options.dev_path.empty() ? "every 10th training paragraph" : options.dev_path, options.seed,
                       options.command_line, &*model);
  model->meta["language"] = options.language;
  model->meta["train.join_without_spaces"] = options.text.join_without_spaces ? "1" : "0";
  model->meta["train.sentences_per_paragraph"] = std::to_string(options.text.sentences_per_paragraph);
  model->meta["train.places"] = std::to_string(result.train_places);
  model->meta["train.group_dropout"] = absl::StrFormat("%g", options.group_dropout);
  model->meta["train.ema"] = absl::StrFormat("%g", options.ema_decay);
  model->meta["train.learning_rate"] = absl::StrFormat("%g", options.learning_rate);
  model->meta["train.dev_f1"] = absl::StrFormat("%.4f", result.dev_f1);

  absl::StatusOr<size_t> file_bytes = core::SaveWithinBudget(*model, options.budget_bytes, options.output_path);
  if (!file_bytes.ok()) return file_bytes.status();
  result.file_bytes = *file_bytes;
  result.memory_bytes = model->MemoryBytes();
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace slimnlp
