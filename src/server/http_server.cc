#include "src/server/http_server.h"

#include <httplib.h>
#include <sys/socket.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <ctime>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "src/server/request_guard.h"
#include "src/server/routes.h"

namespace slimnlp::server {
namespace {

// When the request being answered on this thread started (pre-routing), for its latency and log line. Each
// pool thread serves one connection, and so one request, at a time.
struct RequestClock {
  std::chrono::steady_clock::time_point start;
  bool running = false;
};
thread_local RequestClock request_clock;

void Reply(httplib::Response& res, const ApiResponse& r) {
  res.status = r.status;
  res.set_content(r.body, "application/json");
}

std::string Timestamp() {
  const std::time_t now = std::time(nullptr);
  std::tm utc;
  gmtime_r(&now, &utc);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buf;
}

}  // namespace

bool ConstantTimeEquals(std::string_view given, std::string_view expected) {
  unsigned char diff = given.size() == expected.size() ? 0 : 1;
  for (size_t i = 0; i < expected.size(); ++i) {
    const unsigned char g = given.empty() ? 0 : static_cast<unsigned char>(given[i % given.size()]);
    diff |= g ^ static_cast<unsigned char>(expected[i]);
  }
  return diff == 0;
}

HttpServer::HttpServer(const Api& api, const ServerOptions& options)
    : api_(api),
      options_(options),
      // Request heads are checked strictly before httplib reads them (request_guard.h); refusals are logged.
      http_(NewGuardedServer({.max_headers = kMaxHeaders, .max_header_bytes = kMaxHeaderBytes, .max_body_bytes = options.max_body_bytes},
                             [this](const std::string& who, int status, const std::string& why) {
                               metrics_.Record("(refused)", status, 0);
                               if (options_.access_log == nullptr) return;
                               Log(absl::StrFormat("%s %s \"(refused: %s)\" %d\n", Timestamp(), who, why, status));
                             })) {
  size_t threads = options_.threads;
  if (threads == 0) threads = std::max<size_t>(64, 8 * std::max(1u, std::thread::hardware_concurrency()));
  http_->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  http_->set_payload_max_length(options_.max_body_bytes);
  http_->set_read_timeout(options_.read_timeout_seconds, 0);
  http_->set_write_timeout(options_.write_timeout_seconds, 0);
  http_->set_keep_alive_timeout(options_.keep_alive_seconds);
  http_->set_keep_alive_max_count(10000);
  http_->set_tcp_nodelay(true);
  // httplib's default sets SO_REUSEPORT, with which a second server on the same port starts and takes a share of
  // the connections. SO_REUSEADDR alone allows a restart over old connections but not two listeners.
  http_->set_socket_options([this](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    listen_fd_ = sock;  // The last one offered is the one bound (httplib closes those it could not bind).
  });
  Route();
}

HttpServer::~HttpServer() = default;

void HttpServer::Route() {
  http_->set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    request_clock = {std::chrono::steady_clock::now(), true};
    metrics_.Enter();
    // Every refusal here is answered before the body is read, so the connection closes: its unread body must not
    // be taken for the next request.
    const auto refuse = [&res](int status, const std::string& message) {
      res.set_header("Connection", "close");
      Reply(res, ErrorResponse(status, message));
      return httplib::Server::HandlerResponse::Handled;
    };
    size_t header_bytes = 0;
    for (const auto& [name, value] : req.headers) header_bytes += name.size() + value.size() + 4;
    if (req.headers.size() > kMaxHeaders || header_bytes > kMaxHeaderBytes) {
      return refuse(431, absl::StrCat("too many or too large headers: ", req.headers.size(), " headers of ",
                                      header_bytes, " bytes; the limit is ", kMaxHeaders, " headers of ",
                                      kMaxHeaderBytes, " bytes"));
    }
    // httplib 0.11 reads a chunked body whole, whatever its size: only bodies of a declared length are taken.
    if (req.has_header("Transfer-Encoding")) {
      return refuse(411, "send the body with a Content-Length header; Transfer-Encoding is not accepted");
    }
    if (req.get_header_value_count("Content-Length") > 1) {
      return refuse(400, "more than one Content-Length header");
    }
    // httplib would read (and discard) a body over the limit before answering 413; answer from the header.
    if (const std::string length = req.get_header_value("Content-Length"); !length.empty()) {
      uint64_t n = 0;
      const auto [end, error] = std::from_chars(length.data(), length.data() + length.size(), n);
      if (error != std::errc() || end != length.data() + length.size()) {
        return refuse(400, "malformed Content-Length header");
      }
      if (n > options_.max_body_bytes) {
        return refuse(413, absl::StrCat("the body is over the limit of ", options_.max_body_bytes, " bytes"));
      }
    }
    // A known route asked with another method: 405 naming the one it takes, before any body is read.
    if (const server::Route* route = FindRoute(req.path);
        route != nullptr && req.method != route->method && !(req.method == "HEAD" && route->method == "GET")) {
      res.set_header("Allow", std::string(route->method));
      return refuse(405, absl::StrCat(req.method, " ", req.path, ": use ", std::string(route->method)));
    }
    // curl -d and HTML forms declare application/x-www-form-urlencoded; httplib would parse such a body as a form
    // and answer 413 past 8 KiB. Every body here is JSON whatever its declared type, so the type is set to that
    // before httplib reads the body. (The request is httplib's own non-const object, handed here as const.)
    if (const std::string type = req.get_header_value("Content-Type"); !type.empty() && type != "application/json") {
      auto& headers = const_cast<httplib::Request&>(req).headers;
      headers.erase("Content-Type");
      headers.emplace("Content-Type", "application/json");
    }
    if (options_.api_key.empty() || req.path == "/healthz" || req.path == "/readyz") {
      return httplib::Server::HandlerResponse::Unhandled;
    }
    // Checked before the body is read: an unauthenticated client cannot make the server read megabytes.
    if (!ConstantTimeEquals(req.get_header_value("Authorization"), "Bearer " + options_.api_key)) {
      res.set_header("WWW-Authenticate", "Bearer");
      return refuse(401, "missing or wrong API key: send \"Authorization: Bearer <key>\"");
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });

