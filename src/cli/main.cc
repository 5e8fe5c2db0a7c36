// slimnlp: the command-line tool. Every subcommand is a thin layer over the public library headers.
#include <cstdio>
#include <string>

#include "slimnlp/output_files.h"
#include "slimnlp/version.h"
#include "src/cli/cli_common.h"

namespace {

// A word where a command is expected that names none ("slimnlp lagnid"): CLI11 would only say "A subcommand is
// required". Returns the message, or "" when every command word is known.
std::string UnknownCommand(CLI::App& app, int argc, char** argv) {
  CLI::App* level = &app;
  std::string path = "slimnlp";
  for (int i = 1; i < argc && !level->get_subcommands({}).empty(); ++i) {
    const std::string word = argv[i];
    if (word.empty() || word[0] == '-') return "";
    CLI::App* next = nullptr;
    for (CLI::App* sub : level->get_subcommands({}))
      if (sub->get_name() == word) next = sub;
    if (next == nullptr) {
      std::string known;
      for (CLI::App* sub : level->get_subcommands({})) known += (known.empty() ? "" : ", ") + sub->get_name();
      return path + ": unknown command '" + word + "'; the commands are: " + known;
    }
    level = next;
    path += " " + word;
    if (level->get_require_subcommand_min() == 0) return "";
  }
  return "";
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "slimnlp: small, fast NLP models that run anywhere.\n"
      "\n"
      "Examples:\n"
      "  echo 'Ceci est une phrase.' | slimnlp langid\n"
      "  slimnlp langid --format json --top-k 3 'hello world'\n"
      "  slimnlp eval langid --data test.tsv\n"
      "  slimnlp train langid --train train.tsv.zst --dev dev.tsv --out my.slim --budget 512KiB\n"
      "  echo 'The cat sat on the mat.' | slimnlp tag --model models/pos-en.slim\n"
      "  echo '然而，這樣的處理也衍生了一些問題。' | slimnlp segment --lang zh\n"
      "  echo 'Je vais au marché.' | slimnlp annotate\n"
      "  slimnlp index --input corpus.jsonl --out my.index && slimnlp search --index my.index 'who founded it'\n"
      "  slimnlp serve --port 8080   # then: curl -s localhost:8080/v1/annotate -d '{\"text\": \"Hallo Welt\"}'\n"
      "  slimnlp info models/langid.slim\n"
      "\n"
      "Models: --model/--models, else $SLIMNLP_MODELS, else the models of this build (<build>/../models) or\n"
      "installation (<prefix>/share/slimnlp/models); never a ./models folder of the current directory.\n"
      "Input files and standard input may be zstd-compressed. Exit status: 0, or 2 for any error.\n",
      "slimnlp"};
  app.require_subcommand(1);
  slimnlp::RemoveTemporariesOnSignals();  // Ctrl-C during `index` or `train` leaves no temporary behind.
  app.set_version_flag("-V,--version", "slimnlp " SLIMNLP_VERSION_STRING);
  int exit_code = 0;
  slimnlp::cli::AddLangIdCommand(app, &exit_code);
  CLI::App* eval = app.add_subcommand("eval", "Measure a model on labelled data");
  eval->require_subcommand(1);
  slimnlp::cli::AddEvalCommands(*eval, &exit_code);
  CLI::App* train = app.add_subcommand("train", "Train a model");
  train->require_subcommand(1);
  slimnlp::cli::AddTrainCommands(*train, &exit_code);
  slimnlp::cli::AddPosCommands(app, *eval, *train, &exit_code);
  slimnlp::cli::AddSegmentCommands(app, *eval, *train, &exit_code);
  slimnlp::cli::AddSentenceCommands(app, *eval, *train, &exit_code);
  slimnlp::cli::AddRetrievalCommands(app, *eval, *train, &exit_code);
  slimnlp::cli::AddAnnotateCommand(app, &exit_code);
  slimnlp::cli::AddServeCommand(app, &exit_code);
  slimnlp::cli::AddInfoCommand(app, &exit_code);
  // Every usage error exits with status 2 (CLI11's own codes, 105-109, say nothing to a shell script), as do the
  // commands' run-time errors; --help and --version exit with 0.
  if (const std::string unknown = UnknownCommand(app, argc, argv); !unknown.empty()) {
    std::fprintf(stderr, "%s\nRun with --help for more information.\n", unknown.c_str());
    return 2;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  return exit_code;
}
