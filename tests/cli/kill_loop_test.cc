// Crash recovery as a user meets it: `slimnlp index` and `slimnlp train langid` are killed at random points
// (SIGKILL, and SIGTERM as Ctrl-C or a service manager sends), again and again. After each kill the output is
// exactly the old file or exactly the new one; a SIGTERM leaves no temporary; a SIGKILL's leftover is removed
// by the next run, which says so. Run alone with: build/slimnlp_tests "[kill_loop]".
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <thread>

#include "tests/test_util.h"

using namespace slimnlp;

namespace {

using Clock = std::chrono::steady_clock;

// Starts the CLI with `args`, stdout and stderr to `log`; with SLIMNLP_NAMED_TEMPORARIES when `named` (the
// fallback for file systems without O_TMPFILE).
pid_t Start(const std::vector<std::string>& args, const std::string& log, bool named) {
  const pid_t pid = ::fork();
  if (pid != 0) return pid;
  const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd >= 0) {
    ::dup2(fd, 1);
    ::dup2(fd, 2);
  }
  if (named) ::setenv("SLIMNLP_NAMED_TEMPORARIES", "1", 1);
  std::vector<char*> argv;
  std::string cli = testing::CliPath();
  argv.push_back(cli.data());
  std::vector<std::string> copy = args;
  for (std::string& a : copy) argv.push_back(a.data());
  argv.push_back(nullptr);
  ::execv(argv[0], argv.data());
  ::_exit(127);
}

int Wait(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

std::vector<std::string> Temporaries(const std::string& dir, const std::string& base) {
  std::vector<std::string> found;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    if (name != base && name.rfind(base, 0) == 0) found.push_back(name);
  }
  return found;
}

// Whether process `pid` has a file open in `dir` that is a temporary: unnamed (O_TMPFILE, shown by /proc as
// "DIR/#INODE (deleted)") or named "*.tmp.*".
bool WritingTemporary(pid_t pid, const std::string& dir) {
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd", ec)) {
    const std::string target = std::filesystem::read_symlink(e.path(), ec).string();
    if (target.rfind(dir + "/", 0) != 0) continue;
    if (target.find("(deleted)") != std::string::npos || target.find(".tmp.") != std::string::npos) return true;
  }
  return false;
}

struct Writer {
  std::string name;
  std::vector<std::string> args[2];  // Two jobs whose outputs differ, written in turn over the same file.
};

struct Tally {
  size_t runs = 0, sigterm = 0, old_kept = 0, replaced = 0, leftovers = 0, recoveries = 0, unremoved = 0,
         term_leftovers = 0;
};

void KillLoop(const testing::TempDir& dir, const Writer& w, const std::string& out, size_t runs, std::mt19937* rng,
              Tally* tally) {
  const std::string base = std::filesystem::path(out).filename().string();
  const std::string log = dir.File("log");
  // The two outputs, from whole runs; they also time a run.
  std::string expected[2];
  double seconds = 0;
  for (int j = 0; j < 2; ++j) {
    const auto start = Clock::now();
    const int status = Wait(Start(w.args[j], log, false));
    seconds = std::max(seconds, std::chrono::duration<double>(Clock::now() - start).count());
    INFO(w.name << " job " << j << ": " << testing::ReadFile(log));
    REQUIRE((WIFEXITED(status) && WEXITSTATUS(status) == 0));
    expected[j] = testing::ReadFile(out);
  }
  REQUIRE(expected[0] != expected[1]);
  int current = 1;  // `out` holds expected[1] now.
  for (size_t i = 0; i < runs; ++i) {
    const int next = 1 - current;
    const bool named = i % 2 == 1;
    const bool term = i % 5 == 4;
    // Half the kills at a random time in a run; half at a random time up to 3 ms after the writer opened its
    // temporary (seen in /proc/PID/fd), where a kill can do harm.
    const bool during_write = i % 4 >= 2;
    const double at = during_write ? std::uniform_real_distribution<double>(0, 0.003)(*rng)
                                   : std::uniform_real_distribution<double>(0, 1.1 * seconds)(*rng);
    INFO(w.name << " run " << i << (named ? " (named temporary)" : " (unnamed temporary)") << ", "
                << (term ? "SIGTERM" : "SIGKILL") << " after " << at << " s of about " << seconds
                << (during_write ? " once the temporary was open" : ""));
    const pid_t pid = Start(w.args[next], log, named);
    if (during_write) {
      const auto give_up = Clock::now() + std::chrono::duration<double>(5 * seconds + 1);
      while (!WritingTemporary(pid, dir.path()) && Clock::now() < give_up) {
        std::this_thread::sleep_for(std::chrono::microseconds(100));
      }
    }
    std::this_thread::sleep_for(std::chrono::duration<double>(at));
    ::kill(pid, term ? SIGTERM : SIGKILL);
    Wait(pid);
    ++tally->runs;
    tally->sigterm += term;
    const std::string now = testing::ReadFile(out);
    REQUIRE((now == expected[0] || now == expected[1]));
    if (now == expected[next]) {
      ++tally->replaced;
      current = next;
    } else {
      ++tally->old_kept;
    }
    const std::vector<std::string> left = Temporaries(dir.path(), base);
    if (term) {
      tally->term_leftovers += !left.empty();
      CHECK(left.empty());  // The signal handler removed it.
      continue;
    }
    if (left.empty()) continue;
    ++tally->leftovers;
    // The next run removes what the killed one left, says so, and writes its output.
    const int status = Wait(Start(w.args[next], log, named));
    ++tally->recoveries;
    const std::string said = testing::ReadFile(log);
    INFO("leftover " << left[0] << "; the next run said: " << said);
    REQUIRE((WIFEXITED(status) && WEXITSTATUS(status) == 0));
    CHECK(said.find("a temporary left by an interrupted run") != std::string::npos);
    CHECK(said.find(left[0]) != std::string::npos);
    const bool cleaned = Temporaries(dir.path(), base).empty();
    tally->unremoved += !cleaned;
    CHECK(cleaned);
    CHECK(testing::ReadFile(out) == expected[next]);
    current = next;
  }
}

