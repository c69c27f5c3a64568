// Builders for hand-made commit graphs in this module's tests.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "goodhart/model/delivery.h"

namespace goodhart::analytics::testing {

inline model::Commit MakeCommit(std::string sha, std::vector<std::string> parents,
                                std::vector<std::string> files, int64_t committed_unix_ms = 0) {
  model::Commit commit;
  commit.repo = "acme/mono";
  commit.sha = std::move(sha);
  commit.parents = std::move(parents);
  for (auto& path : files) {
    commit.files.push_back({.path = std::move(path)});
  }
  commit.authored_unix_ms = committed_unix_ms;
  commit.committed_unix_ms = committed_unix_ms;
  return commit;
}

}  // namespace goodhart::analytics::testing
