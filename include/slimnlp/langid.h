// Language identification: which language a text is written in.
//
//   #include <slimnlp/langid.h>
//
//   absl::StatusOr<std::unique_ptr<slimnlp::LanguageIdentifier>> lid =
//       slimnlp::LanguageIdentifier::Load("models/langid.slim");
//   if (!lid.ok()) { /* lid.status() says what is wrong with the file */ }
//   absl::StatusOr<slimnlp::LanguageGuess> g = (*lid)->Identify("Ceci est une phrase.");
//   // g->language == "fr", g->probability ~ 0.99, g->reliable == true
//
// Model: hashed character 1-4 grams, words and scripts of the text, averaged per group from 8-bit quantized
// embedding tables, one hidden ReLU layer, softmax over the languages (Botha et al. 2017). Labels are BCP-47
// codes as in the training data (`en`, `zh-Hant`, `sr-Cyrl`, ...).
//
// Thread safety: a loaded LanguageIdentifier is immutable; every method is const and may be called from any
// number of threads at once. Each thread keeps its own scratch buffers, so after a thread's first calls
// Identify does no heap allocation.
#ifndef SLIMNLP_INCLUDE_SLIMNLP_LANGID_H_
#define SLIMNLP_INCLUDE_SLIMNLP_LANGID_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace slimnlp {

// The label given to text with no letters (empty, spaces, digits, punctuation, symbols only).
inline constexpr std::string_view kUndetermined = "und";

struct LangIdOptions {
  // An answer is reliable when its probability is at least this. Short and ambiguous texts ("hello world",
  // a name) fall below it: their answers come with reliable == false instead of a confident wrong language.
  // Default: 0.95, the lowest threshold at which 97% of the reliable answers on short texts made from the dev
  // split are right (bench/langid_reliability.py; the curve for other choices is in bench/RESULTS.md).
  float reliability_threshold = 0.95f;
  // ... and when the text has at least this many letters: two letters ("ok", "no") are a word of too many
  // languages for any probability to mean much. Default: 3. (And never for two or three capitalized words
  // without sentence punctuation, "José García", "Björn Borg": a name says where it comes from, not what
  // language the user writes.)
  size_t min_reliable_letters = 3;
  // At most this many bytes of a text are read: a longer text is read in 4 evenly spaced parts of a quarter of
  // this each, from its start to its end (each cut at UTF-8 boundaries), so a long document is judged whole at
  // a bounded cost; invalid UTF-8 is reported only where it is read. Default: 4096.
  size_t max_text_bytes = 4096;
};

struct LanguageGuess {
  std::string_view language;  // A label of the model, or kUndetermined. Points into the model: valid while
                              // the LanguageIdentifier lives.
  float probability = 0;      // The model's probability for `language` (0 for kUndetermined).
  bool reliable = false;      // probability >= LangIdOptions::reliability_threshold and the text has at
                              // least LangIdOptions::min_reliable_letters letters.
};

// One stretch of a mixed-language text.
struct LanguageSpan {
  size_t begin = 0;  // Byte offsets into the input: [begin, end). Spans cover the input without gaps.
  size_t end = 0;
  LanguageGuess guess;
};

class LanguageIdentifier {
 public:
  // Loads a model file. Errors: NotFound / PermissionDenied (file), DataLoss (truncated or corrupted),
  // InvalidArgument (not a slimnlp model, or a model for another task), FailedPrecondition (a newer format
  // version or another feature hash).
  static absl::StatusOr<std::unique_ptr<LanguageIdentifier>> Load(const std::string& path,
                                                                  const LangIdOptions& options = {});
  // Same from the bytes of a model file; `source` names it in errors.
  static absl::StatusOr<std::unique_ptr<LanguageIdentifier>> FromBytes(std::string_view bytes,
                                                                       std::string_view source,
                                                                       const LangIdOptions& options = {});
  ~LanguageIdentifier();

  // The most likely language of `text`. InvalidArgument (with the byte offset) if `text` is not valid UTF-8.
  absl::StatusOr<LanguageGuess> Identify(std::string_view text) const;

