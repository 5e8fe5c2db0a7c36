// slimnlp.Index, slimnlp.Reranker, slimnlp.build_index and their results.
#include <algorithm>
#include <memory>
#include <type_traits>

#include "absl/strings/str_format.h"
#include "python/src/bindings.h"
#include "python/src/common.h"
#include "slimnlp/retrieval.h"

namespace slimnlp::python {
namespace {

struct Result {
  size_t rank = 0;
  uint32_t doc = 0;
  std::string id, title;
  float score = 0;
  std::string snippet;
};

class PyReranker {
 public:
  explicit PyReranker(const py::object& path) {
    path_ = PathArg(path).value_or(DefaultModelPath("rerank.slim"));
    absl::StatusOr<std::unique_ptr<Reranker>> r;
    {
      py::gil_scoped_release release;
      r = Reranker::Load(path_);
    }
    if (!r.ok()) ThrowStatus(r.status());
    reranker_ = *std::move(r);
  }
  const Reranker& model() const { return *reranker_; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::unique_ptr<Reranker> reranker_;
};

SearchOptions::Scoring ParseScoring(const std::string& scoring) {
  if (scoring == "bm25") return SearchOptions::Scoring::kBm25;
  if (scoring == "tfidf") return SearchOptions::Scoring::kTfIdf;
  throw py::value_error("scoring must be 'bm25' or 'tfidf', not '" + scoring + "'");
}

// Index, or ShardedIndex (opened from several paths).
template <typename IndexT>
class PyIndexT {
 public:
  explicit PyIndexT(const py::object& paths) {
    std::vector<std::string> list;
    if constexpr (std::is_same_v<IndexT, Index>) {
      path_ = *PathArg(paths);
    } else {
      if (py::isinstance<py::str>(paths) || py::isinstance<py::bytes>(paths) || py::hasattr(paths, "__fspath__")) {
        // One name, as `slimnlp search --index` takes it: a file, a .shards manifest, a directory, a comma list.
        const std::string name = *PathArg(paths);
        absl::StatusOr<std::vector<std::string>> resolved;
        {
          py::gil_scoped_release release;
          resolved = ResolveIndexPaths(name);
        }
        if (!resolved.ok()) ThrowStatus(resolved.status());
        list = *std::move(resolved);
      } else {
        for (py::handle p : py::iter(paths)) list.push_back(*PathArg(p));
      }
      paths_ = list;
    }
    absl::StatusOr<std::unique_ptr<IndexT>> index;
    {
      py::gil_scoped_release release;
      if constexpr (std::is_same_v<IndexT, Index>) {
        index = Index::Open(path_);
      } else {
        index = ShardedIndex::Open(list);
      }
    }
    if (!index.ok()) ThrowStatus(index.status());
    index_ = *std::move(index);
  }

  std::vector<Result> Search(const py::object& query_obj, size_t k, const std::string& scoring, float k1, float b,
                             const py::object& reranker_obj, size_t snippet_bytes) const {
    const std::string_view query = TextArg(query_obj, "query");
    const SearchOptions options = Options(k, scoring, k1, b);
    const Reranker* reranker = GetReranker(reranker_obj);
    absl::StatusOr<std::vector<Result>> out;
    {
      py::gil_scoped_release release;
      std::vector<SearchHit> hits;
      out = SearchOne(query, options, k, reranker, snippet_bytes, &hits);
    }
    if (!out.ok()) ThrowStatus(out.status());
    return *std::move(out);
  }

  py::list SearchBatch(const py::object& queries, size_t k, const std::string& scoring, float k1, float b,
                       const py::object& reranker_obj, size_t snippet_bytes) const {
    TextBatch batch = TextBatchArg(queries);
    const SearchOptions options = Options(k, scoring, k1, b);
    const Reranker* reranker = GetReranker(reranker_obj);
    std::vector<std::vector<Result>> out(batch.texts.size());
    absl::Status error;
    size_t error_at = 0;
    {
      py::gil_scoped_release release;
      std::vector<SearchHit> hits;
      for (size_t i = 0; i < batch.texts.size(); ++i) {
        absl::StatusOr<std::vector<Result>> r = SearchOne(batch.texts[i], options, k, reranker, snippet_bytes, &hits);
        if (!r.ok()) {
          error = r.status();
          error_at = i;
          break;
        }
        out[i] = *std::move(r);
      }
    }
    if (!error.ok()) ThrowStatus(error, absl::StrFormat("query %d: ", error_at + 1));
    py::list list(out.size());
    for (size_t i = 0; i < out.size(); ++i) list[i] = py::cast(std::move(out[i]));
    return list;
  }

