// Sentence splitting: the places a sentence may end, gold paragraphs from CoNLL-U, training on a toy language
// with an abbreviation, bad input, long text, the pipeline's use of it, and the shipped models on shared data.
#include "slimnlp/sentence_splitter.h"

#include <catch2/catch.hpp>
#include <filesystem>

#include "slimnlp/pipeline.h"
#include "src/cli/words_conllu.h"
#include "src/core/rng.h"
#include "src/segment/sentence_features.h"
#include "tests/test_util.h"

using namespace slimnlp;

namespace {

std::vector<std::string> Texts(std::string_view text, const std::vector<TextSpan>& spans) {
  std::vector<std::string> out;
  for (const auto& s : spans) out.emplace_back(text.substr(s.begin, s.end - s.begin));
  return out;
}

std::string Row(int id, const std::string& form) {
  return std::to_string(id) + "\t" + form + "\t_\tX\t_\t_\t_\t_\t_\t_\n";
}

// A toy language whose sentences end in "." or "?", and whose abbreviation "Dr." is followed by a capitalized
// name, as a new sentence would be: only the word before tells them apart. A paragraph every 4 sentences.
std::string ToyTreebank(size_t sentences, uint64_t seed) {
  const std::vector<std::string> words = {"ka", "lomi", "tu", "sepa", "ri", "nanoka", "pe", "ulu"};
  const std::vector<std::string> names = {"Mika", "Tala", "Oru"};
  core::Rng rng(seed);
  std::string out;
  for (size_t s = 0; s < sentences; ++s) {
    std::vector<std::string> forms;
    const size_t n = 2 + rng.Below(5);
    for (size_t i = 0; i < n; ++i) {
      if (rng.Below(4) == 0) {
        forms.push_back("Dr.");
        forms.push_back(names[rng.Below(names.size())]);
      }
      forms.push_back(words[rng.Below(words.size())]);
    }
    if (forms[0][0] >= 'a') forms[0][0] = static_cast<char>(forms[0][0] - 'a' + 'A');
    std::string text;
    for (const std::string& f : forms) text += f + " ";
    text.pop_back();
    const std::string end = rng.Below(3) == 0 ? "?" : ".";
    out += (s % 4 == 0 ? "# newpar\n" : "") + std::string("# text = ") + text + end + "\n";
    for (size_t i = 0; i < forms.size(); ++i) out += Row(static_cast<int>(i + 1), forms[i]);
    out += Row(static_cast<int>(forms.size() + 1), end) + "\n";
  }
  return out;
}

struct Toy {
  testing::TempDir dir;
  std::string path;
  std::unique_ptr<SentenceSplitter> splitter;
};

// Trained once for every test case of this file (a few seconds).
const Toy& ToyModel() {
  static const Toy* toy = [] {
    auto t = new Toy();
    testing::WriteFile(t->dir.File("train.conllu"), ToyTreebank(800, 1));
    testing::WriteFile(t->dir.File("dev.conllu"), ToyTreebank(80, 2));
    SentenceTrainOptions o;
    o.train_path = t->dir.File("train.conllu");
    o.dev_path = t->dir.File("dev.conllu");
    o.output_path = t->path = t->dir.File("sent-toy.slim");
    o.budget_bytes = 64 * 1024;
    o.hidden = 32;
    o.epochs = 4;
    o.language = "toy";
    absl::StatusOr<SentenceTrainResult> r = TrainSentenceSplitter(o);
    REQUIRE(r.ok());
    CHECK(r->dev_f1 > 0.97);
    CHECK(r->file_bytes <= o.budget_bytes);
    absl::StatusOr<std::unique_ptr<SentenceSplitter>> s = SentenceSplitter::Load(o.output_path);
    REQUIRE(s.ok());
    t->splitter = *std::move(s);
    return t;
  }();
  return *toy;
}

const SentenceSplitter& ToySplitter() { return *ToyModel().splitter; }

}  // namespace

TEST_CASE("a sentence may end after punctuation, or before white space and a word not in lower case", "[sentence]") {
  const std::u32string text = U"Ka. lu,mi。他 X y$ z";
  const auto may = [&](size_t i) { return segment::MayEndAfter(text.data(), text.size(), i); };
  CHECK_FALSE(may(0));   // "K" before "a".
  CHECK_FALSE(may(1));   // "a" before ".".
  CHECK(may(2));         // "." before a space.
  CHECK_FALSE(may(3));   // The space itself.
  CHECK_FALSE(may(5));   // "u" before ",".
  CHECK(may(6));         // "," before "m": punctuation.
  CHECK(may(9));         // "。" before "他": Chinese writes no space after it.
  CHECK(may(10));        // "他" before a space and "X".
  CHECK_FALSE(may(12));  // "X" before a space and "y", in lower case.
  CHECK_FALSE(may(14));  // "y" before "$".
  CHECK(may(15));        // "$": a symbol.
  CHECK_FALSE(may(17));  // After the last character a sentence always ends: nothing to decide.
}

