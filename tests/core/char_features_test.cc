#include "src/core/char_features.h"

#include <catch2/catch.hpp>

#include "src/core/hash.h"

using namespace slimnlp::core;

TEST_CASE("characters are normalized for features: width, case, digits, spaces, the ideographic stop",
          "[char_features]") {
  CHECK(NormalizeForFeatures(U'，') == U',');
  CHECK(NormalizeForFeatures(U'（') == U'(');
  CHECK(NormalizeForFeatures(U'。') == U'.');
  CHECK(NormalizeForFeatures(U'Ａ') == U'a');
  CHECK(NormalizeForFeatures(U'Q') == U'q');
  CHECK(NormalizeForFeatures(U'７') == U'0');
  CHECK(NormalizeForFeatures(U'٣') == U'0');  // Arabic-Indic digit.
  CHECK(NormalizeForFeatures(U'\u3000') == U' ');  // Ideographic space.
  CHECK(NormalizeForFeatures(U'ｶ') == U'カ');  // Half-width katakana.
  CHECK(NormalizeForFeatures(U'這') == U'這');
  CHECK(NormalizeForFeatures(U'é') == U'é');  // Its NFKC form is itself (composed), not a decomposition.
}

TEST_CASE("character features hash the n-grams around a position; golden values", "[char_features]") {
  absl::StatusOr<FeatureSpec> spec = FeatureSpec::Parse(
      "u0=cgram(order=1,offset=0,buckets=1000,dim=4,bits=8);b-1=cgram(order=2,offset=-1,buckets=1000,dim=4,bits=8);"
      "k+1=cclass(offset=1,buckets=100,dim=4,bits=8);l-1=prevtag(offset=-1,buckets=6,dim=4,bits=8)");
  REQUIRE(spec.ok());
  CharFeaturizer featurizer(*spec);
  CharScratch scratch;
  FeatureBags bags;
  const std::u32string text = U"中文，ab";
  featurizer.Prepare(text.data(), text.size(), &scratch);
  const int tags[] = {0, 2, 3, 0, 2};
  featurizer.Extract(scratch, 1, tags, &bags);
  REQUIRE(bags.ids.size() == 4);
  // The raw hashes, frozen: part of the model format.
  const char32_t zhong_wen[] = {U'中', U'文'};
  CHECK(bags.ids[0] == std::vector<uint32_t>{BucketOf(Reseed(HashCodepoints(zhong_wen + 1, 1, 0x4301), (*spec).groups[0].seed()), 1000)});
  CHECK(bags.ids[1] == std::vector<uint32_t>{BucketOf(Reseed(HashCodepoints(zhong_wen, 2, 0x4302), (*spec).groups[1].seed()), 1000)});
  CHECK(HashCodepoints(zhong_wen, 2, 0x4302) == 0xAFD2E23Bu);
  CHECK(bags.ids[3] == std::vector<uint32_t>{1});  // Label 0 of the character before, as id 1.
  // The full-width comma after it reads as ASCII: same class features as ','.
  const std::u32string ascii = U"中文,ab";
  CharScratch scratch2;
  FeatureBags bags2;
  featurizer.Prepare(ascii.data(), ascii.size(), &scratch2);
  featurizer.Extract(scratch2, 1, tags, &bags2);
  CHECK(bags2.ids == bags.ids);
  // At the first character the bigram before reaches the padding.
  featurizer.Extract(scratch, 0, tags, &bags);
  const char32_t padded[] = {kCharPadBefore, U'中'};
  CHECK(bags.ids[1] == std::vector<uint32_t>{BucketOf(Reseed(HashCodepoints(padded, 2, 0x4302), (*spec).groups[1].seed()), 1000)});
  CHECK(bags.ids[3] == std::vector<uint32_t>{0});
}

