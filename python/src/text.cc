// slimnlp.Segmenter, slimnlp.Tagger, slimnlp.Pipeline and their results (Token, Word, Annotation).
#include <memory>

#include "absl/strings/str_format.h"
#include "python/src/bindings.h"
#include "python/src/common.h"
#include "slimnlp/pipeline.h"
#include "src/cli/words_conllu.h"

namespace slimnlp::python {
namespace {

struct Token {
  std::string text;
  size_t begin = 0, end = 0, char_begin = 0, char_end = 0;
};

struct WordOut {
  std::string form, upos;
  size_t begin = 0, end = 0, char_begin = 0, char_end = 0;
  size_t token_words = 1;
};

struct AnnotationOut {
  std::string text, language;
  float probability = 0;
  bool reliable = false, segmented = false, tagged = false;
  std::vector<WordOut> words;
  std::vector<size_t> sentence_starts;  // Index in `words` of each sentence's first word (Annotation's).
  std::string sent_id = "1";  // What `slimnlp annotate` writes: the input line's number.

  // As `slimnlp annotate` writes it: a "# language" comment, then the sentence (src/cli/words_conllu.h).
  std::string ToConllu() const {
    std::vector<Word> w;
    w.reserve(words.size());
    for (const auto& x : words) w.push_back({x.form, {x.begin, x.end}, x.token_words, x.upos});
    std::string header =
        absl::StrFormat("# language = %s %.4f%s\n", language, probability, reliable ? "" : " (unreliable)");
    if (const std::string note = cli::MissingModelsNote(language, segmented, tagged); !note.empty()) {
      header += "# models = " + note + "\n";
    }
    return cli::SentencesToConllu(text, w, sentence_starts, sent_id, header);
  }
};

std::vector<Token> ToTokens(std::string_view text, const std::vector<TextSpan>& spans) {
  std::vector<Token> out;
  out.reserve(spans.size());
  CharOffsets chars(text);
  for (const TextSpan& s : spans) {
    const size_t cb = chars.At(s.begin), ce = chars.At(s.end);
    out.push_back({std::string(text.substr(s.begin, s.end - s.begin)), s.begin, s.end, cb, ce});
  }
  return out;
}

std::vector<WordOut> ToWords(std::string_view text, const std::vector<Word>& words) {
  std::vector<WordOut> out;
  out.reserve(words.size());
  CharOffsets chars(text);
  for (const Word& w : words) {
    const size_t cb = chars.At(w.span.begin), ce = chars.At(w.span.end);
    out.push_back({w.form, std::string(w.upos), w.span.begin, w.span.end, cb, ce, w.token_words});
  }
  return out;
}

AnnotationOut ToAnnotation(std::string_view text, Annotation&& a) {
  AnnotationOut out{std::string(text), std::move(a.language), a.probability, a.reliable, a.segmented, a.tagged, {}};
  out.words = ToWords(text, a.words);
  out.sentence_starts = std::move(a.sentence_starts);
  return out;
}

std::string ErrorPrefix(size_t index) { return absl::StrFormat("text %d: ", index + 1); }

class PySegmenter {
 public:
  PySegmenter(const py::object& path, const std::optional<std::string>& language) {
    path_ = PathArg(path).value_or("");
    if (path_.empty()) path_ = DefaultModelPath("seg-" + language.value_or("zh") + ".slim");
    absl::StatusOr<std::unique_ptr<Segmenter>> seg;
    {
      py::gil_scoped_release release;
      seg = Segmenter::Load(path_);
    }
    if (!seg.ok()) ThrowStatus(seg.status());
    seg_ = *std::move(seg);
  }

  std::vector<Token> Segment(const py::object& text_obj) const {
    const std::string_view text = TextArg(text_obj);
    std::vector<TextSpan> spans;
    std::vector<Token> out;
    {
      py::gil_scoped_release release;
      seg_->Segment(text, &spans);
      out = ToTokens(text, spans);
    }
    return out;
  }

