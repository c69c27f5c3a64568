// Change membership and delivery: which commits make up each change, and which production
// deployment delivered each change to each service (metrics.md §3.2 item 5, §3.3, §3.8 F(b)).
//
// Membership. A change's tip is its merge_sha (its head_sha for a direct push). A merge commit tip
// with two parents owns `git rev-list tip ^first-parent` (the pull request's commits and the merge
// itself). A single-parent tip (squash merge, rebase merge, direct push) owns itself and walks back
// its first parents while it has fewer than `commit_count` commits, the parent is not another
// change's tip nor already owned, has one parent, and was committed within 2 minutes of the tip
// (a rebase merge commits every commit at merge time; a squash merge's parent belongs to older
// work). Changes claim in merge order, so a stacked pull request merged into its parent branch
// keeps its own commits. A non-merge commit no change owns becomes a synthetic direct-push change
// "push:<repo>@<sha>" of its own, authored by the commit's author, so nothing delivered is
// invisible (it never has an approval, so it earns nothing: R = 0).
//
// Delivery. A change is delivered to service S by the first landed deployment of S (qualifying_
// deployments.h) whose reachable range `git rev-list sha ^prev` holds the change's tip, provided
// one of the change's commits touches S; deploy-splitting therefore delivers a change once, when
// its last commit arrives. When that deployment was later rolled back, the change is delivered by
// the next QPD of S that ships the tip again, if it finished within W_fail of the first; otherwise
// it stays delivered by the rolled-back deployment and F(b) fails it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "goodhart/analytics/linking/commit_graph.h"
#include "goodhart/analytics/nd/nd_params.h"
#include "goodhart/analytics/nd/qualifying_deployments.h"
#include "goodhart/model/delivery.h"

namespace goodhart::analytics::nd {

struct ChangeCommits {
  // The merged changes given (merged at or before as_of), in merge order, then the synthetic
  // direct-push changes in commit order.
  std::vector<model::Change> changes;
  std::vector<bool> synthetic;                               // parallel to `changes`
  std::vector<std::vector<std::string>> commits;             // parallel: member shas, parents first
  std::unordered_map<std::string, size_t> change_of_commit;  // lowercased sha -> change index
  std::unordered_map<std::string, size_t> change_of_tip;     // lowercased tip sha -> change index

  // nullptr when no change owns `sha`.
  const model::Change* ChangeOf(std::string_view sha) const;
};

// The tip sha of a change: merge_sha, or head_sha for a change without one.
const std::string& TipSha(const model::Change& change);

// Assigns every commit of `graph` to at most one change, per the rules above. `changes` are the
// merged changes to consider (others are skipped); `commits` lists the commits of the graph, for
// the synthetic direct pushes.
ChangeCommits AssignCommitsToChanges(std::span<const model::Change> changes,
                                     std::span<const model::Commit> commits,
                                     const CommitGraph& graph);

struct Delivery {
  size_t change = 0;  // index into ChangeCommits::changes
  std::string service;
  std::string deployment_id;  // the delivering QPD (or no-op), or the rolled-back deployment
  int64_t delivered_unix_ms = 0;
  // Set when the first deployment shipping the change was rolled back.
  std::string rolled_back_deployment_id, rolled_back_by;
  int64_t rolled_back_unix_ms = 0;
  // True when it was rolled back and not re-delivered within W_fail (F(b) fails the change).
  // `redelivered_by` names a re-delivery that came too late, if any.
  bool rollback_failure = false;
  std::string redelivered_by;
  bool operator==(const Delivery&) const = default;
};

// One delivery per (service, change), by service then delivery time. `touches(service, commit)`
// says whether a commit belongs to a service. Appends each delivered change id to the verdict of
// the deployment that delivered it (`delivered_change_ids`).
std::vector<Delivery> ResolveDeliveries(
    std::vector<DeploymentVerdict>& verdicts, const ChangeCommits& change_commits,
    const CommitGraph& graph,
    const std::function<bool(const std::string& service, const model::Commit& commit)>& touches,
    const NdParams& params);

}  // namespace goodhart::analytics::nd
