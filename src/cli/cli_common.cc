#include "src/cli/cli_common.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>

namespace slimnlp::cli {

std::string DefaultModelPath(const std::string& file_name) {
  namespace fs = std::filesystem;
  std::vector<fs::path> candidates;
  if (const char* dir = std::getenv("SLIMNLP_MODELS"); dir != nullptr && *dir) candidates.push_back(fs::path(dir));
  candidates.push_back("models");
  char exe[4096];
  const ssize_t n = ::readlink("/proc/self/exe", exe, sizeof(exe) - 1);
  if (n > 0) {
    exe[n] = '\0';
    const fs::path parent = fs::path(exe).parent_path().parent_path();
    candidates.push_back(parent / "models");
    candidates.push_back(parent / "share" / "slimnlp" / "models");
  }
  for (const auto& dir : candidates) {
    std::error_code ec;
    if (fs::is_regular_file(dir / file_name, ec)) return (dir / file_name).string();
  }
  return (fs::path("models") / file_name).string();
}

}  // namespace slimnlp::cli
