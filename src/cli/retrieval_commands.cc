// `slimnlp index`, `slimnlp search`, `slimnlp eval retrieval`.
#include <nlohmann/json.hpp>

#include "absl/strings/str_format.h"
#include "slimnlp/retrieval.h"
#include "src/cli/cli_common.h"
#include "src/core/line_reader.h"

namespace slimnlp::cli {
namespace {

struct SearchArgs {
  std::string index, format = "tsv", file = "-", scoring = "bm25", rerank;
  std::vector<std::string> queries;
  size_t k = 10, snippet_bytes = 160;
  float k1 = 0.9f, b = 0.4f;
};

SearchOptions ToOptions(const SearchArgs& a) {
  SearchOptions o;
  o.k = a.k;
  o.scoring = a.scoring == "tfidf" ? SearchOptions::Scoring::kTfIdf : SearchOptions::Scoring::kBm25;
  o.k1 = a.k1;
  o.b = a.b;
  return o;
}

// A TSV field as one field: backslash, tab, newline and carriage return written as \\, \t, \n, \r.
std::string TsvField(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      default: out += c;
    }
  }
  return out;
}

// A TREC run field: whitespace would split it, so each run of it becomes '_'.
std::string TrecField(std::string_view s) {
  std::string out;
  for (char c : s) out += (c == ' ' || c == '\t' || c == '\n' || c == '\r') ? '_' : c;
  return out.empty() ? "_" : out;
}

// A line of a query file: "id<TAB>query" (BEIR's queries.tsv, TREC topics), a JSON object with "id" or "_id"
// and "query", "question" or "text" (BEIR's queries.jsonl, the questions files), or the query alone.
struct QueryLine {
  std::string id, text;
};

absl::StatusOr<QueryLine> ParseQueryLine(const std::string& line) {
  if (!line.empty() && line.front() == '{') {
    const nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_object()) {
      QueryLine q;
      for (const char* key : {"id", "_id", "query_id"}) {
        if (j.contains(key) && q.id.empty()) q.id = j[key].is_string() ? j[key].get<std::string>() : j[key].dump();
      }
      for (const char* key : {"query", "question", "text"}) {
        if (j.contains(key) && j[key].is_string()) {
          q.text = j[key].get<std::string>();
          return q;
        }
      }
      return absl::InvalidArgumentError("a JSON query line needs a string \"query\", \"question\" or \"text\"");
    }
  }
  if (const size_t tab = line.find('\t'); tab != std::string::npos) return QueryLine{line.substr(0, tab), line.substr(tab + 1)};
  return QueryLine{"", line};
}

