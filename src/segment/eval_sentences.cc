// EvaluateSentenceSplitter: sentence precision, recall and F1 on spans of running text.
#include <chrono>

#include "slimnlp/sentence_splitter.h"
#include "src/segment/seg_features.h"
#include "src/segment/sentence_features.h"

namespace slimnlp {

absl::StatusOr<SentenceEvalReport> EvaluateSentenceSplitter(const SentenceSplitter& splitter,
                                                            const std::string& data_path,
                                                            const SentenceTextOptions& text) {
  absl::StatusOr<std::vector<segment::GoldParagraph>> paragraphs = segment::ReadGoldParagraphs(data_path, text);
  if (!paragraphs.ok()) return paragraphs.status();
  SentenceEvalReport report;
  std::vector<TextSpan> predicted;
  std::chrono::steady_clock::duration busy{};
  // Untimed: the first call builds the character tables and the thread's buffers.
  if (!paragraphs->empty()) splitter.Split((*paragraphs)[0].text, &predicted);
  for (const segment::GoldParagraph& p : *paragraphs) {
    const auto start = std::chrono::steady_clock::now();
    splitter.Split(p.text, &predicted);
    busy += std::chrono::steady_clock::now() - start;
    ++report.paragraphs;
    report.text_bytes += p.text.size();
    report.gold_sentences += p.sentences.size();
    report.predicted_sentences += predicted.size();
    report.correct_sentences += segment::CountMatches(p.sentences, predicted);
  }
  if (report.predicted_sentences) {
    report.precision = static_cast<double>(report.correct_sentences) / report.predicted_sentences;
  }
  if (report.gold_sentences) report.recall = static_cast<double>(report.correct_sentences) / report.gold_sentences;
  report.f1 = segment::F1(report.correct_sentences, report.gold_sentences, report.predicted_sentences);
  report.seconds = std::chrono::duration<double>(busy).count();
  return report;
}

}  // namespace slimnlp
