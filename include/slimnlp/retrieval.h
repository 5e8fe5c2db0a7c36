// Retrieval for open-domain question answering: which paragraphs of a collection most likely answer a question.
//
//   #include <slimnlp/retrieval.h>
//
//   slimnlp::IndexBuildOptions build;                       // once: JSONL {id, title, text} or plain text
//   build.input_paths = {"corpus.jsonl"};
//   build.output_path = "my.index";
//   slimnlp::BuildIndex(build);                             // absl::StatusOr<IndexBuildResult>
//
//   auto index = slimnlp::Index::Open("my.index");          // memory-mapped; checked
//   std::vector<slimnlp::SearchHit> hits;
//   (*index)->Search("who founded the city?", {}, &hits);   // top 10 by BM25
//   absl::StatusOr<slimnlp::Document> doc = (*index)->GetDocument(hits[0].doc);
//
// Terms are hashed case-folded words and word bigrams (DrQA's retriever; retrieval/terms.h), by default without
// English stopwords and stemmed (Snowball). Scoring: BM25
// (k1 0.9, b 0.4 by default) or DrQA's TF-IDF, over a compressed inverted index (postings in blocks of 128,
// docid gaps and frequencies as variable-length integers, a skip entry per block), with MaxScore dynamic pruning
// so frequent terms cost little. Documents are kept zstd-compressed in blocks. The file format is in
// docs/index_format.md: a header with version, section table and CRC-32C checksums, checked when opened.
//
// Thread safety: an open Index is immutable; Search and GetDocument are const and may be called from any number
// of threads at once.
#ifndef SLIMNLP_INCLUDE_SLIMNLP_RETRIEVAL_H_
#define SLIMNLP_INCLUDE_SLIMNLP_RETRIEVAL_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace slimnlp {

// ---- Building ----------------------------------------------------------------------------------------------

struct IndexBuildOptions {
  // JSONL files (one object a line: "text" required, "id" string or number and "title" optional) or plain text
  // (one document a line); plain or zstd; "-" is stdin. A document without an id is named by its line number
  // ("12"; "file:12" when there are several inputs). Ids are unique: a later document with an id already seen is
  // refused (reported, skipped), as is a line that is not valid JSON (reported with the parser's reason).
  std::vector<std::string> input_paths;
  std::string format = "auto";         // "jsonl", "text", or "auto" (JSONL if the first line starts with '{').
  std::string output_path;             // Written to a temporary name, then renamed: never a half index.
  size_t max_document_bytes = 1 << 24;  // Longer lines are refused (reported, skipped). Default: 16 MiB.
  // As DrQA and Xapian do: English stopwords make no terms (nor bigrams containing one), and words are reduced
  // to their Snowball English stems. Recorded in the index; searches follow it. Defaults: true.
  bool stopwords = true;
  bool stem = true;
  std::function<void(const std::string&)> progress;  // Every 100,000 documents, and at the end.
};

struct IndexBuildResult {
  size_t documents = 0;
  size_t skipped = 0;        // Lines refused: malformed JSON, no text, duplicate id, too long (each reported to
                             // progress, the first 20 of them).
  size_t terms = 0;          // Distinct hashed terms.
  size_t postings = 0;
  size_t input_bytes = 0, index_bytes = 0;
  double seconds = 0;
};

// InvalidArgument if there is no document at all; NotFound/DataLoss for unreadable input; the error of the
// write otherwise (the previous file under output_path, if any, is left as it was).
absl::StatusOr<IndexBuildResult> BuildIndex(const IndexBuildOptions& options);

// ---- Searching ---------------------------------------------------------------------------------------------

struct SearchOptions {
  size_t k = 10;
  enum class Scoring { kBm25, kTfIdf } scoring = Scoring::kBm25;
  float k1 = 0.9f, b = 0.4f;  // BM25 parameters.
};

struct SearchHit {
  uint32_t doc = 0;  // Position of the document in the index (0-based).
  float score = 0;
};

struct Document {
  std::string id, title, text;
};

