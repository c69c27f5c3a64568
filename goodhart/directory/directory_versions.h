// Directory versions in the store: import a YAML text as the next version (after validating it),
// and load the version in effect at a time, for reports of past periods ("who was on which team
// when"). Used by `goodhart directory import`, `PUT /api/v1/directory` and the report.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "goodhart/base/status.h"
#include "goodhart/directory/directory.h"
#include "goodhart/store/store.h"

namespace goodhart::directory {

struct ImportedDirectory {
  store::DirectoryVersion version;  // without the YAML text
  bool changed = false;             // false: the text equals the latest version
  size_t people = 0, teams = 0, services = 0, bots = 0;
};

// Validates `yaml` (UTF-8, then Directory::Parse; errors read "directory: people[3].team: ...")
// and stores it.
Result<ImportedDirectory> ImportDirectory(store::Store& store, std::string_view yaml,
                                          int64_t now_unix_ms);

// The directory in effect at `as_of_unix_ms` (latest when nullopt); nullopt when none was imported
// by then.
struct LoadedDirectory {
  store::DirectoryVersion version;
  Directory directory;
};
Result<std::optional<LoadedDirectory>> LoadDirectory(const store::Store& store,
                                                     std::optional<int64_t> as_of_unix_ms);

}  // namespace goodhart::directory
