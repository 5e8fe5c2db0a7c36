// TrainSegmenter: CoNLL-U in, a segmenter within its budget out.
#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <chrono>
#include <memory>

#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "slimnlp/segmenter.h"
#include "src/core/char_features.h"
#include "src/core/conllu.h"
#include "src/core/line_reader.h"
#include "src/core/utf8.h"
#include "src/core/precomputed_examples.h"
#include "src/core/text.h"
#include "src/core/trainer.h"
#include "src/segment/gold_tokens.h"
#include "src/segment/multiword.h"
#include "src/segment/seg_features.h"

namespace slimnlp {
namespace {

// A sentence as segmentation sees it: its characters, their byte offsets, their gold labels and tokens.
struct CharSentence {
  std::string text;
  core::DecodedText chars;
  std::vector<int> labels;
  std::vector<TextSpan> tokens;
};

CharSentence MakeCharSentence(segment::GoldText gold) {
  CharSentence s;
  s.text = std::move(gold.text);
  s.tokens = std::move(gold.tokens);
  core::Decode(s.text, /*fold_case=*/false, s.text.size(), &s.chars);
  segment::LabelsFromSpans(s.tokens, s.chars.offsets.data(), s.chars.cps.size(), &s.labels);
  return s;
}

struct Corpus {
  std::vector<CharSentence> sentences;
  size_t skipped = 0;
  segment::MultiwordCounter multiword;
};

absl::StatusOr<Corpus> ReadCorpus(const std::string& path, segment::JoinRule rule,
                                  const std::function<void(const std::string&)>& say) {
  absl::StatusOr<std::vector<core::ConlluSentence>> conllu = core::ReadConllu(path);
  if (!conllu.ok()) return conllu.status();
  Corpus corpus;
  for (const auto& sentence : *conllu) {
    corpus.multiword.Add(sentence);
    absl::StatusOr<segment::GoldText> gold = segment::GoldTokens(sentence, rule);
    if (!gold.ok()) {
      if (corpus.skipped++ < 3) say(absl::StrFormat("%s: skipped: %s", path, gold.status().message()));
      continue;
    }
    corpus.sentences.push_back(MakeCharSentence(*std::move(gold)));
  }
  if (corpus.skipped > 3) say(absl::StrFormat("%s: %d sentences skipped in all", path, corpus.skipped));
  return corpus;
}

absl::StatusOr<std::unique_ptr<icu::Transliterator>> Converter(const char* id) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::Transliterator> convert(icu::Transliterator::createInstance(id, UTRANS_FORWARD, status));
  if (U_FAILURE(status)) return absl::InternalError(absl::StrFormat("ICU %s unavailable: %s", id, u_errorName(status)));
  return convert;
}

std::string Convert(icu::Transliterator& convert, const std::string& text) {
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(text);
  convert.transliterate(u);
  std::string out;
  u.toUTF8String(out);
  return out;
}

// Runs of `n` consecutive sentences joined by `separator`, their gold tokens moved along: running text.
size_t AddParagraphs(int n, const std::string& separator, Corpus* corpus) {
  const size_t sentences = corpus->sentences.size();
  size_t added = 0;
  for (size_t start = 0; start + n <= sentences; start += n) {
    segment::GoldText joined;
    for (size_t i = start; i < start + n; ++i) {
      const CharSentence& s = corpus->sentences[i];
      if (i > start) joined.text += separator;
      const size_t shift = joined.text.size();
      joined.text += s.text;
      for (const TextSpan& t : s.tokens) joined.tokens.push_back({t.begin + shift, t.end + shift});
    }
    corpus->sentences.push_back(MakeCharSentence(std::move(joined)));
    ++added;
  }
  return added;
}

// The same sentences in simplified characters, where the conversion keeps one character for one (nearly
// always: it maps characters, not words), so the gold labels still apply.
absl::Status AddSimplified(Corpus* corpus) {
  absl::StatusOr<std::unique_ptr<icu::Transliterator>> convert = Converter("Traditional-Simplified");
  if (!convert.ok()) return convert.status();
  const size_t n = corpus->sentences.size();
  for (size_t i = 0; i < n; ++i) {
    const CharSentence& s = corpus->sentences[i];
    CharSentence simplified;
    simplified.text = Convert(**convert, s.text);
    if (simplified.text == s.text) continue;
    core::Decode(simplified.text, false, simplified.text.size(), &simplified.chars);
    if (simplified.chars.cps.size() != s.chars.cps.size()) continue;
    simplified.labels = s.labels;
    segment::SpanBuilder spans(&simplified.tokens);
    for (size_t c = 0; c < simplified.labels.size(); ++c) {
      spans.Add(simplified.labels[c], simplified.chars.offsets[c], simplified.chars.offsets[c + 1]);
    }
    spans.Finish();
    corpus->sentences.push_back(std::move(simplified));
  }
  return absl::OkStatus();
}

constexpr int kLexiconLongest = 8;

// A lexicon word's class: the decade of its count (below 10, 100, 1000, or more; 0 without a count). On GSD
// dev, jieba's words under 100 are tokens of the treebank a third of the time, those over 1000 nearly always.
uint8_t WordClass(const std::vector<std::string>& fields) {
  int64_t count = 0;
  if (fields.size() < 2 || !absl::SimpleAtoi(fields[1], &count)) return 0;
  return count < 10 ? 0 : count < 100 ? 1 : count < 1000 ? 2 : 3;
}

// The words of the lexicon file, normalized as features see them (char_features.h), 2..kLexiconLongest
// characters, in the forms given and, if `both_scripts`, converted to simplified and to traditional
// characters; sorted, without duplicates (a word given twice keeps its larger class).
absl::StatusOr<std::vector<core::Lexicon::Word>> ReadLexiconWords(const SegmentTrainOptions& options,
                                                                  bool both_scripts,
                                                                  const std::function<void(const std::string&)>& say) {
  absl::StatusOr<std::unique_ptr<core::LineReader>> in = core::LineReader::Open(options.lexicon_path, 4096);
  if (!in.ok()) return in.status();
  std::vector<std::unique_ptr<icu::Transliterator>> converters;
  if (both_scripts) {
    for (const char* id : {"Traditional-Simplified", "Simplified-Traditional"}) {
      absl::StatusOr<std::unique_ptr<icu::Transliterator>> c = Converter(id);
      if (!c.ok()) return c.status();
      converters.push_back(*std::move(c));
    }
  }
  std::vector<core::Lexicon::Word> words;
  std::string line;
  bool truncated;
  size_t lines = 0, kept = 0;
  core::DecodedText decoded;
  uint8_t word_class = 0;
  const auto add = [&](const std::string& word) {
    core::Decode(word, /*fold_case=*/false, word.size(), &decoded);
    if (decoded.cps.size() < 2 || decoded.cps.size() > kLexiconLongest) return false;
    core::Lexicon::Word w;
    for (char32_t cp : decoded.cps) w.text.push_back(core::NormalizeForFeatures(cp));
    w.word_class = word_class;
    words.push_back(std::move(w));
    return true;
  };
  while ((*in)->Next(&line, &truncated)) {
    ++lines;
    const std::vector<std::string> fields = absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipEmpty());
    if (fields.empty()) continue;
    if (truncated || !core::ValidateUtf8(fields[0]).ok()) {
      return absl::InvalidArgumentError(absl::StrFormat("%s:%d: not a word (invalid UTF-8 or over 4 KiB)",
                                                        options.lexicon_path, (*in)->line_number()));
    }
    int64_t count;
    if (fields.size() > 1 && absl::SimpleAtoi(fields[1], &count) && count < options.lexicon_min_count) continue;
    word_class = WordClass(fields);
    if (!add(fields[0])) continue;
    ++kept;
    for (const auto& c : converters) {
      const std::string converted = Convert(*c, fields[0]);
      if (converted != fields[0]) add(converted);
    }
  }
  if (!(*in)->status().ok()) return (*in)->status();
  std::sort(words.begin(), words.end(), [](const core::Lexicon::Word& a, const core::Lexicon::Word& b) {
    return a.text != b.text ? a.text < b.text : a.word_class > b.word_class;
  });
  words.erase(std::unique(words.begin(), words.end(),
                          [](const core::Lexicon::Word& a, const core::Lexicon::Word& b) { return a.text == b.text; }),
              words.end());
  if (words.empty()) {
    return absl::InvalidArgumentError(absl::StrFormat("%s: no words of 2 to %d characters (of %d lines)",
                                                      options.lexicon_path, kLexiconLongest, lines));
  }
  say(absl::StrFormat("lexicon: %d of %d lines kept, %d distinct words with conversions", kept, lines, words.size()));
  return words;
}

