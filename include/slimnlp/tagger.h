// Part-of-speech tagging: a UPOS tag (Universal Dependencies) for each token of a sentence.
//
//   #include <slimnlp/tagger.h>
//
//   auto tagger = slimnlp::Tagger::Load("models/pos-en.slim");          // absl::StatusOr
//   std::vector<std::string_view> tags;
//   absl::Status s = (*tagger)->Tag({"The", "cat", "sat", "."}, &tags);  // DET NOUN VERB PUNCT
//
// Model (Botha et al. 2017): for each token, hashed features of the words in a window of two on each side
// (one shared word table), character 2-4 grams and affixes of the token and its neighbours, word shapes, and
// the tags already chosen for the two tokens before; averaged 8-bit embeddings per group, one hidden ReLU
// layer, softmax over the tags; greedy left to right.
//
// Thread safety: a loaded Tagger is immutable; Tag is const and may be called from any number of threads.
// Scratch buffers are per thread, so after a thread's first sentences Tag allocates only when a sentence is
// longer than any before.
#ifndef SLIMNLP_INCLUDE_SLIMNLP_TAGGER_H_
#define SLIMNLP_INCLUDE_SLIMNLP_TAGGER_H_

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace slimnlp {

struct TaggerOptions {
  // Sentences longer than this many tokens are tagged in consecutive pieces of this size (never dropped):
  // features look two tokens around, so only the tokens at a cut lose some context. Default: 1000.
  size_t max_sentence_tokens = 1000;
};

class Tagger {
 public:
  // Loads a model file. Errors as LanguageIdentifier::Load (NotFound, DataLoss, InvalidArgument for a model
  // of another task, FailedPrecondition for a newer format).
  static absl::StatusOr<std::unique_ptr<Tagger>> Load(const std::string& path, const TaggerOptions& options = {});
  // The same from the bytes of a model file (embedded in a program, or sent to a worker); `source` names it in
  // errors. The bytes need not outlive the call.
  static absl::StatusOr<std::unique_ptr<Tagger>> FromBytes(std::string_view bytes, std::string_view source,
                                                          const TaggerOptions& options = {});
  ~Tagger();

  // Tags `tokens` into `*tags` (resized to tokens.size(); views into the model's tag names, valid while the
  // Tagger lives). InvalidArgument naming the token if one is empty or not valid UTF-8.
  absl::Status Tag(const std::vector<std::string_view>& tokens, std::vector<std::string_view>* tags) const;

  // The tag set, in the model's order.
  const std::vector<std::string>& tag_set() const;

 private:
  struct Impl;
  Tagger(std::unique_ptr<Impl> impl, const TaggerOptions& options);
  std::unique_ptr<Impl> impl_;
  TaggerOptions options_;
};

// Splits raw text of a language written with spaces into tokens: runs of letters, digits and marks (with
// inner apostrophes, hyphens and periods of abbreviations such as "U.S."), and each punctuation or symbol
// character alone. Returns views into `text`, in order; `text` must be valid UTF-8.
std::vector<std::string_view> SimpleTokenize(std::string_view text);

// ---- Training and evaluation ----------------------------------------------------------------------------

struct PosTrainOptions {
  std::string train_path;   // CoNLL-U (plain or .zst). Required.
  std::string dev_path;     // CoNLL-U; selects the epoch. Optional: without it, 10% of train is held out.
  std::string output_path;  // Required.
  size_t budget_bytes = 1024 * 1024;  // Default: 1 MiB.
  int hidden = 128;                   // Default: 128.
  int epochs = 12;                    // Default: 12, with early stopping on dev accuracy.
  uint64_t seed = 1;                  // Default: 1.
  float group_dropout = 0.2f;         // Share of feature groups left out per training token. Default: 0.2.
  float learning_rate = 0.001f;       // Adam's initial step. Default: 0.001.
  float ema_decay = 0.999f;           // Moving average of the weights per step (0: off). Default: 0.999.
  float embedding_init = 0.01f;       // Embedding rows start in [-x, x]: unseen features read ~0. Default: 0.01.
  float prevtag_noise = 0.3f;         // Share of training tokens whose previous tags are replaced by random
                                      // ones (at inference they are guesses). Default: 0.3.
  float unknown_words = 0;            // Share of training tokens served as if their form were unseen (every
                                      // feature of the form itself left out). Default: 0.
  std::string lexicon_path;           // A dictionary of word forms and the UPOS tags each allows
                                      // (tools/lexicon/ writes them). Optional.
  double lexicon_bits_per_word = 8;   // Bloom filter bits a key for it. Default: 8.
  std::string command_line;           // Recorded in the model.
  std::function<void(const std::string&)> progress;
};

struct PosTrainResult {
  size_t train_tokens = 0, dev_tokens = 0, tags = 0;
  double dev_accuracy_float = 0, dev_accuracy_quantized = 0;
  size_t file_bytes = 0, memory_bytes = 0;
  double seconds = 0;
};

// InvalidArgument for malformed CoNLL-U (naming file and line), OutOfRange for a budget too small.
absl::StatusOr<PosTrainResult> TrainTagger(const PosTrainOptions& options);

struct PosEvalReport {
  size_t tokens = 0, correct = 0;
  size_t oov_tokens = 0, oov_correct = 0;  // Tokens whose form is not in the training file (if given).
  double accuracy = 0, oov_accuracy = 0;
  std::vector<std::string> tags;                  // Rows and columns of `confusion`: gold, then predicted.
  std::vector<std::vector<size_t>> confusion;     // confusion[gold][predicted]; gold tags unknown to the
                                                  // model are counted under an extra last row.
  double seconds = 0;                             // Time spent tagging (not reading).
};

// UPOS accuracy on gold tokens of `data_path`. With `train_path` (the model's training file), also the
// accuracy on out-of-vocabulary tokens. Malformed CoNLL-U is an InvalidArgument error naming file and line.
absl::StatusOr<PosEvalReport> EvaluateTagger(const Tagger& tagger, const std::string& data_path,
                                             const std::string& train_path);

}  // namespace slimnlp

#endif  // SLIMNLP_INCLUDE_SLIMNLP_TAGGER_H_
