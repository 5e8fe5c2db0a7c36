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

using retrieval::DictEntry;
using retrieval::GetVarint;

struct Index::Impl {
  std::string path;
  const uint8_t* base = nullptr;
  size_t size = 0;
  uint64_t num_docs = 0, num_terms = 0;
  uint32_t flags = 0;  // retrieval::TermFlags the index was built with.
  double avg_dl = 1;
  const DictEntry* dict = nullptr;
  const uint8_t* postings = nullptr;
  uint64_t postings_size = 0;
  const uint8_t* doclens = nullptr;
  const uint8_t* blockoffs = nullptr;
  const uint8_t* store = nullptr;
  uint64_t store_size = 0;

  ~Impl() {
    if (base) munmap(const_cast<uint8_t*>(base), size);
  }
  template <typename T>
  T At(const uint8_t* p) const {
    T v;
    std::memcpy(&v, p, sizeof(v));
    return v;
  }
  uint32_t DocLength(uint32_t d) const { return At<uint32_t>(doclens + 4 * size_t{d}); }
  const DictEntry* Find(uint32_t term) const {
    const DictEntry* end = dict + num_terms;
    const DictEntry* it =
        std::lower_bound(dict, end, term, [](const DictEntry& e, uint32_t t) { return e.term < t; });
    return it != end && it->term == term ? it : nullptr;
  }
};

namespace {

absl::Status Damaged(const std::string& path, const std::string& what) {
  return absl::DataLossError(absl::StrFormat("%s: damaged or not a slimnlp index: %s", path, what));
}

// Reads one term's postings in doc order, with NextGEQ skipping whole blocks. The data is bounds-checked: a
// posting that would read past the term's bytes, or name a doc past the index, ends the list.
class Cursor {
 public:
  // A term of one document: that posting alone.
  Cursor(uint32_t doc, uint32_t tf) : doc_(doc), tf_(tf), single_(true), done_(false) {}
  // A term of several: its postings at `data` (the u32 length, the skip table if any, the data), within
  // `avail` bytes of the section.
  Cursor(const uint8_t* data, uint64_t avail, uint32_t df, uint64_t num_docs) : num_docs_(num_docs) {
    uint32_t bytes;
    if (avail < 4) return;
    std::memcpy(&bytes, data, 4);
    if (bytes > avail - 4) return;
    data += 4;
    const uint8_t* end = data + bytes;
    if (df > retrieval::kPostingsPerBlock) {
      if (bytes < 4) return;
      std::memcpy(&blocks_, data, 4);
      if (blocks_ == 0 || uint64_t{blocks_} * 8 + 4 > bytes) return;
      skips_ = data + 4;
      data = skips_ + size_t{blocks_} * 8;
    } else {
      blocks_ = 1;
    }
    data_ = data;
    data_len_ = static_cast<uint32_t>(end - data);
    if (!SetBlock(0)) return;
    done_ = false;
    Advance();
  }
  bool done() const { return done_; }
  uint32_t doc() const { return doc_; }
  uint32_t tf() const { return tf_; }

  void Advance() {
    if (single_) {
      done_ = true;
      return;
    }
    while (!done_ && p_ == block_end_) {
      if (block_ + 1 >= blocks_ || !SetBlock(block_ + 1)) done_ = true;
    }
    if (done_) return;
    uint32_t gap, tf;
    if (!GetVarint(&p_, block_end_, &gap) || !GetVarint(&p_, block_end_, &tf) || gap == 0 ||
        uint64_t{prev_} + gap - 1 >= num_docs_) {
      done_ = true;
      return;
    }
    doc_ = prev_ + gap - 1;
    tf_ = tf;
    prev_ = doc_ + 1;
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
      Advance();
    }
    while (!done_ && doc_ < target) Advance();
  }

 private:
  uint32_t Skip(uint32_t block, int field) const {
    uint32_t v;
    std::memcpy(&v, skips_ + 8 * size_t{block} + 4 * field, 4);
    return v;
  }
  bool SetBlock(uint32_t b) {
    const uint32_t begin = b == 0 ? 0 : Skip(b - 1, 1), end = skips_ ? Skip(b, 1) : data_len_;
    if (begin > end || end > data_len_) return false;
    block_ = b;
    p_ = data_ + begin;
    block_end_ = data_ + end;
    prev_ = b == 0 ? 0 : Skip(b - 1, 0) + 1;
    return true;
  }

