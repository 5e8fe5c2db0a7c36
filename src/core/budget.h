// Fits a model to a memory budget: given the groups' shapes and relative shares, chooses bucket counts so
// that tables + layers + labels + a reserve for the file's framing and meta stay within `budget_bytes`, both
// on disk and once loaded (Classifier::MemoryBytes).
#ifndef SLIMNLP_SRC_CORE_BUDGET_H_
#define SLIMNLP_SRC_CORE_BUDGET_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "src/core/feature_spec.h"
#include "src/core/lexicon.h"

namespace slimnlp::core {

// Bytes kept back from the budget for the file header, section framing and meta text.
inline constexpr size_t kBudgetReserveBytes = 8 * 1024;

struct GroupTemplate {
  FeatureGroupSpec group;    // Everything but `buckets` (and, for a group with `share`, dim and bits).
  double share = 1;          // Relative share of the table bytes (ignored for groups sharing a table).
  uint32_t min_buckets = 1;
  uint32_t max_buckets = 1u << 24;
};

// A group with a table of its own (8-bit), and one reading `owner`'s table.
GroupTemplate OwnGroup(const std::string& name, FeatureKind kind, int order, int offset, int dim, double share,
                       uint32_t min_buckets = 64, uint32_t max_buckets = 1u << 24);
GroupTemplate SharedGroup(const std::string& name, const std::string& owner, FeatureKind kind, int order, int offset);

// Bytes of the dense layers for these widths (int8 weights, float scale and bias per output).
size_t DenseBytes(int input_dim, const std::vector<int>& hidden, int labels);

// What a model's lexicon leaves of `budget_bytes` for the tables and layers (a lexicon's bytes come off the
// budget first). OutOfRange if the lexicon alone fills it, saying `how_to_shrink` it.
absl::StatusOr<size_t> BudgetAfterLexicon(const Lexicon& lexicon, size_t budget_bytes, const char* how_to_shrink);

// OutOfRange if even the minimum bucket counts do not fit.
absl::StatusOr<FeatureSpec> FitToBudget(const std::vector<GroupTemplate>& templates, const std::vector<int>& hidden,
                                        const std::vector<std::string>& labels, size_t budget_bytes);

}  // namespace slimnlp::core

#endif  // SLIMNLP_SRC_CORE_BUDGET_H_
