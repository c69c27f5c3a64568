// Writes each simulated service's history as a real bare git repository, through one
// `git fast-import` per repository (not one process per commit). The simulator describes a commit
// by its file diffs (meaningful lines as fingerprints, raw line counts, the lines a revert or a
// clean-up removes); the writer turns each fingerprint into a unique line of Go-like code and each
// raw line beyond the meaningful ones into a blank line, keeps every file's content, and commits
// the new content of the files a commit touches. So `goodhart import-git` measures the same
// substance the simulator meant: every meaningful line is code, every filler line is blank.
//
// Messages carry what the importer and the linker read: a pull request's last commit is
// "<title> (#<number>)"; a revert is `Revert "<the reverted commit's subject>"` and removes exactly
// the lines that commit added (so the importer also finds it by inverse patch id); a commit the
// simulator made with an AI marker ends with Claude Code's "Generated with" line and a
// `Co-Authored-By: Claude <noreply@anthropic.com>` trailer. Dates are whole seconds, as in git.
// Each repository's origin is https://github.com/<owner/name>.git, so import-git names it without
// --name.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "goodhart/base/status.h"
#include "goodhart/simulate/world.h"

namespace goodhart::simulate::emit {

struct GitRepository {
  std::string service;  // "t00-svc0"
  std::string name;     // "sim/t00-svc0", as import-git and the webhooks name it
  std::string path;     // <dir>/<service>.git
  int commits = 0;
};

struct GitWriteResult {
  std::vector<GitRepository> repositories;  // in service order
  std::map<std::string, std::string> shas;  // the simulator's commit id -> the git commit sha
};

// Creates <dir>/<service>.git for every service (an existing one is replaced). Deterministic:
// the same world gives the same commit shas.
Result<GitWriteResult> WriteGitRepositories(const World& world, const std::string& dir);

// The line of code written for a meaningful-line fingerprint (unique per fingerprint).
std::string CodeLine(uint64_t fingerprint);

}  // namespace goodhart::simulate::emit
