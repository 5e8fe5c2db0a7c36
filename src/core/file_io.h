// Whole-file reading and crash-safe writing.
#ifndef SLIMNLP_SRC_CORE_FILE_IO_H_
#define SLIMNLP_SRC_CORE_FILE_IO_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace slimnlp::core {

// Reads all of `path`. NotFound / PermissionDenied / Internal naming the path and the OS error;
// ResourceExhausted if the file is larger than `max_bytes`.
absl::StatusOr<std::string> ReadFileToString(const std::string& path, uint64_t max_bytes);

// Writes `data` to `path` so that `path` is either its old self or complete new contents, never a partial
// file: the bytes go to a temporary file beside it, which is flushed to disk (fsync) and then renamed over
// `path`. On failure the temporary file is removed. `fail_after_bytes` is for tests: the write fails as if the
// disk were full once that many bytes are written.
absl::Status WriteFileAtomically(const std::string& path, std::string_view data,
                                 uint64_t fail_after_bytes = UINT64_MAX);

}  // namespace slimnlp::core

#endif  // SLIMNLP_SRC_CORE_FILE_IO_H_
