// Text as the engine sees it: validated UTF-8 decoded into code points with their byte offsets, plus the
// per-code-point facts features are built from (class, script, case folding), and optional ICU normalization.
#ifndef SLIMNLP_SRC_CORE_TEXT_H_
#define SLIMNLP_SRC_CORE_TEXT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"

namespace slimnlp::core {

enum class CharClass : uint8_t { kLetter, kMark, kDigit, kSpace, kPunct, kSymbol, kOther };

// General category of `cp`, collapsed to the classes features care about (ICU u_charType).
CharClass ClassOf(char32_t cp);

// ICU's UScriptCode for `cp` (USCRIPT_COMMON = 0, USCRIPT_INHERITED = 1, USCRIPT_LATIN = 25, ...). ICU keeps
// these numbers stable across versions.
int ScriptOf(char32_t cp);

// Simple (one code point to one) Unicode case folding, as ICU u_foldCase with the default options.
char32_t FoldCase(char32_t cp);

// The NFKC form of `cp` where that is a single code point (full-width ASCII to ASCII, half-width katakana to
// full-width, compatibility ideographs to unified ones, ...); `cp` itself otherwise. A table built from ICU on
// first use.
char32_t WidthFold(char32_t cp);

// ICU NFKC normalization of valid UTF-8 `text` into `*out`. Fails only if ICU does (its data missing).
absl::Status NormalizeNfkc(std::string_view text, std::string* out);

// The version of ICU linked in, recorded in model files because scripts and folding come from it.
std::string IcuVersion();

// A decoded text. Buffers are reused across calls to Decode, so a scratch DecodedText allocates only while
// it grows.
struct DecodedText {
  std::vector<char32_t> cps;
  std::vector<uint32_t> offsets;  // offsets[i] = byte offset of cps[i] in the input; offsets.back() = size.
};

// Decodes valid UTF-8 (check it first with ValidateUtf8) into `*out`, optionally case folded. Stops after
// `max_codepoints` code points.
void Decode(std::string_view utf8, bool fold_case, size_t max_codepoints, DecodedText* out);

}  // namespace slimnlp::core

#endif  // SLIMNLP_SRC_CORE_TEXT_H_
