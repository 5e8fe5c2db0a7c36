// Words of a text line (slimnlp::Word, from the pipeline) as CoNLL-U sentences, and its sentences as JSON.
// Shared by `slimnlp tag`, `slimnlp annotate`, the server and the Python binding.
#ifndef SLIMNLP_SRC_CLI_WORDS_CONLLU_H_
#define SLIMNLP_SRC_CLI_WORDS_CONLLU_H_

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

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

// One input text (a line) as CoNLL-U: a sentence for each entry of `sentence_starts` (word indexes, as
// Annotation has them; empty means one sentence), each with its own `# text`; `comments` go on each. The
// sent_id is `line_id` for a text of one sentence, else line_id.1, line_id.2, ...: still traced to its line.
inline std::string SentencesToConllu(std::string_view text, const std::vector<Word>& words,
                                     const std::vector<size_t>& sentence_starts, const std::string& line_id,
                                     std::string_view comments = "") {
  if (sentence_starts.size() <= 1) return WordsToConllu(text, words, line_id, comments);
  std::string out;
  std::vector<Word> sentence;
  for (size_t k = 0; k < sentence_starts.size(); ++k) {
    const size_t first = sentence_starts[k], end = k + 1 < sentence_starts.size() ? sentence_starts[k + 1] : words.size();
    if (first >= end) continue;
    const size_t begin = words[first].span.begin, stop = words[end - 1].span.end;
    sentence.assign(words.begin() + first, words.begin() + end);
    for (Word& w : sentence) {
      w.span.begin -= begin;
      w.span.end -= begin;
    }
    out += WordsToConllu(text.substr(begin, stop - begin), sentence, absl::StrFormat("%s.%d", line_id, k + 1), comments);
  }
  return out;
}

// The sentences of an annotation for JSON output (`slimnlp annotate`, the server's /v1/annotate): each one's byte
// span in the text and the indexes of its first and last entries in the "tokens" array (one entry a word).
inline nlohmann::json SentencesJson(const Annotation& a) {
  nlohmann::json sentences = nlohmann::json::array();
  for (size_t k = 0; k < a.sentence_starts.size(); ++k) {
    const size_t first = a.sentence_starts[k];
    const size_t last = (k + 1 < a.sentence_starts.size() ? a.sentence_starts[k + 1] : a.words.size()) - 1;
    sentences.push_back({{"begin", a.words[first].span.begin},
                         {"end", a.words[last].span.end},
                         {"first_token", first},
                         {"last_token", last}});
  }
  return sentences;
}

}  // namespace slimnlp::cli

#endif  // SLIMNLP_SRC_CLI_WORDS_CONLLU_H_
