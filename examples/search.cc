// Builds a tiny index from a few documents written into a temporary directory, searches it, and reranks the
// hits with the shipped second-stage model.
//
//   search [--models DIR] [QUERY...]
//   search "who founded the city?"     ->  1  rome  0.420  Rome  Rome was founded, legend says, by Romulus ...
//
// Models (only rerank.slim is used; without it the BM25 order is kept): --models DIR, else $SLIMNLP_MODELS,
// else the installed package's (SLIMNLP_MODELS_DIR, set by examples/CMakeLists.txt).
#include <slimnlp/retrieval.h>

#include <stdlib.h>  // mkdtemp

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#ifndef SLIMNLP_MODELS_DIR
#define SLIMNLP_MODELS_DIR "models"
#endif

namespace {

// One JSON object a line: {"id", "title", "text"} (the texts here need no escaping).
constexpr const char* kDocuments[][3] = {
    {"rome", "Rome",
     "Rome was founded, legend says, by Romulus in 753 BC on the banks of the Tiber, and became the capital of "
     "an empire that ruled the Mediterranean."},
    {"paris", "Paris",
     "Paris grew from a settlement of the Parisii tribe on an island in the Seine; it has been the capital of "
     "France for most of a thousand years."},
    {"tea", "Tea",
     "Tea is brewed from the leaves of Camellia sinensis. It was first drunk in China, and traders carried it "
     "along the Silk Road."},
    {"volcano", "Volcano",
     "A volcano is an opening in the crust through which lava, ash and gases escape. Iceland has more than a "
     "hundred of them."},
};

}  // namespace

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  std::string models = std::getenv("SLIMNLP_MODELS") ? std::getenv("SLIMNLP_MODELS") : SLIMNLP_MODELS_DIR;
  std::string query;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--models" && i + 1 < argc) {
      models = argv[++i];
    } else {
      query += (query.empty() ? "" : " ") + arg;
    }
  }
  if (query.empty()) query = "who founded the city?";

  std::string dir_template = (fs::temp_directory_path() / "slimnlp-search-XXXXXX").string();
  if (mkdtemp(dir_template.data()) == nullptr) {
    std::perror("search: mkdtemp");
    return 1;
  }
  const fs::path dir = dir_template;
  const auto fail = [&](const absl::Status& status) {
    std::cerr << "search: " << status << "\n";
    fs::remove_all(dir);
    return 1;
  };

  // 1. The collection, as JSONL.
  {
    std::ofstream out(dir / "docs.jsonl");
    for (const auto& d : kDocuments) {
      out << R"({"id": ")" << d[0] << R"(", "title": ")" << d[1] << R"(", "text": ")" << d[2] << "\"}\n";
    }
  }

  // 2. The index.
  slimnlp::IndexBuildOptions build;
  build.input_paths = {(dir / "docs.jsonl").string()};
  build.output_path = (dir / "docs.index").string();
  absl::StatusOr<slimnlp::IndexBuildResult> built = slimnlp::BuildIndex(build);
  if (!built.ok()) return fail(built.status());
  std::cerr << "indexed " << built->documents << " documents, " << built->terms << " terms\n";

  // 3. Search (BM25), then rerank if the model is there.
  absl::StatusOr<std::unique_ptr<slimnlp::Index>> index = slimnlp::Index::Open(build.output_path);
  if (!index.ok()) return fail(index.status());
  std::vector<slimnlp::SearchHit> hits;
  (*index)->Search(query, {}, &hits);
  if (const std::string rerank_path = models + "/rerank.slim"; fs::exists(rerank_path) && !hits.empty()) {
    absl::StatusOr<std::unique_ptr<slimnlp::Reranker>> reranker = slimnlp::Reranker::Load(rerank_path);
    if (!reranker.ok()) return fail(reranker.status());
    if (absl::Status s = (*reranker)->Rerank(**index, query, &hits); !s.ok()) return fail(s);
  }

  for (size_t rank = 0; rank < hits.size(); ++rank) {
    absl::StatusOr<slimnlp::Document> doc = (*index)->GetDocument(hits[rank].doc);
    if (!doc.ok()) return fail(doc.status());
    std::printf("%zu\t%s\t%.3f\t%s\t%s\n", rank + 1, doc->id.c_str(), hits[rank].score, doc->title.c_str(),
                slimnlp::Snippet(doc->text, query, 80).c_str());
  }
  if (hits.empty()) std::printf("no document matches \"%s\"\n", query.c_str());
  fs::remove_all(dir);
  return 0;
}
