#include "src/core/utf8.h"

#include <catch2/catch.hpp>

using slimnlp::core::AppendUtf8;
using slimnlp::core::DecodeUtf8;
using slimnlp::core::FindInvalidUtf8;
using slimnlp::core::Utf8SafePrefix;
using slimnlp::core::ValidateUtf8;

TEST_CASE("valid UTF-8 of every length decodes", "[utf8]") {
  const std::string s = "a\xC3\xA9\xE4\xB8\xAD\xF0\x9F\x98\x80";  // a é 中 😀
  char32_t cp;
  size_t len;
  REQUIRE(DecodeUtf8(s, 0, &cp, &len));
  CHECK((cp == U'a' && len == 1));
  REQUIRE(DecodeUtf8(s, 1, &cp, &len));
  CHECK((cp == U'\u00E9' && len == 2));
  REQUIRE(DecodeUtf8(s, 3, &cp, &len));
  CHECK((cp == U'\u4E2D' && len == 3));
  REQUIRE(DecodeUtf8(s, 6, &cp, &len));
  CHECK((cp == U'\U0001F600' && len == 4));
  CHECK(FindInvalidUtf8(s) == std::string::npos);
  CHECK(ValidateUtf8(s).ok());
}

TEST_CASE("invalid UTF-8 is found at the right byte", "[utf8]") {
  struct Case {
    std::string bytes;
    size_t bad;
  };
  const Case cases[] = {
      {"abc\x80", 3},                  // Lone continuation byte.
      {"ab\xC0\xAF", 2},               // Overlong '/'.
      {"\xE0\x80\xAF", 0},             // Overlong three-byte form.
      {"x\xED\xA0\x80", 1},            // UTF-16 surrogate U+D800.
      {"\xF4\x90\x80\x80", 0},         // Past U+10FFFF.
      {"ok\xE4\xB8", 2},               // Truncated at the end.
      {"\xFF", 0},                     // Never valid.
      {"long ascii prefix\xC3", 17},   // After the 8-byte fast path.
  };
  for (const auto& c : cases) {
    INFO("case at " << c.bad);
    CHECK(FindInvalidUtf8(c.bytes) == c.bad);
    const absl::Status s = ValidateUtf8(c.bytes);
    CHECK(s.code() == absl::StatusCode::kInvalidArgument);
    CHECK(std::string(s.message()).find("byte " + std::to_string(c.bad)) != std::string::npos);
  }
}

TEST_CASE("encoding round-trips every plane", "[utf8]") {
  for (char32_t cp : {U'\0', U'A', U'\u07FF', U'\u0800', U'\uFFFD', U'\U00010000', U'\U0010FFFF'}) {
    std::string s;
    AppendUtf8(cp, &s);
    char32_t back;
    size_t len;
    REQUIRE(DecodeUtf8(s, 0, &back, &len));
    CHECK(back == cp);
    CHECK(len == s.size());
  }
}

TEST_CASE("a safe prefix never cuts a sequence", "[utf8]") {
  const std::string s = "ab\xE4\xB8\xAD";  // "ab中"
  CHECK(Utf8SafePrefix(s, 10) == 5);
  CHECK(Utf8SafePrefix(s, 5) == 5);
  CHECK(Utf8SafePrefix(s, 4) == 2);
  CHECK(Utf8SafePrefix(s, 3) == 2);
  CHECK(Utf8SafePrefix(s, 2) == 2);
  CHECK(Utf8SafePrefix(s, 0) == 0);
}

TEST_CASE("CompleteUtf8Prefix holds back a sequence cut short at the end, and only that", "[utf8]") {
  using slimnlp::core::CompleteUtf8Prefix;
  const std::string han = "\xe4\xb8\xad";  // 中
  CHECK(CompleteUtf8Prefix("ab" + han) == 5);
  CHECK(CompleteUtf8Prefix("ab" + han.substr(0, 2)) == 2);
  CHECK(CompleteUtf8Prefix("ab" + han.substr(0, 1)) == 2);
  CHECK(CompleteUtf8Prefix("\xf0\x9f\x98") == 0);
  CHECK(CompleteUtf8Prefix("a\xff") == 2);  // Invalid, not incomplete: decoded (as U+FFFD) now.
  CHECK(CompleteUtf8Prefix("") == 0);
}
