// Shared pieces of the command-line tool: where models are found, output helpers.
#ifndef SLIMNLP_SRC_CLI_CLI_COMMON_H_
#define SLIMNLP_SRC_CLI_CLI_COMMON_H_

#include <cstdio>
#include <functional>
#include <string>
#include <string_view>

#include <CLI/CLI.hpp>

#include "slimnlp/retrieval.h"

namespace slimnlp::cli {

// The shipped model called `file_name`: $SLIMNLP_MODELS/<name>, then models/ in the executable's parent
// directory (a build tree: build/../models), then share/slimnlp/models there (an install prefix). Never
// ./models of the current directory. Returns the first that exists, or the first place looked.
std::string DefaultModelPath(const std::string& file_name);

// The directory of the shipped models: where DefaultModelPath finds langid.slim.
std::string DefaultModelsDir();

// Whether `path` is a regular file (a model that may be loaded).
bool FileExists(const std::string& path);

// Buffered writing to stdout; flushes at exit of scope and when the buffer grows past 64 KiB.
class Output {
 public:
  ~Output() { Flush(); }
  void Write(std::string_view s) {
    buffer_.append(s);
    if (buffer_.size() > (1 << 16)) Flush();
  }
  void Flush() {
    std::fwrite(buffer_.data(), 1, buffer_.size(), stdout);
    std::fflush(stdout);
    buffer_.clear();
  }

 private:
  std::string buffer_;
};

// The --index of search, eval retrieval and serve: one index file or a collection in shards, searched as one
// (ResolveIndexPaths says what `name` may be). Errors name the file at fault.
absl::StatusOr<std::unique_ptr<ShardedIndex>> OpenIndexNamed(const std::string& name);
// Their --index help, the same for each.
inline constexpr const char* kIndexOptionHelp =
    "Index file (slimnlp index), or a collection in shards searched as one: a *.shards manifest (shard\n"
    "files one a line, relative to it), a directory (its *.shards manifest, else its *.index files in name\n"
    "order), or a comma-separated list of these";

// Subcommands, each defined in its own file.
void AddLangIdCommand(CLI::App& app, int* exit_code);
void AddEvalCommands(CLI::App& eval, int* exit_code);
void AddTrainCommands(CLI::App& train, int* exit_code);
void AddInfoCommand(CLI::App& app, int* exit_code);
void AddPosCommands(CLI::App& app, CLI::App& eval, CLI::App& train, int* exit_code);
void AddSegmentCommands(CLI::App& app, CLI::App& eval, CLI::App& train, int* exit_code);
void AddRetrievalCommands(CLI::App& app, CLI::App& eval, CLI::App& train, int* exit_code);
void AddAnnotateCommand(CLI::App& app, int* exit_code);
void AddServeCommand(CLI::App& app, int* exit_code);
void AddSentenceCommands(CLI::App& app, CLI::App& eval, CLI::App& train, int* exit_code);

// Removes the temporaries that killed runs left beside `output_path`, saying so on stderr
// ("<command>: removed X, a temporary left by an interrupted run"). Call before a long write.
void RemoveStaleOutputTemporaries(const std::string& command, const std::string& output_path);
// The check of every trainer's --hidden: 0 (none) to the widest layer a model file may have
// (core::kMaxHiddenWidth), so that no training run writes a model its loader refuses.
CLI::Validator HiddenWidth();

// The command line that `command` ran with ("slimnlp train sentences --train a.conllu --budget 128KiB ..."),
// for a trainer to record in its model: rebuilt from what CLI11 parsed, every option given and every default
// of one not given, so that none is forgotten; not --out (where the file went does not shape it).
std::string CommandLineOf(const CLI::App& command);

// What every train command does before it trains, so that each says only what is its own: parses --budget
// (`budget`, e.g. "1MiB"; null: the options' own default stays) into `budget_bytes`, removes the temporaries killed runs left beside
// `output_path`, records the command line (CommandLineOf) and sends progress to stderr. False, having said why
// on stderr, for a malformed budget.
template <typename Options>
bool PrepareTraining(const CLI::App& command, const std::string* budget, const std::string& output_path,
                     Options* options);

// "512KiB", "1MiB", "500kB", "524288" -> bytes; 0 on a malformed value.
size_t ParseSize(std::string text);

template <typename Options>
bool PrepareTraining(const CLI::App& command, const std::string* budget, const std::string& output_path,
                     Options* options) {
  const std::string name = "slimnlp train " + command.get_name();
  if (budget != nullptr) {
    options->budget_bytes = ParseSize(*budget);
    if (options->budget_bytes == 0) {
      std::fprintf(stderr, "%s: --budget '%s' is not a size like 256KiB\n", name.c_str(), budget->c_str());
      return false;
    }
  }
  RemoveStaleOutputTemporaries(name, output_path);
  options->command_line = CommandLineOf(command);
  options->progress = [](const std::string& line) { std::fprintf(stderr, "%s\n", line.c_str()); };
  return true;
}

}  // namespace slimnlp::cli

#endif  // SLIMNLP_SRC_CLI_CLI_COMMON_H_
