#include "goodhart/directory/directory_versions.h"

#include <string>

#include "goodhart/base/utf8.h"

namespace goodhart::directory {

Result<ImportedDirectory> ImportDirectory(store::Store& store, std::string_view yaml,
                                          int64_t now_unix_ms) {
  // Its names and ids reach JSON answers and records, which hold UTF-8 only. Checked here, where
  // a version enters the store, not in Parse: versions stored before still load.
  if (!IsUtf8(yaml))
    return Status::InvalidArgument("directory: file: not UTF-8 (save the directory as UTF-8)");
  GOODHART_ASSIGN_OR_RETURN(Directory parsed, Directory::Parse(yaml));
  GOODHART_ASSIGN_OR_RETURN(std::optional<store::DirectoryVersion> before,
                            store.QueryDirectory(std::nullopt));
  GOODHART_ASSIGN_OR_RETURN(store::DirectoryVersion now,
                            store.PutDirectory(std::string(yaml), now_unix_ms));
  ImportedDirectory out;
  out.changed = !before || before->version != now.version;
  now.yaml.clear();
  out.version = std::move(now);
  out.people = parsed.people().size();
  out.teams = parsed.teams().size();
  out.services = parsed.services().size();
  out.bots = parsed.bots().size();
  return out;
}

Result<std::optional<LoadedDirectory>> LoadDirectory(const store::Store& store,
                                                     std::optional<int64_t> as_of_unix_ms) {
  GOODHART_ASSIGN_OR_RETURN(std::optional<store::DirectoryVersion> version,
                            store.QueryDirectory(as_of_unix_ms));
  if (!version)
    return std::optional<LoadedDirectory>();
  Result<Directory> parsed = Directory::Parse(version->yaml);
  if (!parsed.ok()) {
    return parsed.status().WithPrefix("directory: stored version " +
                                      std::to_string(version->version));
  }
  version->yaml.clear();
  return std::optional<LoadedDirectory>(LoadedDirectory{std::move(*version), std::move(*parsed)});
}

}  // namespace goodhart::directory