int RunSearch(const SearchArgs& args) {
  absl::StatusOr<std::unique_ptr<ShardedIndex>> index = OpenIndexNamed(args.index);
  if (!index.ok()) {
    std::fprintf(stderr, "slimnlp search: %s\n", std::string(index.status().message()).c_str());
    return 2;
  }
  std::unique_ptr<Reranker> reranker;
  if (!args.rerank.empty()) {
    absl::StatusOr<std::unique_ptr<Reranker>> r = Reranker::Load(args.rerank);
    if (!r.ok()) {
      std::fprintf(stderr, "slimnlp search: %s\n", std::string(r.status().message()).c_str());
      return 2;
    }
    reranker = *std::move(r);
  }
  Output out;
  std::vector<SearchHit> hits;
  SearchOptions options = ToOptions(args);
  if (reranker) options.k = std::max<size_t>(options.k, 20);  // The reranker picks from the first 20.
  size_t number = 0;
  const auto answer = [&](const std::string& query, const std::string& given_id) -> bool {
    ++number;
    const std::string query_id = given_id.empty() ? std::to_string(number) : given_id;
    (*index)->Search(query, options, &hits);
    if (reranker) {
      if (absl::Status s = reranker->Rerank(**index, query, &hits); !s.ok()) {
        std::fprintf(stderr, "slimnlp search: %s\n", std::string(s.message()).c_str());
        return false;
      }
      if (hits.size() > args.k) hits.resize(args.k);
    }
    nlohmann::json results = nlohmann::json::array();
    for (size_t rank = 0; rank < hits.size(); ++rank) {
      absl::StatusOr<Document> doc = (*index)->GetDocument(hits[rank].doc);
      if (!doc.ok()) {
        std::fprintf(stderr, "slimnlp search: %s\n", std::string(doc.status().message()).c_str());
        return false;
      }
      const std::string snippet = Snippet(doc->text, query, args.snippet_bytes);
      if (args.format == "json") {
        results.push_back({{"rank", rank + 1}, {"id", doc->id}, {"title", doc->title}, {"score", hits[rank].score},
                           {"snippet", snippet}});
      } else if (args.format == "trec") {  // qid Q0 docid rank score run: what trec_eval and ir_measures read.
        out.Write(absl::StrFormat("%s Q0 %s %d %.6f slimnlp\n", TrecField(query_id), TrecField(doc->id), rank + 1,
                                  hits[rank].score));
      } else {  // query id (or number), rank, id, score, title, snippet
        out.Write(absl::StrFormat("%s\t%d\t%s\t%.4f\t%s\t%s\n", TsvField(query_id), rank + 1, TsvField(doc->id),
                                  hits[rank].score, TsvField(doc->title), TsvField(snippet)));
      }
    }
    if (args.format == "json") {
      out.Write(nlohmann::json{{"query_id", query_id}, {"query", query}, {"results", results}}.dump(-1, ' ', false,
                                                                             nlohmann::json::error_handler_t::replace) +
                "\n");
    }
    return true;
  };
  if (!args.queries.empty()) {
    for (const auto& q : args.queries)
      if (!answer(q, "")) return 2;
    return 0;
  }
  absl::StatusOr<std::unique_ptr<core::LineReader>> reader = core::LineReader::Open(args.file, 1 << 16);
  if (!reader.ok()) {
    std::fprintf(stderr, "slimnlp search: %s\n", std::string(reader.status().message()).c_str());
    return 2;
  }
  std::string line;
  bool truncated;
  while ((*reader)->Next(&line, &truncated)) {
    if (truncated) {
      std::fprintf(stderr, "slimnlp search: line %zu: query longer than 64 KiB; searched up to there\n",
                   (*reader)->line_number());
    }
    absl::StatusOr<QueryLine> q = ParseQueryLine(line);
    if (!q.ok()) {
      std::fprintf(stderr, "slimnlp search: %s:%zu: %s\n", args.file == "-" ? "<stdin>" : args.file.c_str(),
                   (*reader)->line_number(), std::string(q.status().message()).c_str());
      return 2;
    }
    if (!answer(q->text, q->id)) return 2;
  }
  if (!(*reader)->status().ok()) {
    std::fprintf(stderr, "slimnlp search: %s\n", std::string((*reader)->status().message()).c_str());
    return 2;
  }
  return 0;
}

int RunIndex(IndexBuildOptions options) {
  options.progress = [](const std::string& s) { std::fprintf(stderr, "%s\n", s.c_str()); };
  RemoveStaleOutputTemporaries("slimnlp index", options.output_path);
  absl::StatusOr<IndexBuildResult> r = BuildIndex(options);
  if (!r.ok()) {
    std::fprintf(stderr, "slimnlp index: %s\n", std::string(r.status().message()).c_str());
    return 2;
  }
  std::printf("%s: %zu documents (%zu skipped), %zu terms, %zu bytes (%.1f%% of the input), %.1fs\n",
              options.output_path.c_str(), r->documents, r->skipped, r->terms, r->index_bytes,
              r->input_bytes ? 100.0 * r->index_bytes / r->input_bytes : 0.0, r->seconds);
  return 0;
}

