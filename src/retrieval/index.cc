// Index::Open (mapping and checking the file), GetDocument, Search (BM25 or TF-IDF with MaxScore).
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>

#include "absl/strings/str_format.h"
#include "slimnlp/retrieval.h"
#include "src/core/crc32c.h"
#include "src/core/utf8.h"
#include "src/retrieval/index_format.h"
#include "src/retrieval/terms.h"

namespace slimnlp {

using retrieval::GetVarint;

namespace {

// A hash table section (index_format.h): terms by hash, each with a value.
struct HashTable {
  uint64_t n = 0;
  uint32_t k = 0, value_bits = 0;
  const uint8_t* counts = nullptr;  // (2^k + 1) u32
  const uint8_t* rests = nullptr;
  const uint8_t* values = nullptr;

  uint32_t Count(uint64_t j) const {
    uint32_t v;
    std::memcpy(&v, counts + 4 * j, 4);
    return v;
  }
  uint32_t Rest(uint64_t i) const { return static_cast<uint32_t>(retrieval::GetPacked(rests, i, 32 - k)); }
  // Points the table at `p` (HashTableBytes(n, value_bits) bytes, checked by the caller).
  void Set(const uint8_t* p, uint64_t terms, uint32_t bits) {
    n = terms;
    k = retrieval::BucketBits(n);
    value_bits = bits;
    counts = p;
    rests = counts + 4 * ((uint64_t{1} << k) + 1);
    values = rests + retrieval::PackedBytes(n, 32 - k);
  }
  // Every bucket's range in order and within n, hashes ascending within each bucket, values below `limit`.
  bool Check(uint64_t limit) const {
    if (Count(0) != 0 || Count(uint64_t{1} << k) != n) return false;
    for (uint64_t j = 0; j < (uint64_t{1} << k); ++j) {
      const uint32_t begin = Count(j), end = Count(j + 1);
      if (begin > end || end > n) return false;
      for (uint32_t i = begin; i + 1 < end; ++i) {
        if (Rest(i) >= Rest(i + 1)) return false;
      }
    }
    for (uint64_t i = 0; i < n; ++i) {
      if (retrieval::GetPacked(values, i, value_bits) >= limit) return false;
    }
    return true;
  }
  // The value of `term`, if it is here.
  bool Find(uint32_t term, uint64_t* value) const {
    if (n == 0) return false;
    const uint64_t j = uint64_t{term} >> (32 - k);
    const uint32_t rest = static_cast<uint32_t>(term & ((uint64_t{1} << (32 - k)) - 1));
    uint32_t lo = Count(j), hi = Count(j + 1);
    while (lo < hi) {
      const uint32_t mid = lo + (hi - lo) / 2;
      if (Rest(mid) < rest) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    if (lo == Count(j + 1) || Rest(lo) != rest) return false;
    *value = retrieval::GetPacked(values, lo, value_bits);
    return true;
  }
};

// A term's statistics and where its postings are.
struct TermInfo {
  uint32_t df = 0, max_tf = 0, min_dl = 0;
  bool single = false;
  uint32_t doc = 0;                                     // single: the document (tf 1).
  const uint8_t *data = nullptr, *data_end = nullptr;   // Otherwise: the list after its header, the section end.
};

}  // namespace

struct Index::Impl {
  std::string path;
  const uint8_t* base = nullptr;
  size_t size = 0;
  uint64_t num_docs = 0;
  uint32_t flags = 0;  // retrieval::TermFlags the index was built with.
  uint64_t total_terms = 0;
  double avg_dl = 1;
  HashTable singles, lists;
  const uint8_t* postings = nullptr;
  uint64_t postings_size = 0;
  const uint8_t* doclens = nullptr;
  uint32_t doclen_bits = 0;
  uint64_t num_blocks = 0;
  const uint8_t* blocks = nullptr;  // (num_blocks + 1) u64 offsets, then (num_blocks + 1) u32 first documents.
  const uint8_t* store = nullptr;
  uint64_t store_size = 0;
  ZSTD_DDict* ddict = nullptr;  // The store's dictionary, if it has one.

