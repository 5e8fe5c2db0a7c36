// The container every slimnlp model is stored in. Layout (all integers little-endian):
//
//   offset  size  field
//        0     8  magic "SLIMNLP\0"
//        8     2  format major version (readers refuse a newer major)
//       10     2  format minor version (newer minors only add optional sections)
//       12     4  flags: bit 0 = payload is zstd-compressed
//       16     8  stored payload size (bytes after the header)
//       24     8  raw payload size (after decompression)
//       32     4  CRC-32C of the stored payload
//       36     4  CRC-32C of bytes 0..35
//       40     -  payload
//
//   payload = u32 section count, then per section: u32 name length, name, u64 data length, data.
//
// Decoding checks every one of these before it trusts the next: magic, header CRC, version, sizes against
// the bytes present, payload CRC, decompressed size, and each section length against what remains.
// docs/model_format.md describes the sections a model puts inside.
#ifndef SLIMNLP_SRC_CORE_MODEL_FILE_H_
#define SLIMNLP_SRC_CORE_MODEL_FILE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace slimnlp::core {

inline constexpr uint16_t kFormatMajor = 1;
inline constexpr uint16_t kFormatMinor = 1;  // 1.1: the optional lexicon section.
inline constexpr size_t kHeaderBytes = 40;
// Refuse payloads that claim to be larger than this before allocating for them.
inline constexpr uint64_t kMaxPayloadBytes = uint64_t{1} << 30;

struct Section {
  std::string name;
  std::string data;
};

// Serializes `sections` into a complete file image, zstd-compressed at `zstd_level` (0 = store raw).
std::string EncodeContainer(const std::vector<Section>& sections, int zstd_level);

// Parses a file image; `source` (usually the path) names it in errors. Errors: DataLoss for truncated or
// corrupted files, InvalidArgument for a file that is not a slimnlp model, FailedPrecondition for a newer
// format version.
absl::StatusOr<std::vector<Section>> DecodeContainer(std::string_view file, std::string_view source);

}  // namespace slimnlp::core

#endif  // SLIMNLP_SRC_CORE_MODEL_FILE_H_
