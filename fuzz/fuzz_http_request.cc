// libFuzzer target: raw bytes of whole requests (request line, headers, body, pipelined requests), sent over
// loopback to a real server (request guard, httplib, routing, the JSON API), and checked by the request guard
// alone. Every reply must be an HTTP/1.1 status line; the guard's verdict must be consistent with itself.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <thread>

#include "src/server/http_server.h"
#include "src/server/request_guard.h"

namespace {

struct Service {
  std::unique_ptr<slimnlp::Pipeline> pipeline;
  std::unique_ptr<slimnlp::server::Api> api;
  std::unique_ptr<slimnlp::server::HttpServer> http;
  std::thread thread;
};

Service* Start() {
  auto s = new Service;
  slimnlp::PipelineOptions o;
  o.models_dir = std::string(SLIMNLP_SOURCE_DIR) + "/models";
  o.preload = true;
  auto p = slimnlp::Pipeline::Load(o);
  if (!p.ok()) __builtin_trap();
  s->pipeline = *std::move(p);
  slimnlp::server::ApiLimits limits;
  limits.max_batch = 8;
  limits.max_text_bytes = 4096;
  s->api = std::make_unique<slimnlp::server::Api>(*s->pipeline, nullptr, nullptr, limits);
  slimnlp::server::ServerOptions options;
  options.port = 0;
  options.access_log = nullptr;
  options.threads = 4;
  options.max_body_bytes = 1 << 16;
  options.read_timeout_seconds = 2;
  s->http = std::make_unique<slimnlp::server::HttpServer>(*s->api, options);
  if (!s->http->Bind().ok()) __builtin_trap();
  s->thread = std::thread([s] { (void)s->http->Run(); });
  s->thread.detach();
  return s;
}

void CheckGuard(std::string_view bytes) {
  using slimnlp::server::HeadCheck;
  const slimnlp::server::HeadLimits limits;
  const HeadCheck c = slimnlp::server::CheckRequestHead(bytes, limits);
  switch (c.state) {
    case HeadCheck::State::kComplete: {
      if (c.skip + c.head_bytes > bytes.size() || c.content_length > limits.max_body_bytes) __builtin_trap();
      // The head alone gets the same verdict; its last four bytes end it.
      const std::string_view head = bytes.substr(0, c.skip + c.head_bytes);
      if (head.substr(head.size() - 4) != "\r\n\r\n") __builtin_trap();
      if (slimnlp::server::CheckRequestHead(head, limits).state != HeadCheck::State::kComplete) __builtin_trap();
      break;
    }
    case HeadCheck::State::kRefused:
      if (c.status < 400 || c.status > 431 || c.message.empty()) __builtin_trap();
      break;
    case HeadCheck::State::kNeedMore:
      break;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Service* service = Start();
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  CheckGuard(bytes);
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(service->http->port()));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    close(fd);
    return 0;
  }
  // The whole input, then end of stream: the server never waits on a timeout.
  for (size_t done = 0; done < bytes.size();) {
    const ssize_t n = send(fd, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  shutdown(fd, SHUT_WR);
  timeval timeout{8, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  std::string reply;
  char buf[8192];
  for (ssize_t n; (n = recv(fd, buf, sizeof(buf), 0)) > 0;) reply.append(buf, static_cast<size_t>(n));
  close(fd);
  if (!reply.empty() && reply.rfind("HTTP/1.1 ", 0) != 0) __builtin_trap();
  return 0;
}