  ~Impl() {
    ZSTD_freeDDict(ddict);
    if (base) munmap(const_cast<uint8_t*>(base), size);
  }
  template <typename T>
  T At(const uint8_t* p) const {
    T v;
    std::memcpy(&v, p, sizeof(v));
    return v;
  }
  uint32_t DocLength(uint32_t d) const {
    return static_cast<uint32_t>(retrieval::GetPacked(doclens, d, doclen_bits));
  }
  uint64_t BlockOffset(uint64_t b) const { return At<uint64_t>(blocks + 8 * b); }
  uint32_t FirstDoc(uint64_t b) const { return At<uint32_t>(blocks + 8 * (num_blocks + 1) + 4 * b); }

  // Looks `term` up; false if absent or its postings header is damaged (reads stay within the section).
  bool Lookup(uint32_t term, TermInfo* info) const {
    const Impl& m = *this;
    uint64_t v;
    if (m.singles.Find(term, &v)) {
      info->single = true;
      info->df = info->max_tf = 1;
      info->doc = static_cast<uint32_t>(v);
      info->min_dl = m.DocLength(info->doc);
      return true;
    }
    if (!m.lists.Find(term, &v)) return false;
    const uint8_t* p = m.postings + v;
    const uint8_t* end = m.postings + m.postings_size;
    if (!GetVarint(&p, end, &info->df) || !GetVarint(&p, end, &info->max_tf) || !GetVarint(&p, end, &info->min_dl) ||
        info->df == 0 || info->df > m.num_docs || info->max_tf == 0) {
      return false;
    }
    info->single = false;
    info->data = p;
    info->data_end = end;  // The list's blocks end before; this bounds every read.
    return true;
  }
};

namespace {

absl::Status Damaged(const std::string& path, const std::string& what) {
  return absl::DataLossError(absl::StrFormat("%s: damaged or not a slimnlp index: %s", path, what));
}

// Reads one term's postings in doc order, decoding one at a time, with NextGEQ skipping whole blocks unread.
// The data is bounds-checked: a damaged block, or one naming a doc past the index, ends the list.
class Cursor {
 public:
  Cursor(const TermInfo& t, uint64_t num_docs) : num_docs_(num_docs) {
    if (t.single) {
      doc_ = t.doc;
      tf_ = 1;
      blocks_ = 1;
      done_ = false;
      return;
    }
    df_ = t.df;
    blocks_ = static_cast<uint32_t>((uint64_t{df_} + retrieval::kPostingsPerBlock - 1) / retrieval::kPostingsPerBlock);
    const uint8_t* p = t.data;
    if (blocks_ > 1) {
      if (uint64_t{blocks_} * 8 > static_cast<uint64_t>(t.data_end - p)) return;
      skips_ = p;
      p += size_t{blocks_} * 8;
    }
    data_ = p;
    data_len_ = static_cast<uint64_t>(t.data_end - p);
    done_ = false;
    if (SetBlock(0)) Next();
  }
  bool done() const { return done_; }
  uint32_t doc() const { return doc_; }
  uint32_t tf() const { return tf_; }

  void Advance() {
    if (left_ == 0 && (block_ + 1 >= blocks_ || !SetBlock(block_ + 1))) {
      done_ = true;
      return;
    }
    Next();
  }

  // Moves to the first posting with doc >= target.
  void NextGEQ(uint32_t target) {
    if (done_ || doc_ >= target) return;
    if (skips_ && Skip(block_, 0) < target) {  // Whole blocks before the target are skipped unread.
      uint32_t b = block_ + 1;
      while (b < blocks_ && Skip(b, 0) < target) ++b;
      if (b >= blocks_ || !SetBlock(b)) {
        done_ = true;
        return;
      }
      Next();
    }
    while (!done_ && doc_ < target) Advance();
  }

