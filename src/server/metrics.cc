#include "src/server/metrics.h"

#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "absl/strings/str_format.h"
#include "slimnlp/version.h"

namespace slimnlp::server {
namespace {

// The process_* metrics every Prometheus client library exports, read from the kernel at scrape time.
void AppendProcessMetrics(double start_unix_seconds, std::string* out) {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const double cpu = usage.ru_utime.tv_sec + usage.ru_stime.tv_sec + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
  uint64_t pages_virtual = 0, pages_resident = 0;
  std::ifstream("/proc/self/statm") >> pages_virtual >> pages_resident;
  const uint64_t page = static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
  size_t fds = 0;
  std::error_code ec;
  for (auto it = std::filesystem::directory_iterator("/proc/self/fd", ec); !ec && it != std::filesystem::directory_iterator();
       it.increment(ec)) {
    ++fds;
  }
  rlimit files{};
  getrlimit(RLIMIT_NOFILE, &files);
  absl::StrAppendFormat(out,
                        "# HELP process_cpu_seconds_total User and system CPU time spent, in seconds.\n"
                        "# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total %.3f\n"
                        "# HELP process_resident_memory_bytes Resident memory size in bytes.\n"
                        "# TYPE process_resident_memory_bytes gauge\nprocess_resident_memory_bytes %d\n"
                        "# HELP process_virtual_memory_bytes Virtual memory size in bytes.\n"
                        "# TYPE process_virtual_memory_bytes gauge\nprocess_virtual_memory_bytes %d\n"
                        "# HELP process_open_fds Open file descriptors.\n"
                        "# TYPE process_open_fds gauge\nprocess_open_fds %d\n"
                        "# HELP process_max_fds Most file descriptors the process may open.\n"
                        "# TYPE process_max_fds gauge\nprocess_max_fds %d\n"
                        "# HELP process_start_time_seconds Start time of the server since the Unix epoch, in seconds.\n"
                        "# TYPE process_start_time_seconds gauge\nprocess_start_time_seconds %.3f\n",
                        cpu, pages_resident * page, pages_virtual * page, fds, static_cast<uint64_t>(files.rlim_cur),
                        start_unix_seconds);
}

}  // namespace

size_t Metrics::RouteIndex(std::string_view path) {
  for (size_t i = 0; i + 1 < kRoutes.size(); ++i)
    if (kRoutes[i] == path) return i;
  return kRoutes.size() - 1;
}

void Metrics::Record(std::string_view path, int status, double seconds) {
  const size_t r = RouteIndex(path);
  if (status < kMinStatus || status >= kMinStatus + kStatuses) status = 500;
  requests_[r][status - kMinStatus].fetch_add(1, std::memory_order_relaxed);
  size_t b = 0;
  while (b < kBuckets.size() && seconds > kBuckets[b]) ++b;
  latency_buckets_[r][b].fetch_add(1, std::memory_order_relaxed);
  latency_micros_[r].fetch_add(static_cast<uint64_t>(seconds * 1e6), std::memory_order_relaxed);
}

std::string Metrics::Render() const {
  std::string out =
      "# HELP slimnlp_http_requests_total HTTP requests answered, by route and status code.\n"
      "# TYPE slimnlp_http_requests_total counter\n";
  std::array<uint64_t, kRoutes.size()> errors{};
  for (size_t r = 0; r < kRoutes.size(); ++r) {
    for (int s = 0; s < kStatuses; ++s) {
      const uint64_t n = requests_[r][s].load(std::memory_order_relaxed);
      if (n == 0) continue;
      absl::StrAppendFormat(&out, "slimnlp_http_requests_total{route=\"%s\",code=\"%d\"} %d\n", kRoutes[r],
                            s + kMinStatus, n);
      if (s + kMinStatus >= 400) errors[r] += n;
    }
  }
  out +=
      "# HELP slimnlp_http_request_errors_total HTTP requests answered with a status of 400 or more.\n"
      "# TYPE slimnlp_http_request_errors_total counter\n";
  for (size_t r = 0; r < kRoutes.size(); ++r) {
    absl::StrAppendFormat(&out, "slimnlp_http_request_errors_total{route=\"%s\"} %d\n", kRoutes[r], errors[r]);
  }
  out +=
      "# HELP slimnlp_http_request_duration_seconds Time from the request's start to its response.\n"
      "# TYPE slimnlp_http_request_duration_seconds histogram\n";
  for (size_t r = 0; r < kRoutes.size(); ++r) {
    uint64_t cumulative = 0;
    for (size_t b = 0; b <= kBuckets.size(); ++b) {
      cumulative += latency_buckets_[r][b].load(std::memory_order_relaxed);
      const std::string le = b < kBuckets.size() ? absl::StrFormat("%g", kBuckets[b]) : "+Inf";
      absl::StrAppendFormat(&out, "slimnlp_http_request_duration_seconds_bucket{route=\"%s\",le=\"%s\"} %d\n",
                            kRoutes[r], le, cumulative);
    }
    absl::StrAppendFormat(&out, "slimnlp_http_request_duration_seconds_sum{route=\"%s\"} %.6f\n", kRoutes[r],
                          latency_micros_[r].load(std::memory_order_relaxed) / 1e6);
    absl::StrAppendFormat(&out, "slimnlp_http_request_duration_seconds_count{route=\"%s\"} %d\n", kRoutes[r],
                          cumulative);
  }
  absl::StrAppendFormat(&out,
                        "# HELP slimnlp_http_requests_in_flight Requests being handled now.\n"
                        "# TYPE slimnlp_http_requests_in_flight gauge\n"
                        "slimnlp_http_requests_in_flight %d\n"
                        "# HELP slimnlp_uptime_seconds Seconds since the server started.\n"
                        "# TYPE slimnlp_uptime_seconds gauge\n"
                        "slimnlp_uptime_seconds %.3f\n",
                        in_flight_.load(std::memory_order_relaxed),
                        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count());
  absl::StrAppendFormat(&out,
                        "# HELP slimnlp_build_info The slimnlp build serving: version and compiler (value 1).\n"
                        "# TYPE slimnlp_build_info gauge\n"
                        "slimnlp_build_info{version=\"%s\",compiler=\"%s\"} 1\n",
                        SLIMNLP_VERSION_STRING,
#if defined(__clang__)
                        "clang " __clang_version__
#elif defined(__GNUC__)
                        "gcc " __VERSION__
#else
                        "unknown"
#endif
  );
  AppendProcessMetrics(start_unix_seconds_, &out);
  return out;
}

}  // namespace slimnlp::server
