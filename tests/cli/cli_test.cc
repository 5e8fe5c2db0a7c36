// End-to-end: the slimnlp binary with the shipped model, as a user runs it.
#include <sys/wait.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <catch2/catch.hpp>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "slimnlp/version.h"
#include "tests/test_util.h"

using namespace slimnlp;

namespace {

struct Run {
  int exit_code;
  std::string out;
  std::string err;
};

// Runs the CLI with `args` (shell words) and `input` on stdin.
Run RunCli(const std::string& args, const std::string& input) {
  testing::TempDir dir;
  testing::WriteFile(dir.File("in"), input);
  const std::string cmd = testing::CliPath() + " " + args + " < " + dir.File("in") + " > " + dir.File("out") +
                          " 2> " + dir.File("err");
  const int status = std::system(cmd.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, testing::ReadFile(dir.File("out")),
          testing::ReadFile(dir.File("err"))};
}

std::vector<std::string> Lines(const std::string& s) {
  std::vector<std::string> lines;
  size_t start = 0;
  for (size_t nl; (nl = s.find('\n', start)) != std::string::npos; start = nl + 1) lines.push_back(s.substr(start, nl - start));
  return lines;
}

std::string ModelArg() { return "--model " + testing::ShippedModel("langid.slim"); }

}  // namespace

TEST_CASE("cli: langid labels stdin lines in a dozen languages", "[cli][langid]") {
  const std::vector<std::pair<std::string, std::string>> samples = {
      {"en", "I would like a cup of coffee with milk, please."},
      {"fr", "Je voudrais une tasse de café au lait, s'il vous plaît."},
      {"de", "Ich hätte gern eine Tasse Kaffee mit Milch, bitte."},
      {"es", "Quisiera una taza de café con leche, por favor."},
      {"it", "Vorrei una tazza di caffè con latte, per favore."},
      {"pt", "Eu gostaria de uma xícara de café com leite, por favor."},
      {"nl", "Ik wil graag een kopje koffie met melk, alstublieft."},
      {"sv", "Jag skulle vilja ha en kopp kaffe med mjölk, tack."},
      {"fi", "Haluaisin kupin kahvia maidolla, kiitos."},
      {"ru", "Я бы хотел чашку кофе с молоком, пожалуйста."},
      {"uk", "Я б хотів чашку кави з молоком, будь ласка."},
      {"el", "Θα ήθελα ένα φλιτζάνι καφέ με γάλα, παρακαλώ."},
      {"he", "אני רוצה כוס קפה עם חלב, בבקשה."},
      {"th", "ฉันอยากได้กาแฟใส่นมหนึ่งแก้วค่ะ"},
  };
  std::string input;
  for (const auto& [lang, text] : samples) input += text + "\n";
  const Run r = RunCli("langid " + ModelArg(), input);
  REQUIRE(r.exit_code == 0);
  const auto lines = Lines(r.out);
  REQUIRE(lines.size() == samples.size());
  for (size_t i = 0; i < samples.size(); ++i) {
    INFO(samples[i].second << " -> " << lines[i]);
    CHECK(lines[i].substr(0, lines[i].find('\t')) == samples[i].first);
  }
}

TEST_CASE("cli: invalid UTF-8 is reported for its line and the stream goes on", "[cli][langid][bad_input]") {
  const Run r = RunCli("langid " + ModelArg(), "Guten Morgen, wie geht es dir?\nbad \xC3\x28 line\n\n12345\nBuenos días a todos.\n");
  CHECK(r.exit_code == 0);
  const auto lines = Lines(r.out);
  REQUIRE(lines.size() == 5);
  CHECK(lines[0].rfind("de\t", 0) == 0);
  CHECK(lines[1].rfind("und\t0\tfalse\terror: invalid UTF-8 at byte 4", 0) == 0);
  CHECK(lines[2].rfind("und\t", 0) == 0);
  CHECK(lines[3].rfind("und\t", 0) == 0);
  CHECK(lines[4].rfind("es\t", 0) == 0);
  CHECK(r.err.find("line 2: invalid UTF-8") != std::string::npos);
}

TEST_CASE("cli: a huge line is read up to the cap", "[cli][langid][bad_input]") {
  std::string huge;
  while (huge.size() < 300000) huge += "Dies ist ein sehr langer Satz auf Deutsch. ";
  const Run r = RunCli("langid --max-line-bytes 100000 " + ModelArg(), huge + "\nThe second line is written in plain English.\n");
  CHECK(r.exit_code == 0);
  const auto lines = Lines(r.out);
  REQUIRE(lines.size() == 2);
  CHECK(lines[0].rfind("de\t", 0) == 0);
  CHECK(lines[1].rfind("en\t", 0) == 0);
  CHECK(r.err.find("line 1: longer than 100000 bytes") != std::string::npos);
}

TEST_CASE("cli: json output with top-k and spans", "[cli][langid]") {
  Run r = RunCli("langid --format json --top-k 3 " + ModelArg() + " 'Dit is een zin in het Nederlands.'", "");
  REQUIRE(r.exit_code == 0);
  nlohmann::json j = nlohmann::json::parse(r.out);
  CHECK(j["language"] == "nl");
  CHECK(j["top"].size() == 3);
  CHECK(j["reliable"] == true);

  r = RunCli("langid --spans --format json " + ModelArg() +
                 " 'This sentence is English. Questa frase invece è scritta in italiano.'",
             "");
  REQUIRE(r.exit_code == 0);
  j = nlohmann::json::parse(r.out);
  REQUIRE(j["spans"].size() == 2);
  CHECK(j["spans"][0]["language"] == "en");
  CHECK(j["spans"][1]["language"] == "it");
  CHECK(j["spans"][1]["begin"] == j["spans"][0]["end"]);
}

