#include <algorithm>

#include "absl/strings/str_format.h"
#include "slimnlp/tagger.h"
#include "src/core/classifier.h"
#include "src/core/file_io.h"
#include "src/core/text.h"
#include "src/core/utf8.h"
#include "src/pos/pos_features.h"

namespace slimnlp {

struct Tagger::Impl {
  core::Classifier model;
  std::unique_ptr<core::TokenFeaturizer> featurizer;  // Refers to model.spec: built after it is in place.
};

namespace {
pos::Scratch& ThreadScratch() {
  thread_local pos::Scratch scratch;
  return scratch;
}
}  // namespace

Tagger::Tagger(std::unique_ptr<Impl> impl, const TaggerOptions& options) : impl_(std::move(impl)), options_(options) {}
Tagger::~Tagger() = default;

absl::StatusOr<std::unique_ptr<Tagger>> Tagger::Load(const std::string& path, const TaggerOptions& options) {
  absl::StatusOr<std::string> bytes = core::ReadFileToString(path, core::kMaxModelFileBytes);
  if (!bytes.ok()) return bytes.status();
  return FromBytes(*bytes, path, options);
}

absl::StatusOr<std::unique_ptr<Tagger>> Tagger::FromBytes(std::string_view bytes, std::string_view source,
                                                          const TaggerOptions& options) {
  absl::StatusOr<core::Classifier> model = core::Classifier::ParseForTask(bytes, source, pos::kTask, "part-of-speech");
  if (!model.ok()) return model.status();
  auto impl = std::make_unique<Impl>();
  impl->model = *std::move(model);
  impl->featurizer = std::make_unique<core::TokenFeaturizer>(impl->model.spec, &impl->model.lexicon);
  return std::unique_ptr<Tagger>(new Tagger(std::move(impl), options));
}

const std::vector<std::string>& Tagger::tag_set() const { return impl_->model.labels; }

absl::Status Tagger::Tag(const std::vector<std::string_view>& tokens, std::vector<std::string_view>* tags) const {
  tags->clear();
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (tokens[i].empty()) return absl::InvalidArgumentError(absl::StrFormat("token %d is empty", i + 1));
    if (absl::Status s = core::ValidateUtf8(tokens[i]); !s.ok()) {
      return absl::InvalidArgumentError(absl::StrFormat("token %d: %s", i + 1, s.message()));
    }
  }
  pos::Scratch& scratch = ThreadScratch();
  thread_local std::vector<std::string_view> piece;
  thread_local std::vector<int> carried;
  // Each piece is tagged with kContext tokens of the previous piece before it (their tags kept, for the
  // window and prevtag features) and kContext tokens after it (tagged, then dropped), so a cut costs no
  // accuracy: features reach at most kContext tokens away.
  constexpr size_t kContext = 4;
  const size_t cap = std::max<size_t>(1, options_.max_sentence_tokens);
  for (size_t start = 0; start < tokens.size(); start += cap) {
    const size_t end = std::min(tokens.size(), start + cap);
    const size_t from = start >= kContext ? start - kContext : 0;
    const size_t to = std::min(tokens.size(), end + kContext);
    piece.assign(tokens.begin() + from, tokens.begin() + to);
    scratch.tags.assign(carried.begin(), carried.end());
    pos::TagGreedy(impl_->model, *impl_->featurizer, piece, &scratch, start - from);
    for (size_t i = start; i < end; ++i) tags->push_back(impl_->model.labels[scratch.tags[i - from]]);
    carried.assign(scratch.tags.begin() + (end - from) - std::min(kContext, end - from),
                   scratch.tags.begin() + (end - from));
  }
  return absl::OkStatus();
}

std::vector<std::string_view> SimpleTokenize(std::string_view text) {
  std::vector<std::string_view> tokens;
  size_t pos = 0;
  size_t word_start = std::string_view::npos;
  const auto is_word_char = [](core::CharClass c) {
    return c == core::CharClass::kLetter || c == core::CharClass::kDigit || c == core::CharClass::kMark;
  };
  const auto class_at = [&](size_t at, size_t* len) {
    char32_t cp;
    if (at >= text.size() || !core::DecodeUtf8(text, at, &cp, len)) {
      *len = 1;
      return core::CharClass::kOther;
    }
    return core::ClassOf(cp);
  };
  while (pos < text.size()) {
    size_t len;
    const core::CharClass cls = class_at(pos, &len);
    if (is_word_char(cls)) {
      if (word_start == std::string_view::npos) word_start = pos;
      pos += len;
      continue;
    }
    // Apostrophes, hyphens and periods inside a word ("don't", "e-mail", "U.S.") stay in it when a word
    // character follows; a period after a single letter ("U.S.") stays too.
    const char c = text[pos];
    if (word_start != std::string_view::npos && (c == '\'' || c == '-' || c == '.')) {
      size_t next_len;
      const bool joins = is_word_char(class_at(pos + 1, &next_len));
      const bool abbreviation = c == '.' && pos >= 2 && text[pos - 2] == '.';
      if (joins || abbreviation) {
        pos += 1;
        continue;
      }
    }
    if (word_start != std::string_view::npos) {
      tokens.push_back(text.substr(word_start, pos - word_start));
      word_start = std::string_view::npos;
    }
    if (cls != core::CharClass::kSpace) tokens.push_back(text.substr(pos, len));
    pos += len;
  }
  if (word_start != std::string_view::npos) tokens.push_back(text.substr(word_start));
  return tokens;
}

}  // namespace slimnlp
