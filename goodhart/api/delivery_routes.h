// The dashboard's drill-down below the report: the services, deployments and logical changes
// behind a team's or a person's ND, each change with its credit broken down (substance and g,
// the review, failure and durability gates) and the evidence ids behind every factor
// (analytics/nd/nd_json.h).
//
//   GET /api/v1/teams/{team}/delivery?from=&to=&as_of=      admin; analyst where the report
//                                                          publishes the team (k contributors)
//   GET /api/v1/people/{person}/delivery?from=&to=&as_of=   admin; a member for themself only
//
// Both answer {"definition_version", "period", "as_of", "scope": {"kind", "id"}, "services",
// "deployments", "changes", "notes"}. A team the report suppresses for the analyst is
// {"scope", "suppressed": true, "suppressed_reason"} and nothing else. An analyst never sees who
// (owners, authors, shares, reviewers are ""); a member sees only their own identity in their
// changes. Every answer naming a person is audited before it is sent.
#pragma once

#include "goodhart/analytics/nd/nd_params.h"
#include "goodhart/api/access_guard.h"
#include "goodhart/api/http_server.h"
#include "goodhart/api/read_cache.h"
#include "goodhart/store/store.h"

namespace goodhart::api {

// `store`, `access` and `cache` must outlive the server; answers come from `cache` when set
// (api/read_cache.h).
void AddDeliveryRoutes(HttpServer& server, const store::Store& store,
                       const analytics::nd::NdParams& params, const AccessContext& access,
                       ReadCache* cache = nullptr);

}  // namespace goodhart::api
