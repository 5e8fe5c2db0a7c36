#include "src/retrieval/terms.h"

#include <libstemmer.h>

#include <memory>
#include <unordered_set>

#include "src/core/hash.h"
#include "src/core/text.h"
#include "src/core/utf8.h"

namespace slimnlp::retrieval {
namespace {

bool IsIdeograph(char32_t cp) {
  return (cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) ||
         (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x2FFFF);
}

// NLTK's English stopwords (as DrQA's retriever uses), split the way WordHashes splits ("don't" -> "don", "t").
const std::unordered_set<std::string>& Stopwords() {
  static const std::unordered_set<std::string> words = {
      "i", "me", "my", "myself", "we", "our", "ours", "ourselves", "you", "your", "yours", "yourself",
      "yourselves", "he", "him", "his", "himself", "she", "her", "hers", "herself", "it", "its", "itself", "they",
      "them", "their", "theirs", "themselves", "what", "which", "who", "whom", "this", "that", "these", "those",
      "am", "is", "are", "was", "were", "be", "been", "being", "have", "has", "had", "having", "do", "does", "did",
      "doing", "a", "an", "the", "and", "but", "if", "or", "because", "as", "until", "while", "of", "at", "by",
      "for", "with", "about", "against", "between", "into", "through", "during", "before", "after", "above",
      "below", "to", "from", "up", "down", "in", "out", "on", "off", "over", "under", "again", "further", "then",
      "once", "here", "there", "when", "where", "why", "how", "all", "any", "both", "each", "few", "more", "most",
      "other", "some", "such", "no", "nor", "not", "only", "own", "same", "so", "than", "too", "very", "s", "t",
      "can", "will", "just", "don", "should", "now", "d", "ll", "m", "o", "re", "ve", "y", "ain", "aren", "couldn",
      "didn", "doesn", "hadn", "hasn", "haven", "isn", "ma", "mightn", "mustn", "needn", "shan", "shouldn", "wasn",
      "weren", "won", "wouldn"};
  return words;
}

// Snowball stemmers are not thread-safe: one per thread.
struct StemmerDeleter {
  void operator()(sb_stemmer* s) const { sb_stemmer_delete(s); }
};
sb_stemmer* ThreadStemmer() {
  thread_local std::unique_ptr<sb_stemmer, StemmerDeleter> stemmer(sb_stemmer_new("english", "UTF_8"));
  return stemmer.get();
}

}  // namespace

void WordHashes(std::string_view text, std::vector<uint32_t>* hashes, std::vector<std::string>* forms,
                uint32_t flags, std::vector<bool>* stopword) {
  hashes->clear();
  if (forms) forms->clear();
  if (stopword) stopword->clear();
  thread_local std::vector<char32_t> word;
  thread_local std::string utf8;
  thread_local std::vector<char32_t> stem;
  word.clear();
  const bool need_utf8 = forms || flags != 0;
  const auto flush = [&] {
    if (word.empty()) return;
    if (need_utf8) {
      utf8.clear();
      for (char32_t c : word) core::AppendUtf8(c, &utf8);
    }
    if (stopword) stopword->push_back((flags & kStopwords) && Stopwords().count(utf8));
    const char32_t* cps = word.data();
    size_t n = word.size();
    sb_stemmer* stemmer = (flags & kStem) ? ThreadStemmer() : nullptr;
    if (stemmer && word.size() > 2) {
      const sb_symbol* s = sb_stemmer_stem(stemmer, reinterpret_cast<const sb_symbol*>(utf8.data()),
                                           static_cast<int>(utf8.size()));
      const std::string_view stemmed(reinterpret_cast<const char*>(s), s ? sb_stemmer_length(stemmer) : 0);
      if (s && stemmed != utf8) {
        stem.clear();
        for (size_t pos = 0; pos < stemmed.size();) {
          char32_t cp;
          size_t len;
          if (!core::DecodeUtf8(stemmed, pos, &cp, &len)) cp = 0xFFFD;
          stem.push_back(cp);
          pos += len;
        }
        cps = stem.data();
        n = stem.size();
      }
    }
    hashes->push_back(core::HashCodepoints(cps, n, 0x5731));
    if (forms) forms->push_back(utf8);
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

void Terms(std::string_view text, uint32_t flags, std::vector<uint32_t>* terms, std::vector<uint32_t>* words) {
  thread_local std::vector<bool> stop;
  WordHashes(text, words, nullptr, flags, &stop);
  terms->clear();
  for (size_t i = 0; i < words->size(); ++i)
    if (!stop[i]) terms->push_back((*words)[i]);
  for (size_t i = 0; i + 1 < words->size(); ++i) {
    if (stop[i] || stop[i + 1]) continue;
    terms->push_back(core::Reseed((*words)[i] * 0x9E3779B1u + (*words)[i + 1], 0x4247));
  }
}

}  // namespace slimnlp::retrieval
