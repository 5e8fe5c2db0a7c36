// Writes the seed corpora of the fuzz targets from small valid inputs the project makes itself:
//   make_fuzz_seeds OUT_DIR   ->  OUT_DIR/<target>/seed-* for every target in fuzz/CMakeLists.txt
#include <zstd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "slimnlp/retrieval.h"
#include "slimnlp/segmenter.h"
#include "tests/core/tiny_model.h"

namespace {
void Write(const std::filesystem::path& dir, int n, const std::string& bytes) {
  std::filesystem::create_directories(dir);
  std::ofstream(dir / ("seed-" + std::to_string(n)), std::ios::binary) << bytes;
}
}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  const std::filesystem::path out = argv[1];
  const std::string tiny = slimnlp::testing::TrainTinyModel().Serialize(3);
  Write(out / "fuzz_model_loader", 0, tiny);
  Write(out / "fuzz_model_loader", 1, slimnlp::testing::TrainTinyModel().Serialize(0));  // Uncompressed.
  {
    // A small segmenter with a lexicon: character features, clex groups and the lexicon section.
    const std::filesystem::path dir = std::filesystem::temp_directory_path() / "make_fuzz_seeds_seg";
    std::filesystem::create_directories(dir);
    std::string conllu;
    for (int i = 0; i < 40; ++i) {
      conllu += "# text = kalomitu.\n1\tka\t_\tX\t_\t_\t_\t_\t_\tSpaceAfter=No\n"
                "2\tlomi\t_\tX\t_\t_\t_\t_\t_\tSpaceAfter=No\n3\ttu\t_\tX\t_\t_\t_\t_\t_\tSpaceAfter=No\n"
                "4\t.\t_\tX\t_\t_\t_\t_\t_\t_\n\n";
    }
    std::ofstream(dir / "train.conllu", std::ios::binary) << conllu;
    std::ofstream(dir / "lexicon.txt", std::ios::binary) << "ka 5 n\nlomi 500 n\ntu 5000 v\n";
    slimnlp::SegmentTrainOptions o;
    o.train_path = (dir / "train.conllu").string();
    o.output_path = (dir / "seg.slim").string();
    o.lexicon_path = (dir / "lexicon.txt").string();
    o.budget_bytes = 24 * 1024;
    o.hidden = 8;
    o.epochs = 1;
    if (!slimnlp::TrainSegmenter(o).ok()) return 1;
    std::ifstream in(dir / "seg.slim", std::ios::binary);
    Write(out / "fuzz_model_loader", 2, std::string(std::istreambuf_iterator<char>(in), {}));
    std::filesystem::remove_all(dir);
  }
  const std::vector<std::string> texts = {
      "The quick brown fox jumps over the lazy dog.",
      "Ceci est une phrase. Und das ist ein Satz.",
      "\xe4\xbb\x8a\xe6\x97\xa5\xe3\x81\xaf\xe5\xa4\xa9\xe6\xb0\x97",  // 今日は天気
      "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82 hello 123 !?",
      "bad \xC3\x28 utf8",
      "",
  };
  for (size_t i = 0; i < texts.size(); ++i) Write(out / "fuzz_text", static_cast<int>(i), texts[i]);
  const std::string tsv = "en\tHello there.\nfr\tBonjour.\nde\tno tab\nxx\t\xFF\n";
  Write(out / "fuzz_tsv", 0, std::string(1, '\0') + tsv);
  std::string z(ZSTD_compressBound(tsv.size()), '\0');
  z.resize(ZSTD_compress(z.data(), z.size(), tsv.data(), tsv.size(), 3));
  Write(out / "fuzz_tsv", 1, std::string(1, '\1') + z);
  Write(out / "fuzz_tsv", 2, std::string(1, '\3') + tsv);
  Write(out / "fuzz_conllu", 0,
        "# text = I can't go.\n1\tI\tI\tPRON\t_\t_\t3\tnsubj\t_\t_\n2-3\tcan't\t_\t_\t_\t_\t_\t_\t_\t_\n"
        "2\tca\tcan\tAUX\t_\t_\t3\taux\t_\t_\n3\tn't\tnot\tPART\t_\t_\t0\troot\t_\t_\n"
        "3.1\tgo\t_\t_\t_\t_\t_\t_\t_\t_\n\n#text =x\n1\tx\t_\tX\t_\t_\t0\troot\t_\tSpaceAfter=No\n\n");
  Write(out / "fuzz_conllu", 1, "1\tbroken\n\n1\ta\t_\tX\t_\t_\t_\t_\t_\t_\n");
  const std::string jsonl =
      "{\"id\": \"a\", \"title\": \"Paris\", \"text\": \"The capital of France is Paris.\"}\n"
      "{\"id\": 2, \"text\": \"alpha beta gamma alpha\"}\nnot json\n{\"text\": 5}\n";
  Write(out / "fuzz_jsonl", 0, jsonl);
  Write(out / "fuzz_jsonl", 1, "plain text line one\nline two alpha\n");
  // An index of the first corpus, and one of many documents (postings with skip blocks).
  std::string many;
  for (int i = 0; i < 300; ++i) many += "{\"text\": \"alpha beta w" + std::to_string(i % 17) + " gamma\"}\n";
  int n = 0;
  for (const std::string& corpus : {jsonl, many}) {
    const std::filesystem::path tmp = std::filesystem::temp_directory_path() / "make_fuzz_seeds.jsonl";
    std::ofstream(tmp, std::ios::binary) << corpus;
    slimnlp::IndexBuildOptions o;
    o.input_paths = {tmp.string()};
    o.output_path = (out / "fuzz_index_loader" / ("seed-" + std::to_string(n++))).string();
    std::filesystem::create_directories(out / "fuzz_index_loader");
    if (!slimnlp::BuildIndex(o).ok()) return 1;
  }
  Write(out / "fuzz_segment", 0, "\xe7\x84\xb6\xe8\x80\x8c\xef\xbc\x8c A\xe8\x82\xa1 2024\xe5\xb9\xb4 \xff\xfe");
  Write(out / "fuzz_segment", 1, "Mixed text, \xe4\xb8\xad\xe6\x96\x87 and 3.14\t\xe3\x80\x80" "end");
  // Request bodies: the endpoint's byte (0 langid, 1 segment, 2 tag, 3 annotate, 4 search), then JSON.
  const std::vector<std::string> bodies = {
      std::string(1, '\0') + R"({"text": "Je vais au march\u00e9.", "top_k": 3})",
      std::string(1, '\1') + R"({"texts": ["\u6211\u4eec\u53bb\u5317\u4eac", "a b"], "language": "zh"})",
      std::string(1, '\2') + R"({"tokens": ["The", "cat", "sat"], "language": "en"})",
      std::string(1, '\3') + R"({"texts": ["The cat sat.", "Der Hund bellt."]})",
      std::string(1, '\4') + R"({"query": "capital of France", "k": 2, "snippet": true, "scoring": "tfidf"})"};
  for (size_t i = 0; i < bodies.size(); ++i) Write(out / "fuzz_http_api", static_cast<int>(i), bodies[i]);
  return 0;
}
