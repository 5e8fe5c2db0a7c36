#include "src/core/byte_io.h"

#include "absl/strings/str_format.h"

namespace slimnlp::core {

bool ByteReader::Bytes(uint64_t n, std::string_view* v) {
  if (!ok_ || remaining() < n) {
    return Fail(absl::StrFormat("needs %d bytes but only %d remain", n, ok_ ? remaining() : 0));
  }
  *v = data_.substr(pos_, n);
  pos_ += n;
  return true;
}

bool ByteReader::Fail(std::string message) {
  if (ok_) {
    ok_ = false;
    error_ = std::move(message);
    error_pos_ = pos_;
  }
  return false;
}

absl::Status ByteReader::status() const {
  if (ok_) return absl::OkStatus();
  return absl::DataLossError(absl::StrFormat("%s: %s (at byte %d)", what_, error_, error_pos_));
}

}  // namespace slimnlp::core
