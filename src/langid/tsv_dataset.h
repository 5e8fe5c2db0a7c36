// Reading `label<TAB>text` files (plain or .zst), the format of the language identification data.
#ifndef SLIMNLP_SRC_LANGID_TSV_DATASET_H_
#define SLIMNLP_SRC_LANGID_TSV_DATASET_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace slimnlp::langid {

struct LabeledText {
  std::string label;
  std::string text;
  size_t line = 0;  // 1-based line in the file.
};

// Longest line read; the rest of a longer line is skipped (and the line reported as truncated).
inline constexpr size_t kMaxTsvLineBytes = 1 << 20;

// Reads every row. A malformed row (no tab, empty label, label over 64 bytes, invalid UTF-8, truncated line)
// is passed to `on_bad` as "path:line: reason" and skipped; with `on_bad` null it is an InvalidArgument error
// instead. A file that cannot be opened or read is an error either way.
absl::StatusOr<std::vector<LabeledText>> ReadLabeledTsv(const std::string& path,
                                                        const std::function<void(const std::string&)>& on_bad);

}  // namespace slimnlp::langid

#endif  // SLIMNLP_SRC_LANGID_TSV_DATASET_H_