  py::list SegmentBatch(const py::object& texts) const {
    TextBatch batch = TextBatchArg(texts);
    std::vector<std::vector<Token>> out(batch.texts.size());
    {
      py::gil_scoped_release release;
      std::vector<TextSpan> spans;
      for (size_t i = 0; i < batch.texts.size(); ++i) {
        seg_->Segment(batch.texts[i], &spans);
        out[i] = ToTokens(batch.texts[i], spans);
      }
    }
    py::list list(out.size());
    for (size_t i = 0; i < out.size(); ++i) list[i] = py::cast(std::move(out[i]));
    return list;
  }

  std::optional<std::vector<std::string>> ExpandMultiword(const std::string& token) const {
    std::vector<std::string> words;
    if (!seg_->ExpandMultiword(token, &words)) return std::nullopt;
    return words;
  }

  const Segmenter& model() const { return *seg_; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::unique_ptr<Segmenter> seg_;
};

class PyTagger {
 public:
  PyTagger(const py::object& path, const std::optional<std::string>& language, const py::object& tokenizer) {
    path_ = PathArg(path).value_or("");
    if (path_.empty()) path_ = DefaultModelPath("pos-" + language.value_or("en") + ".slim");
    // The tokenizer for tag_text, as `slimnlp tag` picks it: a segmenter model given, "simple" (rules), or
    // seg-<lang>.slim beside pos-<lang>.slim if there is one.
    std::string seg_path;
    if (!tokenizer.is_none()) {
      seg_path = *PathArg(tokenizer);
      if (seg_path == "simple") seg_path.clear();
    } else {
      const size_t slash = path_.find_last_of('/');
      const size_t name = slash == std::string::npos ? 0 : slash + 1;
      if (path_.compare(name, 4, "pos-") == 0) {
        const std::string beside = path_.substr(0, name) + "seg-" + path_.substr(name + 4);
        if (py::module_::import("os.path").attr("isfile")(beside).cast<bool>()) seg_path = beside;
      }
    }
    absl::StatusOr<std::unique_ptr<Tagger>> tagger;
    absl::StatusOr<std::unique_ptr<Segmenter>> seg = std::unique_ptr<Segmenter>();
    {
      py::gil_scoped_release release;
      tagger = Tagger::Load(path_);
      if (tagger.ok() && !seg_path.empty()) seg = Segmenter::Load(seg_path);
    }
    if (!tagger.ok()) ThrowStatus(tagger.status());
    if (!seg.ok()) ThrowStatus(seg.status(), "tokenizer: ");
    tagger_ = *std::move(tagger);
    tokenizer_ = *std::move(seg);
    tokenizer_path_ = seg_path;
  }

  std::vector<std::string> Tag(const py::object& tokens_obj) const {
    TextBatch tokens = TextBatchArg(tokens_obj);
    std::vector<std::string_view> tags;
    absl::Status s;
    {
      py::gil_scoped_release release;
      s = tagger_->Tag(tokens.texts, &tags);
    }
    ThrowIfError(s);
    return std::vector<std::string>(tags.begin(), tags.end());
  }

  py::list TagBatch(const py::object& sentences) const {
    std::vector<TextBatch> batches;
    for (py::handle s : py::iter(sentences)) batches.push_back(TextBatchArg(s));
    std::vector<std::vector<std::string>> out(batches.size());
    absl::Status error;
    size_t error_at = 0;
    {
      py::gil_scoped_release release;
      std::vector<std::string_view> tags;
      for (size_t i = 0; i < batches.size() && error.ok(); ++i) {
        error = tagger_->Tag(batches[i].texts, &tags);
        out[i].assign(tags.begin(), tags.end());
        error_at = i;
      }
    }
    if (!error.ok()) ThrowStatus(error, absl::StrFormat("sentence %d: ", error_at + 1));
    return py::cast(std::move(out));
  }