TEST_CASE("cli: a broken model file is a clear error and exit code 2", "[cli][bad_input]") {
  testing::TempDir dir;
  const std::string model = testing::ReadFile(testing::ShippedModel("langid.slim"));
  testing::WriteFile(dir.File("cut.slim"), model.substr(0, model.size() / 2));
  Run r = RunCli("langid --model " + dir.File("cut.slim") + " hello", "");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("model file is truncated") != std::string::npos);
  r = RunCli("langid --model " + dir.File("missing.slim") + " hello", "");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("missing.slim") != std::string::npos);
}

TEST_CASE("cli: info prints the size breakdown within the budget", "[cli]") {
  const Run r = RunCli("info " + testing::ShippedModel("langid.slim"), "");
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("task     langid") != std::string::npos);
  CHECK(r.out.find("budget   524288 bytes") != std::string::npos);
  CHECK(r.out.find("emb.c3") != std::string::npos);
  CHECK(r.out.find("dense.0") != std::string::npos);
}

TEST_CASE("cli: tag plain text and CoNLL-U, and a malformed sentence is reported and passed through", "[cli][pos]") {
  const std::string model = "--model " + testing::ShippedModel("pos-en.slim");
  Run r = RunCli("tag " + model, "The dog barked loudly.\n");
  REQUIRE(r.exit_code == 0);
  CHECK(r.out == "The/DET dog/NOUN barked/VERB loudly/ADV ./PUNCT\n");

  r = RunCli("tag --format conllu " + model, "I saw it.\n");
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.rfind("# sent_id = 1\n# text = I saw it.\n1\tI\t_\tPRON\t", 0) == 0);
  CHECK(r.out.find("3\tit\t_\tPRON\t_\t_\t_\t_\t_\tSpaceAfter=No\n") != std::string::npos);

  const std::string conllu =
      "# text = Dogs bark\n1\tDogs\t_\t_\t_\t_\t_\t_\t_\t_\n2\tbark\t_\t_\t_\t_\t_\t_\t_\t_\n\n"
      "1\tbroken\n\n"
      "1\tHello\t_\t_\t_\t_\t_\t_\t_\t_\n\n";
  r = RunCli("tag --input conllu " + model, conllu);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("1\tDogs\t_\tNOUN\t") != std::string::npos);
  CHECK(r.out.find("\n1\tbroken\n\n") != std::string::npos);  // Passed through untouched.
  CHECK(r.out.find("1\tHello\t_\tINTJ\t") != std::string::npos);
  CHECK(r.err.find("<stdin>:5: expected 10 tab-separated columns") != std::string::npos);
}

TEST_CASE("cli: segment splits Chinese lines, JSON offsets point into the input, long lines come in pieces",
          "[cli][segment]") {
  const std::string model = "--model " + testing::ShippedModel("seg-zh.slim");
  const std::string sentence = "然而，這樣的處理也衍生了一些問題。";
  Run r = RunCli("segment " + model, sentence + "\n");
  REQUIRE(r.exit_code == 0);
  CHECK(r.out == "然而 ， 這樣 的 處理 也 衍生 了 一些 問題 。\n");

  r = RunCli("segment --format json " + model, "A股 " + sentence + "\n");
  REQUIRE(r.exit_code == 0);
  const nlohmann::json j = nlohmann::json::parse(Lines(r.out).at(0));
  const std::string input = "A股 " + sentence;
  for (const auto& t : j["tokens"]) {
    const size_t b = t["begin"], e = t["end"];
    CHECK(input.substr(b, e - b) == t["text"].get<std::string>());
  }
  CHECK(j["tokens"].back()["char_end"] == 20);  // 3 + the sentence's 17 code points.

  // A line many times the piece size: every byte kept, one output line for it, and nearly the words of
  // segmenting it whole (a cut costs the carried-over token its left context, nothing more).
  std::string line;
  for (int i = 0; i < 40; ++i) line += sentence;
  const Run whole = RunCli("segment " + model, line + "\n");
  const Run pieces = RunCli("segment --piece-bytes 100 " + model, line + "\nnext line\n");
  REQUIRE(pieces.exit_code == 0);
  const std::vector<std::string> piece_lines = Lines(pieces.out), whole_lines = Lines(whole.out);
  REQUIRE(piece_lines.size() == 2);
  REQUIRE(whole_lines.size() == 1);
  std::string joined;
  for (char c : piece_lines[0]) if (c != ' ') joined += c;
  CHECK(joined == line);
  const auto count = [](const std::string& s) { return std::count(s.begin(), s.end(), ' ') + 1; };
  CHECK(std::abs(count(piece_lines[0]) - count(whole_lines[0])) <= count(whole_lines[0]) / 20);

  // A run with no token boundary is not carried whole from piece to piece (each piece would segment it all
  // again: quadratic time, memory growing with the run): it is cut where the pieces end, every byte kept.
  const std::string run(1000, 'a');
  const Run cut = RunCli("segment --lang en --piece-bytes 100", run + "\n");
  REQUIRE(cut.exit_code == 0);
  const std::vector<std::string> cut_lines = Lines(cut.out);
  REQUIRE(cut_lines.size() == 1);
  std::string kept;
  for (char c : cut_lines[0]) if (c != ' ') kept += c;
  CHECK(kept == run);
  CHECK(count(cut_lines[0]) >= 5);
}