int RunEval(const std::string& index_path, RetrievalEvalOptions options, const std::string& scoring,
            const std::string& rerank, const std::string& format) {
  absl::StatusOr<std::unique_ptr<ShardedIndex>> index = OpenIndexNamed(index_path);
  if (!index.ok()) {
    std::fprintf(stderr, "slimnlp eval retrieval: %s\n", std::string(index.status().message()).c_str());
    return 2;
  }
  std::unique_ptr<Reranker> reranker;
  if (!rerank.empty()) {
    absl::StatusOr<std::unique_ptr<Reranker>> r = Reranker::Load(rerank);
    if (!r.ok()) {
      std::fprintf(stderr, "slimnlp eval retrieval: %s\n", std::string(r.status().message()).c_str());
      return 2;
    }
    reranker = *std::move(r);
    options.reranker = reranker.get();
  }
  options.search.scoring = scoring == "tfidf" ? SearchOptions::Scoring::kTfIdf : SearchOptions::Scoring::kBm25;
  absl::StatusOr<RetrievalEvalReport> r = EvaluateRetrieval(**index, options);
  if (!r.ok()) {
    std::fprintf(stderr, "slimnlp eval retrieval: %s\n", std::string(r.status().message()).c_str());
    return 2;
  }
  Output out;
  if (format == "json") {
    nlohmann::json j = {{"index", index_path}, {"shards", (*index)->shards()}, {"documents", (*index)->size()},
                        {"questions_file", options.questions_path},
                        {"questions", r->questions}, {"scoring", scoring}, {"rerank", rerank},
                        {"recall_at_1", r->recall_at[0]}, {"recall_at_5", r->recall_at[1]}, {"recall_at_20", r->recall_at[2]},
                        {"mrr_at_20", r->mrr}, {"ndcg_at_10", r->ndcg_at_10},
                        {"latency_ms", {{"p50", r->latency_ms[0]}, {"p90", r->latency_ms[1]}, {"p99", r->latency_ms[2]}}}};
    if (r->questions_with_answers) {
      j["questions_with_answers"] = r->questions_with_answers;
      j["answer_recall_at_1"] = r->answer_recall_at[0];
      j["answer_recall_at_5"] = r->answer_recall_at[1];
      j["answer_recall_at_20"] = r->answer_recall_at[2];
    }
    out.Write(j.dump() + "\n");
    return 0;
  }
  const std::string shards = (*index)->shards() > 1 ? absl::StrFormat(" in %d shards", (*index)->shards()) : "";
  out.Write(absl::StrFormat("index: %s (%d documents%s)\nquestions: %s (%d with gold documents)\nscoring: %s%s\n\n",
                            index_path, (*index)->size(), shards, options.questions_path, r->questions, scoring,
                            rerank.empty() ? "" : ", top 20 reranked by " + rerank));
  out.Write(absl::StrFormat("recall@1   %.4f\nrecall@5   %.4f\nrecall@20  %.4f\nMRR@20     %.4f\nnDCG@10    %.4f\n",
                            r->recall_at[0], r->recall_at[1], r->recall_at[2], r->mrr, r->ndcg_at_10));
  if (r->questions_with_answers) {
    out.Write(absl::StrFormat("answer recall@1   %.4f\nanswer recall@5   %.4f\nanswer recall@20  %.4f\n",
                              r->answer_recall_at[0], r->answer_recall_at[1], r->answer_recall_at[2]));
  }
  out.Write(absl::StrFormat("latency ms p50 %.3f  p90 %.3f  p99 %.3f (search and reranking, one thread)\n", r->latency_ms[0],
                            r->latency_ms[1], r->latency_ms[2]));
  return 0;
}

}  // namespace

