#include "goodhart/analytics/nd/change_delivery.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <span>
#include <tuple>

#include "goodhart/analytics/nd/internal/strings.h"

namespace goodhart::analytics::nd {
namespace {

using internal::Lower;

// A rebase merge commits every rebased commit at merge time; older parents belong to other work.
constexpr int64_t kRebaseSlackMs = 2 * 60'000;

// GitHub fills merge_commit_sha of open pull requests with a test merge, so a merge sha alone
// means merged only when the source says nothing else.
bool IsMerged(const model::Change& change) {
  std::string state = Lower(change.state);
  return change.merged || state == "merged" || (state.empty() && !change.merge_sha.empty());
}

int64_t VerdictTime(const DeploymentVerdict& v) {
  return v.finished_unix_ms != 0 ? v.finished_unix_ms : v.started_unix_ms;
}

model::Change SyntheticPush(const model::Commit& commit) {
  model::Change change;
  change.ref = commit.ref;
  change.id = "push:" + commit.repo + "@" + commit.sha.substr(0, 12);
  change.repo = commit.repo;
  change.author = commit.author_email.empty() ? commit.author_name : commit.author_email;
  change.co_authors = commit.co_authors;
  change.title = commit.subject;
  change.state = "merged";
  change.merged = true;
  change.head_sha = commit.sha;
  change.created_unix_ms = commit.authored_unix_ms;
  change.first_commit_unix_ms = commit.authored_unix_ms;
  change.merged_unix_ms = commit.committed_unix_ms;
  change.commit_count = 1;
  for (const auto& file : commit.files) {
    change.files.push_back(file.path);
    change.additions += file.added;
    change.deletions += file.deleted;
  }
  change.ai_markers = commit.ai_markers;
  return change;
}

}  // namespace

const std::string& TipSha(const model::Change& change) {
  return change.merge_sha.empty() ? change.head_sha : change.merge_sha;
}

const model::Change* ChangeCommits::ChangeOf(std::string_view sha) const {
  auto it = change_of_commit.find(Lower(sha));
  return it == change_of_commit.end() ? nullptr : &changes[it->second];
}

ChangeCommits AssignCommitsToChanges(std::span<const model::Change> changes,
                                     std::span<const model::Commit> commits,
                                     const CommitGraph& graph) {
  ChangeCommits out;
  std::vector<const model::Change*> merged;  // sorted by pointer, copied once
  for (const auto& change : changes) {
    if (IsMerged(change) && !TipSha(change).empty())
      merged.push_back(&change);
  }
  std::stable_sort(merged.begin(), merged.end(),
                   [](const model::Change* a, const model::Change* b) {
                     return a->merged_unix_ms < b->merged_unix_ms;
                   });
  out.changes.reserve(merged.size());
  for (const model::Change* change : merged)
    out.changes.push_back(*change);
  out.synthetic.assign(out.changes.size(), false);
  out.commits.resize(out.changes.size());
  for (size_t i = 0; i < out.changes.size(); ++i) {
    const model::Commit* tip = graph.Find(TipSha(out.changes[i]));
    if (tip != nullptr)
      out.change_of_tip.try_emplace(Lower(tip->sha), i);
  }

  auto claim = [&](size_t change, const std::string& sha) {
    if (out.change_of_commit.try_emplace(Lower(sha), change).second)
      out.commits[change].push_back(sha);
  };
  for (size_t i = 0; i < out.changes.size(); ++i) {
    const model::Commit* tip = graph.Find(TipSha(out.changes[i]));
    if (tip == nullptr)
      continue;
    if (auto owner = out.change_of_tip.find(Lower(tip->sha)); owner->second != i)
      continue;  // a second record of the same merge
    if (tip->parents.size() >= 2) {
      std::vector<std::string> exclude = {tip->parents[0]};
      for (const auto& sha : graph.Range(tip->sha, exclude).shas)
        claim(i, sha);
      continue;
    }
    std::vector<std::string> walked = {tip->sha};
    int64_t limit = std::max<int64_t>(1, out.changes[i].commit_count);
    const model::Commit* current = tip;
    while (static_cast<int64_t>(walked.size()) < limit && !current->parents.empty()) {
      const model::Commit* parent = graph.Find(current->parents[0]);
      if (parent == nullptr || parent->parents.size() > 1 ||
          out.change_of_commit.count(Lower(parent->sha)) > 0 ||
          out.change_of_tip.count(Lower(parent->sha)) > 0 ||
          std::llabs(parent->committed_unix_ms - tip->committed_unix_ms) > kRebaseSlackMs) {
        break;
      }
      walked.push_back(parent->sha);
      current = parent;
    }
    for (auto it = walked.rbegin(); it != walked.rend(); ++it)
      claim(i, *it);
  }

  std::vector<const model::Commit*> orphans;
  for (const auto& commit : commits) {
    if (commit.parents.size() <= 1 && graph.Contains(commit.sha) &&
        out.change_of_commit.count(Lower(commit.sha)) == 0) {
      orphans.push_back(graph.Find(commit.sha));
    }
  }
  std::stable_sort(orphans.begin(), orphans.end(), [](const auto* a, const auto* b) {
    return a->committed_unix_ms < b->committed_unix_ms;
  });
  for (const model::Commit* commit : orphans) {
    if (out.change_of_commit.count(Lower(commit->sha)) > 0)
      continue;  // listed twice
    size_t index = out.changes.size();
    out.changes.push_back(SyntheticPush(*commit));
    out.synthetic.push_back(true);
    out.commits.emplace_back();
    out.change_of_tip.try_emplace(Lower(commit->sha), index);
    claim(index, commit->sha);
  }
  return out;
}

std::vector<Delivery> ResolveDeliveries(
    std::vector<DeploymentVerdict>& verdicts, const ChangeCommits& change_commits,
    const CommitGraph& graph,
    const std::function<bool(const std::string& service, const model::Commit& commit)>& touches,
    const NdParams& params) {
  std::map<std::string, std::vector<size_t>> by_service;
  for (size_t i = 0; i < verdicts.size(); ++i) {
    if (verdicts[i].landed)
      by_service[verdicts[i].service].push_back(i);
  }

  struct Delivered {
    Delivery delivery;
    size_t verdict;
    int64_t merged;
  };
  std::vector<Delivered> found;
  for (auto& entry : by_service) {
    // Named, not a structured binding: the lambdas below capture it (clang 14 cannot).
    const auto& service = entry.first;
    auto& order = entry.second;
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      return VerdictTime(verdicts[a]) < VerdictTime(verdicts[b]);
    });
    std::map<size_t, size_t> attempt;  // change -> rolled-back verdict that first shipped it
    std::map<size_t, bool> done;
    auto touches_service = [&](size_t change) {
      for (const auto& sha : change_commits.commits[change]) {
        const model::Commit* commit = graph.Find(sha);
        if (commit != nullptr && touches(service, *commit))
          return true;
      }
      return false;
    };
    auto deliver = [&](size_t change, size_t verdict, Delivery delivery) {
      delivery.change = change;
      delivery.service = service;
      delivery.deployment_id = verdicts[verdict].deployment_id;
      delivery.delivered_unix_ms = VerdictTime(verdicts[verdict]);
      int64_t merged = change_commits.changes[change].merged_unix_ms;
      found.push_back({std::move(delivery), verdict, merged});
      done[change] = true;
    };
    auto rolled_back = [&](size_t verdict) {
      const auto& v = verdicts[verdict];
      return Delivery{.rolled_back_deployment_id = v.deployment_id,
                      .rolled_back_by = v.rolled_back_by,
                      .rolled_back_unix_ms = v.rolled_back_unix_ms};
    };
    for (size_t vi : order) {
      const DeploymentVerdict& v = verdicts[vi];
      bool delivers = v.status == DeploymentStatus::kQpd || v.status == DeploymentStatus::kNoop;
      bool rolled = v.status == DeploymentStatus::kFailed && !v.rolled_back_by.empty();
      if ((!delivers && !rolled) || v.commit_sha.empty())
        continue;
      std::vector<std::string> exclude;
      if (!v.prev_commit_sha.empty())
        exclude.push_back(v.prev_commit_sha);
      for (const auto& sha : graph.Range(v.commit_sha, exclude).shas) {
        auto tip = change_commits.change_of_tip.find(Lower(sha));
        if (tip == change_commits.change_of_tip.end())
          continue;
        size_t change = tip->second;
        if (done[change] || !touches_service(change))
          continue;
        auto first = attempt.find(change);
        if (rolled) {
          attempt.try_emplace(change, vi);
          continue;
        }
        if (first == attempt.end()) {
          deliver(change, vi, {});
        } else if (VerdictTime(v) <= VerdictTime(verdicts[first->second]) + params.w_fail_ms()) {
          deliver(change, vi, rolled_back(first->second));
        } else {
          Delivery late = rolled_back(first->second);
          late.rollback_failure = true;
          late.redelivered_by = v.deployment_id;
          deliver(change, first->second, std::move(late));
        }
        attempt.erase(change);
      }
    }
    for (const auto& [change, vi] : attempt) {
      Delivery failed = rolled_back(vi);
      failed.rollback_failure = true;
      deliver(change, vi, std::move(failed));
    }
  }

  std::stable_sort(found.begin(), found.end(), [](const Delivered& a, const Delivered& b) {
    return std::tie(a.delivery.service, a.delivery.delivered_unix_ms, a.merged, a.delivery.change) <
           std::tie(b.delivery.service, b.delivery.delivered_unix_ms, b.merged, b.delivery.change);
  });
  std::vector<Delivery> out;
  out.reserve(found.size());
  for (auto& d : found) {
    verdicts[d.verdict].delivered_change_ids.push_back(
        change_commits.changes[d.delivery.change].id);
    out.push_back(std::move(d.delivery));
  }
  return out;
}

}  // namespace goodhart::analytics::nd
