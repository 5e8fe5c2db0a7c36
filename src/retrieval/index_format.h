// The index file (docs/index_format.md): a fixed header, then seven sections, all little-endian.
//
//   header      kHeaderBytes: magic "SLIMIDX\0", version, counts, the section table, CRC-32C of the body
//               (every byte after the header) and of the header's first kHeaderCrcOffset bytes
//   singles     the terms of one document with frequency 1 (most bigrams): a hash table (below) whose value
//               is that document
//   lists       every other term: a hash table whose value is the offset of the term's postings
//   postings    per term of `lists`: varint df, max_tf, min_dl; if df > 128, a skip table of (u32 last doc,
//               u32 end offset after the table) per block of 128 postings; then the blocks, each Rice-coded
//               (EncodeBlock below). A list's end is known from its skip table or its last block's decoding.
//   doclens     num_docs values of doclen_bits bits, packed: terms in each document (BM25's length)
//   blocks      (num_blocks + 1) u64 offsets into the store, then (num_blocks + 1) u32 first documents
//   zdict       a zstd dictionary (trained at build time on the first documents), or nothing
//   store       zstd frames (with the dictionary), one per block of about kStoreBlockBytes: per document
//               varint length + bytes of id, title, text
//
// A hash table of n terms: bucket_bits(n) = k; (2^k + 1) u32 counts (entry[j] = terms whose hash's top k bits
// are < j), then n values of (32 - k) bits (the rest of each hash, ascending within a bucket), then n values
// of value_bits bits, each array bit-packed (Packed*).
#ifndef SLIMNLP_SRC_RETRIEVAL_INDEX_FORMAT_H_
#define SLIMNLP_SRC_RETRIEVAL_INDEX_FORMAT_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

namespace slimnlp::retrieval {

inline constexpr char kIndexMagic[8] = {'S', 'L', 'I', 'M', 'I', 'D', 'X', '\0'};
inline constexpr uint16_t kIndexMajor = 2, kIndexMinor = 0;
inline constexpr size_t kHeaderBytes = 192;
inline constexpr size_t kHeaderCrcOffset = 184;  // u32 body CRC at 184, u32 header CRC (of [0,184)) at 188.
inline constexpr size_t kPostingsPerBlock = 128;
inline constexpr size_t kStoreBlockBytes = 32 << 10;   // A store block ends at the first document past this.
inline constexpr size_t kZdictSampleBytes = 16 << 20;  // The dictionary is trained on about this much text,
inline constexpr size_t kZdictMaxBytes = 1 << 20;      // is at most this large,
inline constexpr int kStoreLevel = 6;                  // and the blocks are compressed at this zstd level.

enum Section { kSingles = 0, kLists, kPostings, kDocLengths, kBlocks, kZdict, kStore, kSections };

// Header fields: at 8 u16 major, u16 minor, u32 term flags; at 16 u64 num_docs, num_singles, num_lists,
// total_terms, num_blocks; at 56 u32 doclen_bits, u32 reserved; at 64 the section table, kSections x (u64
// offset, u64 size); 8 reserved bytes; the two CRCs.
inline constexpr size_t kNumDocsOffset = 16, kNumSinglesOffset = 24, kNumListsOffset = 32,
                        kTotalTermsOffset = 40, kNumBlocksOffset = 48, kDocLenBitsOffset = 56,
                        kSectionTableOffset = 64;

inline uint32_t BitWidth(uint64_t v) { return v ? 64 - __builtin_clzll(v) : 0; }

// Bit-packed arrays: value i of width w (<= 48) at bits [i*w, i*w + w), least significant bit first, in
// PackedBytes(n, w) bytes (at least 8 spare bytes at the end, so every read is one 8-byte load).
inline uint64_t PackedBytes(uint64_t n, uint32_t w) { return 8 * ((n * w + 63) / 64 + 1); }
inline uint64_t GetPacked(const uint8_t* a, uint64_t i, uint32_t w) {
  const uint64_t bit = i * w;
  uint64_t v;
  std::memcpy(&v, a + bit / 8, 8);
  return (v >> (bit % 8)) & ((uint64_t{1} << w) - 1);
}
inline void PutPacked(uint8_t* a, uint64_t i, uint32_t w, uint64_t v) {
  const uint64_t bit = i * w;
  uint64_t word;
  std::memcpy(&word, a + bit / 8, 8);
  word |= v << (bit % 8);
  std::memcpy(a + bit / 8, &word, 8);
}

// Hash tables (singles, lists): 2^k buckets by the top k bits of the hash, about 8 to 16 terms a bucket.
inline uint32_t BucketBits(uint64_t n) { return n < 32 ? 0 : BitWidth(n) - 4 > 20 ? 20 : BitWidth(n) - 4; }
inline uint64_t HashTableBytes(uint64_t n, uint32_t value_bits) {
  const uint32_t k = BucketBits(n);
  return 4 * ((uint64_t{1} << k) + 1) + PackedBytes(n, 32 - k) + PackedBytes(n, value_bits);
}
// Value widths: a document of `singles`; an offset into the postings of `lists`.
inline uint32_t DocBits(uint64_t num_docs) { return num_docs <= 1 ? 1 : BitWidth(num_docs - 1); }
inline uint32_t OffsetBits(uint64_t postings_bytes) { return postings_bytes <= 1 ? 1 : BitWidth(postings_bytes - 1); }

inline void PutVarint(uint64_t v, std::string* out) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7F) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

