// Crash safety as a test, not a claim: every file-system call of a real writer (model save, index build) is
// failed in turn, and afterwards the output is its old self (or, once renamed, the complete new file) and no
// temporary is left; a disk that fills up does the same; temporaries of killed writers are found and removed.
#include <fcntl.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <functional>
#include <set>

#include "slimnlp/retrieval.h"
#include "src/core/file_io.h"
#include "src/core/file_system.h"
#include "tests/core/fault_injection_file_system.h"
#include "tests/core/tiny_model.h"
#include "tests/test_util.h"

using namespace slimnlp;
using testing::FaultInjectionFileSystem;

namespace {

std::set<std::string> Listing(const std::string& dir) {
  std::set<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(dir)) names.insert(e.path().filename().string());
  return names;
}

const core::Classifier& TinyModel() {
  static const core::Classifier model = testing::TrainTinyModel();
  return model;
}

std::string Corpus(size_t documents) {
  std::string out;
  core::Rng rng(7);
  static const char* const kWords[] = {"river", "city", "founded", "bridge", "north", "trade", "king", "harbour",
                                       "winter", "market", "stone", "tower", "school", "music", "forest", "road"};
  for (size_t d = 0; d < documents; ++d) {
    out += "{\"id\": \"d" + std::to_string(d) + "\", \"text\": \"";
    for (size_t w = 0; w < 40; ++w) out += std::string(kWords[rng.Below(16)]) + std::to_string(rng.Below(500)) + " ";
    out += "\"}\n";
  }
  return out;
}

struct Job {
  std::string name;
  std::function<absl::Status(const std::string& out)> run;
};

std::vector<Job> Jobs(const testing::TempDir& inputs) {
  testing::WriteFile(inputs.File("corpus.jsonl"), Corpus(50));
  const std::string corpus = inputs.File("corpus.jsonl");
  return {
      {"model save", [](const std::string& out) { return TinyModel().Save(out); }},
      {"index build",
       [corpus](const std::string& out) {
         IndexBuildOptions o;
         o.input_paths = {corpus};
         o.output_path = out;
         return BuildIndex(o).status();
       }},
  };
}

}  // namespace

TEST_CASE("every failed file-system call of a writer leaves the old output and no temporary",
          "[file_io][crash_safety]") {
  testing::TempDir inputs;
  size_t runs = 0, corrupted = 0, littered = 0;
  for (const Job& job : Jobs(inputs)) {
    for (const bool named : {false, true}) {
      for (const size_t max_write : {SIZE_MAX, size_t{4093}}) {
        for (const int error : {EIO, ENOSPC}) {
          INFO(job.name << std::string(named ? ", named temporary" : ", unnamed temporary") << ", writes of at most "
                        << max_write << " bytes, errno " << error);
          testing::TempDir dir;
          const std::string out = dir.File("out");
          FaultInjectionFileSystem fs;
          fs.set_no_anonymous(named);
          fs.set_max_write(max_write);
          core::ScopedFileSystem scoped(&fs);
          // The new contents, and how many calls a whole write makes.
          fs.FailNth(0, error);
          REQUIRE(job.run(out).ok());
          const std::string fresh = testing::ReadFile(out);
          const uint64_t calls = fs.calls();
          REQUIRE(calls >= 5);  // Open, write, sync, rename, close, sync dir (+ link when unnamed).
          for (uint64_t n = 1; n <= calls; ++n) {
            INFO("failing call " << n << " of " << calls);
            testing::WriteFile(out, "old contents");
            fs.FailNth(n, error);
            fs.ResetRenamed();
            const absl::Status s = job.run(out);
            ++runs;
            REQUIRE(fs.failed() != FaultInjectionFileSystem::Op::kNone);
            CHECK_FALSE(s.ok());
            CHECK(std::string(s.message()).find(out) != std::string::npos);
            if (error == ENOSPC && !fs.renamed_before_failure()) {
              CHECK(s.code() == absl::StatusCode::kResourceExhausted);
            }
            // Before the rename: the old file. After it (close or directory sync failed): the whole new one.
            const bool intact =
                testing::ReadFile(out) == (fs.renamed_before_failure() ? fresh : std::string("old contents"));
            const bool clean = Listing(dir.path()) == std::set<std::string>{"out"};
            corrupted += !intact;
            littered += !clean;
            CHECK(intact);
            CHECK(clean);
          }
          fs.FailNth(0, error);
          REQUIRE(job.run(out).ok());
          CHECK(testing::ReadFile(out) == fresh);
          CHECK(Listing(dir.path()) == std::set<std::string>{"out"});
        }
      }
    }
  }
  std::printf("fault loop: %zu writes, each with one injected fault (open, write, fsync, link, rename, close, "
              "directory fsync): %zu corrupted outputs, %zu left a temporary\n", runs, corrupted, littered);
  CHECK(runs >= 100);
}

