// Little-endian serialization with bounds checks. ByteReader never reads past its buffer: every read returns
// false (and remembers the first failure) instead, so a truncated or hostile file cannot make us overrun or
// allocate what the bytes merely claim.
#ifndef SLIMNLP_SRC_CORE_BYTE_IO_H_
#define SLIMNLP_SRC_CORE_BYTE_IO_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace slimnlp::core {

class ByteWriter {
 public:
  void U8(uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void U16(uint16_t v) { Fixed(v, 2); }
  void U32(uint32_t v) { Fixed(v, 4); }
  void U64(uint64_t v) { Fixed(v, 8); }
  void F32(float v) {
    uint32_t bits;
    std::memcpy(&bits, &v, 4);
    U32(bits);
  }
  void Bytes(std::string_view b) { out_.append(b); }
  // A u32 length, then the bytes.
  void String(std::string_view s) {
    U32(static_cast<uint32_t>(s.size()));
    Bytes(s);
  }
  std::string& data() { return out_; }

 private:
  void Fixed(uint64_t v, int n) {
    for (int i = 0; i < n; ++i) out_.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
  }
  std::string out_;
};

class ByteReader {
 public:
  // `what` names the thing being read, for error messages ("model section 'tensor:emb.c2'").
  ByteReader(std::string_view data, std::string what) : data_(data), what_(std::move(what)) {}

  bool U8(uint8_t* v) { return Fixed(v, 1); }
  bool U16(uint16_t* v) { return Fixed(v, 2); }
  bool U32(uint32_t* v) { return Fixed(v, 4); }
  bool U64(uint64_t* v) { return Fixed(v, 8); }
  bool F32(float* v) {
    uint32_t bits;
    if (!U32(&bits)) return false;
    std::memcpy(v, &bits, 4);
    return true;
  }
  // A view of the next `n` bytes; fails if fewer remain.
  bool Bytes(uint64_t n, std::string_view* v);
  bool String(std::string_view* v) {
    uint32_t n;
    return U32(&n) && Bytes(n, v);
  }

  size_t remaining() const { return data_.size() - pos_; }
  size_t position() const { return pos_; }
  bool ok() const { return ok_; }
  // OK, or DataLoss naming `what`, the offset and what was wanted there.
  absl::Status status() const;
  // Records a semantic failure (a bad value rather than missing bytes); the first failure wins.
  bool Fail(std::string message);

 private:
  template <typename T>
  bool Fixed(T* v, int n) {
    if (!ok_ || remaining() < static_cast<size_t>(n)) return Fail("unexpected end of data");
    uint64_t x = 0;
    for (int i = 0; i < n; ++i) x |= uint64_t{static_cast<unsigned char>(data_[pos_ + i])} << (8 * i);
    *v = static_cast<T>(x);
    pos_ += n;
    return true;
  }

  std::string_view data_;
  std::string what_;
  size_t pos_ = 0;
  bool ok_ = true;
  std::string error_;
  size_t error_pos_ = 0;
};

}  // namespace slimnlp::core

#endif  // SLIMNLP_SRC_CORE_BYTE_IO_H_
