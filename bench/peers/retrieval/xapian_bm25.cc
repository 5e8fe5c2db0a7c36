// xapian_bm25 -- Xapian BM25 peer baseline for passage retrieval, used the way a typical user would:
// TermGenerator + English stemmer (default STEM_SOME) to index title + " " + text, QueryParser with the
// same stemmer, default flags and default operator OR, BM25Weight with its default parameters.
//
//   xapian_bm25 --db DIR --corpus C.jsonl[.zst] [--corpus EXTRA.jsonl] --queries Q.jsonl --out RUN.tsv [--k 20]
//
// Corpus lines: {"id"|"_id", "title", "text"}; query lines: {"id","question"} (qa/) or {"_id","text"} (BEIR).
// DIR is (re)created as an on-disk Xapian database. Output: run TSV (qid, rank, doc id, weight);
// stderr: index time and single-thread query latency percentiles, plus a `TIMING {json}` line.
// Build: g++ -O2 -std=c++17 xapian_bm25.cc -o xapian_bm25 $(pkg-config --cflags --libs xapian-core)
//        (Debian: libxapian-dev, nlohmann-json3-dev)
#include <xapian.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <iostream>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

// CPU time of this thread: on a shared machine, wall-clock percentiles also measure other people's jobs.
double CpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

// Calls fn(json) for each non-empty line; .zst through the zstd command, like the Python side.
template <class Fn>
void ForEachJsonLine(const std::string& path, Fn fn) {
  bool zst = path.size() > 4 && path.compare(path.size() - 4, 4, ".zst") == 0;
  FILE* f = zst ? popen(("zstd -dc '" + path + "'").c_str(), "r") : fopen(path.c_str(), "r");
  if (!f) {
    std::cerr << "xapian_bm25: cannot read " << path << "\n";
    std::exit(1);
  }
  char* line = nullptr;
  size_t cap = 0;
  ssize_t n;
  while ((n = getline(&line, &cap, f)) > 0) {
    if (n > 1) fn(nlohmann::json::parse(line, line + n));
  }
  free(line);
  if (zst ? pclose(f) != 0 : fclose(f) != 0) {
    std::cerr << "xapian_bm25: error reading " << path << "\n";
    std::exit(1);
  }
}

