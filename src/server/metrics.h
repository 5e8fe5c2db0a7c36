// Counters for GET /metrics in the Prometheus text format: requests by route and status, errors (status >= 400)
// and a latency histogram by route, requests in flight; the build (slimnlp_build_info) and the process's CPU
// time, memory, open files and start time (the standard process_* names). Lock-free: recorded from every server
// thread.
#ifndef SLIMNLP_SRC_SERVER_METRICS_H_
#define SLIMNLP_SRC_SERVER_METRICS_H_

#include <array>
#include <atomic>
#include <chrono>
#include <string>
#include <string_view>

namespace slimnlp::server {

class Metrics {
 public:
  // The routes counted; any other path counts as "other", so clients cannot grow the label set.
  static constexpr std::array<std::string_view, 11> kRoutes = {
      "/v1/langid", "/v1/segment", "/v1/tag",  "/v1/annotate", "/v1/search",   "/v1/models",
      "/openapi.json", "/healthz", "/readyz", "/metrics",      "other"};
  // Upper bounds of the latency buckets, in seconds (+Inf is implied).
  static constexpr std::array<double, 14> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                      0.1,    0.25,  0.5,    1,     2.5,  5,     10};

  Metrics()
      : start_(std::chrono::steady_clock::now()),
        start_unix_seconds_(std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count()) {}
  void Record(std::string_view path, int status, double seconds);
  void Enter() { in_flight_.fetch_add(1, std::memory_order_relaxed); }
  void Leave() { in_flight_.fetch_sub(1, std::memory_order_relaxed); }
  int64_t in_flight() const { return in_flight_.load(std::memory_order_relaxed); }
  std::string Render() const;

 private:
  static size_t RouteIndex(std::string_view path);
  static constexpr int kMinStatus = 100, kStatuses = 500;  // 100..599.

  std::chrono::steady_clock::time_point start_;
  double start_unix_seconds_;
  std::atomic<int64_t> in_flight_{0};
  std::array<std::array<std::atomic<uint64_t>, kStatuses>, kRoutes.size()> requests_{};
  std::array<std::array<std::atomic<uint64_t>, kBuckets.size() + 1>, kRoutes.size()> latency_buckets_{};
  std::array<std::atomic<uint64_t>, kRoutes.size()> latency_micros_{};  // Sum, in microseconds.
};

}  // namespace slimnlp::server

#endif  // SLIMNLP_SRC_SERVER_METRICS_H_
