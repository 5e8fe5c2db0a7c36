// slimnlp's side of the retrieval peer runs (bench/peers/retrieval/run_ret_peers.sh): indexes the corpora with
// BuildIndex, searches every query with one thread, writes the run TSV (query id, rank, doc id, score) that
// ret_score.py scores for every system, and a TIMING line like the peers' harnesses.
//   retrieval_run --corpus C.jsonl [--corpus D.jsonl] --queries Q.jsonl --out run.tsv [--tfidf] [--index F]
//                 [--rerank MODEL]
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "slimnlp/retrieval.h"
#include "src/core/line_reader.h"

namespace {

double ThreadCpuMs() {
  timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

double Percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[std::min(v.size() - 1, static_cast<size_t>(p / 100 * v.size()))];
}

}  // namespace

int main(int argc, char** argv) {
  slimnlp::IndexBuildOptions build;
  std::string queries_path, out_path, index_path = "/tmp/retrieval_run.index", rerank_path;
  slimnlp::SearchOptions search;
  search.k = 20;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const auto next = [&] { return i + 1 < argc ? std::string(argv[++i]) : std::string(); };
    if (a == "--corpus") build.input_paths.push_back(next());
    else if (a == "--queries") queries_path = next();
    else if (a == "--out") out_path = next();
    else if (a == "--index") index_path = next();
    else if (a == "--tfidf") search.scoring = slimnlp::SearchOptions::Scoring::kTfIdf;
    else if (a == "--rerank") rerank_path = next();
    else {
      std::fprintf(stderr, "retrieval_run: unknown argument %s\n", a.c_str());
      return 2;
    }
  }
  build.output_path = index_path;
  build.format = "jsonl";
  const auto t0 = std::chrono::steady_clock::now();
  const double c0 = ThreadCpuMs();
  absl::StatusOr<slimnlp::IndexBuildResult> built = slimnlp::BuildIndex(build);
  if (!built.ok()) {
    std::fprintf(stderr, "retrieval_run: %s\n", std::string(built.status().message()).c_str());
    return 2;
  }
  const double index_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const double index_cpu_s = (ThreadCpuMs() - c0) / 1e3;
  absl::StatusOr<std::unique_ptr<slimnlp::Index>> index = slimnlp::Index::Open(index_path);
  if (!index.ok()) {
    std::fprintf(stderr, "retrieval_run: %s\n", std::string(index.status().message()).c_str());
    return 2;
  }
  std::unique_ptr<slimnlp::Reranker> reranker;
  if (!rerank_path.empty()) {
    absl::StatusOr<std::unique_ptr<slimnlp::Reranker>> r = slimnlp::Reranker::Load(rerank_path);
    if (!r.ok()) {
      std::fprintf(stderr, "retrieval_run: %s\n", std::string(r.status().message()).c_str());
      return 2;
    }
    reranker = *std::move(r);
  }
  // The ids of all documents, to write run files by id.
  std::vector<std::string> ids((*index)->size());
  for (uint32_t d = 0; d < ids.size(); ++d) ids[d] = (*index)->GetDocument(d)->id;

  std::ifstream in(queries_path);
  std::ofstream out(out_path);
  std::string line;
  std::vector<double> wall, cpu;
  std::vector<slimnlp::SearchHit> hits;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const nlohmann::json j = nlohmann::json::parse(line);
    const std::string id = j.contains("_id") ? j["_id"].get<std::string>() : j["id"].get<std::string>();
    const std::string text = j.contains("question") ? j["question"].get<std::string>() : j["text"].get<std::string>();
    const auto w0 = std::chrono::steady_clock::now();
    const double cc = ThreadCpuMs();
    (*index)->Search(text, search, &hits);
    if (reranker && !reranker->Rerank(**index, text, &hits).ok()) return 2;
    cpu.push_back(ThreadCpuMs() - cc);
    wall.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - w0).count());
    for (size_t r = 0; r < hits.size(); ++r) out << id << '\t' << r + 1 << '\t' << ids[hits[r].doc] << '\t' << hits[r].score << '\n';
  }
  std::fprintf(stderr,
               "TIMING {\"system\": \"slimnlp%s\", \"docs\": %zu, \"queries\": %zu, \"index_s\": %.3f, \"index_cpu_s\": "
               "%.3f, \"index_bytes\": %zu, \"p50_ms\": %.3f, \"p99_ms\": %.3f, \"cpu_p50_ms\": %.3f, \"cpu_p99_ms\": %.3f}\n",
               reranker ? "-rerank" : "", ids.size(), wall.size(), index_s, index_cpu_s, built->index_bytes, Percentile(wall, 50),
               Percentile(wall, 99), Percentile(cpu, 50), Percentile(cpu, 99));
  std::remove(index_path.c_str());
  return 0;
}