TEST_CASE("cli: segment reports invalid UTF-8 with its line and keeps every byte", "[cli][segment][bad_input]") {
  const std::string model = "--model " + testing::ShippedModel("seg-zh.slim");
  const Run r = RunCli("segment " + model, "好的\n問題\xff\xfe在這裡\n");
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.find("line 2") != std::string::npos);
  const auto lines = Lines(r.out);
  REQUIRE(lines.size() == 2);
  std::string joined;
  for (char c : lines[1]) if (c != ' ') joined += c;
  CHECK(joined == "問題\xff\xfe在這裡");
}

TEST_CASE("cli: tag tokenizes raw text with the language's segmenter and splits multiword tokens",
          "[cli][pos][segment]") {
  const Run r = RunCli("tag --model " + testing::ShippedModel("pos-en.slim") + " --format conllu",
                       "I don't think so.\n");
  REQUIRE(r.exit_code == 0);
  const auto lines = Lines(r.out);
  CHECK(std::find(lines.begin(), lines.end(), "2-3\tdon't\t_\t_\t_\t_\t_\t_\t_\t_") != lines.end());
  CHECK(r.out.find("2\tdo\t_\tAUX") != std::string::npos);
  CHECK(r.out.find("3\tn't\t_\tPART") != std::string::npos);
  const Run simple = RunCli("tag --tokenizer simple --model " + testing::ShippedModel("pos-en.slim"), "I don't know.\n");
  REQUIRE(simple.exit_code == 0);
  CHECK(simple.out.find("don't/") != std::string::npos);
}

TEST_CASE("cli: index reports malformed lines, search answers in TSV and JSON, eval retrieval scores",
          "[cli][retrieval]") {
  testing::TempDir dir;
  testing::WriteFile(dir.File("corpus.jsonl"),
                     "{\"id\": \"p1\", \"title\": \"Tesla\", \"text\": \"Nikola Tesla was born in Smiljan in 1856.\"}\n"
                     "{\"id\": \"p2\", \"title\": \"Apollo\", \"text\": \"The Apollo program landed men on the Moon.\"}\n"
                     "{broken\n");
  const Run built = RunCli("index --input " + dir.File("corpus.jsonl") + " --out " + dir.File("c.index"), "");
  REQUIRE(built.exit_code == 0);
  CHECK(built.err.find("corpus.jsonl:3: not valid JSON: parse error at column 2") != std::string::npos);
  CHECK(built.out.find("2 documents (1 skipped)") != std::string::npos);

  const Run tsv = RunCli("search --index " + dir.File("c.index") + " -k 1", "where was tesla born\n");
  REQUIRE(tsv.exit_code == 0);
  CHECK(tsv.out.rfind("1\t1\tp1\t", 0) == 0);
  const Run json = RunCli("search --index " + dir.File("c.index") + " --format json 'moon landing'", "");
  REQUIRE(json.exit_code == 0);
  const nlohmann::json j = nlohmann::json::parse(Lines(json.out).at(0));
  CHECK(j["results"][0]["id"] == "p2");

  testing::WriteFile(dir.File("q.jsonl"),
                     "{\"id\": \"q1\", \"question\": \"When was Tesla born?\", \"answers\": [\"1856\"], \"gold\": [\"p1\"]}\n");
  const Run eval = RunCli("eval retrieval --index " + dir.File("c.index") + " --questions " + dir.File("q.jsonl"), "");
  REQUIRE(eval.exit_code == 0);
  CHECK(eval.out.find("recall@1   1.0000") != std::string::npos);
  CHECK(eval.out.find("answer recall@1   1.0000") != std::string::npos);

  testing::WriteFile(dir.File("junk.index"), "SLIMIDX\0 not really");
  const Run bad = RunCli("search --index " + dir.File("junk.index") + " 'x'", "");
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("damaged or not a slimnlp index") != std::string::npos);
}

TEST_CASE("cli: annotate identifies each line's language, then segments and tags it with that language's models",
          "[cli][annotate]") {
  const Run r = RunCli("annotate --format json",
                       "Je vais au marché du village.\n然而，這樣的處理也衍生了一些問題。\nbad \xff line\n");
  REQUIRE(r.exit_code == 0);
  const auto lines = Lines(r.out);
  REQUIRE(lines.size() == 3);
  const nlohmann::json fr = nlohmann::json::parse(lines[0]);
  CHECK(fr["language"] == "fr");
  std::vector<std::string> words;
  for (const auto& t : fr["tokens"]) words.push_back(t["text"]);
  CHECK(words == std::vector<std::string>{"Je", "vais", "à", "le", "marché", "de", "le", "village", "."});
  CHECK(fr["tokens"][2]["upos"] == "ADP");
  CHECK(fr["tokens"][2]["begin"] == 8);  // "au" in the line, for both of its words.
  const nlohmann::json zh = nlohmann::json::parse(lines[1]);
  CHECK(zh["language"].get<std::string>().rfind("zh", 0) == 0);
  CHECK(zh["tokens"][0]["text"] == "然而");
  CHECK(nlohmann::json::parse(lines[2]).contains("error"));
  CHECK(r.err.find("line 3") != std::string::npos);
}

TEST_CASE("cli: annotate says which languages have no tagger or tokenizer, on stderr once and on each sentence",
          "[cli][annotate]") {
  // Swahili is identified but has no models; English has both.
  const Run r = RunCli("annotate", "Habari yako rafiki yangu, ninafurahi sana kukuona leo.\n"
                                   "Ninapenda kusoma vitabu vya historia kila jioni.\nThe cat sat on the mat.\n");
  REQUIRE(r.exit_code == 0);
  const std::string note = "# models = no tokenizer model (seg-sw.slim): rule-based tokenizer; no tagger model "
                           "(pos-sw.slim): UPOS left as _";
  const size_t first = r.out.find(note);
  REQUIRE(first != std::string::npos);
  CHECK(r.out.find(note, first + 1) != std::string::npos);  // On each Swahili sentence.
  CHECK(r.out.find("# models", r.out.find("The cat")) == std::string::npos);  // Not on the English one.
  const size_t said = r.err.find("slimnlp annotate: language 'sw': no tokenizer model");
  CHECK(said != std::string::npos);
  CHECK(r.err.find("language 'sw'", said + 30) == std::string::npos);  // Once.
  const Run json = RunCli("annotate --format json", "Habari yako rafiki yangu, ninafurahi sana kukuona leo.\n");
  const auto j = nlohmann::json::parse(json.out);
  CHECK(j["tagged"] == false);
  CHECK(j["segmented"] == false);
}

