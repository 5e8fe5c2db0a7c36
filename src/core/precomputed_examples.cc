#include "src/core/precomputed_examples.h"

#include "src/core/rng.h"

namespace slimnlp::core {

PrecomputedExamples::PrecomputedExamples(const FeatureSpec& spec, float prevtag_noise)
    : groups_(spec.groups.size()), prevtag_noise_(prevtag_noise) {
  for (size_t g = 0; g < spec.groups.size(); ++g) {
    if (spec.groups[g].kind == FeatureKind::kPrevTag) prevtag_groups_.push_back({g, spec.groups[g].buckets});
  }
  offsets_.push_back(0);
}

void PrecomputedExamples::Add(const FeatureBags& bags, int label) {
  for (size_t g = 0; g < groups_; ++g) {
    ids_.insert(ids_.end(), bags.ids[g].begin(), bags.ids[g].end());
    offsets_.push_back(static_cast<uint32_t>(ids_.size()));
  }
  labels_.push_back(label);
}

void PrecomputedExamples::Features(size_t i, Rng* rng, FeatureBags* out) const {
  out->Reset(groups_);
  for (size_t g = 0; g < groups_; ++g) {
    out->ids[g].assign(ids_.begin() + offsets_[i * groups_ + g], ids_.begin() + offsets_[i * groups_ + g + 1]);
  }
  if (prevtag_noise_ > 0 && rng->Unit() < prevtag_noise_) {
    for (const auto& [g, buckets] : prevtag_groups_) out->ids[g].assign(1, static_cast<uint32_t>(rng->Below(buckets)));
  }
  if (joint_dropout_ > 0 && rng->Unit() < joint_dropout_) {
    for (size_t g : joint_dropout_groups_) out->ids[g].clear();
  }
}

}  // namespace slimnlp::core
