// slimnlp.LanguageIdentifier and its results.
#include <memory>

#include "python/src/bindings.h"
#include "python/src/common.h"
#include "slimnlp/langid.h"

namespace slimnlp::python {
namespace {

struct Guess {
  std::string language;
  float probability = 0;
  bool reliable = false;
};

struct Span {
  size_t begin = 0, end = 0, char_begin = 0, char_end = 0;
  std::string text, language;
  float probability = 0;
  bool reliable = false;
};

Guess ToGuess(const LanguageGuess& g) { return {std::string(g.language), g.probability, g.reliable}; }

class PyLanguageIdentifier {
 public:
  PyLanguageIdentifier(const py::object& path, float threshold, size_t min_letters, size_t max_text_bytes) {
    LangIdOptions options;
    options.reliability_threshold = threshold;
    options.min_reliable_letters = min_letters;
    options.max_text_bytes = max_text_bytes;
    path_ = PathArg(path).value_or(DefaultModelPath("langid.slim"));
    absl::StatusOr<std::unique_ptr<LanguageIdentifier>> lid;
    {
      py::gil_scoped_release release;
      lid = LanguageIdentifier::Load(path_, options);
    }
    if (!lid.ok()) ThrowStatus(lid.status());
    lid_ = *std::move(lid);
  }

  Guess Identify(const py::object& text_obj) const {
    const std::string_view text = TextArg(text_obj);
    absl::StatusOr<LanguageGuess> g;
    {
      py::gil_scoped_release release;
      g = lid_->Identify(text);
    }
    if (!g.ok()) ThrowStatus(g.status());
    return ToGuess(*g);
  }

  std::vector<Guess> TopK(const py::object& text_obj, int k) const {
    if (k < 1) throw py::value_error("k must be at least 1");
    const std::string_view text = TextArg(text_obj);
    std::vector<LanguageGuess> top;
    absl::Status s;
    {
      py::gil_scoped_release release;
      s = lid_->IdentifyTopK(text, k, &top);
    }
    ThrowIfError(s);
    std::vector<Guess> out;
    for (const auto& g : top) out.push_back(ToGuess(g));
    return out;
  }

  std::vector<Span> Spans(const py::object& text_obj) const {
    const std::string_view text = TextArg(text_obj);
    std::vector<LanguageSpan> spans;
    absl::Status s;
    {
      py::gil_scoped_release release;
      s = lid_->IdentifySpans(text, &spans);
    }
    ThrowIfError(s);
    std::vector<Span> out;
    CharOffsets chars(text);
    for (const auto& sp : spans) {
      const size_t cb = chars.At(sp.begin), ce = chars.At(sp.end);
      out.push_back({sp.begin, sp.end, cb, ce, std::string(text.substr(sp.begin, sp.end - sp.begin)),
                     std::string(sp.guess.language), sp.guess.probability, sp.guess.reliable});
    }
    return out;
  }

  // The batch: one C++ loop without the GIL; labels become Python strings once each.
  py::list IdentifyBatch(const py::object& texts) const {
    TextBatch batch = TextBatchArg(texts);
    std::vector<LanguageGuess> guesses(batch.texts.size());
    absl::Status error;
    size_t error_at = 0;
    {
      py::gil_scoped_release release;
      for (size_t i = 0; i < batch.texts.size(); ++i) {
        absl::StatusOr<LanguageGuess> g = lid_->Identify(batch.texts[i]);
        if (!g.ok()) {
          error = g.status();
          error_at = i;
          break;
        }
        guesses[i] = *g;
      }
    }
    if (!error.ok()) ThrowStatus(error, "text " + std::to_string(error_at + 1) + ": ");
    py::list out(guesses.size());
    for (size_t i = 0; i < guesses.size(); ++i) out[i] = py::cast(ToGuess(guesses[i]));
    return out;
  }

  py::list TopKBatch(const py::object& texts, int k) const {
    if (k < 1) throw py::value_error("k must be at least 1");
    TextBatch batch = TextBatchArg(texts);
    std::vector<std::vector<LanguageGuess>> tops(batch.texts.size());
    absl::Status error;
    size_t error_at = 0;
    {
      py::gil_scoped_release release;
      for (size_t i = 0; i < batch.texts.size() && error.ok(); ++i) {
        error = lid_->IdentifyTopK(batch.texts[i], k, &tops[i]);
        error_at = i;
      }
    }
    if (!error.ok()) ThrowStatus(error, "text " + std::to_string(error_at + 1) + ": ");
    py::list out(tops.size());
    for (size_t i = 0; i < tops.size(); ++i) {
      py::list row;
      for (const auto& g : tops[i]) row.append(py::cast(ToGuess(g)));
      out[i] = row;
    }
    return out;
  }

  const std::vector<std::string>& languages() const { return lid_->languages(); }
  const std::string& path() const { return path_; }
  const LangIdOptions& options() const { return lid_->options(); }
  const LanguageIdentifier& model() const { return *lid_; }

