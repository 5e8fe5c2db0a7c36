// Replays saved inputs through the fuzz targets' own checks, without libFuzzer: the normal test suite runs
// `fuzz_replay TARGET DIR_OR_FILE...` (missing ones are passed over) for the kept corpus (fuzz/corpus/TARGET) and the saved failures
// (tests/regressions/TARGET) of every target, so what campaigns found stays covered by every build.
// Each target source is compiled into this program with LLVMFuzzerTestOneInput renamed (fuzz/CMakeLists.txt
// or the root CMakeLists.txt); a target's check fails with __builtin_trap, and the input's path is printed
// first so that a failure names it.
#include <signal.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#define SLIMNLP_FUZZ_TARGETS(X) \
  X(fuzz_model_loader)          \
  X(fuzz_text)                  \
  X(fuzz_tsv)                   \
  X(fuzz_conllu)                \
  X(fuzz_index_loader)          \
  X(fuzz_jsonl)                 \
  X(fuzz_segment)               \
  X(fuzz_http_api)              \
  X(fuzz_http_request)

#define SLIMNLP_DECLARE(name) extern "C" int SlimnlpFuzz_##name(const uint8_t* data, size_t size);
SLIMNLP_FUZZ_TARGETS(SLIMNLP_DECLARE)
#undef SLIMNLP_DECLARE

namespace {

using Target = int (*)(const uint8_t*, size_t);

// The input being replayed, for the signal handler (which may only call async-signal-safe functions).
char current[4096];

void OnFatalSignal(int sig) {
  const char prefix[] = "\nfuzz_replay: the target's check failed (or it crashed) on ";
  (void)!write(2, prefix, sizeof(prefix) - 1);
  (void)!write(2, current, std::strlen(current));
  (void)!write(2, "\n", 1);
  signal(sig, SIG_DFL);
  raise(sig);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: fuzz_replay TARGET DIR_OR_FILE...\n");
    return 2;
  }
  Target target = nullptr;
#define SLIMNLP_PICK(name) \
  if (std::strcmp(argv[1], #name) == 0) target = SlimnlpFuzz_##name;
  SLIMNLP_FUZZ_TARGETS(SLIMNLP_PICK)
#undef SLIMNLP_PICK
  if (target == nullptr) {
    std::fprintf(stderr, "fuzz_replay: no target '%s'\n", argv[1]);
    return 2;
  }
  std::vector<std::filesystem::path> inputs;
  for (int i = 2; i < argc; ++i) {
    std::error_code error;
    if (std::filesystem::is_directory(argv[i], error)) {
      for (const auto& e : std::filesystem::directory_iterator(argv[i])) inputs.push_back(e.path());
    } else if (std::filesystem::is_regular_file(argv[i], error)) {
      inputs.push_back(argv[i]);
    }  // A target may have no kept corpus or no saved failures yet.
  }
  if (inputs.empty()) {
    std::fprintf(stderr, "fuzz_replay: %s has no kept corpus and no saved failures: skipped\n", argv[1]);
    return 77;
  }
  for (int sig : {SIGILL, SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGTRAP}) signal(sig, OnFatalSignal);
  for (const std::filesystem::path& path : inputs) {
    std::snprintf(current, sizeof(current), "%s", path.c_str());
    std::ifstream in(path, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof()) {
      std::fprintf(stderr, "fuzz_replay: cannot read %s\n", path.c_str());
      return 2;
    }
    // A copy of exactly the input's size, never a null pointer (new[0] is not), as libFuzzer gives it: ASan
    // sees any read past the end.
    const std::unique_ptr<uint8_t[]> data(new uint8_t[bytes.size()]);
    std::memcpy(data.get(), bytes.data(), bytes.size());
    target(data.get(), bytes.size());
  }
  std::printf("fuzz_replay: %s: %zu inputs replayed, every check passed\n", argv[1], inputs.size());
  return 0;
}
