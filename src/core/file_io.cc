#include "src/core/file_io.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "src/core/file_system.h"

namespace slimnlp::core {
namespace {

absl::Status ErrnoStatus(int err, std::string_view what, const std::string& path) {
  const std::string message = absl::StrFormat("%s %s: %s", what, path, std::strerror(err));
  switch (err) {
    case ENOENT:
      return absl::NotFoundError(message);
    case EACCES:
    case EPERM:
      return absl::PermissionDeniedError(message);
    case ENOSPC:
      return absl::ResourceExhaustedError(message);
    default:
      return absl::InternalError(message);
  }
}

}  // namespace

absl::StatusOr<std::string> ReadFileToString(const std::string& path, uint64_t max_bytes) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus(errno, "cannot open", path);
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    const int err = errno;
    ::close(fd);
    return ErrnoStatus(err, "cannot stat", path);
  }
  if (S_ISDIR(st.st_mode)) {
    ::close(fd);
    return absl::InvalidArgumentError(absl::StrFormat("%s is a directory, not a file", path));
  }
  if (static_cast<uint64_t>(st.st_size) > max_bytes) {
    ::close(fd);
    return absl::ResourceExhaustedError(
        absl::StrFormat("%s is %d bytes, over the %d-byte limit", path, st.st_size, max_bytes));
  }
  std::string data;
  data.resize(static_cast<size_t>(st.st_size));
  size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::read(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      ::close(fd);
      return ErrnoStatus(err, "cannot read", path);
    }
    if (n == 0) break;  // The file shrank while we read it: return what is there.
    done += static_cast<size_t>(n);
  }
  data.resize(done);
  ::close(fd);
  return data;
}