 private:
  uint32_t Skip(uint32_t block, int field) const {
    uint32_t v;
    std::memcpy(&v, skips_ + 8 * size_t{block} + 4 * field, 4);
    return v;
  }
  // Starts block b (reads its one or two header bytes); false (and done) if it is damaged.
  bool SetBlock(uint32_t b) {
    const uint64_t begin = b == 0 ? 0 : Skip(b - 1, 1), end = skips_ ? Skip(b, 1) : data_len_;
    const uint64_t base = b == 0 ? 0 : uint64_t{Skip(b - 1, 0)} + 1;
    const uint8_t* p = data_ + begin;
    if (begin >= end || end > data_len_ || base >= num_docs_ || (*p >> 6) != 0) return Fail();
    kg_ = *p & 31;
    all1_ = *p++ & 32;
    if (!all1_) {
      if (p == data_ + end || *p > 31) return Fail();
      kt_ = *p++;
    }
    bits_ = retrieval::BitReader(p, data_ + end);
    block_ = b;
    left_ = b + 1 < blocks_ ? retrieval::kPostingsPerBlock : df_ - b * retrieval::kPostingsPerBlock;
    next_ = base;
    return true;
  }
  bool Fail() {
    done_ = true;
    return false;
  }
  // Decodes the block's next posting (left_ > 0).
  void Next() {
    if (done_) return;
    uint32_t v, t = 0;
    if (!bits_.Rice(kg_, &v) || next_ + v >= num_docs_ || (!all1_ && (!bits_.Rice(kt_, &t) || t == UINT32_MAX))) {
      done_ = true;
      return;
    }
    doc_ = static_cast<uint32_t>(next_ + v);
    next_ = next_ + v + 1;
    tf_ = t + 1;
    --left_;
  }

