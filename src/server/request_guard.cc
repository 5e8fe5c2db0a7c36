#include "src/server/request_guard.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <httplib.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "src/server/api.h"

namespace slimnlp::server {
namespace {

using Clock = std::chrono::steady_clock;

// RFC 9110 5.6.2: token characters.
bool IsTokenChar(unsigned char c) {
  if (c >= '0' && c <= '9') return true;
  if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') return true;
  return c != 0 && std::strchr("!#$%&'*+-.^_`|~", c) != nullptr;
}

// (Abseil here is built without std::string_view as its string_view, so these two are done by hand.)
std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if ((a[i] | 0x20) != (b[i] | 0x20)) return false;
  }
  return true;
}

HeadCheck Refuse(int status, std::string message) {
  HeadCheck c;
  c.state = HeadCheck::State::kRefused;
  c.status = status;
  c.message = std::move(message);
  return c;
}

std::string Printable(std::string_view s) {
  std::string out;
  for (const char ch : s.substr(0, 64)) out += (ch >= 0x20 && ch < 0x7f) ? ch : '?';
  return out;
}

// "METHOD SP request-target SP HTTP/1.x" (RFC 9112 3).
bool ValidRequestLine(std::string_view line, std::string_view* method) {
  const size_t sp1 = line.find(' ');
  if (sp1 == 0 || sp1 == std::string_view::npos) return false;
  for (size_t i = 0; i < sp1; ++i) {
    if (!IsTokenChar(static_cast<unsigned char>(line[i]))) return false;
  }
  const size_t sp2 = line.find(' ', sp1 + 1);
  if (sp2 == sp1 + 1 || sp2 == std::string_view::npos) return false;
  for (size_t i = sp1 + 1; i < sp2; ++i) {
    const unsigned char c = static_cast<unsigned char>(line[i]);
    if (c <= 0x20 || c == 0x7f) return false;
  }
  const std::string_view version = line.substr(sp2 + 1);
  if (version != "HTTP/1.1" && version != "HTTP/1.0") return false;
  *method = line.substr(0, sp1);
  return true;
}

}  // namespace