  std::vector<WordOut> TagText(const py::object& text_obj) const {
    const std::string_view text = TextArg(text_obj);
    std::vector<WordOut> out;
    absl::Status s;
    {
      py::gil_scoped_release release;
      std::vector<Word> words;
      s = TagTextInto(text, &words);
      if (s.ok()) out = ToWords(text, words);
    }
    ThrowIfError(s);
    return out;
  }

  py::list TagTextBatch(const py::object& texts) const {
    TextBatch batch = TextBatchArg(texts);
    std::vector<std::vector<WordOut>> out(batch.texts.size());
    absl::Status error;
    size_t error_at = 0;
    {
      py::gil_scoped_release release;
      std::vector<Word> words;
      for (size_t i = 0; i < batch.texts.size() && error.ok(); ++i) {
        error = TagTextInto(batch.texts[i], &words);
        out[i] = ToWords(batch.texts[i], words);
        error_at = i;
      }
    }
    if (!error.ok()) ThrowStatus(error, ErrorPrefix(error_at));
    py::list list(out.size());
    for (size_t i = 0; i < out.size(); ++i) list[i] = py::cast(std::move(out[i]));
    return list;
  }

  const std::vector<std::string>& tag_set() const { return tagger_->tag_set(); }
  const Tagger& model() const { return *tagger_; }
  const std::string& path() const { return path_; }
  const std::string& tokenizer_path() const { return tokenizer_path_; }

 private:
  absl::Status TagTextInto(std::string_view text, std::vector<Word>* words) const {
    SplitWords(tokenizer_.get(), text, words);
    return TagWords(*tagger_, words);
  }

  std::string path_, tokenizer_path_;
  std::unique_ptr<Tagger> tagger_;
  std::unique_ptr<Segmenter> tokenizer_;
};

class PyPipeline {
 public:
  PyPipeline(const py::object& models_dir, const py::object& langid_model, bool preload, float threshold) {
    PipelineOptions options;
    options.models_dir = PathArg(models_dir).value_or(DefaultModelsDir());
    options.langid_model = PathArg(langid_model).value_or("");
    options.preload = preload;
    options.langid.reliability_threshold = threshold;
    absl::StatusOr<std::unique_ptr<Pipeline>> p;
    {
      py::gil_scoped_release release;
      p = Pipeline::Load(options);
    }
    if (!p.ok()) ThrowStatus(p.status());
    pipeline_ = *std::move(p);
    models_dir_ = options.models_dir;
  }

  AnnotationOut Annotate(const py::object& text_obj, const std::optional<std::string>& language) const {
    const std::string_view text = TextArg(text_obj);
    absl::StatusOr<AnnotationOut> out;
    {
      py::gil_scoped_release release;
      out = AnnotateOne(text, language);
    }
    if (!out.ok()) ThrowStatus(out.status());
    return *std::move(out);
  }

  py::list AnnotateBatch(const py::object& texts, const std::optional<std::string>& language) const {
    std::vector<AnnotationOut> out = AnnotateAll(texts, language);
    py::list list(out.size());
    for (size_t i = 0; i < out.size(); ++i) list[i] = py::cast(std::move(out[i]));
    return list;
  }

  // The CoNLL-U `slimnlp annotate` writes for these texts as lines: one string, built without the GIL.
  std::string ToConllu(const py::object& texts, const std::optional<std::string>& language) const {
    std::vector<AnnotationOut> out = AnnotateAll(texts, language);
    py::gil_scoped_release release;
    std::string s;
    for (const auto& a : out) s += a.ToConllu();
    return s;
  }

  const Pipeline& pipeline() const { return *pipeline_; }
  const std::string& models_dir() const { return models_dir_; }