void AddRetrievalCommands(CLI::App& app, CLI::App& eval, CLI::App& train, int* exit_code) {
  auto build = std::make_shared<IndexBuildOptions>();
  CLI::App* idx = app.add_subcommand(
      "index",
      "Build a retrieval index: hashed word unigrams and bigrams, BM25-ready postings, compressed documents.\n"
      "Input: JSONL ({\"id\", \"title\", \"text\"} a line) or plain text (a document a line), plain or .zst.\n"
      "Malformed lines are reported and skipped; the index is written under a temporary name and renamed.\n"
      "\nExample:\n  slimnlp index --input corpus.jsonl --out my.index\n");
  idx->add_option("-i,--input", build->input_paths, "Input files ('-' for stdin)")->required();
  idx->add_option("-o,--out", build->output_path, "Index file to write")->required();
  idx->add_option("--format", build->format, "jsonl, text or auto")
      ->check(CLI::IsMember({"jsonl", "text", "auto"}))
      ->capture_default_str();
  idx->add_option("--max-document-bytes", build->max_document_bytes, "Longer lines are refused")->capture_default_str();
  idx->callback([build, exit_code] { *exit_code = RunIndex(*build); });

  auto args = std::make_shared<SearchArgs>();
  CLI::App* search = app.add_subcommand(
      "search",
      "Search an index: the top documents for each query (arguments, or lines of --file / stdin: a query, or\n"
      "'id<TAB>query', or JSON {\"id\"|\"_id\", \"query\"|\"question\"|\"text\"}).\n"
      "Output: TSV (query id or number, rank, id, score, title, snippet; tab, newline and backslash in a field\n"
      "written as \\t, \\n, \\\\), JSON a query per line, or a TREC run (qid Q0 docid rank score slimnlp) for\n"
      "trec_eval.\n"
      "--index names one index or a collection in shards (slimnlp.dask.build_index writes them with a\n"
      "manifest); shards are scored with the whole collection's statistics, so they rank as one index would.\n"
      "\nExamples:\n  slimnlp search --index my.index \"who founded the city\"\n"
      "  slimnlp search --index my.index --format json -k 5 < questions.txt\n"
      "  slimnlp search --index /shared/index \"who founded the city\"         (its shard.shards manifest)\n"
      "  slimnlp search --index part-0.index,part-1.index --rerank models/rerank.slim < questions.txt\n");
  search->add_option("query", args->queries, "Queries (default: lines of --file or stdin)");
  search->add_option("--index", args->index, kIndexOptionHelp)->required();
  search->add_option("-k", args->k, "Results per query")->capture_default_str()->check(CLI::Range(1, 10000));
  search->add_option("-f,--format", args->format, "tsv, json or trec")
      ->check(CLI::IsMember({"tsv", "json", "trec"}))
      ->capture_default_str();
  search->add_option("--file", args->file, "Queries, one a line (default: stdin)")->capture_default_str();
  search->add_option("--scoring", args->scoring, "bm25 or tfidf (DrQA's)")->check(CLI::IsMember({"bm25", "tfidf"}))->capture_default_str();
  search->add_option("--k1", args->k1, "BM25 k1")->capture_default_str();
  search->add_option("--b", args->b, "BM25 b")->capture_default_str();
  search->add_option("--snippet-bytes", args->snippet_bytes, "Snippet length")->capture_default_str();
  search->add_option("--rerank", args->rerank, "Reranker model (e.g. models/rerank.slim): reorders the top 20");
  search->callback([args, exit_code] { *exit_code = RunSearch(*args); });

  struct EvalArgs {
    std::string index, scoring = "bm25", rerank, format = "text";
    RetrievalEvalOptions options;
  };
  auto e = std::make_shared<EvalArgs>();
  CLI::App* ev = eval.add_subcommand(
      "retrieval",
      "Recall@1/5/20 of the gold paragraph, answer-string recall@k, MRR, nDCG@10, latency; over one index or a\n"
      "collection in shards (--index as for slimnlp search)");
  ev->add_option("--index", e->index, kIndexOptionHelp)->required();
  ev->add_option("--questions", e->options.questions_path,
                 "JSONL questions {id, question, answers, gold} (or BEIR queries with --qrels)")->required();
  ev->add_option("--qrels", e->options.qrels_path, "BEIR qrels TSV (query-id, corpus-id, score)");
  ev->add_option("--scoring", e->scoring, "bm25 or tfidf")->check(CLI::IsMember({"bm25", "tfidf"}))->capture_default_str();
  ev->add_option("--k1", e->options.search.k1, "BM25 k1")->capture_default_str();
  ev->add_option("--b", e->options.search.b, "BM25 b")->capture_default_str();
  ev->add_option("--rerank", e->rerank, "Reranker model: the top 20 are reordered before scoring");
  ev->add_option("-f,--format", e->format, "text or json (one object)")->check(CLI::IsMember({"text", "json"}))->capture_default_str();
  ev->callback([e, exit_code] { *exit_code = RunEval(e->index, e->options, e->scoring, e->rerank, e->format); });

  struct TrainArgs {
    std::vector<std::string> indexes, questions;
    RerankTrainOptions options;
  };
  auto t = std::make_shared<TrainArgs>();
  CLI::App* tr = train.add_subcommand(
      "rerank",
      "Train the second-stage reranker on questions with known gold paragraphs (never those you evaluate on).\n"
      "\nExample:\n  slimnlp train rerank --index squad-train.index --questions squad11-dev-train/questions.jsonl \\\n"
      "      --index nq-train.index --questions nq-qed-train/questions.jsonl --out models/rerank.slim\n");
  tr->add_option("--index", t->indexes,
                 "Index of a training collection (repeat, paired with --questions): a file or a collection in\n"
                 "shards, named as for slimnlp search")->required();
  tr->add_option("--questions", t->questions, "Its questions, JSONL {question, gold}")->required();
  tr->add_option("-o,--out", t->options.output_path, "Model file to write")->required();
  tr->add_option("--hidden", t->options.hidden, "Hidden layer width (0: none)")->capture_default_str()->check(HiddenWidth());
  tr->add_option("--epochs", t->options.epochs, "Maximum epochs")->capture_default_str();
  tr->add_option("--seed", t->options.seed, "Random seed")->capture_default_str();
  tr->callback([t, exit_code, tr] {
    if (t->indexes.size() != t->questions.size()) {
      std::fprintf(stderr, "slimnlp train rerank: give one --questions per --index\n");
      *exit_code = 2;
      return;
    }
    t->options.sets.clear();
    for (size_t i = 0; i < t->indexes.size(); ++i) t->options.sets.push_back({t->indexes[i], t->questions[i]});
    PrepareTraining(*tr, nullptr, t->options.output_path, &t->options);
    absl::StatusOr<RerankTrainResult> r = TrainReranker(t->options);
    if (!r.ok()) {
      std::fprintf(stderr, "slimnlp train rerank: %s\n", std::string(r.status().message()).c_str());
      *exit_code = 2;
      return;
    }
    std::printf("trained %s: %zu questions, %zu candidates, dev recall@1 %.4f -> %.4f, %zu bytes, %.0fs\n",
                t->options.output_path.c_str(), r->questions, r->examples, r->dev_recall_at_1_before,
                r->dev_recall_at_1_after, r->file_bytes, r->seconds);
  });
}

}  // namespace slimnlp::cli
