// Segmentation: gold tokens from CoNLL-U, labels and spans, training on a toy corpus, bad input, long text,
// and the shipped models on the shared data.
#include "slimnlp/segmenter.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <thread>

#include "src/core/classifier.h"
#include "src/core/conllu.h"
#include "src/core/rng.h"
#include "src/segment/gold_tokens.h"
#include "src/segment/multiword.h"
#include "src/segment/seg_features.h"
#include "tests/test_util.h"

using namespace slimnlp;

namespace {

core::ConlluSentence ParseOne(const std::string& text) {
  testing::TempDir dir;
  testing::WriteFile(dir.File("s.conllu"), text);
  absl::StatusOr<std::vector<core::ConlluSentence>> s = core::ReadConllu(dir.File("s.conllu"));
  REQUIRE(s.ok());
  REQUIRE(s->size() == 1);
  return (*s)[0];
}

std::string Row(int id, const std::string& form, const std::string& misc = "_") {
  return std::to_string(id) + "\t" + form + "\t_\tX\t_\t_\t_\t_\t_\t" + misc + "\n";
}

std::vector<std::string> Words(std::string_view text, const std::vector<TextSpan>& spans) {
  std::vector<std::string> out;
  for (const auto& s : spans) out.emplace_back(text.substr(s.begin, s.end - s.begin));
  return out;
}

// A toy unsegmented language: words from a small lexicon written without spaces, "." at the end.
std::string ToyTreebank(size_t sentences, uint64_t seed) {
  const std::vector<std::string> words = {"ka", "lomi", "tu", "sepa", "ri", "nanoka", "pe", "ulu"};
  core::Rng rng(seed);
  std::string out;
  for (size_t s = 0; s < sentences; ++s) {
    const size_t n = 2 + rng.Below(5);
    std::string text;
    std::string rows;
    for (size_t i = 0; i < n; ++i) {
      const std::string& w = words[rng.Below(words.size())];
      text += w;
      rows += Row(static_cast<int>(i + 1), w, "SpaceAfter=No");
    }
    out += "# text = " + text + ".\n" + rows + Row(static_cast<int>(n + 1), ".", "SpaceAfter=No") + "\n";
  }
  return out;
}

std::unique_ptr<Segmenter> TrainToy(const testing::TempDir& dir) {
  testing::WriteFile(dir.File("train.conllu"), ToyTreebank(600, 1));
  testing::WriteFile(dir.File("dev.conllu"), ToyTreebank(60, 2));
  SegmentTrainOptions o;
  o.train_path = dir.File("train.conllu");
  o.dev_path = dir.File("dev.conllu");
  o.output_path = dir.File("toy.slim");
  o.budget_bytes = 64 * 1024;
  o.hidden = 32;
  o.epochs = 4;
  o.language = "toy";
  absl::StatusOr<SegmentTrainResult> r = TrainSegmenter(o);
  REQUIRE(r.ok());
  CHECK(r->dev_f1 > 0.95);
  CHECK(r->file_bytes <= o.budget_bytes);
  CHECK(r->memory_bytes <= o.budget_bytes);
  absl::StatusOr<std::unique_ptr<Segmenter>> s = Segmenter::Load(o.output_path);
  REQUIRE(s.ok());
  CHECK((*s)->language() == "toy");
  return *std::move(s);
}

// Every byte that is not white space lies in exactly one token; tokens are in order and never empty.
void CheckCoverage(std::string_view text, const std::vector<TextSpan>& tokens) {
  size_t pos = 0;
  for (const auto& t : tokens) {
    REQUIRE(t.begin >= pos);
    REQUIRE(t.end > t.begin);
    for (size_t b = pos; b < t.begin; ++b) REQUIRE((text[b] == ' ' || text[b] == '\n'));
    pos = t.end;
  }
  REQUIRE(pos <= text.size());
  for (size_t b = pos; b < text.size(); ++b) REQUIRE(text[b] == ' ');
}

}  // namespace

