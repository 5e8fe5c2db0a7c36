// BuildIndex: documents in, one index file out (index_format.h).
#include <zstd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "absl/strings/str_format.h"
#include "slimnlp/retrieval.h"
#include "src/core/crc32c.h"
#include "src/core/file_io.h"
#include "src/core/line_reader.h"
#include "src/retrieval/index_format.h"
#include "src/retrieval/terms.h"

namespace slimnlp {
namespace {

using retrieval::PutVarint;

// One term's postings, encoded as they arrive (documents come in order).
struct TermPostings {
  std::string data;
  std::vector<uint32_t> skips;  // Per finished block: last doc, end offset.
  uint32_t df = 0, last_doc = 0, max_tf = 0, min_dl = UINT32_MAX;
};

class IndexBuilder {
 public:
  explicit IndexBuilder(uint32_t flags) : flags_(flags) {}

  void Add(std::string_view id, std::string_view title, std::string_view text) {
    const uint32_t doc = static_cast<uint32_t>(doc_lengths_.size());
    // The title is searched too (prepended, as the usual recipes do).
    joined_.assign(title);
    if (!title.empty()) joined_ += '\n';
    joined_ += text;
    retrieval::Terms(joined_, flags_, &terms_, &words_);
    doc_lengths_.push_back(static_cast<uint32_t>(terms_.size()));
    total_terms_ += terms_.size();
    std::sort(terms_.begin(), terms_.end());
    for (size_t i = 0; i < terms_.size();) {
      size_t j = i;
      while (j < terms_.size() && terms_[j] == terms_[i]) ++j;
      AddPosting(postings_[terms_[i]], doc, static_cast<uint32_t>(j - i), doc_lengths_.back());
      ++num_postings_;
      i = j;
    }
    PutVarint(static_cast<uint32_t>(id.size()), &block_);
    block_.append(id);
    PutVarint(static_cast<uint32_t>(title.size()), &block_);
    block_.append(title);
    PutVarint(static_cast<uint32_t>(text.size()), &block_);
    block_.append(text);
    if (doc_lengths_.size() % retrieval::kDocsPerBlock == 0) FlushBlock();
  }

  size_t documents() const { return doc_lengths_.size(); }
  size_t terms() const { return postings_.size(); }
  size_t postings() const { return num_postings_; }

  // The whole file.
  std::string Finish() {
    if (!block_.empty()) FlushBlock();
    block_offsets_.push_back(store_.size());
    std::vector<uint32_t> keys;
    keys.reserve(postings_.size());
    for (const auto& [term, p] : postings_) keys.push_back(term);
    std::sort(keys.begin(), keys.end());
    std::string dict, postings;
    dict.resize(keys.size() * sizeof(retrieval::DictEntry));
    for (size_t k = 0; k < keys.size(); ++k) {
      TermPostings& p = postings_[keys[k]];
      retrieval::DictEntry e{};
      e.term = keys[k];
      e.df = p.df;
      e.max_tf = static_cast<uint16_t>(std::min(p.max_tf, retrieval::kSaturated16));
      e.min_dl = static_cast<uint16_t>(std::min(p.min_dl, retrieval::kSaturated16));
      if (p.df == 1) {
        e.ref = p.last_doc;
      } else {
        e.ref = static_cast<uint32_t>(postings.size());
        const bool skips = p.df > retrieval::kPostingsPerBlock;
        if (skips && p.df % retrieval::kPostingsPerBlock != 0) {
          p.skips.push_back(p.last_doc);
          p.skips.push_back(static_cast<uint32_t>(p.data.size()));
        }
        AppendU32(static_cast<uint32_t>((skips ? 4 + 4 * p.skips.size() : 0) + p.data.size()), &postings);
        if (skips) {
          AppendU32(static_cast<uint32_t>(p.skips.size() / 2), &postings);
          for (uint32_t v : p.skips) AppendU32(v, &postings);
        }
        postings += p.data;
      }
      std::memcpy(dict.data() + k * sizeof(e), &e, sizeof(e));
      p = TermPostings();  // Free as we go.
    }
    postings_.clear();
    std::string doclens(doc_lengths_.size() * 4, '\0');
    for (size_t d = 0; d < doc_lengths_.size(); ++d) std::memcpy(doclens.data() + 4 * d, &doc_lengths_[d], 4);
    std::string blockoffs(block_offsets_.size() * 8, '\0');
    for (size_t b = 0; b < block_offsets_.size(); ++b) std::memcpy(blockoffs.data() + 8 * b, &block_offsets_[b], 8);

    const std::string* sections[retrieval::kSections] = {&dict, &postings, &doclens, &blockoffs, &store_};
    std::string file(retrieval::kHeaderBytes, '\0');
    std::memcpy(file.data(), retrieval::kIndexMagic, 8);
    PutAt(8, retrieval::kIndexMajor, &file);
    PutAt(10, retrieval::kIndexMinor, &file);
    PutAt(12, flags_, &file);
    PutAt(16, static_cast<uint64_t>(doc_lengths_.size()), &file);
    PutAt(24, static_cast<uint64_t>(keys.size()), &file);
    PutAt(32, total_terms_, &file);
    for (int s = 0; s < retrieval::kSections; ++s) {
      PutAt(retrieval::kSectionTableOffset + 16 * s, static_cast<uint64_t>(file.size()), &file);
      PutAt(retrieval::kSectionTableOffset + 16 * s + 8, static_cast<uint64_t>(sections[s]->size()), &file);
      file += *sections[s];
    }
    const uint32_t body_crc =
        core::Crc32cExtend(0, file.data() + retrieval::kHeaderBytes, file.size() - retrieval::kHeaderBytes);
    PutAt(retrieval::kHeaderCrcOffset, body_crc, &file);
    PutAt(retrieval::kHeaderCrcOffset + 4, core::Crc32cExtend(0, file.data(), retrieval::kHeaderCrcOffset), &file);
    return file;
  }

