#include "src/core/budget.h"

#include "src/core/model_limits.h"

#include <algorithm>

#include "absl/strings/str_format.h"

namespace slimnlp::core {

GroupTemplate OwnGroup(const std::string& name, FeatureKind kind, int order, int offset, int dim, double share,
                       uint32_t min_buckets, uint32_t max_buckets) {
  FeatureGroupSpec g;
  g.name = name;
  g.kind = kind;
  g.order = order;
  g.offset = offset;
  g.dim = dim;
  return {g, share, min_buckets, max_buckets};
}

GroupTemplate SharedGroup(const std::string& name, const std::string& owner, FeatureKind kind, int order, int offset) {
  FeatureGroupSpec g;
  g.name = name;
  g.kind = kind;
  g.order = order;
  g.offset = offset;
  g.share = owner;
  return {g, 0};
}

absl::StatusOr<size_t> BudgetAfterLexicon(const Lexicon& lexicon, size_t budget_bytes, const char* how_to_shrink) {
  const size_t lexicon_bytes = lexicon.empty() ? 0 : lexicon.Serialize().size();
  if (lexicon_bytes >= budget_bytes) {
    return absl::OutOfRangeError(absl::StrFormat("the lexicon alone takes %d bytes of the %d-byte budget: %s",
                                                 lexicon_bytes, budget_bytes, how_to_shrink));
  }
  return budget_bytes - lexicon_bytes;
}

size_t DenseBytes(int input_dim, const std::vector<int>& hidden, int labels) {
  std::vector<int> widths = {input_dim};
  widths.insert(widths.end(), hidden.begin(), hidden.end());
  widths.push_back(labels);
  size_t total = 0;
  for (size_t k = 0; k + 1 < widths.size(); ++k) {
    total += size_t(widths[k]) * widths[k + 1] + size_t(widths[k + 1]) * 2 * sizeof(float);
  }
  return total;
}

static absl::StatusOr<FeatureSpec> FitOwners(const std::vector<GroupTemplate>& templates, const std::vector<size_t>& index,
                                      const std::vector<int>& hidden, const std::vector<std::string>& labels,
                                      size_t budget_bytes, FeatureSpec spec);

absl::StatusOr<FeatureSpec> FitToBudget(const std::vector<GroupTemplate>& templates, const std::vector<int>& hidden,
                                        const std::vector<std::string>& labels, size_t budget_bytes) {
  // Every trainer fits its budget before it trains: options a loader would refuse stop here.
  if (absl::Status s = CheckHiddenWidths(hidden); !s.ok()) return s;
  if (absl::Status s = CheckModelBudget(budget_bytes); !s.ok()) return s;
  FeatureSpec spec;
  std::vector<GroupTemplate> owners;  // Templates of the groups with a table of their own.
  std::vector<size_t> owner_index;
  for (const auto& t : templates) {
    FeatureGroupSpec g = t.group;
    if (!g.share.empty()) {
      for (const auto& o : templates)
        if (o.group.name == g.share) g.dim = o.group.dim, g.bits = o.group.bits;
    } else {
      owner_index.push_back(spec.groups.size());
      owners.push_back(t);
    }
    spec.groups.push_back(g);
  }
  return FitOwners(owners, owner_index, hidden, labels, budget_bytes, std::move(spec));
}

static absl::StatusOr<FeatureSpec> FitOwners(const std::vector<GroupTemplate>& templates, const std::vector<size_t>& index,
                                      const std::vector<int>& hidden, const std::vector<std::string>& labels,
                                      size_t budget_bytes, FeatureSpec spec) {
  size_t fixed = kBudgetReserveBytes + DenseBytes(spec.InputDim(), hidden, static_cast<int>(labels.size()));
  for (const auto& l : labels) fixed += l.size() + sizeof(std::string);
  size_t minimum = fixed;
  for (const auto& t : templates) minimum += size_t{t.min_buckets} * (PackedRowBytes(t.group.dim, t.group.bits) + 2);
  if (minimum > budget_bytes) {
    return absl::OutOfRangeError(absl::StrFormat(
        "a budget of %d bytes is too small: this model needs at least %d (layers and labels take %d)",
        budget_bytes, minimum, fixed));
  }
  // Water-filling: give each unclamped group its share of what is left; clamp, and repeat with the rest.
  std::vector<bool> clamped(templates.size(), false);
  std::vector<uint32_t> buckets(templates.size(), 0);
  for (size_t round = 0; round <= templates.size(); ++round) {
    double left = static_cast<double>(budget_bytes - fixed);
    double shares = 0;
    for (size_t i = 0; i < templates.size(); ++i) {
      const double row = static_cast<double>(PackedRowBytes(templates[i].group.dim, templates[i].group.bits) + 2);
      if (clamped[i]) {
        left -= buckets[i] * row;
      } else {
        shares += templates[i].share;
      }
    }
    bool changed = false;
    for (size_t i = 0; i < templates.size(); ++i) {
      if (clamped[i]) continue;
      const double row = static_cast<double>(PackedRowBytes(templates[i].group.dim, templates[i].group.bits) + 2);
      const double want = left * templates[i].share / shares / row;
      if (want < templates[i].min_buckets || want > templates[i].max_buckets) {
        buckets[i] = want < templates[i].min_buckets ? templates[i].min_buckets : templates[i].max_buckets;
        clamped[i] = true;
        changed = true;
      } else {
        buckets[i] = static_cast<uint32_t>(want);
      }
    }
    if (!changed) break;
  }
  for (size_t i = 0; i < templates.size(); ++i) spec.groups[index[i]].buckets = std::max<uint32_t>(1, buckets[i]);
  for (auto& g : spec.groups) {
    if (g.share.empty()) continue;
    for (const auto& o : spec.groups)
      if (o.name == g.share) g.buckets = o.buckets;
  }
  return spec;
}

}  // namespace slimnlp::core
