// Whole-file reading and crash-safe writing.
#ifndef SLIMNLP_SRC_CORE_FILE_IO_H_
#define SLIMNLP_SRC_CORE_FILE_IO_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace slimnlp::core {

// Reads all of `path`. NotFound / PermissionDenied / Internal naming the path and the OS error;
// ResourceExhausted if the file is larger than `max_bytes`.
absl::StatusOr<std::string> ReadFileToString(const std::string& path, uint64_t max_bytes);

// Writes `data` to `path` so that `path` is either its old self or complete new contents, never a partial
// file, and no temporary outlives the call:
//  - the bytes go to an unnamed file in the same directory (O_TMPFILE), so that if the process dies the OS
//    frees it; it is fsynced, given a temporary name (linkat), renamed over `path`, and the directory fsynced;
//  - where the file system has no unnamed files (or SLIMNLP_NAMED_TEMPORARIES is set, for tests), a named
//    temporary `path.tmp.PID.N` is used instead; it is removed on any failure, on SIGINT/SIGTERM once
//    InstallTemporaryCleanupOnSignals() has run, and by the next write of `path` after a SIGKILL.
// Each temporary is held under an flock while in use, which is how a later run tells a dead writer's
// temporary (removed) from a live one's (left alone). Every call goes through CurrentFileSystem(), so tests
// can fail any of them. `fail_after_bytes` is for tests: the write fails as if the disk were full once that
// many bytes are written.
absl::Status WriteFileAtomically(const std::string& path, std::string_view data,
                                 uint64_t fail_after_bytes = UINT64_MAX);

// Removes the temporaries of `path` that writers killed part-way (SIGKILL, power loss) left behind; a
// temporary whose writer is still running is kept. Returns the paths removed.
absl::StatusOr<std::vector<std::string>> RemoveStaleTemporaries(const std::string& path);

// Makes SIGINT and SIGTERM first remove the named temporaries being written, then act as before (a handler
// installed earlier is called; otherwise the default action ends the process). For programs, not libraries:
// the CLI calls it once at start.
void InstallTemporaryCleanupOnSignals();

}  // namespace slimnlp::core

#endif  // SLIMNLP_SRC_CORE_FILE_IO_H_