TEST_CASE("cli: --version, unknown commands named, and exit status 2 for every usage error", "[cli][usage]") {
  Run r = RunCli("--version", "");
  CHECK(r.exit_code == 0);
  CHECK(r.out == "slimnlp " SLIMNLP_VERSION_STRING "\n");
  r = RunCli("lagnid hello", "");
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("unknown command 'lagnid'") && Catch::Contains("langid"));
  r = RunCli("eval bogus", "");
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("slimnlp eval: unknown command 'bogus'") && Catch::Contains("retrieval"));
  for (const char* args : {"", "eval", "langid --top-k 0 x", "langid --no-such-option", "tag --format xml",
                           "train pos --train x", "search", "langid --format"}) {
    INFO(args);
    CHECK(RunCli(args, "").exit_code == 2);
  }
  CHECK(RunCli("--help", "").exit_code == 0);
  CHECK(RunCli("langid --help", "").exit_code == 0);
}

// Issue 15: each trainer refuses, before reading anything, a --hidden its model's loader would refuse.
TEST_CASE("cli: train commands refuse a hidden width the loader would refuse", "[cli][usage][train]") {
  for (const char* command : {"train pos --train none.conllu --out x.slim", "train langid --train a --dev b --out x.slim",
                              "train segment --train none.conllu --out x.slim",
                              "train rerank --index i --questions q --out x.slim"}) {
    INFO(command);
    const Run r = RunCli(std::string(command) + " --hidden 5000", "");
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("--hidden") && Catch::Contains("4096"));
  }
}

namespace {

std::string Zstd(const std::string& text) {
  testing::TempDir dir;
  testing::WriteFile(dir.File("t"), text);
  REQUIRE(std::system(("zstd -q -f " + dir.File("t") + " -o " + dir.File("t.zst")).c_str()) == 0);
  return testing::ReadFile(dir.File("t.zst"));
}

}  // namespace

TEST_CASE("cli: zstd input on stdin or --file is read decompressed; a byte-order mark is skipped",
          "[cli][langid][bad_input]") {
  const std::string text = "\xEF\xBB\xBFLe chat dort sur le tapis du salon.\nDer Hund schläft im Garten.\n";
  Run r = RunCli("langid " + ModelArg(), Zstd(text));
  REQUIRE(r.exit_code == 0);
  CHECK(Lines(r.out).size() == 2);
  CHECK(r.out.rfind("fr\t", 0) == 0);
  testing::TempDir dir;
  testing::WriteFile(dir.File("in.txt.zst"), Zstd(text));
  r = RunCli("langid --file " + dir.File("in.txt.zst") + " " + ModelArg(), "");
  REQUIRE(r.exit_code == 0);
  CHECK(Lines(r.out).size() == 2);
  CHECK(Lines(r.out)[1].rfind("de\t", 0) == 0);
  r = RunCli("segment --lang fr", Zstd(text));
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.rfind("Le chat dort", 0) == 0);  // No BOM glued to the first word.
  r = RunCli("annotate --format json", Zstd(text));
  REQUIRE(r.exit_code == 0);
  CHECK(nlohmann::json::parse(Lines(r.out)[0])["tokens"][0]["text"] == "Le");
  r = RunCli("tag", "\xEF\xBB\xBFThe cat sleeps.\n");
  CHECK(r.out.rfind("The/DET ", 0) == 0);
  CHECK(RunCli("langid --file " + dir.File("missing.txt") + " " + ModelArg(), "").exit_code == 2);
}

TEST_CASE("cli: --top-k with --spans is refused, not ignored", "[cli][langid][usage]") {
  const Run r = RunCli("langid --spans --top-k 3 " + ModelArg() + " 'Hello there. Bonjour à tous.'", "");
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("--top-k") && Catch::Contains("--spans"));
  CHECK(r.out.empty());
}

TEST_CASE("cli: segment identifies each line's language unless --lang (BCP-47, any case) names it",
          "[cli][segment]") {
  Run r = RunCli("segment", "然而，這樣的處理也衍生了一些問題。\nThe cat sat on the mat.\n");
  REQUIRE(r.exit_code == 0);
  auto lines = Lines(r.out);
  REQUIRE(lines.size() == 2);
  CHECK(lines[0] == "然而 ， 這樣 的 處理 也 衍生 了 一些 問題 。");
  CHECK(lines[1] == "The cat sat on the mat .");  // Not the Chinese model's split.
  CHECK(RunCli("segment --lang EN 'The cat sat.'", "").out == RunCli("segment --lang en 'The cat sat.'", "").out);
  r = RunCli("segment --lang zh-Hant", "然而，這樣的處理也衍生了一些問題。\n");
  CHECK(r.out == "然而 ， 這樣 的 處理 也 衍生 了 一些 問題 。\n");
  r = RunCli("segment --lang sw 'Das ist gut, oder?'", "");  // Swahili: a language without models.
  CHECK(r.exit_code == 0);
  CHECK(r.out == "Das ist gut , oder ?\n");
  CHECK_THAT(r.err, Catch::Contains("no segmenter model for 'sw'") && Catch::Contains("rule-based"));
  r = RunCli("segment --lang xx-bogus x", "");
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("unknown language 'xx-bogus'"));
}

