// Helpers shared by the tests: paths, temporary directories, small models.
#ifndef SLIMNLP_TESTS_TEST_UTIL_H_
#define SLIMNLP_TESTS_TEST_UTIL_H_

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <catch2/catch.hpp>

#include "slimnlp/pipeline.h"

namespace slimnlp::testing {

inline std::string SourceDir() { return SLIMNLP_SOURCE_DIR; }
inline std::string CliPath() { return SLIMNLP_CLI_PATH; }
inline std::string ShippedModel(const std::string& name) { return SourceDir() + "/models/" + name; }

// The shared data (its README: /work/shared/data/README.md): $SLIMNLP_SHARED_DATA if set, else ../shared/data
// beside the project root.
inline std::filesystem::path SharedDataRoot() {
  if (const char* dir = std::getenv("SLIMNLP_SHARED_DATA"); dir != nullptr && *dir) return dir;
  return std::filesystem::path(SourceDir()) / ".." / "shared" / "data";
}

// The shared data file `relative`, or "" when it is missing.
inline std::string SharedData(const std::string& relative) {
  const std::filesystem::path p = SharedDataRoot() / relative;
  std::error_code ec;
  return std::filesystem::exists(p, ec) ? p.string() : std::string();
}

// Declares `var` as the shared data file `relative`; when it is missing, the test says so and ends, passing
// (Catch2 v2 has no skip): a checkout without the shared data still runs every other test.
#define SLIMNLP_SHARED_DATA_OR_SKIP(var, relative)                                                              \
  const std::string var = ::slimnlp::testing::SharedData(relative);                                            \
  if (var.empty()) {                                                                                           \
    WARN("skipped: needs the shared data file " << (::slimnlp::testing::SharedDataRoot() / (relative)).string() \
                                                << "; set SLIMNLP_SHARED_DATA to the directory that holds it");  \
    return;                                                                                                    \
  }

// The pipeline over the shipped models, loaded once per test process and shared by the tests that serve it.
inline const Pipeline& ShippedPipeline() {
  static const std::unique_ptr<Pipeline> p = [] {
    PipelineOptions o;
    o.models_dir = SourceDir() + "/models";
    o.preload = true;
    absl::StatusOr<std::unique_ptr<Pipeline>> loaded = Pipeline::Load(o);
    if (!loaded.ok()) FAIL(loaded.status().message());
    return *std::move(loaded);
  }();
  return *p;
}

// A fresh directory under the system temp dir, removed when the object goes.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "slimnlp-test-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string File(const std::string& name) const { return path_ + "/" + name; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

inline void WriteFile(const std::string& path, const std::string& data) {
  std::ofstream f(path, std::ios::binary);
  f << data;
}

inline std::string ReadFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

}  // namespace slimnlp::testing

#endif  // SLIMNLP_TESTS_TEST_UTIL_H_
