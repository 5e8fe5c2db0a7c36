#include "src/core/line_reader.h"

#include <zstd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/match.h"
#include "absl/strings/str_format.h"

namespace slimnlp::core {
namespace {
constexpr size_t kChunk = 1 << 16;
}

absl::StatusOr<std::unique_ptr<LineReader>> LineReader::Open(const std::string& path, size_t max_line_bytes) {
  if (path == "-") {
    auto reader = std::unique_ptr<LineReader>(new LineReader("<stdin>", stdin, false, false, max_line_bytes));
    reader->sniff_ = true;
    return reader;
  }
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) {
    const std::string msg = absl::StrFormat("cannot open %s: %s", path, std::strerror(errno));
    return errno == ENOENT ? absl::NotFoundError(msg) : absl::PermissionDeniedError(msg);
  }
  const bool named_zst = absl::EndsWith(path, ".zst");
  auto reader = std::unique_ptr<LineReader>(new LineReader(path, f, true, named_zst, max_line_bytes));
  reader->sniff_ = !named_zst;
  return reader;
}

LineReader::LineReader(std::string path, std::FILE* file, bool owns, bool zstd, size_t max_line_bytes)
    : path_(std::move(path)), file_(file), owns_file_(owns), max_line_bytes_(max_line_bytes) {
  if (zstd) zstd_ = ZSTD_createDStream();
}

LineReader::~LineReader() {
  if (zstd_) ZSTD_freeDStream(static_cast<ZSTD_DStream*>(zstd_));
  if (owns_file_) std::fclose(file_);
}

bool LineReader::Fill() {
  const bool first = !started_;
  started_ = true;
  if (!FillBytes()) return false;
  // A UTF-8 byte-order mark (Windows editors write one) is not text: without this, it would be read as a word.
  if (first && buffer_.compare(pos_, 3, "\xEF\xBB\xBF") == 0) {
    pos_ += 3;
    if (pos_ == buffer_.size()) return FillBytes();
  }
  return true;
}

bool LineReader::FillBytes() {
  buffer_.erase(0, pos_);
  pos_ = 0;
  if (sniff_) {
    // Standard input or a file not named .zst: zstd data is recognized by its magic number, so that
    // `zstdcat`-less pipelines (cat x.zst | slimnlp ...) work too.
    sniff_ = false;
    raw_.resize(kChunk);
    raw_.resize(std::fread(raw_.data(), 1, kChunk, file_));
    raw_pos_ = 0;
    static constexpr char kZstdMagic[] = "\x28\xB5\x2F\xFD";
    if (raw_.size() >= 4 && raw_.compare(0, 4, kZstdMagic, 4) == 0) {
      zstd_ = ZSTD_createDStream();
    } else {
      buffer_.swap(raw_);
      raw_.clear();
      if (!buffer_.empty()) return true;
    }
  }
  if (zstd_ == nullptr) {
    if (eof_) return false;
    const size_t old = buffer_.size();
    buffer_.resize(old + kChunk);
    const size_t n = std::fread(buffer_.data() + old, 1, kChunk, file_);
    buffer_.resize(old + n);
    if (n == 0) {
      eof_ = true;
      if (std::ferror(file_)) {
        status_ = absl::DataLossError(absl::StrFormat("%s: read error after line %d", path_, line_number_));
      }
      return false;
    }
    return true;
  }
  auto* ds = static_cast<ZSTD_DStream*>(zstd_);
  while (true) {
    if (raw_pos_ == raw_.size()) {
      if (eof_) {
        if (!frame_done_) {
          status_ = absl::DataLossError(
              absl::StrFormat("%s: compressed data ends mid-frame (truncated file?) after line %d", path_,
                              line_number_));
        }
        return false;
      }
      raw_.resize(kChunk);
      raw_.resize(std::fread(raw_.data(), 1, kChunk, file_));
      raw_pos_ = 0;
      if (raw_.empty()) {
        eof_ = true;
        if (std::ferror(file_)) status_ = absl::DataLossError(absl::StrFormat("%s: read error", path_));
        continue;
      }
    }
    const size_t old = buffer_.size();
    buffer_.resize(old + kChunk);
    ZSTD_inBuffer in{raw_.data(), raw_.size(), raw_pos_};
    ZSTD_outBuffer out{buffer_.data() + old, kChunk, 0};
    const size_t ret = ZSTD_decompressStream(ds, &out, &in);
    raw_pos_ = in.pos;
    buffer_.resize(old + out.pos);
    if (ZSTD_isError(ret)) {
      status_ = absl::DataLossError(absl::StrFormat("%s: corrupted zstd data after line %d: %s", path_,
                                                    line_number_, ZSTD_getErrorName(ret)));
      eof_ = true;
      raw_pos_ = raw_.size();
      return false;
    }
    frame_done_ = ret == 0;
    if (out.pos > 0) return true;
  }
}

bool LineReader::Next(std::string* line, bool* truncated) {
  line->clear();
  *truncated = false;
  bool any = false;
  while (true) {
    const size_t nl = buffer_.find('\n', pos_);
    const size_t end = nl == std::string::npos ? buffer_.size() : nl;
    if (end > pos_) any = true;
    const size_t room = max_line_bytes_ - std::min(max_line_bytes_, line->size());
    const size_t take = std::min(room, end - pos_);
    line->append(buffer_, pos_, take);
    if (take < end - pos_) *truncated = true;
    if (nl != std::string::npos) {
      pos_ = nl + 1;
      break;
    }
    pos_ = buffer_.size();
    if (!Fill()) {
      if (!status_.ok() || !any) return false;
      break;  // Last line without a newline.
    }
  }
  if (!line->empty() && line->back() == '\r') line->pop_back();
  ++line_number_;
  return true;
}

bool LineReader::NextPiece(std::string* piece, bool* continues) {
  piece->clear();
  *continues = false;
  bool any = mid_line_;
  while (true) {
    const size_t nl = buffer_.find('\n', pos_);
    const size_t end = nl == std::string::npos ? buffer_.size() : nl;
    if (end > pos_) any = true;
    const size_t take = std::min(max_line_bytes_ - piece->size(), end - pos_);
    piece->append(buffer_, pos_, take);
    pos_ += take;
    if (pos_ < end) {  // The piece is full and the line goes on.
      if (!mid_line_) ++line_number_;
      mid_line_ = *continues = true;
      return true;
    }
    if (nl != std::string::npos) {
      pos_ = nl + 1;
      break;
    }
    if (!Fill()) {
      if (!status_.ok() || !any) return false;
      break;  // Last line without a newline.
    }
  }
  if (!piece->empty() && piece->back() == '\r') piece->pop_back();
  if (!mid_line_) ++line_number_;
  mid_line_ = false;
  return true;
}

}  // namespace slimnlp::core
