// Language identification with the shipped model.
#include "slimnlp/langid.h"
#include "src/langid/name_like.h"

#include <catch2/catch.hpp>
#include <thread>

#include "slimnlp/model_info.h"
#include "tests/test_util.h"

using namespace slimnlp;

namespace {

const LanguageIdentifier& Shipped() {
  static const std::unique_ptr<LanguageIdentifier> lid = [] {
    absl::StatusOr<std::unique_ptr<LanguageIdentifier>> l = LanguageIdentifier::Load(testing::ShippedModel("langid.slim"));
    INFO(l.status().ToString());
    REQUIRE(l.ok());
    return *std::move(l);
  }();
  return *lid;
}

struct Sample {
  const char* language;
  const char* text;
};

// Everyday sentences written for this test (not from the training data).
const Sample kSamples[] = {
    {"en", "The weather was lovely, so we walked along the river until sunset."},
    {"fr", "Nous avons mangé au restaurant avant de rentrer à la maison."},
    {"de", "Ich habe gestern ein neues Fahrrad gekauft und bin damit zur Arbeit gefahren."},
    {"es", "Mañana vamos a visitar a mis abuelos que viven en el campo."},
    {"it", "Il treno per Milano parte tra dieci minuti dal binario tre."},
    {"pt", "Eles compraram uma casa nova perto da praia no ano passado."},
    {"nl", "We gaan dit weekend fietsen in het bos als het niet regent."},
    {"ru", "Вчера вечером мы долго гуляли по парку и разговаривали о жизни."},
    {"pl", "Moja siostra pracuje w szpitalu jako pielęgniarka od pięciu lat."},
    {"tr", "Yarın sabah erkenden kalkıp havaalanına gitmemiz gerekiyor."},
    {"ja", "今日は天気が良いので、公園で散歩をしました。"},
    {"ko", "저는 주말마다 친구들과 함께 축구를 합니다."},
    {"ar", "ذهبت إلى السوق لشراء الخضروات والفواكه الطازجة."},
    {"hi", "मैं हर सुबह अपने बगीचे में पौधों को पानी देता हूँ।"},
    {"el", "Το καλοκαίρι πηγαίνουμε διακοπές σε ένα μικρό νησί."},
    {"zh", "我们明天早上八点在学校门口见面。"},
};

}  // namespace

TEST_CASE("the shipped model identifies everyday sentences in 16 languages", "[langid]") {
  for (const Sample& s : kSamples) {
    absl::StatusOr<LanguageGuess> g = Shipped().Identify(s.text);
    REQUIRE(g.ok());
    INFO(s.text << " -> " << g->language << " " << g->probability);
    CHECK(g->language == s.language);
    CHECK(g->reliable);
  }
}

TEST_CASE("text without letters is 'und', unreliable", "[langid]") {
  for (const char* text : {"", "   ", "12345 67", "!!! ??? ...", "😀👍", "\t"}) {
    absl::StatusOr<LanguageGuess> g = Shipped().Identify(text);
    REQUIRE(g.ok());
    CHECK(g->language == kUndetermined);
    CHECK_FALSE(g->reliable);
    CHECK(g->probability == 0);
  }
}

TEST_CASE("a long document is judged whole, at the cost of its first 4 KiB", "[langid]") {
  // A short English preface, then a long French body: the first 4 KiB alone would say English.
  std::string doc;
  while (doc.size() < 5000) doc += "This report was prepared by the committee for the annual meeting. ";
  const std::string french = "Le conseil municipal a voté le budget de la ville pour l'année prochaine. ";
  while (doc.size() < 60000) doc += french;
  absl::StatusOr<LanguageGuess> g = Shipped().Identify(doc);
  REQUIRE(g.ok());
  CHECK(g->language == "fr");
  // Multi-byte characters at the cuts are never split: a long Greek text reads as Greek.
  std::string greek;
  while (greek.size() < 50000) greek += "Η επιτροπή ενέκρινε τον προϋπολογισμό της πόλης για το επόμενο έτος. ";
  g = Shipped().Identify(greek);
  REQUIRE(g.ok());
  CHECK(g->language == "el");
  // Invalid UTF-8 in a part that is read is reported.
  std::string bad = greek;
  bad[bad.size() - 10] = '\xff';
  CHECK(Shipped().Identify(bad).status().code() == absl::StatusCode::kInvalidArgument);
}

TEST_CASE("names are answered but not marked reliable", "[langid]") {
  CHECK(langid::LooksLikeName("José García"));
  CHECK(langid::LooksLikeName("Ludwig van Beethoven"));
  CHECK(langid::LooksLikeName("Søren Kierkegaard"));
  CHECK_FALSE(langid::LooksLikeName("München"));                  // One word: a word, not only a name.
  CHECK_FALSE(langid::LooksLikeName("The Cat Sat On The Mat"));   // Too many words for a name.
  CHECK_FALSE(langid::LooksLikeName("Paris is nice"));            // A word in lower case.
  CHECK_FALSE(langid::LooksLikeName("Go Home!"));                 // A sentence.
  CHECK_FALSE(langid::LooksLikeName("北京 上海"));                 // No case: nothing to tell by.
  for (const char* name : {"José García", "Björn Borg", "Shinzo Abe"}) {
    absl::StatusOr<LanguageGuess> g = Shipped().Identify(name);
    REQUIRE(g.ok());
    CHECK_FALSE(g->reliable);
  }
  absl::StatusOr<LanguageGuess> sentence = Shipped().Identify("Der Hund schläft im Garten hinter dem Haus.");
  REQUIRE(sentence.ok());
  CHECK(sentence->reliable);
}

