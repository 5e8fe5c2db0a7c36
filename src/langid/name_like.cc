#include "src/langid/name_like.h"

#include <unicode/uchar.h>

#include <algorithm>
#include <array>

#include "src/core/utf8.h"

namespace slimnlp::langid {
namespace {

constexpr std::array<std::string_view, 18> kParticles = {"al", "bin", "da", "das", "de", "del", "della", "den", "der",
                                                         "di", "do", "dos", "du", "la", "le", "ten", "van", "von"};

}  // namespace

bool LooksLikeName(std::string_view text) {
  size_t words = 0, pos = 0;
  char32_t last = 0;
  while (pos < text.size()) {
    while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t')) ++pos;
    const size_t begin = pos;
    while (pos < text.size() && text[pos] != ' ' && text[pos] != '\t') ++pos;
    const std::string_view word = text.substr(begin, pos - begin);
    char32_t first_letter = 0;
    for (size_t i = 0; i < word.size();) {
      char32_t cp;
      size_t length;
      if (!core::DecodeUtf8(word, i, &cp, &length)) return false;
      if (first_letter == 0 && u_isalpha(cp)) first_letter = cp;
      last = cp;
      i += length;
    }
    if (first_letter == 0) continue;  // Digits, punctuation: not a word of the name.
    ++words;
    const bool particle = std::find(kParticles.begin(), kParticles.end(), word) != kParticles.end();
    if (!particle && !u_isupper(first_letter) && !u_istitle(first_letter)) return false;
  }
  return words >= 2 && words <= 3 && last != '.' && last != '!' && last != '?';
}

}  // namespace slimnlp::langid
