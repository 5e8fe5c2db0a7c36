// What retrieval indexes and searches: a text's terms, the hashes of its case-folded words and of each pair of
// adjacent words (DrQA's hashed unigrams and bigrams). Words are runs of letters, digits and marks; each
// ideograph (Han, kana) is a word of its own, so Chinese and Japanese get character unigrams and bigrams.
// Optionally (the default for indexes) as DrQA and Xapian do: English stopwords are no terms, and neither is a
// bigram with a stopword in it; and words are reduced to their Snowball English stems.
//
// Hashes (part of the index format; golden values in tests/retrieval/retrieval_test.cc):
//   word    HashCodepoints(case-folded code points, or those of the stem, 0x5731)
//   bigram  Reseed(word_a * 0x9E3779B1 + word_b, 0x4247)
#ifndef SLIMNLP_SRC_RETRIEVAL_TERMS_H_
#define SLIMNLP_SRC_RETRIEVAL_TERMS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace slimnlp::retrieval {

// Bit flags, stored in the index header.
enum TermFlags : uint32_t { kStem = 1, kStopwords = 2 };

// Words of `text` (any bytes: invalid UTF-8 separates words), as their hashes (of the stems with kStem), and,
// when `forms` is given, their case-folded UTF-8 forms. `stopword` (if given) says which are stopwords.
void WordHashes(std::string_view text, std::vector<uint32_t>* hashes, std::vector<std::string>* forms = nullptr,
                uint32_t flags = 0, std::vector<bool>* stopword = nullptr);

// The terms of `text`: every word hash, then every bigram hash (without stopwords with kStopwords).
// Duplicates kept (term frequency).
void Terms(std::string_view text, uint32_t flags, std::vector<uint32_t>* terms, std::vector<uint32_t>* scratch_words);

}  // namespace slimnlp::retrieval

#endif  // SLIMNLP_SRC_RETRIEVAL_TERMS_H_
