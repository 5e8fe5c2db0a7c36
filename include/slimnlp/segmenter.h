// Word segmentation and tokenization of raw text: where each token begins and ends, as byte offsets into the
// text given, so nothing of the input is lost or altered.
//
//   #include <slimnlp/segmenter.h>
//
//   auto seg = slimnlp::Segmenter::Load("models/seg-zh.slim");     // absl::StatusOr
//   std::vector<slimnlp::TextSpan> tokens;
//   (*seg)->Segment("然而，這樣的處理也衍生了一些問題。", &tokens);   // 然而 ， 這樣 的 處理 也 ...
//
// Model (Botha et al. 2017): each character is tagged B, I, E, S (begins, continues, ends a token, is one)
// or O (white space outside any token) from hashed features: the character n-grams of orders 1-3 in a window
// around it (the n-grams across the character, the conjunctions the paper found to pay off), the classes
// and scripts of its neighbours, and the label chosen for the character before; averaged 8-bit embeddings,
// one hidden ReLU layer, softmax; greedy left to right, never breaking the B..E structure. Characters are
// normalized for features first (NFKC width folding, case folding, digits): full-width and ASCII punctuation
// look alike to the model.
//
// Thread safety: a loaded Segmenter is immutable; Segment is const and may be called from any number of
// threads. Scratch buffers are per thread and bounded: text is processed in pieces of kPieceCharacters.
#ifndef SLIMNLP_INCLUDE_SLIMNLP_SEGMENTER_H_
#define SLIMNLP_INCLUDE_SLIMNLP_SEGMENTER_H_

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace slimnlp {

// A token: bytes [begin, end) of the text.
struct TextSpan {
  size_t begin = 0, end = 0;
  bool operator==(const TextSpan& o) const { return begin == o.begin && end == o.end; }
};

class Segmenter {
 public:
  // Characters per piece: longer texts are segmented piece by piece, each seeing 8 characters of its
  // neighbours, so memory stays bounded whatever the length.
  static constexpr size_t kPieceCharacters = 4096;

  // Loads a model file. NotFound, DataLoss (damaged file), InvalidArgument (a model of another task),
  // FailedPrecondition (a newer format).
  static absl::StatusOr<std::unique_ptr<Segmenter>> Load(const std::string& path);
  // The same from the bytes of a model file; `source` names it in errors. The bytes need not outlive the call.
  static absl::StatusOr<std::unique_ptr<Segmenter>> FromBytes(std::string_view bytes, std::string_view source);
  ~Segmenter();

  // Appends the tokens of `text` to `*tokens` (cleared first), in order, as byte spans. White space is never
  // part of a token unless the model's language puts it inside words (Vietnamese). Invalid UTF-8 never fails:
  // each invalid byte is a character of its own (U+FFFD to the model) and ends up in some token, so every
  // non-space byte of the input is covered. Validate first (core ValidateUtf8) to report such bytes.
  void Segment(std::string_view text, std::vector<TextSpan>* tokens) const;

  // Treebanks write some surface tokens as several syntactic words (French "du" = "de le", English "don't" =
  // "do n't"), and taggers want the words. If the model's training data wrote `token` (case folded) as a
  // multiword token most of the time, fills `*words` and returns true; the words keep the token's case where
  // they spell it. Otherwise returns false.
  bool ExpandMultiword(std::string_view token, std::vector<std::string>* words) const;

  // The words of `text` as a tagger wants them, and as `slimnlp tag` and the pipeline give them: Segment's
  // tokens with each multiword token expanded ("I don't know." -> I do n't know .). Into `*words` (cleared
  // first). For the words' offsets, use SplitWords (pipeline.h).
  void SegmentWords(std::string_view text, std::vector<std::string>* words) const;

  // The language the model was trained for ("zh", "en", ...; meta "language"), or "" if unrecorded.
  std::string language() const;

 private:
  struct Impl;
  explicit Segmenter(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// ---- Training and evaluation ----------------------------------------------------------------------------

struct SegmentTrainOptions {
  std::string train_path;   // CoNLL-U (plain or .zst). Required.
  std::string dev_path;     // CoNLL-U; selects the epoch. Optional: without it, 10% of train is held out.
  std::string output_path;  // Required.
  std::string language;     // Recorded in the model (meta "language").
  size_t budget_bytes = 256 * 1024;  // Default: 256 KiB.
  int hidden = 64;                   // Default: 64.
  // Characters read each side of the one labelled (and the bigrams within that reach), 2..6. Default: 3.
  int window = 3;
  int epochs = 2;                    // Default: 2 (more overfits: one pass learns what generalizes).
  uint64_t seed = 1;                 // Default: 1.
  float group_dropout = 0.1f;        // Default: 0.1.
  float learning_rate = 0.002f;      // Default: 0.002.
  float ema_decay = 0.999f;          // Default: 0.999.
  float prevtag_noise = 0.1f;        // Default: 0.1.
  // Sentences without a `# text =` line are rebuilt from their tokens: joined with nothing (true; the legacy
  // Chinese treebank) or by a space unless SpaceAfter=No (false). Default: false.
  bool join_without_spaces = false;
  // Also train on each sentence converted to simplified Chinese characters (ICU Traditional-Simplified), so a
  // model trained on traditional text reads both. Default: false.
  bool add_simplified = false;
  // Also train on runs of this many consecutive training sentences joined into one line (by a space, or by
  // nothing with join_without_spaces), as running text has them: sentence ends inside a line ("saw. I"), so a
  // period after a word is split off there too. 0: off. Default: 0.
  int paragraph_sentences = 0;
  // A word list that becomes the model's lexicon (src/core/lexicon.h), read by features that say which of its
  // words begin at, end at and run across each character, and how common each is. One word a line, its first
  // field, then optionally its count (so lines such as jieba's "word count tag" work), plain or .zst; words of
  // 2..8 characters are kept, in the form given and, with add_simplified, also converted to simplified and to
  // traditional characters; the features tell the decade of a word's count (below 10, 100, 1000, or more).
  // Empty: no lexicon.
  // Malformed lines (invalid UTF-8) are an InvalidArgument naming the line.
  std::string lexicon_path;
  // Lines whose second field is a count below this are left out. Default: 0 (every line).
  int64_t lexicon_min_count = 0;
  // Bloom filter bits a word: 10 gives about 1% false matches. Default: 10.
  double lexicon_bits_per_word = 10;

  std::string command_line;          // Recorded in the model.
  std::function<void(const std::string&)> progress;
};

struct SegmentTrainResult {
  size_t train_sentences = 0, train_characters = 0, skipped_sentences = 0;
  double dev_f1 = 0;
  size_t file_bytes = 0, memory_bytes = 0;
  double seconds = 0;
};

// InvalidArgument for malformed CoNLL-U (naming file and line), OutOfRange for a budget too small.
// Sentences whose tokens cannot be found in their text are skipped and counted (and reported to progress).
absl::StatusOr<SegmentTrainResult> TrainSegmenter(const SegmentTrainOptions& options);

struct SegmentEvalReport {
  size_t sentences = 0, gold_tokens = 0, predicted_tokens = 0, correct_tokens = 0;
  size_t skipped_sentences = 0;  // Tokens not found in the text (see GoldTokens).
  double precision = 0, recall = 0, f1 = 0;
  size_t text_bytes = 0;
  double seconds = 0;  // Time spent segmenting (not reading).
};

// Word precision, recall and F1 on `data_path`: a predicted token is correct if its span in the sentence's
// raw text (`# text =`, or the tokens joined as `join_without_spaces` says) equals a gold token's span.
absl::StatusOr<SegmentEvalReport> EvaluateSegmenter(const Segmenter& segmenter, const std::string& data_path,
                                                    bool join_without_spaces = false);

}  // namespace slimnlp

#endif  // SLIMNLP_INCLUDE_SLIMNLP_SEGMENTER_H_
