#include "goodhart/analytics/dora/internal/deployments.h"

#include <algorithm>
#include <map>

namespace goodhart::analytics::dora::internal {

std::vector<Deployment> FoldDeployments(const std::vector<nd::DeploymentVerdict>& verdicts) {
  std::vector<Deployment> out;
  std::map<std::string, size_t> index;
  for (const auto& v : verdicts) {
    if (v.status == nd::DeploymentStatus::kPending ||
        v.status == nd::DeploymentStatus::kDuplicate ||
        v.status == nd::DeploymentStatus::kNonProduction) {
      continue;
    }
    int64_t finished = v.finished_unix_ms != 0 ? v.finished_unix_ms : v.started_unix_ms;
    auto [it, inserted] = index.emplace(v.deployment_id, out.size());
    if (inserted) {
      out.push_back({.id = v.deployment_id,
                     .service = v.service,
                     .started_unix_ms = v.started_unix_ms,
                     .finished_unix_ms = finished});
    }
    Deployment& d = out[it->second];
    d.started_unix_ms = std::min(d.started_unix_ms, v.started_unix_ms);
    d.finished_unix_ms = std::max(d.finished_unix_ms, finished);
    d.qpd = d.qpd || v.status == nd::DeploymentStatus::kQpd;
    d.failed = d.failed || v.status == nd::DeploymentStatus::kFailed;
    d.rollback = d.rollback || v.status == nd::DeploymentStatus::kRollback;
    if (v.landed) {
      d.landed = true;
      d.redeploy_only = d.redeploy_only && v.status == nd::DeploymentStatus::kRedeploy;
    }
    if (!v.rolled_back_by.empty() && d.rolled_back_by.empty()) {
      d.rolled_back_by = v.rolled_back_by;
      d.rolled_back_unix_ms = v.rolled_back_unix_ms;
    }
    d.commit_shas.insert(v.commit_shas.begin(), v.commit_shas.end());
    d.delivered_change_ids.insert(v.delivered_change_ids.begin(), v.delivered_change_ids.end());
  }
  return out;
}

ScopeFilter MakeScopeFilter(const DoraScope& scope, const std::vector<model::Service>& services) {
  ScopeFilter filter;
  switch (scope.kind) {
    case ScopeKind::kOrg:
      filter.all = true;
      break;
    case ScopeKind::kTeam:
      for (const auto& s : services) {
        if (s.team == scope.id) {
          filter.services.insert(s.id);
        }
      }
      break;
    case ScopeKind::kService:
      filter.services.insert(scope.id);
      break;
  }
  return filter;
}

}  // namespace goodhart::analytics::dora::internal