TEST_CASE("gold paragraphs follow # newpar, else runs of sentences, joined as the language writes", "[sentence]") {
  testing::TempDir dir;
  const std::string marked = "# newpar\n# text = A b.\n" + Row(1, "A") + Row(2, "b.") + "\n# text = C.\n" + Row(1, "C.") +
                             "\n# newpar\n# text =  D. \n" + Row(1, "D.") + "\n";
  testing::WriteFile(dir.File("marked.conllu"), marked);
  absl::StatusOr<std::vector<segment::GoldParagraph>> p = segment::ReadGoldParagraphs(dir.File("marked.conllu"), {});
  REQUIRE(p.ok());
  REQUIRE(p->size() == 2);
  CHECK((*p)[0].text == "A b. C.");
  CHECK(Texts((*p)[0].text, (*p)[0].sentences) == std::vector<std::string>{"A b.", "C."});
  CHECK((*p)[1].text == "D.");  // Spaces around a sentence's text are not part of it.

  // Without marks: runs of N sentences; Chinese and Japanese join them with nothing.
  const std::string unmarked = "# text = 甲。\n" + Row(1, "甲。") + "\n# text = 乙。\n" + Row(1, "乙。") +
                               "\n# text = 丙。\n" + Row(1, "丙。") + "\n";
  testing::WriteFile(dir.File("unmarked.conllu"), unmarked);
  SentenceTextOptions options;
  options.join_without_spaces = true;
  options.sentences_per_paragraph = 2;
  p = segment::ReadGoldParagraphs(dir.File("unmarked.conllu"), options);
  REQUIRE(p.ok());
  REQUIRE(p->size() == 2);
  CHECK((*p)[0].text == "甲。乙。");
  CHECK(Texts((*p)[0].text, (*p)[0].sentences) == std::vector<std::string>{"甲。", "乙。"});
  CHECK((*p)[1].text == "丙。");

  testing::WriteFile(dir.File("bad.conllu"), "# text = x\n1\tx\n\n");
  absl::StatusOr<std::vector<segment::GoldParagraph>> bad = segment::ReadGoldParagraphs(dir.File("bad.conllu"), {});
  REQUIRE_FALSE(bad.ok());
  CHECK(std::string(bad.status().message()).find("bad.conllu:2") != std::string::npos);
}

TEST_CASE("a trained splitter tells sentence ends from abbreviations", "[sentence]") {
  const SentenceSplitter& split = ToySplitter();
  CHECK(split.language() == "toy");
  std::vector<TextSpan> sentences;
  const std::string text = "  Ka lomi tu. Dr. Mika sepa ri? Pe ulu.  ";
  split.Split(text, &sentences);
  CHECK(Texts(text, sentences) == std::vector<std::string>{"Ka lomi tu.", "Dr. Mika sepa ri?", "Pe ulu."});
  // The measure the benchmark reports, on text the model has not seen.
  testing::TempDir dir;
  testing::WriteFile(dir.File("test.conllu"), ToyTreebank(200, 3));
  absl::StatusOr<SentenceEvalReport> r = EvaluateSentenceSplitter(split, dir.File("test.conllu"));
  REQUIRE(r.ok());
  CHECK(r->gold_sentences == 200);
  CHECK(r->paragraphs == 50);
  CHECK(r->f1 > 0.97);
}

TEST_CASE("splitting covers every character that is not white space, whatever the input", "[sentence]") {
  const SentenceSplitter& split = ToySplitter();
  std::vector<TextSpan> sentences;
  split.Split("", &sentences);
  CHECK(sentences.empty());
  split.Split(" \t \n ", &sentences);
  CHECK(sentences.empty());
  split.Split("Ka", &sentences);
  CHECK(Texts("Ka", sentences) == std::vector<std::string>{"Ka"});

  // Invalid bytes are characters of their own; nothing is lost.
  const std::string invalid = "Ka \xff lomi. Tu\xc3 ri.";
  split.Split(invalid, &sentences);
  std::string joined;
  for (const std::string& s : Texts(invalid, sentences)) joined += s + " ";
  CHECK(joined == "Ka \xff lomi. Tu\xc3 ri. ");

  // Text far longer than a piece (4096 characters): every sentence found, none cut at a piece's end.
  std::string long_text;
  for (int i = 0; i < 3000; ++i) long_text += "Ka lomi. Dr. Mika tu?  ";
  split.Split(long_text, &sentences);
  REQUIRE(sentences.size() == 6000);
  for (size_t k = 0; k < sentences.size(); ++k) {
    const std::string_view s(long_text.data() + sentences[k].begin, sentences[k].end - sentences[k].begin);
    REQUIRE(s == (k % 2 == 0 ? "Ka lomi." : "Dr. Mika tu?"));
  }
  // A run of white space longer than the features reach.
  const std::string gap = "Ka lomi." + std::string(100, ' ') + "Tu ri.";
  split.Split(gap, &sentences);
  CHECK(Texts(gap, sentences) == std::vector<std::string>{"Ka lomi.", "Tu ri."});
}

