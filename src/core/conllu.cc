#include "src/core/conllu.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "src/core/utf8.h"

namespace slimnlp::core {
namespace {

// Splits `line` into exactly 10 tab-separated columns; false if the count is different.
bool SplitColumns(const std::string& line, std::array<std::string, 10>* cols) {
  size_t start = 0;
  for (int c = 0; c < 10; ++c) {
    const size_t tab = line.find('\t', start);
    if ((tab == std::string::npos) != (c == 9)) return false;
    (*cols)[c] = line.substr(start, (tab == std::string::npos ? line.size() : tab) - start);
    start = tab + 1;
  }
  return true;
}

bool ParseId(std::string_view id, size_t* value) {
  uint64_t v;
  if (id.empty() || id.size() > 9 || !absl::SimpleAtoi(absl::string_view(id.data(), id.size()), &v) || v == 0) {
    return false;
  }
  *value = static_cast<size_t>(v);
  return true;
}

}  // namespace

std::string ConlluSentence::Text() const {
  for (const auto& c : comments) {
    if (c.rfind("# text =", 0) == 0) {
      std::string_view v(c);
      v.remove_prefix(8);
      if (!v.empty() && v.front() == ' ') v.remove_prefix(1);
      return std::string(v);
    }
  }
  return "";
}

std::string ConlluSentence::ToString() const {
  std::string out;
  for (const auto& c : comments) out += c + "\n";
  for (const auto& r : rows) {
    for (int c = 0; c < 10; ++c) {
      out += r.cols[c];
      out += c < 9 ? '\t' : '\n';
    }
  }
  out += "\n";
  return out;
}

absl::StatusOr<std::unique_ptr<ConlluReader>> ConlluReader::Open(const std::string& path) {
  absl::StatusOr<std::unique_ptr<LineReader>> r = LineReader::Open(path, kMaxConlluLineBytes);
  if (!r.ok()) return r.status();
  return std::unique_ptr<ConlluReader>(new ConlluReader(*std::move(r)));
}

bool ConlluReader::Next(ConlluSentence* s, std::string* problem) {
  *s = ConlluSentence();
  problem->clear();
  std::string line;
  bool truncated;
  size_t expected_id = 1;
  const auto fail = [&](std::string_view why) {
    if (problem->empty()) {
      *problem = absl::StrFormat("%s:%d: %s", reader_->path(), reader_->line_number(), why);
    }
  };
  while (reader_->Next(&line, &truncated)) {
    if (line.empty()) {
      if (s->raw_lines.empty()) continue;  // Extra blank lines between sentences.
      return true;
    }
    if (s->raw_lines.empty()) s->first_line = reader_->line_number();
    if (s->raw_lines.size() >= kMaxConlluSentenceLines) {
      fail(absl::StrFormat("sentence longer than %d lines", kMaxConlluSentenceLines));
      continue;  // Read on to its end, keep no more.
    }
    s->raw_lines.push_back(line);
    if (truncated) {
      fail(absl::StrFormat("line longer than %d bytes", kMaxConlluLineBytes));
      continue;
    }
    if (!ValidateUtf8(line).ok()) {
      fail(std::string(ValidateUtf8(line).message()));
      continue;
    }
    if (line[0] == '#') {
      if (!s->rows.empty()) {
        fail("comment after the first word line");
        continue;
      }
      s->comments.push_back(line);
      continue;
    }
    ConlluRow row;
    if (!SplitColumns(line, &row.cols)) {
      fail("expected 10 tab-separated columns");
      continue;
    }
    const std::string& id = row.cols[0];
    const size_t dash = id.find('-'), dot = id.find('.');
    size_t a, b;
    if (dash != std::string::npos) {
      row.kind = ConlluRow::Kind::kRange;
      if (!ParseId(std::string_view(id).substr(0, dash), &a) || !ParseId(std::string_view(id).substr(dash + 1), &b) ||
          a != expected_id || b < a) {
        fail(absl::StrFormat("bad multiword token ID '%s'", id));
        continue;
      }
    } else if (dot != std::string::npos) {
      row.kind = ConlluRow::Kind::kEmpty;
    } else {
      if (!ParseId(id, &a) || a != expected_id) {
        fail(absl::StrFormat("word ID '%s' where %d was expected", id, expected_id));
        continue;
      }
      if (row.form().empty()) {
        fail("empty FORM");
        continue;
      }
      ++expected_id;
      s->words.push_back(s->rows.size());
    }
    s->rows.push_back(std::move(row));
  }
  if (!reader_->status().ok()) return false;
  return !s->raw_lines.empty();
}

absl::StatusOr<std::vector<ConlluSentence>> ReadConllu(const std::string& path) {
  absl::StatusOr<std::unique_ptr<ConlluReader>> reader = ConlluReader::Open(path);
  if (!reader.ok()) return reader.status();
  std::vector<ConlluSentence> sentences;
  ConlluSentence s;
  std::string problem;
  while ((*reader)->Next(&s, &problem)) {
    if (!problem.empty()) return absl::InvalidArgumentError(problem);
    if (!s.words.empty()) sentences.push_back(std::move(s));
  }
  if (!(*reader)->status().ok()) return (*reader)->status();
  return sentences;
}

}  // namespace slimnlp::core