  uint64_t num_docs_ = 0, data_len_ = 0, next_ = 0;
  uint32_t df_ = 0, blocks_ = 0, block_ = 0, left_ = 0, kg_ = 0, kt_ = 0;
  const uint8_t *skips_ = nullptr, *data_ = nullptr;
  retrieval::BitReader bits_{nullptr, nullptr};
  uint32_t doc_ = 0, tf_ = 0;
  bool all1_ = true, done_ = true;
};

}  // namespace

Index::Index(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Index::~Index() = default;
size_t Index::size() const { return impl_->num_docs; }

absl::StatusOr<std::unique_ptr<Index>> Index::Open(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int e = errno;
    const std::string why = absl::StrFormat("%s: %s", path, std::strerror(e));
    return e == ENOENT ? absl::NotFoundError(why) : absl::PermissionDeniedError(why);
  }
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return absl::InvalidArgumentError(path + ": not a regular file");
  }
  auto impl = std::make_unique<Impl>();
  impl->path = path;
  impl->size = static_cast<size_t>(st.st_size);
  // The version is read first (an older file may be shorter than this header).
  if (impl->size >= 10) {
    uint8_t head[10];
    if (::pread(fd, head, 10, 0) == 10 && std::memcmp(head, retrieval::kIndexMagic, 8) == 0) {
      const uint16_t major = static_cast<uint16_t>(head[8] | (head[9] << 8));
      if (major != retrieval::kIndexMajor) {
        ::close(fd);
        return absl::FailedPreconditionError(absl::StrFormat(
            "%s: index format version %d is %s than this slimnlp reads (%d); %s", path, major,
            major > retrieval::kIndexMajor ? "newer" : "older", retrieval::kIndexMajor,
            major > retrieval::kIndexMajor ? "upgrade slimnlp" : "rebuild it with slimnlp index"));
      }
    }
  }
  if (impl->size < retrieval::kHeaderBytes) {
    ::close(fd);
    return Damaged(path, absl::StrFormat("%d bytes, shorter than the %d-byte header", impl->size,
                                         retrieval::kHeaderBytes));
  }
  void* mapped = mmap(nullptr, impl->size, PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);
  if (mapped == MAP_FAILED) {
    return absl::InternalError(absl::StrFormat("%s: mmap failed: %s", path, std::strerror(errno)));
  }
  impl->base = static_cast<const uint8_t*>(mapped);
  const uint8_t* h = impl->base;
  if (std::memcmp(h, retrieval::kIndexMagic, 8) != 0) return Damaged(path, "bad magic");
  if (impl->At<uint32_t>(h + retrieval::kHeaderCrcOffset + 4) != core::Crc32cExtend(0, h, retrieval::kHeaderCrcOffset)) {
    return Damaged(path, "header checksum mismatch");
  }
  if (impl->At<uint32_t>(h + retrieval::kHeaderCrcOffset) !=
      core::Crc32cExtend(0, h + retrieval::kHeaderBytes, impl->size - retrieval::kHeaderBytes)) {
    return Damaged(path, "checksum mismatch (truncated or corrupted)");
  }
  Impl& m = *impl;
  m.flags = m.At<uint32_t>(h + 12);
  if (m.flags & ~uint32_t{retrieval::kStem | retrieval::kStopwords}) return Damaged(path, "unknown term flags");
  m.num_docs = m.At<uint64_t>(h + retrieval::kNumDocsOffset);
  const uint64_t num_singles = m.At<uint64_t>(h + retrieval::kNumSinglesOffset);
  const uint64_t num_lists = m.At<uint64_t>(h + retrieval::kNumListsOffset);
  const uint64_t total_terms = m.At<uint64_t>(h + retrieval::kTotalTermsOffset);
  m.num_blocks = m.At<uint64_t>(h + retrieval::kNumBlocksOffset);
  m.doclen_bits = m.At<uint32_t>(h + retrieval::kDocLenBitsOffset);
  uint64_t offset[retrieval::kSections], size[retrieval::kSections];
  uint64_t expect = retrieval::kHeaderBytes;
  for (int s = 0; s < retrieval::kSections; ++s) {
    offset[s] = m.At<uint64_t>(h + retrieval::kSectionTableOffset + 16 * s);
    size[s] = m.At<uint64_t>(h + retrieval::kSectionTableOffset + 16 * s + 8);
    if (offset[s] != expect || size[s] > m.size - offset[s]) return Damaged(path, "bad section table");
    expect = offset[s] + size[s];
  }
  if (expect != m.size) return Damaged(path, "sections do not end at the end of the file");
  // Counts are bounded by the file's size before they are multiplied.
  if (m.num_docs == 0 || m.num_docs > UINT32_MAX || num_singles > m.size || num_lists > m.size ||
      num_singles + num_lists > UINT32_MAX || m.doclen_bits > 32 || m.num_blocks == 0 ||
      m.num_blocks > m.num_docs ||
      size[retrieval::kSingles] != retrieval::HashTableBytes(num_singles, retrieval::DocBits(m.num_docs)) ||
      size[retrieval::kLists] != retrieval::HashTableBytes(num_lists, retrieval::OffsetBits(size[retrieval::kPostings])) ||
      size[retrieval::kDocLengths] != retrieval::PackedBytes(m.num_docs, m.doclen_bits) ||
      size[retrieval::kBlocks] != (m.num_blocks + 1) * 12) {
    return Damaged(path, "section sizes disagree with the document and term counts");
  }
  m.singles.Set(h + offset[retrieval::kSingles], num_singles, retrieval::DocBits(m.num_docs));
  m.lists.Set(h + offset[retrieval::kLists], num_lists, retrieval::OffsetBits(size[retrieval::kPostings]));
  m.postings = h + offset[retrieval::kPostings];
  m.postings_size = size[retrieval::kPostings];
  m.doclens = h + offset[retrieval::kDocLengths];
  m.blocks = h + offset[retrieval::kBlocks];
  m.store = h + offset[retrieval::kStore];
  m.store_size = size[retrieval::kStore];
  m.total_terms = total_terms;
  m.avg_dl = std::max(1.0, static_cast<double>(total_terms) / m.num_docs);
  if (!m.singles.Check(m.num_docs)) return Damaged(path, "the dictionary of single-document terms is out of order or bounds");
  if (!m.lists.Check(m.postings_size)) {
    return Damaged(path, "the dictionary of posting lists is out of order or out of bounds");
  }
  if (m.FirstDoc(0) != 0 || m.FirstDoc(m.num_blocks) != m.num_docs || m.BlockOffset(0) != 0 ||
      m.BlockOffset(m.num_blocks) != m.store_size) {
    return Damaged(path, "document blocks do not cover the store");
  }
  for (uint64_t b = 0; b < m.num_blocks; ++b) {
    if (m.BlockOffset(b) > m.BlockOffset(b + 1) || m.FirstDoc(b) >= m.FirstDoc(b + 1)) {
      return Damaged(path, "document blocks out of order");
    }
  }
  if (size[retrieval::kZdict] > 0) {
    m.ddict = ZSTD_createDDict(h + offset[retrieval::kZdict], size[retrieval::kZdict]);
    if (!m.ddict) return Damaged(path, "the document store's dictionary does not load");
  }
  return std::unique_ptr<Index>(new Index(std::move(impl)));
}

absl::StatusOr<Document> Index::GetDocument(uint32_t doc) const {
  const Impl& m = *impl_;
  if (doc >= m.num_docs) return absl::OutOfRangeError(absl::StrFormat("document %d of %d", doc, m.num_docs));
  // The block: the last whose first document is <= doc.
  uint64_t lo = 0, hi = m.num_blocks;  // FirstDoc(lo) <= doc < FirstDoc(hi)
  while (hi - lo > 1) {
    const uint64_t mid = lo + (hi - lo) / 2;
    (m.FirstDoc(mid) <= doc ? lo : hi) = mid;
  }
  const uint64_t b = lo;
  const uint64_t begin = m.BlockOffset(b), end = m.BlockOffset(b + 1);
  const unsigned long long raw = ZSTD_getFrameContentSize(m.store + begin, end - begin);
  if (raw == ZSTD_CONTENTSIZE_ERROR || raw == ZSTD_CONTENTSIZE_UNKNOWN || raw > (1ull << 31)) {
    return Damaged(m.path, absl::StrFormat("document block %d", b));
  }
  struct DCtxDeleter {
    void operator()(ZSTD_DCtx* c) const { ZSTD_freeDCtx(c); }
  };
  thread_local std::unique_ptr<ZSTD_DCtx, DCtxDeleter> dctx(ZSTD_createDCtx());
  thread_local std::string block;
  block.resize(raw);
  const size_t got = m.ddict ? ZSTD_decompress_usingDDict(dctx.get(), block.data(), block.size(), m.store + begin,
                                                          end - begin, m.ddict)
                             : ZSTD_decompressDCtx(dctx.get(), block.data(), block.size(), m.store + begin, end - begin);
  if (ZSTD_isError(got) || got != raw) {
    return Damaged(m.path, absl::StrFormat("document block %d does not decompress", b));
  }
  const uint8_t* p = reinterpret_cast<const uint8_t*>(block.data());
  const uint8_t* e = p + block.size();
  Document d;
  std::string* fields[3] = {&d.id, &d.title, &d.text};
  for (uint64_t i = m.FirstDoc(b); i <= doc; ++i) {
    for (std::string* f : fields) {
      uint32_t len;
      if (!GetVarint(&p, e, &len) || len > static_cast<uint64_t>(e - p)) {
        return Damaged(m.path, absl::StrFormat("document %d", i));
      }
      if (i == doc) f->assign(reinterpret_cast<const char*>(p), len);
      p += len;
    }
  }
  return d;
}

// The statistics of the whole collection an index is a shard of.
struct Index::Collection {
  double num_docs = 0, avg_dl = 1;
  std::vector<const Index*> shards;
  // A term's document frequency in the whole collection.
  uint32_t DocumentFrequency(uint32_t term) const {
    uint64_t df = 0;
    TermInfo e;
    for (const Index* s : shards) df += s->impl_->Lookup(term, &e) ? e.df : 0;
    return static_cast<uint32_t>(df);
  }
};

void Index::Search(std::string_view query, const SearchOptions& options, std::vector<SearchHit>* hits) const {
  Search(query, options, nullptr, nullptr, hits);
}

void Index::Search(std::string_view query, const SearchOptions& options, const Collection* collection,
                   const std::vector<std::pair<uint32_t, uint32_t>>* dfs, std::vector<SearchHit>* hits) const {
  hits->clear();
  const Impl& m = *impl_;
  const double avg_dl = collection ? collection->avg_dl : m.avg_dl;
  thread_local std::vector<uint32_t> terms, words;
  retrieval::Terms(query, m.flags, &terms, &words);
  std::sort(terms.begin(), terms.end());
  terms.erase(std::unique(terms.begin(), terms.end()), terms.end());
  if (options.k == 0) return;

  const bool bm25 = options.scoring == SearchOptions::Scoring::kBm25;
  const double n = collection ? collection->num_docs : static_cast<double>(m.num_docs);
  const double k1 = options.k1, b = options.b;
  const auto collection_df = [&](uint32_t t) -> uint32_t {
    if (dfs) {
      const auto known = std::lower_bound(dfs->begin(), dfs->end(), std::make_pair(t, uint32_t{0}));
      if (known != dfs->end() && known->first == t) return known->second;
    }
    return collection->DocumentFrequency(t);
  };
  struct Term {
    Cursor cursor;
    double idf, upper;
  };
  thread_local std::vector<Term> list;
  list.clear();
  for (uint32_t t : terms) {
    TermInfo e;
    if (!m.Lookup(t, &e)) continue;
    const double df = collection ? collection_df(t) : e.df;
    double idf, upper;
    if (bm25) {
      idf = std::log(1 + (n - df + 0.5) / (df + 0.5));
      upper = idf * e.max_tf * (k1 + 1) / (e.max_tf + k1 * (1 - b + b * e.min_dl / avg_dl));
    } else {  // DrQA: log1p(tf) * idf, idf = max(0, log((N - df + 0.5) / (df + 0.5))).
      idf = std::max(0.0, std::log((n - df + 0.5) / (df + 0.5)));
      upper = idf * std::log1p(e.max_tf);
    }
    if (upper <= 0) continue;
    list.push_back({Cursor(e, m.num_docs), idf, upper * 1.0001 + 1e-9});
  }
  const auto score_of = [&](const Term& t) {
    const double tf = t.cursor.tf();
    if (!bm25) return t.idf * std::log1p(tf);
    const double dl = m.DocLength(t.cursor.doc());
    return t.idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * dl / avg_dl));
  };
  // MaxScore (Turtle and Flood): terms in ascending order of their best possible score. The first few, whose
  // bounds together cannot lift a document past the k-th score so far, are "non-essential": documents are
  // taken only from the others, and looked up in them only while they could still matter.
  std::sort(list.begin(), list.end(), [](const Term& x, const Term& y) { return x.upper < y.upper; });
  thread_local std::vector<double> prefix;  // prefix[i] = sum of the bounds of list[0..i).
  prefix.assign(1, 0.0);
  for (const Term& t : list) prefix.push_back(prefix.back() + t.upper);
  const auto worse = [](const SearchHit& x, const SearchHit& y) {  // Heap order: the weakest hit on top.
    return x.score != y.score ? x.score > y.score : x.doc < y.doc;
  };
  double threshold = 0;
  size_t essential = 0;
  while (true) {
    uint32_t d = UINT32_MAX;
    for (size_t i = essential; i < list.size(); ++i) {
      if (!list[i].cursor.done()) d = std::min(d, list[i].cursor.doc());
    }
    if (d == UINT32_MAX) break;
    double score = 0;
    for (size_t i = essential; i < list.size(); ++i) {
      Cursor& c = list[i].cursor;
      if (!c.done() && c.doc() == d) {
        score += score_of(list[i]);
        c.Advance();
      }
    }
    for (size_t i = essential; i-- > 0;) {
      if (score + prefix[i + 1] <= threshold) break;
      Cursor& c = list[i].cursor;
      c.NextGEQ(d);
      if (!c.done() && c.doc() == d) score += score_of(list[i]);
    }
    if (hits->size() < options.k || score > threshold) {
      hits->push_back({d, static_cast<float>(score)});
      std::push_heap(hits->begin(), hits->end(), worse);
      if (hits->size() > options.k) {
        std::pop_heap(hits->begin(), hits->end(), worse);
        hits->pop_back();
      }
      if (hits->size() == options.k) {
        threshold = hits->front().score;
        while (essential < list.size() && prefix[essential + 1] <= threshold) ++essential;
      }
    }
  }
  std::sort(hits->begin(), hits->end(), worse);
}