TEST_CASE("cli: models come from SLIMNLP_MODELS or beside the binary, never from ./models", "[cli][models]") {
  testing::TempDir dir;
  std::filesystem::create_directory(dir.File("models"));
  testing::WriteFile(dir.File("models/langid.slim"), "not a model");
  const std::string run = "cd " + dir.path() + " && env -u SLIMNLP_MODELS " + testing::CliPath() +
                          " langid 'Ceci est une phrase en français.' > out 2> err";
  int status = std::system(run.c_str());
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(testing::ReadFile(dir.File("out")).rfind("fr\t", 0) == 0);
  status = std::system(("cd " + dir.path() + " && SLIMNLP_MODELS=" + dir.File("models") + " " + testing::CliPath() +
                        " langid hello > out 2> err")
                           .c_str());
  CHECK(WEXITSTATUS(status) == 2);
  CHECK_THAT(testing::ReadFile(dir.File("err")), Catch::Contains(dir.File("models/langid.slim")));
}

TEST_CASE("cli: indexing refuses duplicate ids, names documents without one, says what is wrong with bad JSON",
          "[cli][retrieval][bad_input]") {
  testing::TempDir dir;
  testing::WriteFile(dir.File("a.jsonl"),
                     "{\"id\": \"p1\", \"text\": \"Nikola Tesla was born in Smiljan.\"}\n"
                     "{\"id\": \"p1\", \"text\": \"A second document with the same id.\"}\n"
                     "{\"text\": \"The Apollo program landed men on the Moon.\"}\n"
                     "{\"id\": \"p4\", text: \"unquoted key\"}\n");
  testing::WriteFile(dir.File("b.jsonl"), "{\"text\": \"Marie Curie won two Nobel prizes.\"}\n");
  Run r = RunCli("index --input " + dir.File("a.jsonl") + " --out " + dir.File("a.index"), "");
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.err, Catch::Contains("a.jsonl:2: duplicate id \"p1\""));
  CHECK_THAT(r.err, Catch::Contains("a.jsonl:4: not valid JSON: parse error at column 15"));
  CHECK_THAT(r.out, Catch::Contains("2 documents (2 skipped)"));
  r = RunCli("search --index " + dir.File("a.index") + " -k 1 'moon landing'", "");
  CHECK(Lines(r.out).at(0).rfind("1\t1\t3\t", 0) == 0);  // Named by its line.
  // Two inputs: generated names carry the file, so they cannot clash.
  r = RunCli("index --input " + dir.File("a.jsonl") + " --input " + dir.File("b.jsonl") + " --out " + dir.File("ab.index"), "");
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("3 documents"));
  r = RunCli("search --index " + dir.File("ab.index") + " -k 1 'nobel prizes'", "");
  CHECK(Lines(r.out).at(0).find("\t" + dir.File("b.jsonl") + ":1\t") != std::string::npos);
}

TEST_CASE("cli: search escapes TSV fields, keeps query ids, writes TREC runs", "[cli][retrieval]") {
  testing::TempDir dir;
  testing::WriteFile(dir.File("c.jsonl"),
                     "{\"id\": \"d\\t1\", \"title\": \"Two\\nlines\", \"text\": \"Nikola Tesla was born in Smiljan.\"}\n"
                     "{\"id\": \"d2\", \"title\": \"Moon\", \"text\": \"The Apollo program landed men on the Moon.\"}\n");
  REQUIRE(RunCli("index --input " + dir.File("c.jsonl") + " --out " + dir.File("c.index"), "").exit_code == 0);
  const std::string queries = "q7\twhere was tesla born\n{\"_id\": \"q8\", \"text\": \"moon landing\"}\nmoon\n";
  Run r = RunCli("search -k 1 --index " + dir.File("c.index"), queries);
  REQUIRE(r.exit_code == 0);
  auto lines = Lines(r.out);
  REQUIRE(lines.size() == 3);
  CHECK(lines[0].rfind("q7\t1\td\\t1\t", 0) == 0);
  CHECK(std::count(lines[0].begin(), lines[0].end(), '\t') == 5);
  CHECK_THAT(lines[0], Catch::Contains("\tTwo\\nlines\t"));
  CHECK(lines[1].rfind("q8\t1\td2\t", 0) == 0);
  CHECK(lines[2].rfind("3\t1\td2\t", 0) == 0);  // No id: the query's number.
  r = RunCli("search -k 1 --format trec --index " + dir.File("c.index"), queries);
  lines = Lines(r.out);
  REQUIRE(lines.size() == 3);
  CHECK(lines[0].rfind("q7 Q0 d_1 1 ", 0) == 0);
  CHECK(lines[0].substr(lines[0].size() - 8) == " slimnlp");
  r = RunCli("search --format json -k 1 --index " + dir.File("c.index"), queries);
  CHECK(nlohmann::json::parse(Lines(r.out).at(1))["query_id"] == "q8");
  r = RunCli("search --index " + dir.File("c.index"), "{\"id\": \"q9\"}\n");
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("<stdin>:1:"));
}

