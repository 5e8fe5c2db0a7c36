// BuildIndex: documents in, one index file out (index_format.h).
#include <zdict.h>
#include <zstd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <memory>
#include <unordered_set>
#include <nlohmann/json.hpp>

#include "absl/strings/str_format.h"
#include "slimnlp/retrieval.h"
#include "src/core/crc32c.h"
#include "src/core/file_io.h"
#include "src/core/hash.h"
#include "src/core/line_reader.h"
#include "src/retrieval/index_format.h"
#include "src/retrieval/terms.h"

namespace slimnlp {
namespace {

using retrieval::PutVarint;

// What is known of a term while documents arrive (in order). Its first posting is kept here; from the second
// on, `list` names its postings in IndexBuilder::lists_ (varint doc - base, varint tf).
struct TermState {
  uint32_t df = 0, last_doc = 0, max_tf = 0, min_dl = UINT32_MAX, list = UINT32_MAX;
};

// Open addressing from a term's hash to the index of its TermState: 8 bytes a slot, at most half full.
class TermTable {
 public:
  TermTable() : slots_(1 << 16, kEmpty), mask_((1 << 16) - 1) {}
  // The value of `key`, or `next` (inserted) if it had none.
  uint32_t FindOrInsert(uint32_t key, uint32_t next) {
    for (size_t i = Slot(key);; i = (i + 1) & mask_) {
      const uint64_t s = slots_[i];
      if (s == kEmpty) {
        slots_[i] = (uint64_t{key} << 32) | next;
        if (++size_ * 2 > slots_.size()) Grow();
        return next;
      }
      if (s >> 32 == key) return static_cast<uint32_t>(s);
    }
  }
  size_t size() const { return size_; }
  // (key, value) of every term, sorted by key; the table is emptied.
  std::vector<uint64_t> TakeSorted() {
    std::vector<uint64_t> out;
    out.reserve(size_);
    for (uint64_t s : slots_) {
      if (s != kEmpty) out.push_back(s);
    }
    std::vector<uint64_t>().swap(slots_);
    std::sort(out.begin(), out.end());
    return out;
  }

 private:
  static constexpr uint64_t kEmpty = 0xFFFFFFFFull;  // Value UINT32_MAX: no term has it.
  size_t Slot(uint32_t key) const { return ((key * 0x9E3779B97F4A7C15ull) >> 20) & mask_; }
  void Grow() {
    std::vector<uint64_t> old;
    old.swap(slots_);
    slots_.assign(old.size() * 2, kEmpty);
    mask_ = slots_.size() - 1;
    for (uint64_t s : old) {
      if (s == kEmpty) continue;
      size_t i = Slot(static_cast<uint32_t>(s >> 32));
      while (slots_[i] != kEmpty) i = (i + 1) & mask_;
      slots_[i] = s;
    }
  }
  std::vector<uint64_t> slots_;
  size_t mask_, size_ = 0;
};

// TermStates in chunks: no copying (and no doubled peak) as it grows.
class StateArray {
 public:
  TermState& operator[](uint32_t i) { return chunks_[i >> kShift][i & (kChunk - 1)]; }
  uint32_t Add() {
    if (size_ % kChunk == 0) chunks_.emplace_back(new TermState[kChunk]);
    return size_++;
  }
  void Clear() {
    chunks_.clear();
    chunks_.shrink_to_fit();
  }

 private:
  static constexpr uint32_t kShift = 16, kChunk = 1u << kShift;
  std::vector<std::unique_ptr<TermState[]>> chunks_;
  uint32_t size_ = 0;
};

class IndexBuilder {
 public:
  explicit IndexBuilder(uint32_t flags) : flags_(flags), cctx_(ZSTD_createCCtx()) {}
  ~IndexBuilder() {
    ZSTD_freeCDict(cdict_);
    ZSTD_freeCCtx(cctx_);
  }