  Document GetDocument(int64_t doc) const {
    if (doc < 0 || static_cast<size_t>(doc) >= index_->size()) {
      throw py::index_error(absl::StrFormat("document %d out of range (the index has %d)", doc, index_->size()));
    }
    absl::StatusOr<Document> d;
    {
      py::gil_scoped_release release;
      d = index_->GetDocument(static_cast<uint32_t>(doc));
    }
    if (!d.ok()) ThrowStatus(d.status());
    return *std::move(d);
  }

  size_t size() const { return index_->size(); }
  const IndexT& index() const { return *index_; }
  const std::string& path() const { return path_; }
  const std::vector<std::string>& paths() const { return paths_; }

 private:
  static const Reranker* GetReranker(const py::object& reranker) {
    if (reranker.is_none()) return nullptr;
    return &reranker.cast<const PyReranker&>().model();
  }

  static SearchOptions Options(size_t k, const std::string& scoring, float k1, float b) {
    if (k < 1) throw py::value_error("k must be at least 1");
    SearchOptions o;
    o.k = k;
    o.scoring = ParseScoring(scoring);
    o.k1 = k1;
    o.b = b;
    return o;
  }

  // As `slimnlp search` does it: with a reranker, the first stage gives at least 20 candidates, the reranker
  // reorders them, the top k stay.
  absl::StatusOr<std::vector<Result>> SearchOne(std::string_view query, SearchOptions options, size_t k,
                                                const Reranker* reranker, size_t snippet_bytes,
                                                std::vector<SearchHit>* hits) const {
    if (reranker) options.k = std::max<size_t>(options.k, 20);
    index_->Search(query, options, hits);
    if (reranker) {
      if (absl::Status s = reranker->Rerank(*index_, query, hits); !s.ok()) return s;
      if (hits->size() > k) hits->resize(k);
    }
    std::vector<Result> out;
    out.reserve(hits->size());
    for (size_t rank = 0; rank < hits->size(); ++rank) {
      absl::StatusOr<Document> doc = index_->GetDocument((*hits)[rank].doc);
      if (!doc.ok()) return doc.status();
      out.push_back({rank + 1, (*hits)[rank].doc, std::move(doc->id), std::move(doc->title), (*hits)[rank].score,
                     Snippet(doc->text, query, snippet_bytes)});
    }
    return out;
  }

