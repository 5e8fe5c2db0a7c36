// The public face of the crash-safe writer (src/core/file_io.cc).
#include "slimnlp/output_files.h"

#include "src/core/file_io.h"

namespace slimnlp {

absl::StatusOr<std::vector<std::string>> RemoveStaleTemporaries(const std::string& output_path) {
  return core::RemoveStaleTemporaries(output_path);
}

void RemoveTemporariesOnSignals() { core::InstallTemporaryCleanupOnSignals(); }

}  // namespace slimnlp
