// The raw text of a CoNLL-U sentence and where each of its surface tokens lies in it: what segmentation is
// trained and scored on. Surface tokens are the multiword-token lines ("3-4 du") and the words outside them.
#ifndef SLIMNLP_SRC_SEGMENT_GOLD_TOKENS_H_
#define SLIMNLP_SRC_SEGMENT_GOLD_TOKENS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "slimnlp/segmenter.h"
#include "src/core/conllu.h"

namespace slimnlp::segment {

struct GoldText {
  std::string text;
  std::vector<TextSpan> tokens;  // Byte spans into `text`, in order.
};

// How to rebuild the text of a sentence without a `# text =` line (the legacy Chinese treebank has none):
// from its tokens, joined by a space unless SpaceAfter=No, or joined with nothing.
enum class JoinRule { kSpaceAfter, kNothing };

// The sentence's text (its `# text =` line, else the tokens joined by `rule`) and the token spans in it.
// InvalidArgument, naming the sentence's first line, if a token cannot be found where the text continues.
absl::StatusOr<GoldText> GoldTokens(const core::ConlluSentence& sentence, JoinRule rule);

}  // namespace slimnlp::segment

#endif  // SLIMNLP_SRC_SEGMENT_GOLD_TOKENS_H_
