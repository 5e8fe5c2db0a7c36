#include "src/core/lexicon.h"

#include <algorithm>
#include <catch2/catch.hpp>

#include "src/core/crc32c.h"
#include "src/core/rng.h"

using namespace slimnlp::core;

namespace {

uint64_t State(const std::u32string& w) {
  uint64_t s = Lexicon::kStart;
  for (char32_t cp : w) s = Lexicon::Extend(s, cp);
  return s;
}

std::vector<Lexicon::Word> AsWords(const std::vector<std::u32string>& texts) {
  std::vector<Lexicon::Word> words;
  for (const auto& t : texts) words.push_back({t, 0});
  return words;
}

std::u32string RandomWord(Rng* rng) {
  std::u32string w;
  const size_t n = 2 + rng->Below(4);
  for (size_t i = 0; i < n; ++i) w.push_back(0x4E00 + static_cast<char32_t>(rng->Below(3000)));
  return w;
}

}  // namespace

TEST_CASE("a lexicon finds every member and about 1% of other words", "[lexicon]") {
  Rng rng(3);
  std::vector<std::u32string> words;
  for (int i = 0; i < 20000; ++i) words.push_back(RandomWord(&rng));
  const Lexicon lex = Lexicon::Build(AsWords(words), 10, 8);
  CHECK(lex.words() == 20000);
  // Ten bits a key: a key for each word, one more for the prefix of each word longer than kPrefixLength.
  const size_t keys = 20000 + std::count_if(words.begin(), words.end(), [](const std::u32string& w) {
                                return w.size() > Lexicon::kPrefixLength;
                              });
  CHECK(lex.MemoryBytes() <= keys * 10 / 8 + 64);
  for (const auto& w : words) {
    REQUIRE(lex.MayContain(State(w), w.size()));
    if (w.size() > Lexicon::kPrefixLength) REQUIRE(lex.MayContinue(State(w.substr(0, Lexicon::kPrefixLength))));
  }
  std::vector<std::u32string> sorted = words;
  std::sort(sorted.begin(), sorted.end());
  size_t others = 0, false_hits = 0;
  for (int i = 0; i < 100000; ++i) {
    const std::u32string w = RandomWord(&rng);
    if (std::binary_search(sorted.begin(), sorted.end(), w)) continue;
    ++others;
    false_hits += lex.MayContain(State(w), w.size());
  }
  const double rate = static_cast<double>(false_hits) / others;
  CHECK(rate < 0.02);
  CHECK(rate > 0.002);  // A filter this small cannot be exact: a rate of 0 would mean it is not consulted.
  // The length is part of the key: a member's state with another length is another word.
  CHECK_FALSE(Lexicon().MayContain(State(words[0]), words[0].size()));
  // Words past the longest are left out, empty ones too.
  const Lexicon short_only = Lexicon::Build({{U"ab"}, {U"abcdef"}, {U""}}, 10, 4);
  CHECK(short_only.words() == 1);
  CHECK(short_only.MayContain(State(U"ab"), 2));
}

TEST_CASE("the lexicon hash and layout are frozen: golden values", "[lexicon][hash]") {
  CHECK(State(U"中文") == 0x032881088a0547adull);  // Computed apart, from the definition.
  const Lexicon lex = Lexicon::Build({{U"中文"}, {U"文字"}, {U"中文字"}}, 10, 8);
  const std::string bytes = lex.Serialize();
  REQUIRE(bytes.size() == 28 + 64);
  // The same lexicon in format 1 (no flags field), as a separate implementation computed it.
  std::string format1 = bytes.substr(0, 24) + bytes.substr(28);
  format1[0] = 1;
  CHECK(Crc32cExtend(0, format1.data(), format1.size()) == 0xf9be0c12u);
  CHECK(bytes.substr(24, 4) == std::string("\x01\0\0\0", 4));  // Flags: prefix keys set.
}

