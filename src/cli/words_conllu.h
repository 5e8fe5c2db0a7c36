// Words of a text line (slimnlp::Word, from the pipeline) as a CoNLL-U sentence. Shared by `slimnlp tag` and
// `slimnlp annotate`.
#ifndef SLIMNLP_SRC_CLI_WORDS_CONLLU_H_
#define SLIMNLP_SRC_CLI_WORDS_CONLLU_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_format.h"
#include "slimnlp/pipeline.h"

namespace slimnlp::cli {

// What a sentence's CoNLL-U says when its language has no tokenizer or tagger model (empty when it has both):
// `slimnlp annotate` and the Python binding write it as a "# models = ..." comment, so that no sentence is left
// untagged without a word.
inline std::string MissingModelsNote(const std::string& language, bool segmented, bool tagged) {
  std::string note;
  const auto add = [&](const std::string& s) { note += (note.empty() ? "" : "; ") + s; };
  if (language == "und") {
    if (!segmented || !tagged) add("language not identified: rule-based tokenizer, UPOS left as _");
  } else {
    if (!segmented) add("no tokenizer model (seg-" + language + ".slim): rule-based tokenizer");
    if (!tagged) add("no tagger model (pos-" + language + ".slim): UPOS left as _");
  }
  return note;
}

// `# sent_id` (what the UD validator requires of every sentence), `# text`, multiword range lines, the UPOS
// column, SpaceAfter=No where no space follows; `comments` (each "# ...\n") after the sent_id. A line without
// words gives nothing: CoNLL-U has no empty sentences.
inline std::string WordsToConllu(std::string_view text, const std::vector<Word>& words, const std::string& sent_id,
                                 std::string_view comments = "") {
  if (words.empty()) return "";
  std::string s = absl::StrFormat("# sent_id = %s\n%s# text = %s\n", sent_id, comments, text);
  for (size_t i = 0; i < words.size(); ++i) {
    const TextSpan span = words[i].span;
    const bool space_after = span.end < text.size() && (text[span.end] == ' ' || text[span.end] == '\t');
    const char* misc = space_after || span.end == text.size() ? "_" : "SpaceAfter=No";
    if (words[i].token_words > 1) {
      absl::StrAppendFormat(&s, "%d-%d\t%s\t_\t_\t_\t_\t_\t_\t_\t%s\n", i + 1, i + words[i].token_words,
                            text.substr(span.begin, span.end - span.begin), misc);
    }
    const bool in_multiword = words[i].token_words != 1;
    absl::StrAppendFormat(&s, "%d\t%s\t_\t%s\t_\t_\t_\t_\t_\t%s\n", i + 1, words[i].form, words[i].upos,
                          in_multiword ? "_" : misc);
  }
  return s + "\n";
}

}  // namespace slimnlp::cli

#endif  // SLIMNLP_SRC_CLI_WORDS_CONLLU_H_
