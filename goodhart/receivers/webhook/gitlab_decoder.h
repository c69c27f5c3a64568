// GitLab webhook bodies -> delivery entities (formats.md §6). Pure, like the GitHub decoder; the
// route checks X-Gitlab-Token first (VerifyGitlabToken in github_signature.h).
//
//   Merge Request Hook  model::Change "gitlab:<group/project>!<iid>"; merged when state is
//                       "merged"; merged time = updated_at of the "merge" action
//                       (plus a model::Review "approved" for the "approved" action)
//   Push Hook           one model::Commit per commits[] entry (branch deletes ignored)
//   Release Hook        model::Release for action "create" (released_at, commit.id)
//   Deployment Hook     model::Deployment "gitlab:<group/project>/deployments/<deployment_id>";
//                       status running|success|failed|canceled -> in_progress|success|failure|
//                       cancelled; finished = status_changed_at when terminal
//   Pipeline Hook       model::PipelineRun "gitlab:<group/project>/pipelines/<id>"
//   anything else       accepted and ignored (Tag Push Hook: it carries no time, so releases come
//                       from the Release Hook; Issue Hook, Note Hook, Job Hook, ...)
// GitLab mixes timestamp forms ("2022-01-05 04:36:28 -0800", "2022-01-12T09:47:26.948+01:00",
// "2022-01-18 05:35:35 UTC"); all three are read.
#pragma once

#include <string_view>

#include "goodhart/base/status.h"
#include "goodhart/receivers/webhook/webhook_result.h"

namespace goodhart::receivers::webhook {

// `event_header` is X-Gitlab-Event; `idempotency_key` is the Idempotency-Key header (stable
// across retries), or X-Gitlab-Event-UUID when the instance does not send one; when both are
// empty the dedupe key hashes the body.
Result<WebhookResult> DecodeGitlab(std::string_view event_header, std::string_view idempotency_key,
                                   std::string_view body);

}  // namespace goodhart::receivers::webhook
