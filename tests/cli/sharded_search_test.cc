// `slimnlp search`, `eval retrieval` and `serve` over a collection in shards, as a user runs them: the same
// answers as one index over the same documents, in every output format, and clear errors for shards named
// wrongly.
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "slimnlp/retrieval.h"
#include "src/core/rng.h"
#include "tests/test_util.h"

using namespace slimnlp;

namespace {

struct Run {
  int exit_code;
  std::string out, err;
};

Run RunCli(const std::string& args, const std::string& input = "") {
  testing::TempDir dir;
  testing::WriteFile(dir.File("in"), input);
  // A server given a good index would serve until stopped: the time limit ends the test should one start.
  const std::string cmd = "timeout 60 " + testing::CliPath() + " " + args + " < " + dir.File("in") + " > " + dir.File("out") +
                          " 2> " + dir.File("err");
  const int status = std::system(cmd.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, testing::ReadFile(dir.File("out")),
          testing::ReadFile(dir.File("err"))};
}

std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t at; (at = s.find(sep, start)) != std::string::npos; start = at + 1) parts.push_back(s.substr(start, at - start));
  if (start < s.size()) parts.push_back(s.substr(start));
  return parts;
}

// 600 documents over a Zipf-like vocabulary with a few English words, so that terms have very different
// document frequencies in each shard and in the whole; titles, so that every output field is filled.
std::vector<std::string> Documents() {
  static const char* const kWords[] = {"river", "city", "founded", "king", "war", "bridge", "music", "north"};
  core::Rng rng(7);
  std::vector<std::string> docs;
  for (int d = 0; d < 600; ++d) {
    std::string text;
    for (size_t i = 0, n = 4 + rng.Below(50); i < n; ++i) {
      const uint64_t r = rng.Below(1000);
      text += i ? " " : "";
      text += r < 300 ? std::string(kWords[rng.Below(8)])
                      : "w" + std::to_string(r < 800 ? rng.Below(60) : 60 + rng.Below(2000));
    }
    docs.push_back("{\"id\": \"doc" + std::to_string(d) + "\", \"title\": \"Title " + std::to_string(d % 37) +
                   "\", \"text\": \"" + text + "\"}\n");
  }
  return docs;
}

// One index over all the documents, and the same documents in three shards of unequal sizes (one directory,
// with a manifest as slimnlp.dask.build_index writes).
struct Collection {
  testing::TempDir dir;
  std::string whole, shard_list;
  std::vector<std::string> shards;

  Collection() {
    const std::vector<std::string> docs = Documents();
    std::filesystem::create_directory(dir.File("shards"));
    const size_t cuts[] = {0, 90, 410, docs.size()};
    std::string all, manifest = "# 3 shards\n";
    for (int s = 0; s < 3; ++s) {
      std::string part;
      for (size_t i = cuts[s]; i < cuts[s + 1]; ++i) part += docs[i];
      all += part;
      const std::string name = "shard-0000" + std::to_string(s) + ".index";
      shards.push_back(Build(part, dir.File("shards/" + name)));
      shard_list += (s ? "," : "") + shards.back();
      manifest += name + "\n";
    }
    testing::WriteFile(dir.File("shards/shard.shards"), manifest);
    whole = Build(all, dir.File("whole.index"));
  }
  std::string Build(const std::string& jsonl, const std::string& out, bool stem = true) const {
    testing::WriteFile(out + ".jsonl", jsonl);
    IndexBuildOptions o;
    o.input_paths = {out + ".jsonl"};
    o.output_path = out;
    o.stem = stem;
    REQUIRE(BuildIndex(o).ok());
    return out;
  }
};

std::string Queries() {
  core::Rng rng(3);
  static const char* const kWords[] = {"river", "city", "founded", "king", "war", "bridge", "music", "north"};
  std::string q;
  for (int i = 0; i < 40; ++i) {
    q += "q" + std::to_string(i) + "\t";
    for (uint64_t w = 0, n = 1 + rng.Below(4); w < n; ++w) {
      q += rng.Below(3) == 0 ? std::string(kWords[rng.Below(8)]) + " "
                             : "w" + std::to_string(rng.Below(2) ? rng.Below(60) : rng.Below(2060)) + " ";
    }
    q += "\n";
  }
  return q;
}

