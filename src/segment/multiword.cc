#include "src/segment/multiword.h"

#include <cstdlib>

#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "src/core/text.h"
#include "src/core/utf8.h"

namespace slimnlp::segment {
namespace {

// Forms that would break the meta format are left out of the table.
bool Storable(std::string_view s) { return !s.empty() && s.find_first_of("|\t\n ") == std::string_view::npos; }

}  // namespace

std::string FoldedCopy(std::string_view s) {
  std::string out;
  for (size_t pos = 0; pos < s.size();) {
    char32_t cp;
    size_t len;
    if (!core::DecodeUtf8(s, pos, &cp, &len)) {
      out += s[pos++];
      continue;
    }
    core::AppendUtf8(core::FoldCase(cp), &out);
    pos += len;
  }
  return out;
}

void MultiwordCounter::Add(const core::ConlluSentence& sentence) {
  int covered_until = 0;
  for (size_t r = 0; r < sentence.rows.size(); ++r) {
    const core::ConlluRow& row = sentence.rows[r];
    if (row.kind == core::ConlluRow::Kind::kEmpty) continue;
    const int first = std::atoi(row.cols[0].c_str());
    if (row.kind == core::ConlluRow::Kind::kWord) {
      if (first > covered_until) ++counts_[FoldedCopy(row.form())].single;
      continue;
    }
    covered_until = std::atoi(row.cols[0].c_str() + row.cols[0].find('-') + 1);
    std::vector<std::string> words;
    for (size_t w = r + 1; w < sentence.rows.size() && words.size() <= static_cast<size_t>(covered_until - first); ++w) {
      if (sentence.rows[w].kind == core::ConlluRow::Kind::kWord) words.push_back(FoldedCopy(sentence.rows[w].form()));
    }
    ++counts_[FoldedCopy(row.form())].expansions[absl::StrJoin(words, " ")];
  }
}

std::string MultiwordCounter::ToMeta(double min_share, size_t min_count) const {
  std::vector<std::string> entries;
  for (const auto& [surface, c] : counts_) {
    size_t total = c.single, best = 0;
    std::string best_words;
    for (const auto& [words, n] : c.expansions) {
      total += n;
      if (n > best) {
        best = n;
        best_words = words;
      }
    }
    if (best < min_count || best < min_share * total || !Storable(surface)) continue;
    bool ok = true;
    for (absl::string_view w : absl::StrSplit(best_words, ' ')) ok = ok && Storable(std::string_view(w.data(), w.size()));
    if (ok) entries.push_back(surface + "\t" + best_words);
  }
  return absl::StrJoin(entries, "|");
}

MultiwordTable::MultiwordTable(std::string_view meta) {
  for (absl::string_view entry : absl::StrSplit(absl::string_view(meta.data(), meta.size()), '|', absl::SkipEmpty())) {
    const size_t tab = entry.find('\t');
    if (tab == absl::string_view::npos) continue;
    std::vector<std::string> words = absl::StrSplit(entry.substr(tab + 1), ' ', absl::SkipEmpty());
    if (words.size() >= 2) table_[std::string(entry.substr(0, tab))] = std::move(words);
  }
}

bool MultiwordTable::Expand(std::string_view token, std::vector<std::string>* words) const {
  const std::string folded = FoldedCopy(token);
  const auto it = table_.find(folded);
  if (it == table_.end()) return false;
  words->clear();
  // Case folding keeps lengths for nearly all scripts; where it does not, the stored words are used.
  std::string joined;
  for (const auto& w : it->second) joined += w;
  if (joined == folded && folded.size() == token.size()) {
    size_t at = 0;
    for (const auto& w : it->second) {
      words->emplace_back(token.substr(at, w.size()));
      at += w.size();
    }
  } else {
    *words = it->second;
  }
  return true;
}

}  // namespace slimnlp::segment
