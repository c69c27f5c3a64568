// goodhart's generic delivery API, for pipelines that are neither GitHub, GitLab nor CDEvents.
// The shapes follow Apache DevLake's webhook plugin (formats.md §8), so a DevLake webhook script
// can point at goodhart unchanged. README.md documents them field by field.
//
// POST /api/v1/deployments, DevLake's shape:
//   {"id": "deploy-42", "result": "SUCCESS", "environment": "PRODUCTION",
//    "startedDate": "...", "finishedDate": "...", "displayTitle": "...", "service": "checkout",
//    "deploymentCommits": [{"repoUrl": "https://github.com/acme/shop", "commitSha": "<40 hex>",
//                           "refName": "main", "startedDate": "...", "finishedDate": "..."}]}
//   -> one model::Deployment per commit, all sharing id "api:<id>";
// or the legacy flat form {"repo_url", "commit_sha", "start_time", "end_time", "environment",
//   "id"?, "result"?} -> one model::Deployment.
// POST /api/v1/incidents:
//   {"id": "INC-7", "title": "...", "status": "TODO|IN_PROGRESS|DONE", "createdDate": "...",
//    "resolutionDate": "...", "service"?, "environment"?, "severity"?, "deployment_id"?}
//   -> one model::Incident "api:<id>".
#pragma once

#include <string_view>

#include "goodhart/base/status.h"
#include "goodhart/receivers/webhook/webhook_result.h"

namespace goodhart::receivers::webhook {

// Errors are kInvalidArgument and name the field:
// "generic_deployment: deploymentCommits[1].commitSha: missing".
Result<WebhookResult> DecodeGenericDeployment(std::string_view body);
Result<WebhookResult> DecodeGenericIncident(std::string_view body);

}  // namespace goodhart::receivers::webhook
