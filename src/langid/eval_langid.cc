// EvaluateLanguageIdentifier: accuracy, macro-F1, per-language precision/recall, confusions, length buckets.
#include <algorithm>
#include <map>

#include "slimnlp/langid.h"
#include "src/core/text.h"
#include "src/langid/tsv_dataset.h"

namespace slimnlp {
namespace {

size_t CodepointCount(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

}  // namespace

absl::StatusOr<LangIdEvalReport> EvaluateLanguageIdentifier(const LanguageIdentifier& model,
                                                            const std::string& data_path,
                                                            const std::function<void(const std::string&)>& warn) {
  LangIdEvalReport report;
  absl::StatusOr<std::vector<langid::LabeledText>> rows =
      langid::ReadLabeledTsv(data_path, [&](const std::string& message) {
        ++report.skipped_lines;
        if (warn) warn(message);
      });
  if (!rows.ok()) return rows.status();

  std::map<std::string, LangIdEvalReport::PerLanguage> per;
  std::map<std::pair<std::string, std::string>, size_t> confusions;
  report.by_length = {{"<=20", 0, 0}, {"21-60", 0, 0}, {">60", 0, 0}};
  for (const auto& row : *rows) {
    absl::StatusOr<LanguageGuess> guess = model.Identify(row.text);
    if (!guess.ok()) continue;  // ReadLabeledTsv already rejected invalid UTF-8.
    const std::string predicted(guess->language);
    const bool right = predicted == row.label;
    ++report.examples;
    report.correct += right;
    per[row.label].gold++;
    per[predicted].predicted++;
    if (right) {
      per[row.label].correct++;
    } else {
      confusions[{row.label, predicted}]++;
    }
    if (guess->reliable) {
      ++report.reliable;
      report.reliable_correct += right;
    }
    const size_t len = CodepointCount(row.text);
    auto& bucket = report.by_length[len <= 20 ? 0 : len <= 60 ? 1 : 2];
    ++bucket.examples;
    bucket.correct += right;
  }
  report.accuracy = report.examples ? static_cast<double>(report.correct) / report.examples : 0;
  double f1_sum = 0;
  size_t f1_count = 0;
  for (auto& [label, p] : per) {
    p.language = label;
    p.precision = p.predicted ? static_cast<double>(p.correct) / p.predicted : 0;
    p.recall = p.gold ? static_cast<double>(p.correct) / p.gold : 0;
    p.f1 = p.precision + p.recall > 0 ? 2 * p.precision * p.recall / (p.precision + p.recall) : 0;
    if (p.gold > 0) {
      f1_sum += p.f1;
      ++f1_count;
    }
    report.per_language.push_back(p);
  }
  report.macro_f1 = f1_count ? f1_sum / f1_count : 0;
  for (const auto& [pair, count] : confusions) report.top_confusions.push_back({pair.first, pair.second, count});
  std::stable_sort(report.top_confusions.begin(), report.top_confusions.end(),
                   [](const auto& a, const auto& b) { return a.count > b.count; });
  return report;
}

}  // namespace slimnlp