namespace {

// Named temporaries being written, for the signal handler: fixed slots, because a handler may neither
// allocate nor lock. 0 free, 1 being filled, 2 ready.
constexpr int kSlots = 64;
struct Slot {
  std::atomic<int> state{0};
  char path[PATH_MAX];
};
Slot slots[kSlots];

int Register(const std::string& path) {
  if (path.size() >= PATH_MAX) return -1;
  for (int i = 0; i < kSlots; ++i) {
    int expected = 0;
    if (!slots[i].state.compare_exchange_strong(expected, 1)) continue;
    std::memcpy(slots[i].path, path.c_str(), path.size() + 1);
    slots[i].state.store(2, std::memory_order_release);
    return i;
  }
  return -1;  // More writes at once than slots: such a temporary is still removed by the next run.
}

void Unregister(int slot) {
  if (slot >= 0) slots[slot].state.store(0, std::memory_order_release);
}

struct sigaction previous_actions[2];

void RemoveTemporariesAndRedeliver(int sig, siginfo_t* info, void* context) {
  const int saved_errno = errno;
  for (Slot& slot : slots) {
    if (slot.state.load(std::memory_order_acquire) == 2) ::unlink(slot.path);
  }
  errno = saved_errno;
  const struct sigaction& old = previous_actions[sig == SIGINT ? 0 : 1];
  if ((old.sa_flags & SA_SIGINFO) != 0) {
    if (old.sa_sigaction != nullptr) old.sa_sigaction(sig, info, context);
    return;
  }
  if (old.sa_handler == SIG_IGN) return;
  if (old.sa_handler != SIG_DFL) {
    old.sa_handler(sig);
    return;
  }
  ::signal(sig, SIG_DFL);
  ::raise(sig);  // Delivered when the handler returns: the process ends as the signal intends.
}

std::atomic<uint64_t> next_temporary{0};

// Where `path`'s temporaries go: its directory, so that the rename stays within one file system.
std::string DirectoryOf(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

std::string BaseName(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// The PID in "BASE.tmp.PID" or "BASE.tmp.PID.N" (the first form is what earlier versions wrote); 0 if
// `name` is not a temporary of BASE.
pid_t TemporaryOwner(std::string_view name, std::string_view base) {
  const std::string prefix = std::string(base) + ".tmp.";
  if (name.size() <= prefix.size() || name.substr(0, prefix.size()) != prefix) return 0;
  name.remove_prefix(prefix.size());
  pid_t pid = 0;
  size_t i = 0;
  for (; i < name.size() && i < 10 && name[i] >= '0' && name[i] <= '9'; ++i) pid = pid * 10 + (name[i] - '0');
  if (i == 0) return 0;
  if (i == name.size()) return pid;
  if (name[i] != '.' || i + 1 == name.size()) return 0;
  for (size_t j = i + 1; j < name.size(); ++j) {
    if (name[j] < '0' || name[j] > '9') return 0;
  }
  return pid;
}

bool ProcessIsGone(pid_t pid) { return ::kill(pid, 0) != 0 && errno == ESRCH; }

enum class Temporary { kAnonymous, kNamed };

// One attempt. *unsupported is set when unnamed files turn out not to work here (no O_TMPFILE, no /proc),
// so that the caller can retry with a named temporary.
absl::Status Write(FileSystem& fs, Temporary kind, const std::string& path, std::string_view data,
                   uint64_t fail_after_bytes, bool* unsupported) {
  const std::string dir = DirectoryOf(path);
  const std::string tmp = absl::StrFormat("%s.tmp.%d.%d", path, ::getpid(), next_temporary.fetch_add(1));
  int slot = -1;
  int fd;
  if (kind == Temporary::kAnonymous) {
    fd = fs.OpenAnonymous(dir);
    if (fd == -EOPNOTSUPP || fd == -EISDIR || fd == -EINVAL) {
      *unsupported = true;
      return absl::UnimplementedError("no unnamed temporary files in " + dir);
    }
  } else {
    slot = Register(tmp);
    fd = fs.OpenExclusive(tmp);
  }
  if (fd < 0) {
    Unregister(slot);
    return ErrnoStatus(-fd, "cannot create a temporary file for", path);
  }
  // Marks the temporary as in use: RemoveStaleTemporaries leaves a locked one alone. Where locks are not
  // supported, the owner's PID alone decides.
  ::flock(fd, LOCK_EX | LOCK_NB);
  bool named = kind == Temporary::kNamed;
  const auto fail = [&](int err, std::string_view what) {
    fs.Close(fd);
    if (named) fs.Unlink(tmp);
    Unregister(slot);
    return ErrnoStatus(err, what, absl::StrCat("a temporary file for ", path));
  };
  size_t done = 0;
  while (done < data.size()) {
    size_t chunk = data.size() - done;
    if (done >= fail_after_bytes) return fail(ENOSPC, "cannot write");
    if (chunk > fail_after_bytes - done) chunk = static_cast<size_t>(fail_after_bytes - done);
    const int64_t n = fs.Write(fd, data.data() + done, chunk);
    if (n < 0) return fail(static_cast<int>(-n), "cannot write");
    if (n == 0) return fail(EIO, "cannot write (no progress)");
    done += static_cast<size_t>(n);
  }
  if (int rc = fs.Sync(fd); rc < 0) return fail(-rc, "cannot sync");
  if (!named) {
    // A name is needed for rename(2), the only call that replaces a file atomically. From here to the rename
    // the temporary has a name; a signal removes it (slot), a SIGKILL leaves it to the next run.
    slot = Register(tmp);
    if (int rc = fs.Link(fd, tmp); rc < 0) {
      if (rc == -ENOENT && ::access("/proc/self/fd", F_OK) != 0) {  // No /proc: use a named temporary.
        fs.Close(fd);
        Unregister(slot);
        *unsupported = true;
        return absl::UnimplementedError("no /proc to name an unnamed file");
      }
      return fail(-rc, "cannot link");
    }
    named = true;
  }
  if (int rc = fs.Rename(tmp, path); rc < 0) {
    const int err = -rc;
    fs.Close(fd);
    fs.Unlink(tmp);
    Unregister(slot);
    return ErrnoStatus(err, "cannot rename into place", path);
  }
  Unregister(slot);
  // The lock is held up to here, so a concurrent RemoveStaleTemporaries never takes the temporary for stale.
  if (int rc = fs.Close(fd); rc < 0) return ErrnoStatus(-rc, "cannot close (after writing)", path);
  if (int rc = fs.SyncDirectory(dir); rc < 0) {
    return ErrnoStatus(-rc, "written, but cannot sync the directory of", path);
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status WriteFileAtomically(const std::string& path, std::string_view data, uint64_t fail_after_bytes) {
  FileSystem& fs = CurrentFileSystem();
  // Temporaries of killed writers only cost disk space: removing them is worth a try, not a failure.
  (void)RemoveStaleTemporaries(path);
  bool unsupported = std::getenv("SLIMNLP_NAMED_TEMPORARIES") != nullptr;
  if (!unsupported) {
    absl::Status s = Write(fs, Temporary::kAnonymous, path, data, fail_after_bytes, &unsupported);
    if (!unsupported) return s;
  }
  return Write(fs, Temporary::kNamed, path, data, fail_after_bytes, &unsupported);
}

absl::StatusOr<std::vector<std::string>> RemoveStaleTemporaries(const std::string& path) {
  const std::string dir = DirectoryOf(path);
  const std::string base = BaseName(path);
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return ErrnoStatus(errno, "cannot list", dir);
  std::vector<std::string> removed;
  FileSystem& fs = CurrentFileSystem();
  while (const struct dirent* e = ::readdir(d)) {
    const pid_t owner = TemporaryOwner(e->d_name, base);
    if (owner <= 0 || !ProcessIsGone(owner)) continue;
    const std::string full = dir == "/" ? "/" + std::string(e->d_name) : dir + "/" + e->d_name;
    const int fd = ::open(full.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) continue;
    struct stat st;
    // Unlocked (or locks unsupported): nobody holds it.
    if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
        (::flock(fd, LOCK_EX | LOCK_NB) == 0 || errno != EWOULDBLOCK) && fs.Unlink(full) == 0) {
      removed.push_back(full);
    }
    ::close(fd);
  }
  ::closedir(d);
  return removed;
}

void InstallTemporaryCleanupOnSignals() {
  static std::atomic<bool> installed{false};
  if (installed.exchange(true)) return;
  const int signals[2] = {SIGINT, SIGTERM};
  for (int i = 0; i < 2; ++i) {
    struct sigaction action = {};
    action.sa_sigaction = RemoveTemporariesAndRedeliver;
    action.sa_flags = SA_SIGINFO | SA_RESTART;
    sigemptyset(&action.sa_mask);
    struct sigaction old = {};
    if (::sigaction(signals[i], nullptr, &old) != 0 || old.sa_handler == SIG_IGN) continue;
    previous_actions[i] = old;
    ::sigaction(signals[i], &action, nullptr);
  }
}

}  // namespace slimnlp::core
