#include "src/core/feature_spec.h"

#include <set>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "src/core/hash.h"

namespace slimnlp::core {

uint32_t FeatureGroupSpec::seed() const { return Murmur3_32(name, 0x51A7u); }

size_t FeatureGroupSpec::TableBytes() const { return size_t{buckets} * (PackedRowBytes(dim, bits) + 2); }

int FeatureSpec::InputDim() const {
  int total = 0;
  for (const auto& g : groups) total += g.dim;
  return total;
}

namespace {

std::string_view KindName(FeatureKind kind) {
  switch (kind) {
    case FeatureKind::kCharNgram:
      return "ngram";
    case FeatureKind::kWord:
      return "word";
    case FeatureKind::kScript:
      return "script";
  }
  return "?";
}

}  // namespace

std::string FeatureSpec::ToString() const {
  std::string out;
  for (const auto& g : groups) {
    if (!out.empty()) out += ';';
    const std::string_view kind = KindName(g.kind);
    absl::StrAppend(&out, g.name, "=", absl::string_view(kind.data(), kind.size()), "(");
    if (g.kind == FeatureKind::kCharNgram) absl::StrAppend(&out, "order=", g.order, ",");
    absl::StrAppend(&out, "buckets=", g.buckets, ",dim=", g.dim, ",bits=", g.bits, ")");
  }
  return out;
}

absl::StatusOr<FeatureSpec> FeatureSpec::Parse(std::string_view text_in) {
  // Debian's Abseil has its own string_view type: split and parse with it.
  const absl::string_view text(text_in.data(), text_in.size());
  FeatureSpec spec;
  std::set<std::string> names;
  for (absl::string_view item : absl::StrSplit(text, ';', absl::SkipWhitespace())) {
    const auto fail = [&](absl::string_view why) {
      return absl::InvalidArgumentError(absl::StrFormat("feature spec group '%s': %s", item, why));
    };
    const size_t eq = item.find('=');
    const size_t open = item.find('(');
    if (eq == absl::string_view::npos || open == absl::string_view::npos || open < eq || item.back() != ')') {
      return fail("expected name=kind(key=value,...)");
    }
    FeatureGroupSpec g;
    g.name = std::string(item.substr(0, eq));
    if (g.name.empty() || !names.insert(g.name).second) return fail("empty or repeated group name");
    const absl::string_view kind = item.substr(eq + 1, open - eq - 1);
    if (kind == "ngram") {
      g.kind = FeatureKind::kCharNgram;
    } else if (kind == "word") {
      g.kind = FeatureKind::kWord;
    } else if (kind == "script") {
      g.kind = FeatureKind::kScript;
    } else {
      return fail(absl::StrCat("unknown kind '", kind, "'"));
    }
    const absl::string_view args = item.substr(open + 1, item.size() - open - 2);
    for (absl::string_view kv : absl::StrSplit(args, ',', absl::SkipWhitespace())) {
      std::pair<absl::string_view, absl::string_view> p = absl::StrSplit(kv, absl::MaxSplits('=', 1));
      int64_t value;
      if (!absl::SimpleAtoi(p.second, &value)) return fail(absl::StrCat("'", kv, "' is not key=integer"));
      if (p.first == "order") {
        g.order = static_cast<int>(value);
      } else if (p.first == "buckets") {
        if (value < 1 || value > (1 << 24)) return fail("buckets must be in 1..16777216");
        g.buckets = static_cast<uint32_t>(value);
      } else if (p.first == "dim") {
        g.dim = static_cast<int>(value);
      } else if (p.first == "bits") {
        g.bits = static_cast<int>(value);
      } else {
        return fail(absl::StrCat("unknown key '", p.first, "'"));
      }
    }
    if (g.kind == FeatureKind::kCharNgram && (g.order < 1 || g.order > 8)) return fail("order must be in 1..8");
    if (g.buckets == 0) return fail("buckets missing");
    if (g.dim < 1 || g.dim > 1024) return fail("dim must be in 1..1024");
    if (g.bits != 8 && g.bits != 4) return fail("bits must be 8 or 4");
    spec.groups.push_back(std::move(g));
  }
  if (spec.groups.empty()) return absl::InvalidArgumentError("feature spec has no groups");
  return spec;
}

}  // namespace slimnlp::core