TEST_CASE("a damaged or foreign model file is refused, and training says what is wrong", "[sentence]") {
  const std::string bytes = testing::ReadFile(ToyModel().path);
  absl::StatusOr<std::unique_ptr<SentenceSplitter>> truncated =
      SentenceSplitter::FromBytes(std::string_view(bytes).substr(0, bytes.size() / 2), "half.slim");
  REQUIRE_FALSE(truncated.ok());
  CHECK(std::string(truncated.status().message()).find("half.slim") != std::string::npos);
  absl::StatusOr<std::unique_ptr<SentenceSplitter>> other = SentenceSplitter::Load(testing::ShippedModel("seg-en.slim"));
  REQUIRE_FALSE(other.ok());
  CHECK(other.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(SentenceSplitter::Load("/nonexistent/sent.slim").status().code() == absl::StatusCode::kNotFound);

  testing::TempDir dir;
  testing::WriteFile(dir.File("train.conllu"), ToyTreebank(50, 4));
  SentenceTrainOptions o;
  o.train_path = dir.File("train.conllu");
  o.output_path = dir.File("out.slim");
  o.text.sentences_per_paragraph = 1;
  testing::WriteFile(dir.File("one.conllu"), "# text = Ka.\n" + Row(1, "Ka.") + "\n# text = Tu.\n" + Row(1, "Tu.") + "\n");
  o.train_path = dir.File("one.conllu");
  absl::StatusOr<SentenceTrainResult> r = TrainSentenceSplitter(o);
  REQUIRE_FALSE(r.ok());
  CHECK(std::string(r.status().message()).find("paragraph") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(o.output_path));
}

TEST_CASE("the pipeline splits a text into sentences and tags each on its own", "[sentence][pipeline]") {
  testing::TempDir dir;
  std::filesystem::copy_file(testing::ShippedModel("langid.slim"), dir.File("langid.slim"));
  std::filesystem::copy_file(ToyModel().path, dir.File("sent-en.slim"));
  PipelineOptions options;
  options.models_dir = dir.path();
  absl::StatusOr<std::unique_ptr<Pipeline>> pipeline = Pipeline::Load(options);
  REQUIRE(pipeline.ok());
  const std::string text = "Ka lomi tu. Dr. Mika sepa ri?";
  absl::StatusOr<Annotation> a = (*pipeline)->AnnotateAs(text, "en");
  REQUIRE(a.ok());
  CHECK(a->split);
  // No seg-en.slim here: the rule-based tokenizer, "Dr." as one token.
  REQUIRE(a->words.size() == 10);
  CHECK(a->sentence_starts == std::vector<size_t>{0, 4});
  CHECK(a->words[4].form == "Dr");
  const std::string conllu = cli::SentencesToConllu(text, a->words, a->sentence_starts, "7");
  CHECK(conllu.find("# sent_id = 7.1\n# text = Ka lomi tu.\n") != std::string::npos);
  CHECK(conllu.find("# sent_id = 7.2\n# text = Dr. Mika sepa ri?\n") != std::string::npos);
  CHECK(conllu.find("1\tDr") != std::string::npos);  // Each sentence numbers its words from 1.
  const nlohmann::json spans = cli::SentencesJson(*a);
  REQUIRE(spans.size() == 2);
  CHECK(spans[1]["begin"] == 12);
  CHECK(spans[1]["end"] == text.size());
  CHECK(spans[1]["first_token"] == 4);

  // Splitting off: the whole text is one sentence.
  options.split_sentences = false;
  pipeline = Pipeline::Load(options);
  REQUIRE(pipeline.ok());
  a = (*pipeline)->AnnotateAs(text, "en");
  REQUIRE(a.ok());
  CHECK_FALSE(a->split);
  CHECK(a->sentence_starts == std::vector<size_t>{0});
  CHECK(cli::SentencesToConllu(text, a->words, a->sentence_starts, "7").find("# sent_id = 7\n") != std::string::npos);
}

TEST_CASE("shipped sentence splitters on the shared treebanks", "[sentence][shared]") {
  SLIMNLP_SHARED_DATA_OR_SKIP(data, "ud/UD_English-EWT/en_ewt-ud-test.conllu.zst");
  const std::string model = testing::ShippedModel("sent-en.slim");
  REQUIRE(std::filesystem::exists(model));
  absl::StatusOr<std::unique_ptr<SentenceSplitter>> split = SentenceSplitter::Load(model);
  REQUIRE(split.ok());
  absl::StatusOr<SentenceEvalReport> r = EvaluateSentenceSplitter(**split, data);
  REQUIRE(r.ok());
  CHECK(r->gold_sentences == 2077);
  CHECK(r->f1 > 0.85);  // bench/RESULTS.md: the measured figure, with UDPipe 2's beside it.
}