TEST_CASE("a lexicon round-trips, and damaged ones are refused naming what is wrong", "[lexicon][bad_input]") {
  Rng rng(5);
  std::vector<std::u32string> words;
  for (int i = 0; i < 500; ++i) words.push_back(RandomWord(&rng));
  std::vector<Lexicon::Word> with_classes = AsWords(words);
  for (size_t i = 0; i < with_classes.size(); ++i) with_classes[i].word_class = static_cast<uint32_t>(i % 4);
  const Lexicon lex = Lexicon::Build(with_classes, 10, 8, 2);
  const std::string good = lex.Serialize();
  absl::StatusOr<Lexicon> back = Lexicon::Parse(good, "m: lexicon");
  REQUIRE(back.ok());
  CHECK(back->Serialize() == good);
  size_t right_class = 0;
  for (const auto& w : with_classes) {
    REQUIRE(back->MayContain(State(w.text), w.text.size()));
    right_class += back->Find(State(w.text), w.text.size()) == w.word_class;
  }
  CHECK(right_class >= with_classes.size() * 97 / 100);  // A set class bit is always seen; an unset one rarely.
  for (size_t cut = 0; cut < good.size(); ++cut) {
    absl::StatusOr<Lexicon> r = Lexicon::Parse(std::string_view(good).substr(0, cut), "m: lexicon");
    REQUIRE_FALSE(r.ok());
    REQUIRE(r.status().code() == absl::StatusCode::kDataLoss);
  }
  const auto with_field = [&](size_t field, uint32_t value) {
    std::string bad = good;
    for (int b = 0; b < 4; ++b) bad[4 * field + b] = static_cast<char>(value >> (8 * b));
    return Lexicon::Parse(bad, "m: lexicon").status();
  };
  CHECK(std::string(with_field(0, 3).message()).find("lexicon format 3") != std::string::npos);
  CHECK(with_field(2, 0).code() == absl::StatusCode::kDataLoss);   // No blocks.
  CHECK(with_field(2, 7).code() == absl::StatusCode::kDataLoss);   // Blocks that the bytes do not hold.
  CHECK(with_field(3, 0).code() == absl::StatusCode::kDataLoss);   // No probes.
  CHECK(with_field(3, 8).code() == absl::StatusCode::kDataLoss);   // More probes than one hash gives.
  CHECK(with_field(4, 0).code() == absl::StatusCode::kDataLoss);   // Longest word 0.
  CHECK(with_field(4, 33).code() == absl::StatusCode::kDataLoss);
  CHECK(with_field(5, 25).code() == absl::StatusCode::kDataLoss);  // More class bits than a class has.
  CHECK(with_field(6, 2).code() == absl::StatusCode::kDataLoss);   // A flag this build does not know.
  // Format 1 (written before the flags field) is still read, with its prefix keys.
  std::string format1 = good.substr(0, 24) + good.substr(28);
  format1[0] = 1;
  absl::StatusOr<Lexicon> old = Lexicon::Parse(format1, "m: lexicon");
  REQUIRE(old.ok());
  CHECK(old->Serialize() == good);
  CHECK(Lexicon::Parse(good + "x", "m: lexicon").status().code() == absl::StatusCode::kDataLoss);
}

TEST_CASE("a lexicon without prefix keys finds whole words and says any prefix may continue", "[lexicon]") {
  Rng rng(9);
  std::vector<Lexicon::Word> words;
  for (int i = 0; i < 300; ++i) {
    Lexicon::Word w;
    w.text = RandomWord(&rng);
    w.word_class = (1u << (i % 17)) | (i % 3 == 0 ? 1u << 16 : 0u);  // Classes wider than 4 bits: tag sets.
    words.push_back(std::move(w));
  }
  const Lexicon with = Lexicon::Build(words, 10, 8, 17);
  const Lexicon without = Lexicon::Build(words, 10, 8, 17, /*prefix_keys=*/false);
  CHECK(without.MemoryBytes() < with.MemoryBytes());
  size_t right = 0;
  for (const auto& w : words) {
    REQUIRE(without.Find(State(w.text), w.text.size()) >= 0);
    right += without.Find(State(w.text), w.text.size()) == static_cast<int>(w.word_class);
  }
  CHECK(right >= words.size() * 75 / 100);  // Each of 16 unset bits may read as set now and then.
  CHECK(without.MayContinue(State(U"qqqq")));
  absl::StatusOr<Lexicon> back = Lexicon::Parse(without.Serialize(), "m: lexicon");
  REQUIRE(back.ok());
  CHECK(back->Serialize() == without.Serialize());
  CHECK(back->MayContinue(State(U"zzzz")));
}
