// The dictionary a tagger may carry: for each word form, the UPOS tags a morphological dictionary allows it (its
// ambiguity class, Sagot & Martinez Alonso 2017), kept as class bits in a Bloom lexicon (src/core/lexicon.h) and
// read by the tlex feature groups. The file it is built from is what tools/lexicon/ writes:
//
//   # comment lines
//   form<TAB>TAG[,TAG...][<TAB>anything]
//
// with TAG among the 17 UD v2 UPOS tags, or KNOWN (or nothing) for a word the dictionary lists without a part
// of speech. Forms are normalized as token features see them (token_features.h NormalizeToken).
#ifndef SLIMNLP_SRC_POS_POS_LEXICON_H_
#define SLIMNLP_SRC_POS_POS_LEXICON_H_

#include <array>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "src/core/lexicon.h"

namespace slimnlp::pos {

// Class bit k of a lexicon word means kLexiconTags[k]. Part of the model format: never reorder.
inline constexpr std::array<std::string_view, 17> kLexiconTags = {
    "ADJ", "ADP", "ADV", "AUX", "CCONJ", "DET", "INTJ", "NOUN", "NUM",
    "PART", "PRON", "PROPN", "PUNCT", "SCONJ", "SYM", "VERB", "X"};

// Words longer than this (code points, normalized) are left out: a tagger looks up whole tokens.
inline constexpr int kLexiconLongest = 32;

struct PosLexiconStats {
  size_t lines = 0, words = 0, with_tags = 0;
};

// Reads `path` (plain or .zst) into a lexicon of about `bits_per_word` bits a key. InvalidArgument naming the
// file and line for a line that is not UTF-8, has an unknown tag, or is over 4 KiB; and for a file without words.
absl::StatusOr<core::Lexicon> ReadPosLexicon(const std::string& path, double bits_per_word, PosLexiconStats* stats);

// The tag names of a lexicon class ("NOUN,VERB"; "KNOWN" for a word without tags), for tests and `info`.
std::string LexiconClassName(uint32_t word_class);

}  // namespace slimnlp::pos

#endif  // SLIMNLP_SRC_POS_POS_LEXICON_H_
