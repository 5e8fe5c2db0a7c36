#include "src/core/conllu.h"

#include <catch2/catch.hpp>

#include "tests/test_util.h"

using namespace slimnlp;

namespace {
const char* kValid =
    "# sent_id = 1\n"
    "# text = I can't go.\n"
    "1\tI\tI\tPRON\t_\t_\t3\tnsubj\t_\t_\n"
    "2-3\tcan't\t_\t_\t_\t_\t_\t_\t_\t_\n"
    "2\tca\tcan\tAUX\t_\t_\t4\taux\t_\t_\n"
    "3\tn't\tnot\tPART\t_\t_\t4\tadvmod\t_\t_\n"
    "4\tgo\tgo\tVERB\t_\t_\t0\troot\t_\tSpaceAfter=No\n"
    "4.1\tgone\t_\t_\t_\t_\t_\t_\t_\t_\n"
    "5\t.\t.\tPUNCT\t_\t_\t4\tpunct\t_\t_\n"
    "\n"
    "# text =Second\n"
    "1\tSecond\tsecond\tADJ\t_\t_\t0\troot\t_\t_\n"
    "\n";
}  // namespace

TEST_CASE("CoNLL-U sentences keep words, ranges, empty nodes and comments", "[conllu]") {
  testing::TempDir dir;
  testing::WriteFile(dir.File("a.conllu"), kValid);
  absl::StatusOr<std::vector<core::ConlluSentence>> s = core::ReadConllu(dir.File("a.conllu"));
  REQUIRE(s.ok());
  REQUIRE(s->size() == 2);
  const auto& first = (*s)[0];
  CHECK(first.words.size() == 5);
  CHECK(first.rows.size() == 7);
  CHECK(first.rows[first.words[1]].form() == "ca");
  CHECK(first.rows[first.words[4]].upos() == "PUNCT");
  CHECK(first.Text() == "I can't go.");
  CHECK((*s)[1].Text() == "Second");  // "# text =X" without the space, as some treebanks write it.
  CHECK(first.first_line == 1);
  CHECK((*s)[1].first_line == 11);
  // Writing back gives the input, byte for byte.
  CHECK(first.ToString() + (*s)[1].ToString() == kValid);
}

TEST_CASE("malformed CoNLL-U is reported with file and line", "[conllu][bad_input]") {
  struct Case {
    std::string text;
    std::string expect;
  };
  const Case cases[] = {
      {"1\tonly\tthree\n\n", ":1: expected 10 tab-separated columns"},
      {"# c\n1\ta\t_\tX\t_\t_\t_\t_\t_\t_\n3\tb\t_\tX\t_\t_\t_\t_\t_\t_\n\n", ":3: word ID '3' where 2 was expected"},
      {"1\ta\t_\tX\t_\t_\t_\t_\t_\t_\n# late\n\n", ":2: comment after the first word line"},
      {"1\t\t_\tX\t_\t_\t_\t_\t_\t_\n\n", ":1: empty FORM"},
      {"x\ta\t_\tX\t_\t_\t_\t_\t_\t_\n\n", ":1: word ID 'x'"},
      {"1\ta\xff\t_\tX\t_\t_\t_\t_\t_\t_\n\n", ":1: invalid UTF-8"},
  };
  testing::TempDir dir;
  for (const auto& c : cases) {
    testing::WriteFile(dir.File("bad.conllu"), c.text);
    absl::StatusOr<std::vector<core::ConlluSentence>> s = core::ReadConllu(dir.File("bad.conllu"));
    INFO(c.text);
    REQUIRE(s.status().code() == absl::StatusCode::kInvalidArgument);
    CHECK(std::string(s.status().message()).find("bad.conllu" + c.expect) != std::string::npos);
  }
}

TEST_CASE("the reader goes on after a malformed sentence and keeps its raw lines", "[conllu][bad_input]") {
  testing::TempDir dir;
  testing::WriteFile(dir.File("m.conllu"), std::string("1\tbroken\n\n") + kValid);
  absl::StatusOr<std::unique_ptr<core::ConlluReader>> r = core::ConlluReader::Open(dir.File("m.conllu"));
  REQUIRE(r.ok());
  core::ConlluSentence s;
  std::string problem;
  REQUIRE((*r)->Next(&s, &problem));
  CHECK(problem.find("m.conllu:1:") != std::string::npos);
  CHECK(s.raw_lines == std::vector<std::string>{"1\tbroken"});
  REQUIRE((*r)->Next(&s, &problem));
  CHECK(problem.empty());
  CHECK(s.words.size() == 5);
}
