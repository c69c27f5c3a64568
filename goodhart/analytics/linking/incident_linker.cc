#include "goodhart/analytics/linking/incident_linker.h"

#include <algorithm>
#include <unordered_map>

namespace goodhart::analytics {

int64_t IncidentBeganUnixMs(const model::Incident& incident) {
  int64_t started = incident.started_unix_ms;
  int64_t detected = incident.detected_unix_ms;
  if (started == 0 || detected == 0) {
    return started != 0 ? started : detected;
  }
  return std::min(started, detected);
}

std::vector<IncidentLink> LinkIncidents(const std::vector<model::Incident>& incidents,
                                        const std::vector<model::Deployment>& deployments,
                                        const std::vector<ServiceSpec>& services) {
  std::unordered_map<std::string, const ServiceSpec*> spec_by_id;
  for (const auto& service : services) {
    spec_by_id.emplace(service.id, &service);
  }
  // Candidates for "preceding", latest finish first (ties: input order), and the latest record of
  // every deployment id for "caused_by".
  std::vector<const model::Deployment*> candidates;
  std::unordered_map<std::string, const model::Deployment*> latest_by_id;
  for (const auto& d : deployments) {
    auto [it, inserted] = latest_by_id.try_emplace(d.id, &d);
    if (!inserted && d.finished_unix_ms > it->second->finished_unix_ms) {
      it->second = &d;
    }
    auto spec = spec_by_id.find(d.service);
    if (d.finished_unix_ms != 0 && IsSuccessfulDeployment(d) &&
        IsProductionDeployment(d, spec == spec_by_id.end() ? nullptr : spec->second)) {
      candidates.push_back(&d);
    }
  }
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const model::Deployment* a, const model::Deployment* b) {
                     return a->finished_unix_ms > b->finished_unix_ms;
                   });
  std::unordered_map<std::string, std::vector<const model::Deployment*>> candidates_by_service;
  for (const auto* d : candidates) {
    candidates_by_service[d->service].push_back(d);
  }
  const std::vector<const model::Deployment*> no_candidates;

  std::vector<IncidentLink> links;
  for (const auto& incident : incidents) {
    IncidentLink link{.incident_id = incident.id};
    if (!incident.caused_by_deployment.empty()) {
      link.deployment_id = incident.caused_by_deployment;
      link.evidence = kIncidentCausedBy;
      auto it = latest_by_id.find(incident.caused_by_deployment);
      if (it != latest_by_id.end()) {
        link.service = it->second->service;
        link.deployment_finished_unix_ms = it->second->finished_unix_ms;
      } else {
        link.service = incident.service;
      }
      links.push_back(std::move(link));
      continue;
    }
    int64_t began = IncidentBeganUnixMs(incident);
    if (began == 0) {
      continue;
    }
    const std::vector<const model::Deployment*>* pool = &candidates;
    if (!incident.service.empty()) {
      auto found = candidates_by_service.find(incident.service);
      pool = found == candidates_by_service.end() ? &no_candidates : &found->second;
    }
    // The pool is sorted latest first, so the first one finished before `began` is the answer.
    auto it = std::partition_point(pool->begin(), pool->end(), [&](const model::Deployment* d) {
      return d->finished_unix_ms >= began;
    });
    if (it == pool->end()) {
      continue;
    }
    link.deployment_id = (*it)->id;
    link.service = (*it)->service;
    link.evidence = kIncidentPreceding;
    link.deployment_finished_unix_ms = (*it)->finished_unix_ms;
    links.push_back(std::move(link));
  }
  return links;
}

}  // namespace goodhart::analytics
