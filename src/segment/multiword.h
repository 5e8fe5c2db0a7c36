// Multiword tokens (UD "3-4 du" = "de le", English "don't" = "do n't"): a segmenter finds surface tokens; a
// tagger wants the syntactic words. Training learns, for each surface form (case folded) that the treebank
// writes as a multiword token most of the time, its usual words; the table travels in the model's meta.
#ifndef SLIMNLP_SRC_SEGMENT_MULTIWORD_H_
#define SLIMNLP_SRC_SEGMENT_MULTIWORD_H_

#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "src/core/conllu.h"

namespace slimnlp::segment {

// Meta key of the table; value: entries "surface<TAB>word word ..." joined by '|'.
inline constexpr char kMultiwordMetaKey[] = "multiword_tokens";

// Counts how each surface token of `sentences` is written: as one word, or as a multiword token and into
// which words.
class MultiwordCounter {
 public:
  void Add(const core::ConlluSentence& sentence);
  // Surface forms written as a multiword token in at least `min_share` of their occurrences and at least
  // `min_count` times, with their most frequent words, in the meta format.
  std::string ToMeta(double min_share = 0.5, size_t min_count = 2) const;

 private:
  struct Counts {
    size_t single = 0;
    std::map<std::string, size_t> expansions;  // "w1 w2" -> count
  };
  std::map<std::string, Counts> counts_;
};

// The table read back from meta (malformed entries are skipped).
class MultiwordTable {
 public:
  explicit MultiwordTable(std::string_view meta);
  // The words of surface token `token`, if it is in the table. When the words spell the token (case folded),
  // they are cut from the token itself, keeping its case ("Don't" -> "Do" "n't"); otherwise the stored words.
  bool Expand(std::string_view token, std::vector<std::string>* words) const;
  size_t size() const { return table_.size(); }

 private:
  std::unordered_map<std::string, std::vector<std::string>> table_;
};

// Case folded (core FoldCase per code point) copy of valid UTF-8 `s`.
std::string FoldedCopy(std::string_view s);

}  // namespace slimnlp::segment

#endif  // SLIMNLP_SRC_SEGMENT_MULTIWORD_H_
