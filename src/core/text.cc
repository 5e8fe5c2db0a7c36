#include "src/core/text.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>
#include <unicode/uversion.h>

#include <vector>

#include "absl/strings/str_format.h"
#include "src/core/utf8.h"

namespace slimnlp::core {

CharClass ClassOf(char32_t cp) {
  switch (u_charType(static_cast<UChar32>(cp))) {
    case U_UPPERCASE_LETTER:
    case U_LOWERCASE_LETTER:
    case U_TITLECASE_LETTER:
    case U_MODIFIER_LETTER:
    case U_OTHER_LETTER:
      return CharClass::kLetter;
    case U_NON_SPACING_MARK:
    case U_ENCLOSING_MARK:
    case U_COMBINING_SPACING_MARK:
      return CharClass::kMark;
    case U_DECIMAL_DIGIT_NUMBER:
    case U_LETTER_NUMBER:
    case U_OTHER_NUMBER:
      return CharClass::kDigit;
    case U_SPACE_SEPARATOR:
    case U_LINE_SEPARATOR:
    case U_PARAGRAPH_SEPARATOR:
      return CharClass::kSpace;
    case U_CONTROL_CHAR:
      return u_isWhitespace(static_cast<UChar32>(cp)) ? CharClass::kSpace : CharClass::kOther;
    case U_DASH_PUNCTUATION:
    case U_START_PUNCTUATION:
    case U_END_PUNCTUATION:
    case U_CONNECTOR_PUNCTUATION:
    case U_OTHER_PUNCTUATION:
    case U_INITIAL_PUNCTUATION:
    case U_FINAL_PUNCTUATION:
      return CharClass::kPunct;
    case U_MATH_SYMBOL:
    case U_CURRENCY_SYMBOL:
    case U_MODIFIER_SYMBOL:
    case U_OTHER_SYMBOL:
      return CharClass::kSymbol;
    default:
      return CharClass::kOther;
  }
}

int ScriptOf(char32_t cp) {
  UErrorCode status = U_ZERO_ERROR;
  const UScriptCode script = uscript_getScript(static_cast<UChar32>(cp), &status);
  return U_SUCCESS(status) ? static_cast<int>(script) : 0;
}

char32_t FoldCase(char32_t cp) {
  if (cp < 0x80) return (cp >= 'A' && cp <= 'Z') ? cp + 32 : cp;
  return static_cast<char32_t>(u_foldCase(static_cast<UChar32>(cp), U_FOLD_CASE_DEFAULT));
}

char32_t WidthFold(char32_t cp) {
  // Every code point whose NFKC decomposition is one BMP code point maps to it in this table (0: unchanged).
  // Outside the BMP only a few compatibility ideographs would change; they are left alone.
  static const std::vector<char16_t> table = [] {
    std::vector<char16_t> t(0x10000, 0);
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);
    if (U_FAILURE(status)) return t;
    icu::UnicodeString decomposition;
    for (UChar32 c = 0; c < 0x10000; ++c) {
      if (nfkc->getDecomposition(c, decomposition) && decomposition.length() == 1 &&
          !U16_IS_SURROGATE(decomposition.charAt(0))) {
        t[c] = decomposition.charAt(0);
      }
    }
    return t;
  }();
  if (cp >= 0x10000) return cp;
  const char16_t mapped = table[cp];
  return mapped ? mapped : cp;
}

absl::Status NormalizeNfkc(std::string_view text, std::string* out) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);
  if (U_FAILURE(status)) {
    return absl::InternalError(absl::StrFormat("ICU NFKC normalizer unavailable: %s", u_errorName(status)));
  }
  const icu::UnicodeString input =
      icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  icu::UnicodeString normalized = nfkc->normalize(input, status);
  if (U_FAILURE(status)) {
    return absl::InternalError(absl::StrFormat("ICU NFKC normalization failed: %s", u_errorName(status)));
  }
  out->clear();
  normalized.toUTF8String(*out);
  return absl::OkStatus();
}

std::string IcuVersion() { return U_ICU_VERSION; }

void Decode(std::string_view utf8, bool fold_case, size_t max_codepoints, DecodedText* out) {
  out->cps.clear();
  out->offsets.clear();
  size_t pos = 0;
  while (pos < utf8.size() && out->cps.size() < max_codepoints) {
    char32_t cp;
    size_t len;
    if (!DecodeUtf8(utf8, pos, &cp, &len)) cp = 0xFFFD;  // Callers validate first; this keeps us safe anyway.
    out->cps.push_back(fold_case ? FoldCase(cp) : cp);
    out->offsets.push_back(static_cast<uint32_t>(pos));
    pos += len;
  }
  out->offsets.push_back(static_cast<uint32_t>(pos));
}

}  // namespace slimnlp::core
