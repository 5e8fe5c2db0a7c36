// What sentence splitting feeds the engine: the places where a sentence may end, their features (the
// character groups of char_features.h plus ids computed here), and the gold paragraphs a treebank gives.
// Training, evaluation and inference share all of it.
#ifndef SLIMNLP_SRC_SEGMENT_SENTENCE_FEATURES_H_
#define SLIMNLP_SRC_SEGMENT_SENTENCE_FEATURES_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "slimnlp/sentence_splitter.h"
#include "src/core/budget.h"
#include "src/core/char_features.h"
#include "src/core/classifier.h"

namespace slimnlp::segment {

inline constexpr std::string_view kSentenceTask = "sentence";

// Labels in model order: a sentence does not / does end after the character.
enum SentenceLabel { kGoesOn = 0, kEnds = 1 };
const std::vector<std::string>& SentenceLabelNames();

// The groups of a splitter and their shares of the budget.
std::vector<core::GroupTemplate> SentenceGroups();

// Whether a sentence may end after character `i` of `cps[0..n)`, i + 1 < n: the character is punctuation or a
// symbol, followed by anything; or it is any other character that is not white space, followed by white space
// and then anything but a lower-case letter. (After the last character a sentence always ends.)
bool MayEndAfter(const char32_t* cps, size_t n, size_t i);

// Features of the place after character `i`, with `chars` prepared on `cps[0..n)` by `featurizer`.
class SentenceFeaturizer {
 public:
  // `spec` must outlive the featurizer.
  explicit SentenceFeaturizer(const core::FeatureSpec& spec);
  void Prepare(const char32_t* cps, size_t n, core::CharScratch* chars) const { chars_.Prepare(cps, n, chars); }
  void Extract(const core::CharScratch& chars, const char32_t* cps, size_t n, size_t i, core::FeatureBags* out) const;

 private:
  const core::FeatureSpec& spec_;
  core::CharFeaturizer chars_;
  int before_ = -1, after_ = -1, before_shape_ = -1, next_class_ = -1, gap_ = -1;  // Group indexes.
};

struct SplitScratch {
  std::vector<char32_t> cps;
  std::vector<size_t> offsets;
  core::CharScratch chars;
  core::FeatureBags bags;
  core::ClassifierScratch net;
};

// The sentences of `text` as `model` splits it (SentenceSplitter::Split, and the trainer's dev F1).
void SplitSentences(const core::Classifier& model, const SentenceFeaturizer& featurizer, std::string_view text,
                    SplitScratch* scratch, std::vector<TextSpan>* sentences);

// Gold running text: a paragraph of sentences joined as options say, and each sentence's span in it.
struct GoldParagraph {
  std::string text;
  std::vector<TextSpan> sentences;
};

// The paragraphs of a CoNLL-U file (SentenceTextOptions). Sentences without words are left out.
// InvalidArgument naming file and line for malformed CoNLL-U.
absl::StatusOr<std::vector<GoldParagraph>> ReadGoldParagraphs(const std::string& path,
                                                             const SentenceTextOptions& options);

}  // namespace slimnlp::segment

#endif  // SLIMNLP_SRC_SEGMENT_SENTENCE_FEATURES_H_