// Two runs' outputs agree: every field the same but the score, which may differ by float rounding (the
// shards' terms are summed in another order) and so in its last printed digit.
void SameAnswers(const std::string& format, const std::string& expected, const std::string& got, size_t min_hits = 100) {
  const std::vector<std::string> e = Split(expected, '\n'), g = Split(got, '\n');
  REQUIRE(g.size() == e.size());
  REQUIRE(!e.empty());
  size_t hits = 0;
  for (size_t i = 0; i < e.size(); ++i) {
    INFO("line " << i + 1 << "\nexpected: " << e[i] << "\ngot:      " << g[i]);
    if (format == "json") {
      nlohmann::json ej = nlohmann::json::parse(e[i]), gj = nlohmann::json::parse(g[i]);
      REQUIRE(gj["results"].size() == ej["results"].size());
      for (size_t r = 0; r < ej["results"].size(); ++r, ++hits) {
        CHECK(gj["results"][r]["score"].get<double>() == Approx(ej["results"][r]["score"].get<double>()).epsilon(1e-5));
        gj["results"][r].erase("score");
        ej["results"][r].erase("score");
      }
      CHECK(gj == ej);
      continue;
    }
    // TSV: query id, rank, id, score, title, snippet; trec: qid Q0 docid rank score run.
    const char sep = format == "tsv" ? '\t' : ' ';
    const size_t score = format == "tsv" ? 3 : 4;
    std::vector<std::string> ef = Split(e[i], sep), gf = Split(g[i], sep);
    REQUIRE(gf.size() == ef.size());
    CHECK(std::stod(gf[score]) == Approx(std::stod(ef[score])).margin(2e-4));
    ef[score] = gf[score] = "";
    CHECK(gf == ef);
    ++hits;
  }
  CHECK(hits >= min_hits);  // The queries found plenty: the comparison has something to compare.
}

}  // namespace

TEST_CASE("cli: search over shards answers as one index over the same documents, in every format",
          "[cli][retrieval][sharded]") {
  Collection c;
  testing::WriteFile(c.dir.File("queries.tsv"), Queries());
  const std::string queries = " --file " + c.dir.File("queries.tsv");
  for (const std::string& options : std::vector<std::string>{"-f tsv", "-f json -k 20", "-f trec", "-f tsv --scoring tfidf",
                                    "-f json --rerank " + testing::ShippedModel("rerank.slim")}) {
    INFO(options);
    const Run one = RunCli("search --index " + c.whole + " " + options + queries);
    REQUIRE(one.exit_code == 0);
    const std::string format = Split(options, ' ')[1];
    const Run listed = RunCli("search --index " + c.shard_list + " " + options + queries);
    REQUIRE(listed.exit_code == 0);
    CHECK(listed.err.empty());
    SameAnswers(format, one.out, listed.out);
    // The directory (through its manifest) and the manifest itself name the same shards in the same order.
    for (const std::string& name : {c.dir.File("shards"), c.dir.File("shards/shard.shards")}) {
      const Run named = RunCli("search --index " + name + " " + options + queries);
      REQUIRE(named.exit_code == 0);
      CHECK(named.out == listed.out);
    }
  }
  // Queries as arguments and on stdin too.
  const Run one = RunCli("search --index " + c.whole + " -k 3 'river city' 'w5 king'");
  const Run sharded = RunCli("search --index " + c.dir.File("shards") + " -k 3 'river city' 'w5 king'");
  REQUIRE(sharded.exit_code == 0);
  SameAnswers("tsv", one.out, sharded.out, 6);
  SameAnswers("tsv", one.out, RunCli("search --index " + c.shard_list + " -k 3", "river city\nw5 king\n").out, 6);
  // One index named through a manifest of one line answers exactly as the file named alone.
  testing::WriteFile(c.dir.File("one.shards"), "whole.index\n");
  CHECK(RunCli("search --index " + c.dir.File("one.shards") + " -f json" + queries).out ==
        RunCli("search --index " + c.whole + " -f json" + queries).out);
}