ShardedIndex::~ShardedIndex() = default;
size_t ShardedIndex::size() const { return first_doc_.back(); }
size_t ShardedIndex::shards() const { return shards_.size(); }

absl::StatusOr<std::unique_ptr<ShardedIndex>> ShardedIndex::Open(const std::vector<std::string>& paths) {
  if (paths.empty()) return absl::InvalidArgumentError("a sharded index needs at least one shard");
  std::unique_ptr<ShardedIndex> sharded(new ShardedIndex());
  sharded->collection_ = std::make_unique<Index::Collection>();
  uint64_t docs = 0, total_terms = 0;
  for (const std::string& path : paths) {
    absl::StatusOr<std::unique_ptr<Index>> shard = Index::Open(path);
    if (!shard.ok()) return shard.status();
    const Index::Impl& m = *(*shard)->impl_;
    if (!sharded->shards_.empty() && m.flags != sharded->shards_[0]->impl_->flags) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s: built with other term options (stopwords, stemming) than %s; shards must be built alike", path,
          paths[0]));
    }
    sharded->first_doc_.push_back(static_cast<uint32_t>(docs));
    docs += m.num_docs;
    total_terms += m.total_terms;
    if (docs > UINT32_MAX) return absl::InvalidArgumentError("more than 2^32 documents over the shards");
    sharded->collection_->shards.push_back(shard->get());
    sharded->shards_.push_back(*std::move(shard));
  }
  sharded->first_doc_.push_back(static_cast<uint32_t>(docs));
  // As Index::Open computes it for one index over all the documents.
  sharded->collection_->num_docs = static_cast<double>(docs);
  sharded->collection_->avg_dl = std::max(1.0, static_cast<double>(total_terms) / docs);
  return sharded;
}

