// Raw text to the words a tagger reads: a segmenter model (with its multiword-token table) or, without one,
// SimpleTokenize. Shared by `slimnlp tag` and `slimnlp annotate`.
#ifndef SLIMNLP_SRC_CLI_WORD_SPLITTER_H_
#define SLIMNLP_SRC_CLI_WORD_SPLITTER_H_

#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_format.h"
#include "slimnlp/segmenter.h"
#include "slimnlp/tagger.h"

namespace slimnlp::cli {

// A word to tag: its form and where it lies in the input line. The words of a multiword token ("du" = "de"
// "le") share the token's span; the first of them carries the token and its number of words.
struct Word {
  std::string_view form;
  TextSpan span;
  std::string_view token;
  size_t token_words = 0;
};

// Splits a text line into words: with a segmenter model (and its multiword table) if there is one, else with
// SimpleTokenize. `storage` keeps the forms of expanded multiword tokens alive.
class WordSplitter {
 public:
  explicit WordSplitter(std::unique_ptr<Segmenter> segmenter) : segmenter_(std::move(segmenter)) {}

  void Split(std::string_view line, std::vector<Word>* words) {
    words->clear();
    storage_.clear();
    if (!segmenter_) {
      for (std::string_view t : SimpleTokenize(line)) {
        const size_t b = t.data() - line.data();
        words->push_back({t, {b, b + t.size()}, t, 1});
      }
      return;
    }
    segmenter_->Segment(line, &spans_);
    for (const TextSpan& s : spans_) {
      const std::string_view token = line.substr(s.begin, s.end - s.begin);
      if (segmenter_->ExpandMultiword(token, &expanded_)) {
        for (size_t k = 0; k < expanded_.size(); ++k) {
          storage_.push_back(expanded_[k]);
          words->push_back({storage_.back(), s, token, k == 0 ? expanded_.size() : 0});
        }
      } else {
        words->push_back({token, s, token, 1});
      }
    }
  }
  bool uses_model() const { return segmenter_ != nullptr; }

 private:
  std::unique_ptr<Segmenter> segmenter_;
  std::vector<TextSpan> spans_;
  std::vector<std::string> expanded_;
  std::deque<std::string> storage_;  // A deque: views into it stay valid as it grows.
};

// A tagged line as a CoNLL-U sentence: `# text`, multiword range lines, SpaceAfter=No where no space follows.
inline std::string WordsToConllu(std::string_view text, const std::vector<Word>& words,
                                 const std::vector<std::string_view>& tags) {
  std::string s = absl::StrFormat("# text = %s\n", text);
  for (size_t i = 0; i < words.size(); ++i) {
    const size_t end = words[i].span.end;
    const bool space_after = end < text.size() && (text[end] == ' ' || text[end] == '\t');
    const char* misc = space_after || end == text.size() ? "_" : "SpaceAfter=No";
    if (words[i].token_words > 1) {
      absl::StrAppendFormat(&s, "%d-%d\t%s\t_\t_\t_\t_\t_\t_\t_\t%s\n", i + 1, i + words[i].token_words,
                            words[i].token, misc);
    }
    const bool in_multiword = words[i].token_words != 1;
    absl::StrAppendFormat(&s, "%d\t%s\t_\t%s\t_\t_\t_\t_\t_\t%s\n", i + 1, words[i].form, tags[i],
                          in_multiword ? "_" : misc);
  }
  return s + "\n";
}

}  // namespace slimnlp::cli

#endif  // SLIMNLP_SRC_CLI_WORD_SPLITTER_H_
