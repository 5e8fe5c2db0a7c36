#include "src/core/classifier.h"

#include "src/core/model_limits.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "src/core/byte_io.h"
#include "src/core/file_io.h"
#include "src/core/hash.h"
#include "src/core/utf8.h"

namespace slimnlp::core {

const float* Classifier::Logits(const FeatureBags& bags, ClassifierScratch* scratch) const {
  size_t width = layers.empty() ? static_cast<size_t>(spec.InputDim()) : static_cast<size_t>(layers[0].in);
  for (const auto& l : layers) width = std::max(width, static_cast<size_t>(l.out));
  if (scratch->a.size() < width) scratch->a.resize(width);
  if (scratch->b.size() < width) scratch->b.resize(width);
  if (scratch->q.size() < width + kDotBlock) scratch->q.resize(width + kDotBlock);
  float* x = scratch->a.data();
  float* y = scratch->b.data();

  // Every row's load is issued before any is summed, so the cache misses overlap.
  size_t count = 0;
  for (const auto& ids : bags.ids) count += ids.size();
  if (scratch->rows.size() < count) scratch->rows.resize(count);
  RowRef* rows = scratch->rows.data();
  count = 0;
  uint32_t offset = 0;
  for (size_t g = 0; g < spec.groups.size(); ++g) {
    const int dim = spec.groups[g].dim;
    const auto& ids = bags.ids[g];
    if (ids.empty()) std::fill(x + offset, x + offset + dim, 0.0f);
    const QuantizedTable& table = tables[table_of[g]];
    const float weight = ids.size() == 1 ? 1.0f : 1.0f / static_cast<float>(ids.size());
    for (size_t k = 0; k < ids.size(); ++k) {
      table.Prefetch(ids[k]);
      rows[count++] = table.Ref(ids[k], weight, offset, k == 0);
    }
    offset += static_cast<uint32_t>(dim);
  }
  SumRows(rows, count, x);
  for (size_t k = 0; k < layers.size(); ++k) {
    layers[k].Forward(x, y, scratch->q.data());
    if (k + 1 < layers.size()) {
      for (int o = 0; o < layers[k].out; ++o) y[o] = std::max(y[o], 0.0f);
    }
    std::swap(x, y);
  }
  return x;
}

int Classifier::PredictBest(const FeatureBags& bags, ClassifierScratch* scratch) const {
  const float* x = Logits(bags, scratch);
  return static_cast<int>(std::max_element(x, x + labels.size()) - x);
}

void Classifier::Predict(const FeatureBags& bags, ClassifierScratch* scratch, float* probs) const {
  const float* x = Logits(bags, scratch);
  const int n = static_cast<int>(labels.size());
  const float top = *std::max_element(x, x + n);
  float sum = 0;
  for (int i = 0; i < n; ++i) sum += (probs[i] = std::exp(x[i] - top));
  for (int i = 0; i < n; ++i) probs[i] /= sum;
}

size_t Classifier::MemoryBytes() const {
  size_t total = 0;
  for (const auto& t : tables) total += t.MemoryBytes();
  for (const auto& l : layers) total += l.MemoryBytes();
  for (const auto& l : labels) total += l.size() + sizeof(std::string);
  return total + lexicon.MemoryBytes();
}

std::string Classifier::MetaOr(const std::string& key, std::string fallback) const {
  const auto it = meta.find(key);
  return it == meta.end() ? fallback : it->second;
}

std::vector<int> HiddenSizes(const Classifier& model) {
  std::vector<int> sizes;
  for (absl::string_view s : absl::StrSplit(model.MetaOr("hidden", ""), ',', absl::SkipEmpty())) {
    int v = 0;
    if (absl::SimpleAtoi(s, &v)) sizes.push_back(v);
  }
  return sizes;
}

std::string Classifier::Serialize(int zstd_level) const {
  std::vector<Section> sections;
  std::map<std::string, std::string> all = meta;
  all["task"] = task;
  all["spec"] = spec.ToString();
  all["hash"] = std::string(kHashName);
  std::string meta_text;
  for (const auto& [k, v] : all) {
    std::string value = v;
    std::replace(value.begin(), value.end(), '\n', ' ');
    absl::StrAppend(&meta_text, k, "=", value, "\n");
  }
  sections.push_back({"meta", meta_text});
  ByteWriter lw;
  lw.U32(static_cast<uint32_t>(labels.size()));
  for (const auto& l : labels) lw.String(l);
  sections.push_back({"labels", lw.data()});
  const std::vector<size_t> owners = spec.TableOwners();
  for (size_t t = 0; t < tables.size(); ++t) {
    ByteWriter w;
    tables[t].Write(&w);
    sections.push_back({"emb." + spec.groups[owners[t]].name, w.data()});
  }
  for (size_t k = 0; k < layers.size(); ++k) {
    ByteWriter w;
    layers[k].Write(&w);
    sections.push_back({absl::StrFormat("dense.%d", k), w.data()});
  }
  if (!lexicon.empty()) sections.push_back({"lexicon", lexicon.Serialize()});
  return EncodeContainer(sections, zstd_level);
}

absl::StatusOr<Classifier> Classifier::Parse(std::string_view file, std::string_view source) {
  absl::StatusOr<std::vector<Section>> sections = DecodeContainer(file, source);
  if (!sections.ok()) return sections.status();
  std::map<std::string, const std::string*> by_name;
  for (const Section& s : *sections) by_name[s.name] = &s.data;
  const auto section = [&](const std::string& name) -> absl::StatusOr<const std::string*> {
    auto it = by_name.find(name);
    if (it == by_name.end()) {
      return absl::DataLossError(absl::StrFormat("%s: model has no '%s' section", source, name));
    }
    return it->second;
  };

  Classifier m;
  absl::StatusOr<const std::string*> meta = section("meta");
  if (!meta.ok()) return meta.status();
  if (!ValidateUtf8(**meta).ok()) return absl::DataLossError(absl::StrFormat("%s: meta is not UTF-8", source));
  for (absl::string_view line : absl::StrSplit(**meta, '\n', absl::SkipEmpty())) {
    const size_t eq = line.find('=');
    if (eq == absl::string_view::npos) {
      return absl::DataLossError(absl::StrFormat("%s: bad meta line '%s'", source, line));
    }
    m.meta[std::string(line.substr(0, eq))] = std::string(line.substr(eq + 1));
  }
  m.task = m.MetaOr("task", "");
  if (m.MetaOr("hash", "") != kHashName) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "%s: model uses feature hash '%s'; this build has '%s'", source, m.MetaOr("hash", "?"), kHashName));
  }
  absl::StatusOr<FeatureSpec> spec = FeatureSpec::Parse(m.MetaOr("spec", ""));
  if (!spec.ok()) return absl::DataLossError(absl::StrFormat("%s: %s", source, spec.status().message()));
  m.spec = *std::move(spec);
  for (const char* k : {"task", "spec", "hash"}) m.meta.erase(k);

  absl::StatusOr<const std::string*> labels = section("labels");
  if (!labels.ok()) return labels.status();
  ByteReader lr(**labels, absl::StrFormat("%s: labels", source));
  uint32_t count = 0;
  lr.U32(&count);
  if (lr.ok() && (count == 0 || count > lr.remaining() / 4)) lr.Fail(absl::StrFormat("bad label count %d", count));
  for (uint32_t i = 0; lr.ok() && i < count; ++i) {
    std::string_view label;
    if (lr.String(&label) && (label.empty() || !ValidateUtf8(label).ok())) lr.Fail("empty or non-UTF-8 label");
    m.labels.emplace_back(label);
  }
  if (!lr.ok()) return lr.status();

  m.table_of = m.spec.TableOf();
  for (size_t owner : m.spec.TableOwners()) {
    const FeatureGroupSpec& g = m.spec.groups[owner];
    absl::StatusOr<const std::string*> data = section("emb." + g.name);
    if (!data.ok()) return data.status();
    ByteReader r(**data, absl::StrFormat("%s: table '%s'", source, g.name));
    QuantizedTable t;
    if (!t.Read(&r, g.buckets, g.dim, g.bits)) return r.status();
    m.tables.push_back(std::move(t));
  }
  std::vector<int> widths = {m.spec.InputDim()};
  for (int h : HiddenSizes(m)) {
    if (h < 1 || h > kMaxHiddenWidth) return absl::DataLossError(absl::StrFormat("%s: bad hidden size %d", source, h));
    widths.push_back(h);
  }
  widths.push_back(static_cast<int>(m.labels.size()));
  for (size_t k = 0; k + 1 < widths.size(); ++k) {
    absl::StatusOr<const std::string*> data = section(absl::StrFormat("dense.%d", k));
    if (!data.ok()) return data.status();
    ByteReader r(**data, absl::StrFormat("%s: layer %d", source, k));
    QuantizedDense d;
    if (!d.Read(&r, widths[k], widths[k + 1])) return r.status();
    m.layers.push_back(std::move(d));
  }
  const bool reads_lexicon = std::any_of(m.spec.groups.begin(), m.spec.groups.end(), [](const FeatureGroupSpec& g) {
    return ReadsLexicon(g.kind);
  });
  if (reads_lexicon) {
    absl::StatusOr<const std::string*> data = section("lexicon");
    if (!data.ok()) return data.status();
    absl::StatusOr<Lexicon> lexicon = Lexicon::Parse(**data, absl::StrFormat("%s: lexicon", source));
    if (!lexicon.ok()) return lexicon.status();
    m.lexicon = *std::move(lexicon);
  }
  return m;
}

