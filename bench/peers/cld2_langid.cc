// cld2_langid.cc -- peer baseline: CLD2 (Compact Language Detector 2) language identification.
//
// Reads UTF-8 text on stdin, one text per line, and prints one line per input line: the CLD2
// language code of the detected language (CLD2::LanguageCode, e.g. "en", "zh-Hant", "iw", "jw",
// "no"), or "und" when CLD2 answers UNKNOWN_LANGUAGE (e.g. too little text, or invalid UTF-8).
//
// Uses the full CLD2 table (Debian libcld2-dev: link -lcld2_full -lcld2) and
// CLD2::ExtDetectLanguageSummaryCheckUTF8 with is_plain_text=true, no hints, flags=0
// (the library's default behaviour). Option:
//   --best-effort   pass kCLDFlagBestEffort (answer even on very short text instead of "un")
//
// Build:  bash bench/peers/build.sh [OUTDIR]          (default OUTDIR=/tmp/peers/bin)
// Run:    cut -f2 test.tsv | /tmp/peers/bin/cld2_langid > cld2.pred
#include <cstdio>  // before the CLD2 headers: compact_lang_det.h uses FILE without including it
#include <cstring>
#include <iostream>
#include <string>

#include <cld2/public/compact_lang_det.h>  // also brings CLD2::LanguageCode (internal/lang_script.h)
#include <cld2/public/encodings.h>

int main(int argc, char** argv) {
  int flags = 0;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--best-effort") == 0) {
      flags |= CLD2::kCLDFlagBestEffort;
    } else if (std::strcmp(argv[i], "-h") == 0 || std::strcmp(argv[i], "--help") == 0) {
      std::fprintf(stdout, "usage: %s [--best-effort] < texts > codes\n", argv[0]);
      return 0;
    } else {
      std::fprintf(stderr, "cld2_langid: unknown argument '%s' (try --help)\n", argv[i]);
      return 2;
    }
  }
  std::ios::sync_with_stdio(false);
  std::string line;
  std::string out;
  out.reserve(1 << 16);
  const CLD2::CLDHints hints = {nullptr, nullptr, CLD2::UNKNOWN_ENCODING, CLD2::UNKNOWN_LANGUAGE};
  while (std::getline(std::cin, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    CLD2::Language language3[3];
    int percent3[3];
    double normalized_score3[3];
    int text_bytes = 0;
    bool is_reliable = false;
    int valid_prefix_bytes = 0;
    CLD2::Language lang = CLD2::ExtDetectLanguageSummaryCheckUTF8(
        line.data(), static_cast<int>(line.size()), /*is_plain_text=*/true, &hints, flags,
        language3, percent3, normalized_score3, /*resultchunkvector=*/nullptr, &text_bytes,
        &is_reliable, &valid_prefix_bytes);
    if (lang == CLD2::UNKNOWN_LANGUAGE || lang == CLD2::TG_UNKNOWN_LANGUAGE) {
      out += "und";
    } else {
      out += CLD2::LanguageCode(lang);
    }
    out += '\n';
    if (out.size() > (1 << 15)) {
      std::fwrite(out.data(), 1, out.size(), stdout);
      out.clear();
    }
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return std::fflush(stdout) == 0 ? 0 : 1;
}
