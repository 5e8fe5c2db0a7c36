// Sentence splitting of running text: where each sentence begins and ends, as byte offsets into the text
// given, so nothing of the input is lost or altered.
//
//   #include <slimnlp/sentence_splitter.h>
//
//   auto split = slimnlp::SentenceSplitter::Load("models/sent-en.slim");   // absl::StatusOr
//   std::vector<slimnlp::TextSpan> sentences;
//   (*split)->Split("I came. I saw. Mr. Smith conquered.", &sentences);    // 3 sentences
//
// Model (the segmenter's engine, Botha et al. 2017): a sentence may end after punctuation or a symbol followed
// by anything (Chinese and Japanese write no space after "。"), or after another character followed by white
// space and a word that does not begin in lower case. Each such place is classified from hashed features: the characters around it (n-grams of orders 1-5 reaching back
// over the word before, so that abbreviations such as "Mr." and "p.m." are learned from the treebank's
// sentences), the word before and the word after as wholes (case folded), the case and class of the next
// word's first character, the length and shape of the word before, and the white space between; averaged
// 8-bit embeddings, one hidden ReLU layer, softmax over {no, yes}.
//
// Thread safety: a loaded SentenceSplitter is immutable; Split is const and may be called from any number of
// threads. Scratch buffers are per thread and bounded: text is processed in pieces.
#ifndef SLIMNLP_INCLUDE_SLIMNLP_SENTENCE_SPLITTER_H_
#define SLIMNLP_INCLUDE_SLIMNLP_SENTENCE_SPLITTER_H_

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "slimnlp/segmenter.h"

namespace slimnlp {

class SentenceSplitter {
 public:
  // Loads a model file. NotFound, DataLoss (damaged file), InvalidArgument (a model of another task),
  // FailedPrecondition (a newer format).
  static absl::StatusOr<std::unique_ptr<SentenceSplitter>> Load(const std::string& path);
  // The same from the bytes of a model file; `source` names it in errors. The bytes need not outlive the call.
  static absl::StatusOr<std::unique_ptr<SentenceSplitter>> FromBytes(std::string_view bytes, std::string_view source);
  ~SentenceSplitter();

  // The sentences of `text` into `*sentences` (cleared first), in order: each from its first to its last
  // character that is not white space, so the spans cover every such character of the text. A text without
  // any is no sentence. Invalid UTF-8 never fails: each invalid byte is a character of its own (U+FFFD).
  void Split(std::string_view text, std::vector<TextSpan>* sentences) const;

  // The language the model was trained for ("en", ...; meta "language"), or "" if unrecorded.
  std::string language() const;

 private:
  struct Impl;
  explicit SentenceSplitter(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// ---- Training and evaluation ----------------------------------------------------------------------------

// How a CoNLL-U file becomes running text to split: its sentences joined into paragraphs as a treebank's raw
// text has them.
struct SentenceTextOptions {
  // Sentences are joined by a space, or with nothing (Chinese, Japanese: their raw text has no space
  // between sentences). Sentences without a `# text =` line are rebuilt from their tokens the same way.
  bool join_without_spaces = false;
  // A paragraph ends at `# newpar` and `# newdoc`. In a file without either, every run of this many
  // sentences is a paragraph. Default: 10.
  int sentences_per_paragraph = 10;
};

struct SentenceTrainOptions {
  std::string train_path;   // CoNLL-U (plain or .zst). Required.
  std::string dev_path;     // CoNLL-U; selects the epoch. Optional: without it, 10% of train is held out.
  std::string output_path;  // Required.
  std::string language;     // Recorded in the model (meta "language").
  SentenceTextOptions text;
  size_t budget_bytes = 128 * 1024;  // Default: 128 KiB.
  int hidden = 64;                   // Default: 64.
  int epochs = 6;                   // Default: 6, with early stopping on dev F1.
  uint64_t seed = 1;                // Default: 1.
  float group_dropout = 0.1f;       // Default: 0.1.
  float learning_rate = 0.002f;     // Default: 0.002.
  float ema_decay = 0.999f;         // Default: 0.999.
  std::string command_line;         // Recorded in the model.
  std::function<void(const std::string&)> progress;
};

struct SentenceTrainResult {
  size_t train_sentences = 0, train_paragraphs = 0, train_places = 0;
  double dev_f1 = 0;
  size_t file_bytes = 0, memory_bytes = 0;
  double seconds = 0;
};

// InvalidArgument for malformed CoNLL-U (naming file and line) or nothing to learn from, OutOfRange for a
// budget too small.
absl::StatusOr<SentenceTrainResult> TrainSentenceSplitter(const SentenceTrainOptions& options);

struct SentenceEvalReport {
  size_t paragraphs = 0, gold_sentences = 0, predicted_sentences = 0, correct_sentences = 0;
  double precision = 0, recall = 0, f1 = 0;
  size_t text_bytes = 0;
  double seconds = 0;  // Time spent splitting (not reading).
};

// Sentence precision, recall and F1 on `data_path`'s sentences joined into paragraphs as `text` says: a
// predicted sentence is correct if its span equals a gold sentence's (the CoNLL 2018 shared task's measure).
absl::StatusOr<SentenceEvalReport> EvaluateSentenceSplitter(const SentenceSplitter& splitter,
                                                            const std::string& data_path,
                                                            const SentenceTextOptions& text = {});

}  // namespace slimnlp

#endif  // SLIMNLP_INCLUDE_SLIMNLP_SENTENCE_SPLITTER_H_
