#include "slimnlp/pipeline.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "src/core/utf8.h"

namespace slimnlp {

void SplitWords(const Segmenter* segmenter, std::string_view text, std::vector<Word>* words) {
  words->clear();
  if (segmenter == nullptr) {
    for (std::string_view t : SimpleTokenize(text)) {
      const size_t b = t.data() - text.data();
      words->push_back({std::string(t), {b, b + t.size()}});
    }
    return;
  }
  thread_local std::vector<TextSpan> spans;
  thread_local std::vector<std::string> expanded;
  segmenter->Segment(text, &spans);
  for (const TextSpan& s : spans) {
    const std::string_view token = text.substr(s.begin, s.end - s.begin);
    if (segmenter->ExpandMultiword(token, &expanded)) {
      for (size_t k = 0; k < expanded.size(); ++k) words->push_back({expanded[k], s, k == 0 ? expanded.size() : 0});
    } else {
      words->push_back({std::string(token), s});
    }
  }
}

absl::Status TagWords(const Tagger& tagger, std::vector<Word>* words) {
  thread_local std::vector<std::string_view> forms, tags;
  forms.clear();
  for (const Word& w : *words) forms.push_back(w.form);
  if (absl::Status s = tagger.Tag(forms, &tags); !s.ok()) return s;
  for (size_t i = 0; i < words->size(); ++i) (*words)[i].upos = tags[i];
  return absl::OkStatus();
}

namespace {

// The sentences of `text` as `splitter` finds them, or the whole text as one.
const std::vector<TextSpan>& Sentences(const SentenceSplitter* splitter, std::string_view text) {
  thread_local std::vector<TextSpan> sentences;
  sentences.clear();
  if (splitter != nullptr) {
    splitter->Split(text, &sentences);
  } else {
    sentences.push_back({0, text.size()});
  }
  return sentences;
}

}  // namespace

void SegmentSentences(const SentenceSplitter* splitter, const Segmenter* segmenter, std::string_view text,
                      std::vector<TextSpan>* tokens) {
  tokens->clear();
  thread_local std::vector<TextSpan> part;
  for (const TextSpan& sentence : Sentences(splitter, text)) {
    const std::string_view piece = text.substr(sentence.begin, sentence.end - sentence.begin);
    part.clear();
    if (segmenter != nullptr) {
      segmenter->Segment(piece, &part);
    } else {
      for (std::string_view t : SimpleTokenize(piece)) {
        const size_t b = t.data() - piece.data();
        part.push_back({b, b + t.size()});
      }
    }
    for (const TextSpan& t : part) tokens->push_back({t.begin + sentence.begin, t.end + sentence.begin});
  }
}

absl::Status SplitAndTag(const SentenceSplitter* splitter, const Segmenter* segmenter, const Tagger* tagger,
                         std::string_view text, std::vector<Word>* words, std::vector<size_t>* sentence_starts) {
  words->clear();
  sentence_starts->clear();
  thread_local std::vector<Word> sentence_words;
  for (const TextSpan& sentence : Sentences(splitter, text)) {
    SplitWords(segmenter, text.substr(sentence.begin, sentence.end - sentence.begin), &sentence_words);
    if (sentence_words.empty()) continue;
    if (tagger != nullptr) {
      if (absl::Status s = TagWords(*tagger, &sentence_words); !s.ok()) return s;
    }
    sentence_starts->push_back(words->size());
    for (Word& w : sentence_words) {
      w.span.begin += sentence.begin;
      w.span.end += sentence.begin;
      words->push_back(std::move(w));
    }
  }
  return absl::OkStatus();
}

namespace {

// The part of a language label that names its model files: "zh" for "zh-Hant".
std::string_view BaseLanguage(std::string_view label) { return label.substr(0, label.find('-')); }

}  // namespace

absl::StatusOr<std::unique_ptr<Pipeline>> Pipeline::Load(const PipelineOptions& options) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(options.models_dir, ec)) {
    return absl::NotFoundError(absl::StrCat("models directory '", options.models_dir, "' does not exist"));
  }
  std::unique_ptr<Pipeline> p(new Pipeline());
  p->options_ = options;
  const std::string lid = options.langid_model.empty() ? (fs::path(options.models_dir) / "langid.slim").string()
                                                       : options.langid_model;
  absl::StatusOr<std::unique_ptr<LanguageIdentifier>> identifier = LanguageIdentifier::Load(lid, options.langid);
  if (!identifier.ok()) return identifier.status();
  p->identifier_ = *std::move(identifier);
  // Only languages found here are ever loaded, so a language named in a request never becomes a path.
  std::set<std::string> languages;
  for (const fs::directory_entry& e : fs::directory_iterator(options.models_dir, ec)) {
    const std::string name = e.path().filename().string();
    if (name.size() <= 9 || name.compare(name.size() - 5, 5, ".slim") != 0) continue;
    if (name.rfind("seg-", 0) == 0 || name.rfind("pos-", 0) == 0) languages.insert(name.substr(4, name.size() - 9));
    if (name.size() > 10 && name.rfind("sent-", 0) == 0) languages.insert(name.substr(5, name.size() - 10));
  }
  if (ec) return absl::NotFoundError(absl::StrCat("cannot list '", options.models_dir, "': ", ec.message()));
  p->languages_.assign(languages.begin(), languages.end());
  if (options.preload) {
    for (const std::string& language : p->languages_) {
      if (absl::StatusOr<const LanguageModels*> m = p->Models(language); !m.ok()) return m.status();
    }
  }
  return p;
}

