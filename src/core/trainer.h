// Trains a Classifier: float weights, mini-batch Adam (lazy, row-wise for the embedding tables, which only
// see the rows a batch touched), early stopping on dev accuracy, then quantization. Single-threaded on
// purpose: a seed then fixes the model bit for bit.
#ifndef SLIMNLP_SRC_CORE_TRAINER_H_
#define SLIMNLP_SRC_CORE_TRAINER_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "src/core/classifier.h"
#include "src/core/rng.h"
#include "src/core/text_features.h"

namespace slimnlp::core {

// Where training examples come from. Features() may augment with `rng` (training) or ignore it (dev).
class ExampleSource {
 public:
  virtual ~ExampleSource() = default;
  virtual size_t size() const = 0;
  virtual int Label(size_t i) const = 0;
  virtual void Features(size_t i, Rng* rng, FeatureBags* out) const = 0;
};

struct TrainerOptions {
  std::vector<int> hidden = {208};  // Hidden layer widths (0, 1 or 2 layers).
  int max_epochs = 10;              // Default: 10.
  int patience = 2;                 // Stop after this many epochs without a better dev accuracy. Default: 2.
  int batch_size = 32;              // Default: 32.
  float learning_rate = 0.003f;     // Adam step size at the start; decays linearly to 10% of it. Default: 0.003.
  uint64_t seed = 1;                // Default: 1.
  // Each feature group of each training example is left out with this probability (its input is zero), so
  // the network cannot lean on one group alone: with word features, rare words must be read from their
  // characters. Default: 0.
  float group_dropout = 0;
  // Embedding rows start uniform in [-x, x]. Rows that training never touches keep these values, and at
  // inference an unseen feature that hashes there reads them: a small x makes such rows near-silent, as a
  // dropped group is in training. Default: 0.5.
  float embedding_init = 0.5f;
  // If > 0, dev selection and the returned model use an exponential moving average of the weights over the
  // steps (decay per step), which smooths the noise of the last updates. Default: 0 (off).
  float ema_decay = 0;
  // Progress lines ("epoch 3/10 ... dev acc 0.961"); null for silence.
  std::function<void(const std::string&)> progress;
};

struct TrainReport {
  int epochs_run = 0;
  int best_epoch = 0;
  double dev_accuracy_float = 0;      // Best epoch, before quantization.
  double dev_accuracy_quantized = 0;  // The returned model.
  double seconds = 0;
};

// Trains on `train`, selects the epoch by accuracy on `dev`, quantizes. The returned classifier has `spec`,
// `labels`, the tables and layers, and meta "hidden"; the caller adds task and other meta.
absl::StatusOr<Classifier> TrainClassifier(const FeatureSpec& spec, const std::vector<std::string>& labels,
                                           const ExampleSource& train, const ExampleSource& dev,
                                           const TrainerOptions& options, TrainReport* report);

// Writes what every trained model records in its meta: icu_version, budget_bytes, and train.data, train.dev,
// train.seed, train.epochs ("N (best M)"), train.command (cut at 2 KiB).
void RecordTraining(const TrainReport& report, size_t budget_bytes, const std::string& train_path,
                    const std::string& dev_path, uint64_t seed, const std::string& command, Classifier* model);

// Accuracy of `model` on `data` (no augmentation).
double EvaluateAccuracy(const Classifier& model, const ExampleSource& data);

}  // namespace slimnlp::core

#endif  // SLIMNLP_SRC_CORE_TRAINER_H_