 private:
  template <typename T>
  static void PutAt(size_t at, T v, std::string* out) {
    std::memcpy(out->data() + at, &v, sizeof(v));
  }
  static void AppendU32(uint32_t v, std::string* out) { out->append(reinterpret_cast<const char*>(&v), 4); }

  static void AddPosting(TermPostings& p, uint32_t doc, uint32_t tf, uint32_t dl) {
    // Gaps count from one before the first document, so a gap is never 0 and doc 0 needs no special case.
    const uint32_t base = p.df == 0 ? 0 : p.last_doc + 1;
    PutVarint(doc + 1 - base, &p.data);
    PutVarint(tf, &p.data);
    p.last_doc = doc;
    ++p.df;
    p.max_tf = std::max(p.max_tf, tf);
    p.min_dl = std::min(p.min_dl, dl);
    if (p.df % retrieval::kPostingsPerBlock == 0) {
      p.skips.push_back(doc);
      p.skips.push_back(static_cast<uint32_t>(p.data.size()));
    }
  }

  void FlushBlock() {
    block_offsets_.push_back(store_.size());
    const size_t old = store_.size();
    store_.resize(old + ZSTD_compressBound(block_.size()));
    const size_t n = ZSTD_compress(store_.data() + old, store_.size() - old, block_.data(), block_.size(), 6);
    store_.resize(old + (ZSTD_isError(n) ? 0 : n));
    block_.clear();
  }

  uint32_t flags_;
  std::unordered_map<uint32_t, TermPostings> postings_;
  std::vector<uint32_t> doc_lengths_;
  uint64_t total_terms_ = 0;
  size_t num_postings_ = 0;
  std::string block_, store_;
  std::vector<uint64_t> block_offsets_;
  std::string joined_;
  std::vector<uint32_t> terms_, words_;
};

}  // namespace

absl::StatusOr<IndexBuildResult> BuildIndex(const IndexBuildOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  const auto say = [&](const std::string& s) {
    if (options.progress) options.progress(s);
  };
  if (options.input_paths.empty() || options.output_path.empty()) {
    return absl::InvalidArgumentError("indexing needs an input and an output path");
  }
  IndexBuilder builder((options.stem ? retrieval::kStem : 0) | (options.stopwords ? retrieval::kStopwords : 0));
  IndexBuildResult result;
  std::string line;
  bool truncated;
  for (const std::string& path : options.input_paths) {
    absl::StatusOr<std::unique_ptr<core::LineReader>> reader =
        core::LineReader::Open(path, options.max_document_bytes);
    if (!reader.ok()) return reader.status();
    std::string format = options.format;
    while ((*reader)->Next(&line, &truncated)) {
      const size_t n = (*reader)->line_number();
      result.input_bytes += line.size() + 1;
      if (format == "auto") {
        if (line.find_first_not_of(" \t") == std::string::npos) continue;
        format = line[line.find_first_not_of(" \t")] == '{' ? "jsonl" : "text";
      }
      const auto skip = [&](const std::string& why) {
        if (result.skipped++ < 20) say(absl::StrFormat("%s:%d: %s; skipped", path, n, why));
      };
      if (truncated) {
        skip(absl::StrFormat("document longer than %d bytes", options.max_document_bytes));
        continue;
      }
      if (format == "text") {
        if (line.find_first_not_of(" \t") == std::string::npos) continue;
        builder.Add(std::to_string(n), "", line);
      } else {
        if (line.find_first_not_of(" \t") == std::string::npos) continue;
        const nlohmann::json j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
        if (j.is_discarded() || !j.is_object()) {
          skip("not a JSON object");
          continue;
        }
        const auto text = j.find("text");
        if (text == j.end() || !text->is_string()) {
          skip("no \"text\" string");
          continue;
        }
        std::string id = std::to_string(n);
        if (const auto it = j.find("id"); it != j.end()) {
          if (it->is_string()) {
            id = it->get<std::string>();
          } else if (it->is_number_integer()) {
            id = std::to_string(it->get<int64_t>());
          } else {
            skip("\"id\" is neither a string nor an integer");
            continue;
          }
        } else if (const auto it2 = j.find("_id"); it2 != j.end() && it2->is_string()) {
          id = it2->get<std::string>();  // BEIR's layout.
        }
        std::string title;
        if (const auto it = j.find("title"); it != j.end() && it->is_string()) title = it->get<std::string>();
        builder.Add(id, title, text->get_ref<const std::string&>());
      }
      if (builder.documents() % 100000 == 0) {
        say(absl::StrFormat("%d documents, %d terms, %.0fs", builder.documents(), builder.terms(),
                            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()));
      }
    }
    if (!(*reader)->status().ok()) return (*reader)->status();
  }
  if (builder.documents() == 0) return absl::InvalidArgumentError("no documents to index");
  if (result.skipped > 20) say(absl::StrFormat("%d lines skipped in all", result.skipped));
  result.documents = builder.documents();
  result.terms = builder.terms();
  result.postings = builder.postings();
  const std::string file = builder.Finish();
  if (absl::Status s = core::WriteFileAtomically(options.output_path, file); !s.ok()) return s;
  result.index_bytes = file.size();
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  say(absl::StrFormat("indexed %d documents (%d skipped): %d terms, %d postings, %d bytes, %.1fs", result.documents,
                      result.skipped, result.terms, result.postings, result.index_bytes, result.seconds));
  return result;
}

}  // namespace slimnlp
