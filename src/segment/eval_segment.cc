// EvaluateSegmenter: word precision, recall and F1 on character spans.
#include <chrono>

#include "slimnlp/segmenter.h"
#include "src/core/conllu.h"
#include "src/segment/gold_tokens.h"
#include "src/segment/seg_features.h"

namespace slimnlp {

absl::StatusOr<SegmentEvalReport> EvaluateSegmenter(const Segmenter& segmenter, const std::string& data_path,
                                                    bool join_without_spaces) {
  absl::StatusOr<std::vector<core::ConlluSentence>> data = core::ReadConllu(data_path);
  if (!data.ok()) return data.status();
  const segment::JoinRule rule = join_without_spaces ? segment::JoinRule::kNothing : segment::JoinRule::kSpaceAfter;
  SegmentEvalReport report;
  std::vector<TextSpan> predicted;
  std::chrono::steady_clock::duration busy{};
  for (const auto& sentence : *data) {
    absl::StatusOr<segment::GoldText> gold = segment::GoldTokens(sentence, rule);
    if (!gold.ok()) {
      ++report.skipped_sentences;
      continue;
    }
    const auto start = std::chrono::steady_clock::now();
    segmenter.Segment(gold->text, &predicted);
    busy += std::chrono::steady_clock::now() - start;
    ++report.sentences;
    report.text_bytes += gold->text.size();
    report.gold_tokens += gold->tokens.size();
    report.predicted_tokens += predicted.size();
    report.correct_tokens += segment::CountMatches(gold->tokens, predicted);
  }
  if (report.predicted_tokens) report.precision = static_cast<double>(report.correct_tokens) / report.predicted_tokens;
  if (report.gold_tokens) report.recall = static_cast<double>(report.correct_tokens) / report.gold_tokens;
  report.f1 = segment::F1(report.correct_tokens, report.gold_tokens, report.predicted_tokens);
  report.seconds = std::chrono::duration<double>(busy).count();
  return report;
}

}  // namespace slimnlp
