// Everything a server thread touches, shared by many threads at once: one pipeline (languages loaded on first
// use, concurrently), one index (search, documents from zstd blocks), one reranker, the identifier's top-k and
// spans. Each thread interleaves them differently; every answer must equal the single-threaded one. Run under
// ThreadSanitizer by tools/test.sh --sanitize (tag [threads]).
#include <catch2/catch.hpp>
#include <thread>

#include "slimnlp/pipeline.h"
#include "slimnlp/retrieval.h"
#include "tests/test_util.h"

using namespace slimnlp;

namespace {

std::unique_ptr<Pipeline> LoadPipeline(bool preload) {
  PipelineOptions o;
  o.models_dir = testing::SourceDir() + "/models";
  o.preload = preload;
  absl::StatusOr<std::unique_ptr<Pipeline>> p = Pipeline::Load(o);
  REQUIRE(p.ok());
  return *std::move(p);
}


// One unit of work, chosen by `what`, as text that captures the whole answer.
std::string Work(int what, const Pipeline& p, const Index& index, const Reranker& reranker, const std::string& text) {
  std::string out;
  switch (what % 4) {
    case 0: {
      absl::StatusOr<Annotation> a = p.Annotate(text);
      if (!a.ok()) return "error: " + std::string(a.status().message());
      out = a->language;
      for (const Word& w : a->words) out += " " + std::string(w.form) + "/" + std::string(w.upos);
      return out;
    }
    case 1: {
      std::vector<LanguageGuess> top;
      if (!p.identifier().IdentifyTopK(text, 3, &top).ok()) return "error";
      for (const LanguageGuess& g : top) out += std::string(g.language) + " ";
      std::vector<LanguageSpan> spans;
      if (!p.identifier().IdentifySpans(text, &spans).ok()) return "error";
      out += std::to_string(spans.size());
      return out;
    }
    default: {
      std::vector<SearchHit> hits;
      index.Search(text, {}, &hits);
      if (what % 4 == 3 && !reranker.Rerank(index, text, &hits).ok()) return "error";
      for (const SearchHit& h : hits) {
        absl::StatusOr<Document> d = index.GetDocument(h.doc);
        if (!d.ok()) return "error";
        out += d->id + ":" + d->text.substr(0, 8) + " ";
      }
      return out;
    }
  }
}

}  // namespace

TEST_CASE("many threads share one pipeline, one index and one reranker, and agree with one thread",
          "[pipeline][retrieval][threads]") {
  testing::TempDir dir;
  const std::vector<std::string> texts = {"Je vais au marché avec ma sœur.", "The cat sat on the mat near the door.",
                                          "Ich habe heute keine Zeit für den Markt.", "北京大学的学生在图书馆看书。",
                                          "Il gatto dorme sul divano del salotto.", "O gato dorme no sofá da sala."};
  std::string corpus;
  for (size_t i = 0; i < 200; ++i) {
    corpus += "{\"id\": \"d" + std::to_string(i) + "\", \"text\": \"" + texts[i % texts.size()] + " document " +
              std::to_string(i) + " about the market and the cat\"}\n";
  }
  testing::WriteFile(dir.File("c.jsonl"), corpus);
  IndexBuildOptions b;
  b.input_paths = {dir.File("c.jsonl")};
  b.output_path = dir.File("c.index");
  b.stem = false;  // Texts in several languages.
  REQUIRE(BuildIndex(b).ok());
  absl::StatusOr<std::unique_ptr<Index>> index = Index::Open(b.output_path);
  REQUIRE(index.ok());
  absl::StatusOr<std::unique_ptr<Reranker>> reranker = Reranker::Load(testing::ShippedModel("rerank.slim"));
  REQUIRE(reranker.ok());

  // Expected answers from a pipeline with everything loaded, one thread.
  std::vector<std::vector<std::string>> expected(4, std::vector<std::string>(texts.size()));
  {
    std::unique_ptr<Pipeline> single = LoadPipeline(true);
    for (int what = 0; what < 4; ++what) {
      for (size_t i = 0; i < texts.size(); ++i) expected[what][i] = Work(what, *single, **index, **reranker, texts[i]);
    }
  }
  const std::unique_ptr<Pipeline> shared = LoadPipeline(false);  // Loads languages as threads first ask.
  constexpr int kThreads = 8, kRounds = 12;
  std::vector<int> mismatches(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < kRounds; ++round) {
        const int what = (t + round) % 4;
        const size_t i = static_cast<size_t>(t * 7 + round * 5) % texts.size();
        if (Work(what, *shared, **index, **reranker, texts[i]) != expected[what][i]) ++mismatches[t];
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int t = 0; t < kThreads; ++t) {
    INFO("thread " << t);
    CHECK(mismatches[t] == 0);
  }
  CHECK(expected[0][3].find("error") == std::string::npos);
  CHECK(expected[2][0].size() > 10);  // Searches found documents.
}
