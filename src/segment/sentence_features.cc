#include "src/segment/sentence_features.h"

#include <unicode/uchar.h>

#include <algorithm>

#include "src/core/conllu.h"
#include "src/core/hash.h"
#include "src/core/text.h"
#include "src/core/utf8.h"
#include "src/segment/gold_tokens.h"
#include "src/segment/seg_features.h"

namespace slimnlp::segment {
namespace {

// The words before and after a place are read up to this many characters, and white space between them up to
// this many: features reach no further (SplitSentences relies on it).
constexpr size_t kLongestWord = 16, kLongestGap = 16;

constexpr uint32_t kShapeIds = 7 * 2 * 2, kNextClassIds = 8, kGapIds = 4;

// The class of the character that follows the white space: case matters ("Smith. He" against "etc. he").
uint32_t NextClass(char32_t cp) {
  if (u_isupper(cp) || u_istitle(cp)) return 1;
  if (u_islower(cp)) return 2;
  switch (core::ClassOf(cp)) {
    case core::CharClass::kLetter:
    case core::CharClass::kMark:
      return 3;
    case core::CharClass::kDigit:
      return 4;
    case core::CharClass::kPunct: {
      const int type = u_charType(cp);
      return type == U_START_PUNCTUATION || type == U_INITIAL_PUNCTUATION || cp == '"' || cp == '\'' ? 5 : 6;
    }
    default:
      return 7;
  }
}

int GroupIndex(const core::FeatureSpec& spec, const char* name) {
  for (size_t g = 0; g < spec.groups.size(); ++g) {
    if (spec.groups[g].name == name && spec.groups[g].kind == core::FeatureKind::kExternal) return static_cast<int>(g);
  }
  return -1;
}

uint32_t HashWord(const char32_t* cps, size_t n, uint32_t seed) {
  char32_t folded[kLongestWord];
  for (size_t k = 0; k < n; ++k) folded[k] = core::NormalizeForFeatures(cps[k]);
  return core::HashCodepoints(folded, n, seed);
}

}  // namespace

const std::vector<std::string>& SentenceLabelNames() {
  static const std::vector<std::string> names = {"no", "yes"};
  return names;
}

std::vector<core::GroupTemplate> SentenceGroups() {
  using core::FeatureKind;
  using core::OwnGroup;
  using core::SharedGroup;
  const auto name = [](const char* base, int offset) {
    return std::string(base) + (offset < 0 ? "" : "+") + std::to_string(offset);
  };
  // Characters around the place (the one before it is offset 0), and n-grams that end on it: the end of the
  // word before, where abbreviations show ("Mr.", "p.m.", "etc.").
  std::vector<core::GroupTemplate> groups = {OwnGroup("u0", FeatureKind::kCharGram, 1, 0, 16, 0.10)};
  for (int d = -3; d <= 3; ++d) {
    if (d != 0) groups.push_back(SharedGroup(name("u", d), "u0", FeatureKind::kCharGram, 1, d));
  }
  groups.push_back(OwnGroup("b0", FeatureKind::kCharGram, 2, 0, 16, 0.15));
  for (int d = -3; d <= 2; ++d) {
    if (d != 0) groups.push_back(SharedGroup(name("b", d), "b0", FeatureKind::kCharGram, 2, d));
  }
  groups.push_back(OwnGroup("t0", FeatureKind::kCharGram, 3, 0, 16, 0.20));
  for (int d = -4; d <= 2; ++d) {
    if (d != 0) groups.push_back(SharedGroup(name("t", d), "t0", FeatureKind::kCharGram, 3, d));
  }
  groups.push_back(OwnGroup("q-3", FeatureKind::kCharGram, 4, -3, 16, 0.10));
  groups.push_back(SharedGroup("q+1", "q-3", FeatureKind::kCharGram, 4, 1));
  groups.push_back(OwnGroup("k0", FeatureKind::kCharClass, 0, 0, 8, 0.01, 64, 1024));
  for (int d : {-1, 1, 2}) groups.push_back(SharedGroup(name("k", d), "k0", FeatureKind::kCharClass, 0, d));
  // The words either side as wholes, and the shapes that decide most places.
  const std::vector<core::GroupTemplate> words = {
      OwnGroup("before", FeatureKind::kExternal, 0, 0, 16, 0.25),
      OwnGroup("after", FeatureKind::kExternal, 0, 0, 16, 0.15),
      OwnGroup("shape", FeatureKind::kExternal, 0, 0, 8, 0.001, kShapeIds, kShapeIds),
      OwnGroup("next", FeatureKind::kExternal, 0, 0, 8, 0.001, kNextClassIds, kNextClassIds),
      OwnGroup("gap", FeatureKind::kExternal, 0, 0, 8, 0.001, kGapIds, kGapIds),
  };
  groups.insert(groups.end(), words.begin(), words.end());
  return groups;
}

bool MayEndAfter(const char32_t* cps, size_t n, size_t i) {
  if (i + 1 >= n || IsSpace(cps[i])) return false;
  const core::CharClass before = core::ClassOf(cps[i]);
  if (before == core::CharClass::kPunct || before == core::CharClass::kSymbol) return true;
  if (!IsSpace(cps[i + 1])) return false;
  // A word, white space, then a word in lower case: no new sentence starts there unless it starts in lower case
  // after no punctuation (1% of sentence ends in English web text, which the model mostly missed). Leaving
  // these places out leaves a quarter of those of running text, and splitting 2.6 times as fast.
  size_t next = i + 1;
  while (next < n && next - i <= kLongestGap && IsSpace(cps[next])) ++next;
  return next == n || !u_islower(cps[next]);
}

SentenceFeaturizer::SentenceFeaturizer(const core::FeatureSpec& spec) : spec_(spec), chars_(spec) {
  before_ = GroupIndex(spec, "before");
  after_ = GroupIndex(spec, "after");
  before_shape_ = GroupIndex(spec, "shape");
  next_class_ = GroupIndex(spec, "next");
  gap_ = GroupIndex(spec, "gap");
}

void SentenceFeaturizer::Extract(const core::CharScratch& chars, const char32_t* cps, size_t n, size_t i,
                                 core::FeatureBags* out) const {
  chars_.Extract(chars, i, nullptr, out);
  size_t word_begin = i;
  while (word_begin > 0 && i - word_begin + 1 < kLongestWord && !IsSpace(cps[word_begin - 1])) --word_begin;
  const size_t word_length = i - word_begin + 1;
  size_t next = i + 1, spaces = 0;
  bool line_break = false;
  while (next < n && spaces < kLongestGap && IsSpace(cps[next])) {
    line_break |= cps[next] == '\n' || cps[next] == '\r' || cps[next] == 0x2029;
    ++next;
    ++spaces;
  }
  size_t next_end = next;
  while (next_end < n && next_end - next < kLongestWord && !IsSpace(cps[next_end])) ++next_end;

  const auto put = [&](int group, uint32_t id) {
    if (group >= 0) out->ids[group].push_back(id % spec_.groups[group].buckets);
  };
  const auto put_hash = [&](int group, const char32_t* word, size_t length) {
    if (group < 0) return;
    const core::FeatureGroupSpec& g = spec_.groups[group];
    out->ids[group].push_back(core::BucketOf(HashWord(word, length, g.seed()), g.buckets));
  };
  put_hash(before_, cps + word_begin, word_length);
  put_hash(after_, cps + next, next_end - next);
  const bool upper = u_isupper(cps[word_begin]) || u_istitle(cps[word_begin]);
  const bool inner_period = std::find(cps + word_begin, cps + i, U'.') != cps + i;
  put(before_shape_, static_cast<uint32_t>(((std::min<size_t>(word_length, 7) - 1) * 2 + upper) * 2 + inner_period));
  put(next_class_, next < n ? NextClass(cps[next]) : 0);
  put(gap_, line_break ? 3 : spaces > 2 ? 2 : static_cast<uint32_t>(spaces));
}

void SplitSentences(const core::Classifier& model, const SentenceFeaturizer& featurizer, std::string_view text,
                    SplitScratch* s, std::vector<TextSpan>* sentences) {
  sentences->clear();
  s->cps.clear();
  s->offsets.clear();
  // Characters are decided a piece at a time; each piece sees kContext characters each side (features reach
  // at most kLongestWord back and kLongestGap + kLongestWord ahead), so memory is bounded whatever the length.
  constexpr size_t kPiece = 4096, kContext = kLongestGap + kLongestWord + 8;
  size_t pos = 0, first = 0, begin = 0, end = 0;
  bool open = false;
  for (;;) {
    while (pos < text.size() && s->cps.size() < first + kPiece + kContext) {
      char32_t cp;
      size_t length;
      if (!core::DecodeUtf8(text, pos, &cp, &length)) {
        cp = 0xFFFD;
        length = 1;
      }
      s->cps.push_back(cp);
      s->offsets.push_back(pos);
      pos += length;
    }
    const size_t n = s->cps.size();
    const bool last = pos >= text.size();
    const size_t decide_end = last ? n : first + kPiece;
    featurizer.Prepare(s->cps.data(), n, &s->chars);
    for (size_t i = first; i < decide_end; ++i) {
      if (IsSpace(s->cps[i])) continue;
      if (!open) begin = s->offsets[i];
      open = true;
      end = i + 1 < n ? s->offsets[i + 1] : pos;
      if (!MayEndAfter(s->cps.data(), n, i)) continue;
      featurizer.Extract(s->chars, s->cps.data(), n, i, &s->bags);
      if (model.PredictBest(s->bags, &s->net) == kEnds) {
        sentences->push_back({begin, end});
        open = false;
      }
    }
    if (last) break;
    const size_t keep_from = decide_end - kContext;
    s->cps.erase(s->cps.begin(), s->cps.begin() + keep_from);
    s->offsets.erase(s->offsets.begin(), s->offsets.begin() + keep_from);
    first = decide_end - keep_from;
  }
  if (open) sentences->push_back({begin, end});
}

absl::StatusOr<std::vector<GoldParagraph>> ReadGoldParagraphs(const std::string& path,
                                                             const SentenceTextOptions& options) {
  absl::StatusOr<std::vector<core::ConlluSentence>> conllu = core::ReadConllu(path);
  if (!conllu.ok()) return conllu.status();
  const auto starts_paragraph = [](const core::ConlluSentence& s) {
    return std::any_of(s.comments.begin(), s.comments.end(), [](const std::string& c) {
      return c.rfind("# newpar", 0) == 0 || c.rfind("# newdoc", 0) == 0;
    });
  };
  const bool marked = std::any_of(conllu->begin(), conllu->end(), starts_paragraph);
  const JoinRule rule = options.join_without_spaces ? JoinRule::kNothing : JoinRule::kSpaceAfter;
  std::vector<GoldParagraph> paragraphs;
  size_t in_paragraph = 0;
  for (const core::ConlluSentence& sentence : *conllu) {
    if (sentence.words.empty()) continue;
    std::string text = sentence.Text();
    if (text.empty()) {
      absl::StatusOr<GoldText> gold = GoldTokens(sentence, rule);
      if (gold.ok()) text = std::move(gold->text);
    }
    const size_t b = text.find_first_not_of(" \t\r\n"), e = text.find_last_not_of(" \t\r\n");
    if (b == std::string::npos) continue;
    text = text.substr(b, e + 1 - b);
    const bool cut = marked ? starts_paragraph(sentence)
                            : in_paragraph >= static_cast<size_t>(std::max(1, options.sentences_per_paragraph));
    if (paragraphs.empty() || cut) {
      paragraphs.emplace_back();
      in_paragraph = 0;
    }
    GoldParagraph& p = paragraphs.back();
    if (!p.text.empty() && !options.join_without_spaces) p.text += ' ';
    p.sentences.push_back({p.text.size(), p.text.size() + text.size()});
    p.text += text;
    ++in_paragraph;
  }
  return paragraphs;
}

}  // namespace slimnlp::segment
