// TrainTagger: CoNLL-U in, a tagger within its budget out.
#include <chrono>
#include <map>
#include <memory>
#include <set>

#include "absl/strings/str_format.h"
#include "slimnlp/tagger.h"
#include "src/core/conllu.h"
#include "src/core/precomputed_examples.h"
#include "src/core/trainer.h"
#include "src/pos/pos_features.h"
#include "src/pos/pos_lexicon.h"

namespace slimnlp {
namespace {

// Every token of a corpus as one example, its features computed once (with the gold tags of the tokens before
// it for the prevtag groups: teacher forcing).
std::unique_ptr<core::PrecomputedExamples> PosExamples(const core::FeatureSpec& spec, const core::Lexicon& lexicon,
                                                       const std::vector<core::ConlluSentence>& sentences,
                                                       const std::map<std::string, int>& tag_ids,
                                                       float prevtag_noise) {
  auto examples = std::make_unique<core::PrecomputedExamples>(spec, prevtag_noise);
  core::TokenFeaturizer featurizer(spec, &lexicon);
  core::TokenScratch scratch;
  core::FeatureBags bags;
  std::vector<std::string_view> forms;
  std::vector<int> tags;
  for (const auto& s : sentences) {
    forms.clear();
    tags.clear();
    for (size_t w : s.words) {
      forms.push_back(s.rows[w].form());
      const auto it = tag_ids.find(s.rows[w].upos());
      tags.push_back(it == tag_ids.end() ? static_cast<int>(tag_ids.size()) : it->second);
    }
    featurizer.Prepare(forms, &scratch);
    for (size_t i = 0; i < forms.size(); ++i) {
      featurizer.Extract(scratch, i, tags.data(), &bags);
      examples->Add(bags, tags[i]);
    }
  }
  return examples;
}

// Greedy (not teacher-forced) accuracy: what a user gets.
double GreedyAccuracy(const core::Classifier& model, const std::vector<core::ConlluSentence>& sentences) {
  core::TokenFeaturizer featurizer(model.spec, &model.lexicon);
  pos::Scratch scratch;
  std::vector<std::string_view> forms;
  size_t total = 0, correct = 0;
  for (const auto& s : sentences) {
    forms.clear();
    for (size_t w : s.words) forms.push_back(s.rows[w].form());
    pos::TagGreedy(model, featurizer, forms, &scratch);
    for (size_t i = 0; i < forms.size(); ++i) {
      ++total;
      correct += model.labels[scratch.tags[i]] == s.rows[s.words[i]].upos();
    }
  }
  return total ? static_cast<double>(correct) / total : 0;
}

}  // namespace

absl::StatusOr<PosTrainResult> TrainTagger(const PosTrainOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  const auto say = [&](const std::string& s) {
    if (options.progress) options.progress(s);
  };
  if (options.train_path.empty() || options.output_path.empty()) {
    return absl::InvalidArgumentError("training needs --train and --out");
  }
  absl::StatusOr<std::vector<core::ConlluSentence>> train = core::ReadConllu(options.train_path);
  if (!train.ok()) return train.status();
  std::vector<core::ConlluSentence> dev;
  if (!options.dev_path.empty()) {
    absl::StatusOr<std::vector<core::ConlluSentence>> d = core::ReadConllu(options.dev_path);
    if (!d.ok()) return d.status();
    dev = *std::move(d);
  } else {
    // Hold out every tenth sentence.
    std::vector<core::ConlluSentence> kept;
    for (size_t i = 0; i < train->size(); ++i) ((i % 10 == 9) ? dev : kept).push_back(std::move((*train)[i]));
    *train = std::move(kept);
    say(absl::StrFormat("no --dev: holding out %d of the training sentences", dev.size()));
  }
  if (train->empty() || dev.empty()) return absl::InvalidArgumentError("no sentences to train or select on");

  std::set<std::string> tag_set;
  for (const auto& s : *train)
    for (size_t w : s.words) tag_set.insert(s.rows[w].upos());
  tag_set.erase("_");
  std::vector<std::string> tags(tag_set.begin(), tag_set.end());
  if (tags.size() < 2) return absl::InvalidArgumentError(options.train_path + " has fewer than two UPOS tags");
  std::map<std::string, int> tag_ids;
  for (size_t i = 0; i < tags.size(); ++i) tag_ids[tags[i]] = static_cast<int>(i);

  // The dictionary's bytes come off the budget first; the tables share what is left.
  core::Lexicon lexicon;
  if (!options.lexicon_path.empty()) {
    pos::PosLexiconStats stats;
    absl::StatusOr<core::Lexicon> read = pos::ReadPosLexicon(options.lexicon_path, options.lexicon_bits_per_word, &stats);
    if (!read.ok()) return read.status();
    lexicon = *std::move(read);
    say(absl::StrFormat("lexicon: %d words (%d with tags) from %d lines, %d bytes", stats.words, stats.with_tags,
                        stats.lines, lexicon.MemoryBytes()));
  }
  absl::StatusOr<size_t> table_budget =
      core::BudgetAfterLexicon(lexicon, options.budget_bytes, "lower --lexicon-bits or give fewer words");
  if (!table_budget.ok()) return table_budget.status();
  std::vector<int> hidden;
  if (options.hidden > 0) hidden.push_back(options.hidden);
  absl::StatusOr<core::FeatureSpec> spec = core::FitToBudget(pos::DefaultGroups(tags.size(), !lexicon.empty()),
                                                             hidden, tags, *table_budget);
  if (!spec.ok()) return spec.status();
  say(absl::StrFormat("%d tags; feature spec for a %d-byte budget: %s", tags.size(), options.budget_bytes,
                      spec->ToString()));
  const auto train_examples = PosExamples(*spec, lexicon, *train, tag_ids, options.prevtag_noise);
  if (options.unknown_words > 0) train_examples->SetJointDropout(pos::FormGroups(*spec), options.unknown_words);
  const auto dev_examples = PosExamples(*spec, lexicon, dev, tag_ids, 0.0f);
  say(absl::StrFormat("%d training tokens, %d dev tokens", train_examples->size(), dev_examples->size()));

  core::TrainerOptions trainer;
  trainer.hidden = hidden;
  trainer.max_epochs = options.epochs;
  trainer.patience = 3;  // Tagging accuracy on dev wobbles by a few tenths between epochs.
  trainer.seed = options.seed;
  trainer.group_dropout = options.group_dropout;
  trainer.learning_rate = options.learning_rate;
  trainer.ema_decay = options.ema_decay;
  trainer.embedding_init = options.embedding_init;
  trainer.progress = options.progress;
  core::TrainReport report;
  absl::StatusOr<core::Classifier> model =
      core::TrainClassifier(*spec, tags, *train_examples, *dev_examples, trainer, &report);
  if (!model.ok()) return model.status();
  model->lexicon = std::move(lexicon);

  PosTrainResult result;
  result.train_tokens = train_examples->size();
  result.dev_tokens = dev_examples->size();
  result.tags = tags.size();
  result.dev_accuracy_float = report.dev_accuracy_float;
  result.dev_accuracy_quantized = GreedyAccuracy(*model, dev);
  say(absl::StrFormat("dev accuracy, greedy decoding with the quantized model: %.4f",
                      result.dev_accuracy_quantized));
  model->task = std::string(pos::kTask);
  core::RecordTraining(report, options.budget_bytes, options.train_path,
                       options.dev_path.empty() ? "every 10th training sentence" : options.dev_path, options.seed,
                       options.command_line, &*model);
  model->meta["train.tokens"] = std::to_string(result.train_tokens);
  model->meta["train.group_dropout"] = absl::StrFormat("%g", options.group_dropout);
  model->meta["train.prevtag_noise"] = absl::StrFormat("%g", options.prevtag_noise);
  if (options.unknown_words > 0) model->meta["train.unknown_words"] = absl::StrFormat("%g", options.unknown_words);
  model->meta["train.ema"] = absl::StrFormat("%g", options.ema_decay);
  model->meta["train.embedding_init"] = absl::StrFormat("%g", options.embedding_init);
  model->meta["train.learning_rate"] = absl::StrFormat("%g", options.learning_rate);
  model->meta["train.dev_accuracy_float_teacher_forced"] = absl::StrFormat("%.4f", report.dev_accuracy_float);
  model->meta["train.dev_accuracy_quantized"] = absl::StrFormat("%.4f", result.dev_accuracy_quantized);
  if (!model->lexicon.empty()) {
    model->meta["train.lexicon"] = options.lexicon_path;
    model->meta["train.lexicon_words"] = std::to_string(model->lexicon.words());
    model->meta["train.lexicon_bits"] = absl::StrFormat("%g", options.lexicon_bits_per_word);
  }

  absl::StatusOr<size_t> file_bytes = core::SaveWithinBudget(*model, options.budget_bytes, options.output_path);
  if (!file_bytes.ok()) return file_bytes.status();
  result.file_bytes = *file_bytes;
  result.memory_bytes = model->MemoryBytes();
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace slimnlp