HeadCheck CheckRequestHead(std::string_view bytes, const HeadLimits& limits) {
  size_t skip = 0;
  while (bytes.substr(skip, 2) == "\r\n" && skip < 8) skip += 2;  // Leftover CRLFs after a previous body.
  const std::string_view head = bytes.substr(skip);
  std::string_view method;
  size_t pos = 0, headers = 0, header_bytes = 0;
  bool has_length = false;
  uint64_t length = 0;
  for (size_t line_number = 0;; ++line_number) {
    const size_t lf = head.find('\n', pos);
    const size_t cr = head.find('\r', pos);
    // A CR must be followed by LF, and an LF preceded by CR, wherever they are.
    if (cr != std::string_view::npos && cr + 1 < head.size() && head[cr + 1] != '\n') {
      return Refuse(400, "a bare CR in the request head: lines must end in CRLF");
    }
    if (lf != std::string_view::npos && (lf == 0 || head[lf - 1] != '\r')) {
      return Refuse(400, "a bare LF in the request head: lines must end in CRLF");
    }
    if (lf == std::string_view::npos) {
      // Incomplete. Refuse already what cannot become a valid head.
      if (line_number == 0 && head.size() - pos > limits.max_request_line) {
        return Refuse(414, "the request line is too long");
      }
      if (head.size() - pos > limits.max_header_bytes) {
        return Refuse(431, absl::StrCat("a header line over the limit of ", limits.max_header_bytes, " bytes"));
      }
      return HeadCheck{};
    }
    const std::string_view line = head.substr(pos, lf - 1 - pos);
    pos = lf + 1;
    if (line_number == 0) {
      if (line.size() > limits.max_request_line) return Refuse(414, "the request line is too long");
      if (!ValidRequestLine(line, &method)) {
        return Refuse(400, absl::StrCat("malformed request line \"", Printable(line),
                                        "\": expected METHOD SP target SP HTTP/1.1"));
      }
      continue;
    }
    if (line.empty()) break;  // The end of the head.
    if (line[0] == ' ' || line[0] == '\t') {
      return Refuse(400, "a header line starts with whitespace (obsolete line folding is not accepted)");
    }
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) {
      return Refuse(400, absl::StrCat("a header line without a colon: \"", Printable(line), "\""));
    }
    const std::string_view name = line.substr(0, colon);
    for (size_t i = 0; i < name.size(); ++i) {
      const unsigned char c = static_cast<unsigned char>(name[i]);
      if (c == ' ' || c == '\t') {
        return Refuse(400, absl::StrCat("whitespace before the colon of header \"", Printable(Trim(name)),
                                        "\" (RFC 9112 5.1)"));
      }
      if (!IsTokenChar(c)) return Refuse(400, absl::StrCat("a header name with a byte not allowed in it: \"", Printable(name), "\""));
    }
    if (name.empty()) return Refuse(400, "a header line with an empty name");
    std::string_view value = line.substr(colon + 1);
    for (const char ch : value) {
      const unsigned char c = static_cast<unsigned char>(ch);
      if ((c < 0x20 && c != '\t') || c == 0x7f) {
        return Refuse(400, absl::StrCat("a control byte in the value of header \"", Printable(name), "\""));
      }
    }
    value = Trim(value);
    ++headers;
    header_bytes += name.size() + value.size() + 4;
    if (headers > limits.max_headers || header_bytes > limits.max_header_bytes) {
      return Refuse(431, absl::StrCat("too many or too large headers: over ", limits.max_headers,
                                      " headers or their bytes; the limit is ", limits.max_headers, " headers of ",
                                      limits.max_header_bytes, " bytes"));
    }
    if (EqualsIgnoreCase(name, "Transfer-Encoding")) {
      return Refuse(411, "send the body with a Content-Length header; Transfer-Encoding is not accepted");
    }
    if (EqualsIgnoreCase(name, "Content-Length")) {
      if (has_length) return Refuse(400, "more than one Content-Length header");
      has_length = true;
      if (value.empty() || value.size() > 19) return Refuse(400, "malformed Content-Length header");
      for (const char c : value) {
        if (c < '0' || c > '9') return Refuse(400, "malformed Content-Length header");
        length = length * 10 + static_cast<uint64_t>(c - '0');
      }
      if (length > limits.max_body_bytes) {
        return Refuse(413, absl::StrCat("the body is over the limit of ", limits.max_body_bytes, " bytes"));
      }
    }
  }
  if (!has_length && (method == "POST" || method == "PUT" || method == "PATCH")) {
    return Refuse(411, absl::StrCat("a ", std::string(method), " needs a Content-Length header (bodies of unknown length are not accepted)"));
  }
  HeadCheck c;
  c.state = HeadCheck::State::kComplete;
  c.skip = skip;
  c.head_bytes = pos;
  c.content_length = length;
  return c;
}

namespace {

const char* Reason(int status) {
  switch (status) {
    case 400: return "Bad Request";
    case 408: return "Request Timeout";
    case 411: return "Length Required";
    case 413: return "Payload Too Large";
    case 414: return "URI Too Long";
    case 431: return "Request Header Fields Too Large";
    default: return "Error";
  }
}

// httplib's socket stream, plus a buffer that the guard reads heads into and httplib then reads from; bytes
// after a request (pipelined ones) stay in it for the next.
class GuardedStream final : public httplib::Stream {
 public:
  GuardedStream(int fd, int read_timeout_ms, int write_timeout_ms)
      : fd_(fd), read_timeout_ms_(read_timeout_ms), write_timeout_ms_(write_timeout_ms) {}

  bool is_readable() const override { return pos_ < buffer_.size() || Poll(POLLIN, read_timeout_ms_) > 0; }
  bool is_writable() const override { return Poll(POLLOUT, write_timeout_ms_) > 0; }

  ssize_t read(char* ptr, size_t size) override {
    if (pos_ < buffer_.size()) {
      const size_t n = std::min(size, buffer_.size() - pos_);
      std::memcpy(ptr, buffer_.data() + pos_, n);
      pos_ += n;
      return static_cast<ssize_t>(n);
    }
    // A body earns time as it comes: the read timeout, plus a second per 64 KiB received. A client that
    // trickles (slower than 64 KiB/s on average after the first read timeout) is cut off.
    deadline_ = body_start_ + std::chrono::milliseconds(read_timeout_ms_) +
                std::chrono::milliseconds(body_received_ * 1000 / 65536);
    if (Clock::now() > deadline_ || Poll(POLLIN, TimeoutMs(read_timeout_ms_)) <= 0) return -1;
    const ssize_t n = Recv(ptr, size);
    if (n > 0) body_received_ += static_cast<uint64_t>(n);
    return n;
  }