TEST_CASE("a writer with no unnamed temporaries falls back to a named one and leaves none",
          "[file_io][crash_safety]") {
  testing::TempDir dir;
  const std::string out = dir.File("model.slim");
  FaultInjectionFileSystem fs;
  fs.set_no_anonymous(true);
  core::ScopedFileSystem scoped(&fs);
  REQUIRE(TinyModel().Save(out).ok());
  CHECK(core::Classifier::Load(out).ok());
  CHECK(Listing(dir.path()) == std::set<std::string>{"model.slim"});
}

TEST_CASE("temporaries of dead writers are removed; a live writer's, and other files, are kept",
          "[file_io][crash_safety]") {
  testing::TempDir dir;
  const std::string out = dir.File("my.index");
  // A PID that is certainly not running: a child that has exited and been reaped.
  const pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  REQUIRE(child > 0);
  REQUIRE(::waitpid(child, nullptr, 0) == child);
  const std::string dead = std::to_string(child);
  for (const std::string& name : std::vector<std::string>{"my.index", "my.index.tmp." + dead + ".0", "my.index.tmp." + dead,
                                  "my.index.tmp.1.0", "my.index.tmp.x1", "my.index.tmpx", "my.index.tmp." + dead + ".",
                                  "other.index.tmp." + dead + ".0"}) {
    testing::WriteFile(dir.File(name), "x");
  }
  // Our own (live) PID, locked as a writer holds it.
  const std::string live = "my.index.tmp." + std::to_string(::getpid()) + ".12345";
  testing::WriteFile(dir.File(live), "being written");
  absl::StatusOr<std::vector<std::string>> removed = core::RemoveStaleTemporaries(out);
  REQUIRE(removed.ok());
  CHECK(std::set<std::string>(removed->begin(), removed->end()) ==
        std::set<std::string>{dir.File("my.index.tmp." + dead + ".0"), dir.File("my.index.tmp." + dead)});
  CHECK(Listing(dir.path()) == std::set<std::string>{"my.index", "my.index.tmp.1.0", "my.index.tmp.x1",
                                                      "my.index.tmpx", "my.index.tmp." + dead + ".",
                                                      "other.index.tmp." + dead + ".0", live});
  CHECK(core::RemoveStaleTemporaries(dir.File("absent/dir/x")).status().code() == absl::StatusCode::kNotFound);
}

TEST_CASE("a temporary locked by a writer is kept even when its PID looks dead (another PID namespace)",
          "[file_io][crash_safety]") {
  testing::TempDir dir;
  const pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  REQUIRE(::waitpid(child, nullptr, 0) == child);
  const std::string tmp = dir.File("m.slim.tmp." + std::to_string(child) + ".0");
  testing::WriteFile(tmp, "partial");
  const int fd = ::open(tmp.c_str(), O_RDONLY);
  REQUIRE(fd >= 0);
  REQUIRE(::flock(fd, LOCK_EX) == 0);
  CHECK(core::RemoveStaleTemporaries(dir.File("m.slim"))->empty());
  ::close(fd);
  CHECK(core::RemoveStaleTemporaries(dir.File("m.slim"))->size() == 1);
  CHECK(Listing(dir.path()).empty());
}

TEST_CASE("a full disk: the writer fails with ResourceExhausted, the old file stays, the space comes back",
          "[file_io][crash_safety][full_disk]") {
  testing::TempDir dir;
  const std::string mnt = dir.File("small");
  std::filesystem::create_directory(mnt);
  if (::mount("tmpfs", mnt.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, "size=64k") != 0) {
    WARN("skipped: cannot mount a 64 KiB tmpfs here (" << std::strerror(errno) << "); needs CAP_SYS_ADMIN");
    return;
  }
  struct Unmount {
    std::string path;
    ~Unmount() { ::umount2(path.c_str(), MNT_DETACH); }
  } unmount{mnt};
  const auto free_bytes = [&] {
    struct statvfs st;
    REQUIRE(::statvfs(mnt.c_str(), &st) == 0);
    return uint64_t{st.f_bavail} * st.f_frsize;
  };
  testing::TempDir inputs;
  testing::WriteFile(inputs.File("corpus.jsonl"), Corpus(2000));
  const std::string out = mnt + "/corpus.index";
  for (const bool named : {false, true}) {
    INFO((named ? "named temporary" : "unnamed temporary"));
    FaultInjectionFileSystem fs;  // Only to choose the kind of temporary; it fails nothing.
    fs.set_no_anonymous(named);
    core::ScopedFileSystem scoped(&fs);
    REQUIRE(TinyModel().Save(out).ok());  // The old output: a small file that fits.
    const std::string old = testing::ReadFile(out);
    const uint64_t before = free_bytes();
    IndexBuildOptions o;
    o.input_paths = {inputs.File("corpus.jsonl")};
    o.output_path = out;
    const absl::StatusOr<IndexBuildResult> r = BuildIndex(o);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == absl::StatusCode::kResourceExhausted);
    CHECK(std::string(r.status().message()).find(out) != std::string::npos);
    CHECK(testing::ReadFile(out) == old);
    CHECK(Listing(mnt) == std::set<std::string>{"corpus.index"});
    CHECK(free_bytes() == before);
  }
}
