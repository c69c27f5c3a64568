// GitHub webhook bodies -> delivery entities (formats.md §6). Pure: no I/O, no clock; the route
// checks the signature first (github_signature.h) and passes the X-GitHub-Event and
// X-GitHub-Delivery headers with the raw body.
//
// What each event becomes (ids are goodhart's, `ref` = {"github", delivery id}):
//   push                 one model::Commit per commits[] entry; a created tag also a Release;
//                        a branch or tag delete (after = 40 zeros) is ignored
//   pull_request         model::Change "github:<owner/repo>#<number>" for opened, edited, closed,
//                        reopened, synchronize, ready_for_review, converted_to_draft, labeled,
//                        unlabeled; merged only when pull_request.merged is true
//   pull_request_review  model::Review (submitted, edited, dismissed)
//   deployment           model::Deployment "github:<owner/repo>/deployments/<id>", status queued
//   deployment_status    the same Deployment with the status's state; finished when terminal
//   workflow_run         model::PipelineRun "github:<owner/repo>/actions/runs/<id>"
//   release              model::Release for published and released; drafts ignored
//   create (tag)         model::Release without sha
//   anything else        accepted and ignored (ping, issues, check_run, delete, ...)
#pragma once

#include <string_view>

#include "goodhart/base/status.h"
#include "goodhart/receivers/webhook/webhook_result.h"

namespace goodhart::receivers::webhook {

// `body` is the JSON body, or a form body "payload=<url-encoded JSON>". An empty `delivery_id`
// is tolerated: the dedupe key then hashes the body. Errors are kInvalidArgument and name the
// field ("github_webhook: pull_request.merged_at: not a timestamp").
Result<WebhookResult> DecodeGithub(std::string_view event_name, std::string_view delivery_id,
                                   std::string_view body);

}  // namespace goodhart::receivers::webhook
