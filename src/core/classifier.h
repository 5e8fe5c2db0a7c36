// The engine's model: a FeatureSpec, one quantized embedding table per feature group, and a small
// feed-forward network over the concatenated group averages:
//
//   input = [ mean of table_g rows over the ids of group g ]  for each group g
//   h_k   = ReLU(h_{k-1} W_k + b_k)                           0, 1 or 2 hidden layers
//   p     = softmax(h W_out + b_out)                          over `labels`
//
// A model may also carry a lexicon (lexicon.h), a set of words its clex feature groups look up.
//
// Every task is this plus its own extractor and decoder. A Classifier is immutable once built: Predict is
// const and thread-safe; each thread passes its own scratch.
#ifndef SLIMNLP_SRC_CORE_CLASSIFIER_H_
#define SLIMNLP_SRC_CORE_CLASSIFIER_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "src/core/feature_spec.h"
#include "src/core/lexicon.h"
#include "src/core/model_file.h"
#include "src/core/model_limits.h"
#include "src/core/quantized.h"
#include "src/core/text_features.h"

namespace slimnlp::core {

// Buffers Predict uses; one per thread. They grow on the first calls and are then reused.
struct ClassifierScratch {
  std::vector<float> a;
  std::vector<float> b;
  std::vector<int8_t> q;
  std::vector<RowRef> rows;
};

struct Classifier {
 private:
  // Runs the network; returns the logits (in scratch).
  const float* Logits(const FeatureBags& bags, ClassifierScratch* scratch) const;

 public:
  std::string task;                           // e.g. "langid"; loaders check it.
  std::map<std::string, std::string> meta;    // Hyperparameters, options and training record (text).
  FeatureSpec spec;
  std::vector<std::string> labels;
  std::vector<QuantizedTable> tables;         // One per table-owning spec group (FeatureSpec::TableOwners).
  std::vector<int> table_of;                  // FeatureSpec::TableOf(), kept so Predict need not compute it.
  std::vector<QuantizedDense> layers;         // Hidden layers, then the output layer.
  Lexicon lexicon;                            // Empty unless the spec has clex groups.

  // Writes the probability of each label into `probs[0..labels.size())`. Groups without ids contribute zeros.
  void Predict(const FeatureBags& bags, ClassifierScratch* scratch, float* probs) const;
  // The index of the most probable label, without computing the probabilities.
  int PredictBest(const FeatureBags& bags, ClassifierScratch* scratch) const;

  // Bytes of weights and labels held in memory (what the memory budget bounds).
  size_t MemoryBytes() const;

  // The file image (model_file.h container) and its inverse. `source` names the data in errors.
  std::string Serialize(int zstd_level = 19) const;
  static absl::StatusOr<Classifier> Parse(std::string_view file, std::string_view source);
  // Reads and parses `path`; refuses files over 64 MiB.
  static absl::StatusOr<Classifier> Load(const std::string& path);
  // Parse / Load that also require the model's task to be `task`: InvalidArgument ("X is a 'langid' model, not
  // a <description> model") otherwise.
  static absl::StatusOr<Classifier> ParseForTask(std::string_view file, std::string_view source,
                                                 std::string_view task, std::string_view description);
  static absl::StatusOr<Classifier> LoadForTask(const std::string& path, std::string_view task,
                                                std::string_view description);
  // Writes atomically (file_io.h).
  absl::Status Save(const std::string& path) const;

  std::string MetaOr(const std::string& key, std::string fallback) const;
};

// Serializes `model`, checks that the file and the loaded model fit `budget_bytes` (InternalError if not: the
// budget fitter should have made sure), and writes it atomically to `path`. Returns the file's size; the
// memory size is model.MemoryBytes().
absl::StatusOr<size_t> SaveWithinBudget(const Classifier& model, size_t budget_bytes, const std::string& path);

// Hidden layer widths of a model, from its meta "hidden" key ("208" or "256,128"; empty for none).
std::vector<int> HiddenSizes(const Classifier& model);

}  // namespace slimnlp::core

#endif  // SLIMNLP_SRC_CORE_CLASSIFIER_H_