TEST_CASE("cli: eval commands write JSON with --format json", "[cli][eval]") {
  testing::TempDir dir;
  testing::WriteFile(dir.File("lid.tsv"), "fr\tJe voudrais une tasse de café.\nde\tIch hätte gern einen Kaffee.\n");
  Run r = RunCli("eval langid --format json --data " + dir.File("lid.tsv") + " " + ModelArg(), "");
  REQUIRE(r.exit_code == 0);
  nlohmann::json j = nlohmann::json::parse(r.out);
  CHECK(j["examples"] == 2);
  CHECK(j["accuracy"] == 1.0);
  CHECK(j["per_language"].size() == 2);
  const std::string conllu =
      "# text = The cat sleeps.\n1\tThe\t_\tDET\t_\t_\t_\t_\t_\t_\n2\tcat\t_\tNOUN\t_\t_\t_\t_\t_\t_\n"
      "3\tsleeps\t_\tVERB\t_\t_\t_\t_\t_\tSpaceAfter=No\n4\t.\t_\tPUNCT\t_\t_\t_\t_\t_\t_\n\n";
  testing::WriteFile(dir.File("g.conllu"), conllu);
  r = RunCli("eval pos --format json --model " + testing::ShippedModel("pos-en.slim") + " --data " + dir.File("g.conllu"), "");
  REQUIRE(r.exit_code == 0);
  j = nlohmann::json::parse(r.out);
  CHECK(j["tokens"] == 4);
  CHECK(j["accuracy"].get<double>() > 0.7);
  r = RunCli("eval segment --format json --model " + testing::ShippedModel("seg-en.slim") + " --data " + dir.File("g.conllu"), "");
  REQUIRE(r.exit_code == 0);
  j = nlohmann::json::parse(r.out);
  CHECK(j["gold_tokens"] == 4);
  CHECK(j["f1"].get<double>() > 0.5);
  testing::WriteFile(dir.File("c.jsonl"), "{\"id\": \"p1\", \"text\": \"Nikola Tesla was born in Smiljan in 1856.\"}\n");
  testing::WriteFile(dir.File("q.jsonl"), "{\"id\": \"q1\", \"question\": \"Where was Tesla born?\", \"gold\": [\"p1\"]}\n");
  REQUIRE(RunCli("index --input " + dir.File("c.jsonl") + " --out " + dir.File("c.index"), "").exit_code == 0);
  r = RunCli("eval retrieval --format json --index " + dir.File("c.index") + " --questions " + dir.File("q.jsonl"), "");
  REQUIRE(r.exit_code == 0);
  j = nlohmann::json::parse(r.out);
  CHECK(j["recall_at_1"] == 1.0);
  CHECK(j["questions"] == 1);
}

namespace {

// The rules of the UD validator (validate.py) at level 1, and level 2's text check, that annotate's output can
// break: sentences separated by one blank line, comments only before a sentence's first token line, each
// sentence with a unique sent_id, at least one word, ten columns, word ids 1..n in order, ranges covering words
// that follow, no empty FORM; "# text" equal to the tokens joined as SpaceAfter says. Returns the problems.
std::vector<std::string> ValidateConllu(const std::string& text) {
  std::vector<std::string> problems;
  const auto lines = Lines(text);
  std::set<std::string> ids;
  size_t i = 0;
  if (!text.empty() && text.back() != '\n') problems.push_back("no final newline");
  while (i < lines.size()) {
    const size_t first = i + 1;
    std::string sent_id, sentence_text, rebuilt;
    bool has_text = false;
    bool words = false;
    int next_word = 1, range_end = 0;
    if (lines[i].empty()) problems.push_back("line " + std::to_string(first) + ": empty sentence or extra blank line");
    for (; i < lines.size() && !lines[i].empty(); ++i) {
      const std::string& l = lines[i];
      const std::string where = "line " + std::to_string(i + 1) + ": ";
      if (l[0] == '#') {
        if (words) problems.push_back(where + "comment after a token line");
        if (l.rfind("# sent_id = ", 0) == 0) sent_id = l.substr(12);
        if (l.rfind("# text = ", 0) == 0) has_text = true, sentence_text = l.substr(9);
        continue;
      }
      words = true;
      std::vector<std::string> cols;
      for (size_t at = 0;;) {
        const size_t tab = l.find('\t', at);
        cols.push_back(l.substr(at, tab - at));
        if (tab == std::string::npos) break;
        at = tab + 1;
      }
      if (cols.size() != 10) {
        problems.push_back(where + std::to_string(cols.size()) + " columns");
        continue;
      }
      if (cols[1].empty()) problems.push_back(where + "empty FORM");
      const bool space_after = cols[9].find("SpaceAfter=No") == std::string::npos;
      if (const size_t dash = cols[0].find('-'); dash != std::string::npos) {
        if (std::stoi(cols[0].substr(0, dash)) != next_word) problems.push_back(where + "range does not start at the next word");
        range_end = std::stoi(cols[0].substr(dash + 1));
        rebuilt += cols[1] + (space_after ? " " : "");
      } else {
        if (cols[0] != std::to_string(next_word)) problems.push_back(where + "word id " + cols[0] + ", expected " + std::to_string(next_word));
        if (next_word > range_end) rebuilt += cols[1] + (space_after ? " " : "");
        ++next_word;
      }
    }
    if (!words) problems.push_back("line " + std::to_string(first) + ": a sentence without words");
    if (sent_id.empty()) problems.push_back("line " + std::to_string(first) + ": no sent_id");
    else if (!ids.insert(sent_id).second) problems.push_back("line " + std::to_string(first) + ": sent_id repeated");
    while (!rebuilt.empty() && rebuilt.back() == ' ') rebuilt.pop_back();
    if (!has_text) problems.push_back("line " + std::to_string(first) + ": no # text");
    else if (rebuilt != sentence_text) problems.push_back("line " + std::to_string(first) + ": # text is not the tokens: " + rebuilt);
    ++i;  // The blank line that ends the sentence.
  }
  return problems;
}

}  // namespace

