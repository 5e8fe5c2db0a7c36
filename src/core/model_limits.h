// What a model file may hold, in one place: the loader (classifier.cc) refuses anything past these, and every
// trainer checks its options against the same numbers before it starts (budget.cc's FitToBudget, the CLI's
// option checks), so that no training run can write a model its own loader then refuses.
#ifndef SLIMNLP_SRC_CORE_MODEL_LIMITS_H_
#define SLIMNLP_SRC_CORE_MODEL_LIMITS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"

namespace slimnlp::core {

inline constexpr int kMaxHiddenWidth = 4096;      // Units in one hidden layer.
inline constexpr size_t kMaxHiddenLayers = 2;
inline constexpr uint64_t kMaxModelFileBytes = uint64_t{64} << 20;  // Loaders refuse larger files.

// InvalidArgument unless `hidden` is at most kMaxHiddenLayers widths of 1..kMaxHiddenWidth each. (Trainers
// take a width of 0 to mean "no hidden layer" and leave it out of the list.)
inline absl::Status CheckHiddenWidths(const std::vector<int>& hidden) {
  if (hidden.size() > kMaxHiddenLayers) {
    return absl::InvalidArgumentError(absl::StrFormat("%d hidden layers: at most %d", hidden.size(), kMaxHiddenLayers));
  }
  for (int h : hidden) {
    if (h < 1 || h > kMaxHiddenWidth) {
      return absl::InvalidArgumentError(
          absl::StrFormat("hidden layer width %d is out of range: use 1 to %d (or 0 for no hidden layer)", h, kMaxHiddenWidth));
    }
  }
  return absl::OkStatus();
}

// InvalidArgument if a model of `budget_bytes` could be larger than the loaders read.
inline absl::Status CheckModelBudget(uint64_t budget_bytes) {
  if (budget_bytes > kMaxModelFileBytes) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "a budget of %d bytes is over the %d bytes (64 MiB) a model file may have", budget_bytes, kMaxModelFileBytes));
  }
  return absl::OkStatus();
}

}  // namespace slimnlp::core

#endif  // SLIMNLP_SRC_CORE_MODEL_LIMITS_H_
