// CoNLL-U (Universal Dependencies) reading and writing. A sentence is a block of lines ended by a blank line:
// comments ("# ..."), word lines (integer ID), multiword-token lines ("3-4") and empty nodes ("8.1"), each
// with 10 tab-separated columns. Tasks read the words (FORM, UPOS) and write columns back; everything else is
// kept as it came, so output loses nothing of the input.
#ifndef SLIMNLP_SRC_CORE_CONLLU_H_
#define SLIMNLP_SRC_CORE_CONLLU_H_

#include <array>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "src/core/line_reader.h"

namespace slimnlp::core {

struct ConlluRow {
  enum class Kind { kWord, kRange, kEmpty };
  Kind kind = Kind::kWord;
  std::array<std::string, 10> cols;  // ID FORM LEMMA UPOS XPOS FEATS HEAD DEPREL DEPS MISC
  const std::string& form() const { return cols[1]; }
  const std::string& upos() const { return cols[3]; }
};

struct ConlluSentence {
  std::vector<std::string> comments;  // Whole lines, with their '#'.
  std::vector<ConlluRow> rows;
  std::vector<size_t> words;          // Indexes of the kWord rows, in order.
  size_t first_line = 0;              // 1-based line number of the sentence's first line.
  std::vector<std::string> raw_lines; // The lines as read (kept so a malformed sentence can be passed through).

  // The `# text =` comment's value ("# text =X" without the space too), or empty if there is none.
  std::string Text() const;
  // Writes the sentence back as CoNLL-U, ending with its blank line.
  std::string ToString() const;
};

// Longest line accepted; longer lines are an error for their sentence.
inline constexpr size_t kMaxConlluLineBytes = 1 << 20;
// Most lines in one sentence; a longer block is an error (and is skipped up to its blank line).
inline constexpr size_t kMaxConlluSentenceLines = 100000;

class ConlluReader {
 public:
  // Opens a file (plain, .zst, or "-" for stdin).
  static absl::StatusOr<std::unique_ptr<ConlluReader>> Open(const std::string& path);

  // Reads the next sentence. Returns false at the end of input or on a read error (see status()). A
  // malformed sentence is still returned, with `*problem` set to "path:line: reason" (and its raw lines
  // kept); otherwise `*problem` is empty.
  bool Next(ConlluSentence* sentence, std::string* problem);
  const absl::Status& status() const { return reader_->status(); }

 private:
  explicit ConlluReader(std::unique_ptr<LineReader> reader) : reader_(std::move(reader)) {}
  std::unique_ptr<LineReader> reader_;
};

// Reads every sentence of a file; the first malformed one is an InvalidArgument error naming file and line.
absl::StatusOr<std::vector<ConlluSentence>> ReadConllu(const std::string& path);

}  // namespace slimnlp::core

#endif  // SLIMNLP_SRC_CORE_CONLLU_H_
