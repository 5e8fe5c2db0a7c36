// A file system that passes every call to the real one but fails the N-th (as leveldb's fault-injection Env and
// SQLite's I/O error loops do), or writes only a few bytes a call, or has no unnamed temporary files.
#ifndef SLIMNLP_TESTS_CORE_FAULT_INJECTION_FILE_SYSTEM_H_
#define SLIMNLP_TESTS_CORE_FAULT_INJECTION_FILE_SYSTEM_H_

#include <algorithm>
#include <cerrno>
#include <string>

#include "src/core/file_system.h"

namespace slimnlp::testing {

class FaultInjectionFileSystem : public core::FileSystem {
 public:
  enum class Op { kNone, kOpenAnonymous, kOpenExclusive, kWrite, kSync, kClose, kLink, kRename, kUnlink, kSyncDirectory };

  // Fails the `n`-th call from now (1 = the next one) with `error`; 0 fails none. Resets the count.
  void FailNth(uint64_t n, int error) {
    fail_at_ = n;
    error_ = error;
    calls_ = 0;
    failed_ = Op::kNone;
  }
  uint64_t calls() const { return calls_; }
  Op failed() const { return failed_; }  // Which call was failed, kNone if none was.
  bool renamed_before_failure() const { return renamed_before_failure_; }
  void set_max_write(size_t bytes) { max_write_ = bytes; }   // Short writes: at most this many bytes a call.
  void set_no_anonymous(bool on) { no_anonymous_ = on; }     // As a file system without O_TMPFILE.

  int OpenAnonymous(const std::string& dir) override {
    if (no_anonymous_) return -EOPNOTSUPP;
    return Fault(Op::kOpenAnonymous) ? -error_ : real().OpenAnonymous(dir);
  }
  int OpenExclusive(const std::string& path) override {
    return Fault(Op::kOpenExclusive) ? -error_ : real().OpenExclusive(path);
  }
  int64_t Write(int fd, const char* data, size_t size) override {
    return Fault(Op::kWrite) ? -error_ : real().Write(fd, data, std::min(size, max_write_));
  }
  int Sync(int fd) override { return Fault(Op::kSync) ? -error_ : real().Sync(fd); }
  int Close(int fd) override {
    // A failed close still closes (as on Linux), so that a test leaks no descriptor.
    const int rc = real().Close(fd);
    return Fault(Op::kClose) ? -error_ : rc;
  }
  int Link(int fd, const std::string& path) override { return Fault(Op::kLink) ? -error_ : real().Link(fd, path); }
  int Rename(const std::string& from, const std::string& to) override {
    if (Fault(Op::kRename)) return -error_;
    const int rc = real().Rename(from, to);
    if (rc == 0 && failed_ == Op::kNone) renamed_before_failure_ = true;
    return rc;
  }
  int Unlink(const std::string& path) override { return Fault(Op::kUnlink) ? -error_ : real().Unlink(path); }
  int SyncDirectory(const std::string& dir) override {
    return Fault(Op::kSyncDirectory) ? -error_ : real().SyncDirectory(dir);
  }

  void ResetRenamed() { renamed_before_failure_ = false; }

 private:
  static core::FileSystem& real() { return core::PosixFileSystem(); }
  bool Fault(Op op) {
    if (++calls_ != fail_at_) return false;
    failed_ = op;
    return true;
  }

  uint64_t fail_at_ = 0, calls_ = 0;
  int error_ = EIO;
  Op failed_ = Op::kNone;
  bool renamed_before_failure_ = false;
  size_t max_write_ = SIZE_MAX;
  bool no_anonymous_ = false;
};

}  // namespace slimnlp::testing

#endif  // SLIMNLP_TESTS_CORE_FAULT_INJECTION_FILE_SYSTEM_H_
