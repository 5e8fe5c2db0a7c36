// CRC-32C (Castagnoli), the checksum of model and index files. Table-driven, byte at a time: files are read
// once at load, so simplicity beats speed here.
#ifndef SLIMNLP_SRC_CORE_CRC32C_H_
#define SLIMNLP_SRC_CORE_CRC32C_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace slimnlp::core {

// Extends `crc` (the CRC of earlier bytes, 0 to start) with `data[0..len)`.
uint32_t Crc32cExtend(uint32_t crc, const void* data, size_t len);

inline uint32_t Crc32c(std::string_view s) { return Crc32cExtend(0, s.data(), s.size()); }

}  // namespace slimnlp::core

#endif  // SLIMNLP_SRC_CORE_CRC32C_H_
