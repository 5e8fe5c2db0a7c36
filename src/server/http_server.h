// `slimnlp serve`: the JSON API (api.h) over HTTP/1.1 with cpp-httplib: a fixed pool of threads, each serving
// one connection at a time; models shared read-only by all of them.
//
// Routes (routes.h): POST /v1/langid /v1/segment /v1/tag /v1/annotate /v1/search; GET /v1/models
// /openapi.json /healthz /readyz /metrics. With an API key, every route but /healthz and /readyz needs "Authorization: Bearer <key>" (401
// otherwise; compared in constant time). Answered before the body is read, and the connection then closed: a
// body over max_body_bytes (413), a body without Content-Length (411: httplib 0.11 would read a chunked body
// whole, unbounded), two Content-Length headers (400), over kMaxHeaders headers or kMaxHeaderBytes of them
// (431), a known route asked with another method (405 with Allow; routes.h). A body is JSON whatever its declared
// Content-Type. An unknown path gets 404; every error has a JSON body {"error": {"status", "message"}}.
//
// Request heads are read and checked strictly before httplib sees them (request_guard.h: smuggling forms,
// folding, bare CR/LF, 411 at once, a whole-head deadline, pipelining). A known limit of cpp-httplib 0.11
// (Debian bookworm) that remains: each keep-alive connection holds a pool thread until it closes, so enough
// slow clients can still hold every thread for up to the read timeout each (docs/limits.md). Behind a reverse
// proxy (the default address is 127.0.0.1) this does not reach the server.
#ifndef SLIMNLP_SRC_SERVER_HTTP_SERVER_H_
#define SLIMNLP_SRC_SERVER_HTTP_SERVER_H_

#include <atomic>
#include <cstdio>
#include <functional>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "src/server/api.h"
#include "src/server/metrics.h"

namespace httplib {
class Server;
}

namespace slimnlp::server {

inline constexpr size_t kMaxHeaders = 100, kMaxHeaderBytes = 64 * 1024;

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0: any free port (see HttpServer::port()).
  size_t threads = 0;  // Connections served at once; 0: max(64, 8 x cores).
  // Connections the kernel completes and queues before the server accepts them (capped by the system's
  // net.core.somaxconn). cpp-httplib 0.11 listens with a backlog of 5, so that in a burst of connections the
  // kernel dropped SYNs and clients waited out retransmission timeouts (1, 3, 7, 15 s ...).
  int listen_backlog = 4096;
  size_t max_body_bytes = 8 << 20;
  int read_timeout_seconds = 10;   // A client slower than this to send its request is cut off.
  int write_timeout_seconds = 10;
  int keep_alive_seconds = 5;
  std::string api_key;  // Empty: no authentication.
  std::FILE* access_log = stderr;  // One line per request; null for none.
};

class HttpServer {
 public:
  HttpServer(const Api& api, const ServerOptions& options);
  ~HttpServer();

  // Binds the address. Unavailable naming host and port if it cannot (in use, no permission).
  absl::Status Bind();
  int port() const { return port_; }
  // Serves until Stop(); returns once every request in flight has been answered.
  absl::Status Run();
  // Stops accepting, lets requests in flight finish, and makes Run return. Safe from any thread, any time.
  void Stop();
  // Starts draining: /readyz answers 503 (so that load balancers stop sending) while requests are still
  // served, until Stop(). Safe from any thread.
  void Drain();
  bool ready() const { return ready_.load() && !draining_.load(); }
  int64_t requests_in_flight() const { return metrics_.in_flight(); }

 private:
  void Route();
  void Log(const std::string& line);

  const Api& api_;
  ServerOptions options_;
  std::unique_ptr<httplib::Server> http_;
  Metrics metrics_;
  std::atomic<bool> ready_{false};
  std::atomic<bool> draining_{false};
  int port_ = 0;
  int listen_fd_ = -1;  // The listening socket, seen by the socket options callback before it is bound.
};

// Whether `given` equals `expected`, in time that depends only on their lengths (no early exit on the first
// differing byte, so the key cannot be guessed byte by byte from response times).
bool ConstantTimeEquals(std::string_view given, std::string_view expected);

}  // namespace slimnlp::server

#endif  // SLIMNLP_SRC_SERVER_HTTP_SERVER_H_