  void Add(std::string_view id, std::string_view title, std::string_view text) {
    const uint32_t doc = static_cast<uint32_t>(doc_lengths_.size());
    // The title is searched too (prepended, as the usual recipes do).
    joined_.assign(title);
    if (!title.empty()) joined_ += '\n';
    joined_ += text;
    retrieval::Terms(joined_, flags_, &terms_, &words_);
    const uint32_t dl = static_cast<uint32_t>(terms_.size());
    doc_lengths_.push_back(dl);
    total_terms_ += terms_.size();
    std::sort(terms_.begin(), terms_.end());
    for (size_t i = 0; i < terms_.size();) {
      size_t j = i;
      while (j < terms_.size() && terms_[j] == terms_[i]) ++j;
      const uint32_t next = static_cast<uint32_t>(table_.size());
      const uint32_t s = table_.FindOrInsert(terms_[i], next);
      if (s == next) states_.Add();
      AddPosting(states_[s], doc, static_cast<uint32_t>(j - i), dl);
      ++num_postings_;
      i = j;
    }
    const size_t before = block_.size();
    PutVarint(id.size(), &block_);
    block_.append(id);
    PutVarint(title.size(), &block_);
    block_.append(title);
    PutVarint(text.size(), &block_);
    block_.append(text);
    if (!trained_) sample_sizes_.push_back(block_.size() - before);
    if (block_.size() >= retrieval::kStoreBlockBytes) CloseBlock();
  }

  size_t documents() const { return doc_lengths_.size(); }
  size_t terms() const { return table_.size(); }
  size_t postings() const { return num_postings_; }

