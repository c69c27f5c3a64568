#include "goodhart/analytics/linking/commit_graph.h"

#include <algorithm>
#include <queue>
#include <tuple>
#include <utility>

#include "goodhart/analytics/linking/internal/ascii.h"

namespace goodhart::analytics {
using internal::AsciiLower;

CommitGraph::CommitGraph(std::vector<model::Commit> commits) {
  commits_.reserve(commits.size());
  for (auto& commit : commits) {
    std::string key = AsciiLower(commit.sha);
    if (key.empty() || index_.count(key) > 0) {
      continue;
    }
    index_.emplace(key, commits_.size());
    sorted_shas_.push_back(std::move(key));
    commits_.push_back(std::move(commit));
  }
  std::sort(sorted_shas_.begin(), sorted_shas_.end());
  parents_.resize(commits_.size());
  has_missing_parent_.assign(commits_.size(), 0);
  for (size_t i = 0; i < commits_.size(); ++i) {
    for (const auto& parent : commits_[i].parents) {
      size_t p = FindIndex(parent);
      if (p == kNone) {
        has_missing_parent_[i] = 1;
      } else {
        parents_[i].push_back(p);
      }
    }
  }
}

size_t CommitGraph::FindIndex(std::string_view sha) const {
  auto it = index_.find(AsciiLower(sha));
  return it == index_.end() ? kNone : it->second;
}

const model::Commit* CommitGraph::Find(std::string_view sha) const {
  size_t i = FindIndex(sha);
  return i == kNone ? nullptr : &commits_[i];
}

std::string CommitGraph::ResolvePrefix(std::string_view prefix) const {
  if (prefix.size() < 4) {
    return "";
  }
  std::string key = AsciiLower(prefix);
  auto it = std::lower_bound(sorted_shas_.begin(), sorted_shas_.end(), key);
  if (it == sorted_shas_.end() || it->compare(0, key.size(), key) != 0) {
    return "";
  }
  auto next = std::next(it);
  if (*it != key && next != sorted_shas_.end() && next->compare(0, key.size(), key) == 0) {
    return "";  // ambiguous
  }
  return commits_[index_.at(*it)].sha;
}

bool CommitGraph::Walk(std::vector<size_t> starts, std::vector<char>& visited) const {
  bool complete = true;
  std::vector<size_t> stack = std::move(starts);
  while (!stack.empty()) {
    size_t i = stack.back();
    stack.pop_back();
    if (visited[i]) {
      continue;
    }
    visited[i] = 1;
    if (has_missing_parent_[i]) {
      complete = false;
    }
    for (size_t p : parents_[i]) {
      if (!visited[p]) {
        stack.push_back(p);
      }
    }
  }
  return complete;
}

bool CommitGraph::IsAncestor(std::string_view ancestor, std::string_view descendant) const {
  size_t a = FindIndex(ancestor);
  size_t d = FindIndex(descendant);
  if (a == kNone || d == kNone) {
    return false;
  }
  std::vector<char> visited(commits_.size(), 0);
  (void)Walk({d}, visited);
  return visited[a] != 0;
}

CommitRange CommitGraph::Ancestors(std::span<const std::string> heads) const {
  CommitRange range;
  std::vector<size_t> starts;
  for (const auto& head : heads) {
    size_t i = FindIndex(head);
    if (i == kNone) {
      range.complete = false;
    } else {
      starts.push_back(i);
    }
  }
  std::vector<char> visited(commits_.size(), 0);
  if (!Walk(std::move(starts), visited)) {
    range.complete = false;
  }
  std::vector<size_t> found;
  for (size_t i = 0; i < visited.size(); ++i) {
    if (visited[i]) {
      found.push_back(i);
    }
  }
  range.shas = OrderIndices(found);
  return range;
}

CommitRange CommitGraph::Range(std::string_view head, std::span<const std::string> exclude) const {
  CommitRange range;
  size_t h = FindIndex(head);
  if (h == kNone) {
    range.complete = false;
    return range;
  }
  // Mark everything the excluded heads reach first; the head walk then never enters it. A missing
  // parent behind an excluded commit does not matter: the head walk stops at that commit anyway.
  std::vector<char> excluded(commits_.size(), 0);
  std::vector<size_t> starts;
  for (const auto& sha : exclude) {
    size_t i = FindIndex(sha);
    if (i == kNone) {
      range.complete = false;
    } else {
      starts.push_back(i);
    }
  }
  (void)Walk(std::move(starts), excluded);
  std::vector<char> visited = excluded;
  if (!Walk({h}, visited)) {
    range.complete = false;
  }
  std::vector<size_t> found;
  for (size_t i = 0; i < visited.size(); ++i) {
    if (visited[i] && !excluded[i]) {
      found.push_back(i);
    }
  }
  range.shas = OrderIndices(found);
  return range;
}

std::vector<std::string> CommitGraph::TopologicalOrder(std::span<const std::string> shas) const {
  std::vector<size_t> indices;
  for (const auto& sha : shas) {
    size_t i = FindIndex(sha);
    if (i != kNone) {
      indices.push_back(i);
    }
  }
  std::sort(indices.begin(), indices.end());
  indices.erase(std::unique(indices.begin(), indices.end()), indices.end());
  return OrderIndices(indices);
}

std::vector<std::string> CommitGraph::OrderIndices(const std::vector<size_t>& indices) const {
  // Kahn's algorithm over the induced subgraph; the ready set is a min-heap on
  // (committed time, sha) so unrelated commits come out in a stable, meaningful order.
  std::unordered_map<size_t, size_t> pending;  // index -> parents in the subset not yet emitted
  std::unordered_map<size_t, std::vector<size_t>> children;
  for (size_t i : indices) {
    pending.emplace(i, 0);
  }
  for (size_t i : indices) {
    for (size_t p : parents_[i]) {
      if (pending.count(p) > 0) {
        ++pending[i];
        children[p].push_back(i);
      }
    }
  }
  auto later = [this](size_t a, size_t b) {
    return std::tie(commits_[a].committed_unix_ms, commits_[a].sha) >
           std::tie(commits_[b].committed_unix_ms, commits_[b].sha);
  };
  std::priority_queue<size_t, std::vector<size_t>, decltype(later)> ready(later);
  for (const auto& [i, count] : pending) {
    if (count == 0) {
      ready.push(i);
    }
  }
  std::vector<std::string> out;
  out.reserve(indices.size());
  while (!ready.empty()) {
    size_t i = ready.top();
    ready.pop();
    out.push_back(commits_[i].sha);
    for (size_t c : children[i]) {
      if (--pending[c] == 0) {
        ready.push(c);
      }
    }
  }
  return out;
}

}  // namespace goodhart::analytics
