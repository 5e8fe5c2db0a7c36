// UTF-8 decoding and validation. Every text that enters slimnlp passes through here first, so the rest of the
// engine can assume well-formed code points.
#ifndef SLIMNLP_SRC_CORE_UTF8_H_
#define SLIMNLP_SRC_CORE_UTF8_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace slimnlp::core {

// Decodes one code point starting at `s[pos]`. On success stores it in `*cp`, the number of bytes used in
// `*len`, and returns true. Rejects overlong forms, surrogates, values past U+10FFFF and truncated sequences
// (RFC 3629); then `*len` is the length of the maximal invalid prefix (at least 1), as in the Unicode
// "substitution of maximal subparts" practice, so callers can skip it and go on.
bool DecodeUtf8(std::string_view s, size_t pos, char32_t* cp, size_t* len);

// Returns the byte offset of the first invalid sequence, or std::string_view::npos if `s` is valid UTF-8.
size_t FindInvalidUtf8(std::string_view s);

// OK if `s` is valid UTF-8; otherwise InvalidArgument naming the byte offset and the offending bytes.
absl::Status ValidateUtf8(std::string_view s);

// Appends the UTF-8 encoding of `cp` (which must be a valid scalar value) to `out`.
void AppendUtf8(char32_t cp, std::string* out);

// Length of the longest prefix of `s` that is at most `max_bytes` long and does not cut a UTF-8 sequence.
size_t Utf8SafePrefix(std::string_view s, size_t max_bytes);

// Length of `s` without a UTF-8 sequence cut short at its end (a lead byte whose continuation bytes have not
// all arrived): what may be decoded now when more of the stream follows.
size_t CompleteUtf8Prefix(std::string_view s);

}  // namespace slimnlp::core

#endif  // SLIMNLP_SRC_CORE_UTF8_H_
