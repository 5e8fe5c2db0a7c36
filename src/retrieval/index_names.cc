// ResolveIndexPaths: from what a user names as an index (a file, a .shards manifest, a directory, a comma
// list of these) to the shard files, checked for existence and repeats before any is mapped.
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "slimnlp/retrieval.h"
#include "src/core/file_io.h"

namespace slimnlp {
namespace {

constexpr std::string_view kManifestSuffix = ".shards";
constexpr std::string_view kIndexSuffix = ".index";
constexpr uint64_t kMaxManifestBytes = 16 << 20;

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

class Resolver {
 public:
  // One item of the user's list: a file, a manifest or a directory.
  absl::Status AddItem(const std::string& name) {
    struct stat st;
    if (::stat(name.c_str(), &st) != 0) return Missing(name, "");
    if (S_ISDIR(st.st_mode)) return AddDirectory(name);
    if (EndsWith(name, kManifestSuffix)) return AddManifest(name);
    return AddShard(name, st, "");
  }

  std::vector<std::string> Take() { return std::move(paths_); }

 private:
  // `where`: the manifest line that lists it ("m.shards:3"), or "" for a name the user gave.
  absl::Status Missing(const std::string& path, const std::string& where) {
    const int e = errno;
    const bool absent = e == ENOENT || e == ENOTDIR;
    const std::string why = absl::StrFormat("%s%s: %s", where.empty() ? "" : where + ": ", path,
                                            absent ? "no such index file, manifest or directory" : std::strerror(e));
    if (absent) return absl::NotFoundError(why);
    return e == EACCES || e == EPERM ? absl::PermissionDeniedError(why) : absl::InternalError(why);
  }

  absl::Status AddShard(const std::string& path, const struct stat& st, const std::string& where) {
    // The same file under two names (a/x.index, a/./x.index, a symlink) would count its documents twice.
    for (size_t i = 0; i < ids_.size(); ++i) {
      if (ids_[i].first == st.st_dev && ids_[i].second == st.st_ino) {
        return absl::InvalidArgumentError(absl::StrFormat(
            "%s%s is the same file as %s, named before: a shard must be searched once",
            where.empty() ? "" : where + ": ", path, paths_[i]));
      }
    }
    ids_.push_back({st.st_dev, st.st_ino});
    paths_.push_back(path);
    return absl::OkStatus();
  }

  absl::Status AddManifest(const std::string& manifest) {
    absl::StatusOr<std::string> text = core::ReadFileToString(manifest, kMaxManifestBytes);
    if (!text.ok()) return text.status();
    const std::filesystem::path dir = std::filesystem::path(manifest).parent_path();
    const size_t before = paths_.size();
    size_t line_number = 0;
    for (size_t at = 0; at < text->size();) {
      size_t end = text->find('\n', at);
      if (end == std::string::npos) end = text->size();
      std::string_view line(text->data() + at, end - at);
      at = end + 1;
      ++line_number;
      while (!line.empty() && std::isspace(static_cast<unsigned char>(line.front()))) line.remove_prefix(1);
      while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back()))) line.remove_suffix(1);
      if (line.empty() || line.front() == '#') continue;
      const std::string where = absl::StrFormat("%s:%d", manifest, line_number);
      if (line.find('\0') != std::string_view::npos) {
        return absl::InvalidArgumentError(where + ": not a file name (it holds a NUL byte)");
      }
      std::filesystem::path entry(std::string{line});
      const std::string path = entry.is_absolute() || dir.empty() ? entry.string() : (dir / entry).string();
      struct stat st;
      if (::stat(path.c_str(), &st) != 0) return Missing(path, where);
      if (S_ISDIR(st.st_mode) || EndsWith(path, kManifestSuffix)) {
        return absl::InvalidArgumentError(absl::StrFormat(
            "%s: %s is a %s; a manifest lists index files only", where, path,
            S_ISDIR(st.st_mode) ? "directory" : "manifest"));
      }
      if (absl::Status s = AddShard(path, st, where); !s.ok()) return s;
    }
    if (paths_.size() == before) return absl::InvalidArgumentError(manifest + ": the manifest lists no shard");
    return absl::OkStatus();
  }

  absl::Status AddDirectory(const std::string& name) {
    std::error_code ec;
    std::vector<std::string> manifests, indexes;
    for (std::filesystem::directory_iterator it(name, ec), end; !ec && it != end; it.increment(ec)) {
      const std::string file = it->path().filename().string();
      std::error_code type_ec;
      if (!it->is_regular_file(type_ec)) continue;
      if (EndsWith(file, kManifestSuffix)) manifests.push_back(file);
      if (EndsWith(file, kIndexSuffix)) indexes.push_back(file);
    }
    if (ec) return absl::PermissionDeniedError(absl::StrFormat("%s: cannot list the directory: %s", name, ec.message()));
    std::sort(manifests.begin(), manifests.end());
    std::sort(indexes.begin(), indexes.end());
    const std::filesystem::path dir(name);
    if (manifests.size() > 1) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s holds %d manifests (%s): name the one to search, e.g. %s", name, manifests.size(),
          absl::StrJoin(manifests, ", "), (dir / manifests[0]).string()));
    }
    // The manifest, not the directory's listing, says which shards make the collection: a rerun with fewer
    // partitions leaves the old run's extra shards beside the new ones.
    if (manifests.size() == 1) return AddManifest((dir / manifests[0]).string());
    if (indexes.empty()) {
      return absl::InvalidArgumentError(
          absl::StrFormat("%s: a directory with no *.shards manifest and no *.index file", name));
    }
    for (const std::string& file : indexes) {
      const std::string path = (dir / file).string();
      struct stat st;
      if (::stat(path.c_str(), &st) != 0) return Missing(path, "");
      if (absl::Status s = AddShard(path, st, ""); !s.ok()) return s;
    }
    return absl::OkStatus();
  }

  std::vector<std::string> paths_;
  std::vector<std::pair<dev_t, ino_t>> ids_;  // paths_[i]'s file.
};

}  // namespace

absl::StatusOr<std::vector<std::string>> ResolveIndexPaths(std::string_view name) {
  if (name.empty()) {
    return absl::InvalidArgumentError(
        "no index named: give an index file, a *.shards manifest, a directory of shards, or a comma-separated list");
  }
  std::vector<std::string> items;
  struct stat st;
  if (name.find(',') == std::string_view::npos || ::stat(std::string(name).c_str(), &st) == 0) {
    items.emplace_back(name);
  } else {
    for (size_t at = 0;;) {
      const size_t comma = std::min(name.find(',', at), name.size());
      std::string_view item = name.substr(at, comma - at);
      // "a.index, b.index" as typed: blanks around an item are not part of its name.
      while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
      while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
      if (item.empty()) {
        return absl::InvalidArgumentError(absl::StrFormat(
            "'%s': an empty name in the comma-separated list (item %d)", name, items.size() + 1));
      }
      items.emplace_back(item);
      if (comma == name.size()) break;
      at = comma + 1;
    }
  }
  Resolver resolver;
  for (const std::string& item : items) {
    if (absl::Status s = resolver.AddItem(item); !s.ok()) return s;
  }
  return resolver.Take();
}

}  // namespace slimnlp
