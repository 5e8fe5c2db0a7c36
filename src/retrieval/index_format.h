// The index file (docs/index_format.md): a fixed header, then five sections, all little-endian.
//
//   header      kHeaderBytes: magic "SLIMIDX\0", version, counts, the section table, CRC-32C of the body
//               (every byte after the header) and of the header's first kHeaderCrcOffset bytes
//   dictionary  num_terms DictEntry, sorted by term hash; a term in one document only (most bigrams) keeps
//               that document and its frequency in the entry itself and has no postings
//   postings    per term in two or more documents: u32 bytes (of what follows); if df > kPostingsPerBlock,
//               u32 blocks and per block (u32 last doc, u32 end offset into the data); then the data: per
//               posting varint(gap) and varint(tf), gap = doc + 1 - (previous doc + 1, or 0 for the first)
//   doclens     num_docs u32: terms in each document (BM25's length)
//   blockoffs   (num_blocks + 1) u64: offsets of the document blocks in the store
//   store       zstd frames, one per kDocsPerBlock documents: per document varint length + bytes of id,
//               title, text
#ifndef SLIMNLP_SRC_RETRIEVAL_INDEX_FORMAT_H_
#define SLIMNLP_SRC_RETRIEVAL_INDEX_FORMAT_H_

#include <cstddef>
#include <cstdint>
#include <string>

namespace slimnlp::retrieval {

inline constexpr char kIndexMagic[8] = {'S', 'L', 'I', 'M', 'I', 'D', 'X', '\0'};
inline constexpr uint16_t kIndexMajor = 1, kIndexMinor = 0;
inline constexpr size_t kHeaderBytes = 128;
inline constexpr size_t kHeaderCrcOffset = 120;  // u32 body CRC at 120, u32 header CRC (of [0,120)) at 124.
inline constexpr size_t kPostingsPerBlock = 128;
inline constexpr size_t kDocsPerBlock = 32;

enum Section { kDictionary = 0, kPostings, kDocLengths, kBlockOffsets, kStore, kSections };

// The header fields after magic and version: at 8 u16 major, u16 minor, u32 reserved; at 16 u64 num_docs,
// u64 num_terms, u64 total_terms; at 40 the section table, kSections x (u64 offset, u64 size).
inline constexpr size_t kSectionTableOffset = 40;

struct DictEntry {
  uint32_t term;
  uint32_t df;
  uint32_t ref;     // df == 1: the document; else the offset of the term's postings.
  uint16_t max_tf;  // Largest frequency of the term in a document (saturated: 65535 means "or more"), and the
  uint16_t min_dl;  // shortest document holding it (saturated: a lower bound): an upper bound of its score for
                    // any BM25 parameters (MaxScore).
};
static_assert(sizeof(DictEntry) == 16);
inline constexpr uint32_t kSaturated16 = 65535;

inline void PutVarint(uint32_t v, std::string* out) {
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

}  // namespace slimnlp::retrieval

#endif  // SLIMNLP_SRC_RETRIEVAL_INDEX_FORMAT_H_
