// What segmentation feeds the engine: the feature groups of a segmenter, the character labels, the greedy
// decoder that training (dev F1) and inference share, and the conversion of labels to token spans.
#ifndef SLIMNLP_SRC_SEGMENT_SEG_FEATURES_H_
#define SLIMNLP_SRC_SEGMENT_SEG_FEATURES_H_

#include <string_view>
#include <vector>

#include "slimnlp/segmenter.h"
#include "src/core/budget.h"
#include "src/core/char_features.h"
#include "src/core/classifier.h"

namespace slimnlp::segment {

inline constexpr std::string_view kTask = "segment";

// Character labels, in model order: begins a token, inside one, ends one, a token alone, outside any.
enum Label { kB = 0, kI = 1, kE = 2, kS = 3, kO = 4 };
const std::vector<std::string>& LabelNames();

// The groups of a segmenter and their shares of the budget: characters up to `window` each side and the
// bigrams within that reach; with `lexicon`, also the clex groups that read the model's lexicon.
std::vector<core::GroupTemplate> DefaultGroups(bool lexicon, int window);

struct Scratch {
  core::CharScratch chars;
  core::FeatureBags bags;
  core::ClassifierScratch net;
  std::vector<int> tags;
  std::vector<float> probs;
};

// White space as the segmenter sees it (space, tab, line ends, and CharClass kSpace above ASCII, e.g. U+3000):
// outside every token unless the language writes spaces inside words. Training and inference share it.
bool IsSpace(char32_t cp);

// Labels `cps[0..n)` left to right into scratch->tags, each the most probable label that keeps B..E well
// formed after the one before. The first `known` characters keep the labels already in scratch->tags
// (context carried over from an earlier piece). Unless `spaces_in_tokens`, white space is always O.
void LabelGreedy(const core::Classifier& model, const core::CharFeaturizer& featurizer, const char32_t* cps,
                 size_t n, Scratch* scratch, size_t known, bool spaces_in_tokens);

// Turns labelled characters into token spans, one character at a time. Any label sequence gives tokens that
// cover every character not labelled O: a B or S closes an open token first, an I or E opens one if none is.
class SpanBuilder {
 public:
  explicit SpanBuilder(std::vector<TextSpan>* out) : out_(out) {}
  // The character at bytes [begin, end) has `label`.
  void Add(int label, size_t begin, size_t end);
  // Closes a token still open at the end of the text.
  void Finish();

 private:
  void Close();
  std::vector<TextSpan>* out_;
  bool open_ = false;
  size_t open_begin_ = 0, last_end_ = 0;
};

// The labels of `n` characters at byte offsets `offsets[0..n]` (offsets[n] = end) given the gold tokens.
void LabelsFromSpans(const std::vector<TextSpan>& tokens, const uint32_t* offsets, size_t n, std::vector<int>* labels);

// How many spans of `predicted` are also in `gold` (both in text order, not overlapping).
size_t CountMatches(const std::vector<TextSpan>& gold, const std::vector<TextSpan>& predicted);
// F1 from those counts (0 when there is nothing to score).
double F1(size_t correct, size_t gold, size_t predicted);

}  // namespace slimnlp::segment

#endif  // SLIMNLP_SRC_SEGMENT_SEG_FEATURES_H_
