// The file-system calls a writer makes, behind one interface, so that tests can fail any one of them (as
// leveldb's fault-injection Env does) and check that no failure leaves a half-written or stray file.
#ifndef SLIMNLP_SRC_CORE_FILE_SYSTEM_H_
#define SLIMNLP_SRC_CORE_FILE_SYSTEM_H_

#include <cstddef>
#include <cstdint>
#include <string>

namespace slimnlp::core {

// Every call returns 0 (or a descriptor / byte count >= 0) on success and a negative errno value on failure;
// none reads or sets errno, so that a wrapper can inject any error without touching global state.
class FileSystem {
 public:
  virtual ~FileSystem() = default;
  // An unnamed file in `dir` (O_TMPFILE): the OS frees it if the process dies before it is given a name.
  // -EOPNOTSUPP, -EISDIR or -EINVAL where the file system or kernel has no such files.
  virtual int OpenAnonymous(const std::string& dir) = 0;
  // A new file `path`, write-only; -EEXIST if it is there already.
  virtual int OpenExclusive(const std::string& path) = 0;
  virtual int64_t Write(int fd, const char* data, size_t size) = 0;  // May write fewer bytes than asked.
  virtual int Sync(int fd) = 0;
  virtual int Close(int fd) = 0;
  virtual int Link(int fd, const std::string& path) = 0;  // Names an anonymous file (linkat).
  virtual int Rename(const std::string& from, const std::string& to) = 0;
  virtual int Unlink(const std::string& path) = 0;
  virtual int SyncDirectory(const std::string& dir) = 0;  // Makes a rename in `dir` durable.
};

// The real one (POSIX calls, EINTR retried).
FileSystem& PosixFileSystem();

// The one writers use: PosixFileSystem() unless a test has put another in place.
FileSystem& CurrentFileSystem();

// Puts `fs` in place of the current file system for its lifetime (tests only; not for concurrent use with
// writers on other threads).
class ScopedFileSystem {
 public:
  explicit ScopedFileSystem(FileSystem* fs);
  ~ScopedFileSystem();
  ScopedFileSystem(const ScopedFileSystem&) = delete;
  ScopedFileSystem& operator=(const ScopedFileSystem&) = delete;

 private:
  FileSystem* previous_;
};

}  // namespace slimnlp::core

#endif  // SLIMNLP_SRC_CORE_FILE_SYSTEM_H_
