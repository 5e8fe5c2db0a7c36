// Helpers shared by the tests: paths, temporary directories, small models.
#ifndef SLIMNLP_TESTS_TEST_UTIL_H_
#define SLIMNLP_TESTS_TEST_UTIL_H_

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <catch2/catch.hpp>

namespace slimnlp::testing {

inline std::string SourceDir() { return SLIMNLP_SOURCE_DIR; }
inline std::string CliPath() { return SLIMNLP_CLI_PATH; }
inline std::string ShippedModel(const std::string& name) { return SourceDir() + "/models/" + name; }

// ../shared/data beside the project root. Fails the test with a clear message when it is missing.
inline std::string SharedData(const std::string& relative) {
  const std::filesystem::path p = std::filesystem::path(SourceDir()) / ".." / "shared" / "data" / relative;
  INFO("this test needs the shared data at " << p.string() << " (see DEVELOPERS.md): it is missing");
  REQUIRE(std::filesystem::exists(p));
  return p.string();
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
