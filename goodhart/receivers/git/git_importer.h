// ImportGit: reads a local git repository's history into goodhart's delivery model: one
// model::Commit per commit (parents, people, dates, subject, trailers, co-authors, AI markers,
// per-file diffs with substance, stable patch id, the commit it reverts) and one model::Release
// per tag. Runs the `git` command-line tool as a subprocess (no shell) and parses its output as it
// streams, so a large history is never held as text.
//
// What is read (see README.md for the exact commands):
//   - the tips of refs/heads, refs/remotes and refs/tags plus HEAD; not refs/stash, refs/notes or
//     refs/pull (unmerged pull requests), so work in progress is not imported;
//   - one `git log -p -M` over those tips, minus everything reachable from `known_heads`, with
//     rename detection (as `git show`, so patch ids match `git patch-id --stable`; FileDiff
//     carries old_path). Merge commits keep their parents and carry no diff: a squash merge is a
//     one-parent commit with the whole change, a merge commit has two parents and substance 0;
//   - `.gitattributes` at HEAD (absent is fine) for linguist-generated/-vendored/-diff overrides;
//   - tags via for-each-ref; an annotated tag's release sha is the commit it points to.
//
// Incremental import: pass the previous result's `heads` as `known_heads`. Only commits not
// reachable from them are read, and only tags that are new or moved are reported. Reverts are
// resolved within one import: "This reverts commit <sha>" (expanded to the full sha when that
// commit is in the import), else a commit whose patch id is the inverse of an earlier one's, else
// `Revert "<subject>"` naming an earlier commit's subject.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "goodhart/base/status.h"
#include "goodhart/model/delivery.h"
#include "goodhart/processors/substance/substance_options.h"

namespace goodhart::receivers::git {

// Called with the number of commits imported so far (every 1000 commits and at the end).
using ProgressFn = std::function<void(int64_t commits)>;

struct GitImportOptions {
  std::string repo_path;  // a local clone, bare or not
  std::string repo_name;  // owner/name; default: from the `origin` url, else the folder name
  // Cursor of a previous import (its `heads`): commit shas already imported, plus one entry
  // "tag:<object sha>:<name>" per tag already reported. Anything else is an error.
  std::vector<std::string> known_heads;
  processors::SubstanceOptions substance;  // weights and org globs
  std::string git_binary = "git";          // looked up in PATH
};

struct GitImportResult {
  std::vector<model::Commit> commits;    // newest first (git log order)
  std::vector<model::Release> releases;  // by tag name
  std::vector<std::string> heads;        // pass as known_heads next time
  std::string repo_name;                 // the name used for every record
};

// kInvalidArgument for a path that is not a git repository or a malformed known head;
// kUnavailable when git cannot be run; kDataLoss when git's output is cut short.
Result<GitImportResult> ImportGit(const GitImportOptions& options, ProgressFn progress = {});

// The name records get: `options.repo_name`, else from the `origin` url, else the folder name.
// Lets a caller look up the previous import's heads before importing.
std::string ResolveRepoName(const GitImportOptions& options);

// "owner/name" from a remote url (https, ssh, scp-like "git@host:owner/name.git"); for a local
// path, its folder name without ".git". "" when nothing usable is left.
std::string RepoNameFromUrl(std::string_view url);

}  // namespace goodhart::receivers::git