// Reads a varint from [*p, end); false (and *p unchanged) if it runs past `end` or over 5 bytes.
inline bool GetVarint(const uint8_t** p, const uint8_t* end, uint32_t* v) {
  uint32_t result = 0;
  const uint8_t* q = *p;
  for (int shift = 0; shift <= 28; shift += 7) {
    if (q == end) return false;
    const uint8_t byte = *q++;
    result |= static_cast<uint32_t>(byte & 0x7F) << shift;
    if (byte < 0x80) {
      *v = result;
      *p = q;
      return true;
    }
  }
  return false;
}

// ---- Posting blocks ----------------------------------------------------------------------------------------
//
// A block of n postings (n = 128 except in a list's last block): a byte h = kg | (all tf 1 ? 32 : 0); unless
// all tf are 1, a byte kt; then a bit stream, least significant bit first, padded with zeros to a byte: per
// posting v = doc - base (base = previous doc + 1, or 0 at the start of the list) Rice-coded with parameter
// kg, then (unless all are 1) tf - 1 Rice-coded with parameter kt. Rice(k) of v: v >> k zero bits, a one
// bit, then the low k bits of v. Postings decode one at a time (index.cc's Cursor).

class BitWriter {
 public:
  explicit BitWriter(std::string* out) : out_(out) {}
  void Put(uint64_t v, uint32_t bits) {  // bits <= 32
    acc_ |= v << fill_;
    fill_ += bits;
    while (fill_ >= 8) {
      out_->push_back(static_cast<char>(acc_ & 0xFF));
      acc_ >>= 8;
      fill_ -= 8;
    }
  }
  void Rice(uint32_t v, uint32_t k) {
    for (uint64_t q = v >> k; q > 0;) {
      const uint32_t z = q > 24 ? 24 : static_cast<uint32_t>(q);
      Put(0, z);
      q -= z;
    }
    Put(1, 1);
    Put(v & ((uint64_t{1} << k) - 1), k);
  }
  void Flush() {
    if (fill_ > 0) out_->push_back(static_cast<char>(acc_ & 0xFF));
    acc_ = 0;
    fill_ = 0;
  }

 private:
  std::string* out_;
  uint64_t acc_ = 0;
  uint32_t fill_ = 0;
};