TEST_CASE("invalid UTF-8 is an error naming the byte", "[langid][bad_input]") {
  absl::StatusOr<LanguageGuess> g = Shipped().Identify("caf\xC3 au lait");
  CHECK(g.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(std::string(g.status().message()).find("byte 3") != std::string::npos);
}

TEST_CASE("short ambiguous text is flagged unreliable rather than confidently wrong", "[langid]") {
  // The complaint about other identifiers: "hello world" answered as Kyrgyz with confidence.
  int unreliable = 0;
  for (const char* text : {"hello world", "ok", "Maria", "taxi", "no"}) {
    absl::StatusOr<LanguageGuess> g = Shipped().Identify(text);
    REQUIRE(g.ok());
    INFO(text << " -> " << g->language << " " << g->probability);
    unreliable += !g->reliable;
  }
  CHECK(unreliable >= 4);
}

TEST_CASE("top-k is sorted, distinct and sums to at most one", "[langid]") {
  std::vector<LanguageGuess> top;
  REQUIRE(Shipped().IdentifyTopK("Det här är en mening på svenska.", 5, &top).ok());
  REQUIRE(top.size() == 5);
  CHECK(top[0].language == "sv");
  float sum = 0;
  for (size_t i = 0; i < top.size(); ++i) {
    sum += top[i].probability;
    if (i) CHECK(top[i].probability <= top[i - 1].probability);
    for (size_t j = 0; j < i; ++j) CHECK(top[i].language != top[j].language);
  }
  CHECK(sum <= 1.0001f);
  REQUIRE(Shipped().IdentifyTopK("x", 100000, &top).ok());
  CHECK(top.size() == Shipped().languages().size());
}

TEST_CASE("spans split a mixed-language text where the language changes", "[langid]") {
  const std::string text =
      "The meeting has been moved to Thursday afternoon. Встреча перенесена на четверг после обеда. "
      "La réunion a été déplacée à jeudi après-midi.";
  std::vector<LanguageSpan> spans;
  REQUIRE(Shipped().IdentifySpans(text, &spans).ok());
  std::vector<std::string> langs;
  for (const auto& s : spans) langs.emplace_back(s.guess.language);
  CHECK(langs == std::vector<std::string>{"en", "ru", "fr"});
  // Spans cover the input without gaps.
  REQUIRE_FALSE(spans.empty());
  CHECK(spans.front().begin == 0);
  CHECK(spans.back().end == text.size());
  for (size_t i = 1; i < spans.size(); ++i) CHECK(spans[i].begin == spans[i - 1].end);
  CHECK(Shipped().IdentifySpans("bad \xFF", &spans).code() == absl::StatusCode::kInvalidArgument);
  REQUIRE(Shipped().IdentifySpans("", &spans).ok());
  CHECK(spans.empty());
}

TEST_CASE("many threads share one model and agree with one thread", "[langid][threads]") {
  std::vector<std::string> expected;
  for (const Sample& s : kSamples) expected.emplace_back(Shipped().Identify(s.text)->language);
  std::vector<std::thread> threads;
  std::vector<int> mismatches(8, 0);
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 200; ++round) {
        for (size_t i = 0; i < std::size(kSamples); ++i) {
          absl::StatusOr<LanguageGuess> g = Shipped().Identify(kSamples[(i + t) % std::size(kSamples)].text);
          mismatches[t] += !g.ok() || g->language != expected[(i + t) % std::size(kSamples)];
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int m : mismatches) CHECK(m == 0);
}

TEST_CASE("the shipped model is within its 512 KiB budget on disk and in memory", "[langid][budget]") {
  absl::StatusOr<ModelInfo> info = InspectModel(testing::ShippedModel("langid.slim"));
  REQUIRE(info.ok());
  CHECK(info->task == "langid");
  CHECK(info->budget_bytes == 512 * 1024);
  CHECK(info->file_bytes <= info->budget_bytes);
  CHECK(info->memory_bytes <= info->budget_bytes);
  CHECK(info->labels.size() == 106);
}

TEST_CASE("the shipped model reaches its recorded accuracy on the shared dev split", "[langid][shared_data]") {
  SLIMNLP_SHARED_DATA_OR_SKIP(dev, "langid/dev.tsv");
  absl::StatusOr<LangIdEvalReport> r = EvaluateLanguageIdentifier(Shipped(), dev, nullptr);
  REQUIRE(r.ok());
  CHECK(r->examples == 21170);
  CHECK(r->skipped_lines == 0);
  CHECK(r->accuracy > 0.95);
  CHECK(r->macro_f1 > 0.95);
  absl::StatusOr<ModelInfo> info = InspectModel(testing::ShippedModel("langid.slim"));
  REQUIRE(info.ok());
  CHECK(r->accuracy == Approx(std::stod(info->meta.at("train.dev_accuracy_quantized"))).margin(0.0001));
}
