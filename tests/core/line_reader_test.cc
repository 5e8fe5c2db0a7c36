#include "src/core/line_reader.h"

#include <zstd.h>

#include <catch2/catch.hpp>

#include "tests/test_util.h"

using slimnlp::core::LineReader;
using slimnlp::testing::TempDir;
using slimnlp::testing::WriteFile;

namespace {

std::vector<std::string> ReadAll(const std::string& path, size_t cap, std::vector<bool>* truncated = nullptr,
                                 absl::Status* status = nullptr) {
  absl::StatusOr<std::unique_ptr<LineReader>> r = LineReader::Open(path, cap);
  REQUIRE(r.ok());
  std::vector<std::string> lines;
  std::string line;
  bool cut;
  while ((*r)->Next(&line, &cut)) {
    lines.push_back(line);
    if (truncated) truncated->push_back(cut);
  }
  if (status) *status = (*r)->status();
  return lines;
}

std::string Compress(const std::string& s) {
  std::string out(ZSTD_compressBound(s.size()), '\0');
  out.resize(ZSTD_compress(out.data(), out.size(), s.data(), s.size(), 3));
  return out;
}

}  // namespace

TEST_CASE("lines come back whole: CRLF, empty lines, no final newline", "[line_reader]") {
  TempDir dir;
  WriteFile(dir.File("a.txt"), "one\r\n\ntwo\nthree");
  CHECK(ReadAll(dir.File("a.txt"), 100) == std::vector<std::string>{"one", "", "two", "three"});
  WriteFile(dir.File("empty.txt"), "");
  CHECK(ReadAll(dir.File("empty.txt"), 100).empty());
}

TEST_CASE("a line past the cap is cut and flagged, the next line is intact", "[line_reader][bad_input]") {
  TempDir dir;
  const std::string huge(300000, 'x');
  WriteFile(dir.File("a.txt"), "short\n" + huge + "\nafter\n");
  std::vector<bool> truncated;
  const auto lines = ReadAll(dir.File("a.txt"), 1000, &truncated);
  REQUIRE(lines.size() == 3);
  CHECK(lines[1].size() == 1000);
  CHECK(truncated == std::vector<bool>{false, true, false});
  CHECK(lines[2] == "after");
}

TEST_CASE("zstd files are read transparently, corrupted ones give an error", "[line_reader][bad_input]") {
  TempDir dir;
  std::string text;
  for (int i = 0; i < 50000; ++i) text += "line " + std::to_string(i) + "\n";
  const std::string z = Compress(text);
  WriteFile(dir.File("a.txt.zst"), z);
  const auto lines = ReadAll(dir.File("a.txt.zst"), 100);
  REQUIRE(lines.size() == 50000);
  CHECK(lines.back() == "line 49999");

  WriteFile(dir.File("cut.txt.zst"), z.substr(0, z.size() / 2));
  absl::Status status;
  const auto part = ReadAll(dir.File("cut.txt.zst"), 100, nullptr, &status);
  CHECK(status.code() == absl::StatusCode::kDataLoss);
  CHECK(part.size() < 50000);

  std::string garbage = z;
  for (size_t i = 20; i < garbage.size(); i += 50) garbage[i] ^= 0x55;
  WriteFile(dir.File("bad.txt.zst"), garbage);
  ReadAll(dir.File("bad.txt.zst"), 100, nullptr, &status);
  CHECK(status.code() == absl::StatusCode::kDataLoss);
  CHECK(std::string(status.message()).find("bad.txt.zst") != std::string::npos);
}

TEST_CASE("a missing file is NotFound naming the path", "[line_reader][bad_input]") {
  absl::StatusOr<std::unique_ptr<LineReader>> r = LineReader::Open("/nonexistent/x.tsv", 10);
  CHECK(r.status().code() == absl::StatusCode::kNotFound);
  CHECK(std::string(r.status().message()).find("/nonexistent/x.tsv") != std::string::npos);
}

TEST_CASE("NextPiece returns a long line in pieces under one line number, nothing lost", "[line_reader][bad_input]") {
  TempDir dir;
  std::string huge;
  for (int i = 0; i < 30000; ++i) huge += std::to_string(i % 10);
  WriteFile(dir.File("a.txt"), "short\n" + huge + "\r\nafter");
  absl::StatusOr<std::unique_ptr<LineReader>> r = LineReader::Open(dir.File("a.txt"), 1000);
  REQUIRE(r.ok());
  std::vector<std::pair<size_t, std::string>> lines;  // (line number, text joined from its pieces)
  std::string piece;
  bool continues = false, in_line = false;
  size_t pieces = 0;
  while ((*r)->NextPiece(&piece, &continues)) {
    CHECK(piece.size() <= 1000);
    ++pieces;
    if (!in_line) lines.push_back({(*r)->line_number(), ""});
    lines.back().second += piece;
    in_line = continues;
  }
  CHECK((*r)->status().ok());
  REQUIRE(lines.size() == 3);
  CHECK(lines[0] == std::make_pair(size_t{1}, std::string("short")));
  CHECK(lines[1] == std::make_pair(size_t{2}, huge));
  CHECK(lines[2] == std::make_pair(size_t{3}, std::string("after")));
  CHECK(pieces == 1 + 31 + 1);  // The long line is 30,001 bytes with its '\r': 31 pieces, the last "\r" alone.
}

TEST_CASE("zstd data is recognized by its magic number whatever the name; a byte-order mark is skipped",
          "[line_reader]") {
  TempDir dir;
  WriteFile(dir.File("compressed.txt"), Compress("one\ntwo\n"));
  CHECK(ReadAll(dir.File("compressed.txt"), 100) == std::vector<std::string>{"one", "two"});
  WriteFile(dir.File("bom.txt"), "\xEF\xBB\xBFword\nsecond \xEF\xBB\xBF kept\n");
  CHECK(ReadAll(dir.File("bom.txt"), 100) == std::vector<std::string>{"word", "second \xEF\xBB\xBF kept"});
  WriteFile(dir.File("bom.txt.zst"), Compress("\xEF\xBB\xBFword\n"));
  CHECK(ReadAll(dir.File("bom.txt.zst"), 100) == std::vector<std::string>{"word"});
  WriteFile(dir.File("only-bom.txt"), "\xEF\xBB\xBF");
  CHECK(ReadAll(dir.File("only-bom.txt"), 100).empty());
  WriteFile(dir.File("short.txt"), "ab");  // Shorter than the magic number: plain text.
  CHECK(ReadAll(dir.File("short.txt"), 100) == std::vector<std::string>{"ab"});
}
