// ResolveIndexPaths: what --index may name (a file, a .shards manifest, a directory, a comma list), and each
// way of naming it wrongly.
#include <catch2/catch.hpp>
#include <filesystem>

#include "slimnlp/retrieval.h"
#include "tests/test_util.h"

using namespace slimnlp;

namespace {

// A few documents indexed into `path`.
void BuildShard(const std::string& path, const std::string& text, bool stem = true) {
  testing::WriteFile(path + ".jsonl", text);
  IndexBuildOptions o;
  o.input_paths = {path + ".jsonl"};
  o.output_path = path;
  o.stem = stem;
  REQUIRE(BuildIndex(o).ok());
}

std::vector<std::string> Resolve(const std::string& name) {
  absl::StatusOr<std::vector<std::string>> paths = ResolveIndexPaths(name);
  INFO(name << ": " << paths.status().message());
  REQUIRE(paths.ok());
  return *paths;
}

// The error for `name`, checked to be of `code`.
std::string Error(const std::string& name, absl::StatusCode code) {
  absl::StatusOr<std::vector<std::string>> paths = ResolveIndexPaths(name);
  INFO(name);
  REQUIRE_FALSE(paths.ok());
  CHECK(paths.status().code() == code);
  return std::string(paths.status().message());
}

}  // namespace

TEST_CASE("an index is named by its file, a manifest, a directory or a comma list of these", "[retrieval][sharded]") {
  testing::TempDir dir;
  std::filesystem::create_directory(dir.File("shards"));
  const std::string a = dir.File("shards/shard-00000.index"), b = dir.File("shards/shard-00001.index"),
                    c = dir.File("shards/shard-00002.index");
  BuildShard(a, "{\"id\": \"1\", \"text\": \"alpha beta\"}\n");
  BuildShard(b, "{\"id\": \"2\", \"text\": \"beta gamma\"}\n");
  BuildShard(c, "{\"id\": \"3\", \"text\": \"gamma delta\"}\n");

  CHECK(Resolve(a) == std::vector<std::string>{a});
  CHECK(Resolve(c + "," + a) == std::vector<std::string>{c, a});  // The order given is the documents' order.
  CHECK(Resolve(c + ", " + a + " ") == std::vector<std::string>{c, a});  // As typed after a comma.

  // Without a manifest, a directory is its *.index files in name order; nothing else in it counts.
  testing::WriteFile(dir.File("shards/notes.txt"), "not an index");
  testing::WriteFile(dir.File("shards/shard-00003.index.tmp.12.0"), "a killed writer's temporary");
  CHECK(Resolve(dir.File("shards")) == std::vector<std::string>{a, b, c});

  // A manifest: paths relative to it or absolute, comments, blank lines and surrounding blanks skipped. In a
  // directory it wins over the listing, which may hold an older run's extra shard (c here).
  testing::WriteFile(dir.File("shards/shard.shards"),
                     "# 2 shards, written by slimnlp.dask.build_index\n\nshard-00001.index\n  " + a + " \r\n");
  CHECK(Resolve(dir.File("shards/shard.shards")) == std::vector<std::string>{b, a});
  CHECK(Resolve(dir.File("shards")) == std::vector<std::string>{b, a});
  CHECK(Resolve(dir.File("shards") + "/") == std::vector<std::string>{b, a});
  // The items of a list may be of any kind.
  CHECK(Resolve(dir.File("shards/shard.shards") + "," + c) == std::vector<std::string>{b, a, c});

  // A name that exists as given is one name, commas and all.
  const std::string comma = dir.File("one,two.index");
  BuildShard(comma, "{\"id\": \"x\", \"text\": \"epsilon\"}\n");
  CHECK(Resolve(comma) == std::vector<std::string>{comma});

  // What the resolved names open to: one collection, numbered through the shards in order.
  absl::StatusOr<std::unique_ptr<ShardedIndex>> index = ShardedIndex::Open(Resolve(dir.File("shards")));
  REQUIRE(index.ok());
  CHECK((*index)->shards() == 2);
  CHECK((*index)->GetDocument(0)->id == "2");
  CHECK((*index)->GetDocument(1)->id == "1");
}

