#include "goodhart/analytics/dora/failed_deployments.h"

#include <algorithm>
#include <map>

#include "goodhart/analytics/dora/internal/deployments.h"
#include "goodhart/analytics/linking/incident_linker.h"
#include "goodhart/analytics/nd/quality_gates.h"

namespace goodhart::analytics::dora {
namespace {

// The earliest landed deployment of `service` finished at or after `after` (and shipping `sha`
// when one is given).
std::optional<int64_t> NextLanded(const std::vector<internal::Deployment>& deployments,
                                  const std::string& service, int64_t after,
                                  const std::string& sha = "") {
  std::optional<int64_t> best;
  for (const auto& d : deployments) {
    if (!d.landed || d.service != service || d.finished_unix_ms < after) {
      continue;
    }
    if (!sha.empty() && d.commit_shas.count(sha) == 0) {
      continue;
    }
    if (!best || d.finished_unix_ms < *best) {
      best = d.finished_unix_ms;
    }
  }
  return best;
}

}  // namespace

std::vector<FailedDeployment> FindFailedDeployments(
    const nd::NdResult& nd, const std::vector<model::Incident>& incidents,
    const std::vector<nd::IncidentRemediation>& remediations) {
  std::vector<internal::Deployment> deployments = internal::FoldDeployments(nd.deployments);
  std::map<std::string, const internal::Deployment*> by_id;
  for (const auto& d : deployments) {
    by_id[d.id] = &d;
  }
  std::map<std::string, const model::Incident*> incident_by_id;
  for (const auto& i : incidents) {
    incident_by_id[i.id] = &i;
  }
  auto resolved = [&](const std::string& incident_id) -> std::optional<int64_t> {
    auto it = incident_by_id.find(incident_id);
    if (it == incident_by_id.end() || it->second->resolved_unix_ms == 0) {
      return std::nullopt;
    }
    return it->second->resolved_unix_ms;
  };

  std::map<std::string, std::vector<FailureSignal>> signals;
  for (const auto& d : deployments) {
    if (!d.failed) {
      continue;
    }
    if (!d.rolled_back_by.empty()) {
      auto rollback = by_id.find(d.rolled_back_by);
      int64_t start =
          rollback != by_id.end() ? rollback->second->started_unix_ms : d.rolled_back_unix_ms;
      signals[d.id].push_back({.kind = kSignalRolledBack,
                               .evidence_id = d.rolled_back_by,
                               .detected_unix_ms = start,
                               .restored_unix_ms = d.rolled_back_unix_ms});
    } else {
      signals[d.id].push_back(
          {.kind = kSignalFailed,
           .evidence_id = d.id,
           .detected_unix_ms = d.finished_unix_ms,
           .restored_unix_ms = NextLanded(deployments, d.service, d.finished_unix_ms + 1)});
    }
  }
  // Shadow signals the F gate found on the changes each deployment delivered.
  for (const auto& l : nd.changes) {
    for (const auto& event : l.failure.events) {
      if (event.kind == nd::kFailRollback) {
        continue;  // the deployment's own verdict already says rolled back
      }
      auto part = std::find_if(l.parts.begin(), l.parts.end(), [&](const nd::ChangePart& p) {
        return p.change_id == event.change_id;
      });
      if (part == l.parts.end() || by_id.count(part->deployment_id) == 0) {
        continue;
      }
      FailureSignal s{
          .kind = event.kind, .evidence_id = event.event_id, .detected_unix_ms = event.at_unix_ms};
      if (event.kind == nd::kFailRevert) {
        s.restored_unix_ms = NextLanded(deployments, l.service, event.at_unix_ms, event.event_id);
      } else if (event.kind == nd::kFailIncident) {
        s.restored_unix_ms = resolved(event.event_id);
      } else if (event.kind == nd::kFailHotfix) {
        s.restored_unix_ms = event.at_unix_ms;
        for (const auto& r : remediations) {
          auto incident = incident_by_id.find(r.incident_id);
          if (r.change_id == event.event_id && incident != incident_by_id.end()) {
            int64_t began = IncidentBeganUnixMs(*incident->second);
            if (began != 0 && began < s.detected_unix_ms) {
              s.detected_unix_ms = began;
            }
          }
        }
      }
      signals[part->deployment_id].push_back(s);
    }
  }
  for (const auto& i : incidents) {
    if (i.caused_by_deployment.empty() || by_id.count(i.caused_by_deployment) == 0) {
      continue;
    }
    auto& list = signals[i.caused_by_deployment];
    bool seen = std::any_of(list.begin(), list.end(), [&](const FailureSignal& s) {
      return s.kind == kSignalIncident && s.evidence_id == i.id;
    });
    if (!seen) {
      list.push_back({.kind = kSignalIncident,
                      .evidence_id = i.id,
                      .detected_unix_ms = IncidentBeganUnixMs(i),
                      .restored_unix_ms = resolved(i.id)});
    }
  }

  std::vector<FailedDeployment> out;
  for (const auto& d : deployments) {
    auto it = signals.find(d.id);
    if (it == signals.end()) {
      continue;
    }
    FailedDeployment f{.deployment_id = d.id,
                       .service = d.service,
                       .finished_unix_ms = d.finished_unix_ms,
                       .qualifying = d.qpd,
                       .signals = it->second};
    f.detected_unix_ms = f.signals.front().detected_unix_ms;
    for (const auto& s : f.signals) {
      f.detected_unix_ms = std::min(f.detected_unix_ms, s.detected_unix_ms);
    }
    for (const auto& s : f.signals) {
      if (s.restored_unix_ms && *s.restored_unix_ms >= f.detected_unix_ms &&
          (!f.restored_unix_ms || *s.restored_unix_ms < *f.restored_unix_ms)) {
        f.restored_unix_ms = s.restored_unix_ms;
      }
    }
    if (f.restored_unix_ms) {
      f.recovery_ms = *f.restored_unix_ms - f.detected_unix_ms;
    }
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace goodhart::analytics::dora
