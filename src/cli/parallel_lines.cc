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

struct BufferSink : LineSink {
  std::string out, err;
  void Out(std::string_view s) override { out.append(s); }
  void Err(std::string_view s) override { err.append(s); }
};

}  // namespace

void DirectSink::Out(std::string_view s) { out_->Write(s); }

void DirectSink::Err(std::string_view s) {
  out_->Flush();
  std::fwrite(s.data(), 1, s.size(), stderr);
}

LineBatch::LineBatch(int threads, const LineFn& fn, Output* out) : threads_(std::max(threads, 1)), fn_(fn), out_(out) {}

bool LineBatch::Add(std::string line, size_t line_number, std::string truncated_note) {
  if (threads_ == 1) {
    DirectSink direct(out_);
    if (!truncated_note.empty()) direct.Err(truncated_note);
    return fn_(line, line_number, direct);
  }
  bytes_ += line.size();
  lines_.push_back({std::move(line), std::move(truncated_note), line_number});
  return (lines_.size() < kBatchLines && bytes_ < kBatchBytes) || Flush();
}

bool LineBatch::Flush() {
  const size_t count = lines_.size();
  const size_t runs = std::min<size_t>(static_cast<size_t>(threads_), count);
  std::vector<BufferSink> sinks(runs);
  std::vector<char> ok(runs, 1);
  const auto work = [&](size_t r) {
    for (size_t i = count * r / runs; i < count * (r + 1) / runs && ok[r]; ++i) {
      Line& l = lines_[i];
      if (!l.note.empty()) sinks[r].Err(l.note);
      ok[r] = fn_(l.text, l.number, sinks[r]);
    }
  };
  std::vector<std::thread> pool;
  for (size_t r = 1; r < runs; ++r) pool.emplace_back(work, r);
  if (runs > 0) work(0);
  for (std::thread& t : pool) t.join();
  lines_.clear();
  bytes_ = 0;
  bool all = true;
  for (size_t r = 0; r < runs && all; ++r) {
    out_->Write(sinks[r].out);
    if (!sinks[r].err.empty()) {
      out_->Flush();
      std::fwrite(sinks[r].err.data(), 1, sinks[r].err.size(), stderr);
    }
    all = ok[r];
  }
  return all;
}

int ForEachLine(const std::string& command, const std::string& path, size_t max_line_bytes, const std::string& verb,
                int threads, const LineFn& fn) {
  absl::StatusOr<std::unique_ptr<core::LineReader>> reader = core::LineReader::Open(path, max_line_bytes);
  if (!reader.ok()) {
    std::fprintf(stderr, "%s: %s\n", command.c_str(), std::string(reader.status().message()).c_str());
    return 2;
  }
  Output out;
  LineBatch batch(threads, fn, &out);
  std::string line;
  bool truncated;
  while ((*reader)->Next(&line, &truncated)) {
    const size_t n = (*reader)->line_number();
    std::string note;
    if (truncated) {
      line.resize(core::Utf8SafePrefix(line, max_line_bytes));
      note = absl::StrFormat("%s: line %d: longer than %d bytes; %s up to the cap\n", command, n, max_line_bytes, verb);
    }
    if (!batch.Add(std::move(line), n, std::move(note))) return 2;
    line.clear();
  }
  if (!batch.Flush()) return 2;
  if (!(*reader)->status().ok()) {
    out.Flush();
    std::fprintf(stderr, "%s: %s\n", command.c_str(), std::string((*reader)->status().message()).c_str());
    return 2;
  }
  return 0;
}

int ForEachText(const std::vector<std::string>& texts, int threads, const LineFn& fn) {
  Output out;
  LineBatch batch(threads, fn, &out);
  for (size_t i = 0; i < texts.size(); ++i) {
    if (!batch.Add(texts[i], i + 1)) return 2;
  }
  return batch.Flush() ? 0 : 2;
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
