#include <algorithm>

#include "slimnlp/segmenter.h"
#include "src/core/classifier.h"
#include "src/core/file_io.h"
#include "src/core/utf8.h"
#include "src/segment/multiword.h"
#include "src/segment/seg_features.h"

namespace slimnlp {

struct Segmenter::Impl {
  core::Classifier model;
  std::unique_ptr<core::CharFeaturizer> featurizer;  // Refers to model.spec: built after it is in place.
  bool spaces_in_tokens = false;
  std::unique_ptr<segment::MultiwordTable> multiword;
};

namespace {

struct PieceScratch {
  segment::Scratch labels;
  std::vector<char32_t> cps;
  std::vector<size_t> offsets;
};

PieceScratch& ThreadScratch() {
  thread_local PieceScratch scratch;
  return scratch;
}

// Appends the character at `*pos` (U+FFFD for an invalid byte, which then counts as one character).
void DecodeOne(std::string_view text, size_t* pos, PieceScratch* s) {
  char32_t cp;
  size_t len;
  if (!core::DecodeUtf8(text, *pos, &cp, &len)) {
    cp = 0xFFFD;
    len = 1;
  }
  s->cps.push_back(cp);
  s->offsets.push_back(*pos);
  *pos += len;
}

}  // namespace

Segmenter::Segmenter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Segmenter::~Segmenter() = default;

absl::StatusOr<std::unique_ptr<Segmenter>> Segmenter::Load(const std::string& path) {
  absl::StatusOr<std::string> bytes = core::ReadFileToString(path, core::kMaxModelFileBytes);
  if (!bytes.ok()) return bytes.status();
  return FromBytes(*bytes, path);
}

absl::StatusOr<std::unique_ptr<Segmenter>> Segmenter::FromBytes(std::string_view bytes, std::string_view source) {
  absl::StatusOr<core::Classifier> model = core::Classifier::ParseForTask(bytes, source, segment::kTask, "segmentation");
  if (!model.ok()) return model.status();
  if (model->labels != segment::LabelNames()) {
    return absl::DataLossError(std::string(source) + ": a segmentation model must have the labels B I E S O");
  }
  auto impl = std::make_unique<Impl>();
  impl->model = *std::move(model);
  impl->featurizer = std::make_unique<core::CharFeaturizer>(impl->model.spec, &impl->model.lexicon);
  impl->spaces_in_tokens = impl->model.MetaOr("spaces_in_tokens", "0") == "1";
  impl->multiword = std::make_unique<segment::MultiwordTable>(impl->model.MetaOr(segment::kMultiwordMetaKey, ""));
  return std::unique_ptr<Segmenter>(new Segmenter(std::move(impl)));
}

bool Segmenter::ExpandMultiword(std::string_view token, std::vector<std::string>* words) const {
  return impl_->multiword->Expand(token, words);
}

void Segmenter::SegmentWords(std::string_view text, std::vector<std::string>* words) const {
  words->clear();
  thread_local std::vector<TextSpan> spans;
  thread_local std::vector<std::string> expanded;
  Segment(text, &spans);
  for (const TextSpan& s : spans) {
    const std::string_view token = text.substr(s.begin, s.end - s.begin);
    if (ExpandMultiword(token, &expanded)) {
      words->insert(words->end(), expanded.begin(), expanded.end());
    } else {
      words->emplace_back(token);
    }
  }
}

std::string Segmenter::language() const { return impl_->model.MetaOr("language", ""); }

void Segmenter::Segment(std::string_view text, std::vector<TextSpan>* tokens) const {
  tokens->clear();
  PieceScratch& s = ThreadScratch();
  s.cps.clear();
  s.offsets.clear();
  s.labels.tags.clear();
  segment::SpanBuilder spans(tokens);
  // Each piece is labelled with up to kContext characters of the previous piece before it (their labels kept)
  // and kContext after it (labelled, then dropped): features reach at most a few characters away.
  constexpr size_t kContext = 8;
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t known = s.cps.size();
    while (pos < text.size() && s.cps.size() < known + kPieceCharacters) DecodeOne(text, &pos, &s);
    const size_t own_end = s.cps.size();
    size_t ahead = pos;
    for (size_t k = 0; k < kContext && ahead < text.size(); ++k) DecodeOne(text, &ahead, &s);
    segment::LabelGreedy(impl_->model, *impl_->featurizer, s.cps.data(), s.cps.size(), &s.labels, known,
                         impl_->spaces_in_tokens);
    for (size_t i = known; i < own_end; ++i) {
      spans.Add(s.labels.tags[i], s.offsets[i], i + 1 < own_end ? s.offsets[i + 1] : pos);
    }
    const size_t keep_from = own_end - std::min(kContext, own_end);
    s.cps.erase(s.cps.begin(), s.cps.begin() + keep_from);
    s.offsets.erase(s.offsets.begin(), s.offsets.begin() + keep_from);
    s.labels.tags.erase(s.labels.tags.begin(), s.labels.tags.begin() + keep_from);
    s.cps.resize(own_end - keep_from);
    s.offsets.resize(own_end - keep_from);
    s.labels.tags.resize(own_end - keep_from);
  }
  spans.Finish();
}

}  // namespace slimnlp
