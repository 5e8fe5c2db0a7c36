// LanguageIdentifier::IdentifySpans: languages of a mixed-language text.
#include <vector>

#include "slimnlp/langid.h"
#include "src/core/text.h"
#include "src/core/utf8.h"
#include <unicode/uscript.h>

namespace slimnlp {
namespace {

// Scripts that are written together within one language share a group, so Japanese (Han + kana) or Korean
// (Hangul + Han) is not cut at every change. Common and Inherited (punctuation, digits, combining marks)
// belong to no group: -1.
int ScriptGroup(char32_t cp) {
  const int s = core::ScriptOf(cp);
  switch (s) {
    case USCRIPT_COMMON:
    case USCRIPT_INHERITED:
      return -1;
    case USCRIPT_HIRAGANA:
    case USCRIPT_KATAKANA:
    case USCRIPT_HAN:
    case USCRIPT_HANGUL:
    case USCRIPT_BOPOMOFO:
      return USCRIPT_HAN;
    default:
      return s;
  }
}

bool IsSentenceEnd(char32_t cp) {
  switch (cp) {
    case U'.': case U'!': case U'?': case U'\n': case U';':
    case U'\u3002': case U'\uFF01': case U'\uFF1F': case U'\u0964': case U'\u061F': case U'\u06D4':
      return true;
    default:
      return false;
  }
}

struct Piece {
  size_t begin, end;
  LanguageGuess guess;
};

}  // namespace

absl::Status LanguageIdentifier::IdentifySpans(std::string_view text, std::vector<LanguageSpan>* out) const {
  out->clear();
  text = text.substr(0, core::Utf8SafePrefix(text, options_.max_text_bytes * 16));
  if (absl::Status s = core::ValidateUtf8(text); !s.ok()) return s;
  if (text.empty()) return absl::OkStatus();

  core::DecodedText decoded;
  core::Decode(text, /*fold_case=*/false, text.size(), &decoded);
  const size_t n = decoded.cps.size();

  // 1. Cut at script changes and after sentence ends.
  std::vector<size_t> cuts = {0};
  int group = -1;
  bool after_end = false;
  for (size_t i = 0; i < n; ++i) {
    const char32_t cp = decoded.cps[i];
    const core::CharClass cls = core::ClassOf(cp);
    const bool letter = cls == core::CharClass::kLetter;
    if (letter) {
      const int g = ScriptGroup(cp);
      if ((after_end || (g >= 0 && group >= 0 && g != group)) && decoded.offsets[i] != cuts.back()) {
        cuts.push_back(decoded.offsets[i]);
      }
      if (g >= 0) group = g;
      after_end = false;
    } else if (IsSentenceEnd(cp)) {
      after_end = true;
    }
  }
  cuts.push_back(text.size());

  // 2. Identify each piece.
  std::vector<Piece> pieces;
  for (size_t k = 0; k + 1 < cuts.size(); ++k) {
    absl::StatusOr<LanguageGuess> g = Identify(text.substr(cuts[k], cuts[k + 1] - cuts[k]));
    if (!g.ok()) return g.status();
    pieces.push_back({cuts[k], cuts[k + 1], *g});
  }

  // 3. Join: pieces without letters go with a neighbour, unreliable ones join a neighbour and the union is
  // identified again, neighbours that agree become one. Each join removes a piece, so this ends.
  bool changed = true;
  while (changed && pieces.size() > 1) {
    changed = false;
    for (size_t k = 0; k < pieces.size(); ++k) {
      const bool und = pieces[k].guess.language == kUndetermined;
      const size_t other = k > 0 ? k - 1 : k + 1;
      const bool same = k > 0 && pieces[k].guess.language == pieces[k - 1].guess.language;
      if (!und && !same && pieces[k].guess.reliable) continue;
      const size_t a = std::min(k, other), b = std::max(k, other);
      Piece joined{pieces[a].begin, pieces[b].end, pieces[other].guess};
      if (!und && !same) {
        absl::StatusOr<LanguageGuess> g = Identify(text.substr(joined.begin, joined.end - joined.begin));
        if (!g.ok()) return g.status();
        joined.guess = *g;
      } else if (same) {
        joined.guess.probability = std::max(pieces[k].guess.probability, pieces[other].guess.probability);
        joined.guess.reliable = pieces[k].guess.reliable || pieces[other].guess.reliable;
      }
      pieces[a] = joined;
      pieces.erase(pieces.begin() + b);
      changed = true;
      break;
    }
  }
  for (const Piece& p : pieces) out->push_back({p.begin, p.end, p.guess});
  return absl::OkStatus();
}

}  // namespace slimnlp
