#include "src/cli/cli_common.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "absl/strings/numbers.h"
#include "slimnlp/output_files.h"
#include "absl/strings/str_format.h"
#include "src/core/line_reader.h"
#include "src/core/model_limits.h"
#include "src/core/utf8.h"

namespace slimnlp::cli {

std::string DefaultModelPath(const std::string& file_name) {
  namespace fs = std::filesystem;
  std::vector<fs::path> candidates;
  if (const char* dir = std::getenv("SLIMNLP_MODELS"); dir != nullptr && *dir) candidates.push_back(fs::path(dir));
  // Not ./models: a folder of that name in whatever directory the user is in must not silently replace the
  // models this binary was built or installed with.
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
  // None has it: the first place looked, so that the error names a sensible path.
  return (candidates.empty() ? fs::path("models") / file_name : candidates.front() / file_name).string();
}

std::string DefaultModelsDir() {
  return std::filesystem::path(DefaultModelPath("langid.slim")).parent_path().string();
}

bool FileExists(const std::string& path) {
  std::error_code ec;
  return std::filesystem::is_regular_file(path, ec);
}

CLI::Validator HiddenWidth() {
  return CLI::Range(0, core::kMaxHiddenWidth).description(absl::StrFormat("0 to %d", core::kMaxHiddenWidth));
}

std::string CommandLineOf(const CLI::App& command) {
  std::string line = "slimnlp";
  std::vector<std::string> path;
  for (const CLI::App* app = &command; app != nullptr && app->get_parent() != nullptr; app = app->get_parent()) {
    path.insert(path.begin(), app->get_name());
  }
  for (const std::string& name : path) line += " " + name;
  for (const CLI::Option* option : command.get_options()) {
    const std::string name = option->get_name();
    // Not --out: a model trained elsewhere with the same options is the same file.
    if (name == "--help" || name == "--out") continue;
    if (option->get_type_size() == 0) {  // A flag.
      if (option->count() > 0) line += " " + name;
      continue;
    }
    std::vector<std::string> values = option->results();
    if (option->count() == 0) {
      if (option->get_default_str().empty()) continue;
      values = {option->get_default_str()};  // Defaults too: a later version's may differ.
    }
    for (const std::string& value : values) line += " " + name + " " + value;
  }
  return line;
}

size_t ParseSize(std::string text) {
  size_t unit = 1;
  const auto ends = [&](std::string_view suffix, size_t u) {
    if (text.size() > suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0) {
      text.resize(text.size() - suffix.size());
      unit = u;
      return true;
    }
    return false;
  };
  ends("KiB", 1024) || ends("MiB", 1024 * 1024) || ends("kB", 1000) || ends("MB", 1000000) || ends("K", 1024) ||
      ends("M", 1024 * 1024) || ends("B", 1);
  uint64_t value = 0;
  if (!absl::SimpleAtoi(text, &value)) return 0;
  return value * unit;
}

void RemoveStaleOutputTemporaries(const std::string& command, const std::string& output_path) {
  absl::StatusOr<std::vector<std::string>> removed = RemoveStaleTemporaries(output_path);
  if (!removed.ok()) return;  // The write itself will name what is wrong with the directory.
  for (const std::string& path : *removed) {
    std::fprintf(stderr, "%s: removed %s, a temporary left by an interrupted run\n", command.c_str(), path.c_str());
  }
}

absl::StatusOr<std::unique_ptr<ShardedIndex>> OpenIndexNamed(const std::string& name) {
  absl::StatusOr<std::vector<std::string>> paths = ResolveIndexPaths(name);
  if (!paths.ok()) return paths.status();
  return ShardedIndex::Open(*paths);
}

}  // namespace slimnlp::cli
