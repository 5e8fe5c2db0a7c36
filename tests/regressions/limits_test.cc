// Caps listed in docs/limits.md that no other test enforces: each is fed input just past it.
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "slimnlp/retrieval.h"
#include "src/core/classifier.h"
#include "src/core/conllu.h"
#include "src/langid/tsv_dataset.h"
#include "tests/test_util.h"

using namespace slimnlp;

TEST_CASE("limits: a TSV line over 1 MiB is reported and skipped, the next line read", "[limits][bad_input]") {
  testing::TempDir dir;
  testing::WriteFile(dir.File("t.tsv"), "en\t" + std::string((1 << 20) + 10, 'a') + "\nfr\tbonjour\n");
  std::vector<std::string> bad;
  absl::StatusOr<std::vector<langid::LabeledText>> rows =
      langid::ReadLabeledTsv(dir.File("t.tsv"), [&](const std::string& s) { bad.push_back(s); });
  REQUIRE(rows.ok());
  REQUIRE(rows->size() == 1);
  REQUIRE(bad.size() == 1);
  CHECK_THAT(bad[0], Catch::Contains("line longer than 1048576 bytes"));
}

TEST_CASE("limits: CoNLL-U lines over 1 MiB and sentences over 100,000 lines are errors naming the line",
          "[limits][bad_input]") {
  testing::TempDir dir;
  testing::WriteFile(dir.File("long-line.conllu"), "1\t" + std::string((1 << 20) + 10, 'a') + "\t_\tX\t_\t_\t_\t_\t_\t_\n\n");
  absl::StatusOr<std::vector<core::ConlluSentence>> r = core::ReadConllu(dir.File("long-line.conllu"));
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(std::string(r.status().message()), Catch::Contains("line longer than 1048576 bytes"));
  std::string many;
  for (int i = 1; i <= 100001; ++i) many += std::to_string(i) + "\tw\t_\tX\t_\t_\t_\t_\t_\t_\n";
  testing::WriteFile(dir.File("long-sentence.conllu"), many + "\n");
  r = core::ReadConllu(dir.File("long-sentence.conllu"));
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(std::string(r.status().message()), Catch::Contains("sentence longer than 100000 lines"));
}

TEST_CASE("limits: a model file over 64 MiB is refused before it is read", "[limits][bad_input]") {
  testing::TempDir dir;
  const std::string path = dir.File("huge.slim");
  testing::WriteFile(path, "");
  std::filesystem::resize_file(path, (uint64_t{64} << 20) + 1);  // Sparse: no disk used.
  const absl::StatusOr<core::Classifier> m = core::Classifier::Load(path);
  CHECK(m.status().code() == absl::StatusCode::kResourceExhausted);
  CHECK_THAT(std::string(m.status().message()), Catch::Contains("over the 67108864-byte limit"));
}

TEST_CASE("limits: a document over max_document_bytes is skipped and reported, the others indexed",
          "[limits][bad_input]") {
  testing::TempDir dir;
  testing::WriteFile(dir.File("c.jsonl"), "{\"text\": \"short one\"}\n{\"text\": \"" + std::string(200, 'a') +
                                              "\"}\n{\"text\": \"short two\"}\n");
  IndexBuildOptions o;
  o.input_paths = {dir.File("c.jsonl")};
  o.output_path = dir.File("c.index");
  o.max_document_bytes = 100;
  std::vector<std::string> said;
  o.progress = [&](const std::string& s) { said.push_back(s); };
  absl::StatusOr<IndexBuildResult> r = BuildIndex(o);
  REQUIRE(r.ok());
  CHECK(r->documents == 2);
  CHECK(r->skipped == 1);
  REQUIRE_FALSE(said.empty());
  CHECK_THAT(said[0], Catch::Contains("c.jsonl:2"));
}

TEST_CASE("limits: slimnlp search cuts a query line at 64 KiB and says so", "[limits][cli][bad_input]") {
  testing::TempDir dir;
  testing::WriteFile(dir.File("c.jsonl"), "{\"id\": \"a\", \"text\": \"cats sit on mats\"}\n");
  IndexBuildOptions o;
  o.input_paths = {dir.File("c.jsonl")};
  o.output_path = dir.File("c.index");
  REQUIRE(BuildIndex(o).ok());
  std::string query = "cats";
  for (int i = 0; query.size() <= (1 << 16) + 100; ++i) query += " w" + std::to_string(i);
  testing::WriteFile(dir.File("q"), query + "\n");
  const std::string cmd = testing::CliPath() + " search --index " + o.output_path + " --file " + dir.File("q") + " > " +
                          dir.File("out") + " 2> " + dir.File("err");
  const int status = std::system(cmd.c_str());
  CHECK((WIFEXITED(status) && WEXITSTATUS(status) == 0));
  CHECK_THAT(testing::ReadFile(dir.File("err")), Catch::Contains("line 1: query longer than 64 KiB"));
  CHECK_THAT(testing::ReadFile(dir.File("out")), Catch::Contains("\ta\t"));  // "cats" still finds the document.
}