TEST_CASE("gold tokens are found in the sentence text, multiword tokens as one", "[segment]") {
  const auto s = ParseOne("# text = Don't go du x.\n" + Row(1, "Do", "SpaceAfter=No") + Row(2, "n't") + Row(3, "go") +
                          "4-5\tdu\t_\t_\t_\t_\t_\t_\t_\t_\n" + Row(4, "de") + Row(5, "le") + Row(6, "x", "SpaceAfter=No") +
                          Row(7, ".") + "\n");
  absl::StatusOr<segment::GoldText> g = segment::GoldTokens(s, segment::JoinRule::kSpaceAfter);
  REQUIRE(g.ok());
  CHECK(Words(g->text, g->tokens) == std::vector<std::string>{"Do", "n't", "go", "du", "x", "."});
}

TEST_CASE("without a text line the tokens are joined as the rule says", "[segment]") {
  const auto s = ParseOne(Row(1, "看似") + Row(2, "簡單") + Row(3, ",") + "\n");
  absl::StatusOr<segment::GoldText> nothing = segment::GoldTokens(s, segment::JoinRule::kNothing);
  REQUIRE(nothing.ok());
  CHECK(nothing->text == "看似簡單,");
  absl::StatusOr<segment::GoldText> spaced = segment::GoldTokens(s, segment::JoinRule::kSpaceAfter);
  REQUIRE(spaced.ok());
  CHECK(spaced->text == "看似 簡單 ,");
  CHECK(Words(spaced->text, spaced->tokens) == std::vector<std::string>{"看似", "簡單", ","});
}

TEST_CASE("a token missing from the text is an error naming the sentence's line", "[segment][bad_input]") {
  const auto s = ParseOne("# text = abc\n" + Row(1, "abd") + "\n");
  absl::StatusOr<segment::GoldText> g = segment::GoldTokens(s, segment::JoinRule::kSpaceAfter);
  REQUIRE_FALSE(g.ok());
  CHECK(std::string(g.status().message()).find("line 1") != std::string::npos);
}

TEST_CASE("labels and spans convert both ways, and any label sequence gives covering tokens", "[segment]") {
  const std::vector<uint32_t> offsets = {0, 1, 2, 3, 4, 5, 6, 7};  // 7 one-byte characters.
  const std::vector<TextSpan> gold = {{0, 3}, {4, 5}, {5, 7}};      // "abc" " " "d" "ef"
  std::vector<int> labels;
  segment::LabelsFromSpans(gold, offsets.data(), 7, &labels);
  using namespace segment;
  CHECK(labels == std::vector<int>{kB, kI, kE, kO, kS, kB, kE});
  std::vector<TextSpan> back;
  SpanBuilder builder(&back);
  for (size_t i = 0; i < labels.size(); ++i) builder.Add(labels[i], offsets[i], offsets[i + 1]);
  builder.Finish();
  CHECK(back == gold);
  // Ill-formed sequences still give tokens: I without B opens one, B while open closes the previous.
  back.clear();
  SpanBuilder odd(&back);
  const std::vector<int> bad = {kI, kB, kB, kO, kE, kI};
  for (size_t i = 0; i < bad.size(); ++i) odd.Add(bad[i], i, i + 1);
  odd.Finish();
  CHECK(back == std::vector<TextSpan>{{0, 1}, {1, 2}, {2, 3}, {4, 5}, {5, 6}});
}

TEST_CASE("a segmenter trained on a toy language splits its words", "[segment][train]") {
  testing::TempDir dir;
  std::unique_ptr<Segmenter> seg = TrainToy(dir);
  std::vector<TextSpan> tokens;
  const std::string text = "lomitunanokaulu.";
  seg->Segment(text, &tokens);
  CHECK(Words(text, tokens) == std::vector<std::string>{"lomi", "tu", "nanoka", "ulu", "."});
  testing::WriteFile(dir.File("test.conllu"), ToyTreebank(100, 3));
  absl::StatusOr<SegmentEvalReport> r = EvaluateSegmenter(*seg, dir.File("test.conllu"));
  REQUIRE(r.ok());
  CHECK(r->f1 > 0.95);
  CHECK(r->gold_tokens > 300);
}

