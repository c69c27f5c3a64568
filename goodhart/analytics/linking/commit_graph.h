// CommitGraph: an immutable parents index over imported commits, answering the reachability
// questions the linkers ask. "Reachable from A and not from B" is `git rev-list A ^B`: the commits
// a deployment of A ships when B was already running. Commits are keyed by sha alone; the same
// sha in two repositories (a fork) is the same object, so the first copy added wins.
//
// History may be shallow or partial (a push webhook brings a few commits, not the repository).
// A parent sha the graph does not hold is a boundary: walks stop there and report it, so callers
// can say "this change set may be incomplete" instead of guessing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "goodhart/model/delivery.h"

namespace goodhart::analytics {

// The commits one walk found, and whether it had to stop at a parent missing from the graph.
struct CommitRange {
  std::vector<std::string> shas;  // parents before children (see CommitGraph::TopologicalOrder)
  bool complete = true;           // false when a walked commit has a parent the graph lacks,
                                  // or a start/exclude sha is unknown
};

// Immutable after construction; safe to share between threads.
class CommitGraph {
 public:
  CommitGraph() = default;
  // Indexes `commits` in any order. Parents may come before or after their children.
  explicit CommitGraph(std::vector<model::Commit> commits);
  // Likewise, without a copy: the graph views `commits`, which must outlive it and stay where they
  // are (the ND engine's history is a million commits with their line fingerprints).
  static CommitGraph View(std::span<const model::Commit> commits);

  size_t size() const { return commits_.size(); }
  bool Contains(std::string_view sha) const { return FindIndex(sha) != kNone; }
  // nullptr when the graph does not hold `sha`.
  const model::Commit* Find(std::string_view sha) const;

  // Expands an abbreviated sha (git prints 7+ hex digits) to the one full sha it starts with.
  // Returns "" when no commit or more than one starts with `prefix`, or it has fewer than 4 chars.
  // An exact full sha returns itself. Case-insensitive.
  std::string ResolvePrefix(std::string_view prefix) const;

  // True when `ancestor` is reachable from `descendant` through parents (a commit is its own
  // ancestor). False when either is unknown.
  bool IsAncestor(std::string_view ancestor, std::string_view descendant) const;

  // Every commit reachable from the `heads` (themselves included), parents before children.
  CommitRange Ancestors(std::span<const std::string> heads) const;

  // Commits reachable from `head` and from none of `exclude` (git rev-list head ^exclude...),
  // parents before children. An exclude sha the graph lacks excludes nothing and marks the range
  // incomplete; an unknown `head` gives an empty, incomplete range. Walks only the commits
  // between `head` and what `exclude` reaches (in generation order, as git's commit-graph does),
  // not the whole history: a linker asks once per deployment.
  CommitRange Range(std::string_view head, std::span<const std::string> exclude) const;

  // Orders the known shas among `shas` so that a parent comes before its children; unrelated
  // commits come by committed time, then sha, so the order is deterministic. Unknown shas are
  // dropped, duplicates kept once.
  std::vector<std::string> TopologicalOrder(std::span<const std::string> shas) const;

 private:
  static constexpr size_t kNone = static_cast<size_t>(-1);

  size_t FindIndex(std::string_view sha) const;
  void ComputeGenerations();
  // Marks everything reachable from `starts` (indices) in `visited`, not entering nodes already
  // marked. Returns false when a walked commit has a parent missing from the graph.
  bool Walk(std::vector<size_t> starts, std::vector<char>& visited) const;
  std::vector<std::string> OrderIndices(const std::vector<size_t>& indices) const;

  void Index(std::span<const model::Commit> commits);

  std::shared_ptr<const std::vector<model::Commit>> owned_;  // null for a view
  std::vector<const model::Commit*> commits_;                // the first copy of each sha
  std::vector<std::vector<size_t>> parents_;                 // indices of known parents
  // 1 + the largest generation of the known parents (1 for a root): a commit's generation is
  // above every ancestor's. A parent edge that would close a cycle (corrupt input) is ignored.
  std::vector<uint32_t> generation_;
  std::vector<char> has_missing_parent_;
  std::unordered_map<std::string, size_t> index_;  // lowercased sha -> position
  std::vector<std::string> sorted_shas_;           // lowercased, for ResolvePrefix
};

}  // namespace goodhart::analytics