TEST_CASE("a wrongly named index is refused, naming the file at fault", "[retrieval][sharded][bad_input]") {
  testing::TempDir dir;
  const std::string a = dir.File("a.index"), b = dir.File("b.index");
  BuildShard(a, "{\"id\": \"1\", \"text\": \"alpha beta\"}\n");
  BuildShard(b, "{\"id\": \"2\", \"text\": \"beta gamma\"}\n");
  using absl::StatusCode;

  CHECK_THAT(Error("", StatusCode::kInvalidArgument), Catch::Contains("no index named"));
  CHECK_THAT(Error(",", StatusCode::kInvalidArgument), Catch::Contains("empty name"));
  CHECK_THAT(Error(a + ",," + b, StatusCode::kInvalidArgument), Catch::Contains("empty name in the comma-separated list (item 2)"));
  CHECK_THAT(Error(a + "," + b + ",", StatusCode::kInvalidArgument), Catch::Contains("(item 3)"));

  const std::string missing = dir.File("missing.index");
  CHECK_THAT(Error(missing, StatusCode::kNotFound), Catch::Contains(missing + ": no such index file"));
  CHECK_THAT(Error(a + "," + missing, StatusCode::kNotFound), Catch::Contains(missing));
  CHECK_THAT(Error(a + "/x.index", StatusCode::kNotFound), Catch::Contains("no such index file"));  // ENOTDIR
  CHECK_THAT(Error(a + ", ," + b, StatusCode::kInvalidArgument), Catch::Contains("(item 2)"));

  // The same file twice, by any path, would count its documents twice.
  CHECK_THAT(Error(a + "," + b + "," + a, StatusCode::kInvalidArgument), Catch::Contains("same file as " + a));
  std::filesystem::create_symlink(a, dir.File("link.index"));
  CHECK_THAT(Error(a + "," + dir.File("link.index"), StatusCode::kInvalidArgument), Catch::Contains("same file"));

  // Manifests: a missing shard named with its line, an empty one, one that lists a directory or a manifest.
  testing::WriteFile(dir.File("m.shards"), "a.index\nnope.index\n");
  const std::string message = Error(dir.File("m.shards"), StatusCode::kNotFound);
  CHECK_THAT(message, Catch::Contains(dir.File("m.shards") + ":2: " + dir.File("nope.index")));
  testing::WriteFile(dir.File("empty.shards"), "# nothing yet\n\n");
  CHECK_THAT(Error(dir.File("empty.shards"), StatusCode::kInvalidArgument), Catch::Contains("lists no shard"));
  testing::WriteFile(dir.File("nested.shards"), "m.shards\n");
  CHECK_THAT(Error(dir.File("nested.shards"), StatusCode::kInvalidArgument), Catch::Contains("index files only"));
  std::filesystem::create_directory(dir.File("sub"));
  testing::WriteFile(dir.File("dir.shards"), "sub\n");
  CHECK_THAT(Error(dir.File("dir.shards"), StatusCode::kInvalidArgument), Catch::Contains("is a directory"));
  testing::WriteFile(dir.File("nul.shards"), std::string("a.in\0dex\n", 9));
  CHECK_THAT(Error(dir.File("nul.shards"), StatusCode::kInvalidArgument), Catch::Contains("nul.shards:1"));

  // Directories: one with nothing to search, one with two manifests (which is meant?).
  CHECK_THAT(Error(dir.File("sub"), StatusCode::kInvalidArgument), Catch::Contains("no *.shards manifest and no *.index"));
  std::filesystem::create_directory(dir.File("two"));
  testing::WriteFile(dir.File("two/news.shards"), b + "\n");
  testing::WriteFile(dir.File("two/wiki.shards"), a + "\n");
  CHECK_THAT(Error(dir.File("two"), StatusCode::kInvalidArgument), Catch::Contains("2 manifests (news.shards, wiki.shards)"));

  // Shards that resolve but do not go together, or do not open: ShardedIndex::Open names the file.
  const std::string nostem = dir.File("nostem.index");
  BuildShard(nostem, "{\"id\": \"3\", \"text\": \"gamma delta\"}\n", /*stem=*/false);
  absl::StatusOr<std::unique_ptr<ShardedIndex>> mixed = ShardedIndex::Open(Resolve(a + "," + nostem));
  CHECK(absl::IsInvalidArgument(mixed.status()));
  CHECK_THAT(std::string(mixed.status().message()), Catch::Contains(nostem + ": built with other term options"));
  std::string bytes = testing::ReadFile(b);
  bytes[bytes.size() - 3] ^= 0x5a;
  testing::WriteFile(dir.File("damaged.index"), bytes);
  absl::StatusOr<std::unique_ptr<ShardedIndex>> damaged = ShardedIndex::Open(Resolve(a + "," + dir.File("damaged.index")));
  CHECK(absl::IsDataLoss(damaged.status()));
  CHECK_THAT(std::string(damaged.status().message()), Catch::Contains(dir.File("damaged.index") + ": damaged"));
}
