// The tagger's dictionary (src/pos/pos_lexicon.h): the file format, its errors, and that a tagger trained with
// one tags words its treebank never showed it by what the dictionary allows them.
#include "src/pos/pos_lexicon.h"

#include <catch2/catch.hpp>

#include "slimnlp/tagger.h"
#include "src/core/rng.h"
#include "src/core/token_features.h"
#include "tests/test_util.h"

using namespace slimnlp;

namespace {

uint64_t StateOf(const std::string& word) {
  std::u32string cps;
  core::NormalizeToken(word, &cps);
  uint64_t state = core::Lexicon::kStart;
  for (char32_t cp : cps) state = core::Lexicon::Extend(state, cp);
  return state;
}

int ClassIn(const core::Lexicon& lex, const std::string& word) {
  std::u32string cps;
  core::NormalizeToken(word, &cps);
  return lex.Find(StateOf(word), cps.size());
}

// Seven letters from the 13 starting at `first`.
std::string RandomWord(core::Rng* rng, char first) {
  std::string w;
  for (int i = 0; i < 7; ++i) w += static_cast<char>(first + rng->Below(13));
  return w;
}

}  // namespace

TEST_CASE("the tag bits of a dictionary are fixed: bit k is the k-th UPOS tag in alphabetical order", "[pos_lexicon]") {
  // Part of the model format: a reordering would silently change every shipped tagger's features.
  CHECK(pos::kLexiconTags.front() == "ADJ");
  CHECK(pos::kLexiconTags[7] == "NOUN");
  CHECK(pos::kLexiconTags[15] == "VERB");
  CHECK(pos::kLexiconTags.back() == "X");
  CHECK(pos::LexiconClassName((1u << 7) | (1u << 15)) == "NOUN,VERB");
  CHECK(pos::LexiconClassName(0) == "KNOWN");
}

