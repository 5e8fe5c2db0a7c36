#include "src/segment/gold_tokens.h"

#include "absl/strings/str_format.h"

namespace slimnlp::segment {
namespace {

bool IsSpaceByte(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Surface forms in order, with whether a space follows each (MISC SpaceAfter=No).
std::vector<std::pair<std::string_view, bool>> SurfaceTokens(const core::ConlluSentence& sentence) {
  std::vector<std::pair<std::string_view, bool>> out;
  int covered_until = 0;  // Words up to this ID belong to a multiword token already taken.
  for (const auto& row : sentence.rows) {
    if (row.kind == core::ConlluRow::Kind::kEmpty) continue;
    const std::string& id = row.cols[0];
    const size_t dash = id.find('-');
    const int first = std::atoi(id.c_str());
    if (row.kind == core::ConlluRow::Kind::kWord && first <= covered_until) continue;
    if (row.kind == core::ConlluRow::Kind::kRange) covered_until = std::atoi(id.c_str() + dash + 1);
    const bool space_after = row.cols[9].find("SpaceAfter=No") == std::string::npos;
    out.push_back({row.form(), space_after});
  }
  return out;
}

}  // namespace

absl::StatusOr<GoldText> GoldTokens(const core::ConlluSentence& sentence, JoinRule rule) {
  const auto surface = SurfaceTokens(sentence);
  GoldText gold;
  gold.text = sentence.Text();
  if (gold.text.empty()) {
    for (const auto& [form, space_after] : surface) {
      gold.text += form;
      if (rule == JoinRule::kSpaceAfter && space_after) gold.text += ' ';
    }
    while (!gold.text.empty() && gold.text.back() == ' ') gold.text.pop_back();
  }
  size_t pos = 0;
  for (const auto& [form, space_after] : surface) {
    while (pos < gold.text.size() && IsSpaceByte(gold.text[pos])) ++pos;
    if (form.empty() || gold.text.compare(pos, form.size(), form) != 0) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "sentence at line %d: token '%s' is not where the text continues (byte %d of '%s')",
          sentence.first_line, form, pos, gold.text));
    }
    gold.tokens.push_back({pos, pos + form.size()});
    pos += form.size();
  }
  return gold;
}

}  // namespace slimnlp::segment