void ShardedIndex::Search(std::string_view query, const SearchOptions& options, std::vector<SearchHit>* hits) const {
  // One shard's statistics are the collection's: its own search gives the same hits, without looking each term
  // up twice.
  if (shards_.size() == 1) return shards_[0]->Search(query, options, hits);
  hits->clear();
  // The query's terms' document frequencies in the whole collection, looked up in every shard once.
  thread_local std::vector<uint32_t> terms, words;
  thread_local std::vector<std::pair<uint32_t, uint32_t>> dfs;
  retrieval::Terms(query, shards_[0]->impl_->flags, &terms, &words);
  std::sort(terms.begin(), terms.end());
  terms.erase(std::unique(terms.begin(), terms.end()), terms.end());
  dfs.clear();
  for (uint32_t t : terms) dfs.push_back({t, collection_->DocumentFrequency(t)});
  // Each shard's top k under the collection's statistics, merged: the top k of their union is the collection's
  // top k, as every document scores as it would in one index and documents keep their order.
  thread_local std::vector<SearchHit> shard_hits;
  for (size_t s = 0; s < shards_.size(); ++s) {
    shards_[s]->Search(query, options, collection_.get(), &dfs, &shard_hits);
    for (SearchHit h : shard_hits) hits->push_back({h.doc + first_doc_[s], h.score});
  }
  std::sort(hits->begin(), hits->end(), [](const SearchHit& x, const SearchHit& y) {
    return x.score != y.score ? x.score > y.score : x.doc < y.doc;
  });
  if (hits->size() > options.k) hits->resize(options.k);
}

