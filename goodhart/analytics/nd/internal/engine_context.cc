#include "goodhart/analytics/nd/internal/engine_context.h"

#include <algorithm>

#include "goodhart/analytics/linking/incident_linker.h"
#include "goodhart/analytics/nd/attribution.h"
#include "goodhart/analytics/nd/internal/severity.h"
#include "goodhart/analytics/nd/internal/strings.h"

namespace goodhart::analytics::nd::internal {

namespace {

// `all` when every record is known at as_of (`time` at or before it), else the copies of those
// that are, kept in `kept`.
template <typename T, typename Time>
std::span<const T> KnownAsOf(std::span<const T> all, int64_t as_of, Time time,
                             std::vector<T>& kept) {
  if (std::all_of(all.begin(), all.end(), [&](const T& x) { return time(x) <= as_of; }))
    return all;
  for (const T& x : all) {
    if (time(x) <= as_of)
      kept.push_back(x);
  }
  return kept;
}

}  // namespace

Context::Context(const NdInput& in) : in_(in), actors_(in.directory) {
  const int64_t as_of = in.as_of_unix_ms;
  commits_ = KnownAsOf(
      in.commits, as_of, [](const model::Commit& c) { return c.committed_unix_ms; }, kept_commits_);
  changes_ = KnownAsOf(
      in.changes, as_of, [](const model::Change& c) { return c.merged_unix_ms; }, kept_changes_);
  reviews_ = KnownAsOf(
      in.reviews, as_of, [](const model::Review& r) { return r.submitted_unix_ms; }, kept_reviews_);
  incidents_ = KnownAsOf(
      in.incidents, as_of, [](const model::Incident& i) { return IncidentBeganUnixMs(i); },
      kept_incidents_);
  graph_ = CommitGraph::View(commits_);
  if (in.directory != nullptr)
    services_ = in.directory->services();
}

const model::Service* Context::FindService(const std::string& id) const {
  return in_.directory == nullptr ? nullptr : in_.directory->FindService(id);
}

const ServiceScope& Context::Scope(const std::string& service) {
  auto it = scopes_.find(service);
  if (it == scopes_.end())
    it = scopes_.emplace(service, ServiceScope(FindService(service))).first;
  return it->second;
}

PartWork BuildPart(const Delivery& delivery, const ChangeCommits& cc, Context& ctx) {
  PartWork w;
  w.delivery = &delivery;
  w.change = &cc.changes[delivery.change];
  w.owner = ChangeOwner(*w.change, ctx.actors());
  const ServiceScope& scope = ctx.Scope(delivery.service);
  for (const auto& sha : cc.commits[delivery.change]) {
    const model::Commit* c = ctx.graph().Find(sha);
    if (c != nullptr && scope.Touches(*c))
      w.commits.push_back(c);
  }
  for (const model::Commit* c : w.commits) {
    if (c->reverts_sha.empty())
      continue;
    w.excluded.insert(c->sha);
    for (const model::Commit* target : w.commits) {
      if (SameSha(target->sha, c->reverts_sha))
        w.excluded.insert(target->sha);
    }
  }
  ChangePart& p = w.part;
  p.change_id = w.change->id;
  p.repo = w.change->repo;
  p.number = w.change->number;
  p.title = w.change->title;
  p.direct_push = cc.synthetic[delivery.change];
  p.author = w.change->author;
  p.owner = w.owner.id;
  p.merged_unix_ms = w.change->merged_unix_ms;
  p.deployment_id = delivery.deployment_id;
  p.delivered_unix_ms = delivery.delivered_unix_ms;
  p.rolled_back_deployment_id = delivery.rolled_back_deployment_id;
  for (const model::Commit* c : w.commits) {
    p.commit_shas.push_back(c->sha);
    if (w.excluded.count(c->sha) > 0)
      p.revert_commit_shas.push_back(c->sha);
    for (const auto& f : c->files) {
      if (scope.Contains(*c, f))
        w.files.insert(f.path);
    }
  }
  return w;
}

GroupingCandidate CandidateOf(const PartWork& part, Context& ctx) {
  GroupingCandidate g{.change_id = part.change->id,
                      .repo = part.change->repo,
                      .owner = part.owner.id,
                      .merged_unix_ms = part.change->merged_unix_ms,
                      .files = part.files,
                      .work_items = WorkItemsOf(*part.change),
                      .base_ref = part.change->base_ref,
                      .head_ref = part.change->head_ref};
  bool any_substance = false, all_reverts = true;
  const ServiceScope& scope = ctx.Scope(part.delivery->service);
  for (const model::Commit* c : part.commits) {
    if (c->reverts_sha.empty() && !c->patch_id.empty())
      g.patch_ids.insert(c->patch_id);
    if (scope.Meaningful(*c) > 0) {
      any_substance = true;
      all_reverts = all_reverts && !c->reverts_sha.empty();
    }
  }
  g.revert_only = any_substance && all_reverts;
  return g;
}

std::string RemediatedIncident(const std::string& change_id, const Context& ctx) {
  for (const auto& r : ctx.in().remediations) {
    if (r.change_id != change_id)
      continue;
    for (const auto& incident : ctx.incidents()) {
      int level = SeverityLevel(incident.severity);
      if (incident.id == r.incident_id && level >= 1 &&
          level <= ctx.params().remediation_max_severity) {
        return incident.id;
      }
    }
  }
  return "";
}

}  // namespace goodhart::analytics::nd::internal