class BitReader {
 public:
  BitReader(const uint8_t* p, const uint8_t* end) : p_(p), bits_(static_cast<uint64_t>(end - p) * 8) {}
  // Rice(k) into *v; false if it runs past the end or does not fit 32 bits.
  bool Rice(uint32_t k, uint32_t* v) {
    const uint64_t first = Peek();
    if (first != 0) {  // Usually the whole code is in the next 56 bits.
      const uint32_t z = __builtin_ctzll(first);
      if (z + 1 + k <= 56) {
        if (pos_ + z + 1 + k > bits_) return false;
        *v = static_cast<uint32_t>((uint64_t{z} << k) | ((first >> (z + 1)) & ((uint64_t{1} << k) - 1)));
        pos_ += z + 1 + k;
        return true;
      }
    }
    uint64_t q = 0;
    while (true) {
      if (pos_ >= bits_) return false;
      const uint64_t w = Peek();
      if (w != 0) {
        const uint32_t z = __builtin_ctzll(w);
        q += z;
        pos_ += z + 1;
        break;
      }
      q += 56;
      pos_ += 56;
    }
    if (q > (0xFFFFFFFFull >> k) || pos_ + k > bits_) return false;
    *v = static_cast<uint32_t>((q << k) | (Peek() & ((uint64_t{1} << k) - 1)));
    pos_ += k;
    return true;
  }

 private:
  uint64_t Peek() const {  // At least the next 56 bits; zeros past the end.
    const uint64_t byte = pos_ >> 3, bytes = bits_ >> 3;
    uint64_t v = 0;
    if (byte + 8 <= bytes) {
      std::memcpy(&v, p_ + byte, 8);
    } else {
      for (uint64_t i = byte; i < bytes; ++i) v |= uint64_t{p_[i]} << (8 * (i - byte));
    }
    return v >> (pos_ & 7);
  }
  const uint8_t* p_;
  uint64_t bits_, pos_ = 0;
};

// The Rice parameter in [0, 31] that codes `values` in the fewest bits (searched near log2 of their mean).
inline uint32_t BestRice(const uint32_t* values, size_t n) {
  uint64_t sum = 0;
  for (size_t i = 0; i < n; ++i) sum += values[i];
  const uint32_t guess = n == 0 ? 0 : BitWidth(sum / n);
  uint32_t best = 0;
  uint64_t best_bits = UINT64_MAX;
  for (uint32_t k = guess > 2 ? guess - 2 : 0; k <= guess + 1 && k <= 31; ++k) {
    uint64_t bits = 0;
    for (size_t i = 0; i < n; ++i) bits += 1 + k + (values[i] >> k);
    if (bits < best_bits) best_bits = bits, best = k;
  }
  return best;
}

// Appends one block: docs ascending, all >= base; tfs >= 1. `scratch` is working space for 2n values.
inline void EncodeBlock(const uint32_t* docs, const uint32_t* tfs, size_t n, uint32_t base, std::string* out,
                        uint32_t* scratch) {
  uint32_t* gaps = scratch;
  uint32_t* tf1 = scratch + n;
  uint32_t prev = base;
  bool all1 = true;
  for (size_t i = 0; i < n; ++i) {
    gaps[i] = docs[i] - prev;
    prev = docs[i] + 1;
    tf1[i] = tfs[i] - 1;
    all1 = all1 && tfs[i] == 1;
  }
  const uint32_t kg = BestRice(gaps, n);
  out->push_back(static_cast<char>(kg | (all1 ? 32 : 0)));
  const uint32_t kt = all1 ? 0 : BestRice(tf1, n);
  if (!all1) out->push_back(static_cast<char>(kt));
  BitWriter bits(out);
  for (size_t i = 0; i < n; ++i) {
    bits.Rice(gaps[i], kg);
    if (!all1) bits.Rice(tf1[i], kt);
  }
  bits.Flush();
}

}  // namespace slimnlp::retrieval

#endif  // SLIMNLP_SRC_RETRIEVAL_INDEX_FORMAT_H_
