#include "src/langid/tsv_dataset.h"

#include "absl/strings/str_format.h"
#include "src/core/line_reader.h"
#include "src/core/utf8.h"

namespace slimnlp::langid {

absl::StatusOr<std::vector<LabeledText>> ReadLabeledTsv(const std::string& path,
                                                        const std::function<void(const std::string&)>& on_bad) {
  absl::StatusOr<std::unique_ptr<core::LineReader>> reader = core::LineReader::Open(path, kMaxTsvLineBytes);
  if (!reader.ok()) return reader.status();
  std::vector<LabeledText> rows;
  std::string line;
  bool truncated;
  while ((*reader)->Next(&line, &truncated)) {
    const size_t n = (*reader)->line_number();
    std::string problem;
    const size_t tab = line.find('\t');
    if (truncated) {
      problem = absl::StrFormat("line longer than %d bytes", kMaxTsvLineBytes);
    } else if (tab == std::string::npos) {
      problem = "no tab between label and text";
    } else if (tab == 0 || tab > 64) {
      problem = "label empty or longer than 64 bytes";
    } else if (absl::Status s = core::ValidateUtf8(line); !s.ok()) {
      problem = std::string(s.message());
    }
    if (!problem.empty()) {
      const std::string message = absl::StrFormat("%s:%d: %s", path, n, problem);
      if (!on_bad) return absl::InvalidArgumentError(message);
      on_bad(message);
      continue;
    }
    rows.push_back({line.substr(0, tab), line.substr(tab + 1), n});
  }
  if (!(*reader)->status().ok()) return (*reader)->status();
  return rows;
}

}  // namespace slimnlp::langid