  // All of it, unless the peer stops reading for the write timeout: httplib 0.11 writes a response body
  // with one call and does not retry a short write.
  ssize_t write(const char* ptr, size_t size) override {
    size_t done = 0;
    while (done < size) {
      if (Poll(POLLOUT, write_timeout_ms_) <= 0) break;
      const ssize_t n = ::send(fd_, ptr + done, size - done, MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      done += static_cast<size_t>(n);
    }
    return done > 0 || size == 0 ? static_cast<ssize_t>(done) : -1;
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override { Address(false, ip, port); }
  void get_local_ip_and_port(std::string& ip, int& port) const override { Address(true, ip, port); }
  socket_t socket() const override { return fd_; }

  // Waits up to `timeout_ms` for the first byte of a request, in slices, giving up early once `stopping`.
  bool WaitForRequest(int timeout_ms, const std::function<bool()>& stopping) {
    const auto until = Clock::now() + std::chrono::milliseconds(timeout_ms);
    while (pos_ == buffer_.size()) {
      if (stopping() || Clock::now() >= until) return false;
      const int r = Poll(POLLIN, 50);
      if (r < 0) return false;
      if (r > 0 && Fill() <= 0) return false;
    }
    return true;
  }

  // Reads until the head at pos_ is complete or refused, for at most the read timeout in all.
  HeadCheck ReadHead(const HeadLimits& limits) {
    Compact();
    deadline_ = Clock::now() + std::chrono::milliseconds(read_timeout_ms_);
    const size_t most = limits.max_request_line + limits.max_header_bytes;
    for (bool check = true;; ) {
      // The check reads the whole head so far; rerun it only when new bytes may end a line or break a rule
      // (a CR or LF arrived, or the size passed a cap), so that a client sending a byte at a time costs a
      // scan per line, not per byte.
      HeadCheck c;
      if (check) c = CheckRequestHead(std::string_view(buffer_).substr(pos_), limits);
      if (c.state != HeadCheck::State::kNeedMore) {
        if (c.state == HeadCheck::State::kComplete) {
          pos_ += c.skip;
          body_start_ = Clock::now();
          body_received_ = 0;
        }
        return c;
      }
      const int ready = Poll(POLLIN, TimeoutMs(read_timeout_ms_));
      const size_t before = buffer_.size();
      if (ready <= 0 || Fill() <= 0) {
        HeadCheck gone;
        gone.state = HeadCheck::State::kRefused;
        gone.status = ready == 0 ? 408 : 0;  // 0: the client closed or failed; nobody to answer.
        gone.message = absl::StrCat("the request head was not complete within the read timeout (",
                                    read_timeout_ms_ / 1000.0, " s)");
        return gone;
      }
      const std::string_view fresh = std::string_view(buffer_).substr(before);
      check = fresh.find_first_of("\r\n") != std::string_view::npos || buffer_.size() - pos_ > most;
    }
  }

  void SendRefusal(int status, const std::string& message) {
    const ApiResponse r = ErrorResponse(status, message);
    const std::string reply = absl::StrCat("HTTP/1.1 ", status, " ", Reason(status),
                                           "\r\nContent-Type: application/json\r\nContent-Length: ", r.body.size(),
                                           "\r\nConnection: close\r\n\r\n", r.body);
    for (size_t done = 0; done < reply.size();) {
      const ssize_t n = write(reply.data() + done, reply.size() - done);
      if (n <= 0) return;
      done += static_cast<size_t>(n);
    }
    // A lingering close: closing with unread bytes (the refused body) would send a reset, and the client could
    // lose the answer. So stop sending, and read what is in flight for a little while: at most 1 s, 1 MiB.
    ::shutdown(fd_, SHUT_WR);
    const auto until = Clock::now() + std::chrono::seconds(1);
    char sink[4096];
    for (size_t drained = 0; drained < (1 << 20) && Clock::now() < until;) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now()).count();
      if (Poll(POLLIN, static_cast<int>(std::max<int64_t>(1, left))) <= 0) break;
      const ssize_t n = Recv(sink, sizeof(sink));
      if (n <= 0) break;
      drained += static_cast<size_t>(n);
    }
  }

