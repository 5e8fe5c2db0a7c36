#include "src/segment/seg_features.h"

#include "src/core/text.h"

namespace slimnlp::segment {

const std::vector<std::string>& LabelNames() {
  static const std::vector<std::string> names = {"B", "I", "E", "S", "O"};
  return names;
}

std::vector<core::GroupTemplate> DefaultGroups(bool lexicon, int window) {
  using core::FeatureKind;
  using core::OwnGroup;
  using core::SharedGroup;
  const uint32_t label_buckets = static_cast<uint32_t>(LabelNames().size() + 1);
  // Characters `window` each side, one table; the bigrams within that reach and trigrams across and around the
  // character: the conjunctions that decide a boundary.
  std::vector<core::GroupTemplate> groups = {OwnGroup("u0", FeatureKind::kCharGram, 1, 0, 16, 0.15)};
  const auto name = [](const char* base, int offset) {
    return std::string(base) + (offset < 0 ? "" : "+") + std::to_string(offset);
  };
  for (int d = -window; d <= window; ++d) {
    if (d != 0) groups.push_back(SharedGroup(name("u", d), "u0", FeatureKind::kCharGram, 1, d));
  }
  groups.push_back(OwnGroup("b0", FeatureKind::kCharGram, 2, 0, 16, 0.45));
  for (int d = -window; d < window; ++d) {
    if (d != 0) groups.push_back(SharedGroup(name("b", d), "b0", FeatureKind::kCharGram, 2, d));
  }
  const std::vector<core::GroupTemplate> rest = {
      OwnGroup("t0", FeatureKind::kCharGram, 3, 0, 16, 0.40),
      SharedGroup("t-2", "t0", FeatureKind::kCharGram, 3, -2),
      SharedGroup("t-1", "t0", FeatureKind::kCharGram, 3, -1),
      // Character classes and scripts around it: where Han meets Latin, digits or punctuation.
      OwnGroup("k0", FeatureKind::kCharClass, 0, 0, 8, 0.01, 64, 1024),
      SharedGroup("k-1", "k0", FeatureKind::kCharClass, 0, -1),
      SharedGroup("k+1", "k0", FeatureKind::kCharClass, 0, 1),
      // The labels already chosen for the two characters before.
      OwnGroup("l-1", FeatureKind::kPrevTag, 0, -1, 8, 0.001, label_buckets, label_buckets),
      OwnGroup("l-2", FeatureKind::kPrevTag, 0, -2, 8, 0.001, label_buckets, label_buckets),
  };
  groups.insert(groups.end(), rest.begin(), rest.end());
  if (lexicon) {
    // Which lexicon words begin, end or run across the character and its neighbours, and how common they are.
    groups.push_back(OwnGroup("x0", FeatureKind::kCharLexicon, 5, 0, 8, 0.1, 512, 4096));
    groups.push_back(SharedGroup("x-1", "x0", FeatureKind::kCharLexicon, 5, -1));
    groups.push_back(SharedGroup("x+1", "x0", FeatureKind::kCharLexicon, 5, 1));
    groups.push_back(SharedGroup("x-2", "x0", FeatureKind::kCharLexicon, 5, -2));
    groups.push_back(SharedGroup("x+2", "x0", FeatureKind::kCharLexicon, 5, 2));
  }
  return groups;
}

bool IsSpace(char32_t cp) {
  // Below 0x80 only the C0 white space; ICU's class would also take U+001C..U+001F, which are not white space
  // in Unicode and must stay inside tokens (nothing is dropped from the text).
  if (cp < 0x80) return cp == ' ' || (cp >= '\t' && cp <= '\r');
  return core::ClassOf(cp) == core::CharClass::kSpace;
}

namespace {

// After a B or I only I or E; otherwise (or at the start) only B, S or O.
bool Allowed(int previous, int label) {
  const bool inside = previous == kB || previous == kI;
  return inside ? (label == kI || label == kE) : (label == kB || label == kS || label == kO);
}

}  // namespace

void LabelGreedy(const core::Classifier& model, const core::CharFeaturizer& featurizer, const char32_t* cps,
                 size_t n, Scratch* s, size_t known, bool spaces_in_tokens) {
  featurizer.Prepare(cps, n, &s->chars);
  s->tags.resize(n, kO);
  s->probs.resize(model.labels.size());
  for (size_t i = known; i < n; ++i) {
    const int previous = i > 0 ? s->tags[i - 1] : kO;
    if (!spaces_in_tokens && IsSpace(cps[i])) {
      s->tags[i] = kO;
      continue;
    }
    featurizer.Extract(s->chars, i, s->tags.data(), &s->bags);
    model.Predict(s->bags, &s->net, s->probs.data());
    int best = -1;
    for (int label = 0; label < static_cast<int>(s->probs.size()); ++label) {
      if (Allowed(previous, label) && (best < 0 || s->probs[label] > s->probs[best])) best = label;
    }
    s->tags[i] = best;
  }
}

void SpanBuilder::Close() {
  if (open_) out_->push_back({open_begin_, last_end_});
  open_ = false;
}

void SpanBuilder::Add(int label, size_t begin, size_t end) {
  switch (label) {
    case kB:
    case kS:
      Close();
      open_ = true;
      open_begin_ = begin;
      break;
    case kI:
    case kE:
      if (!open_) {
        open_ = true;
        open_begin_ = begin;
      }
      break;
    default:
      Close();
      break;
  }
  last_end_ = end;
  if (label == kE || label == kS) Close();
}

void SpanBuilder::Finish() { Close(); }

void LabelsFromSpans(const std::vector<TextSpan>& tokens, const uint32_t* offsets, size_t n,
                     std::vector<int>* labels) {
  labels->assign(n, kO);
  size_t t = 0;
  for (size_t i = 0; i < n; ++i) {
    while (t < tokens.size() && tokens[t].end <= offsets[i]) ++t;
    if (t == tokens.size() || offsets[i] < tokens[t].begin) continue;
    const bool first = offsets[i] == tokens[t].begin;
    const bool last = offsets[i + 1] >= tokens[t].end;
    (*labels)[i] = first ? (last ? kS : kB) : (last ? kE : kI);
  }
}

size_t CountMatches(const std::vector<TextSpan>& gold, const std::vector<TextSpan>& predicted) {
  size_t g = 0, matches = 0;
  for (const TextSpan& p : predicted) {
    while (g < gold.size() && gold[g].begin < p.begin) ++g;
    if (g < gold.size() && gold[g] == p) ++matches;
  }
  return matches;
}

double F1(size_t correct, size_t gold, size_t predicted) {
  if (correct == 0) return 0;
  const double precision = static_cast<double>(correct) / predicted, recall = static_cast<double>(correct) / gold;
  return 2 * precision * recall / (precision + recall);
}

}  // namespace slimnlp::segment
