#include "goodhart/analytics/linking/commit_graph.h"

#include <algorithm>
#include <queue>
#include <tuple>
#include <utility>

#include "goodhart/analytics/linking/internal/ascii.h"

namespace goodhart::analytics {
using internal::AsciiLower;

CommitGraph::CommitGraph(std::vector<model::Commit> commits)
    : owned_(std::make_shared<const std::vector<model::Commit>>(std::move(commits))) {
  Index(*owned_);
}

CommitGraph CommitGraph::View(std::span<const model::Commit> commits) {
  CommitGraph graph;
  graph.Index(commits);
  return graph;
}

void CommitGraph::Index(std::span<const model::Commit> commits) {
  commits_.reserve(commits.size());
  for (const auto& commit : commits) {
    std::string key = AsciiLower(commit.sha);
    if (key.empty() || index_.count(key) > 0) {
      continue;
    }
    index_.emplace(key, commits_.size());
    sorted_shas_.push_back(std::move(key));
    commits_.push_back(&commit);
  }
  std::sort(sorted_shas_.begin(), sorted_shas_.end());
  parents_.resize(commits_.size());
  has_missing_parent_.assign(commits_.size(), 0);
  for (size_t i = 0; i < commits_.size(); ++i) {
    for (const auto& parent : commits_[i]->parents) {
      size_t p = FindIndex(parent);
      if (p == kNone) {
        has_missing_parent_[i] = 1;
      } else {
        parents_[i].push_back(p);
      }
    }
  }
  ComputeGenerations();
}

void CommitGraph::ComputeGenerations() {
  // Iterative depth-first search: 0 unseen, 1 on the stack, 2 done.
  generation_.assign(commits_.size(), 0);
  std::vector<char> state(commits_.size(), 0);
  std::vector<std::pair<size_t, size_t>> stack;  // node, next parent to look at
  for (size_t root = 0; root < commits_.size(); ++root) {
    if (state[root] != 0) {
      continue;
    }
    stack.push_back({root, 0});
    state[root] = 1;
    while (!stack.empty()) {
      auto& [i, next] = stack.back();
      if (next < parents_[i].size()) {
        size_t p = parents_[i][next++];
        if (state[p] == 0) {
          state[p] = 1;
          stack.push_back({p, 0});
        }
        continue;
      }
      uint32_t g = 1;
      for (size_t p : parents_[i]) {
        if (state[p] == 2) {  // a parent still on the stack closes a cycle
          g = std::max(g, generation_[p] + 1);
        }
      }
      generation_[i] = g;
      state[i] = 2;
      stack.pop_back();
    }
  }
}

size_t CommitGraph::FindIndex(std::string_view sha) const {
  auto it = index_.find(AsciiLower(sha));
  return it == index_.end() ? kNone : it->second;
}

const model::Commit* CommitGraph::Find(std::string_view sha) const {
  size_t i = FindIndex(sha);
  return i == kNone ? nullptr : commits_[i];
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
  return commits_[index_.at(*it)]->sha;
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
  // Both sides walk at once, highest generation first, so a commit is taken only after every
  // reached descendant: its marks are final then. Excluded marks pass to all ancestors; the walk
  // ends when no queued commit is wanted and not excluded (git's "everybody uninteresting").
  constexpr uint8_t kWanted = 1, kExcluded = 2, kTaken = 4;
  std::unordered_map<size_t, uint8_t> marks;
  auto lower_generation = [this](size_t a, size_t b) { return generation_[a] < generation_[b]; };
  std::priority_queue<size_t, std::vector<size_t>, decltype(lower_generation)> queue(
      lower_generation);
  size_t wanted_queued = 0;  // queued, wanted and not excluded
  auto reach = [&](size_t i, uint8_t mark) {
    auto [it, added] = marks.try_emplace(i, 0);
    uint8_t& m = it->second;
    if (added) {
      queue.push(i);
    }
    bool was = m == kWanted;  // a taken commit (only behind a cycle) has kTaken and counts no more
    m |= mark;
    bool is = m == kWanted;
    if (is && !was) {
      ++wanted_queued;
    } else if (was && !is) {
      --wanted_queued;
    }
  };
  reach(h, kWanted);
  for (const auto& sha : exclude) {
    size_t i = FindIndex(sha);
    if (i == kNone) {
      range.complete = false;
    } else {
      reach(i, kExcluded);
    }
  }
  std::vector<size_t> found;
  while (wanted_queued > 0 && !queue.empty()) {
    size_t i = queue.top();
    queue.pop();
    uint8_t& m = marks[i];
    uint8_t mark = m == kWanted ? kWanted : kExcluded;
    m |= kTaken;
    if (mark == kWanted) {
      --wanted_queued;
      found.push_back(i);
      if (has_missing_parent_[i]) {
        range.complete = false;
      }
    }
    for (size_t p : parents_[i]) {
      reach(p, mark);
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
    return std::tie(commits_[a]->committed_unix_ms, commits_[a]->sha) >
           std::tie(commits_[b]->committed_unix_ms, commits_[b]->sha);
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
    out.push_back(commits_[i]->sha);
    for (size_t c : children[i]) {
      if (--pending[c] == 0) {
        ready.push(c);
      }
    }
  }
  return out;
}

}  // namespace goodhart::analytics