class Index {
 public:
  // Maps the file and checks it: magic, version, section table, every dictionary entry's bounds, and the
  // CRC-32C of the header and of the body. NotFound; DataLoss naming what is wrong for a damaged or truncated
  // file; FailedPrecondition for a newer format version.
  static absl::StatusOr<std::unique_ptr<Index>> Open(const std::string& path);
  ~Index();

  size_t size() const;  // Documents.

  // The top options.k documents for `query`, best first (ties: lower doc first). An empty query, or one with no
  // indexed term, gives no hits.
  void Search(std::string_view query, const SearchOptions& options, std::vector<SearchHit>* hits) const;

  // The stored document `doc` (< size()). DataLoss if its block does not decompress.
  absl::StatusOr<Document> GetDocument(uint32_t doc) const;

 private:
  friend class ShardedIndex;
  struct Impl;
  // Collection statistics of the shards an index is one of (ShardedIndex); null: the index's own.
  struct Collection;
  explicit Index(std::unique_ptr<Impl> impl);
  // With a collection, `dfs` holds the query's terms and their document frequencies in it, sorted by term:
  // summed over the shards once per query, not once per shard.
  void Search(std::string_view query, const SearchOptions& options, const Collection* collection,
              const std::vector<std::pair<uint32_t, uint32_t>>* dfs, std::vector<SearchHit>* hits) const;
  std::unique_ptr<Impl> impl_;
};

// A collection indexed in parts (shards: e.g. one per partition, built on different machines) and searched as
// one. BM25 and TF-IDF use the whole collection's statistics: its number of documents, its average document
// length, and each query term's document frequency summed over the shards; so every document scores as in
// one index built over the whole collection (up to float rounding: terms may be summed in another order), and
// the ranking is the same. Documents are numbered through the shards in the order given. Reranker::Rerank
// and EvaluateRetrieval take one as they take an Index.
//
// Thread safety: as Index.
class ShardedIndex {
 public:
  // Opens each shard (errors as Index::Open). InvalidArgument for no shard, or for shards built with different
  // term options (stopwords, stemming), or more than 2^32 documents in all.
  static absl::StatusOr<std::unique_ptr<ShardedIndex>> Open(const std::vector<std::string>& paths);
  ~ShardedIndex();

  size_t size() const;    // Documents, over all shards.
  size_t shards() const;

  // As Index::Search, over every shard; hits[i].doc numbers the documents through the shards.
  void Search(std::string_view query, const SearchOptions& options, std::vector<SearchHit>* hits) const;
  // As Index::GetDocument.
  absl::StatusOr<Document> GetDocument(uint32_t doc) const;

 private:
  ShardedIndex() = default;
  std::vector<std::unique_ptr<Index>> shards_;
  std::vector<uint32_t> first_doc_;  // first_doc_[s]: the number of shard s's first document; then size().
  std::unique_ptr<Index::Collection> collection_;
};

// ---- Naming an index ----------------------------------------------------------------------------------------
//
// What `slimnlp search`, `eval retrieval` and `serve` take as --index (and slimnlp.ShardedIndex as a str):
//   my.index            one index file (slimnlp index);
//   dir/name.shards     a manifest: shard files one a line, relative to the manifest's directory (or absolute);
//                       blank lines and lines starting with '#' are skipped (slimnlp.dask.build_index writes one);
//   dir                 a directory: its one *.shards manifest, or without one, every *.index file in it in
//                       byte order of the names;
//   a.index,b.index     any of these, comma-separated (blanks around an item ignored): all their shards, in
//                       that order.
// A name that exists as given is never split at its commas.
//
// The shard files, in the order their documents are numbered. InvalidArgument for an empty name or list, an
// empty item in a list, a manifest that lists no shard or lists a directory or a manifest, a directory with
// neither manifest nor index file or with several manifests, or a shard named twice (the same file by any
// path: its documents would count twice); NotFound naming the missing file (and the manifest line that lists
// it); the read error of a manifest; ResourceExhausted for a manifest over 16 MiB. The shards themselves are
// checked when opened (ShardedIndex::Open).
absl::StatusOr<std::vector<std::string>> ResolveIndexPaths(std::string_view name);

// A piece of `text` of at most about `max_bytes` around the first words of `query` it contains (the start of
// the text if none), cut at UTF-8 boundaries.
std::string Snippet(std::string_view text, std::string_view query, size_t max_bytes = 200);