absl::StatusOr<Classifier> Classifier::Load(const std::string& path) {
  absl::StatusOr<std::string> bytes = ReadFileToString(path, kMaxModelFileBytes);
  if (!bytes.ok()) return bytes.status();
  return Parse(*bytes, path);
}


absl::StatusOr<Classifier> Classifier::ParseForTask(std::string_view file, std::string_view source,
                                                    std::string_view task, std::string_view description) {
  absl::StatusOr<Classifier> model = Parse(file, source);
  if (model.ok() && model->task != task) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s is a '%s' model, not a %s model", source, model->task, description));
  }
  return model;
}

absl::StatusOr<Classifier> Classifier::LoadForTask(const std::string& path, std::string_view task,
                                                   std::string_view description) {
  absl::StatusOr<std::string> bytes = ReadFileToString(path, kMaxModelFileBytes);
  if (!bytes.ok()) return bytes.status();
  return ParseForTask(*bytes, path, task, description);
}

absl::Status Classifier::Save(const std::string& path) const { return WriteFileAtomically(path, Serialize()); }

absl::StatusOr<size_t> SaveWithinBudget(const Classifier& model, size_t budget_bytes, const std::string& path) {
  const std::string bytes = model.Serialize();
  if (bytes.size() > budget_bytes || model.MemoryBytes() > budget_bytes) {
    return absl::InternalError(absl::StrFormat("model is %d bytes on disk and %d in memory, over the budget of %d",
                                               bytes.size(), model.MemoryBytes(), budget_bytes));
  }
  if (absl::Status s = WriteFileAtomically(path, bytes); !s.ok()) return s;
  return bytes.size();
}

}  // namespace slimnlp::core