  uint64_t num_docs_ = 0;
  uint32_t blocks_ = 0, block_ = 0, data_len_ = 0;
  const uint8_t *skips_ = nullptr, *data_ = nullptr, *p_ = nullptr, *block_end_ = nullptr;
  uint32_t doc_ = 0, tf_ = 0, prev_ = 0;
  bool single_ = false, done_ = true;
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
  if (impl->size < retrieval::kHeaderBytes) {
    ::close(fd);
    return Damaged(path, absl::StrFormat("%d bytes, shorter than the %d-byte header", impl->size,
                                         retrieval::kHeaderBytes));
  }
  void* m = mmap(nullptr, impl->size, PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);
  if (m == MAP_FAILED) return absl::InternalError(absl::StrFormat("%s: mmap failed: %s", path, std::strerror(errno)));
  impl->base = static_cast<const uint8_t*>(m);
  const uint8_t* h = impl->base;
  if (std::memcmp(h, retrieval::kIndexMagic, 8) != 0) return Damaged(path, "bad magic");
  const uint16_t major = impl->At<uint16_t>(h + 8);
  if (major > retrieval::kIndexMajor) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "%s: index format version %d is newer than this slimnlp reads (%d); upgrade slimnlp", path, major,
        retrieval::kIndexMajor));
  }
  if (major != retrieval::kIndexMajor) return Damaged(path, absl::StrFormat("unknown format version %d", major));
  if (impl->At<uint32_t>(h + retrieval::kHeaderCrcOffset + 4) != core::Crc32cExtend(0, h, retrieval::kHeaderCrcOffset)) {
    return Damaged(path, "header checksum mismatch");
  }
  if (impl->At<uint32_t>(h + retrieval::kHeaderCrcOffset) !=
      core::Crc32cExtend(0, h + retrieval::kHeaderBytes, impl->size - retrieval::kHeaderBytes)) {
    return Damaged(path, "checksum mismatch (truncated or corrupted)");
  }
  impl->flags = impl->At<uint32_t>(h + 12);
  if (impl->flags & ~uint32_t{retrieval::kStem | retrieval::kStopwords}) return Damaged(path, "unknown term flags");
  impl->num_docs = impl->At<uint64_t>(h + 16);
  impl->num_terms = impl->At<uint64_t>(h + 24);
  const uint64_t total_terms = impl->At<uint64_t>(h + 32);
  uint64_t offset[retrieval::kSections], size[retrieval::kSections];
  uint64_t expect = retrieval::kHeaderBytes;
  for (int s = 0; s < retrieval::kSections; ++s) {
    offset[s] = impl->At<uint64_t>(h + retrieval::kSectionTableOffset + 16 * s);
    size[s] = impl->At<uint64_t>(h + retrieval::kSectionTableOffset + 16 * s + 8);
    if (offset[s] != expect || size[s] > impl->size - offset[s]) return Damaged(path, "bad section table");
    expect = offset[s] + size[s];
  }
  if (expect != impl->size) return Damaged(path, "sections do not end at the end of the file");
  const uint64_t blocks = (impl->num_docs + retrieval::kDocsPerBlock - 1) / retrieval::kDocsPerBlock;
  if (impl->num_docs == 0 || impl->num_docs > UINT32_MAX || impl->num_terms > size[retrieval::kDictionary] ||
      size[retrieval::kDictionary] != impl->num_terms * sizeof(DictEntry) ||
      size[retrieval::kDocLengths] != impl->num_docs * 4 || size[retrieval::kBlockOffsets] != (blocks + 1) * 8) {
    return Damaged(path, "section sizes disagree with the document and term counts");
  }
  if (offset[retrieval::kDictionary] % alignof(DictEntry) != 0) return Damaged(path, "misaligned dictionary");
  impl->dict = reinterpret_cast<const DictEntry*>(h + offset[retrieval::kDictionary]);
  impl->postings = h + offset[retrieval::kPostings];
  impl->postings_size = size[retrieval::kPostings];
  impl->doclens = h + offset[retrieval::kDocLengths];
  impl->blockoffs = h + offset[retrieval::kBlockOffsets];
  impl->store = h + offset[retrieval::kStore];
  impl->store_size = size[retrieval::kStore];
  impl->avg_dl = std::max(1.0, static_cast<double>(total_terms) / impl->num_docs);
  for (uint64_t t = 0; t < impl->num_terms; ++t) {
    const DictEntry& e = impl->dict[t];
    if ((t > 0 && impl->dict[t - 1].term >= e.term) || e.df == 0 || e.df > impl->num_docs ||
        (e.df == 1 ? e.ref >= impl->num_docs : e.ref >= impl->postings_size)) {
      return Damaged(path, absl::StrFormat("dictionary entry %d is out of order or out of bounds", t));
    }
  }
  uint64_t previous = 0;
  for (uint64_t b = 0; b <= blocks; ++b) {
    const uint64_t o = impl->At<uint64_t>(impl->blockoffs + 8 * b);
    if (o < previous || o > impl->store_size) return Damaged(path, "document block offsets out of order");
    previous = o;
  }
  return std::unique_ptr<Index>(new Index(std::move(impl)));
}

