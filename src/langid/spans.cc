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
  int group;  // Script group of its letters, -1 if it has none.
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
  std::vector<int> groups;  // Script group of each piece.
  int group = -1;
  int piece_group = -1;
  bool after_end = false;
  for (size_t i = 0; i < n; ++i) {
    const char32_t cp = decoded.cps[i];
    const core::CharClass cls = core::ClassOf(cp);
    const bool letter = cls == core::CharClass::kLetter;
    if (letter) {
      const int g = ScriptGroup(cp);
      if ((after_end || (g >= 0 && group >= 0 && g != group)) && decoded.offsets[i] != cuts.back()) {
        cuts.push_back(decoded.offsets[i]);
        groups.push_back(piece_group);
        piece_group = -1;
      }
      if (g >= 0) group = piece_group = g;
      after_end = false;
    } else if (IsSentenceEnd(cp)) {
      after_end = true;
    }
  }
  cuts.push_back(text.size());
  groups.push_back(piece_group);

  // 2. Identify each piece.
  std::vector<Piece> pieces;
  for (size_t k = 0; k + 1 < cuts.size(); ++k) {
    absl::StatusOr<LanguageGuess> g = Identify(text.substr(cuts[k], cuts[k + 1] - cuts[k]));
    if (!g.ok()) return g.status();
    pieces.push_back({cuts[k], cuts[k + 1], groups[k], *g});
  }

  // 3. Join: a piece without letters goes with a neighbour and takes its answer; neighbours that agree
  // become one; an unreliable piece joins a neighbour written in the same script and the union is identified
  // again (a piece in a script of its own keeps its answer, unreliable as it is). Each join removes a piece,
  // so this ends.
  const auto join = [&](size_t a, bool reidentify, const LanguageGuess& keep) -> absl::Status {
    Piece joined{pieces[a].begin, pieces[a + 1].end, std::max(pieces[a].group, pieces[a + 1].group), keep};
    if (reidentify) {
      absl::StatusOr<LanguageGuess> g = Identify(text.substr(joined.begin, joined.end - joined.begin));
      if (!g.ok()) return g.status();
      joined.guess = *g;
    }
    pieces[a] = joined;
    pieces.erase(pieces.begin() + a + 1);
    return absl::OkStatus();
  };
  bool changed = true;
  while (changed && pieces.size() > 1) {
    changed = false;
    for (size_t k = 0; k < pieces.size() && !changed; ++k) {
      const Piece& p = pieces[k];
      const Piece* prev = k > 0 ? &pieces[k - 1] : nullptr;
      const Piece* next = k + 1 < pieces.size() ? &pieces[k + 1] : nullptr;
      absl::Status s;
      if (p.guess.language == kUndetermined) {
        s = prev ? join(k - 1, false, prev->guess) : join(k, false, next->guess);
        changed = true;
      } else if (prev && prev->guess.language == p.guess.language) {
        LanguageGuess g = p.guess;
        g.probability = std::max(p.guess.probability, prev->guess.probability);
        g.reliable = p.guess.reliable || prev->guess.reliable;
        s = join(k - 1, false, g);
        changed = true;
      } else if (!p.guess.reliable) {
        if (prev && prev->group == p.group) {
          s = join(k - 1, true, p.guess);
          changed = true;
        } else if (next && next->group == p.group) {
          s = join(k, true, p.guess);
          changed = true;
        }
      }
      if (!s.ok()) return s;
    }
  }
  for (const Piece& p : pieces) out->push_back({p.begin, p.end, p.guess});
  return absl::OkStatus();
}

}  // namespace slimnlp
