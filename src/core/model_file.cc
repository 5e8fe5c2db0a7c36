#include "src/core/model_file.h"

#include <zstd.h>

#include "absl/strings/str_format.h"
#include "src/core/byte_io.h"
#include "src/core/crc32c.h"

namespace slimnlp::core {
namespace {

constexpr char kMagic[8] = {'S', 'L', 'I', 'M', 'N', 'L', 'P', '\0'};
constexpr uint32_t kFlagZstd = 1;

}  // namespace

std::string EncodeContainer(const std::vector<Section>& sections, int zstd_level) {
  ByteWriter payload;
  payload.U32(static_cast<uint32_t>(sections.size()));
  for (const Section& s : sections) {
    payload.String(s.name);
    payload.U64(s.data.size());
    payload.Bytes(s.data);
  }
  const std::string& raw = payload.data();
  std::string stored;
  uint32_t flags = 0;
  if (zstd_level > 0) {
    stored.resize(ZSTD_compressBound(raw.size()));
    const size_t n = ZSTD_compress(stored.data(), stored.size(), raw.data(), raw.size(), zstd_level);
    if (!ZSTD_isError(n) && n < raw.size()) {
      stored.resize(n);
      flags |= kFlagZstd;
    } else {
      stored = raw;  // Incompressible: store raw rather than fail.
    }
  } else {
    stored = raw;
  }
  ByteWriter header;
  header.Bytes(std::string_view(kMagic, 8));
  header.U16(kFormatMajor);
  header.U16(kFormatMinor);
  header.U32(flags);
  header.U64(stored.size());
  header.U64(raw.size());
  header.U32(Crc32c(stored));
  header.U32(Crc32c(header.data()));
  return header.data() + stored;
}

absl::StatusOr<std::vector<Section>> DecodeContainer(std::string_view file, std::string_view source) {
  if (file.size() < kHeaderBytes) {
    if (file.size() >= 8 && file.substr(0, 8) != std::string_view(kMagic, 8)) {
      return absl::InvalidArgumentError(absl::StrFormat("%s: not a slimnlp model (bad magic)", source));
    }
    return absl::DataLossError(absl::StrFormat(
        "%s: truncated model file: %d bytes, the header alone is %d", source, file.size(), kHeaderBytes));
  }
  if (file.substr(0, 8) != std::string_view(kMagic, 8)) {
    return absl::InvalidArgumentError(absl::StrFormat("%s: not a slimnlp model (bad magic)", source));
  }
  ByteReader h(file.substr(8, kHeaderBytes - 8), std::string(source));
  uint16_t major, minor;
  uint32_t flags, payload_crc, header_crc;
  uint64_t stored_size, raw_size;
  h.U16(&major);
  h.U16(&minor);
  h.U32(&flags);
  h.U64(&stored_size);
  h.U64(&raw_size);
  h.U32(&payload_crc);
  h.U32(&header_crc);
  if (Crc32c(file.substr(0, 36)) != header_crc) {
    return absl::DataLossError(absl::StrFormat("%s: model header is corrupted (checksum mismatch)", source));
  }
  if (major > kFormatMajor) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "%s: model format version %d.%d is newer than this build of slimnlp reads (%d.x); upgrade slimnlp",
        source, major, minor, kFormatMajor));
  }
  if (major == 0) return absl::InvalidArgumentError(absl::StrFormat("%s: model format version 0 is invalid", source));
  if ((flags & ~kFlagZstd) != 0) {
    return absl::FailedPreconditionError(absl::StrFormat("%s: unknown model flags 0x%x", source, flags));
  }
  const uint64_t present = file.size() - kHeaderBytes;
  if (stored_size != present) {
    return absl::DataLossError(absl::StrFormat("%s: model file is %s: header says %d payload bytes, file has %d",
                                               source, present < stored_size ? "truncated" : "too long",
                                               stored_size, present));
  }
  const std::string_view stored = file.substr(kHeaderBytes);
  if (Crc32c(stored) != payload_crc) {
    return absl::DataLossError(absl::StrFormat("%s: model payload is corrupted (checksum mismatch)", source));
  }
  if (raw_size > kMaxPayloadBytes) {
    return absl::DataLossError(absl::StrFormat("%s: model claims %d bytes of payload, over the %d limit", source,
                                               raw_size, kMaxPayloadBytes));
  }
  std::string raw_buffer;
  std::string_view raw = stored;
  if (flags & kFlagZstd) {
    const unsigned long long frame = ZSTD_getFrameContentSize(stored.data(), stored.size());
    if (frame != raw_size) {
      return absl::DataLossError(absl::StrFormat("%s: compressed payload size does not match the header", source));
    }
    raw_buffer.resize(raw_size);
    const size_t n = ZSTD_decompress(raw_buffer.data(), raw_buffer.size(), stored.data(), stored.size());
    if (ZSTD_isError(n) || n != raw_size) {
      return absl::DataLossError(absl::StrFormat("%s: payload does not decompress: %s", source,
                                                 ZSTD_isError(n) ? ZSTD_getErrorName(n) : "size mismatch"));
    }
    raw = raw_buffer;
  } else if (raw_size != stored_size) {
    return absl::DataLossError(absl::StrFormat("%s: raw and stored payload sizes differ", source));
  }

  ByteReader r(raw, absl::StrFormat("%s: payload", source));
  uint32_t count;
  if (!r.U32(&count)) return r.status();
  // Each section needs at least 12 bytes of framing: a count past that is a lie, refuse before reserving.
  if (count > r.remaining() / 12) return absl::DataLossError(absl::StrFormat("%s: bad section count %d", source, count));
  std::vector<Section> sections;
  sections.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    std::string_view name, data;
    uint64_t len;
    if (!r.String(&name) || !r.U64(&len) || !r.Bytes(len, &data)) return r.status();
    sections.push_back({std::string(name), std::string(data)});
  }
  if (r.remaining() != 0) {
    return absl::DataLossError(absl::StrFormat("%s: %d unexpected bytes after the last section", source, r.remaining()));
  }
  return sections;
}

}  // namespace slimnlp::core
