// EvaluateTagger: UPOS accuracy on gold tokens, on out-of-vocabulary tokens, and the confusion of tags.
#include <chrono>
#include <map>
#include <unordered_set>

#include "slimnlp/tagger.h"
#include "src/core/conllu.h"

namespace slimnlp {

absl::StatusOr<PosEvalReport> EvaluateTagger(const Tagger& tagger, const std::string& data_path,
                                             const std::string& train_path) {
  absl::StatusOr<std::vector<core::ConlluSentence>> data = core::ReadConllu(data_path);
  if (!data.ok()) return data.status();
  std::unordered_set<std::string> vocabulary;
  if (!train_path.empty()) {
    absl::StatusOr<std::vector<core::ConlluSentence>> train = core::ReadConllu(train_path);
    if (!train.ok()) return train.status();
    for (const auto& s : *train)
      for (size_t w : s.words) vocabulary.insert(s.rows[w].form());
  }
  PosEvalReport r;
  r.tags = tagger.tag_set();
  std::map<std::string_view, size_t> index;
  for (size_t i = 0; i < r.tags.size(); ++i) index[r.tags[i]] = i;
  r.confusion.assign(r.tags.size() + 1, std::vector<size_t>(r.tags.size(), 0));
  std::vector<std::string_view> forms, predicted;
  double seconds = 0;
  for (const auto& s : *data) {
    forms.clear();
    for (size_t w : s.words) forms.push_back(s.rows[w].form());
    const auto start = std::chrono::steady_clock::now();
    if (absl::Status st = tagger.Tag(forms, &predicted); !st.ok()) return st;
    seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    for (size_t i = 0; i < forms.size(); ++i) {
      const std::string& gold = s.rows[s.words[i]].upos();
      const bool right = predicted[i] == gold;
      ++r.tokens;
      r.correct += right;
      if (!train_path.empty() && !vocabulary.count(std::string(forms[i]))) {
        ++r.oov_tokens;
        r.oov_correct += right;
      }
      const auto g = index.find(gold);
      r.confusion[g == index.end() ? r.tags.size() : g->second][index.at(predicted[i])]++;
    }
  }
  r.accuracy = r.tokens ? static_cast<double>(r.correct) / r.tokens : 0;
  r.oov_accuracy = r.oov_tokens ? static_cast<double>(r.oov_correct) / r.oov_tokens : 0;
  r.seconds = seconds;
  return r;
}

}  // namespace slimnlp