// ---- Second stage: reranking -------------------------------------------------------------------------------
//
// A small feed-forward model (the engine's, within 1 MiB) over features of a question and one candidate: the
// question's type (who, when, how many, ...), how much of it the paragraph and its title cover (stemmed words
// and bigrams), the first stage's rank and relative score, whether the paragraph has numbers (for "when" and
// "how many"), lengths; and their conjunctions. It reorders the first stage's top candidates.

class Reranker {
 public:
  // NotFound, DataLoss, InvalidArgument (a model of another task), as the other model loaders.
  static absl::StatusOr<std::unique_ptr<Reranker>> Load(const std::string& path);
  // The same from the bytes of a model file; `source` names it in errors. The bytes need not outlive the call.
  static absl::StatusOr<std::unique_ptr<Reranker>> FromBytes(std::string_view bytes, std::string_view source);
  ~Reranker();
  // Reorders `hits` (the first stage's for `query`, best first) by the model's probability that each holds
  // the answer; each hit's score becomes that probability. DataLoss if a document cannot be read.
  absl::Status Rerank(const Index& index, std::string_view query, std::vector<SearchHit>* hits) const;
  absl::Status Rerank(const ShardedIndex& index, std::string_view query, std::vector<SearchHit>* hits) const;

 private:
  struct Impl;
  explicit Reranker(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

struct RerankTrainOptions {
  // Pairs of (index, questions with gold paragraphs in that index): the training material. Its questions
  // must not be those evaluated on (the shared data's *-train sets are article-disjoint from the others).
  // Each index is named as ResolveIndexPaths takes it: a file or a collection in shards.
  std::vector<std::pair<std::string, std::string>> sets;
  std::string output_path;
  size_t candidates = 20;           // First-stage hits per question. Default: 20.
  size_t budget_bytes = 1 << 20;    // Default: 1 MiB.
  int hidden = 32;                  // Default: 32.
  int epochs = 8;                   // Default: 8.
  uint64_t seed = 1;
  std::string command_line;
  std::function<void(const std::string&)> progress;
};

struct RerankTrainResult {
  size_t questions = 0, examples = 0;
  double dev_recall_at_1_before = 0, dev_recall_at_1_after = 0;  // On the held-out tenth of the questions.
  size_t file_bytes = 0;
  double seconds = 0;
};

absl::StatusOr<RerankTrainResult> TrainReranker(const RerankTrainOptions& options);

// ---- Evaluation ---------------------------------------------------------------------------------------------

struct RetrievalEvalOptions {
  // Questions: JSONL {"id", "question", "answers": [...], "gold": [doc ids]} (the shared qa/ format), or BEIR
  // queries {"_id", "text"} when `qrels_path` (TSV query-id, corpus-id, score, with a header) gives the gold.
  std::string questions_path;
  std::string qrels_path;
  SearchOptions search;  // k is raised to at least 20 for the metrics.
  const Reranker* reranker = nullptr;  // If set, the top 20 are reranked before scoring.
};

struct RetrievalEvalReport {
  size_t questions = 0;          // Questions with at least one gold document.
  double recall_at[3] = {0, 0, 0};         // Gold document in the top 1, 5, 20.
  double answer_recall_at[3] = {0, 0, 0};  // An answer string in one of the top 1, 5, 20 (DrQA's metric: the
                                           // answer's words appear in order in the document's words).
  size_t questions_with_answers = 0;
  double mrr = 0;                // Of the first gold document within the top 20.
  double ndcg_at_10 = 0;         // Binary gains over all gold documents (BEIR).
  double latency_ms[3] = {0, 0, 0};  // Search (and reranking, if any) only, one thread: p50, p90, p99.
};

// InvalidArgument (naming file and line) for malformed questions or qrels.
absl::StatusOr<RetrievalEvalReport> EvaluateRetrieval(const Index& index, const RetrievalEvalOptions& options);
absl::StatusOr<RetrievalEvalReport> EvaluateRetrieval(const ShardedIndex& index, const RetrievalEvalOptions& options);

}  // namespace slimnlp

#endif  // SLIMNLP_INCLUDE_SLIMNLP_RETRIEVAL_H_