TEST_CASE("cli: eval retrieval over shards scores as over one index", "[cli][retrieval][sharded]") {
  Collection c;
  // Questions whose gold is a document that holds the words asked: the scores are neither all 0 nor all 1.
  const std::vector<std::string> docs = Documents();
  std::string questions;
  int asked = 0;
  for (size_t d = 3; d < docs.size(); d += 13) {
    const nlohmann::json doc = nlohmann::json::parse(docs[d]);
    const std::vector<std::string> words = Split(doc["text"].get<std::string>(), ' ');
    const std::string question = words[0] + " " + words[words.size() / 2] + " " + words.back();
    questions += nlohmann::json{{"id", "q" + std::to_string(d)}, {"question", question}, {"answers", {words[1]}},
                                {"gold", {doc["id"]}}}.dump() + "\n";
    ++asked;
  }
  testing::WriteFile(c.dir.File("questions.jsonl"), questions);
  for (const std::string& rerank : std::vector<std::string>{"", " --rerank " + testing::ShippedModel("rerank.slim")}) {
    INFO(rerank);
    const std::string args = " --questions " + c.dir.File("questions.jsonl") + " -f json" + rerank;
    const Run one = RunCli("eval retrieval --index " + c.whole + args);
    const Run sharded = RunCli("eval retrieval --index " + c.dir.File("shards") + args);
    REQUIRE(one.exit_code == 0);
    REQUIRE(sharded.exit_code == 0);
    nlohmann::json e = nlohmann::json::parse(one.out), g = nlohmann::json::parse(sharded.out);
    CHECK(e["shards"] == 1);
    CHECK(g["shards"] == 3);
    CHECK(g["documents"] == e["documents"]);
    CHECK(g["questions"] == asked);
    INFO(one.out);
    CHECK(e["recall_at_1"].get<double>() > 0);
    CHECK(e["recall_at_1"].get<double>() < 1);
    for (const char* metric : {"recall_at_1", "recall_at_5", "recall_at_20", "mrr_at_20", "ndcg_at_10",
                               "answer_recall_at_1", "answer_recall_at_5", "answer_recall_at_20"}) {
      INFO(metric);
      CHECK(g[metric].get<double>() == Approx(e[metric].get<double>()).margin(1e-12));
    }
  }
  const Run text = RunCli("eval retrieval --index " + c.shard_list + " --questions " + c.dir.File("questions.jsonl"));
  REQUIRE(text.exit_code == 0);
  CHECK_THAT(text.out, Catch::Contains("(600 documents in 3 shards)"));

  // train rerank takes the same names: the same questions and candidates, the same first-stage dev recall.
  std::string before[2];
  for (int sharded = 0; sharded < 2; ++sharded) {
    const Run t = RunCli("train rerank --epochs 1 --index " + (sharded ? c.dir.File("shards") : c.whole) +
                         " --questions " + c.dir.File("questions.jsonl") + " --out " + c.dir.File("r.slim"));
    INFO(t.err);
    REQUIRE(t.exit_code == 0);
    const size_t at = t.out.find(": ");
    const size_t arrow = t.out.find(" -> ");
    REQUIRE(arrow != std::string::npos);
    before[sharded] = t.out.substr(at, arrow - at);  // "N questions, M candidates, dev recall@1 X"
  }
  CHECK(before[1] == before[0]);
  CHECK_THAT(before[0], Catch::Contains(std::to_string(asked) + " questions"));
}

TEST_CASE("cli: shards named wrongly are refused by search, eval retrieval and serve, naming the file",
          "[cli][retrieval][sharded][bad_input]") {
  Collection c;
  const std::string missing = c.dir.File("shards/shard-00009.index");
  const std::string nostem = c.Build("{\"id\": \"x\", \"text\": \"river kings\"}\n", c.dir.File("nostem.index"), false);
  std::string bytes = testing::ReadFile(c.shards[1]);
  bytes[bytes.size() / 2] ^= 0x21;
  testing::WriteFile(c.dir.File("damaged.index"), bytes);
  testing::WriteFile(c.dir.File("gap.shards"), "shards/shard-00000.index\nshards/shard-00009.index\n");
  testing::WriteFile(c.dir.File("empty.shards"), "\n# none\n");
  const struct {
    std::string index, message;
  } cases[] = {
      {c.shards[0] + "," + missing, missing + ": no such index file"},
      {c.dir.File("gap.shards"), c.dir.File("gap.shards") + ":2: " + c.dir.File("shards/shard-00009.index")},
      {c.shards[0] + "," + nostem, nostem + ": built with other term options"},
      {c.shards[0] + "," + c.dir.File("damaged.index"), c.dir.File("damaged.index") + ": damaged or not a slimnlp index"},
      {"''", "no index named"},
      {",", "empty name in the comma-separated list"},
      {c.shards[0] + "," + c.shards[0], "same file as " + c.shards[0]},
      {c.dir.File("empty.shards"), "lists no shard"},
  };
  testing::WriteFile(c.dir.File("q.jsonl"), "{\"id\": \"1\", \"question\": \"river\", \"gold\": [\"doc1\"]}\n");
  for (const auto& [index, message] : cases) {
    INFO("--index " << index);
    for (const std::string& command : std::vector<std::string>{"search -k 2 river --index ", "eval retrieval --questions " + c.dir.File("q.jsonl") + " --index ",
                                      "serve --port 0 --index "}) {
      INFO(command);
      const Run r = RunCli(command + index);
      CHECK(r.exit_code == 2);
      CHECK_THAT(r.err, Catch::Contains(message));
      CHECK(r.out.empty());
    }
  }
}
