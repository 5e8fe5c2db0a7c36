#include <algorithm>

#include "absl/strings/str_format.h"
#include "slimnlp/langid.h"
#include "src/core/classifier.h"
#include "src/core/file_io.h"
#include "src/core/utf8.h"
#include "src/langid/langid_features.h"
#include "src/langid/name_like.h"

namespace slimnlp {

struct LanguageIdentifier::Impl {
  core::Classifier model;
};

namespace {

langid::Scratch& ThreadScratch() {
  thread_local langid::Scratch scratch;
  return scratch;
}

}  // namespace

LanguageIdentifier::LanguageIdentifier(std::unique_ptr<Impl> impl, const LangIdOptions& options)
    : impl_(std::move(impl)), options_(options) {}
LanguageIdentifier::~LanguageIdentifier() = default;

absl::StatusOr<std::unique_ptr<LanguageIdentifier>> LanguageIdentifier::FromBytes(std::string_view bytes,
                                                                                 std::string_view source,
                                                                                 const LangIdOptions& options) {
  absl::StatusOr<core::Classifier> model =
      core::Classifier::ParseForTask(bytes, source, langid::kTask, "language identification");
  if (!model.ok()) return model.status();
  auto impl = std::make_unique<Impl>();
  impl->model = *std::move(model);
  return std::unique_ptr<LanguageIdentifier>(new LanguageIdentifier(std::move(impl), options));
}

absl::StatusOr<std::unique_ptr<LanguageIdentifier>> LanguageIdentifier::Load(const std::string& path,
                                                                            const LangIdOptions& options) {
  absl::StatusOr<std::string> bytes = core::ReadFileToString(path, core::kMaxModelFileBytes);
  if (!bytes.ok()) return bytes.status();
  return FromBytes(*bytes, path, options);
}

const std::vector<std::string>& LanguageIdentifier::languages() const { return impl_->model.labels; }

namespace {

// What is read of a text longer than `max_bytes`: kParts evenly spaced parts of max_bytes / kParts bytes each,
// from its start to its end, each starting after a space where one is near and cut at a UTF-8 boundary, joined
// by a space: the whole document is judged, at the cost of its first max_bytes. Shorter texts are read whole.
constexpr size_t kParts = 4;

std::string_view SampleEvenly(std::string_view text, size_t max_bytes, std::string* buffer) {
  if (text.size() <= max_bytes) return text;
  const size_t part = (max_bytes - (kParts - 1)) / kParts;  // Room for the spaces between parts.
  if (part < 64) return text.substr(0, core::Utf8SafePrefix(text, max_bytes));
  buffer->clear();
  for (size_t k = 0; k < kParts; ++k) {
    size_t begin = (text.size() - part) * k / (kParts - 1);
    if (k > 0) {
      // Start at the next word, or at least at the next character.
      const size_t space = text.substr(begin, 32).find(' ');
      begin += space == std::string_view::npos ? 0 : space + 1;
      while (begin < text.size() && (static_cast<unsigned char>(text[begin]) & 0xC0) == 0x80) ++begin;
    }
    const std::string_view rest = text.substr(begin);
    if (!buffer->empty()) buffer->push_back(' ');
    buffer->append(rest.substr(0, core::Utf8SafePrefix(rest, part)));
  }
  return *buffer;
}

}  // namespace

absl::Status LanguageIdentifier::IdentifyTopK(std::string_view text, int k, std::vector<LanguageGuess>* out) const {
  out->clear();
  thread_local std::string sampled;
  text = SampleEvenly(text, options_.max_text_bytes, &sampled);
  if (absl::Status s = core::ValidateUtf8(text); !s.ok()) return s;
  langid::Scratch& scratch = ThreadScratch();
  const core::Classifier& model = impl_->model;
  const size_t letters = langid::ExtractLangIdFeatures(model.spec, text, options_.max_text_bytes, &scratch);
  if (letters == 0) {
    out->push_back({kUndetermined, 0.0f, false});
    return absl::OkStatus();
  }
  scratch.probs.resize(model.labels.size());
  model.Predict(scratch.bags, &scratch.net, scratch.probs.data());
  const bool name_like = langid::LooksLikeName(text);
  const int n = static_cast<int>(model.labels.size());
  k = std::clamp(k, 1, n);
  for (int rank = 0; rank < k; ++rank) {
    // k is small (usually 1-5): repeated selection beats sorting all labels and needs no index buffer.
    int best = -1;
    for (int i = 0; i < n; ++i) {
      if (scratch.probs[i] < 0) continue;
      if (best < 0 || scratch.probs[i] > scratch.probs[best]) best = i;
    }
    const float p = scratch.probs[best];
    out->push_back({model.labels[best], p, p >= options_.reliability_threshold && letters >= options_.min_reliable_letters &&
                                               !name_like});
    scratch.probs[best] = -1;  // Taken.
  }
  return absl::OkStatus();
}

absl::StatusOr<LanguageGuess> LanguageIdentifier::Identify(std::string_view text) const {
  thread_local std::vector<LanguageGuess> top;
  if (absl::Status s = IdentifyTopK(text, 1, &top); !s.ok()) return s;
  return top.front();
}

}  // namespace slimnlp