std::string IndexCorpus(size_t documents, uint64_t seed) {
  static const char* const kWords[] = {"river", "city", "founded", "bridge", "north", "trade", "king", "harbour",
                                       "winter", "market", "stone", "tower", "school", "music", "forest", "road"};
  std::mt19937 rng(seed);
  std::string out;
  for (size_t d = 0; d < documents; ++d) {
    out += "{\"id\": \"d" + std::to_string(d) + "\", \"text\": \"";
    for (int w = 0; w < 40; ++w) out += std::string(kWords[rng() % 16]) + std::to_string(rng() % 900) + " ";
    out += "\"}\n";
  }
  return out;
}

std::string LangIdData(size_t lines, uint64_t seed) {
  std::mt19937 rng(seed);
  std::string out;
  for (size_t i = 0; i < lines; ++i) {
    const int label = static_cast<int>(rng() % 2);
    out += label == 0 ? "en\t" : "fr\t";
    for (int w = 0, words = 1 + rng() % 4; w < words; ++w) {
      for (int c = 0, len = 2 + rng() % 5; c < len; ++c) out += static_cast<char>((label == 0 ? 'a' : 'n') + rng() % 13);
      out += ' ';
    }
    out += '\n';
  }
  return out;
}

}  // namespace

TEST_CASE("index and train killed at random points: the old output or the whole new one, never a leftover",
          "[cli][crash_safety][kill_loop]") {
  testing::TempDir dir;
  testing::WriteFile(dir.File("a.jsonl"), IndexCorpus(400, 1));
  testing::WriteFile(dir.File("b.jsonl"), IndexCorpus(300, 2));
  testing::WriteFile(dir.File("train.tsv"), LangIdData(600, 3));
  testing::WriteFile(dir.File("dev.tsv"), LangIdData(150, 4));
  const uint64_t seed = std::random_device{}();
  INFO("random seed " << seed);
  std::mt19937 rng(seed);
  Tally tally;
  const std::string index = dir.File("out.index");
  KillLoop(dir,
           {"slimnlp index",
            {{"index", "-i", dir.File("a.jsonl"), "-o", index}, {"index", "-i", dir.File("b.jsonl"), "-o", index}}},
           index, 50, &rng, &tally);
  const std::string model = dir.File("out.slim");
  const std::vector<std::string> train = {"train", "langid", "--train", dir.File("train.tsv"), "--dev",
                                          dir.File("dev.tsv"), "--out", model, "--budget", "128KiB", "--hidden", "0",
                                          "--epochs", "2", "--seed"};
  std::vector<std::string> seed1 = train, seed2 = train;
  seed1.push_back("1");
  seed2.push_back("2");
  KillLoop(dir, {"slimnlp train langid", {seed1, seed2}}, model, 12, &rng, &tally);
  // Reached only if no run left a corrupted output (that is a REQUIRE).
  std::printf("kill loop: %zu runs killed (%zu by SIGTERM, %zu of them left a temporary): old output kept %zu, "
              "new output complete %zu, 0 corrupted; %zu SIGKILLs left a temporary, the next run removed all but "
              "%zu\n",
              tally.runs, tally.sigterm, tally.term_leftovers, tally.old_kept, tally.replaced, tally.leftovers,
              tally.unremoved);
  CHECK(tally.runs == 62);
}
