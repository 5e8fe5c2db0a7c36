// The pipeline on raw text in any supported language: language identification, then that language's sentence
// splitter, segmenter (tokenizer) and part-of-speech tagger.
//
//   #include <slimnlp/pipeline.h>
//
//   slimnlp::PipelineOptions options;
//   options.models_dir = "models";                                       // langid.slim, seg-*.slim, pos-*.slim
//   auto pipeline = slimnlp::Pipeline::Load(options);                    // absl::StatusOr
//   auto a = (*pipeline)->Annotate("Je vais au marché.");                // absl::StatusOr<Annotation>
//   // a->language == "fr"; a->words: Je/PRON vais/VERB à/ADP le/DET marché/NOUN ./PUNCT ("au" = "à le")
//
// A language's models are files named sent-<lang>.slim, seg-<lang>.slim and pos-<lang>.slim in the models
// directory, where <lang> is the part of the identified label before any '-' ("zh" for "zh-Hant"). A language
// without a sentence splitter keeps each text as one sentence; one without a segmenter is tokenized by
// SimpleTokenize; one without a tagger gets no tags ("_").
//
// Thread safety: Annotate, AnnotateAs, segmenter and tagger are const and may be called from any number of
// threads. Models not preloaded are loaded on first use under a lock, once; after that they are shared
// read-only.
#ifndef SLIMNLP_INCLUDE_SLIMNLP_PIPELINE_H_
#define SLIMNLP_INCLUDE_SLIMNLP_PIPELINE_H_

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "slimnlp/langid.h"
#include "slimnlp/segmenter.h"
#include "slimnlp/sentence_splitter.h"
#include "slimnlp/tagger.h"

namespace slimnlp {

// A word to tag, and where it lies in the text. Treebanks write some tokens as several words (French "du" =
// "de le"): such a multiword token's words share its span, the first has token_words = their number, the
// others 0.
struct Word {
  std::string form;
  TextSpan span;
  size_t token_words = 1;
  std::string_view upos = "_";  // Set by TagWords; points into the tagger's model.
};

// Splits `text` (valid UTF-8) into words: with `segmenter` and its multiword table, or with SimpleTokenize if
// `segmenter` is null.
void SplitWords(const Segmenter* segmenter, std::string_view text, std::vector<Word>* words);

// Sets each word's upos. Errors as Tagger::Tag.
absl::Status TagWords(const Tagger& tagger, std::vector<Word>* words);

// The tokens of `text` as byte spans (cleared first): split into sentences with `splitter` (null: the text is
// one sentence), each sentence segmented on its own by `segmenter` (a segmenter learns from sentences: "I saw.
// I left." keeps "saw." whole if segmented as one line), or by SimpleTokenize when it is null.
void SegmentSentences(const SentenceSplitter* splitter, const Segmenter* segmenter, std::string_view text,
                      std::vector<TextSpan>* tokens);

// Splits `text` into sentences with `splitter` (null: the text is one sentence), each sentence into words as
// SplitWords does, and tags each sentence's words on its own with `tagger` (null: upos stays "_"). Words' spans
// are into `text`; `*sentence_starts` as Annotation's. Errors as Tagger::Tag.
absl::Status SplitAndTag(const SentenceSplitter* splitter, const Segmenter* segmenter, const Tagger* tagger,
                         std::string_view text, std::vector<Word>* words, std::vector<size_t>* sentence_starts);

struct PipelineOptions {
  std::string models_dir = "models";
  std::string langid_model;  // Default: models_dir/langid.slim.
  LangIdOptions langid;
  TaggerOptions tagger;
  bool preload = false;  // Load every language's models now instead of on first use (a server wants this).
  // Split each text into sentences where the language has a splitter; false: each text is one sentence.
  bool split_sentences = true;
};

struct Annotation {
  std::string language;     // The identified label ("fr", "zh-Hant", "und") or the one given to AnnotateAs.
  bool identified = false;  // Whether `language` was identified (Annotate) rather than given (AnnotateAs).
  float probability = 0;    // Language identification's probability; 0 when the language was given.
  bool reliable = false;    // As LanguageGuess::reliable; false when the language was given (nothing measured).
  bool segmented = false;   // Split by a segmenter model, not SimpleTokenize.
  bool tagged = false;      // Tagged by a model; otherwise every upos is "_".
  bool split = false;       // Split into sentences by a model; otherwise the text is one sentence.
  std::vector<Word> words;
  // Where each sentence begins in `words`: ascending word indexes, the first 0; empty when there are no words.
  // Each sentence is tagged on its own.
  std::vector<size_t> sentence_starts;
};

class Pipeline {
 public:
  // Loads the language identifier and lists the directory's seg-/pos- models (loading them if
  // options.preload). NotFound if the directory or the identifier is missing; a model's load errors.
  static absl::StatusOr<std::unique_ptr<Pipeline>> Load(const PipelineOptions& options);

  // Identifies the language of `text`, then segments and tags it with that language's models.
  // InvalidArgument (naming the byte offset) for invalid UTF-8; a model that exists but fails to load gives
  // its load error.
  absl::StatusOr<Annotation> Annotate(std::string_view text) const;
  // The same with the language given ("en", "zh", ...) instead of identified.
  absl::StatusOr<Annotation> AnnotateAs(std::string_view text, std::string_view language) const;

  // The language a caller names (a BCP-47 tag, any case: "EN", "zh-Hant", "pt_BR") as the pipeline knows it:
  // the identifier's label it matches ("zh-Hant"), else the primary subtag ("en") when the identifier or a
  // model knows that. InvalidArgument naming the tag when neither does ("xx-bogus"), or when it is malformed.
  absl::StatusOr<std::string> ResolveLanguage(std::string_view tag) const;

  const LanguageIdentifier& identifier() const { return *identifier_; }
  // The models of `language` ("zh-Hant" means "zh"): null if the directory has none. Errors as Load.
  absl::StatusOr<const SentenceSplitter*> sentence_splitter(std::string_view language) const;
  absl::StatusOr<const Segmenter*> segmenter(std::string_view language) const;
  absl::StatusOr<const Tagger*> tagger(std::string_view language) const;
  // Languages with a sentence splitter, a segmenter or a tagger in the directory, sorted.
  const std::vector<std::string>& languages() const { return languages_; }
  // Every model file the pipeline may use: the identifier's, then each language's sent-, seg- and pos- files.
  std::vector<std::string> model_paths() const;

 private:
  struct LanguageModels {
    absl::Status status;
    std::unique_ptr<SentenceSplitter> splitter;
    std::unique_ptr<Segmenter> segmenter;
    std::unique_ptr<Tagger> tagger;
  };
  Pipeline() = default;
  absl::StatusOr<const LanguageModels*> Models(std::string_view language) const;
  std::string ModelPath(const std::string& prefix, const std::string& language) const;

  PipelineOptions options_;
  std::unique_ptr<LanguageIdentifier> identifier_;
  std::vector<std::string> languages_;
  mutable std::mutex mu_;  // Guards loaded_; entries never move or change once inserted.
  mutable std::map<std::string, std::unique_ptr<LanguageModels>, std::less<>> loaded_;
};

}  // namespace slimnlp

#endif  // SLIMNLP_INCLUDE_SLIMNLP_PIPELINE_H_
