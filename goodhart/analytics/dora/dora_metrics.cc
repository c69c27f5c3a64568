#include "goodhart/analytics/dora/dora_metrics.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "goodhart/analytics/dora/internal/deployments.h"
#include "goodhart/analytics/dora/internal/median.h"
#include "goodhart/analytics/linking/incident_linker.h"

namespace goodhart::analytics::dora {

struct DoraShared {
  std::vector<internal::Deployment> deployments;
  std::vector<FailedDeployment> failed;
  std::unordered_map<std::string, int64_t> authored;  // sha -> authored (or committed) time
  std::unordered_set<std::string> remediation_changes;
  std::unordered_set<std::string> revert_shas;
  // Positions in `deployments`, `failed` and NdResult::changes by service, so that a team's
  // metrics read its own services' records (a report has a scope per team).
  std::unordered_map<std::string, std::vector<size_t>> deployments_of, failed_of, changes_of;
};

namespace {

constexpr double kMsPerHour = 3'600'000.0;

bool InPeriod(int64_t t, const DoraInput& in) { return t >= in.from_unix_ms && t < in.to_unix_ms; }

// Calls `visit(i)` for each position in [0, n) whose record may be in the scope, ascending: every
// one for the organisation, else those `of_service` lists under the scope's services.
template <typename Visit>
void ForEachOfScope(const internal::ScopeFilter& scope, size_t n,
                    const std::unordered_map<std::string, std::vector<size_t>>& of_service,
                    Visit visit) {
  if (scope.all) {
    for (size_t i = 0; i < n; ++i)
      visit(i);
    return;
  }
  std::vector<size_t> positions;
  for (const auto& service : scope.services) {
    auto it = of_service.find(service);
    if (it != of_service.end())
      positions.insert(positions.end(), it->second.begin(), it->second.end());
  }
  std::sort(positions.begin(), positions.end());
  for (size_t i : positions)
    visit(i);
}

void ComputeLeadTime(const nd::NdResult& nd, const DoraInput& in,
                     const internal::ScopeFilter& scope, const DoraShared& shared,
                     DoraMetrics& out) {
  const auto& authored = shared.authored;
  std::vector<double> hours;
  ForEachOfScope(scope, nd.changes.size(), shared.changes_of, [&](size_t i) {
    const nd::LogicalChangeCredit& l = nd.changes[i];
    if (!scope.Contains(l.service) || !InPeriod(l.delivered_unix_ms, in)) {
      return;
    }
    bool human = std::any_of(l.parts.begin(), l.parts.end(),
                             [](const nd::ChangePart& p) { return !p.owner.empty(); });
    if (!human) {
      ++out.bot_only_changes;
      return;
    }
    std::optional<int64_t> first;
    for (const auto& part : l.parts) {
      for (const auto* shas :
           {&part.commit_shas, &part.duplicate_commit_shas, &part.revert_commit_shas}) {
        for (const auto& sha : *shas) {
          auto it = authored.find(sha);
          if (it != authored.end() && it->second != 0 && (!first || it->second < *first)) {
            first = it->second;
          }
        }
      }
    }
    if (!first) {
      ++out.changes_without_commits;
      return;
    }
    LeadTimeSample s{.logical_change_id = l.id,
                     .first_authored_unix_ms = *first,
                     .delivered_unix_ms = l.delivered_unix_ms,
                     .hours = static_cast<double>(l.delivered_unix_ms - *first) / kMsPerHour};
    hours.push_back(s.hours);
    out.lead_times.push_back(std::move(s));
  });
  std::stable_sort(out.lead_times.begin(), out.lead_times.end(),
                   [](const LeadTimeSample& a, const LeadTimeSample& b) {
                     return a.delivered_unix_ms < b.delivered_unix_ms;
                   });
  out.lead_time_hours_median = internal::Median(hours);
}

void ComputeRework(const DoraInput& in, const internal::ScopeFilter& scope,
                   const DoraShared& shared, DoraMetrics& out) {
  const auto& remediation_changes = shared.remediation_changes;
  const auto& revert_shas = shared.revert_shas;
  ForEachOfScope(scope, shared.deployments.size(), shared.deployments_of, [&](size_t position) {
    const internal::Deployment& d = shared.deployments[position];
    if (!scope.Contains(d.service) || !InPeriod(d.finished_unix_ms, in) || !d.landed ||
        d.redeploy_only) {
      return;
    }
    ++out.rework_denominator;
    bool responding = d.rollback;
    for (const auto& id : d.delivered_change_ids) {
      responding = responding || remediation_changes.count(id) > 0;
    }
    for (const auto& sha : d.commit_shas) {
      responding = responding || revert_shas.count(sha) > 0;
    }
    if (in.options.open_window_counts_as_rework) {
      for (const auto& i : in.incidents) {
        int64_t began = IncidentBeganUnixMs(i);
        bool open = began != 0 && d.finished_unix_ms >= began &&
                    (i.resolved_unix_ms == 0 || d.finished_unix_ms < i.resolved_unix_ms);
        responding = responding || (open && i.service == d.service);
      }
    }
    if (responding) {
      ++out.rework_deployment_count;
      out.rework_deployment_ids.push_back(d.id);
    }
  });
  if (out.rework_denominator > 0) {
    out.rework_rate = static_cast<double>(out.rework_deployment_count) /
                      static_cast<double>(out.rework_denominator);
  }
}

}  // namespace

std::string_view ScopeKindName(ScopeKind kind) {
  switch (kind) {
    case ScopeKind::kOrg:
      return "org";
    case ScopeKind::kTeam:
      return "team";
    case ScopeKind::kService:
      return "service";
  }
  return "org";
}

std::shared_ptr<const DoraShared> PrepareDora(const nd::NdResult& nd, const DoraInput& input) {
  auto shared = std::make_shared<DoraShared>();
  shared->deployments = internal::FoldDeployments(nd.deployments);
  shared->failed = FindFailedDeployments(nd, input.incidents, input.remediations);
  for (const auto& c : input.commits) {
    shared->authored[c.sha] = c.authored_unix_ms != 0 ? c.authored_unix_ms : c.committed_unix_ms;
    if (!c.reverts_sha.empty()) {
      shared->revert_shas.insert(c.sha);
    }
  }
  for (const auto& r : input.remediations) {
    shared->remediation_changes.insert(r.change_id);
  }
  for (size_t i = 0; i < shared->deployments.size(); ++i) {
    shared->deployments_of[shared->deployments[i].service].push_back(i);
  }
  for (size_t i = 0; i < shared->failed.size(); ++i) {
    shared->failed_of[shared->failed[i].service].push_back(i);
  }
  for (size_t i = 0; i < nd.changes.size(); ++i) {
    shared->changes_of[nd.changes[i].service].push_back(i);
  }
  return shared;
}

Result<DoraMetrics> ComputeDora(const nd::NdResult& nd, const DoraInput& input) {
  if (input.to_unix_ms <= input.from_unix_ms) {
    return Status::InvalidArgument(fmt::format("dora: period: to ({}) must be after from ({})",
                                               input.to_unix_ms, input.from_unix_ms));
  }
  return ComputeDora(nd, input, *PrepareDora(nd, input));
}

Result<DoraMetrics> ComputeDora(const nd::NdResult& nd, const DoraInput& input,
                                const DoraShared& shared) {
  if (input.to_unix_ms <= input.from_unix_ms) {
    return Status::InvalidArgument(fmt::format("dora: period: to ({}) must be after from ({})",
                                               input.to_unix_ms, input.from_unix_ms));
  }
  DoraMetrics out{
      .scope = input.scope, .from_unix_ms = input.from_unix_ms, .to_unix_ms = input.to_unix_ms};
  internal::ScopeFilter scope = internal::MakeScopeFilter(input.scope, input.services);
  std::vector<int64_t> qpd_times;
  std::set<std::string> cfr_deployments;
  ForEachOfScope(scope, shared.deployments.size(), shared.deployments_of, [&](size_t i) {
    const internal::Deployment& d = shared.deployments[i];
    if (d.qpd && scope.Contains(d.service)) {
      qpd_times.push_back(d.finished_unix_ms);
      if (InPeriod(d.finished_unix_ms, input)) {
        cfr_deployments.insert(d.id);
      }
    }
  });
  out.frequency = ComputeDeploymentFrequency(qpd_times, input.from_unix_ms, input.to_unix_ms);

  ComputeLeadTime(nd, input, scope, shared, out);

  std::vector<double> recovery_hours;
  ForEachOfScope(scope, shared.failed.size(), shared.failed_of, [&](size_t i) {
    const FailedDeployment& f = shared.failed[i];
    if (!scope.Contains(f.service) || !InPeriod(f.finished_unix_ms, input)) {
      return;
    }
    cfr_deployments.insert(f.deployment_id);
    if (f.recovery_ms) {
      recovery_hours.push_back(static_cast<double>(*f.recovery_ms) / kMsPerHour);
    } else {
      ++out.unrecovered_count;
    }
    out.failed_deployments.push_back(f);
  });
  out.failed_deployment_count = static_cast<int64_t>(out.failed_deployments.size());
  out.cfr_deployment_count = static_cast<int64_t>(cfr_deployments.size());
  if (out.cfr_deployment_count > 0) {
    out.change_failure_rate = static_cast<double>(out.failed_deployment_count) /
                              static_cast<double>(out.cfr_deployment_count);
  }
  out.recovery_hours_median = internal::Median(recovery_hours);

  ComputeRework(input, scope, shared, out);
  return out;
}

}  // namespace goodhart::analytics::dora