 private:
  absl::StatusOr<AnnotationOut> AnnotateOne(std::string_view text, const std::optional<std::string>& language) const {
    absl::StatusOr<Annotation> a = language ? pipeline_->AnnotateAs(text, *language) : pipeline_->Annotate(text);
    if (!a.ok()) return a.status();
    return ToAnnotation(text, *std::move(a));
  }

  std::vector<AnnotationOut> AnnotateAll(const py::object& texts, const std::optional<std::string>& language) const {
    TextBatch batch = TextBatchArg(texts);
    std::vector<AnnotationOut> out(batch.texts.size());
    absl::Status error;
    size_t error_at = 0;
    {
      py::gil_scoped_release release;
      for (size_t i = 0; i < batch.texts.size(); ++i) {
        absl::StatusOr<AnnotationOut> a = AnnotateOne(batch.texts[i], language);
        if (!a.ok()) {
          error = a.status();
          error_at = i;
          break;
        }
        out[i] = *std::move(a);
        out[i].sent_id = std::to_string(i + 1);  // As `slimnlp annotate` numbers the lines of its input.
      }
    }
    if (!error.ok()) ThrowStatus(error, ErrorPrefix(error_at));
    return out;
  }

  std::string models_dir_;
  std::unique_ptr<Pipeline> pipeline_;
};

py::tuple WordFields(const WordOut& w) {
  return py::make_tuple(w.form, w.upos, w.begin, w.end, w.char_begin, w.char_end, w.token_words);
}
WordOut MakeWord(const py::tuple& t) {
  return {t[0].cast<std::string>(), t[1].cast<std::string>(), t[2].cast<size_t>(), t[3].cast<size_t>(),
          t[4].cast<size_t>(),      t[5].cast<size_t>(),      t[6].cast<size_t>()};
}

}  // namespace

const Segmenter& UnwrapSegmenter(const py::handle& obj) { return obj.cast<const PySegmenter&>().model(); }
const Tagger& UnwrapTagger(const py::handle& obj) { return obj.cast<const PyTagger&>().model(); }

void RegisterText(py::module_& m) {
  py::class_<Token> token(m, "Token",
                          "A token of a text: its text, [begin, end) in bytes of the UTF-8 form, and "
                          "[char_begin, char_end) in characters (code points, as str indexes).");
  token.def_readonly("text", &Token::text)
      .def_readonly("begin", &Token::begin)
      .def_readonly("end", &Token::end)
      .def_readonly("char_begin", &Token::char_begin)
      .def_readonly("char_end", &Token::char_end);
  AddDataMethods<Token>(
      token, "Token", {"text", "begin", "end", "char_begin", "char_end"},
      [](const Token& t) { return py::make_tuple(t.text, t.begin, t.end, t.char_begin, t.char_end); },
      [](const py::tuple& t) {
        return Token{t[0].cast<std::string>(), t[1].cast<size_t>(), t[2].cast<size_t>(), t[3].cast<size_t>(),
                     t[4].cast<size_t>()};
      });

  py::class_<WordOut> word(
      m, "Word",
      "A word and its UPOS tag ('_' if untagged), with the span of its token in bytes and characters. Treebanks\n"
      "write some tokens as several words (French 'du' = 'de le'): such a multiword token's words share its\n"
      "span, the first has token_words = their number, the others 0.");
  word.def_readonly("form", &WordOut::form)
      .def_readonly("upos", &WordOut::upos)
      .def_readonly("begin", &WordOut::begin)
      .def_readonly("end", &WordOut::end)
      .def_readonly("char_begin", &WordOut::char_begin)
      .def_readonly("char_end", &WordOut::char_end)
      .def_readonly("token_words", &WordOut::token_words);
  AddDataMethods<WordOut>(word, "Word", {"form", "upos", "begin", "end", "char_begin", "char_end", "token_words"},
                          WordFields, MakeWord);

  py::class_<AnnotationOut> annotation(
      m, "Annotation",
      "The pipeline's result for one text: its language (identified, or given), whether a segmenter model\n"
      "split it (else the rule-based tokenizer) and a tagger tagged it, and its words.");
  annotation.def_readonly("text", &AnnotationOut::text)
      .def_readonly("language", &AnnotationOut::language)
      .def_readonly("probability", &AnnotationOut::probability)
      .def_readonly("reliable", &AnnotationOut::reliable)
      .def_readonly("segmented", &AnnotationOut::segmented)
      .def_readonly("tagged", &AnnotationOut::tagged)
      .def_readonly("words", &AnnotationOut::words)
      .def_readonly("sentence_starts", &AnnotationOut::sentence_starts,
                    "Index in words of each sentence's first word: a text is split into sentences where its\n"
                    "language has a sentence splitter (sent-<lang>.slim), and each sentence is tagged on its own.")
      .def("to_conllu", &AnnotationOut::ToConllu,
           "CoNLL-U as `slimnlp annotate` writes it: a sentence for each of sentence_starts, each with\n"
           "'# language' and '# text', multiword range lines, UPOS, SpaceAfter=No.");
  AddDataMethods<AnnotationOut>(
      annotation, "Annotation",
      {"text", "language", "probability", "reliable", "segmented", "tagged", "words", "sentence_starts"},
      [](const AnnotationOut& a) {
        return py::make_tuple(a.text, a.language, a.probability, a.reliable, a.segmented, a.tagged, a.words,
                              a.sentence_starts);
      },
      [](const py::tuple& t) {
        return AnnotationOut{t[0].cast<std::string>(), t[1].cast<std::string>(), t[2].cast<float>(),
                             t[3].cast<bool>(),        t[4].cast<bool>(),        t[5].cast<bool>(),
                             t[6].cast<std::vector<WordOut>>(), t[7].cast<std::vector<size_t>>()};
      });

  py::class_<PySegmenter>(
      m, "Segmenter",
      "Word segmentation and tokenization of raw text: where each token begins and ends, so nothing of the\n"
      "input is lost or altered.\n\n"
      "Model (Botha et al. 2017): each character is tagged B, I, E, S or O from hashed character n-gram\n"
      "features around it; greedy left to right. Immutable once loaded: any number of threads may use it.")
      .def(py::init<const py::object&, const std::optional<std::string>&>(), py::arg("path") = py::none(),
           py::kw_only(), py::arg("language") = py::none(),
           "Loads a model file, or the shipped seg-<language>.slim (default language: 'zh', as the CLI).\n"
           "Errors: FileNotFoundError, DataLossError, ValueError (a model of another task), UnsupportedFormatError.")
      .def("segment", &PySegmenter::Segment, py::arg("text"),
           "The tokens of `text`, in order. White space is never part of a token unless the model's language\n"
           "puts it inside words (Vietnamese). ValueError with the byte offset for bytes that are not UTF-8.")
      .def("segment_batch", &PySegmenter::SegmentBatch, py::arg("texts"),
           "segment() over an iterable of texts, in one C++ loop without the GIL.")
      .def("expand_multiword", &PySegmenter::ExpandMultiword, py::arg("token"),
           "The words of a multiword token (French 'du' -> ['de', 'le']) if the model's training data wrote it\n"
           "so most of the time; else None.")
      .def_property_readonly("language", [](const PySegmenter& s) { return s.model().language(); },
                             "The language the model was trained for ('zh', 'en', ...), or ''.")
      .def_property_readonly("path", &PySegmenter::path)
      .def("__repr__", [](const PySegmenter& s) {
        return "Segmenter(path=" + py::repr(py::str(s.path())).cast<std::string>() + ")";
      });

  py::class_<PyTagger>(
      m, "Tagger",
      "Part-of-speech tagging: a UPOS tag (Universal Dependencies) for each token of a sentence.\n\n"
      "Model (Botha et al. 2017): hashed features of the words in a window of two on each side, character\n"
      "n-grams and affixes, word shapes and the two previous tags; greedy left to right. Immutable once\n"
      "loaded: any number of threads may use it.")
      .def(py::init<const py::object&, const std::optional<std::string>&, const py::object&>(),
           py::arg("path") = py::none(), py::kw_only(), py::arg("language") = py::none(),
           py::arg("tokenizer") = py::none(),
           "Loads a model file, or the shipped pos-<language>.slim (default language: 'en', as the CLI).\n"
           "tokenizer (for tag_text): a segmenter model path, or 'simple' for the rule-based tokenizer; default:\n"
           "seg-<lang>.slim beside pos-<lang>.slim if it exists (as `slimnlp tag`).")
      .def("tag", &PyTagger::Tag, py::arg("tokens"),
           "The tags of `tokens` (an iterable of str). ValueError naming the token if one is empty.")
      .def("tag_batch", &PyTagger::TagBatch, py::arg("sentences"),
           "tag() over an iterable of token lists, in one C++ loop without the GIL.")
      .def("tag_text", &PyTagger::TagText, py::arg("text"),
           "Tokenizes raw text (with the tokenizer, multiword tokens split into their words) and tags it.")
      .def("tag_text_batch", &PyTagger::TagTextBatch, py::arg("texts"), "tag_text() over an iterable of texts.")
      .def_property_readonly("tag_set", &PyTagger::tag_set, "The tag set, in the model's order.")
      .def_property_readonly("path", &PyTagger::path)
      .def_property_readonly("tokenizer_path", &PyTagger::tokenizer_path,
                             "The segmenter model tag_text uses, or '' for the rule-based tokenizer.")
      .def("__repr__", [](const PyTagger& t) {
        return "Tagger(path=" + py::repr(py::str(t.path())).cast<std::string>() + ")";
      });

  py::class_<PyPipeline>(
      m, "Pipeline",
      "The pipeline on raw text in any supported language: language identification, then that language's\n"
      "segmenter (seg-<lang>.slim; else the rule-based tokenizer) and tagger (pos-<lang>.slim; else no tags).\n"
      "Models not preloaded are loaded on first use, once. Any number of threads may use one Pipeline.")
      .def(py::init<const py::object&, const py::object&, bool, float>(), py::arg("models_dir") = py::none(),
           py::kw_only(), py::arg("langid_model") = py::none(), py::arg("preload") = false,
           py::arg("reliability_threshold") = LangIdOptions{}.reliability_threshold,
           "models_dir: langid.slim, seg-*.slim, pos-*.slim (default: the shipped models). preload: load every\n"
           "language's models now. FileNotFoundError if the directory or the identifier is missing.")
      .def("annotate", &PyPipeline::Annotate, py::arg("text"), py::arg("language") = py::none(),
           "Identifies the language of `text` (unless `language` is given: 'en', 'zh', ...), then segments and\n"
           "tags it. A model that exists but fails to load raises its load error.")
      .def("annotate_batch", &PyPipeline::AnnotateBatch, py::arg("texts"), py::arg("language") = py::none(),
           "annotate() over an iterable of texts, in one C++ loop without the GIL.")
      .def("to_conllu", &PyPipeline::ToConllu, py::arg("texts"), py::arg("language") = py::none(),
           "CoNLL-U of an iterable of texts, exactly as `slimnlp annotate` writes it for them as lines.")
      .def_property_readonly("languages", [](const PyPipeline& p) { return p.pipeline().languages(); },
                             "Languages with a segmenter or a tagger in the directory, sorted.")
      .def_property_readonly("model_paths", [](const PyPipeline& p) { return p.pipeline().model_paths(); })
      .def_property_readonly("models_dir", &PyPipeline::models_dir)
      .def("__repr__", [](const PyPipeline& p) {
        return "Pipeline(models_dir=" + py::repr(py::str(p.models_dir())).cast<std::string>() + ")";
      });
}

}  // namespace slimnlp::python
