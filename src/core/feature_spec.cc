#include "src/core/feature_spec.h"

#include <map>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "src/core/hash.h"

namespace slimnlp::core {
namespace {

// Which extractor reads a kind: bit flags, since prevtag serves both sequence extractors.
enum Family : uint8_t { kText = 1, kToken = 2, kChar = 4, kTask = 8 };

struct KindInfo {
  FeatureKind kind;
  const char* name;
  bool has_order;
  uint8_t families;
  bool has_offset() const { return (families & (kToken | kChar)) != 0; }
};

constexpr KindInfo kKinds[] = {
    {FeatureKind::kCharNgram, "ngram", true, kText},      {FeatureKind::kWord, "word", false, kText},
    {FeatureKind::kScript, "script", false, kText},       {FeatureKind::kTokenWord, "tword", false, kToken},
    {FeatureKind::kTokenNgram, "tngram", true, kToken},   {FeatureKind::kTokenPrefix, "tprefix", true, kToken},
    {FeatureKind::kTokenSuffix, "tsuffix", true, kToken}, {FeatureKind::kTokenShape, "tshape", false, kToken},
    {FeatureKind::kPrevTag, "prevtag", false, kToken | kChar},
    {FeatureKind::kCharGram, "cgram", true, kChar},       {FeatureKind::kCharClass, "cclass", false, kChar},
    {FeatureKind::kCharLexicon, "clex", true, kChar},     {FeatureKind::kTokenLexicon, "tlex", false, kToken},
    {FeatureKind::kExternal, "ext", false, kTask},
};

const KindInfo& Info(FeatureKind kind) {
  for (const auto& k : kKinds)
    if (k.kind == kind) return k;
  return kKinds[0];
}

}  // namespace

bool IsTokenKind(FeatureKind kind) { return Info(kind).families & kToken; }
bool IsCharKind(FeatureKind kind) { return Info(kind).families & kChar; }
bool ReadsLexicon(FeatureKind kind) { return kind == FeatureKind::kCharLexicon || kind == FeatureKind::kTokenLexicon; }

uint32_t FeatureGroupSpec::seed() const { return Murmur3_32(table_name(), 0x51A7u); }

size_t FeatureGroupSpec::TableBytes() const {
  return share.empty() ? size_t{buckets} * (PackedRowBytes(dim, bits) + 2) : 0;
}

int FeatureSpec::InputDim() const {
  int total = 0;
  for (const auto& g : groups) total += g.dim;
  return total;
}

std::vector<size_t> FeatureSpec::TableOwners() const {
  std::vector<size_t> owners;
  for (size_t g = 0; g < groups.size(); ++g)
    if (groups[g].share.empty()) owners.push_back(g);
  return owners;
}

std::vector<int> FeatureSpec::TableOf() const {
  std::map<std::string, int> index;
  std::vector<int> table_of;
  for (const auto& g : groups) {
    if (g.share.empty()) index.emplace(g.name, static_cast<int>(index.size()));
    table_of.push_back(index.at(g.table_name()));
  }
  return table_of;
}

std::string FeatureSpec::ToString() const {
  std::string out;
  for (const auto& g : groups) {
    if (!out.empty()) out += ';';
    const KindInfo& info = Info(g.kind);
    absl::StrAppend(&out, g.name, "=", info.name, "(");
    std::vector<std::string> args;
    if (info.has_order) args.push_back(absl::StrCat("order=", g.order));
    if (info.has_offset()) args.push_back(absl::StrCat("offset=", g.offset));
    if (g.share.empty()) {
      args.push_back(absl::StrCat("buckets=", g.buckets, ",dim=", g.dim, ",bits=", g.bits));
    } else {
      args.push_back(absl::StrCat("share=", g.share));
    }
    absl::StrAppend(&out, absl::StrJoin(args, ","), ")");
  }
  return out;
}

absl::StatusOr<FeatureSpec> FeatureSpec::Parse(std::string_view text_in) {
  // Debian's Abseil has its own string_view type: split and parse with it.
  const absl::string_view text(text_in.data(), text_in.size());
  FeatureSpec spec;
  std::map<std::string, size_t> by_name;
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
    if (g.name.empty() || by_name.count(g.name)) return fail("empty or repeated group name");
    const absl::string_view kind = item.substr(eq + 1, open - eq - 1);
    const KindInfo* info = nullptr;
    for (const auto& k : kKinds)
      if (kind == k.name) info = &k;
    if (info == nullptr) return fail(absl::StrCat("unknown kind '", kind, "'"));
    g.kind = info->kind;
    const absl::string_view args = item.substr(open + 1, item.size() - open - 2);
    for (absl::string_view kv : absl::StrSplit(args, ',', absl::SkipWhitespace())) {
      std::pair<absl::string_view, absl::string_view> p = absl::StrSplit(kv, absl::MaxSplits('=', 1));
      if (p.first == "share") {
        g.share = std::string(p.second);
        continue;
      }
      int64_t value;
      if (!absl::SimpleAtoi(p.second, &value)) return fail(absl::StrCat("'", kv, "' is not key=integer"));
      if (p.first == "order" && info->has_order) {
        g.order = static_cast<int>(value);
      } else if (p.first == "offset" && info->has_offset()) {
        if (value < -8 || value > 8) return fail("offset must be in -8..8");
        g.offset = static_cast<int>(value);
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
    if (info->has_order && (g.order < 1 || g.order > 8)) return fail("order must be in 1..8");
    if (g.kind == FeatureKind::kPrevTag && g.offset >= 0) return fail("prevtag needs a negative offset");
    if (g.kind == FeatureKind::kCharLexicon && g.order < 2) return fail("clex needs an order of 2 or more");
    if (!g.share.empty()) {
      const auto it = by_name.find(g.share);
      if (it == by_name.end() || !spec.groups[it->second].share.empty()) {
        return fail(absl::StrCat("share='", g.share, "' must name an earlier group with a table of its own"));
      }
      const FeatureGroupSpec& owner = spec.groups[it->second];
      if (owner.kind != g.kind) return fail("a shared table must belong to a group of the same kind");
      g.buckets = owner.buckets;
      g.dim = owner.dim;
      g.bits = owner.bits;
    }
    if (g.buckets == 0) return fail("buckets missing");
    if (g.dim < 1 || g.dim > 1024) return fail("dim must be in 1..1024");
    if (g.bits != 8 && g.bits != 4) return fail("bits must be 8 or 4");
    by_name[g.name] = spec.groups.size();
    spec.groups.push_back(std::move(g));
  }
  if (spec.groups.empty()) return absl::InvalidArgumentError("feature spec has no groups");
  // A model has one lexicon, and its matches are hashed once per character for every clex group.
  for (const auto& g : spec.groups) {
    for (const auto& h : spec.groups) {
      if (g.kind == FeatureKind::kCharLexicon && h.kind == FeatureKind::kCharLexicon && g.order != h.order) {
        return absl::InvalidArgumentError(
            absl::StrFormat("feature spec groups '%s' and '%s': every clex group must have the same order", g.name,
                            h.name));
      }
    }
  }
  return spec;
}

}  // namespace slimnlp::core
