// Replays each saved fuzz input (tests/regressions/<target>/) through its target's checks.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <thread>
#include <nlohmann/json.hpp>

#include "slimnlp/segmenter.h"
#include "src/server/api.h"
#include "src/server/http_server.h"
#include "src/server/request_guard.h"
#include "tests/test_util.h"

using namespace slimnlp;

namespace {

// The saved failures of `target` and, unless `failures_only`, its kept corpus (fuzz/corpus/<target>, if any).
// Every kept corpus is also replayed through its target's own checks by `fuzz_replay` (fuzz/replay_main.cc).
std::vector<std::string> Inputs(const std::string& target, bool failures_only = false) {
  std::vector<std::string> out;
  for (const std::string dir : {"/tests/regressions/", "/fuzz/corpus/"}) {
    if (failures_only && dir == "/fuzz/corpus/") continue;
    if (!std::filesystem::is_directory(testing::SourceDir() + dir + target)) continue;
    for (const auto& e : std::filesystem::directory_iterator(testing::SourceDir() + dir + target)) {
      out.push_back(testing::ReadFile(e.path().string()));
    }
  }
  REQUIRE_FALSE(out.empty());
  return out;
}

}  // namespace

TEST_CASE("fuzz regressions: segmentation keeps every byte that is not white space", "[regression][segment]") {
  absl::StatusOr<std::unique_ptr<Segmenter>> seg = Segmenter::Load(testing::ShippedModel("seg-zh.slim"));
  REQUIRE(seg.ok());
  // The saved failures only: this checks them more strictly than the fuzz target does (a gap may hold ASCII
  // white space only, where the target also lets multi-byte white space such as U+3000 through), which the
  // kept corpus, replayed by fuzz_replay with the target's own checks, need not meet.
  for (const std::string& text : Inputs("fuzz_segment", /*failures_only=*/true)) {
    std::vector<TextSpan> tokens;
    (*seg)->Segment(text, &tokens);
    size_t pos = 0;
    for (const TextSpan& t : tokens) {
      REQUIRE(t.begin >= pos);
      REQUIRE(t.end > t.begin);
      for (size_t b = pos; b < t.begin; ++b) CHECK(std::string(" \t\n\r\v\f").find(text[b]) != std::string::npos);
      pos = t.end;
    }
  }
}

TEST_CASE("fuzz regressions: request bodies get a known status and a JSON body", "[regression][server]") {
  PipelineOptions o;
  o.models_dir = testing::SourceDir() + "/models";
  absl::StatusOr<std::unique_ptr<Pipeline>> pipeline = Pipeline::Load(o);
  REQUIRE(pipeline.ok());
  const server::Api api(**pipeline, nullptr, nullptr, {});
  for (const std::string& input : Inputs("fuzz_http_api")) {
    REQUIRE_FALSE(input.empty());
    const server::ApiResponse r = api.Handle(static_cast<server::Endpoint>(input[0] % 5), input.substr(1));
    CHECK((r.status == 200 || r.status == 400 || r.status == 404 || r.status == 413 || r.status == 503));
    const nlohmann::json j = nlohmann::json::parse(r.body, nullptr, false);
    CHECK_FALSE(j.is_discarded());
  }
}

// Whole raw requests (fuzz/corpus/fuzz_http_request: the kept corpus of that target), through the request
// guard and over loopback to a real server, with the fuzz target's checks.
TEST_CASE("fuzz corpus: raw HTTP requests get a consistent guard verdict and an HTTP/1.1 reply",
          "[regression][server][request_guard]") {
  const std::vector<std::string> inputs = Inputs("fuzz_http_request");
  REQUIRE(inputs.size() >= 10);
  PipelineOptions o;
  o.models_dir = testing::SourceDir() + "/models";
  absl::StatusOr<std::unique_ptr<Pipeline>> pipeline = Pipeline::Load(o);
  REQUIRE(pipeline.ok());
  const server::Api api(**pipeline, nullptr, nullptr, {});
  server::ServerOptions options;
  options.port = 0;
  options.access_log = nullptr;
  options.read_timeout_seconds = 2;
  server::HttpServer http(api, options);
  REQUIRE(http.Bind().ok());
  std::thread thread([&] { (void)http.Run(); });
  size_t answered = 0;
  for (const std::string& input : inputs) {
    INFO(input.substr(0, 200));
    const server::HeadLimits limits;
    const server::HeadCheck c = server::CheckRequestHead(input, limits);
    if (c.state == server::HeadCheck::State::kComplete) {
      REQUIRE(c.skip + c.head_bytes <= input.size());
      CHECK(input.substr(c.skip + c.head_bytes - 4, 4) == "\r\n\r\n");
    } else if (c.state == server::HeadCheck::State::kRefused) {
      CHECK((c.status >= 400 && c.status <= 431));
    }
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd >= 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(http.port()));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0);
    send(fd, input.data(), input.size(), MSG_NOSIGNAL);
    shutdown(fd, SHUT_WR);
    timeval timeout{5, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    std::string reply;
    char buf[8192];
    for (ssize_t n; (n = recv(fd, buf, sizeof(buf), 0)) > 0;) reply.append(buf, static_cast<size_t>(n));
    close(fd);
    if (!reply.empty()) {
      CHECK(reply.rfind("HTTP/1.1 ", 0) == 0);
      ++answered;
    }
    // What the guard refuses is what the server refuses, with the same status.
    if (c.state == server::HeadCheck::State::kRefused) CHECK(reply.rfind("HTTP/1.1 " + std::to_string(c.status), 0) == 0);
  }
  CHECK(answered >= 10);  // Inputs that end mid-head get no answer: the client closed first.
  http.Stop();
  thread.join();
}
