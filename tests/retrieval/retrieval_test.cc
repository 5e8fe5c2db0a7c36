// Retrieval: terms, building and searching a small index, MaxScore against exhaustive scoring, damaged files.
#include "slimnlp/retrieval.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <map>
#include <thread>

#include "src/core/crc32c.h"
#include "src/core/rng.h"
#include "src/retrieval/index_format.h"
#include "src/retrieval/terms.h"
#include "tests/test_util.h"

using namespace slimnlp;

namespace {

std::string Jsonl(const std::vector<std::array<std::string, 3>>& docs) {
  std::string out;
  for (const auto& [id, title, text] : docs) {
    out += "{\"id\": \"" + id + "\", \"title\": \"" + title + "\", \"text\": \"" + text + "\"}\n";
  }
  return out;
}

std::unique_ptr<Index> BuildAndOpen(const testing::TempDir& dir, const std::string& input, IndexBuildResult* result = nullptr) {
  testing::WriteFile(dir.File("corpus.jsonl"), input);
  IndexBuildOptions o;
  o.input_paths = {dir.File("corpus.jsonl")};
  o.output_path = dir.File("test.index");
  absl::StatusOr<IndexBuildResult> r = BuildIndex(o);
  REQUIRE(r.ok());
  if (result) *result = *r;
  absl::StatusOr<std::unique_ptr<Index>> index = Index::Open(o.output_path);
  REQUIRE(index.ok());
  return *std::move(index);
}

std::vector<std::string> Ids(const Index& index, const std::vector<SearchHit>& hits) {
  std::vector<std::string> ids;
  for (const auto& h : hits) ids.push_back(index.GetDocument(h.doc)->id);
  return ids;
}

// A random corpus over a Zipf-like vocabulary: a few very frequent words, many rare ones.
std::string RandomCorpus(size_t docs, uint64_t seed) {
  core::Rng rng(seed);
  std::string out;
  for (size_t d = 0; d < docs; ++d) {
    std::string text;
    const size_t n = 5 + rng.Below(60);
    for (size_t i = 0; i < n; ++i) {
      const uint64_t r = rng.Below(1000);
      const uint64_t word = r < 500 ? rng.Below(5) : r < 900 ? 5 + rng.Below(100) : 105 + rng.Below(3000);
      text += (i ? " w" : "w") + std::to_string(word);
    }
    out += "{\"id\": \"d" + std::to_string(d) + "\", \"text\": \"" + text + "\"}\n";
  }
  return out;
}

}  // namespace

TEST_CASE("terms are case-folded words and adjacent pairs; golden hashes", "[retrieval]") {
  std::vector<uint32_t> words, forms_hashes;
  std::vector<std::string> forms;
  retrieval::WordHashes("Hello, WORLD! 北京大学 don't", &words, &forms);
  CHECK(forms == std::vector<std::string>{"hello", "world", "北", "京", "大", "学", "don", "t"});
  CHECK(words[0] == 0x092B05B1u);
  std::vector<uint32_t> terms, scratch;
  retrieval::Terms("hello world", 0, &terms, &scratch);
  REQUIRE(terms.size() == 3);
  CHECK(terms[2] == 0x6E78A050u);
  // Stopwords make no terms and break bigrams; stems join inflections.
  std::vector<uint32_t> a, b;
  retrieval::Terms("the cats were running", retrieval::kStem | retrieval::kStopwords, &a, &scratch);
  retrieval::Terms("cat runs", retrieval::kStem | retrieval::kStopwords, &b, &scratch);
  CHECK(a.size() == 2);  // "cat", "run": no bigram across "were".
  CHECK(a[0] == b[0]);
  CHECK(a[1] == b[1]);
}