TEST_CASE("cli: annotate's CoNLL-U passes the UD validator's level-1 rules, whatever the lines",
          "[cli][annotate][bad_input]") {
  const std::string input = "\xEF\xBB\xBFJe vais au marché du village.\n\n   \nbad \xff line\nThe cat sat on the mat.\n"
                            "然而，這樣的處理也衍生了一些問題。\n12345\n";
  const Run r = RunCli("annotate", input);
  REQUIRE(r.exit_code == 0);
  const std::vector<std::string> problems = ValidateConllu(r.out);
  for (const auto& p : problems) UNSCOPED_INFO(p);
  INFO(r.out);
  CHECK(problems.empty());
  CHECK_THAT(r.out, Catch::Contains("# sent_id = 1\n") && Catch::Contains("# sent_id = 5\n"));
  CHECK_THAT(r.err, Catch::Contains("line 4: invalid UTF-8"));
  const Run tagged = RunCli("tag --format conllu", "The dog barks.\n\nbad \xff\nA cat.\n");
  const std::vector<std::string> tag_problems = ValidateConllu(tagged.out);
  for (const auto& p : tag_problems) UNSCOPED_INFO(p);
  CHECK(tag_problems.empty());
}

TEST_CASE("cli: split gives a line's sentences one a line, or their byte spans in JSON", "[cli][sentence]") {
  const Run r = RunCli("split --lang en", "I came. I saw. I conquered.\n\nHe left at 3 p.m. Nobody knew why.\n");
  REQUIRE(r.exit_code == 0);
  CHECK(Lines(r.out) == std::vector<std::string>{"I came.", "I saw.", "I conquered.", "", "He left at 3 p.m.",
                                                 "Nobody knew why.", ""});
  const Run json = RunCli("split --lang en --format json", "I came. I saw.\nbad \xff line\n");
  REQUIRE(json.exit_code == 0);
  const auto lines = Lines(json.out);
  REQUIRE(lines.size() == 2);
  const nlohmann::json j = nlohmann::json::parse(lines[0]);
  REQUIRE(j["sentences"].size() == 2);
  CHECK(j["sentences"][1]["text"] == "I saw.");
  CHECK(j["sentences"][1]["begin"] == 8);
  CHECK(j["sentences"][1]["end"] == 14);
  CHECK(nlohmann::json::parse(lines[1]).contains("error"));
  CHECK_THAT(json.err, Catch::Contains("line 2: invalid UTF-8"));
  // Each line's language is identified; one without a splitter keeps its lines whole, with a notice.
  const Run mixed = RunCli("split", "Je suis venu. J'ai vu.\nHabari yako rafiki. Ninafurahi sana kukuona leo.\n");
  REQUIRE(mixed.exit_code == 0);
  CHECK(Lines(mixed.out) == std::vector<std::string>{"Je suis venu.", "J'ai vu.", "",
                                                     "Habari yako rafiki. Ninafurahi sana kukuona leo.", ""});
  CHECK_THAT(mixed.err, Catch::Contains("no sentence splitter model for 'sw'"));
  CHECK(RunCli("split --model /nonexistent.slim", "x\n").exit_code == 2);
}

TEST_CASE("cli: annotate and tag split running text into sentences, unless told not to", "[cli][sentence][annotate]") {
  const Run r = RunCli("annotate", "I came. I saw. I conquered.\nThe end.\n");
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("# sent_id = 1.1\n") && Catch::Contains("# text = I came.\n") &&
                        Catch::Contains("# sent_id = 1.3\n# language") && Catch::Contains("# text = I conquered.\n") &&
                        Catch::Contains("# sent_id = 2\n"));
  CHECK(r.out.find("saw.\t") == std::string::npos);  // "saw" and "." are tokens of their own now.
  const std::vector<std::string> problems = ValidateConllu(r.out);
  for (const auto& p : problems) UNSCOPED_INFO(p);
  CHECK(problems.empty());
  const Run whole = RunCli("annotate --no-split", "I came. I saw.\n");
  CHECK_THAT(whole.out, Catch::Contains("# sent_id = 1\n") && Catch::Contains("# text = I came. I saw.\n"));
  const Run json = RunCli("annotate --format json", "I came. I saw.\n");
  const nlohmann::json j = nlohmann::json::parse(json.out);
  CHECK(j["split"] == true);
  REQUIRE(j["sentences"].size() == 2);
  CHECK(j["sentences"][1]["first_token"] == 3);
  CHECK(j["tokens"][3]["text"] == "I");

  const Run tagged = RunCli("tag", "I came. I saw.\n");
  CHECK(Lines(tagged.out) == std::vector<std::string>{"I/PRON came/VERB ./PUNCT I/PRON saw/VERB ./PUNCT"});
  const Run conllu = RunCli("tag --format conllu", "I came. I saw.\n");
  CHECK_THAT(conllu.out, Catch::Contains("# sent_id = 1.2\n# text = I saw.\n"));
  const Run unsplit = RunCli("tag --format conllu --splitter none", "I came. I saw.\n");
  CHECK_THAT(unsplit.out, Catch::Contains("# sent_id = 1\n"));

  // segment keeps a line per line, but segments each sentence: the period of "saw." is a token of its own.
  CHECK(RunCli("segment --lang en", "I came. I saw. I left.\n").out == "I came . I saw . I left .\n");
  CHECK(RunCli("segment --lang en --no-split", "I came. I saw. I left.\n").out == "I came . I saw. I left .\n");
}

