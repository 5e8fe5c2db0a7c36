// Output files (models, indexes) are written crash-safely: a temporary beside the output, fsynced, renamed
// over it. These two calls are for programs that write them and want no temporary left behind, whatever
// happens to the process.
#ifndef SLIMNLP_INCLUDE_SLIMNLP_OUTPUT_FILES_H_
#define SLIMNLP_INCLUDE_SLIMNLP_OUTPUT_FILES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace slimnlp {

// Removes the temporaries of `output_path` left by writers that were killed part-way (SIGKILL, a crash,
// power loss); a live writer's temporary is kept. Returns the paths removed, so that a tool can say so.
// Every write removes them too, silently; call this first to report them and free their disk space early.
absl::StatusOr<std::vector<std::string>> RemoveStaleTemporaries(const std::string& output_path);

// SIGINT and SIGTERM then first remove any temporary being written, and then act as before. Call once, early,
// from main(); a library should leave signals to its program.
void RemoveTemporariesOnSignals();

}  // namespace slimnlp

#endif  // SLIMNLP_INCLUDE_SLIMNLP_OUTPUT_FILES_H_