std::string Str(const nlohmann::json& j, const char* a, const char* b) {
  auto it = j.find(a);
  if (it == j.end()) it = j.find(b);
  return (it == j.end() || it->is_null()) ? std::string() : it->get<std::string>();
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t i = static_cast<size_t>(p / 100 * (v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

}  // namespace

int main(int argc, char** argv) {
  std::string db_dir, queries_path, out_path;
  std::vector<std::string> corpora;
  unsigned k = 20;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--db") db_dir = argv[i + 1];
    else if (a == "--corpus") corpora.push_back(argv[i + 1]);
    else if (a == "--queries") queries_path = argv[i + 1];
    else if (a == "--out") out_path = argv[i + 1];
    else if (a == "--k") k = std::atoi(argv[i + 1]);
    else { std::cerr << "xapian_bm25: unknown option " << a << "\n"; return 2; }
  }
  if (db_dir.empty() || corpora.empty() || queries_path.empty() || out_path.empty()) {
    std::cerr << "usage: xapian_bm25 --db DIR --corpus C.jsonl [--corpus ...] --queries Q.jsonl --out RUN.tsv [--k 20]\n";
    return 2;
  }

  // Read everything first so the index time is Xapian's work only, not JSON parsing.
  std::vector<std::string> ids, texts;
  for (const auto& c : corpora) {
    ForEachJsonLine(c, [&](const nlohmann::json& j) {
      ids.push_back(Str(j, "id", "_id"));
      texts.push_back(Str(j, "title", "title") + " " + Str(j, "text", "text"));  // title prepended, as qa/ does
    });
  }
  std::vector<std::pair<std::string, std::string>> queries;
  ForEachJsonLine(queries_path, [&](const nlohmann::json& j) {
    queries.emplace_back(Str(j, "id", "_id"), j.contains("question") ? Str(j, "question", "question") : Str(j, "text", "text"));
  });

  Xapian::Stem stemmer("english");
  auto t0 = Clock::now();
  double cpu0 = CpuSeconds(), commit_s;
  {
    Xapian::WritableDatabase db(db_dir, Xapian::DB_CREATE_OR_OVERWRITE);
    Xapian::TermGenerator tg;
    tg.set_stemmer(stemmer);
    for (const auto& t : texts) {
      Xapian::Document doc;
      tg.set_document(doc);
      tg.index_text(t);
      db.add_document(doc);  // fresh database: docid = position + 1, so ids[] maps results back
    }
    auto c0 = Clock::now();
    db.commit();  // includes fsync: reported separately as commit_s
    commit_s = Seconds(c0, Clock::now());
  }
  double index_s = Seconds(t0, Clock::now()), index_cpu_s = CpuSeconds() - cpu0;

  Xapian::Database db(db_dir);
  Xapian::QueryParser qp;
  qp.set_stemmer(stemmer);
  qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
  qp.set_database(db);
  qp.set_default_op(Xapian::Query::OP_OR);
  Xapian::Enquire enquire(db);
  enquire.set_weighting_scheme(Xapian::BM25Weight());

  FILE* out = fopen(out_path.c_str(), "w");
  if (!out) { std::cerr << "xapian_bm25: cannot write " << out_path << "\n"; return 1; }
  std::vector<double> lat_ms, cpu_ms;
  int parse_errors = 0;
  for (const auto& [qid, text] : queries) {
    auto q0 = Clock::now();
    double c0 = CpuSeconds();
    Xapian::Query query;
    try {
      query = qp.parse_query(text);
    } catch (const Xapian::QueryParserError&) {
      // Default flags treat AND/OR/NOT, quotes, +/- as syntax; fall back to plain terms as a user would.
      ++parse_errors;
      query = qp.parse_query(text, 0);
    }
    enquire.set_query(query);
    Xapian::MSet mset = enquire.get_mset(0, k);
    lat_ms.push_back(Seconds(q0, Clock::now()) * 1000);
    cpu_ms.push_back((CpuSeconds() - c0) * 1000);
    unsigned rank = 0;
    for (auto it = mset.begin(); it != mset.end(); ++it)
      fprintf(out, "%s\t%u\t%s\t%.6f\n", qid.c_str(), ++rank, ids[*it - 1].c_str(), it.get_weight());
  }
  fclose(out);

  double p50 = Percentile(lat_ms, 50), p99 = Percentile(lat_ms, 99);
  double cpu50 = Percentile(cpu_ms, 50), cpu99 = Percentile(cpu_ms, 99);
  fprintf(stderr, "xapian-bm25: %zu docs indexed in %.2f s (cpu %.2f s, commit %.2f s); %zu queries, latency "
          "p50 %.3f ms, p99 %.3f ms (cpu p50 %.3f, p99 %.3f; 1 thread); %d parse errors retried without flags\n",
          ids.size(), index_s, index_cpu_s, commit_s, queries.size(), p50, p99, cpu50, cpu99, parse_errors);
  fprintf(stderr, "TIMING {\"system\": \"xapian-bm25\", \"docs\": %zu, \"queries\": %zu, \"index_s\": %.3f, "
          "\"index_cpu_s\": %.3f, \"commit_s\": %.3f, \"p50_ms\": %.3f, \"p99_ms\": %.3f, \"cpu_p50_ms\": %.3f, "
          "\"cpu_p99_ms\": %.3f, \"parse_errors\": %d}\n",
          ids.size(), queries.size(), index_s, index_cpu_s, commit_s, p50, p99, cpu50, cpu99, parse_errors);
  return 0;
}