TEST_CASE("invalid UTF-8, spaces and texts longer than a piece are segmented with every byte kept",
          "[segment][bad_input]") {
  testing::TempDir dir;
  std::unique_ptr<Segmenter> seg = TrainToy(dir);
  std::vector<TextSpan> tokens;
  const std::string bad = "lomi\xff\xfetu  sepa\xc3";
  seg->Segment(bad, &tokens);
  CheckCoverage(bad, tokens);
  // U+001C..U+001F are separators to ICU's white-space test but not Unicode white space: they are kept.
  const std::string separators = "lomi\x1c\x1dtu\x1e\x1fsepa";
  seg->Segment(separators, &tokens);
  CheckCoverage(separators, tokens);
  seg->Segment("", &tokens);
  CHECK(tokens.empty());
  // Many pieces: the result equals segmenting each sentence alone (cuts cost nothing when they fall between
  // sentences' context) in count, and covers every byte.
  std::string sentence = "lomitunanokaulu. ";
  std::string longer;
  while (longer.size() < 5 * Segmenter::kPieceCharacters) longer += sentence;
  seg->Segment(longer, &tokens);
  CheckCoverage(longer, tokens);
  std::vector<TextSpan> one;
  seg->Segment(sentence, &one);
  CHECK(tokens.size() == one.size() * (longer.size() / sentence.size()));
}

TEST_CASE("loading refuses a model of another task", "[segment][bad_input]") {
  absl::StatusOr<std::unique_ptr<Segmenter>> s = Segmenter::Load(testing::ShippedModel("langid.slim"));
  REQUIRE_FALSE(s.ok());
  CHECK(std::string(s.status().message()).find("not a segmentation model") != std::string::npos);
}

TEST_CASE("the shipped Chinese segmenter is within 1 MiB and segments GSD test", "[segment][shared_data]") {
  SLIMNLP_SHARED_DATA_OR_SKIP(test, "ud/UD_Chinese-GSD/zh_gsd-ud-test.conllu.zst");
  const std::string model = testing::ShippedModel("seg-zh.slim");
  absl::StatusOr<std::unique_ptr<Segmenter>> seg = Segmenter::Load(model);
  REQUIRE(seg.ok());
  absl::StatusOr<SegmentEvalReport> r = EvaluateSegmenter(**seg, test);
  REQUIRE(r.ok());
  CHECK(r->sentences == 500);
  CHECK(r->f1 > 0.88);  // bench/RESULTS.md has the figure; this guards against a broken model or featurizer.
  std::vector<TextSpan> tokens;
  const std::string simplified = "然而，这样的处理也衍生了一些问题。";
  (*seg)->Segment(simplified, &tokens);
  CHECK(Words(simplified, tokens) ==
        std::vector<std::string>{"然而", "，", "这样", "的", "处理", "也", "衍生", "了", "一些", "问题", "。"});
}

// EWT writes "don't" and "it's" as multiword tokens (surface "don't", words "do" "n't"): the tokenizer
// finds surface tokens.
TEST_CASE("the shipped English tokenizer splits EWT test as the treebank does", "[segment][shared_data]") {
  SLIMNLP_SHARED_DATA_OR_SKIP(test, "ud/UD_English-EWT/en_ewt-ud-test.conllu.zst");
  absl::StatusOr<std::unique_ptr<Segmenter>> seg = Segmenter::Load(testing::ShippedModel("seg-en.slim"));
  REQUIRE(seg.ok());
  absl::StatusOr<SegmentEvalReport> r = EvaluateSegmenter(**seg, test);
  REQUIRE(r.ok());
  CHECK(r->f1 > 0.985);
  std::vector<TextSpan> tokens;
  const std::string text = "I don't think it's $5.00, Mr. Smith.";
  (*seg)->Segment(text, &tokens);
  CHECK(Words(text, tokens) ==
        std::vector<std::string>{"I", "don't", "think", "it's", "$", "5.00", ",", "Mr.", "Smith", "."});
}