  // The whole file.
  std::string Finish() {
    if (!block_.empty()) CloseBlock();
    if (!trained_) Train();
    block_offsets_.push_back(store_.size());
    first_docs_.push_back(static_cast<uint32_t>(doc_lengths_.size()));
    const uint64_t num_docs = doc_lengths_.size();

    // Postings, in hash order, and the two hash tables' keys and values.
    const std::vector<uint64_t> all = table_.TakeSorted();
    std::vector<uint32_t> single_keys, single_docs, list_keys;
    std::vector<uint64_t> list_offsets;
    std::string postings, body, data;
    std::vector<uint32_t> docs, tfs, scratch(2 * retrieval::kPostingsPerBlock);
    for (uint64_t kv : all) {
      TermState& t = states_[static_cast<uint32_t>(kv)];
      const uint32_t key = static_cast<uint32_t>(kv >> 32);
      if (t.df == 1 && t.max_tf == 1) {
        single_keys.push_back(key);
        single_docs.push_back(t.last_doc);
        continue;
      }
      list_keys.push_back(key);
      list_offsets.push_back(postings.size());
      docs.clear();
      tfs.clear();
      if (t.df == 1) {
        docs.push_back(t.last_doc);
        tfs.push_back(t.max_tf);
      } else {
        std::string& raw = lists_[t.list];
        const uint8_t* p = reinterpret_cast<const uint8_t*>(raw.data());
        const uint8_t* end = p + raw.size();
        uint32_t next = 0, gap, tf;
        while (p < end && retrieval::GetVarint(&p, end, &gap) && retrieval::GetVarint(&p, end, &tf)) {
          docs.push_back(next + gap);
          tfs.push_back(tf);
          next += gap + 1;
        }
        std::string().swap(raw);  // Free as we go.
      }
      const size_t n = docs.size(), blocks = (n + retrieval::kPostingsPerBlock - 1) / retrieval::kPostingsPerBlock;
      body.clear();
      data.clear();
      for (size_t b = 0; b < blocks; ++b) {
        const size_t begin = b * retrieval::kPostingsPerBlock,
                     count = std::min(retrieval::kPostingsPerBlock, n - begin);
        retrieval::EncodeBlock(docs.data() + begin, tfs.data() + begin, count, b == 0 ? 0 : docs[begin - 1] + 1,
                               &data, scratch.data());
        if (blocks > 1) {
          AppendU32(docs[begin + count - 1], &body);
          AppendU32(static_cast<uint32_t>(data.size()), &body);
        }
      }
      PutVarint(t.df, &postings);
      PutVarint(t.max_tf, &postings);
      PutVarint(t.min_dl, &postings);
      postings += body;
      postings += data;
    }
    std::vector<std::string>().swap(lists_);
    states_.Clear();
    const std::string singles = HashTable(single_keys, single_docs, retrieval::DocBits(num_docs));
    const std::string lists = HashTable(list_keys, list_offsets, retrieval::OffsetBits(postings.size()));

    uint32_t max_dl = 0;
    for (uint32_t dl : doc_lengths_) max_dl = std::max(max_dl, dl);
    const uint32_t dl_bits = retrieval::BitWidth(max_dl);
    std::string doclens(retrieval::PackedBytes(num_docs, dl_bits), '\0');
    for (size_t d = 0; d < num_docs; ++d) {
      retrieval::PutPacked(reinterpret_cast<uint8_t*>(doclens.data()), d, dl_bits, doc_lengths_[d]);
    }
    std::string blocks;
    for (uint64_t o : block_offsets_) blocks.append(reinterpret_cast<const char*>(&o), 8);
    for (uint32_t d : first_docs_) AppendU32(d, &blocks);

    const std::string* sections[retrieval::kSections] = {&singles, &lists, &postings, &doclens,
                                                         &blocks,  &zdict_, &store_};
    uint64_t total = retrieval::kHeaderBytes;
    for (const std::string* s : sections) total += s->size();
    std::string file(retrieval::kHeaderBytes, '\0');
    file.reserve(total);
    std::memcpy(file.data(), retrieval::kIndexMagic, 8);
    PutAt(8, retrieval::kIndexMajor, &file);
    PutAt(10, retrieval::kIndexMinor, &file);
    PutAt(12, flags_, &file);
    PutAt(retrieval::kNumDocsOffset, num_docs, &file);
    PutAt(retrieval::kNumSinglesOffset, static_cast<uint64_t>(single_keys.size()), &file);
    PutAt(retrieval::kNumListsOffset, static_cast<uint64_t>(list_keys.size()), &file);
    PutAt(retrieval::kTotalTermsOffset, total_terms_, &file);
    PutAt(retrieval::kNumBlocksOffset, static_cast<uint64_t>(first_docs_.size() - 1), &file);
    PutAt(retrieval::kDocLenBitsOffset, dl_bits, &file);
    for (int s = 0; s < retrieval::kSections; ++s) {
      PutAt(retrieval::kSectionTableOffset + 16 * s, static_cast<uint64_t>(file.size()), &file);
      PutAt(retrieval::kSectionTableOffset + 16 * s + 8, static_cast<uint64_t>(sections[s]->size()), &file);
      file += *sections[s];
      if (sections[s] == &postings) std::string().swap(postings);
      if (sections[s] == &store_) std::string().swap(store_);
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

  // A hash table section (index_format.h) of sorted `keys` and their `values`.
  template <typename V>
  static std::string HashTable(const std::vector<uint32_t>& keys, const std::vector<V>& values, uint32_t value_bits) {
    const uint64_t n = keys.size();
    const uint32_t k = retrieval::BucketBits(n), rest = 32 - k;
    std::string out(retrieval::HashTableBytes(n, value_bits), '\0');
    uint8_t* p = reinterpret_cast<uint8_t*>(out.data());
    std::vector<uint32_t> counts((size_t{1} << k) + 1, 0);
    for (uint32_t key : keys) ++counts[(uint64_t{key} >> rest) + 1];
    for (size_t j = 1; j < counts.size(); ++j) counts[j] += counts[j - 1];
    std::memcpy(p, counts.data(), 4 * counts.size());
    uint8_t* rests = p + 4 * counts.size();
    uint8_t* vals = rests + retrieval::PackedBytes(n, rest);
    const uint64_t rest_mask = (uint64_t{1} << rest) - 1;
    for (uint64_t i = 0; i < n; ++i) {
      retrieval::PutPacked(rests, i, rest, keys[i] & rest_mask);
      retrieval::PutPacked(vals, i, value_bits, values[i]);
    }
    return out;
  }

  void AddPosting(TermState& t, uint32_t doc, uint32_t tf, uint32_t dl) {
    if (t.df == 1) {  // A second posting: the term gets a list, starting with its first.
      t.list = static_cast<uint32_t>(lists_.size());
      lists_.emplace_back();
      PutVarint(t.last_doc, &lists_.back());
      PutVarint(t.max_tf, &lists_.back());
    }
    if (t.df >= 1) {
      PutVarint(doc - (t.last_doc + 1), &lists_[t.list]);
      PutVarint(tf, &lists_[t.list]);
    }
    t.last_doc = doc;
    ++t.df;
    t.max_tf = std::max(t.max_tf, tf);
    t.min_dl = std::min(t.min_dl, dl);
  }

  // Ends the current store block: kept raw until the dictionary is trained, compressed from then on.
  void CloseBlock() {
    first_docs_.push_back(block_first_doc_);
    block_first_doc_ = static_cast<uint32_t>(doc_lengths_.size());
    if (trained_) {
      Compress(block_);
    } else {
      pending_ += block_;
      pending_sizes_.push_back(block_.size());
      if (pending_.size() >= retrieval::kZdictSampleBytes) Train();
    }
    block_.clear();
  }

  // Trains the store's dictionary on the documents so far (each a sample), then compresses their blocks.
  void Train() {
    trained_ = true;
    const size_t capacity = std::min(retrieval::kZdictMaxBytes, pending_.size() / 32);
    if (capacity >= 4096 && sample_sizes_.size() >= 16) {
      zdict_.resize(capacity);
      const size_t n = ZDICT_trainFromBuffer(zdict_.data(), capacity, pending_.data(), sample_sizes_.data(),
                                             static_cast<unsigned>(sample_sizes_.size()));
      zdict_.resize(ZDICT_isError(n) ? 0 : n);
    }
    if (!zdict_.empty()) cdict_ = ZSTD_createCDict(zdict_.data(), zdict_.size(), retrieval::kStoreLevel);
    if (!zdict_.empty() && !cdict_) zdict_.clear();
    size_t at = 0;
    for (size_t size : pending_sizes_) {
      Compress(std::string_view(pending_).substr(at, size));
      at += size;
    }
    std::string().swap(pending_);
    std::vector<size_t>().swap(pending_sizes_);
    std::vector<size_t>().swap(sample_sizes_);
  }

  void Compress(std::string_view raw) {
    block_offsets_.push_back(store_.size());
    const size_t old = store_.size();
    store_.resize(old + ZSTD_compressBound(raw.size()));
    const size_t n = cdict_ ? ZSTD_compress_usingCDict(cctx_, store_.data() + old, store_.size() - old, raw.data(),
                                                       raw.size(), cdict_)
                            : ZSTD_compressCCtx(cctx_, store_.data() + old, store_.size() - old, raw.data(),
                                                raw.size(), retrieval::kStoreLevel);
    store_.resize(old + (ZSTD_isError(n) ? 0 : n));
  }

  uint32_t flags_;
  TermTable table_;
  StateArray states_;
  std::vector<std::string> lists_;
  std::vector<uint32_t> doc_lengths_;
  uint64_t total_terms_ = 0;
  size_t num_postings_ = 0;
  // The store: the open block, blocks waiting for the dictionary, the compressed blocks.
  std::string block_, pending_, store_, zdict_;
  uint32_t block_first_doc_ = 0;
  std::vector<size_t> pending_sizes_, sample_sizes_;
  bool trained_ = false;
  ZSTD_CCtx* cctx_;
  ZSTD_CDict* cdict_ = nullptr;
  std::vector<uint64_t> block_offsets_;
  std::vector<uint32_t> first_docs_;
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
  // Ids seen, as 64-bit hashes (8 bytes a document, not the ids themselves; two different ids share a hash with
  // odds of about 1e-8 in a collection of a million). A later document with an id already seen is refused.
  std::unordered_set<uint64_t> seen_ids;
  const auto id_hash = [](const std::string& id) {
    return uint64_t{core::Murmur3_32(id, 0x9747b28cu)} << 32 | core::Murmur3_32(id, 0x5bd1e995u);
  };
  for (const std::string& path : options.input_paths) {
    // A document without an id is named by its line; with several inputs, by file and line, so that the names
    // stay unique.
    const std::string id_prefix = options.input_paths.size() > 1 ? path + ":" : "";
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
      const auto unique = [&](const std::string& id) {
        if (seen_ids.insert(id_hash(id)).second) return true;
        skip(absl::StrFormat("duplicate id \"%s\" (an earlier document has it; ids must be unique)", id.substr(0, 200)));
        return false;
      };
      if (format == "text") {
        if (line.find_first_not_of(" \t") == std::string::npos) continue;
        const std::string id = id_prefix + std::to_string(n);
        if (unique(id)) builder.Add(id, "", line);
      } else {
        if (line.find_first_not_of(" \t") == std::string::npos) continue;
        nlohmann::json j;
        try {
          j = nlohmann::json::parse(line);
        } catch (const nlohmann::json::exception& e) {
          // nlohmann's message says where in the line and what: "syntax error while parsing object key - ...".
          std::string what = e.what();
          if (const size_t bracket = what.find("] "); what.rfind("[json.exception", 0) == 0 && bracket != std::string::npos) {
            what = what.substr(bracket + 2);
          }
          if (what.rfind("parse error at line 1, ", 0) == 0) what = "parse error at " + what.substr(23);
          skip("not valid JSON: " + what);
          continue;
        }
        if (!j.is_object()) {
          skip(absl::StrFormat("a JSON %s, not an object {\"id\", \"title\", \"text\"}", j.type_name()));
          continue;
        }
        const auto text = j.find("text");
        if (text == j.end() || !text->is_string()) {
          skip("no \"text\" string");
          continue;
        }
        std::string id = id_prefix + std::to_string(n);
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
        if (!unique(id)) continue;
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