TEST_CASE("an index finds documents by their words and titles, skipping malformed lines", "[retrieval]") {
  testing::TempDir dir;
  IndexBuildResult built;
  const std::string input = Jsonl({{"a", "Paris", "The capital of France is a large city on the Seine."},
                                   {"b", "Berlin", "Berlin is the capital and largest city of Germany."},
                                   {"c", "Cheese", "Camembert is a soft cheese made in Normandy."}}) +
                            "not json\n{\"id\": \"x\"}\n{\"id\": 7, \"text\": \"numbered ids are kept\"}\n\n";
  std::unique_ptr<Index> index = BuildAndOpen(dir, input, &built);
  CHECK(built.documents == 4);
  CHECK(built.skipped == 2);
  CHECK(index->size() == 4);
  std::vector<SearchHit> hits;
  index->Search("What is the capital of Germany?", {}, &hits);
  REQUIRE(!hits.empty());
  CHECK(Ids(*index, hits)[0] == "b");
  index->Search("soft cheese from normandy", {}, &hits);
  CHECK(Ids(*index, hits) == std::vector<std::string>{"c"});
  index->Search("paris", {}, &hits);  // In the title only.
  CHECK(Ids(*index, hits) == std::vector<std::string>{"a"});
  index->Search("numbered", {}, &hits);
  CHECK(Ids(*index, hits) == std::vector<std::string>{"7"});
  index->Search("", {}, &hits);
  CHECK(hits.empty());
  index->Search("zebra", {}, &hits);
  CHECK(hits.empty());
  absl::StatusOr<Document> doc = index->GetDocument(2);
  REQUIRE(doc.ok());
  CHECK(doc->title == "Cheese");
  CHECK(doc->text == "Camembert is a soft cheese made in Normandy.");
  CHECK_FALSE(index->GetDocument(4).ok());
  CHECK(Snippet(doc->text, "normandy", 20).find("Normandy") != std::string::npos);
}

TEST_CASE("MaxScore returns exactly what exhaustive scoring does, BM25 and TF-IDF", "[retrieval]") {
  testing::TempDir dir;
  const std::string corpus = RandomCorpus(1500, 3);  // > 128 documents per frequent word: skip blocks in use.
  std::unique_ptr<Index> index = BuildAndOpen(dir, corpus);
  // Exhaustive scores from the documents' own terms.
  std::vector<std::map<uint32_t, int>> tf(index->size());
  std::map<uint32_t, int> df;
  std::vector<size_t> length(index->size());
  double total = 0;
  std::vector<uint32_t> terms, scratch;
  for (uint32_t d = 0; d < index->size(); ++d) {
    retrieval::Terms(index->GetDocument(d)->text, retrieval::kStem | retrieval::kStopwords, &terms, &scratch);
    length[d] = terms.size();
    total += terms.size();
    for (uint32_t t : terms) ++tf[d][t];
    for (const auto& [t, n] : tf[d]) ++df[t];
  }
  const double n = index->size(), avg = total / n;
  core::Rng rng(9);
  for (int q = 0; q < 40; ++q) {
    std::string query;
    for (int w = 0, words = 1 + static_cast<int>(rng.Below(5)); w < words; ++w) {
      query += " w" + std::to_string(rng.Below(2) ? rng.Below(10) : rng.Below(3100));
    }
    for (const bool bm25 : {true, false}) {
      SearchOptions o;
      o.k = 10;
      o.scoring = bm25 ? SearchOptions::Scoring::kBm25 : SearchOptions::Scoring::kTfIdf;
      std::vector<SearchHit> hits;
      index->Search(query, o, &hits);
      retrieval::Terms(query, retrieval::kStem | retrieval::kStopwords, &terms, &scratch);
      std::sort(terms.begin(), terms.end());
      terms.erase(std::unique(terms.begin(), terms.end()), terms.end());
      std::vector<std::pair<double, uint32_t>> all;
      for (uint32_t d = 0; d < index->size(); ++d) {
        double s = 0;
        for (uint32_t t : terms) {
          const auto it = tf[d].find(t);
          if (it == tf[d].end()) continue;
          const double f = it->second, k = df[t];
          if (bm25) {
            const double idf = std::log(1 + (n - k + 0.5) / (k + 0.5));
            s += idf * f * 1.9 / (f + 0.9 * (1 - 0.4 + 0.4 * length[d] / avg));
          } else {
            s += std::max(0.0, std::log((n - k + 0.5) / (k + 0.5))) * std::log1p(f);
          }
        }
        if (s > 0) all.push_back({-s, d});
      }
      std::sort(all.begin(), all.end());
      INFO("query '" << query << "' " << (bm25 ? "bm25" : "tfidf"));
      REQUIRE(hits.size() == std::min<size_t>(10, all.size()));
      for (size_t i = 0; i < hits.size(); ++i) CHECK(hits[i].score == Approx(-all[i].first).epsilon(1e-4));
    }
  }
}