 private:
  int Poll(short events, int timeout_ms) const {
    pollfd p{fd_, events, 0};
    int r;
    do r = ::poll(&p, 1, timeout_ms);
    while (r < 0 && errno == EINTR);
    return r;
  }
  // The per-read timeout, cut short by the request's deadline.
  int TimeoutMs(int per_read_ms) const {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - Clock::now()).count();
    return static_cast<int>(std::max<int64_t>(0, std::min<int64_t>(per_read_ms, left)));
  }
  ssize_t Recv(char* ptr, size_t size) {
    ssize_t n;
    do n = ::recv(fd_, ptr, size, 0);
    while (n < 0 && errno == EINTR);
    return n;
  }
  ssize_t Fill() {
    char chunk[4096];
    const ssize_t n = Recv(chunk, sizeof(chunk));
    if (n > 0) buffer_.append(chunk, static_cast<size_t>(n));
    return n;
  }
  void Compact() {
    buffer_.erase(0, pos_);
    pos_ = 0;
  }
  void Address(bool local, std::string& ip, int& port) const {
    sockaddr_storage addr{};
    socklen_t len = sizeof(addr);
    const int rc = local ? ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len)
                         : ::getpeername(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    if (rc != 0) return;
    char text[INET6_ADDRSTRLEN] = {};
    if (addr.ss_family == AF_INET) {
      const auto* a = reinterpret_cast<const sockaddr_in*>(&addr);
      ::inet_ntop(AF_INET, &a->sin_addr, text, sizeof(text));
      port = ntohs(a->sin_port);
    } else if (addr.ss_family == AF_INET6) {
      const auto* a = reinterpret_cast<const sockaddr_in6*>(&addr);
      ::inet_ntop(AF_INET6, &a->sin6_addr, text, sizeof(text));
      port = ntohs(a->sin6_port);
    }
    ip = text;
  }

  int fd_;
  int read_timeout_ms_, write_timeout_ms_;
  std::string buffer_;
  size_t pos_ = 0;
  Clock::time_point deadline_ = Clock::time_point::max();
  Clock::time_point body_start_ = Clock::now();
  uint64_t body_received_ = 0;
};

class GuardedServer final : public httplib::Server {
 public:
  GuardedServer(const HeadLimits& limits, RefusalCallback on_refusal)
      : limits_(limits), on_refusal_(std::move(on_refusal)) {}

 private:
  // Replaces httplib's connection loop (the same keep-alive rules), reading each head itself first.
  bool process_and_close_socket(socket_t sock) override {
    const int read_ms = static_cast<int>(read_timeout_sec_ * 1000 + read_timeout_usec_ / 1000);
    const int write_ms = static_cast<int>(write_timeout_sec_ * 1000 + write_timeout_usec_ / 1000);
    GuardedStream strm(sock, read_ms, write_ms);
    bool ret = false;
    const auto stopping = [this] { return svr_sock_ == INVALID_SOCKET; };
    for (size_t count = keep_alive_max_count_; count > 0; --count) {
      if (!strm.WaitForRequest(static_cast<int>(keep_alive_timeout_sec_ * 1000), stopping)) break;
      const HeadCheck head = strm.ReadHead(limits_);
      if (head.state == HeadCheck::State::kRefused) {
        if (head.status != 0) {
          strm.SendRefusal(head.status, head.message);
          if (on_refusal_) {
            std::string ip;
            int port = 0;
            strm.get_remote_ip_and_port(ip, port);
            on_refusal_(ip, head.status, head.message);
          }
        }
        ret = false;
        break;
      }
      bool connection_closed = false;
      ret = process_request(strm, count == 1, connection_closed, nullptr);
      if (!ret || connection_closed) break;
    }
    ::shutdown(sock, SHUT_RDWR);
    ::close(sock);
    return ret;
  }

  HeadLimits limits_;
  RefusalCallback on_refusal_;
};

}  // namespace

std::unique_ptr<httplib::Server> NewGuardedServer(const HeadLimits& limits, RefusalCallback on_refusal) {
  return std::make_unique<GuardedServer>(limits, std::move(on_refusal));
}

}  // namespace slimnlp::server