  // The `k` most likely languages, best first, into `*out` (cleared first; reuse it to avoid allocation).
  absl::Status IdentifyTopK(std::string_view text, int k, std::vector<LanguageGuess>* out) const;

  // The languages of a mixed-language text: it is cut where the script changes and at sentence ends, each
  // piece is identified, and neighbours that agree (or are too short to say) are joined. Input past
  // LangIdOptions::max_text_bytes * 16 is not read and gets no span.
  absl::Status IdentifySpans(std::string_view text, std::vector<LanguageSpan>* out) const;

  // The languages the model knows, in the model's order.
  const std::vector<std::string>& languages() const;
  const LangIdOptions& options() const { return options_; }

 private:
  struct Impl;
  LanguageIdentifier(std::unique_ptr<Impl> impl, const LangIdOptions& options);
  std::unique_ptr<Impl> impl_;
  LangIdOptions options_;
};

// ---- Training -------------------------------------------------------------------------------------------

struct LangIdTrainOptions {
  std::string train_path;  // TSV `label<TAB>text`, plain or .zst. Required.
  std::string dev_path;    // Same format; selects the epoch. Required.
  std::string output_path; // Where the model is written (atomically). Required.
  size_t budget_bytes = 512 * 1024;  // The saved file and the loaded model stay within this. Default: 512 KiB.
  int hidden = 208;                  // Hidden layer width; 0 for none. Default: 208 (as CLD3).
  int epochs = 10;                   // Default: 10 (with early stopping on dev accuracy).
  uint64_t seed = 1;                 // Default: 1. Same seed, same data, same build: same model bit for bit.
  float short_fraction = 0.25f;      // Share of training examples cut to a short prefix, so that short inputs
                                     // are seen in training. Default: 0.25.
  std::string command_line;          // Recorded in the model so it can be reproduced.
  std::function<void(const std::string&)> progress;  // Progress lines; null for silence.
};

struct LangIdTrainResult {
  size_t train_examples = 0;
  size_t dev_examples = 0;
  size_t languages = 0;
  double dev_accuracy_float = 0;
  double dev_accuracy_quantized = 0;
  size_t file_bytes = 0;
  size_t memory_bytes = 0;
  double seconds = 0;
};

// Trains a language identifier. InvalidArgument for malformed data (naming file and line), NotFound for
// missing files, OutOfRange if the budget is too small for the languages in the data.
absl::StatusOr<LangIdTrainResult> TrainLanguageIdentifier(const LangIdTrainOptions& options);

// ---- Evaluation -----------------------------------------------------------------------------------------

struct LangIdEvalReport {
  size_t examples = 0;
  size_t correct = 0;
  double accuracy = 0;
  double macro_f1 = 0;  // Over the gold labels present in the data.
  struct PerLanguage {
    std::string language;
    size_t gold = 0, predicted = 0, correct = 0;
    double precision = 0, recall = 0, f1 = 0;
  };
  std::vector<PerLanguage> per_language;  // Sorted by label.
  struct Confusion {
    std::string gold, predicted;
    size_t count = 0;
  };
  std::vector<Confusion> top_confusions;  // Most frequent errors first.
  struct LengthBucket {
    std::string name;  // "<=20", "21-60", ">60" code points
    size_t examples = 0, correct = 0;
  };
  std::vector<LengthBucket> by_length;
  size_t reliable = 0, reliable_correct = 0;  // Answers flagged reliable, and how many of them were right.
  size_t skipped_lines = 0;                   // Malformed lines (reported through `warn`).
};

// Evaluates on a TSV `label<TAB>text` file (plain or .zst). Malformed lines are skipped and reported through
// `warn` (file:line: reason); an unreadable file is an error.
absl::StatusOr<LangIdEvalReport> EvaluateLanguageIdentifier(const LanguageIdentifier& model,
                                                            const std::string& data_path,
                                                            const std::function<void(const std::string&)>& warn);

}  // namespace slimnlp

#endif  // SLIMNLP_INCLUDE_SLIMNLP_LANGID_H_
