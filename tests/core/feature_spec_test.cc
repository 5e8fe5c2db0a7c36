#include "src/core/feature_spec.h"

#include <catch2/catch.hpp>

#include "src/core/budget.h"
#include "src/core/text_features.h"

using namespace slimnlp::core;

TEST_CASE("a feature spec round-trips through its text form", "[features]") {
  const std::string text =
      "c2=ngram(order=2,buckets=6000,dim=16,bits=8);w=word(buckets=100,dim=8,bits=4);s=script(buckets=64,dim=8,bits=8)";
  absl::StatusOr<FeatureSpec> spec = FeatureSpec::Parse(text);
  REQUIRE(spec.ok());
  REQUIRE(spec->groups.size() == 3);
  CHECK(spec->groups[0].kind == FeatureKind::kCharNgram);
  CHECK(spec->groups[0].order == 2);
  CHECK(spec->groups[1].bits == 4);
  CHECK(spec->InputDim() == 32);
  CHECK(spec->ToString() == text);
  CHECK(spec->groups[1].TableBytes() == 100 * (4 + 2));
}

TEST_CASE("malformed feature specs are refused with the group named", "[features]") {
  for (const char* bad : {"", "c2=ngram(order=2,buckets=10,dim=16", "c2=bogus(buckets=1,dim=1,bits=8)",
                          "c2=ngram(order=0,buckets=10,dim=4,bits=8)", "c2=ngram(order=2,buckets=10,dim=4,bits=3)",
                          "c2=ngram(order=2,dim=4,bits=8)", "a=word(buckets=1,dim=1,bits=8);a=word(buckets=1,dim=1,bits=8)",
                          "c2=ngram(order=2,buckets=x,dim=4,bits=8)", "c2=ngram(order=2,buckets=99999999,dim=4,bits=8)"}) {
    INFO(bad);
    absl::StatusOr<FeatureSpec> spec = FeatureSpec::Parse(bad);
    CHECK(spec.status().code() == absl::StatusCode::kInvalidArgument);
  }
}

namespace {
FeatureSpec TestSpec() {
  return *FeatureSpec::Parse(
      "c1=ngram(order=1,buckets=1000,dim=4,bits=8);c2=ngram(order=2,buckets=1000,dim=4,bits=8);"
      "c4=ngram(order=4,buckets=1000,dim=4,bits=8);w=word(buckets=1000,dim=4,bits=8);s=script(buckets=64,dim=4,bits=8)");
}
}  // namespace

TEST_CASE("text features come from letters with boundary spaces", "[features]") {
  const FeatureSpec spec = TestSpec();
  TextFeatureScratch scratch;
  FeatureBags bags;
  const std::u32string text = U"ab, c1d";  // Letters "ab", "c", "d": digits and punctuation separate words.
  const size_t letters = ExtractTextFeatures(spec, text.data(), text.size(), &scratch, &bags);
  CHECK(letters == 4);
  CHECK(std::u32string(scratch.stream.begin(), scratch.stream.end()) == U" ab c d ");
  CHECK(bags.ids[0].size() == 4);   // Unigrams of letters only.
  CHECK(bags.ids[1].size() == 7);   // Every bigram of " ab c d ".
  CHECK(bags.ids[2].size() == 5);   // Every 4-gram.
  CHECK(bags.ids[3].size() == 3);   // Three words.
  CHECK(bags.ids[4].size() == 4);   // A script per letter.
  for (const auto& ids : bags.ids)
    for (uint32_t id : ids) CHECK(id < 1000);
  // Same letters, same features: the bag depends on the letters, not on what separates them.
  FeatureBags again;
  const std::u32string other = U"ab - c  9 d!";
  ExtractTextFeatures(spec, other.data(), other.size(), &scratch, &again);
  CHECK(again.ids == bags.ids);
}

TEST_CASE("text without letters has no features", "[features]") {
  const FeatureSpec spec = TestSpec();
  TextFeatureScratch scratch;
  FeatureBags bags;
  const std::u32string text = U"12 345 ?! -- ☺";
  CHECK(ExtractTextFeatures(spec, text.data(), text.size(), &scratch, &bags) == 0);
  for (const auto& ids : bags.ids) CHECK(ids.empty());
}

TEST_CASE("the budget fitter stays within the budget and refuses a budget too small", "[budget]") {
  std::vector<GroupTemplate> groups;
  FeatureGroupSpec g;
  g.name = "c2";
  g.order = 2;
  g.dim = 16;
  groups.push_back({g, 1.0, 100});
  g.name = "c1";
  g.order = 1;
  groups.push_back({g, 1.0, 10, 500});
  const std::vector<std::string> labels = {"a", "b", "c"};
  for (size_t budget : {64 * 1024, 256 * 1024, 1024 * 1024}) {
    absl::StatusOr<FeatureSpec> spec = FitToBudget(groups, {32}, labels, budget);
    REQUIRE(spec.ok());
    size_t bytes = kBudgetReserveBytes + DenseBytes(spec->InputDim(), {32}, 3);
    for (const auto& group : spec->groups) bytes += group.TableBytes();
    CHECK(bytes <= budget);
    CHECK(bytes > budget * 9 / 10);           // And uses most of it.
    CHECK(spec->groups[1].buckets <= 500);    // Caps hold.
  }
  CHECK(FitToBudget(groups, {32}, labels, 4096).status().code() == absl::StatusCode::kOutOfRange);
}
