// Training examples whose features are extracted once, up front, and kept as flat id arrays: sequence tasks
// (tagging, segmentation) extract with the gold labels of earlier positions (teacher forcing), so the features
// never change between epochs.
#ifndef SLIMNLP_SRC_CORE_PRECOMPUTED_EXAMPLES_H_
#define SLIMNLP_SRC_CORE_PRECOMPUTED_EXAMPLES_H_

#include <utility>
#include <vector>

#include "src/core/trainer.h"

namespace slimnlp::core {

class PrecomputedExamples : public ExampleSource {
 public:
  // `prevtag_noise`: share of examples whose prevtag features are replaced by random labels when served, so
  // the model learns not to trust them blindly: at inference they are its own, sometimes wrong, guesses.
  PrecomputedExamples(const FeatureSpec& spec, float prevtag_noise);

  void Add(const FeatureBags& bags, int label);
  // Each served example has, with probability `rate`, all of `groups` emptied at once: for a tagger, every
  // feature of the word's own form, so that it learns to tag a word it has never seen from what else it knows
  // (context, shape, dictionary). Draws nothing from the generator when `rate` is 0.
  void SetJointDropout(std::vector<size_t> groups, float rate) {
    joint_dropout_groups_ = std::move(groups);
    joint_dropout_ = rate;
  }

  size_t size() const override { return labels_.size(); }
  int Label(size_t i) const override { return labels_[i]; }
  void Features(size_t i, Rng* rng, FeatureBags* out) const override;

 private:
  size_t groups_;
  float prevtag_noise_;
  std::vector<size_t> joint_dropout_groups_;
  float joint_dropout_ = 0;
  std::vector<std::pair<size_t, uint32_t>> prevtag_groups_;  // (group, buckets)
  std::vector<uint32_t> ids_;
  std::vector<uint32_t> offsets_;  // offsets_[i * groups + g] .. [.. + 1]: ids of group g of example i.
  std::vector<int> labels_;
};

}  // namespace slimnlp::core

#endif  // SLIMNLP_SRC_CORE_PRECOMPUTED_EXAMPLES_H_
