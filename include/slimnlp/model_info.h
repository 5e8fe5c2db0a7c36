// What a model file holds, for `slimnlp info` and for programs that list their models.
#ifndef SLIMNLP_INCLUDE_SLIMNLP_MODEL_INFO_H_
#define SLIMNLP_INCLUDE_SLIMNLP_MODEL_INFO_H_

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace slimnlp {

struct ModelInfo {
  std::string path;
  std::string task;            // "langid", ...
  std::string feature_spec;    // The model's FeatureSpec as text.
  size_t file_bytes = 0;       // On disk.
  size_t memory_bytes = 0;     // Weights and labels once loaded.
  size_t budget_bytes = 0;     // The budget it was trained for (0 if not recorded).
  std::vector<std::string> labels;
  std::map<std::string, std::string> meta;  // Hyperparameters and the training record.
  struct Part {
    std::string name;   // "emb.c3", "dense.0", "labels"
    std::string shape;  // "6000x16 int8 + fp16 scales"
    size_t bytes = 0;   // In memory.
  };
  std::vector<Part> parts;
};

// Loads and checks `path` (every check of a real load) and describes it. Errors as LanguageIdentifier::Load.
absl::StatusOr<ModelInfo> InspectModel(const std::string& path);

}  // namespace slimnlp

#endif  // SLIMNLP_INCLUDE_SLIMNLP_MODEL_INFO_H_
