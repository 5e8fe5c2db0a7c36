// Reads text lines from a file, a zstd-compressed file (name ending in .zst, or any file or standard input whose
// bytes start with zstd's magic number) or standard input ("-"), with a cap on line length so one huge line
// cannot exhaust memory: the part past the cap is skipped and the line is flagged as truncated. Lines end at
// '\n'; a '\r' before it is removed; a UTF-8 byte-order mark at the start of the input is skipped.
#ifndef SLIMNLP_SRC_CORE_LINE_READER_H_
#define SLIMNLP_SRC_CORE_LINE_READER_H_

#include <cstdio>
#include <memory>
#include <string>

#include "absl/status/statusor.h"

namespace slimnlp::core {

class LineReader {
 public:
  // Opens `path` ("-" for stdin). NotFound/PermissionDenied naming the path.
  static absl::StatusOr<std::unique_ptr<LineReader>> Open(const std::string& path, size_t max_line_bytes);
  ~LineReader();

  // Reads the next line into `*line` (without the newline). Returns false at the end of input or on an error
  // (then status() says which). `*truncated` tells whether bytes past the cap were skipped.
  bool Next(std::string* line, bool* truncated);
  // Like Next, but a line longer than the cap comes in consecutive pieces of at most the cap each instead of
  // being cut: `*continues` says that more of the same line follows. The pieces of one line share one
  // line_number(). Pieces are cut at a byte count, possibly inside a UTF-8 sequence: callers that decode
  // carry the incomplete tail over (Utf8SafePrefix).
  bool NextPiece(std::string* piece, bool* continues);
  // 1-based number of the line last returned.
  size_t line_number() const { return line_number_; }
  // OK at a clean end; DataLoss naming the file and line for a read or decompression error.
  const absl::Status& status() const { return status_; }
  const std::string& path() const { return path_; }

 private:
  LineReader(std::string path, std::FILE* file, bool owns, bool zstd, size_t max_line_bytes);
  bool Fill();  // Refills buffer_ with more (decompressed) bytes; false at the end or on error.
  bool FillBytes();  // Fill without the byte-order-mark check.

  std::string path_;
  std::FILE* file_;
  bool owns_file_;
  void* zstd_ = nullptr;  // ZSTD_DStream*, kept out of the header.
  size_t max_line_bytes_;
  std::string raw_;       // Compressed bytes read but not yet decompressed.
  size_t raw_pos_ = 0;
  std::string buffer_;    // Decompressed bytes not yet returned.
  size_t pos_ = 0;
  bool eof_ = false;
  bool frame_done_ = true;
  bool sniff_ = false;    // Not yet known whether the input is zstd: decided by its first bytes.
  bool started_ = false;
  size_t line_number_ = 0;
  bool mid_line_ = false;  // NextPiece returned part of a line and the rest is to come.
  absl::Status status_;
};

}  // namespace slimnlp::core

#endif  // SLIMNLP_SRC_CORE_LINE_READER_H_
