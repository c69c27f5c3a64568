// The service of a deployment that names none. GitHub's deployment and deployment_status webhooks
// carry a repository and an environment but no service (formats.md), and the ND engine counts no
// deployment without one. The directory's services name their repositories, so:
//   - a repository with exactly one service in the directory gives that service;
//   - a repository with several (a monorepo) gives the one whose production_environments list the
//     deployment's environment (in any case, as the ND engine compares it), when exactly one does;
//     when none does, the one service without a list for which the deployment is production by
//     IsProductionDeployment's default test (its source marks it production, or it is named
//     production/prod), when exactly one is;
//   - otherwise the deployment stays without a service (ND then reports "names no service").
// A deployment that names a service keeps it.
#pragma once

#include <cstdint>
#include <vector>

#include "goodhart/model/delivery.h"

namespace goodhart::analytics {

// Fills `service` of the deployments that have none, as above. Returns how many it filled.
int64_t AssignDeploymentServices(std::vector<model::Deployment>& deployments,
                                 const std::vector<model::Service>& services);

}  // namespace goodhart::analytics