TEST_CASE("clex features say which lexicon words begin, end and run across a character", "[char_features]") {
  absl::StatusOr<FeatureSpec> spec = FeatureSpec::Parse(
      "x0=clex(order=3,offset=0,buckets=500,dim=4,bits=8);x+1=clex(order=3,offset=1,share=x0)");
  REQUIRE(spec.ok());
  // Words are looked up as normalized: the lexicon holds "ab" for the text's "ＡＢ".
  const Lexicon lexicon = Lexicon::Build({{U"中文"}, {U"文字"}, {U"中文字典"}, {U"ab"}}, 10, 8);
  CharFeaturizer featurizer(*spec, &lexicon);
  CharScratch scratch;
  FeatureBags bags;
  const std::u32string text = U"中文字典好ＡＢ";
  featurizer.Prepare(text.data(), text.size(), &scratch);
  // Lengths, each followed by its word's class (all 0 here; see below).
  const auto id = [&](char32_t b, char32_t e, char32_t m, char32_t bc = 0, char32_t ec = 0, char32_t mc = 0) {
    const char32_t key[6] = {b, bc, e, ec, m, mc};
    return std::vector<uint32_t>{BucketOf(Reseed(HashCodepoints(key, 6, 0x4c58), (*spec).groups[0].seed()), 500)};
  };
  // 中: begins 中文 and 中文字典 (4, capped at the order, 3).
  featurizer.Extract(scratch, 0, nullptr, &bags);
  CHECK(bags.ids[0] == id(3, 0, 0));
  CHECK(bags.ids[1] == id(2, 2, 3));  // 文: begins 文字, ends 中文, inside 中文字典.
  featurizer.Extract(scratch, 2, nullptr, &bags);
  CHECK(bags.ids[0] == id(0, 2, 3));  // 字: ends 文字, inside 中文字典.
  CHECK(bags.ids[1] == id(0, 3, 0));  // 典: ends 中文字典.
  featurizer.Extract(scratch, 4, nullptr, &bags);
  CHECK(bags.ids[0] == id(0, 0, 0));
  CHECK(bags.ids[1] == id(2, 0, 0));  // Ａ begins "ab".
  featurizer.Extract(scratch, 6, nullptr, &bags);
  CHECK(bags.ids[1] == id(0, 0, 0));  // Past the end.
  // Without a lexicon the groups give no ids (the model loader refuses such a model; see classifier tests).
  CharFeaturizer without(*spec);
  without.Prepare(text.data(), text.size(), &scratch);
  without.Extract(scratch, 0, nullptr, &bags);
  CHECK(bags.ids[0].empty());
  CHECK_FALSE(FeatureSpec::Parse("x0=clex(order=1,offset=0,buckets=5,dim=4,bits=8)").ok());
  CHECK_FALSE(FeatureSpec::Parse("x0=clex(order=3,offset=0,buckets=5,dim=4,bits=8);x1=clex(order=4,offset=1,share=x0)")
                  .ok());
  // Words longer than the lexicon's prefix length are found through their prefix.
  const Lexicon longer = Lexicon::Build({{U"特兰西瓦尼亚"}}, 10, 8);
  CharFeaturizer long_words(*spec, &longer);
  const std::u32string transylvania = U"在特兰西瓦尼亚";
  long_words.Prepare(transylvania.data(), transylvania.size(), &scratch);
  long_words.Extract(scratch, 1, nullptr, &bags);
  CHECK(bags.ids[0] == id(3, 0, 0));
  long_words.Extract(scratch, 6, nullptr, &bags);
  CHECK(bags.ids[0] == id(0, 3, 0));
  // The class of the longest word of each kind comes with its length.
  const Lexicon classes = Lexicon::Build({{U"中文", 1}, {U"中文字典", 3}, {U"文字", 2}}, 10, 8, 2);
  CharFeaturizer with_classes(*spec, &classes);
  with_classes.Prepare(text.data(), text.size(), &scratch);
  with_classes.Extract(scratch, 1, nullptr, &bags);
  CHECK(bags.ids[0] == id(2, 2, 3, 2, 1, 3));  // 文: begins 文字 (2), ends 中文 (1), inside 中文字典 (3).
}
