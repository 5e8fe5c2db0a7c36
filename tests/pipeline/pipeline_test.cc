// The pipeline: language identification, segmentation and tagging over the shipped models; languages without
// models; bad input; a damaged model; many threads.
#include "slimnlp/pipeline.h"
#include "slimnlp/retrieval.h"

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

TEST_CASE("every model loads from memory (FromBytes) as from its file, and bad bytes name their source",
          "[pipeline][load]") {
  const std::string seg_bytes = testing::ReadFile(testing::ShippedModel("seg-en.slim"));
  const std::string pos_bytes = testing::ReadFile(testing::ShippedModel("pos-en.slim"));
  const std::string rerank_bytes = testing::ReadFile(testing::ShippedModel("rerank.slim"));
  const std::string lid_bytes = testing::ReadFile(testing::ShippedModel("langid.slim"));
  absl::StatusOr<std::unique_ptr<Segmenter>> seg = Segmenter::FromBytes(seg_bytes, "embedded seg-en");
  absl::StatusOr<std::unique_ptr<Tagger>> tagger = Tagger::FromBytes(pos_bytes, "embedded pos-en");
  absl::StatusOr<std::unique_ptr<Reranker>> reranker = Reranker::FromBytes(rerank_bytes, "embedded rerank");
  absl::StatusOr<std::unique_ptr<LanguageIdentifier>> lid = LanguageIdentifier::FromBytes(lid_bytes, "embedded langid");
  REQUIRE(seg.ok());
  REQUIRE(tagger.ok());
  REQUIRE(reranker.ok());
  REQUIRE(lid.ok());
  absl::StatusOr<std::unique_ptr<Segmenter>> seg_file = Segmenter::Load(testing::ShippedModel("seg-en.slim"));
  REQUIRE(seg_file.ok());
  std::vector<std::string> a, b;
  (*seg)->SegmentWords("I don't know, it's fine.", &a);
  (*seg_file)->SegmentWords("I don't know, it's fine.", &b);
  CHECK(a == b);
  std::vector<std::string_view> tags;
  REQUIRE((*tagger)->Tag({"The", "cat", "sleeps"}, &tags).ok());
  CHECK(tags[1] == "NOUN");

  const std::string cut = seg_bytes.substr(0, seg_bytes.size() / 2);
  for (const absl::Status& s : {Segmenter::FromBytes(cut, "my-seg").status(), Tagger::FromBytes(cut, "my-seg").status(),
                                Reranker::FromBytes(cut, "my-seg").status()}) {
    CHECK_FALSE(s.ok());
    CHECK_THAT(std::string(s.message()), Catch::Contains("my-seg"));
  }
  // A model of another task is refused by what it is.
  CHECK_THAT(std::string(Tagger::FromBytes(seg_bytes, "x").status().message()), Catch::Contains("not a part-of-speech model"));
  CHECK_THAT(std::string(Reranker::FromBytes(pos_bytes, "x").status().message()), Catch::Contains("not a reranker model"));
}

// Issue 19: a program calling the segmenter and then the tagger got don't/AUX where `slimnlp tag` gives
// do/AUX n't/PART. SegmentWords gives the words the CLI tags.
TEST_CASE("the segmenter and tagger called directly split and tag multiword tokens as the CLI does",
          "[pipeline][multiword]") {
  absl::StatusOr<std::unique_ptr<Segmenter>> seg = Segmenter::Load(testing::ShippedModel("seg-en.slim"));
  absl::StatusOr<std::unique_ptr<Tagger>> tagger = Tagger::Load(testing::ShippedModel("pos-en.slim"));
  REQUIRE(seg.ok());
  REQUIRE(tagger.ok());
  const std::string text = "I don't know why it's here";
  std::vector<std::string> words;
  (*seg)->SegmentWords(text, &words);
  std::vector<std::string_view> views(words.begin(), words.end()), tags;
  REQUIRE((*tagger)->Tag(views, &tags).ok());
  std::string direct;
  for (size_t i = 0; i < words.size(); ++i) direct += (i ? " " : "") + words[i] + "/" + std::string(tags[i]);
  CHECK_THAT(direct, Catch::Contains("do/AUX n't/PART"));

  testing::TempDir dir;
  testing::WriteFile(dir.File("in"), text + "\n");
  const std::string cmd = testing::CliPath() + " tag --model " + testing::ShippedModel("pos-en.slim") + " < " +
                          dir.File("in") + " > " + dir.File("out");
  REQUIRE(std::system(cmd.c_str()) == 0);
  CHECK(testing::ReadFile(dir.File("out")) == direct + "\n");
}
