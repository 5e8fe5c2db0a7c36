#include "slimnlp/sentence_splitter.h"

#include "src/core/classifier.h"
#include "src/core/file_io.h"
#include "src/segment/sentence_features.h"

namespace slimnlp {

struct SentenceSplitter::Impl {
  core::Classifier model;
  std::unique_ptr<segment::SentenceFeaturizer> featurizer;  // Refers to model.spec: built after it is in place.
};

SentenceSplitter::SentenceSplitter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SentenceSplitter::~SentenceSplitter() = default;

absl::StatusOr<std::unique_ptr<SentenceSplitter>> SentenceSplitter::Load(const std::string& path) {
  absl::StatusOr<std::string> bytes = core::ReadFileToString(path, core::kMaxModelFileBytes);
  if (!bytes.ok()) return bytes.status();
  return FromBytes(*bytes, path);
}

absl::StatusOr<std::unique_ptr<SentenceSplitter>> SentenceSplitter::FromBytes(std::string_view bytes,
                                                                              std::string_view source) {
  absl::StatusOr<core::Classifier> model =
      core::Classifier::ParseForTask(bytes, source, segment::kSentenceTask, "sentence splitting");
  if (!model.ok()) return model.status();
  if (model->labels != segment::SentenceLabelNames()) {
    return absl::DataLossError(std::string(source) + ": a sentence splitting model must have the labels no yes");
  }
  auto impl = std::make_unique<Impl>();
  impl->model = *std::move(model);
  impl->featurizer = std::make_unique<segment::SentenceFeaturizer>(impl->model.spec);
  return std::unique_ptr<SentenceSplitter>(new SentenceSplitter(std::move(impl)));
}

void SentenceSplitter::Split(std::string_view text, std::vector<TextSpan>* sentences) const {
  thread_local segment::SplitScratch scratch;
  segment::SplitSentences(impl_->model, *impl_->featurizer, text, &scratch, sentences);
}

std::string SentenceSplitter::language() const { return impl_->model.MetaOr("language", ""); }

}  // namespace slimnlp