absl::StatusOr<Document> Index::GetDocument(uint32_t doc) const {
  const Impl& m = *impl_;
  if (doc >= m.num_docs) return absl::OutOfRangeError(absl::StrFormat("document %d of %d", doc, m.num_docs));
  const uint64_t b = doc / retrieval::kDocsPerBlock;
  const uint64_t begin = m.At<uint64_t>(m.blockoffs + 8 * b), end = m.At<uint64_t>(m.blockoffs + 8 * (b + 1));
  const unsigned long long raw = ZSTD_getFrameContentSize(m.store + begin, end - begin);
  if (raw == ZSTD_CONTENTSIZE_ERROR || raw == ZSTD_CONTENTSIZE_UNKNOWN || raw > (1ull << 31)) {
    return Damaged(m.path, absl::StrFormat("document block %d", b));
  }
  std::string block(raw, '\0');
  if (ZSTD_isError(ZSTD_decompress(block.data(), block.size(), m.store + begin, end - begin))) {
    return Damaged(m.path, absl::StrFormat("document block %d does not decompress", b));
  }
  const uint8_t* p = reinterpret_cast<const uint8_t*>(block.data());
  const uint8_t* e = p + block.size();
  Document d;
  std::string* fields[3] = {&d.id, &d.title, &d.text};
  for (uint64_t i = b * retrieval::kDocsPerBlock; i <= doc; ++i) {
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

void Index::Search(std::string_view query, const SearchOptions& options, std::vector<SearchHit>* hits) const {
  hits->clear();
  const Impl& m = *impl_;
  thread_local std::vector<uint32_t> terms, words;
  retrieval::Terms(query, m.flags, &terms, &words);
  std::sort(terms.begin(), terms.end());
  terms.erase(std::unique(terms.begin(), terms.end()), terms.end());
  if (options.k == 0) return;

  const bool bm25 = options.scoring == SearchOptions::Scoring::kBm25;
  const double n = static_cast<double>(m.num_docs);
  const double k1 = options.k1, b = options.b;
  struct Term {
    Cursor cursor;
    double idf, upper;
  };
  thread_local std::vector<Term> list;
  list.clear();
  for (uint32_t t : terms) {
    const DictEntry* e = m.Find(t);
    if (!e) continue;
    const double df = e->df;
    const bool saturated = e->max_tf == retrieval::kSaturated16;
    double idf, upper;
    if (bm25) {
      idf = std::log(1 + (n - df + 0.5) / (df + 0.5));
      upper = saturated ? idf * (k1 + 1)
                        : idf * e->max_tf * (k1 + 1) / (e->max_tf + k1 * (1 - b + b * e->min_dl / m.avg_dl));
    } else {  // DrQA: log1p(tf) * idf, idf = max(0, log((N - df + 0.5) / (df + 0.5))).
      idf = std::max(0.0, std::log((n - df + 0.5) / (df + 0.5)));
      upper = saturated ? idf * std::log1p(double{UINT32_MAX}) : idf * std::log1p(e->max_tf);
    }
    if (upper <= 0) continue;
    list.push_back({e->df == 1 ? Cursor(e->ref, e->max_tf)
                               : Cursor(m.postings + e->ref, m.postings_size - e->ref, e->df, m.num_docs),
                    idf, upper * 1.0001 + 1e-9});
  }
  const auto score_of = [&](const Term& t) {
    const double tf = t.cursor.tf();
    if (!bm25) return t.idf * std::log1p(tf);
    const double dl = m.DocLength(t.cursor.doc());
    return t.idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * dl / m.avg_dl));
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