std::unique_ptr<core::PrecomputedExamples> CharExamples(const core::Classifier& model, const Corpus& corpus,
                                                        bool spaces_in_tokens, float prevtag_noise) {
  const core::FeatureSpec& spec = model.spec;
  auto examples = std::make_unique<core::PrecomputedExamples>(spec, prevtag_noise);
  core::CharFeaturizer featurizer(spec, &model.lexicon);
  core::CharScratch scratch;
  core::FeatureBags bags;
  for (const auto& s : corpus.sentences) {
    featurizer.Prepare(s.chars.cps.data(), s.chars.cps.size(), &scratch);
    for (size_t i = 0; i < s.chars.cps.size(); ++i) {
      if (!spaces_in_tokens && segment::IsSpace(s.chars.cps[i])) continue;  // Always O at inference.
      featurizer.Extract(scratch, i, s.labels.data(), &bags);
      examples->Add(bags, s.labels[i]);
    }
  }
  return examples;
}

// Token F1 of greedy decoding with `model` on `corpus`: what a user gets.
double GreedyF1(const core::Classifier& model, const Corpus& corpus, bool spaces_in_tokens) {
  core::CharFeaturizer featurizer(model.spec, &model.lexicon);
  segment::Scratch scratch;
  std::vector<TextSpan> predicted;
  size_t gold_count = 0, predicted_count = 0, correct = 0;
  for (const auto& s : corpus.sentences) {
    const size_t n = s.chars.cps.size();
    segment::LabelGreedy(model, featurizer, s.chars.cps.data(), n, &scratch, 0, spaces_in_tokens);
    predicted.clear();
    segment::SpanBuilder spans(&predicted);
    for (size_t i = 0; i < n; ++i) spans.Add(scratch.tags[i], s.chars.offsets[i], s.chars.offsets[i + 1]);
    spans.Finish();
    gold_count += s.tokens.size();
    predicted_count += predicted.size();
    correct += segment::CountMatches(s.tokens, predicted);
  }
  return segment::F1(correct, gold_count, predicted_count);
}

}  // namespace

