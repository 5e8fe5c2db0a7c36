#include "src/pos/pos_lexicon.h"

#include <algorithm>
#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "src/core/line_reader.h"
#include "src/core/token_features.h"
#include "src/core/utf8.h"

namespace slimnlp::pos {
namespace {

// The class bits of a comma-separated tag list, or -1 for a name that is not a UPOS tag.
int64_t ClassOf(const std::string& tags) {
  uint32_t cls = 0;
  for (const std::string& tag : std::vector<std::string>(absl::StrSplit(tags, ',', absl::SkipEmpty()))) {
    if (tag == "KNOWN") continue;
    const auto it = std::find(kLexiconTags.begin(), kLexiconTags.end(), tag);
    if (it == kLexiconTags.end()) return -1;
    cls |= 1u << (it - kLexiconTags.begin());
  }
  return cls;
}

std::string TagList(const char* separator) {
  std::string out;
  for (std::string_view tag : kLexiconTags) absl::StrAppend(&out, out.empty() ? "" : separator, std::string(tag));
  return out;
}

}  // namespace

absl::StatusOr<core::Lexicon> ReadPosLexicon(const std::string& path, double bits_per_word, PosLexiconStats* stats) {
  absl::StatusOr<std::unique_ptr<core::LineReader>> in = core::LineReader::Open(path, 4096);
  if (!in.ok()) return in.status();
  *stats = PosLexiconStats();
  std::vector<core::Lexicon::Word> words;
  std::string line;
  bool truncated;
  while ((*in)->Next(&line, &truncated)) {
    ++stats->lines;
    if (line.empty() || line[0] == '#') continue;
    const auto fail = [&](const std::string& what) {
      return absl::InvalidArgumentError(absl::StrFormat("%s:%d: %s", path, (*in)->line_number(), what));
    };
    if (truncated) return fail("line over 4 KiB");
    if (!core::ValidateUtf8(line).ok()) return fail("invalid UTF-8");
    const std::vector<std::string> fields = absl::StrSplit(line, '\t');
    if (fields[0].empty()) return fail("empty word form");
    const int64_t cls = ClassOf(fields.size() > 1 ? fields[1] : "");
    if (cls < 0) return fail(absl::StrFormat("'%s' is not a UPOS tag list (tags: %s, or KNOWN)", fields[1],
                                             TagList(" ")));
    core::Lexicon::Word w;
    core::NormalizeToken(fields[0], &w.text);
    w.word_class = static_cast<uint32_t>(cls);
    words.push_back(std::move(w));
  }
  if (!(*in)->status().ok()) return (*in)->status();
  // Forms that normalize alike ("Apple", "apple") keep the union of their tags.
  std::sort(words.begin(), words.end(),
            [](const core::Lexicon::Word& a, const core::Lexicon::Word& b) { return a.text < b.text; });
  std::vector<core::Lexicon::Word> merged;
  for (auto& w : words) {
    if (w.text.size() > static_cast<size_t>(kLexiconLongest)) continue;
    if (!merged.empty() && merged.back().text == w.text) {
      merged.back().word_class |= w.word_class;
    } else {
      merged.push_back(std::move(w));
    }
  }
  if (merged.empty()) return absl::InvalidArgumentError(absl::StrFormat("%s: no words in the lexicon", path));
  stats->words = merged.size();
  stats->with_tags = std::count_if(merged.begin(), merged.end(), [](const auto& w) { return w.word_class != 0; });
  return core::Lexicon::Build(merged, bits_per_word, kLexiconLongest, static_cast<int>(kLexiconTags.size()),
                              /*prefix_keys=*/false);
}

std::string LexiconClassName(uint32_t word_class) {
  std::vector<std::string> names;
  for (size_t k = 0; k < kLexiconTags.size(); ++k) {
    if ((word_class >> k) & 1) names.emplace_back(kLexiconTags[k]);
  }
  return names.empty() ? "KNOWN" : absl::StrJoin(names, ",");
}

}  // namespace slimnlp::pos
