#include "src/core/token_features.h"

#include <catch2/catch.hpp>

#include "src/core/hash.h"

using namespace slimnlp::core;

namespace {
FeatureSpec Spec() {
  return *FeatureSpec::Parse(
      "w0=tword(offset=0,buckets=1000,dim=4,bits=8);w1=tword(offset=1,share=w0);wm1=tword(offset=-1,share=w0);"
      "c2=tngram(order=2,offset=0,buckets=500,dim=4,bits=8);suf=tsuffix(order=3,offset=0,buckets=500,dim=4,bits=8);"
      "pre=tprefix(order=2,offset=0,buckets=500,dim=4,bits=8);sh=tshape(offset=0,buckets=100,dim=4,bits=8);"
      "t1=prevtag(offset=-1,buckets=4,dim=2,bits=8)");
}
}  // namespace

TEST_CASE("token feature hashes are frozen: golden values", "[token_features][hash]") {
  // Part of the model format: if this fails, every shipped tagger is invalid.
  TokenScratch s;
  const FeatureSpec spec = Spec();
  TokenFeaturizer f(spec);
  f.Prepare({"Cats", "1999"}, &s);
  const std::u32string cats = U"cats";
  CHECK(s.tokens[0].word == HashCodepoints(cats.data(), cats.size(), 0x57));
  CHECK(s.tokens[0].word == 0x6EF4C3C3u);
  const std::u32string year = U"0000";  // Digits map to '0'.
  CHECK(s.tokens[1].word == HashCodepoints(year.data(), year.size(), 0x57));
  const std::u32string shape = {U'X', U'x', 4};
  CHECK(s.tokens[0].shape == HashCodepoints(shape.data(), shape.size(), 0x5348));
  CHECK(Reseed(0x12345678u, 0x9ABCDEF0u) == 0x1D6EF8AEu);
}

TEST_CASE("window features: shared tables, padding, n-grams, affixes, shapes, previous tags",
          "[token_features]") {
  const FeatureSpec spec = Spec();
  TokenFeaturizer f(spec);
  TokenScratch s;
  f.Prepare({"The", "cats", "sat"}, &s);
  const int tags[] = {2, 1, 0};
  FeatureBags at0, at1, at2;
  f.Extract(s, 0, tags, &at0);
  f.Extract(s, 1, tags, &at1);
  f.Extract(s, 2, tags, &at2);
  // A shared table: the word to the right of token 0 gets the same row as that word at its own position.
  CHECK(at0.ids[1] == at1.ids[0]);
  CHECK(at2.ids[2] == at1.ids[0]);
  // Outside the sentence: one padding id per side, the same for every token.
  FeatureBags one;
  TokenScratch s1;
  f.Prepare({"x"}, &s1);
  f.Extract(s1, 0, tags, &one);
  CHECK(one.ids[2] == at0.ids[2]);  // Before the start.
  CHECK(one.ids[1] == at2.ids[1]);  // After the end.
  CHECK(one.ids[1] != one.ids[2]);
  // " cats " has 5 bigrams; suffixes and prefixes up to their order.
  CHECK(at1.ids[3].size() == 5);
  CHECK(at1.ids[4].size() == 3);
  CHECK(at1.ids[5].size() == 2);
  CHECK(at0.ids[4].size() == 3);
  // Same shape for "Cats" and "Dogs", another for "cats".
  TokenScratch s2;
  f.Prepare({"Cats", "Dogs", "cats"}, &s2);
  FeatureBags a, b, c;
  f.Extract(s2, 0, tags, &a);
  f.Extract(s2, 1, tags, &b);
  f.Extract(s2, 2, tags, &c);
  CHECK(a.ids[6] == b.ids[6]);
  CHECK(a.ids[6] != c.ids[6]);
  // The previous tag: 0 before the sentence, tag + 1 after.
  CHECK(at0.ids[7] == std::vector<uint32_t>{0});
  CHECK(at1.ids[7] == std::vector<uint32_t>{3});
  CHECK(at2.ids[7] == std::vector<uint32_t>{2});
  for (const auto* bags : {&at0, &at1, &at2})
    for (size_t g = 0; g < spec.groups.size(); ++g)
      for (uint32_t id : bags->ids[g]) CHECK(id < spec.groups[g].buckets);
}

TEST_CASE("a spec refuses bad sharing and prevtag offsets", "[features]") {
  CHECK_FALSE(FeatureSpec::Parse("a=tword(offset=1,share=b)").ok());
  CHECK_FALSE(FeatureSpec::Parse("a=tword(offset=0,buckets=9,dim=2,bits=8);b=tshape(offset=0,share=a)").ok());
  CHECK_FALSE(FeatureSpec::Parse("t=prevtag(offset=1,buckets=3,dim=2,bits=8)").ok());
  absl::StatusOr<FeatureSpec> ok = FeatureSpec::Parse(Spec().ToString());
  REQUIRE(ok.ok());
  CHECK(ok->ToString() == Spec().ToString());
  CHECK(ok->TableOwners().size() == 6);
  CHECK(ok->TableOf() == std::vector<int>{0, 0, 0, 1, 2, 3, 4, 5});
}

TEST_CASE("tlex features: the token's lexicon class bits, found / not found / outside, the whole class",
          "[token_features][lexicon]") {
  const FeatureSpec spec = *FeatureSpec::Parse(
      "w0=tword(offset=0,buckets=100,dim=4,bits=8);lx0=tlex(offset=0,buckets=64,dim=4,bits=8);"
      "lx1=tlex(offset=1,share=lx0)");
  std::vector<Lexicon::Word> words(2);
  NormalizeToken("Run", &words[0].text);  // Stored as the features see it: "run".
  words[0].word_class = 0b101;
  NormalizeToken("2024", &words[1].text);  // "0000".
  words[1].word_class = 0;
  const Lexicon lex = Lexicon::Build(words, 20, 32, 3, /*prefix_keys=*/false);
  TokenFeaturizer f(spec, &lex);
  TokenScratch s;
  f.Prepare({"RUN", "1999", "walk"}, &s);
  CHECK(s.tokens[0].lexicon_class == 0b101);
  CHECK(s.tokens[1].lexicon_class == 0);
  CHECK(s.tokens[2].lexicon_class == -1);
  const int tags[] = {0, 0, 0};
  FeatureBags b;
  f.Extract(s, 0, tags, &b);
  // Found (id C = 3), bits 0 and 2, and the whole class past the fixed ids.
  REQUIRE(b.ids[1].size() == 4);
  CHECK(b.ids[1][0] == 3);
  CHECK(b.ids[1][1] == 0);
  CHECK(b.ids[1][2] == 2);
  CHECK(b.ids[1][3] == 6 + ((5u * 0x9E3779B1u) >> 8) % (64 - 6));
  CHECK(b.ids[2] == std::vector<uint32_t>{3, 6 + 0});  // "1999": known, no tags; its whole class is 0.
  f.Extract(s, 2, tags, &b);
  CHECK(b.ids[1] == std::vector<uint32_t>{4});  // Not found.
  CHECK(b.ids[2] == std::vector<uint32_t>{5});  // After the sentence.
  // Without a lexicon every token is "not found": a model is never read with a lexicon it was not built with.
  TokenFeaturizer none(spec);
  f.Prepare({"RUN"}, &s);
  none.Prepare({"RUN"}, &s);
  none.Extract(s, 0, tags, &b);
  CHECK(b.ids[1] == std::vector<uint32_t>{1});
}
