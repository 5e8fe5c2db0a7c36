// Line-at-a-time commands on every core: the lines of the input are read in batches, each batch's lines are
// shared between worker threads in contiguous runs, and what each line writes comes out in input order, so
// the output is the same whatever the thread count.
#ifndef SLIMNLP_SRC_CLI_PARALLEL_LINES_H_
#define SLIMNLP_SRC_CLI_PARALLEL_LINES_H_

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>

namespace slimnlp::cli {

// Where a line's work writes its output (stdout) and its diagnostics (stderr, whole lines).
class LineSink {
 public:
  virtual ~LineSink() = default;
  virtual void Out(std::string_view s) = 0;
  virtual void Err(std::string_view s) = 0;
};

using LineFn = std::function<bool(std::string& line, size_t line_number, LineSink& sink)>;

class Output;

// Writes through at once: stdout to `out`, stderr unbuffered (after flushing `out`, so that a reader of both
// sees them in step).
class DirectSink : public LineSink {
 public:
  explicit DirectSink(Output* out) : out_(out) {}
  void Out(std::string_view s) override;
  void Err(std::string_view s) override;

 private:
  Output* out_;
};

// Lines gathered and handed to `fn` on `threads` threads a batch at a time (each thread a contiguous run),
// their output written to `out` in input order. With one thread each line runs at once, in this thread.
class LineBatch {
 public:
  LineBatch(int threads, const LineFn& fn, Output* out);
  // Adds a line (`truncated_note`: a note to put on stderr before its output, or empty); runs the batch once it
  // is full. False once a call of `fn` has returned false.
  bool Add(std::string line, size_t line_number, std::string truncated_note = "");
  // Runs what is gathered.
  bool Flush();

 private:
  struct Line {
    std::string text, note;
    size_t number = 0;
  };
  int threads_;
  const LineFn& fn_;
  Output* out_;
  std::vector<Line> lines_;
  size_t bytes_ = 0;
};

// Calls `fn` for each line of `path` (plain, .zst, "-" for stdin), on `threads` threads (1: in this thread,
// writing through at once). `fn` must be safe to call from several threads at once. A line longer than
// `max_line_bytes` is cut there at a UTF-8 boundary, with a note on stderr ("<command>: line N: longer than
// ... bytes; <verb> up to the cap"). A false from `fn` stops the run once the lines already given out are
// done. Returns the exit code: 0, or 2 after an error opening or reading the input (reported) or a false from
// `fn`.
int ForEachLine(const std::string& command, const std::string& path, size_t max_line_bytes, const std::string& verb,
                int threads, const LineFn& fn);

// The same for texts given as arguments (numbered from 1).
int ForEachText(const std::vector<std::string>& texts, int threads, const LineFn& fn);

// Adds --threads to `command`: how many threads ForEachLine uses (default: every core, at most 64).
void AddThreadsOption(CLI::App* command, int* threads);

}  // namespace slimnlp::cli

#endif  // SLIMNLP_SRC_CLI_PARALLEL_LINES_H_