  const std::pair<const char*, Endpoint> posts[] = {{"/v1/langid", Endpoint::kLangid},
                                                    {"/v1/segment", Endpoint::kSegment},
                                                    {"/v1/tag", Endpoint::kTag},
                                                    {"/v1/annotate", Endpoint::kAnnotate},
                                                    {"/v1/search", Endpoint::kSearch}};
  for (const auto& [path, endpoint] : posts) {
    http_->Post(path, [this, endpoint = endpoint](const httplib::Request& req, httplib::Response& res) {
      Reply(res, api_.Handle(endpoint, req.body));
    });
  }
  http_->Get("/v1/models", [this](const httplib::Request&, httplib::Response& res) { Reply(res, api_.Models()); });
  http_->Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("{\"status\":\"ok\"}", "application/json");
  });
  http_->Get("/readyz", [this](const httplib::Request&, httplib::Response& res) {
    if (ready()) {
      res.set_content("{\"status\":\"ready\"}", "application/json");
    } else {
      Reply(res, ErrorResponse(503, draining_ ? "not ready: draining before shutdown" : "not ready: starting or shutting down"));
    }
  });
  http_->Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(metrics_.Render(), "text/plain; version=0.0.4");
  });
  http_->Get("/openapi.json", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(OpenApiDocument(), "application/json");
  });

  // Errors httplib answers itself (unknown route, body too large, malformed request) get a JSON body too.
  http_->set_error_handler(httplib::Server::HandlerWithResponse([this](const httplib::Request& req,
                                                                       httplib::Response& res) {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    std::string message;
    switch (res.status) {
      case 404: message = absl::StrCat("no route ", req.method, " ", req.path, "; see GET /v1/models and the docs"); break;
      case 413: message = absl::StrCat("the body is over the limit of ", options_.max_body_bytes, " bytes"); break;
      case 414: message = "the request line is too long"; break;
      case 400: message = "malformed HTTP request"; break;
      default: message = absl::StrCat("HTTP error ", res.status);
    }
    Reply(res, ErrorResponse(res.status, message));
    return httplib::Server::HandlerResponse::Handled;
  }));
  http_->set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr e) {
    std::string what = "unknown error";
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& x) {
      what = x.what();
    } catch (...) {
    }
    Reply(res, ErrorResponse(500, absl::StrCat("internal error: ", what)));
  });

  http_->set_logger([this](const httplib::Request& req, const httplib::Response& res) {
    double seconds = 0;
    if (request_clock.running) {
      seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - request_clock.start).count();
      request_clock.running = false;
      metrics_.Leave();
    }
    metrics_.Record(req.path, res.status, seconds);
    if (options_.access_log != nullptr) {
      Log(absl::StrFormat("%s %s \"%s %s\" %d %d %d %.3fms\n", Timestamp(), req.remote_addr, req.method,
                          req.path.substr(0, 200), res.status, req.body.size(), res.body.size(), seconds * 1e3));
    }
  });
}

void HttpServer::Log(const std::string& line) {
  std::fwrite(line.data(), 1, line.size(), options_.access_log);  // One call: lines do not interleave.
  std::fflush(options_.access_log);
}

absl::Status HttpServer::Bind() {
  errno = 0;
  port_ = options_.port == 0 ? http_->bind_to_any_port(options_.host)
                             : (http_->bind_to_port(options_.host, options_.port) ? options_.port : -1);
  if (port_ < 0) {
    const int error = errno;  // bind's, left by httplib (its cleanup does not set errno).
    const std::string why = error == EADDRINUSE    ? "address in use (is another server on that port?)"
                            : error == EACCES      ? "permission denied"
                            : error == EADDRNOTAVAIL ? "not an address of this machine"
                            : error != 0           ? std::strerror(error)
                                                   : "address in use, not an address of this machine, or no permission";
    return absl::UnavailableError(absl::StrCat("cannot listen on ", options_.host, ":", options_.port, ": ", why));
  }
  // httplib has listened with a backlog of 5; listening again on the same socket only changes the backlog.
  if (listen_fd_ < 0) return absl::InternalError("the listening socket was not seen before it was bound");
  if (::listen(listen_fd_, options_.listen_backlog) != 0) {
    return absl::InternalError(absl::StrCat("cannot set the listen backlog of ", options_.host, ":", port_, " to ",
                                            options_.listen_backlog, ": ", std::strerror(errno)));
  }
  return absl::OkStatus();
}

absl::Status HttpServer::Run() {
  if (port_ <= 0) return absl::FailedPreconditionError("Run before a successful Bind");
  ready_ = true;
  const bool clean = http_->listen_after_bind();
  ready_ = false;
  if (!clean) return absl::InternalError("the server stopped on an error");
  return absl::OkStatus();
}

void HttpServer::Drain() { draining_ = true; }

void HttpServer::Stop() {
  ready_ = false;
  http_->stop();
}

}  // namespace slimnlp::server
