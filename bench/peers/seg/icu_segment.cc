// ICU peer: raw lines on stdin -> space-joined words per line on stdout.
//
// Uses ICU's word BreakIterator for locale "zh"; for Han text ICU switches to its
// dictionary-based (cjdict) breaker, for other scripts it applies the UAX #29 rules.
//
// Build:
//   g++ -O2 -o /tmp/seg_peers/icu_segment icu_segment.cc $(pkg-config --cflags --libs icu-uc icu-i18n)
//
// Timing goes to stderr as "icu: load S s, segment S s, N bytes"; "load" includes
// segmenting one short Han string, because ICU loads the CJK dictionary lazily on first use.
#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

namespace {

double since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

// Appends the non-whitespace pieces of text[start, end) to out, space-separated. Splitting
// (rather than only dropping whitespace-only segments) guards the one-space-per-boundary
// output format. tempSubString aliases the buffer, so no copy is made per piece.
void emit(const icu::UnicodeString& text, int32_t start, int32_t end, std::string& out,
          bool& first) {
  int32_t i = start;
  while (i < end) {
    while (i < end && u_isUWhiteSpace(text.char32At(i))) i = text.moveIndex32(i, 1);
    int32_t piece = i;
    while (i < end && !u_isUWhiteSpace(text.char32At(i))) i = text.moveIndex32(i, 1);
    if (i > piece) {
      if (!first) out += ' ';
      first = false;
      text.tempSubString(piece, i - piece).toUTF8String(out);
    }
  }
}

}  // namespace

int main() {
  std::ios::sync_with_stdio(false);
  auto t0 = std::chrono::steady_clock::now();
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::BreakIterator> bi(
      icu::BreakIterator::createWordInstance(icu::Locale("zh"), status));
  if (U_FAILURE(status)) {
    std::fprintf(stderr, "icu_segment: createWordInstance: %s\n", u_errorName(status));
    return 1;
  }
  icu::UnicodeString warm = icu::UnicodeString::fromUTF8(u8"中文分詞");
  bi->setText(warm);
  while (bi->next() != icu::BreakIterator::DONE) {}
  double load = since(t0);

  auto t1 = std::chrono::steady_clock::now();
  std::string line, out;
  size_t bytes = 0;
  while (std::getline(std::cin, line)) {
    bytes += line.size() + 1;
    // Invalid UTF-8 becomes U+FFFD here; the scorer then reports the token as unaligned.
    icu::UnicodeString text = icu::UnicodeString::fromUTF8(line);
    bi->setText(text);
    out.clear();
    bool first = true;
    for (int32_t start = bi->first(), end = bi->next(); end != icu::BreakIterator::DONE;
         start = end, end = bi->next()) {
      emit(text, start, end, out, first);
    }
    out += '\n';
    std::cout << out;
  }
  std::cout.flush();
  std::fprintf(stderr, "icu: load %.3f s, segment %.3f s, %zu bytes\n", load, since(t1), bytes);
  return 0;
}