TEST_CASE("a damaged, truncated or newer index is refused with a clear error", "[retrieval][bad_input]") {
  testing::TempDir dir;
  BuildAndOpen(dir, Jsonl({{"a", "", "alpha beta gamma"}, {"b", "", "beta gamma delta"}}));
  const std::string good = testing::ReadFile(dir.File("test.index"));
  const auto open = [&](const std::string& bytes) {
    testing::WriteFile(dir.File("bad.index"), bytes);
    return Index::Open(dir.File("bad.index"));
  };
  for (size_t cut = 0; cut < good.size(); ++cut) {
    absl::StatusOr<std::unique_ptr<Index>> r = open(good.substr(0, cut));
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == absl::StatusCode::kDataLoss);
  }
  std::string flipped = good;
  flipped[good.size() - 3] ^= 0x40;
  absl::StatusOr<std::unique_ptr<Index>> r = open(flipped);
  REQUIRE_FALSE(r.ok());
  CHECK(std::string(r.status().message()).find("checksum") != std::string::npos);
  for (const uint8_t major : {uint8_t{retrieval::kIndexMajor + 1}, uint8_t{retrieval::kIndexMajor - 1}}) {
    std::string other = good;
    other[8] = static_cast<char>(major);  // Another major version, header checksum made right again.
    const uint32_t crc = core::Crc32cExtend(0, other.data(), retrieval::kHeaderCrcOffset);
    std::memcpy(other.data() + retrieval::kHeaderCrcOffset + 4, &crc, 4);
    r = open(other);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == absl::StatusCode::kFailedPrecondition);
    CHECK(std::string(r.status().message()).find(major > retrieval::kIndexMajor ? "newer" : "older") !=
          std::string::npos);
    // An older file is refused as such even when it is shorter than this version's header.
    r = open(other.substr(0, 64));
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == absl::StatusCode::kFailedPrecondition);
  }
  CHECK(Index::Open(dir.File("missing.index")).status().code() == absl::StatusCode::kNotFound);
}

TEST_CASE("every document comes back as it went in; the same input gives the same file", "[retrieval]") {
  testing::TempDir dir;
  // Long enough for several store blocks and a trained zstd dictionary; terms of one document with tf > 1.
  std::string corpus = RandomCorpus(3000, 11);
  corpus += Jsonl({{"rep", "Once", "zyxwv zyxwv zyxwv unique words here"}, {"", "", "Ünïcödé 北京大学 text"}});
  std::unique_ptr<Index> index = BuildAndOpen(dir, corpus);
  const std::string first = testing::ReadFile(dir.File("test.index"));
  REQUIRE(index->size() == 3002);
  size_t line = 0;
  for (size_t pos = 0; pos < corpus.size(); ++line) {
    const size_t end = corpus.find('\n', pos);
    const std::string json = corpus.substr(pos, end - pos);
    pos = end + 1;
    absl::StatusOr<Document> doc = index->GetDocument(static_cast<uint32_t>(line));
    REQUIRE(doc.ok());
    CHECK(json.find("\"text\": \"" + doc->text + "\"") != std::string::npos);
    if (!doc->title.empty()) CHECK(json.find("\"title\": \"" + doc->title + "\"") != std::string::npos);
  }
  std::vector<SearchHit> hits;
  index->Search("zyxwv", {}, &hits);
  REQUIRE(hits.size() == 1);
  CHECK(hits[0].doc == 3000);
  index->Search("北京", {}, &hits);
  REQUIRE(hits.size() == 1);
  CHECK(hits[0].doc == 3001);
  index.reset();
  BuildAndOpen(dir, corpus);
  CHECK(testing::ReadFile(dir.File("test.index")) == first);
}

