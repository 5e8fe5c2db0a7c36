#include "src/core/utf8.h"

#include "absl/strings/str_format.h"

namespace slimnlp::core {

bool DecodeUtf8(std::string_view s, size_t pos, char32_t* cp, size_t* len) {
  const size_t n = s.size() - pos;
  const auto b0 = static_cast<unsigned char>(s[pos]);
  if (b0 < 0x80) {
    *cp = b0;
    *len = 1;
    return true;
  }
  size_t need;
  char32_t value;
  unsigned char lo = 0x80, hi = 0xBF;  // Allowed range of the second byte (RFC 3629 table).
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    need = 2;
    value = b0 & 0x1F;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    need = 3;
    value = b0 & 0x0F;
    if (b0 == 0xE0) lo = 0xA0;  // No overlong forms.
    if (b0 == 0xED) hi = 0x9F;  // No surrogates.
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    need = 4;
    value = b0 & 0x07;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;  // Nothing past U+10FFFF.
  } else {
    *len = 1;
    return false;
  }
  for (size_t i = 1; i < need; ++i) {
    if (i >= n) {
      *len = i;
      return false;
    }
    const auto b = static_cast<unsigned char>(s[pos + i]);
    if (b < (i == 1 ? lo : 0x80) || b > (i == 1 ? hi : 0xBF)) {
      *len = i;
      return false;
    }
    value = (value << 6) | (b & 0x3F);
  }
  *cp = value;
  *len = need;
  return true;
}

size_t FindInvalidUtf8(std::string_view s) {
  size_t pos = 0;
  while (pos < s.size()) {
    // ASCII fast path, 8 bytes at a time.
    while (pos + 8 <= s.size()) {
      uint64_t word;
      __builtin_memcpy(&word, s.data() + pos, 8);
      if (word & 0x8080808080808080ULL) break;
      pos += 8;
    }
    if (pos >= s.size()) break;
    char32_t cp;
    size_t len;
    if (!DecodeUtf8(s, pos, &cp, &len)) return pos;
    pos += len;
  }
  return std::string_view::npos;
}

absl::Status ValidateUtf8(std::string_view s) {
  const size_t bad = FindInvalidUtf8(s);
  if (bad == std::string_view::npos) return absl::OkStatus();
  char32_t cp;
  size_t len;
  DecodeUtf8(s, bad, &cp, &len);
  std::string bytes;
  for (size_t i = 0; i < len; ++i) {
    absl::StrAppendFormat(&bytes, "%s0x%02X", i ? " " : "", static_cast<unsigned char>(s[bad + i]));
  }
  return absl::InvalidArgumentError(
      absl::StrFormat("invalid UTF-8 at byte %d (bytes %s)", bad, bytes));
}

void AppendUtf8(char32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

size_t Utf8SafePrefix(std::string_view s, size_t max_bytes) {
  if (s.size() <= max_bytes) return s.size();
  size_t end = max_bytes;
  // Step back over continuation bytes so the cut lands on a sequence start.
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80 && max_bytes - end < 4) --end;
  return end;
}

size_t CompleteUtf8Prefix(std::string_view s) {
  for (size_t back = 1; back <= 4 && back <= s.size(); ++back) {
    const unsigned char c = static_cast<unsigned char>(s[s.size() - back]);
    if ((c & 0xC0) == 0x80) continue;  // A continuation byte: its lead is further back.
    const size_t length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    return length > back && c < 0xF8 ? s.size() - back : s.size();
  }
  return s.size();
}

}  // namespace slimnlp::core
