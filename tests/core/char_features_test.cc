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
