#include "slimnlp/model_info.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "src/core/classifier.h"
#include "src/core/file_io.h"

namespace slimnlp {

absl::StatusOr<ModelInfo> InspectModel(const std::string& path) {
  absl::StatusOr<std::string> bytes = core::ReadFileToString(path, core::kMaxModelFileBytes);
  if (!bytes.ok()) return bytes.status();
  absl::StatusOr<core::Classifier> model = core::Classifier::Parse(*bytes, path);
  if (!model.ok()) return model.status();
  ModelInfo info;
  info.path = path;
  info.task = model->task;
  info.feature_spec = model->spec.ToString();
  info.file_bytes = bytes->size();
  info.memory_bytes = model->MemoryBytes();
  info.labels = model->labels;
  info.meta = model->meta;
  uint64_t budget = 0;
  if (absl::SimpleAtoi(model->MetaOr("budget_bytes", "0"), &budget)) info.budget_bytes = budget;
  const std::vector<size_t> owners = model->spec.TableOwners();
  for (size_t g = 0; g < model->tables.size(); ++g) {
    const auto& t = model->tables[g];
    info.parts.push_back({"emb." + model->spec.groups[owners[g]].name,
                          absl::StrFormat("%dx%d int%d + fp16 scales", t.rows, t.cols, t.bits), t.MemoryBytes()});
  }
  for (size_t k = 0; k < model->layers.size(); ++k) {
    const auto& l = model->layers[k];
    info.parts.push_back({absl::StrFormat("dense.%d", k),
                          absl::StrFormat("%dx%d int8 + float scales and biases", l.in, l.out), l.MemoryBytes()});
  }
  size_t label_bytes = 0;
  for (const auto& l : model->labels) label_bytes += l.size() + sizeof(std::string);
  info.parts.push_back({"labels", absl::StrFormat("%d labels", model->labels.size()), label_bytes});
  if (!model->lexicon.empty()) {
    info.parts.push_back({"lexicon",
                          absl::StrFormat("%d words, Bloom filter, %d class bits", model->lexicon.words(),
                                          model->lexicon.class_bits()),
                          model->lexicon.MemoryBytes()});
  }
  return info;
}

}  // namespace slimnlp