 private:
  std::string path_;
  std::unique_ptr<LanguageIdentifier> lid_;
};

}  // namespace

const LanguageIdentifier& UnwrapLanguageIdentifier(const py::handle& obj) {
  return obj.cast<const PyLanguageIdentifier&>().model();
}

void RegisterLangId(py::module_& m) {
  py::class_<Guess> guess(m, "LanguageGuess",
                          "A language and how sure the model is. `reliable`: probability >= the reliability "
                          "threshold and the text has at least min_reliable_letters letters.");
  guess.def_readonly("language", &Guess::language, "A label of the model (BCP-47: 'en', 'zh-Hant', ...) or 'und'.")
      .def_readonly("probability", &Guess::probability, "The model's probability for `language` (0 for 'und').")
      .def_readonly("reliable", &Guess::reliable);
  AddDataMethods<Guess>(
      guess, "LanguageGuess", {"language", "probability", "reliable"},
      [](const Guess& g) { return py::make_tuple(g.language, g.probability, g.reliable); },
      [](const py::tuple& t) { return Guess{t[0].cast<std::string>(), t[1].cast<float>(), t[2].cast<bool>()}; });

  py::class_<Span> span(m, "LanguageSpan",
                        "One stretch of a mixed-language text: [begin, end) in bytes of its UTF-8 form, "
                        "[char_begin, char_end) in characters (code points, as str indexes).");
  span.def_readonly("begin", &Span::begin)
      .def_readonly("end", &Span::end)
      .def_readonly("char_begin", &Span::char_begin)
      .def_readonly("char_end", &Span::char_end)
      .def_readonly("text", &Span::text)
      .def_readonly("language", &Span::language)
      .def_readonly("probability", &Span::probability)
      .def_readonly("reliable", &Span::reliable);
  AddDataMethods<Span>(
      span, "LanguageSpan",
      {"begin", "end", "char_begin", "char_end", "text", "language", "probability", "reliable"},
      [](const Span& s) {
        return py::make_tuple(s.begin, s.end, s.char_begin, s.char_end, s.text, s.language, s.probability,
                              s.reliable);
      },
      [](const py::tuple& t) {
        return Span{t[0].cast<size_t>(), t[1].cast<size_t>(), t[2].cast<size_t>(), t[3].cast<size_t>(),
                    t[4].cast<std::string>(), t[5].cast<std::string>(), t[6].cast<float>(), t[7].cast<bool>()};
      });

  py::class_<PyLanguageIdentifier>(
      m, "LanguageIdentifier",
      "Language identification: which language a text is written in (106 languages in the shipped model).\n\n"
      "Model: hashed character 1-4 grams, words and scripts of the text, averaged per group from 8-bit quantized\n"
      "embedding tables, one hidden ReLU layer, softmax over the languages (Botha et al. 2017).\n\n"
      "A loaded model is immutable: every method may be called from any number of threads at once (each call\n"
      "releases the GIL).")
      .def(py::init<const py::object&, float, size_t, size_t>(), py::arg("path") = py::none(), py::kw_only(),
           py::arg("reliability_threshold") = LangIdOptions{}.reliability_threshold,
           py::arg("min_reliable_letters") = LangIdOptions{}.min_reliable_letters,
           py::arg("max_text_bytes") = LangIdOptions{}.max_text_bytes,
           "Loads a model file (default: the shipped langid.slim). Errors: FileNotFoundError, PermissionError,\n"
           "DataLossError (truncated or corrupted), ValueError (not a slimnlp model, or a model of another task),\n"
           "UnsupportedFormatError (a newer format version or another feature hash).\n\n"
           "reliability_threshold: an answer is reliable when its probability is at least this (default 0.95).\n"
           "min_reliable_letters: ... and the text has at least this many letters (default 3).\n"
           "max_text_bytes: only the first this-many bytes of a text are read (default 4096).")
      .def("identify", &PyLanguageIdentifier::Identify, py::arg("text"),
           "The most likely language of `text` (str, or UTF-8 bytes). Text without letters gets 'und'.\n"
           "ValueError naming the byte offset if bytes are not valid UTF-8.")
      .def("identify_top_k", &PyLanguageIdentifier::TopK, py::arg("text"), py::arg("k") = 3,
           "The `k` most likely languages, best first.")
      .def("identify_spans", &PyLanguageIdentifier::Spans, py::arg("text"),
           "The languages of a mixed-language text: it is cut where the script changes and at sentence ends, each\n"
           "piece is identified, and neighbours that agree (or are too short to say) are joined. Spans cover the\n"
           "text without gaps, up to max_text_bytes * 16 bytes.")
      .def("identify_batch", &PyLanguageIdentifier::IdentifyBatch, py::arg("texts"),
           "identify() over an iterable of texts, in one C++ loop without the GIL. A list, in input order.\n"
           "ValueError naming the text (1-based) and byte offset for invalid UTF-8.")
      .def("identify_top_k_batch", &PyLanguageIdentifier::TopKBatch, py::arg("texts"), py::arg("k") = 3,
           "identify_top_k() over an iterable of texts.")
      .def_property_readonly("languages", &PyLanguageIdentifier::languages,
                             "The languages the model knows, in the model's order.")
      .def_property_readonly("path", &PyLanguageIdentifier::path, "The model file.")
      .def_property_readonly("reliability_threshold",
                             [](const PyLanguageIdentifier& l) { return l.options().reliability_threshold; })
      .def("__repr__", [](const PyLanguageIdentifier& l) {
        return "LanguageIdentifier(path=" + py::repr(py::str(l.path())).cast<std::string>() + ", languages=" +
               std::to_string(l.languages().size()) + ")";
      });
}

}  // namespace slimnlp::python