TEST_CASE("cli: train and eval sentences, with clear errors", "[cli][sentence][train]") {
  testing::TempDir dir;
  std::string conllu;
  for (int i = 0; i < 60; ++i) {
    conllu += (i % 3 == 0 ? "# newpar\n" : "") + std::string("# text = Ka lomi") + (i % 2 ? " tu." : ".") + "\n" +
              "1\tKa\t_\tX\t_\t_\t_\t_\t_\t_\n2\tlomi\t_\tX\t_\t_\t_\t_\t_\t" + (i % 2 ? "_" : "SpaceAfter=No") + "\n" +
              (i % 2 ? "3\ttu\t_\tX\t_\t_\t_\t_\t_\tSpaceAfter=No\n4\t.\t_\tX\t_\t_\t_\t_\t_\t_\n"
                     : "3\t.\t_\tX\t_\t_\t_\t_\t_\t_\n") +
              "\n";
  }
  testing::WriteFile(dir.File("toy.conllu"), conllu);
  const Run trained = RunCli("train sentences --train " + dir.File("toy.conllu") + " --out " + dir.File("s.slim") +
                                 " --budget 32KiB --hidden 16 --epochs 2 --language toy",
                             "");
  REQUIRE(trained.exit_code == 0);
  CHECK_THAT(trained.out, Catch::Contains("trained"));
  const Run info = RunCli("info " + dir.File("s.slim"), "");
  CHECK_THAT(info.out, Catch::Contains("--train " + dir.File("toy.conllu")) && Catch::Contains("--budget 32KiB"));
  const Run eval = RunCli("eval sentences --format json --model " + dir.File("s.slim") + " --data " + dir.File("toy.conllu"), "");
  REQUIRE(eval.exit_code == 0);
  const nlohmann::json j = nlohmann::json::parse(eval.out);
  CHECK(j["gold_sentences"] == 60);
  CHECK(j["paragraphs"] == 20);
  CHECK(RunCli("train sentences --train " + dir.File("toy.conllu") + " --out " + dir.File("x.slim") + " --budget lots", "")
            .exit_code == 2);
  const Run missing = RunCli("eval sentences --model " + dir.File("s.slim") + " --data " + dir.File("none.conllu"), "");
  CHECK(missing.exit_code == 2);
  CHECK_THAT(missing.err, Catch::Contains("none.conllu"));
}

TEST_CASE("cli: --threads gives the same output, in input order, for any thread count", "[cli][threads]") {
  std::string input;
  const std::vector<std::string> texts = {"The cat sat on the mat. It slept.", "Je vais au marché.",
                                          "然而，這樣的處理也衍生了一些問題。", "Der Hund bellt laut.", "",
                                          "bad \xff line", "Habari yako rafiki yangu."};
  for (int i = 0; i < 3000; ++i) input += texts[i % texts.size()] + " " + std::to_string(i) + "\n";
  for (const std::string command : {"langid", "langid --format json --top-k 2", "annotate", "annotate --format json",
                                    "tag", "split", "segment", "segment --format json",
                                    "segment --piece-bytes 64"}) {
    INFO(command);
    const Run one = RunCli(command + " --threads 1", input);
    const Run three = RunCli(command + " --threads 3", input);
    CHECK(one.exit_code == three.exit_code);
    CHECK(one.out == three.out);
    CHECK(Lines(one.out).size() >= 3000 - 3000 / 7);  // A line's output is never lost.
    std::vector<std::string> err1 = Lines(one.err), err3 = Lines(three.err);
    std::sort(err1.begin(), err1.end());
    std::sort(err3.begin(), err3.end());
    CHECK(err1 == err3);  // The same diagnostics; notes said once per language may come in another order.
  }
  CHECK(RunCli("langid --threads 0", "x\n").exit_code == 2);
}

TEST_CASE("cli: tag's JSON names the word 'text' and a multiword token 'token', as annotate and the server do",
          "[cli][pos]") {
  const Run r = RunCli("tag --format json --model " + testing::ShippedModel("pos-fr.slim"), "Je vais au marché.\n");
  REQUIRE(r.exit_code == 0);
  const nlohmann::json j = nlohmann::json::parse(r.out);
  CHECK(j["tokens"][2]["text"] == "à");
  CHECK(j["tokens"][2]["token"] == "au");
  CHECK(j["tokens"][3]["text"] == "le");
  CHECK_FALSE(j["tokens"][0].contains("token"));
}

TEST_CASE("cli: a trained model records its whole command line, defaults included, but not --out", "[cli][train]") {
  testing::TempDir dir;
  std::string conllu;
  for (int i = 0; i < 40; ++i) {
    conllu += "# text = Ka lomi.\n1\tKa\t_\tX\t_\t_\t_\t_\t_\t_\n2\tlomi\t_\tX\t_\t_\t_\t_\t_\tSpaceAfter=No\n"
              "3\t.\t_\tPUNCT\t_\t_\t_\t_\t_\t_\n\n";
  }
  testing::WriteFile(dir.File("toy.conllu"), conllu);
  const std::string base = "train segment --train " + dir.File("toy.conllu") + " --language toy --epochs 1 --budget 64KiB";
  REQUIRE(RunCli(base + " --out " + dir.File("a.slim"), "").exit_code == 0);
  REQUIRE(RunCli(base + " --out " + dir.File("b.slim"), "").exit_code == 0);
  CHECK(testing::ReadFile(dir.File("a.slim")) == testing::ReadFile(dir.File("b.slim")));  // Deterministic.
  const Run info = RunCli("info " + dir.File("a.slim"), "");
  std::string command;
  for (const std::string& line : Lines(info.out)) {
    if (line.find("train.command") != std::string::npos) command = line;
  }
  CHECK_THAT(command, Catch::Contains("slimnlp train segment --train " + dir.File("toy.conllu")) &&
                          Catch::Contains("--language toy") && Catch::Contains("--window 3") &&
                          !Catch::Contains("--out"));
}
