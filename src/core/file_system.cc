#include "src/core/file_system.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <string>

namespace slimnlp::core {
namespace {

int Result(int rc) { return rc < 0 ? -errno : rc; }

class Posix final : public FileSystem {
 public:
  int OpenAnonymous(const std::string& dir) override {
#ifdef O_TMPFILE
    int fd;
    do fd = ::open(dir.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644);
    while (fd < 0 && errno == EINTR);
    return Result(fd);
#else
    (void)dir;
    return -EOPNOTSUPP;
#endif
  }
  int OpenExclusive(const std::string& path) override {
    int fd;
    do fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    while (fd < 0 && errno == EINTR);
    return Result(fd);
  }
  int64_t Write(int fd, const char* data, size_t size) override {
    ssize_t n;
    do n = ::write(fd, data, size);
    while (n < 0 && errno == EINTR);
    return n < 0 ? -errno : n;
  }
  int Sync(int fd) override { return Result(::fsync(fd)); }
  // No retry on EINTR: the descriptor is gone either way on Linux.
  int Close(int fd) override { return Result(::close(fd)); }
  int Link(int fd, const std::string& path) override {
    // linkat(AT_EMPTY_PATH) would need CAP_DAC_READ_SEARCH; the /proc path does not.
    const std::string proc = "/proc/self/fd/" + std::to_string(fd);
    return Result(::linkat(AT_FDCWD, proc.c_str(), AT_FDCWD, path.c_str(), AT_SYMLINK_FOLLOW));
  }
  int Rename(const std::string& from, const std::string& to) override {
    return Result(::rename(from.c_str(), to.c_str()));
  }
  int Unlink(const std::string& path) override { return Result(::unlink(path.c_str())); }
  int SyncDirectory(const std::string& dir) override {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return -errno;
    const int rc = Result(::fsync(fd));
    ::close(fd);
    // Some file systems cannot sync a directory; the rename is then as durable as they make it.
    return rc == -EINVAL ? 0 : rc;
  }
};

std::atomic<FileSystem*> current{nullptr};

}  // namespace

FileSystem& PosixFileSystem() {
  static Posix* fs = new Posix;
  return *fs;
}

FileSystem& CurrentFileSystem() {
  FileSystem* fs = current.load(std::memory_order_acquire);
  return fs != nullptr ? *fs : PosixFileSystem();
}

ScopedFileSystem::ScopedFileSystem(FileSystem* fs) : previous_(current.exchange(fs)) {}
ScopedFileSystem::~ScopedFileSystem() { current.store(previous_); }

}  // namespace slimnlp::core