std::string Pipeline::ModelPath(const std::string& prefix, const std::string& language) const {
  return (std::filesystem::path(options_.models_dir) / (prefix + language + ".slim")).string();
}

std::vector<std::string> Pipeline::model_paths() const {
  std::vector<std::string> paths = {options_.langid_model.empty() ? ModelPath("langid", "") : options_.langid_model};
  std::error_code ec;
  for (const std::string& language : languages_) {
    for (const char* prefix : {"sent-", "seg-", "pos-"}) {
      const std::string path = ModelPath(prefix, language);
      if (std::filesystem::is_regular_file(path, ec)) paths.push_back(path);
    }
  }
  return paths;
}

absl::StatusOr<const Pipeline::LanguageModels*> Pipeline::Models(std::string_view label) const {
  static const LanguageModels kNone;
  const std::string_view language = BaseLanguage(label);
  if (!std::binary_search(languages_.begin(), languages_.end(), language)) return &kNone;
  std::lock_guard<std::mutex> lock(mu_);
  auto it = loaded_.find(language);
  if (it == loaded_.end()) {
    auto m = std::make_unique<LanguageModels>();
    std::error_code ec;
    if (const std::string sent = ModelPath("sent-", std::string(language)); std::filesystem::is_regular_file(sent, ec)) {
      absl::StatusOr<std::unique_ptr<SentenceSplitter>> s = SentenceSplitter::Load(sent);
      if (s.ok()) m->splitter = *std::move(s);
      else m->status = s.status();
    }
    if (const std::string seg = ModelPath("seg-", std::string(language));
        m->status.ok() && std::filesystem::is_regular_file(seg, ec)) {
      absl::StatusOr<std::unique_ptr<Segmenter>> s = Segmenter::Load(seg);
      if (s.ok()) m->segmenter = *std::move(s);
      else m->status = s.status();
    }
    if (const std::string pos = ModelPath("pos-", std::string(language));
        m->status.ok() && std::filesystem::is_regular_file(pos, ec)) {
      absl::StatusOr<std::unique_ptr<Tagger>> t = Tagger::Load(pos, options_.tagger);
      if (t.ok()) m->tagger = *std::move(t);
      else m->status = t.status();
    }
    it = loaded_.emplace(std::string(language), std::move(m)).first;
  }
  if (!it->second->status.ok()) return it->second->status;
  return it->second.get();
}

absl::StatusOr<std::string> Pipeline::ResolveLanguage(std::string_view tag) const {
  const auto lower = [](std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
  };
  std::string wanted = lower(tag);
  std::replace(wanted.begin(), wanted.end(), '_', '-');
  const bool well_formed = !wanted.empty() && wanted.size() <= 35 && wanted.front() != '-' && wanted.back() != '-' &&
                           std::all_of(wanted.begin(), wanted.end(), [](char c) {
                             return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
                           });
  if (!well_formed) {
    return absl::InvalidArgumentError(absl::StrCat("'", std::string(tag.substr(0, 64)), "' is not a language tag (e.g. en, zh-Hant)"));
  }
  const std::vector<std::string>& labels = identifier_->languages();
  for (const std::string& label : labels) {
    if (lower(label) == wanted) return label;
  }
  const std::string base(BaseLanguage(wanted));
  if (std::binary_search(languages_.begin(), languages_.end(), base)) return base;
  for (const std::string& label : labels) {
    if (lower(label) == base) return label;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "unknown language '", std::string(tag), "': neither the language identifier nor a model knows it; languages with models: ",
      absl::StrJoin(languages_, ", ")));
}

absl::StatusOr<const SentenceSplitter*> Pipeline::sentence_splitter(std::string_view language) const {
  absl::StatusOr<const LanguageModels*> m = Models(language);
  if (!m.ok()) return m.status();
  return (*m)->splitter.get();
}

absl::StatusOr<const Segmenter*> Pipeline::segmenter(std::string_view language) const {
  absl::StatusOr<const LanguageModels*> m = Models(language);
  if (!m.ok()) return m.status();
  return (*m)->segmenter.get();
}

absl::StatusOr<const Tagger*> Pipeline::tagger(std::string_view language) const {
  absl::StatusOr<const LanguageModels*> m = Models(language);
  if (!m.ok()) return m.status();
  return (*m)->tagger.get();
}

absl::StatusOr<Annotation> Pipeline::AnnotateAs(std::string_view text, std::string_view language) const {
  if (absl::Status v = core::ValidateUtf8(text); !v.ok()) return v;
  absl::StatusOr<const LanguageModels*> m = Models(language);
  if (!m.ok()) return m.status();
  Annotation a;
  a.language = std::string(language);
  a.segmented = (*m)->segmenter != nullptr;
  a.split = options_.split_sentences && (*m)->splitter != nullptr;
  if (absl::Status s = SplitAndTag(a.split ? (*m)->splitter.get() : nullptr, (*m)->segmenter.get(),
                                   (*m)->tagger.get(), text, &a.words, &a.sentence_starts);
      !s.ok()) {
    return s;
  }
  a.tagged = (*m)->tagger != nullptr && !a.words.empty();
  return a;
}

absl::StatusOr<Annotation> Pipeline::Annotate(std::string_view text) const {
  if (absl::Status v = core::ValidateUtf8(text); !v.ok()) return v;
  absl::StatusOr<LanguageGuess> guess = identifier_->Identify(text);
  if (!guess.ok()) return guess.status();
  absl::StatusOr<Annotation> a = AnnotateAs(text, guess->language);
  if (!a.ok()) return a.status();
  a->identified = true;
  a->probability = guess->probability;
  a->reliable = guess->reliable;
  return a;
}

}  // namespace slimnlp