TEST_CASE("damaged bytes behind good checksums end lists or fail cleanly, never read out of bounds",
          "[retrieval][bad_input]") {
  testing::TempDir dir;
  BuildAndOpen(dir, RandomCorpus(400, 21));  // Skip tables, several store blocks, a zstd dictionary.
  const std::string good = testing::ReadFile(dir.File("test.index"));
  core::Rng rng(5);
  int opened = 0;
  for (int round = 0; round < 300; ++round) {
    std::string bad = good;
    for (int flips = 1 + static_cast<int>(rng.Below(4)); flips > 0; --flips) {
      // Mostly in the sections, sometimes in the header's counts and section table.
      const size_t at = rng.Below(4) == 0 ? 8 + rng.Below(retrieval::kHeaderCrcOffset - 8)
                                          : retrieval::kHeaderBytes + rng.Below(bad.size() - retrieval::kHeaderBytes);
      bad[at] = static_cast<char>(bad[at] ^ (1 << rng.Below(8)));
    }
    const uint32_t body = core::Crc32cExtend(0, bad.data() + retrieval::kHeaderBytes, bad.size() - retrieval::kHeaderBytes);
    std::memcpy(bad.data() + retrieval::kHeaderCrcOffset, &body, 4);
    const uint32_t header = core::Crc32cExtend(0, bad.data(), retrieval::kHeaderCrcOffset);
    std::memcpy(bad.data() + retrieval::kHeaderCrcOffset + 4, &header, 4);
    testing::WriteFile(dir.File("bad.index"), bad);
    absl::StatusOr<std::unique_ptr<Index>> index = Index::Open(dir.File("bad.index"));
    if (!index.ok()) continue;
    ++opened;
    std::vector<SearchHit> hits;
    for (const char* q : {"w1 w2", "w7 w300", "w1000 w4"}) {
      (*index)->Search(q, {}, &hits);
      for (const SearchHit& h : hits) REQUIRE(h.doc < (*index)->size());
    }
    for (uint32_t d = 0; d < (*index)->size(); d += 37) (void)(*index)->GetDocument(d);
  }
  CHECK(opened > 0);
}

