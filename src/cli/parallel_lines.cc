#include "src/cli/parallel_lines.h"

#include <algorithm>
#include <cstdio>
#include <thread>
#include <vector>

#include "absl/strings/str_format.h"
#include "src/cli/cli_common.h"
#include "src/core/line_reader.h"
#include "src/core/utf8.h"

namespace slimnlp::cli {
namespace {

// Lines a batch holds at most, and bytes: enough for each thread to have long runs, little enough that
// memory stays small whatever the input.
constexpr size_t kBatchLines = 8192, kBatchBytes = 8 << 20;

class DirectSink : public LineSink {
 public:
  explicit DirectSink(Output* out) : out_(out) {}
  void Out(std::string_view s) override { out_->Write(s); }
  void Err(std::string_view s) override {
    out_->Flush();  // Keeps stdout and stderr in step for a reader of both.
    std::fwrite(s.data(), 1, s.size(), stderr);
  }

 private:
  Output* out_;
};

struct BufferSink : LineSink {
  std::string out, err;
  void Out(std::string_view s) override { out.append(s); }
  void Err(std::string_view s) override { err.append(s); }
};

struct Line {
  std::string text;
  size_t number = 0;
  bool truncated = false;
};

// Runs `fn` over `lines` on `threads` threads, then writes each run's output in order. False if any call
// returned false.
bool RunBatch(std::vector<Line>& lines, size_t count, int threads, const std::string& command, size_t cap,
              const std::string& verb, const LineFn& fn, Output* out) {
  const size_t runs = std::min<size_t>(static_cast<size_t>(threads), count);
  std::vector<BufferSink> sinks(runs);
  std::vector<char> ok(runs, 1);
  const auto work = [&](size_t r) {
    for (size_t i = count * r / runs; i < count * (r + 1) / runs && ok[r]; ++i) {
      Line& l = lines[i];
      if (l.truncated) {
        sinks[r].Err(absl::StrFormat("%s: line %d: longer than %d bytes; %s up to the cap\n", command, l.number, cap, verb));
      }
      ok[r] = fn(l.text, l.number, sinks[r]);
    }
  };
  std::vector<std::thread> pool;
  for (size_t r = 1; r < runs; ++r) pool.emplace_back(work, r);
  if (runs > 0) work(0);
  for (std::thread& t : pool) t.join();
  bool all = true;
  for (size_t r = 0; r < runs && all; ++r) {
    out->Write(sinks[r].out);
    if (!sinks[r].err.empty()) {
      out->Flush();
      std::fwrite(sinks[r].err.data(), 1, sinks[r].err.size(), stderr);
    }
    all = ok[r];
  }
  return all;
}

}  // namespace

int ForEachLine(const std::string& command, const std::string& path, size_t max_line_bytes, const std::string& verb,
                int threads, const LineFn& fn) {
  absl::StatusOr<std::unique_ptr<core::LineReader>> reader = core::LineReader::Open(path, max_line_bytes);
  if (!reader.ok()) {
    std::fprintf(stderr, "%s: %s\n", command.c_str(), std::string(reader.status().message()).c_str());
    return 2;
  }
  Output out;
  DirectSink direct(&out);
  std::vector<Line> batch(threads > 1 ? kBatchLines : 1);
  size_t count = 0, bytes = 0;
  bool truncated;
  while ((*reader)->Next(&batch[count].text, &truncated)) {
    Line& l = batch[count];
    l.number = (*reader)->line_number();
    l.truncated = truncated;
    if (truncated) l.text.resize(core::Utf8SafePrefix(l.text, max_line_bytes));
    bytes += l.text.size();
    if (++count < batch.size() && bytes < kBatchBytes) continue;
    if (threads <= 1) {
      if (l.truncated) {
        direct.Err(absl::StrFormat("%s: line %d: longer than %d bytes; %s up to the cap\n", command, l.number,
                                   max_line_bytes, verb));
      }
      if (!fn(l.text, l.number, direct)) return 2;
    } else if (!RunBatch(batch, count, threads, command, max_line_bytes, verb, fn, &out)) {
      return 2;
    }
    count = bytes = 0;
  }
  if (count > 0 && !RunBatch(batch, count, threads, command, max_line_bytes, verb, fn, &out)) return 2;
  if (!(*reader)->status().ok()) {
    out.Flush();
    std::fprintf(stderr, "%s: %s\n", command.c_str(), std::string((*reader)->status().message()).c_str());
    return 2;
  }
  return 0;
}

int ForEachText(const std::vector<std::string>& texts, int threads, const LineFn& fn) {
  Output out;
  std::vector<Line> lines(texts.size());
  for (size_t i = 0; i < texts.size(); ++i) lines[i] = {texts[i], i + 1, false};
  return RunBatch(lines, lines.size(), std::max(threads, 1), "", 0, "", fn, &out) ? 0 : 2;
}

void AddThreadsOption(CLI::App* command, int* threads) {
  *threads = static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1u, 64u));
  command
      ->add_option("--threads", *threads,
                   "Threads that share the lines (the output is the same, in input order, for any number)")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
}

}  // namespace slimnlp::cli
