// The ND engine's deployment verdicts folded to one entry per deployment id (a multi-repo
// deployment is one record per repo) and filtered to a scope: what every DORA metric counts.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "goodhart/analytics/dora/dora_scope.h"
#include "goodhart/analytics/nd/nd_result.h"
#include "goodhart/model/delivery.h"

namespace goodhart::analytics::dora::internal {

struct Deployment {
  std::string id, service;
  int64_t started_unix_ms = 0;
  int64_t finished_unix_ms = 0;  // the latest record's finish (started when unfinished)
  bool qpd = false;              // some record is a QPD
  bool failed = false;           // some record failed (aborted, short rollout, rolled back)
  bool rollback = false;         // some record restored an older digest
  bool redeploy_only = true;     // every landed record is a redeploy
  bool landed = false;
  std::string rolled_back_by;
  int64_t rolled_back_unix_ms = 0;
  std::set<std::string> commit_shas, delivered_change_ids;
};

// In order of first appearance; pending, duplicate and non-production records are left out.
std::vector<Deployment> FoldDeployments(const std::vector<nd::DeploymentVerdict>& verdicts);

// The services a scope covers: every service for the organisation (`all`), the team's services
// from `services`, or the one service.
struct ScopeFilter {
  bool all = false;
  std::set<std::string> services;
  bool Contains(const std::string& service) const { return all || services.count(service) > 0; }
};
ScopeFilter MakeScopeFilter(const DoraScope& scope, const std::vector<model::Service>& services);

}  // namespace goodhart::analytics::dora::internal
