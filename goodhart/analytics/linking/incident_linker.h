// Incident linking: which deployment caused each incident, for change failure rate and
// failed-deployment recovery time (metrics.md §4).
//
// An incident that names its deployment (`caused_by_deployment`) is linked to it. Otherwise it is
// linked to the most recent successful production deployment that finished strictly before the
// incident began: of the incident's service when it names one, else of any service among the
// deployments given. That is DevLake's ConnectIncidentToDeployment (formats.md §8), whose scope is
// a project: pass the deployments of the incident's project, as its fixture does.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "goodhart/analytics/linking/deployment_linker.h"
#include "goodhart/model/delivery.h"

namespace goodhart::analytics {

inline constexpr char kIncidentCausedBy[] = "caused_by";   // the incident named the deployment
inline constexpr char kIncidentPreceding[] = "preceding";  // most recent deployment before it

struct IncidentLink {
  std::string incident_id;
  std::string deployment_id;
  std::string service;   // the deployment's service; the incident's when the deployment is unknown
  std::string evidence;  // kIncidentCausedBy or kIncidentPreceding
  int64_t deployment_finished_unix_ms = 0;  // 0 when the named deployment is not among those given
  bool operator==(const IncidentLink&) const = default;
};

// When the incident began, as far as goodhart knows: the earlier of its start and detection times
// that is set (DevLake's incident created_date is a detection time), or 0 when neither is.
int64_t IncidentBeganUnixMs(const model::Incident& incident);

// At most one link per incident, in input order; an incident with no named deployment and no
// earlier successful production deployment (or no time) gets none. Deployment records sharing an
// id are one deployment; the latest-finishing record wins (ties: the first given). `services`
// supplies production environments (IsProductionDeployment).
std::vector<IncidentLink> LinkIncidents(const std::vector<model::Incident>& incidents,
                                        const std::vector<model::Deployment>& deployments,
                                        const std::vector<ServiceSpec>& services);

}  // namespace goodhart::analytics