TEST_CASE("many threads share one segmenter and agree with one thread", "[segment][threads]") {
  testing::TempDir dir;
  std::unique_ptr<Segmenter> seg = TrainToy(dir);
  std::vector<std::string> texts;
  for (int i = 0; i < 50; ++i) texts.push_back(i % 2 ? "lomitunanokaulu." : "kasepariulupe. tu");
  std::vector<std::vector<TextSpan>> expected(texts.size());
  for (size_t i = 0; i < texts.size(); ++i) seg->Segment(texts[i], &expected[i]);
  std::vector<std::thread> threads;
  std::vector<int> mismatches(6, 0);
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      std::vector<TextSpan> tokens;
      for (int round = 0; round < 20; ++round) {
        for (size_t i = 0; i < texts.size(); ++i) {
          seg->Segment(texts[i], &tokens);
          mismatches[t] += tokens != expected[i];
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int m : mismatches) CHECK(m == 0);
}

TEST_CASE("multiword tokens learned from training expand into their words, keeping case", "[segment]") {
  segment::MultiwordCounter counter;
  const auto add = [&](const std::string& conllu) { counter.Add(ParseOne(conllu)); };
  const std::string range_du = "1-2\tdu\t_\t_\t_\t_\t_\t_\t_\t_\n" + Row(1, "de") + Row(2, "le");
  add(range_du + "\n");
  add(range_du + "\n");
  add(Row(1, "du") + "\n");  // Once as a single word: still mostly a multiword token.
  const std::string range_dont = "1-2\tdon't\t_\t_\t_\t_\t_\t_\t_\t_\n" + Row(1, "do") + Row(2, "n't");
  add(range_dont + "\n");
  add(range_dont + "\n");
  add("1-2\tdes\t_\t_\t_\t_\t_\t_\t_\t_\n" + Row(1, "de") + Row(2, "les") + "\n");  // Only once: left out.
  const segment::MultiwordTable table(counter.ToMeta());
  CHECK(table.size() == 2);
  std::vector<std::string> words;
  REQUIRE(table.Expand("Du", &words));
  CHECK(words == std::vector<std::string>{"de", "le"});
  REQUIRE(table.Expand("Don't", &words));
  CHECK(words == std::vector<std::string>{"Do", "n't"});
  CHECK_FALSE(table.Expand("des", &words));
  CHECK_FALSE(table.Expand("chat", &words));
  // A damaged table is read as far as it makes sense, never trusted beyond.
  const segment::MultiwordTable damaged("du\tde le|broken|\t|x\ty");
  CHECK(damaged.size() == 1);
}

namespace {

// Sentences of random words from `words[begin, end)`, written without spaces.
std::string WordsTreebank(const std::vector<std::string>& words, size_t begin, size_t end, size_t sentences,
                          uint64_t seed) {
  core::Rng rng(seed);
  std::string out;
  for (size_t s = 0; s < sentences; ++s) {
    std::string text, rows;
    const size_t n = 3 + rng.Below(4);
    for (size_t i = 0; i < n; ++i) {
      const std::string& w = words[begin + rng.Below(end - begin)];
      text += w;
      rows += Row(static_cast<int>(i + 1), w, "SpaceAfter=No");
    }
    out += "# text = " + text + "\n" + rows + "\n";
  }
  return out;
}

}  // namespace

TEST_CASE("a lexicon teaches a segmenter words it never saw in training", "[segment][train]") {
  // 60 random words; training uses the first 40, the test only the other 20, which the lexicon lists.
  core::Rng rng(7);
  std::vector<std::string> words;
  std::string lexicon;
  while (words.size() < 60) {
    std::string w;
    for (size_t i = 0, n = 2 + rng.Below(4); i < n; ++i) w += static_cast<char>('a' + rng.Below(26));
    if (std::find(words.begin(), words.end(), w) != words.end()) continue;
    words.push_back(w);
    lexicon += w + " " + std::to_string(10 + words.size()) + " n\n";
  }
  lexicon += "\xff\n";  // Checked below: an invalid line is refused.
  testing::TempDir dir;
  testing::WriteFile(dir.File("train.conllu"), WordsTreebank(words, 0, 40, 800, 1));
  testing::WriteFile(dir.File("dev.conllu"), WordsTreebank(words, 0, 40, 80, 2));
  testing::WriteFile(dir.File("test.conllu"), WordsTreebank(words, 40, 60, 200, 3));
  testing::WriteFile(dir.File("bad-lexicon.txt"), lexicon);
  lexicon.resize(lexicon.size() - 2);
  testing::WriteFile(dir.File("lexicon.txt"), lexicon);
  SegmentTrainOptions o;
  o.train_path = dir.File("train.conllu");
  o.dev_path = dir.File("dev.conllu");
  o.budget_bytes = 64 * 1024;
  o.hidden = 32;
  o.epochs = 3;
  const auto test_f1 = [&](const std::string& lexicon_path) {
    o.lexicon_path = lexicon_path;
    o.output_path = dir.File("toy.slim");
    absl::StatusOr<SegmentTrainResult> r = TrainSegmenter(o);
    REQUIRE(r.ok());
    CHECK(r->file_bytes <= o.budget_bytes);
    CHECK(r->memory_bytes <= o.budget_bytes);
    absl::StatusOr<std::unique_ptr<Segmenter>> seg = Segmenter::Load(o.output_path);
    REQUIRE(seg.ok());
    absl::StatusOr<SegmentEvalReport> e = EvaluateSegmenter(**seg, dir.File("test.conllu"));
    REQUIRE(e.ok());
    return e->f1;
  };
  const double without = test_f1("");
  const double with = test_f1(dir.File("lexicon.txt"));
  CHECK(with > 0.85);  // 0.91 when written; without the lexicon 0.38.
  CHECK(with > without + 0.3);
  // The model file carries the lexicon; without it the model is refused, not run half blind.
  absl::StatusOr<core::Classifier> model = core::Classifier::Load(dir.File("toy.slim"));
  REQUIRE(model.ok());
  CHECK(model->lexicon.words() == 60);
  model->lexicon = core::Lexicon();
  REQUIRE(model->Save(dir.File("no-lexicon.slim")).ok());
  absl::StatusOr<std::unique_ptr<Segmenter>> broken = Segmenter::Load(dir.File("no-lexicon.slim"));
  REQUIRE_FALSE(broken.ok());
  CHECK(broken.status().code() == absl::StatusCode::kDataLoss);
  CHECK(std::string(broken.status().message()).find("'lexicon'") != std::string::npos);
  // A malformed lexicon file is refused naming its line; a lexicon larger than the budget says so.
  o.lexicon_path = dir.File("bad-lexicon.txt");
  absl::StatusOr<SegmentTrainResult> bad = TrainSegmenter(o);
  REQUIRE_FALSE(bad.ok());
  CHECK(std::string(bad.status().message()).find("bad-lexicon.txt:61") != std::string::npos);
  o.lexicon_path = dir.File("lexicon.txt");
  o.lexicon_bits_per_word = 64;
  o.budget_bytes = 400;
  bad = TrainSegmenter(o);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().code() == absl::StatusCode::kOutOfRange);
  CHECK(std::string(bad.status().message()).find("the lexicon alone") != std::string::npos);
}
