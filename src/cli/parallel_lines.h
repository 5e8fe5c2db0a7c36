// Line-at-a-time commands on every core: the lines of the input are read in batches, each batch's lines are
// shared between worker threads in contiguous runs, and what each line writes comes out in input order, so
// the output is the same whatever the thread count.
#ifndef SLIMNLP_SRC_CLI_PARALLEL_LINES_H_
#define SLIMNLP_SRC_CLI_PARALLEL_LINES_H_

#include <functional>
#include <string>
#include <string_view>

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