absl::StatusOr<Document> ShardedIndex::GetDocument(uint32_t doc) const {
  const size_t s = std::upper_bound(first_doc_.begin(), first_doc_.end(), doc) - first_doc_.begin() - 1;
  if (s >= shards_.size()) {
    return absl::OutOfRangeError(absl::StrFormat("document %d out of range (%d documents)", doc, size()));
  }
  return shards_[s]->GetDocument(doc - first_doc_[s]);
}

std::string Snippet(std::string_view text, std::string_view query, size_t max_bytes) {
  std::vector<uint32_t> wanted;
  retrieval::WordHashes(query, &wanted);
  std::sort(wanted.begin(), wanted.end());
  // The first word of the text that the query has, found by hashing the text's words with their offsets.
  size_t at = 0;
  std::vector<uint32_t> one;
  for (size_t pos = 0; pos < text.size();) {
    size_t end = pos;
    while (end < text.size() && text[end] != ' ' && text[end] != '\n') ++end;
    retrieval::WordHashes(text.substr(pos, end - pos), &one);
    bool hit = false;
    for (uint32_t h : one) hit = hit || std::binary_search(wanted.begin(), wanted.end(), h);
    if (hit) {
      at = pos;
      break;
    }
    pos = end + 1;
  }
  size_t begin = at > max_bytes / 3 ? at - max_bytes / 3 : 0;
  while (begin > 0 && begin < text.size() && (static_cast<unsigned char>(text[begin]) & 0xC0) == 0x80) --begin;
  const std::string_view rest = text.substr(begin);
  std::string out(rest.substr(0, core::Utf8SafePrefix(rest, max_bytes)));
  std::replace(out.begin(), out.end(), '\n', ' ');
  std::replace(out.begin(), out.end(), '\t', ' ');
  if (begin > 0) out = "..." + out;
  if (begin + max_bytes < text.size()) out += "...";
  return out;
}

}  // namespace slimnlp