  std::string path_;
  std::vector<std::string> paths_;
  std::unique_ptr<IndexT> index_;
};

using PyIndex = PyIndexT<Index>;
using PyShardedIndex = PyIndexT<ShardedIndex>;

// The search methods of Index and ShardedIndex.
template <typename T>
void AddSearchMethods(py::class_<T>& cls) {
  cls.def("search", &T::Search, py::arg("query"), py::arg("k") = 10, py::kw_only(), py::arg("scoring") = "bm25",
          py::arg("k1") = SearchOptions{}.k1, py::arg("b") = SearchOptions{}.b, py::arg("reranker") = py::none(),
          py::arg("snippet_bytes") = 160,
          "The top k documents for `query`, best first (ties: lower doc first). With a reranker, the first\n"
          "stage's top max(k, 20) are reordered by it and the top k kept (as `slimnlp search --rerank`). An empty\n"
          "query, or one with no indexed term, gives no results.")
      .def("search_batch", &T::SearchBatch, py::arg("queries"), py::arg("k") = 10, py::kw_only(),
           py::arg("scoring") = "bm25", py::arg("k1") = SearchOptions{}.k1, py::arg("b") = SearchOptions{}.b,
           py::arg("reranker") = py::none(), py::arg("snippet_bytes") = 160,
           "search() over an iterable of queries, in one C++ loop without the GIL.")
      .def("get_document", &T::GetDocument, py::arg("doc"),
           "The stored document at position `doc` (IndexError past the end; DataLossError if its block does\n"
           "not decompress).")
      .def("__len__", &T::size);
}

IndexBuildResult BuildIndexPy(const py::object& inputs, const py::object& output, const std::string& format,
                              size_t max_document_bytes, bool stopwords, bool stem, const py::object& progress) {
  IndexBuildOptions options;
  if (py::isinstance<py::str>(inputs) || py::hasattr(inputs, "__fspath__")) {
    options.input_paths.push_back(*PathArg(inputs));
  } else {
    for (py::handle p : py::iter(inputs)) options.input_paths.push_back(*PathArg(p));
  }
  options.output_path = *PathArg(output);
  if (format != "auto" && format != "jsonl" && format != "text") {
    throw py::value_error("format must be 'auto', 'jsonl' or 'text', not '" + format + "'");
  }
  options.format = format;
  options.max_document_bytes = max_document_bytes;
  options.stopwords = stopwords;
  options.stem = stem;
  PyCallback callback(progress);
  options.progress = callback.Function();
  absl::StatusOr<IndexBuildResult> r;
  {
    py::gil_scoped_release release;
    r = BuildIndex(options);
  }
  callback.Rethrow();
  if (!r.ok()) ThrowStatus(r.status());
  return *r;
}

}  // namespace

const Index& UnwrapIndex(const py::handle& obj) { return obj.cast<const PyIndex&>().index(); }
const ShardedIndex* AsShardedIndex(const py::handle& obj) {
  return py::isinstance<PyShardedIndex>(obj) ? &obj.cast<const PyShardedIndex&>().index() : nullptr;
}
const Reranker& UnwrapReranker(const py::handle& obj) { return obj.cast<const PyReranker&>().model(); }

void RegisterRetrieval(py::module_& m) {
  py::class_<Result> result(m, "SearchResult",
                            "One search result: its rank (1-based), the document's position in the index, id and "
                            "title, the score (BM25, TF-IDF, or the reranker's probability) and a snippet.");
  result.def_readonly("rank", &Result::rank)
      .def_readonly("doc", &Result::doc)
      .def_readonly("id", &Result::id)
      .def_readonly("title", &Result::title)
      .def_readonly("score", &Result::score)
      .def_readonly("snippet", &Result::snippet);
  AddDataMethods<Result>(
      result, "SearchResult", {"rank", "doc", "id", "title", "score", "snippet"},
      [](const Result& r) { return py::make_tuple(r.rank, r.doc, r.id, r.title, r.score, r.snippet); },
      [](const py::tuple& t) {
        return Result{t[0].cast<size_t>(),      t[1].cast<uint32_t>(), t[2].cast<std::string>(),
                      t[3].cast<std::string>(), t[4].cast<float>(),    t[5].cast<std::string>()};
      });

  py::class_<Document> document(m, "Document", "A stored document: id, title, text.");
  document.def_readonly("id", &Document::id).def_readonly("title", &Document::title).def_readonly("text", &Document::text);
  AddDataMethods<Document>(
      document, "Document", {"id", "title", "text"},
      [](const Document& d) { return py::make_tuple(d.id, d.title, d.text); },
      [](const py::tuple& t) {
        return Document{t[0].cast<std::string>(), t[1].cast<std::string>(), t[2].cast<std::string>()};
      });

  py::class_<IndexBuildResult> built(m, "IndexBuildResult", "What build_index did.");
  built.def_readonly("documents", &IndexBuildResult::documents)
      .def_readonly("skipped", &IndexBuildResult::skipped,
                    "Lines refused: malformed JSON, no text, too long (each reported to progress).")
      .def_readonly("terms", &IndexBuildResult::terms, "Distinct hashed terms.")
      .def_readonly("postings", &IndexBuildResult::postings)
      .def_readonly("input_bytes", &IndexBuildResult::input_bytes)
      .def_readonly("index_bytes", &IndexBuildResult::index_bytes)
      .def_readonly("seconds", &IndexBuildResult::seconds);
  AddDataMethods<IndexBuildResult>(
      built, "IndexBuildResult", {"documents", "skipped", "terms", "postings", "input_bytes", "index_bytes", "seconds"},
      [](const IndexBuildResult& r) {
        return py::make_tuple(r.documents, r.skipped, r.terms, r.postings, r.input_bytes, r.index_bytes, r.seconds);
      },
      [](const py::tuple& t) {
        return IndexBuildResult{t[0].cast<size_t>(), t[1].cast<size_t>(), t[2].cast<size_t>(), t[3].cast<size_t>(),
                                t[4].cast<size_t>(), t[5].cast<size_t>(), t[6].cast<double>()};
      });

  m.def("build_index", &BuildIndexPy, py::arg("inputs"), py::arg("output"), py::kw_only(),
        py::arg("format") = "auto", py::arg("max_document_bytes") = IndexBuildOptions{}.max_document_bytes,
        py::arg("stopwords") = true, py::arg("stem") = true, py::arg("progress") = py::none(),
        "Builds a retrieval index from JSONL files (one object a line: 'text' required, 'id' and 'title'\n"
        "optional) or plain text (one document a line, id = its line number); plain or .zst. `inputs`: a path\n"
        "or an iterable of paths. The index is written under a temporary name and renamed: never a half index.\n"
        "stopwords / stem: leave out English stopwords and reduce words to their Snowball stems (recorded in the\n"
        "index; searches follow it). progress: called with a line every 100,000 documents and at the end.\n"
        "ValueError if there is no document at all; FileNotFoundError / DataLossError for unreadable input.");

  py::class_<PyReranker>(m, "Reranker",
                         "The second stage of retrieval: a small feed-forward model over features of a question "
                         "and one candidate\n(question type, coverage, first-stage rank and score, ...) that "
                         "reorders the first stage's top 20.")
      .def(py::init<const py::object&>(), py::arg("path") = py::none(),
           "Loads a reranker model (default: the shipped rerank.slim).")
      .def_property_readonly("path", &PyReranker::path)
      .def("__repr__", [](const PyReranker& r) {
        return "Reranker(path=" + py::repr(py::str(r.path())).cast<std::string>() + ")";
      });

  py::class_<PyIndex> index(m, "Index",
                            "A retrieval index (memory-mapped, checked when opened): hashed case-folded words and "
                            "word bigrams,\nBM25 (or DrQA's TF-IDF) with MaxScore pruning. Any number of threads "
                            "may search one Index.");
  index.def(py::init<const py::object&>(), py::arg("path"),
            "Opens an index file. FileNotFoundError; DataLossError naming what is wrong for a damaged or\n"
            "truncated file; UnsupportedFormatError for a newer format version.")
      .def_property_readonly("path", &PyIndex::path)
      .def("__repr__", [](const PyIndex& i) {
        return "Index(path=" + py::repr(py::str(i.path())).cast<std::string>() +
               ", documents=" + std::to_string(i.size()) + ")";
      });
  AddSearchMethods(index);

  py::class_<PyShardedIndex> sharded(
      m, "ShardedIndex",
      "A collection indexed in shards (e.g. one per Dask partition: slimnlp.dask.build_index) searched as one\n"
      "index: every shard is scored with the whole collection's statistics (documents, average length, each\n"
      "term's document frequency over all shards), so scores and ranking are those of one index built over\n"
      "everything (up to float rounding). Documents are numbered through the shards in the order given.");
  sharded.def(py::init<const py::object&>(), py::arg("paths"),
              "Opens the shards: an iterable of paths, in collection order, or one name as `slimnlp search\n"
              "--index` takes it (a *.shards manifest such as slimnlp.dask.build_index writes, a directory of\n"
              "shards, an index file, or a comma-separated list of these). Errors as Index(); ValueError for no\n"
              "shard, shards built with different term options, or a name that resolves wrongly (an empty\n"
              "manifest, a shard named twice, ...); FileNotFoundError naming a missing shard.")
      .def_property_readonly("paths", &PyShardedIndex::paths)
      .def_property_readonly("shards", [](const PyShardedIndex& i) { return i.index().shards(); })
      .def("__repr__", [](const PyShardedIndex& i) {
        return "ShardedIndex(shards=" + std::to_string(i.index().shards()) +
               ", documents=" + std::to_string(i.size()) + ")";
      });
  AddSearchMethods(sharded);

  m.def("snippet", &Snippet, py::arg("text"), py::arg("query"), py::arg("max_bytes") = 200,
        "A piece of `text` of at most about `max_bytes` around the first words of `query` it contains (the start\n"
        "of the text if none), cut at UTF-8 boundaries.");
}

}  // namespace slimnlp::python