absl::StatusOr<SegmentTrainResult> TrainSegmenter(const SegmentTrainOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  const std::function<void(const std::string&)> say = [&](const std::string& s) {
    if (options.progress) options.progress(s);
  };
  if (options.train_path.empty() || options.output_path.empty()) {
    return absl::InvalidArgumentError("training needs --train and --out");
  }
  const segment::JoinRule rule =
      options.join_without_spaces ? segment::JoinRule::kNothing : segment::JoinRule::kSpaceAfter;
  absl::StatusOr<Corpus> train = ReadCorpus(options.train_path, rule, say);
  if (!train.ok()) return train.status();
  Corpus dev;
  if (!options.dev_path.empty()) {
    absl::StatusOr<Corpus> d = ReadCorpus(options.dev_path, rule, say);
    if (!d.ok()) return d.status();
    dev = *std::move(d);
  } else {
    Corpus kept;
    kept.skipped = train->skipped;
    kept.multiword = train->multiword;
    for (size_t i = 0; i < train->sentences.size(); ++i) {
      ((i % 10 == 9) ? dev : kept).sentences.push_back(std::move(train->sentences[i]));
    }
    *train = std::move(kept);
    say(absl::StrFormat("no --dev: holding out %d of the training sentences", dev.sentences.size()));
  }
  if (options.window < 2 || options.window > 6) {
    return absl::InvalidArgumentError(absl::StrFormat("a window of %d characters: it must be 2 to 6", options.window));
  }
  if (train->sentences.empty() || dev.sentences.empty()) {
    return absl::InvalidArgumentError("no sentences to train or select on");
  }
  if (options.add_simplified) {
    const size_t before = train->sentences.size();
    if (absl::Status s = AddSimplified(&*train); !s.ok()) return s;
    if (absl::Status s = AddSimplified(&dev); !s.ok()) return s;
    say(absl::StrFormat("added %d training sentences converted to simplified characters",
                        train->sentences.size() - before));
  }
  if (options.paragraph_sentences > 1) {
    const size_t added = AddParagraphs(options.paragraph_sentences, options.join_without_spaces ? "" : " ", &*train);
    say(absl::StrFormat("added %d paragraphs of %d training sentences each", added, options.paragraph_sentences));
  }
  // Languages that write spaces inside words (Vietnamese) must let the model label them.
  bool spaces_in_tokens = false;
  for (const auto& s : train->sentences) {
    for (size_t i = 0; i < s.chars.cps.size() && !spaces_in_tokens; ++i) {
      spaces_in_tokens = segment::IsSpace(s.chars.cps[i]) && (s.labels[i] == segment::kI);
    }
  }

  // The lexicon's bytes come off the budget first; the tables share what is left.
  core::Classifier shape;
  if (!options.lexicon_path.empty()) {
    absl::StatusOr<std::vector<core::Lexicon::Word>> words = ReadLexiconWords(options, options.add_simplified, say);
    if (!words.ok()) return words.status();
    shape.lexicon = core::Lexicon::Build(*words, options.lexicon_bits_per_word, kLexiconLongest, /*class_bits=*/2);
  }
  absl::StatusOr<size_t> table_budget = core::BudgetAfterLexicon(
      shape.lexicon, options.budget_bytes, "raise --lexicon-min-count or lower --lexicon-bits");
  if (!table_budget.ok()) return table_budget.status();
  std::vector<int> hidden;
  if (options.hidden > 0) hidden.push_back(options.hidden);
  const std::vector<std::string>& labels = segment::LabelNames();
  absl::StatusOr<core::FeatureSpec> spec = core::FitToBudget(segment::DefaultGroups(!shape.lexicon.empty(), options.window), hidden,
                                                             labels, *table_budget);
  if (!spec.ok()) return spec.status();
  shape.spec = *std::move(spec);
  say(absl::StrFormat("feature spec for a %d-byte budget: %s", options.budget_bytes, shape.spec.ToString()));
  const auto train_examples = CharExamples(shape, *train, spaces_in_tokens, options.prevtag_noise);
  const auto dev_examples = CharExamples(shape, dev, spaces_in_tokens, 0.0f);
  say(absl::StrFormat("%d training characters, %d dev characters%s", train_examples->size(),
                      dev_examples->size(), spaces_in_tokens ? " (spaces occur inside tokens)" : ""));

  core::TrainerOptions trainer;
  trainer.hidden = hidden;
  trainer.max_epochs = options.epochs;
  trainer.patience = 3;
  trainer.seed = options.seed;
  trainer.group_dropout = options.group_dropout;
  trainer.learning_rate = options.learning_rate;
  trainer.ema_decay = options.ema_decay;
  trainer.embedding_init = 0.01f;  // Unseen n-grams should read as near silence, as in the tagger.
  trainer.progress = options.progress;
  core::TrainReport report;
  absl::StatusOr<core::Classifier> model =
      core::TrainClassifier(shape.spec, labels, *train_examples, *dev_examples, trainer, &report);
  if (!model.ok()) return model.status();
  model->lexicon = std::move(shape.lexicon);

  SegmentTrainResult result;
  result.train_sentences = train->sentences.size();
  result.train_characters = train_examples->size();
  result.skipped_sentences = train->skipped;
  result.dev_f1 = GreedyF1(*model, dev, spaces_in_tokens);
  say(absl::StrFormat("dev token F1, greedy decoding with the quantized model: %.4f", result.dev_f1));
  model->task = std::string(segment::kTask);
  core::RecordTraining(report, options.budget_bytes, options.train_path,
                       options.dev_path.empty() ? "every 10th training sentence" : options.dev_path, options.seed,
                       options.command_line, &*model);
  model->meta["language"] = options.language;
  model->meta["spaces_in_tokens"] = spaces_in_tokens ? "1" : "0";
  model->meta[segment::kMultiwordMetaKey] = train->multiword.ToMeta();
  model->meta["train.characters"] = std::to_string(result.train_characters);
  model->meta["train.add_simplified"] = options.add_simplified ? "1" : "0";
  if (options.paragraph_sentences > 1) model->meta["train.paragraph_sentences"] = std::to_string(options.paragraph_sentences);
  model->meta["train.group_dropout"] = absl::StrFormat("%g", options.group_dropout);
  model->meta["train.prevtag_noise"] = absl::StrFormat("%g", options.prevtag_noise);
  model->meta["train.ema"] = absl::StrFormat("%g", options.ema_decay);
  model->meta["train.learning_rate"] = absl::StrFormat("%g", options.learning_rate);
  model->meta["train.dev_f1"] = absl::StrFormat("%.4f", result.dev_f1);
  model->meta["train.window"] = std::to_string(options.window);
  if (!model->lexicon.empty()) {
    model->meta["train.lexicon"] = options.lexicon_path;
    model->meta["train.lexicon_min_count"] = std::to_string(options.lexicon_min_count);
    model->meta["train.lexicon_words"] = std::to_string(model->lexicon.words());
  }

  absl::StatusOr<size_t> file_bytes = core::SaveWithinBudget(*model, options.budget_bytes, options.output_path);
  if (!file_bytes.ok()) return file_bytes.status();
  result.file_bytes = *file_bytes;
  result.memory_bytes = model->MemoryBytes();
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace slimnlp
