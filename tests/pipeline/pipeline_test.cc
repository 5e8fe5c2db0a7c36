// The pipeline: language identification, segmentation and tagging over the shipped models; languages without
// models; bad input; a damaged model; many threads.
#include "slimnlp/pipeline.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <thread>

#include "tests/test_util.h"

using namespace slimnlp;

namespace {

std::unique_ptr<Pipeline> Shipped(bool preload = false) {
  PipelineOptions o;
  o.models_dir = testing::SourceDir() + "/models";
  o.preload = preload;
  absl::StatusOr<std::unique_ptr<Pipeline>> p = Pipeline::Load(o);
  REQUIRE(p.ok());
  return *std::move(p);
}

std::string Forms(const Annotation& a) {
  std::string s;
  for (const Word& w : a.words) s += (s.empty() ? "" : " ") + w.form + "/" + std::string(w.upos);
  return s;
}

}  // namespace

TEST_CASE("the pipeline identifies, segments and tags French with its multiword tokens", "[pipeline]") {
  std::unique_ptr<Pipeline> p = Shipped();
  const std::string text = "Je vais au marché.";
  absl::StatusOr<Annotation> a = p->Annotate(text);
  REQUIRE(a.ok());
  CHECK(a->language == "fr");
  CHECK(a->reliable);
  CHECK(a->segmented);
  CHECK(a->tagged);
  CHECK(Forms(*a) == "Je/PRON vais/VERB à/ADP le/DET marché/NOUN ./PUNCT");
  // "au" is one token of two words: both carry its span, the first its number of words.
  REQUIRE(a->words.size() == 6);
  CHECK(a->words[2].token_words == 2);
  CHECK(a->words[3].token_words == 0);
  CHECK(text.substr(a->words[3].span.begin, a->words[3].span.end - a->words[3].span.begin) == "au");
}

TEST_CASE("Chinese is segmented by its model, every byte in some token", "[pipeline]") {
  std::unique_ptr<Pipeline> p = Shipped();
  const std::string text = "北京大学的学生在图书馆看书。";
  absl::StatusOr<Annotation> a = p->Annotate(text);
  REQUIRE(a.ok());
  CHECK(a->language.rfind("zh", 0) == 0);
  CHECK(a->segmented);
  REQUIRE(a->words.size() > 3);
  CHECK(a->words.front().span.begin == 0);
  CHECK(a->words.back().span.end == text.size());
  for (size_t i = 1; i < a->words.size(); ++i) CHECK(a->words[i].span.begin == a->words[i - 1].span.end);
}

TEST_CASE("a language without models gets the simple tokenizer and no tags, and never becomes a path",
          "[pipeline][bad_input]") {
  std::unique_ptr<Pipeline> p = Shipped();
  for (const char* language : {"xx", "../models/pos-en", "/etc/passwd", ""}) {
    absl::StatusOr<Annotation> a = p->AnnotateAs("Hello, world.", language);
    REQUIRE(a.ok());
    CHECK_FALSE(a->segmented);
    CHECK_FALSE(a->tagged);
    CHECK(Forms(*a) == "Hello/_ ,/_ world/_ ./_");
    absl::StatusOr<const Tagger*> t = p->tagger(language);
    REQUIRE(t.ok());
    CHECK(*t == nullptr);
  }
  absl::StatusOr<Annotation> en = p->AnnotateAs("Hello, world.", "en-US");
  REQUIRE(en.ok());
  CHECK(en->tagged);
}

TEST_CASE("invalid UTF-8 is an error naming the byte, and empty text has no words", "[pipeline][bad_input]") {
  std::unique_ptr<Pipeline> p = Shipped();
  absl::StatusOr<Annotation> bad = p->Annotate("caf\xc3 au lait");
  REQUIRE_FALSE(bad.ok());
  CHECK(absl::IsInvalidArgument(bad.status()));
  CHECK_THAT(std::string(bad.status().message()), Catch::Contains("byte 3"));
  absl::StatusOr<Annotation> empty = p->Annotate("");
  REQUIRE(empty.ok());
  CHECK(empty->words.empty());
  CHECK(empty->language == "und");
}

TEST_CASE("a missing directory or a damaged model is a clear error", "[pipeline][bad_input]") {
  PipelineOptions o;
  o.models_dir = "/nonexistent/models";
  absl::StatusOr<std::unique_ptr<Pipeline>> missing = Pipeline::Load(o);
  REQUIRE_FALSE(missing.ok());
  CHECK(absl::IsNotFound(missing.status()));

  testing::TempDir dir;
  std::filesystem::copy_file(testing::ShippedModel("langid.slim"), dir.File("langid.slim"));
  testing::WriteFile(dir.File("pos-en.slim"), "not a model");
  o.models_dir = dir.path();
  absl::StatusOr<std::unique_ptr<Pipeline>> lazy = Pipeline::Load(o);
  REQUIRE(lazy.ok());
  CHECK((*lazy)->languages() == std::vector<std::string>{"en"});
  absl::StatusOr<Annotation> a = (*lazy)->AnnotateAs("Hello.", "en");
  REQUIRE_FALSE(a.ok());
  CHECK_THAT(std::string(a.status().message()), Catch::Contains("pos-en.slim"));
  o.preload = true;
  CHECK_FALSE(Pipeline::Load(o).ok());
}

TEST_CASE("many threads share one pipeline, loading languages on first use, and agree with one thread",
          "[pipeline][threads]") {
  std::unique_ptr<Pipeline> p = Shipped();
  const std::vector<std::string> texts = {"Je vais au marché.", "The cat sat on the mat.", "Ich habe keine Zeit.",
                                          "北京大学的学生在图书馆看书。", "Il gatto dorme sul divano.",
                                          "O gato dorme no sofá."};
  std::vector<std::string> expected;
  {
    std::unique_ptr<Pipeline> single = Shipped(/*preload=*/true);
    for (const auto& t : texts) expected.push_back(Forms(*single->Annotate(t)));
  }
  std::vector<int> mismatches(6, 0);
  std::vector<std::thread> threads;
  for (int k = 0; k < 6; ++k) {
    threads.emplace_back([&, k] {
      for (int round = 0; round < 20; ++round) {
        const size_t i = (k + round) % texts.size();
        absl::StatusOr<Annotation> a = p->Annotate(texts[i]);
        if (!a.ok() || Forms(*a) != expected[i]) ++mismatches[k];
      }
    });
  }
  for (auto& t : threads) t.join();
  for (int m : mismatches) CHECK(m == 0);
}
