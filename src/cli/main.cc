// slimnlp: the command-line tool. Every subcommand is a thin layer over the public library headers.
#include <cstdio>

#include "slimnlp/output_files.h"
#include "src/cli/cli_common.h"

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
      "  slimnlp info models/langid.slim\n",
      "slimnlp"};
  app.require_subcommand(1);
  slimnlp::RemoveTemporariesOnSignals();  // Ctrl-C during `index` or `train` leaves no temporary behind.
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
  slimnlp::cli::AddRetrievalCommands(app, *eval, *train, &exit_code);
  slimnlp::cli::AddAnnotateCommand(app, &exit_code);
  slimnlp::cli::AddServeCommand(app, &exit_code);
  slimnlp::cli::AddInfoCommand(app, &exit_code);
  CLI11_PARSE(app, argc, argv);
  return exit_code;
}