TEST_CASE("a dictionary file is read with its tags; case variants join; bad lines are named", "[pos_lexicon][bad_input]") {
  testing::TempDir dir;
  testing::WriteFile(dir.File("lex.tsv"),
                     "# source: test\nrun\tNOUN,VERB\nRun\tPROPN\nquickly\tADV\tcount=3\nzzyzx\tKNOWN\nbare\n"
                     "ＦＵＬＬ\tNOUN\n1999\tNUM\n");
  pos::PosLexiconStats stats;
  absl::StatusOr<core::Lexicon> lex = pos::ReadPosLexicon(dir.File("lex.tsv"), 16, &stats);
  REQUIRE(lex.ok());
  CHECK(stats.lines == 8);
  CHECK(stats.words == 6);  // "run" and "Run" are one word; the comment is no word.
  CHECK(stats.with_tags == 4);
  CHECK(pos::LexiconClassName(ClassIn(*lex, "RUN")) == "NOUN,PROPN,VERB");
  CHECK(pos::LexiconClassName(ClassIn(*lex, "quickly")) == "ADV");
  CHECK(ClassIn(*lex, "zzyzx") == 0);
  CHECK(ClassIn(*lex, "bare") == 0);
  CHECK(pos::LexiconClassName(ClassIn(*lex, "full")) == "NOUN");  // Width and case folded as features are.
  CHECK(pos::LexiconClassName(ClassIn(*lex, "2024")) == "NUM");   // Digits read as '0', as features do.

  testing::WriteFile(dir.File("bad-tag.tsv"), "run\tVERB\nwalk\tVERBS\n");
  absl::StatusOr<core::Lexicon> bad = pos::ReadPosLexicon(dir.File("bad-tag.tsv"), 8, &stats);
  REQUIRE_FALSE(bad.ok());
  CHECK(std::string(bad.status().message()).find("bad-tag.tsv:2: 'VERBS' is not a UPOS tag list") != std::string::npos);
  testing::WriteFile(dir.File("bad-utf8.tsv"), "run\tVERB\n\xff\xfe\tNOUN\n");
  bad = pos::ReadPosLexicon(dir.File("bad-utf8.tsv"), 8, &stats);
  REQUIRE_FALSE(bad.ok());
  CHECK(std::string(bad.status().message()).find("bad-utf8.tsv:2: invalid UTF-8") != std::string::npos);
  testing::WriteFile(dir.File("empty.tsv"), "# nothing\n");
  CHECK(pos::ReadPosLexicon(dir.File("empty.tsv"), 8, &stats).status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(pos::ReadPosLexicon(dir.File("missing.tsv"), 8, &stats).status().code() == absl::StatusCode::kNotFound);
}

TEST_CASE("a tagger with a dictionary tags words unseen in training by the tags the dictionary allows", "[pos_lexicon]") {
  // Sentences "DET W ." where W is a noun or an adjective with equal odds and the words carry no cue of
  // which: only the dictionary can tell the unseen ones apart. Unseen words are made of other letters, so that
  // their character n-grams are as new as they are (shared n-grams would be noise the toy cannot average out).
  core::Rng rng(3);
  std::vector<std::string> seen_nouns, seen_adjs, new_nouns, new_adjs;
  for (int i = 0; i < 30; ++i) {
    seen_nouns.push_back(RandomWord(&rng, 'a'));
    seen_adjs.push_back(RandomWord(&rng, 'a'));
    new_nouns.push_back(RandomWord(&rng, 'n'));
    new_adjs.push_back(RandomWord(&rng, 'n'));
  }
  const auto treebank = [&](const std::vector<std::string>& nouns, const std::vector<std::string>& adjs, int n) {
    std::string out;
    for (int s = 0; s < n; ++s) {
      const bool noun = rng.Below(2);
      const auto& list = noun ? nouns : adjs;
      out += "1\tthe\t_\tDET\t_\t_\t_\t_\t_\t_\n2\t" + list[rng.Below(list.size())] + "\t_\t" +
             (noun ? "NOUN" : "ADJ") + "\t_\t_\t_\t_\t_\t_\n3\t.\t_\tPUNCT\t_\t_\t_\t_\t_\t_\n\n";
    }
    return out;
  };
  testing::TempDir dir;
  testing::WriteFile(dir.File("train.conllu"), treebank(seen_nouns, seen_adjs, 600));
  testing::WriteFile(dir.File("dev.conllu"), treebank(seen_nouns, seen_adjs, 60));
  std::string lexicon = "the\tDET\n.\tPUNCT\n";
  for (const auto& w : seen_nouns) lexicon += w + "\tNOUN\n";
  for (const auto& w : new_nouns) lexicon += w + "\tNOUN\n";
  for (const auto& w : seen_adjs) lexicon += w + "\tADJ\n";
  for (const auto& w : new_adjs) lexicon += w + "\tADJ\n";
  testing::WriteFile(dir.File("lex.tsv"), lexicon);

  const auto accuracy_on_new_words = [&](bool with_lexicon) {
    PosTrainOptions o;
    o.train_path = dir.File("train.conllu");
    o.dev_path = dir.File("dev.conllu");
    o.output_path = dir.File(with_lexicon ? "with.slim" : "without.slim");
    o.budget_bytes = 160 * 1024;
    o.hidden = 32;
    o.epochs = 10;
    o.unknown_words = 0.3f;  // Seen words are learnt by heart otherwise, and the dictionary never needed.
    o.ema_decay = 0;         // A few hundred steps: an average over the last thousand would be mostly the start.
    if (with_lexicon) o.lexicon_path = dir.File("lex.tsv");
    o.lexicon_bits_per_word = 16;  // Few false tag bits: this checks the mechanism, not the filter's noise.
    absl::StatusOr<PosTrainResult> r = TrainTagger(o);
    REQUIRE(r.ok());
    CHECK(r->file_bytes <= o.budget_bytes);
    CHECK(r->memory_bytes <= o.budget_bytes);
    absl::StatusOr<std::unique_ptr<Tagger>> tagger = Tagger::Load(o.output_path);
    REQUIRE(tagger.ok());
    size_t right = 0, total = 0;
    std::vector<std::string_view> tags;
    for (const auto* list : {&new_nouns, &new_adjs}) {
      for (const auto& w : *list) {
        REQUIRE((*tagger)->Tag({"the", w, "."}, &tags).ok());
        right += tags[1] == (list == &new_nouns ? "NOUN" : "ADJ");
        ++total;
      }
    }
    return static_cast<double>(right) / total;
  };
  const double without = accuracy_on_new_words(false), with = accuracy_on_new_words(true);
  INFO("accuracy on words only the dictionary knows: without it " << without << ", with it " << with);
  CHECK(with >= 0.9);  // A Bloom false positive can give a word a second tag now and then.
  CHECK(without <= 0.8);
}