TEST_CASE("a failed build leaves the previous index in place", "[retrieval][bad_input]") {
  testing::TempDir dir;
  BuildAndOpen(dir, Jsonl({{"a", "", "alpha beta"}}));
  const std::string before = testing::ReadFile(dir.File("test.index"));
  testing::WriteFile(dir.File("empty.jsonl"), "not json\n");
  IndexBuildOptions o;
  o.input_paths = {dir.File("empty.jsonl")};
  o.format = "jsonl";
  o.output_path = dir.File("test.index");
  CHECK(BuildIndex(o).status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(testing::ReadFile(dir.File("test.index")) == before);
}

TEST_CASE("many threads search one index and agree with one thread", "[retrieval][threads]") {
  testing::TempDir dir;
  std::unique_ptr<Index> index = BuildAndOpen(dir, RandomCorpus(400, 5));
  const std::vector<std::string> queries = {"w1 w7", "w200 w3", "w42", "w5 w6 w7 w8"};
  std::vector<std::vector<SearchHit>> expected(queries.size());
  for (size_t i = 0; i < queries.size(); ++i) index->Search(queries[i], {}, &expected[i]);
  std::vector<int> mismatches(6, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      std::vector<SearchHit> hits;
      for (int round = 0; round < 50; ++round) {
        for (size_t i = 0; i < queries.size(); ++i) {
          index->Search(queries[i], {}, &hits);
          bool same = hits.size() == expected[i].size();
          for (size_t h = 0; same && h < hits.size(); ++h) same = hits[h].doc == expected[i][h].doc;
          mismatches[t] += !same;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int m : mismatches) CHECK(m == 0);
}

TEST_CASE("the shipped reranker reorders the first stage's hits, keeping every one", "[retrieval][rerank]") {
  testing::TempDir dir;
  std::unique_ptr<Index> index = BuildAndOpen(
      dir, Jsonl({{"a", "Moon", "The Moon landing was in 1969, when Apollo 11 landed."},
                  {"b", "Apollo", "Apollo is a god in Greek mythology; the landing page of the temple."},
                  {"c", "Cheese", "Camembert is a soft cheese."}}));
  absl::StatusOr<std::unique_ptr<Reranker>> reranker = Reranker::Load(testing::ShippedModel("rerank.slim"));
  REQUIRE(reranker.ok());
  std::vector<SearchHit> hits;
  index->Search("When was the Apollo moon landing?", {}, &hits);
  REQUIRE(hits.size() == 2);
  std::vector<SearchHit> reranked = hits;
  REQUIRE((*reranker)->Rerank(*index, "When was the Apollo moon landing?", &reranked).ok());
  REQUIRE(reranked.size() == 2);
  CHECK(Ids(*index, reranked)[0] == "a");
  for (const auto& h : reranked) CHECK((h.score >= 0 && h.score <= 1));
  CHECK(reranked[0].score >= reranked[1].score);
  CHECK(Reranker::Load(testing::ShippedModel("langid.slim")).status().code() == absl::StatusCode::kInvalidArgument);
}

TEST_CASE("a collection in shards ranks and scores as one index over all of it", "[retrieval][sharded]") {
  testing::TempDir dir;
  const std::string corpus = RandomCorpus(900, 11);
  std::unique_ptr<Index> whole = BuildAndOpen(dir, corpus);
  // The same lines in three shards of unequal sizes, built apart: each has its own statistics.
  std::vector<std::string> lines;
  for (size_t at = 0, nl; (nl = corpus.find('\n', at)) != std::string::npos; at = nl + 1) {
    lines.push_back(corpus.substr(at, nl + 1 - at));
  }
  std::vector<std::string> paths;
  const size_t cuts[] = {0, 150, 600, lines.size()};
  for (int s = 0; s < 3; ++s) {
    std::string part;
    for (size_t i = cuts[s]; i < cuts[s + 1]; ++i) part += lines[i];
    testing::WriteFile(dir.File("part" + std::to_string(s)), part);
    IndexBuildOptions o;
    o.input_paths = {dir.File("part" + std::to_string(s))};
    o.output_path = dir.File("shard" + std::to_string(s));
    REQUIRE(BuildIndex(o).ok());
    paths.push_back(o.output_path);
  }
  absl::StatusOr<std::unique_ptr<ShardedIndex>> sharded = ShardedIndex::Open(paths);
  REQUIRE(sharded.ok());
  REQUIRE((*sharded)->size() == whole->size());
  REQUIRE((*sharded)->shards() == 3);
  for (uint32_t d : {0u, 149u, 150u, 599u, 600u, static_cast<uint32_t>(whole->size() - 1)}) {
    CHECK((*sharded)->GetDocument(d)->id == whole->GetDocument(d)->id);
  }
  CHECK(absl::IsOutOfRange((*sharded)->GetDocument(static_cast<uint32_t>(whole->size())).status()));

  core::Rng rng(5);
  size_t differs_alone = 0;
  for (int q = 0; q < 60; ++q) {
    std::string query;
    for (int w = 0, words = 1 + static_cast<int>(rng.Below(4)); w < words; ++w) {
      query += " w" + std::to_string(rng.Below(2) ? rng.Below(10) : rng.Below(2000));
    }
    for (const bool bm25 : {true, false}) {
      SearchOptions o;
      o.k = 10;
      o.scoring = bm25 ? SearchOptions::Scoring::kBm25 : SearchOptions::Scoring::kTfIdf;
      std::vector<SearchHit> expected, got;
      whole->Search(query, o, &expected);
      (*sharded)->Search(query, o, &got);
      INFO("query '" << query << "' " << (bm25 ? "bm25" : "tfidf"));
      REQUIRE(got.size() == expected.size());
      for (size_t i = 0; i < got.size(); ++i) {
        CHECK(got[i].doc == expected[i].doc);
        CHECK(got[i].score == Approx(expected[i].score).epsilon(1e-6));
      }
      // The test has teeth: a shard searched alone (its own statistics) scores its documents otherwise.
      absl::StatusOr<std::unique_ptr<Index>> alone = Index::Open(paths[1]);
      REQUIRE(alone.ok());
      std::vector<SearchHit> local;
      (*alone)->Search(query, o, &local);
      for (const SearchHit& h : local) {
        for (const SearchHit& e : expected) {
          if (e.doc == h.doc + 150 && std::abs(e.score - h.score) > 1e-4 * e.score) ++differs_alone;
        }
      }
    }
  }
  CHECK(differs_alone > 10);

  // The reranker reads documents through the sharded index as through one index.
  absl::StatusOr<std::unique_ptr<Reranker>> reranker = Reranker::Load(SLIMNLP_SOURCE_DIR "/models/rerank.slim");
  REQUIRE(reranker.ok());
  for (const char* query : {"w1 w7 w200", "w3 w250 w9"}) {
    SearchOptions o;
    o.k = 20;
    std::vector<SearchHit> expected, got;
    whole->Search(query, o, &expected);
    (*sharded)->Search(query, o, &got);
    REQUIRE((*reranker)->Rerank(*whole, query, &expected).ok());
    REQUIRE((*reranker)->Rerank(**sharded, query, &got).ok());
    REQUIRE(got.size() == expected.size());
    for (size_t i = 0; i < got.size(); ++i) {
      CHECK(got[i].doc == expected[i].doc);
      CHECK(got[i].score == Approx(expected[i].score).epsilon(1e-5));
    }
  }

  IndexBuildOptions other;
  other.input_paths = {dir.File("part0")};
  other.output_path = dir.File("nostem");
  other.stem = false;
  REQUIRE(BuildIndex(other).ok());
  absl::StatusOr<std::unique_ptr<ShardedIndex>> mixed = ShardedIndex::Open({paths[0], other.output_path});
  CHECK(absl::IsInvalidArgument(mixed.status()));
  CHECK(absl::IsInvalidArgument(ShardedIndex::Open({}).status()));
  CHECK(absl::IsNotFound(ShardedIndex::Open({paths[0], dir.File("missing")}).status()));
}

// Issue 15: `train rerank --hidden 0` wrote a model that `search --rerank` refused ("bad hidden size 0").
TEST_CASE("a reranker trained with --hidden 0 loads; a width the loader refuses is refused before training",
          "[retrieval][rerank][train]") {
  testing::TempDir dir;
  std::unique_ptr<Index> index = BuildAndOpen(dir, RandomCorpus(300, 5));
  std::string questions;
  for (int d = 0; d < 60; ++d) {
    absl::StatusOr<Document> doc = index->GetDocument(static_cast<uint32_t>(d));
    REQUIRE(doc.ok());
    questions += "{\"question\": \"" + doc->text.substr(0, doc->text.find(' ', 12)) + "\", \"gold\": [\"" + doc->id + "\"]}\n";
  }
  testing::WriteFile(dir.File("questions.jsonl"), questions);
  RerankTrainOptions o;
  o.sets = {{dir.File("test.index"), dir.File("questions.jsonl")}};
  o.output_path = dir.File("rerank.slim");
  o.budget_bytes = 64 * 1024;
  o.epochs = 1;
  o.hidden = 5000;
  absl::StatusOr<RerankTrainResult> refused = TrainReranker(o);
  REQUIRE_FALSE(refused.ok());
  CHECK_THAT(std::string(refused.status().message()), Catch::Contains("1 to 4096"));
  o.hidden = 0;
  absl::StatusOr<RerankTrainResult> trained = TrainReranker(o);
  REQUIRE(trained.ok());
  absl::StatusOr<std::unique_ptr<Reranker>> loaded = Reranker::Load(o.output_path);
  INFO((loaded.ok() ? "" : std::string(loaded.status().message())));
  REQUIRE(loaded.ok());
  std::vector<SearchHit> hits;
  index->Search("w1 w2 w3", {}, &hits);
  CHECK((*loaded)->Rerank(*index, "w1 w2 w3", &hits).ok());
}
