#include "src/retrieval/terms.h"

#include "src/core/hash.h"
#include "src/core/text.h"
#include "src/core/utf8.h"

namespace slimnlp::retrieval {
namespace {

bool IsIdeograph(char32_t cp) {
  return (cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) ||
         (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x2FFFF);
}

}  // namespace

void WordHashes(std::string_view text, std::vector<uint32_t>* hashes, std::vector<std::string>* forms) {
  hashes->clear();
  if (forms) forms->clear();
  thread_local std::vector<char32_t> word;
  word.clear();
  const auto flush = [&] {
    if (word.empty()) return;
    hashes->push_back(core::HashCodepoints(word.data(), word.size(), 0x5731));
    if (forms) {
      std::string f;
      for (char32_t c : word) core::AppendUtf8(c, &f);
      forms->push_back(std::move(f));
    }
    word.clear();
  };
  for (size_t pos = 0; pos < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[pos]);
    if (c < 0x80) {  // ASCII fast path.
      ++pos;
      if ((c | 32) >= 'a' && (c | 32) <= 'z') {
        word.push_back(c | 32);
      } else if (c >= '0' && c <= '9') {
        word.push_back(c);
      } else {
        flush();
      }
      continue;
    }
    char32_t cp;
    size_t len;
    if (!core::DecodeUtf8(text, pos, &cp, &len)) {
      flush();
      pos += 1;
      continue;
    }
    pos += len;
    if (IsIdeograph(cp)) {
      flush();
      word.push_back(cp);
      flush();
      continue;
    }
    const core::CharClass cls = core::ClassOf(cp);
    if (cls == core::CharClass::kLetter || cls == core::CharClass::kDigit || cls == core::CharClass::kMark) {
      word.push_back(core::FoldCase(cp));
    } else {
      flush();
    }
  }
  flush();
}

void Terms(std::string_view text, std::vector<uint32_t>* terms, std::vector<uint32_t>* words) {
  WordHashes(text, words);
  terms->assign(words->begin(), words->end());
  for (size_t i = 0; i + 1 < words->size(); ++i) {
    terms->push_back(core::Reseed((*words)[i] * 0x9E3779B1u + (*words)[i + 1], 0x4247));
  }
}

}  // namespace slimnlp::retrieval
