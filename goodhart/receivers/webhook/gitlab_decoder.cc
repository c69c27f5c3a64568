#include "goodhart/receivers/webhook/gitlab_decoder.h"

#include <fmt/format.h>

#include <cstdlib>
#include <string>

#include "goodhart/base/hash.h"
#include "goodhart/processors/ai_markers/ai_markers.h"
#include "goodhart/receivers/webhook/internal/commit_message.h"
#include "goodhart/receivers/webhook/internal/json_fields.h"
#include "goodhart/receivers/webhook/internal/text.h"

namespace goodhart::receivers::webhook {
namespace {

using internal::GetId;
using internal::GetObject;
using internal::GetOptArray;
using internal::GetOptId;
using internal::GetOptObject;
using internal::GetOptString;
using internal::GetOptTimestamp;
using internal::GetString;
using internal::GetTimestamp;
using internal::Json;
using internal::Where;

constexpr std::string_view kComponent = "gitlab_webhook";
constexpr std::string_view kZeroSha = "0000000000000000000000000000000000000000";

struct Delivery {
  const Json& doc;
  model::SourceRef ref;
  Where root{kComponent, ""};
};

Result<std::string> ProjectPath(const Delivery& d) {
  GOODHART_ASSIGN_OR_RETURN(const Json* project, GetObject(d.doc, "project", d.root));
  return GetString(*project, "path_with_namespace", d.root.Child("project"));
}

Result<std::string> Username(const Json& obj, std::string_view key, const Where& where) {
  GOODHART_ASSIGN_OR_RETURN(const Json* user, GetOptObject(obj, key, where));
  if (user == nullptr)
    return std::string();
  return GetOptString(*user, "username", where.Child(key));
}

// Label titles from an array of {title} objects, "" entries skipped.
Status AppendLabels(const Json& obj, const Where& where, std::vector<std::string>* labels) {
  GOODHART_ASSIGN_OR_RETURN(const Json* list, GetOptArray(obj, "labels", where));
  if (list == nullptr)
    return Status::Ok();
  for (size_t i = 0; i < list->size(); ++i) {
    Where at = where.Child("labels").Index(i);
    if (!(*list)[i].is_object())
      return at.Error("", "expected an object");
    GOODHART_ASSIGN_OR_RETURN(std::string title, GetOptString((*list)[i], "title", at));
    if (!title.empty())
      labels->push_back(std::move(title));
  }
  return Status::Ok();
}

// ---- Merge Request Hook ----

Status DecodeMergeRequest(const Delivery& d, WebhookResult* out) {
  GOODHART_ASSIGN_OR_RETURN(std::string project, ProjectPath(d));
  GOODHART_ASSIGN_OR_RETURN(const Json* mr, GetObject(d.doc, "object_attributes", d.root));
  Where where = d.root.Child("object_attributes");
  model::Change c;
  c.ref = d.ref;
  c.repo = project;
  GOODHART_ASSIGN_OR_RETURN(std::string iid, GetId(*mr, "iid", where));
  c.id = fmt::format("gitlab:{}!{}", project, iid);
  c.number = std::strtoll(iid.c_str(), nullptr, 10);
  GOODHART_ASSIGN_OR_RETURN(c.title, GetOptString(*mr, "title", where));
  GOODHART_ASSIGN_OR_RETURN(std::string action, GetOptString(*mr, "action", where));
  GOODHART_ASSIGN_OR_RETURN(std::string state, GetString(*mr, "state", where));
  c.merged = state == "merged";
  c.state = c.merged ? "merged" : state == "closed" ? "closed" : "open";  // opened, locked: open

  // The hook names the acting user, and the author only by id; the actor is the author when the
  // ids agree (always for "open").
  GOODHART_ASSIGN_OR_RETURN(const Json* user, GetOptObject(d.doc, "user", d.root));
  std::string actor, actor_id;
  if (user != nullptr) {
    GOODHART_ASSIGN_OR_RETURN(actor, GetOptString(*user, "username", d.root.Child("user")));
    GOODHART_ASSIGN_OR_RETURN(actor_id, GetOptId(*user, "id", d.root.Child("user")));
  }
  GOODHART_ASSIGN_OR_RETURN(std::string author_id, GetOptId(*mr, "author_id", where));
  if (!author_id.empty())
    c.author = author_id == actor_id ? actor : "gitlab-user:" + author_id;

  GOODHART_ASSIGN_OR_RETURN(c.base_ref, GetOptString(*mr, "target_branch", where));
  GOODHART_ASSIGN_OR_RETURN(c.head_ref, GetOptString(*mr, "source_branch", where));
  GOODHART_ASSIGN_OR_RETURN(const Json* last_commit, GetOptObject(*mr, "last_commit", where));
  if (last_commit != nullptr) {
    GOODHART_ASSIGN_OR_RETURN(c.head_sha,
                              GetOptString(*last_commit, "id", where.Child("last_commit")));
  }
  GOODHART_ASSIGN_OR_RETURN(c.created_unix_ms, GetOptTimestamp(*mr, "created_at", where));
  GOODHART_ASSIGN_OR_RETURN(int64_t updated_ms, GetOptTimestamp(*mr, "updated_at", where));
  if (c.merged) {
    GOODHART_ASSIGN_OR_RETURN(c.merge_sha, GetOptString(*mr, "merge_commit_sha", where));
    GOODHART_ASSIGN_OR_RETURN(c.merged_unix_ms, GetOptTimestamp(*mr, "merged_at", where));
    // Hooks carry no merge time; the "merge" action's updated_at is it. A later update of a merged
    // MR leaves the time unknown (0) rather than moving it.
    if (c.merged_unix_ms == 0 && action == "merge") {
      c.merged_unix_ms = updated_ms;
      c.merged_by = actor;
    }
    c.closed_unix_ms = c.merged_unix_ms;
  } else if (c.state == "closed") {
    GOODHART_ASSIGN_OR_RETURN(c.closed_unix_ms, GetOptTimestamp(*mr, "closed_at", where));
    if (c.closed_unix_ms == 0 && action == "close")
      c.closed_unix_ms = updated_ms;
  }
  GOODHART_RETURN_IF_ERROR(AppendLabels(*mr, where, &c.labels));
  if (c.labels.empty())
    GOODHART_RETURN_IF_ERROR(AppendLabels(d.doc, d.root, &c.labels));
  GOODHART_ASSIGN_OR_RETURN(std::string description, GetOptString(*mr, "description", where));
  c.ai_markers = processors::FindChangeMarkers(c.author, "", c.head_ref, description);

  if (action == "approved" && !actor.empty()) {
    model::Review r;
    r.ref = d.ref;
    r.change_id = c.id;
    r.reviewer = actor;
    r.state = "approved";
    r.commit_sha = c.head_sha;
    r.submitted_unix_ms = updated_ms;
    out->batch.reviews.push_back(std::move(r));
  }
  out->batch.changes.push_back(std::move(c));
  return Status::Ok();
}

// ---- Push Hook ----

Status DecodePush(const Delivery& d, WebhookResult* out) {
  GOODHART_ASSIGN_OR_RETURN(std::string after, GetOptString(d.doc, "after", d.root));
  if (after == kZeroSha) {
    out->ignored = true;  // branch deleted
    return Status::Ok();
  }
  GOODHART_ASSIGN_OR_RETURN(std::string project, ProjectPath(d));
  GOODHART_ASSIGN_OR_RETURN(const Json* commits, GetOptArray(d.doc, "commits", d.root));
  if (commits == nullptr)
    return Status::Ok();
  Where list = d.root.Child("commits");
  for (size_t i = 0; i < commits->size(); ++i) {
    const Json& c = (*commits)[i];
    Where where = list.Index(i);
    if (!c.is_object())
      return where.Error("", "expected an object");
    model::Commit commit;
    commit.ref = d.ref;
    commit.repo = project;
    GOODHART_ASSIGN_OR_RETURN(commit.sha, GetString(c, "id", where));
    GOODHART_ASSIGN_OR_RETURN(std::string message, GetOptString(c, "message", where));
    GOODHART_ASSIGN_OR_RETURN(const Json* author, GetOptObject(c, "author", where));
    if (author != nullptr) {
      GOODHART_ASSIGN_OR_RETURN(commit.author_name,
                                GetOptString(*author, "name", where.Child("author")));
      GOODHART_ASSIGN_OR_RETURN(commit.author_email,
                                GetOptString(*author, "email", where.Child("author")));
    }
    GOODHART_ASSIGN_OR_RETURN(commit.authored_unix_ms, GetTimestamp(c, "timestamp", where));
    commit.committed_unix_ms = commit.authored_unix_ms;
    internal::CommitMessage parsed = internal::ParseCommitMessage(message);
    commit.subject = std::move(parsed.subject);
    commit.trailers = std::move(parsed.trailers);
    commit.co_authors = std::move(parsed.co_authors);
    for (std::string_view key : {"added", "removed", "modified"}) {
      GOODHART_ASSIGN_OR_RETURN(const Json* paths, GetOptArray(c, key, where));
      if (paths == nullptr)
        continue;
      for (size_t j = 0; j < paths->size(); ++j) {
        if (!(*paths)[j].is_string())
          return where.Child(key).Index(j).Error("", "expected a string");
        commit.files.push_back({.path = (*paths)[j].get<std::string>()});
      }
    }
    commit.ai_markers =
        processors::FindCommitMarkers(commit.author_name, commit.author_email, message);
    out->batch.commits.push_back(std::move(commit));
  }
  return Status::Ok();
}

// ---- Release Hook ----

Status DecodeRelease(const Delivery& d, WebhookResult* out) {
  GOODHART_ASSIGN_OR_RETURN(std::string action, GetOptString(d.doc, "action", d.root));
  if (action != "create") {
    out->ignored = true;  // update, delete
    return Status::Ok();
  }
  GOODHART_ASSIGN_OR_RETURN(std::string project, ProjectPath(d));
  model::Release r;
  r.ref = d.ref;
  r.repo = project;
  GOODHART_ASSIGN_OR_RETURN(r.tag, GetString(d.doc, "tag", d.root));
  GOODHART_ASSIGN_OR_RETURN(const Json* commit, GetOptObject(d.doc, "commit", d.root));
  if (commit != nullptr) {
    GOODHART_ASSIGN_OR_RETURN(r.sha, GetOptString(*commit, "id", d.root.Child("commit")));
  }
  GOODHART_ASSIGN_OR_RETURN(r.created_unix_ms, GetOptTimestamp(d.doc, "released_at", d.root));
  if (r.created_unix_ms == 0) {
    GOODHART_ASSIGN_OR_RETURN(r.created_unix_ms, GetTimestamp(d.doc, "created_at", d.root));
  }
  GOODHART_ASSIGN_OR_RETURN(bool upcoming, internal::GetOptBool(d.doc, "upcoming_release", d.root));
  r.prerelease = upcoming;
  out->batch.releases.push_back(std::move(r));
  return Status::Ok();
}

// ---- Deployment Hook ----

std::string DeploymentStatus(std::string_view status) {
  if (status == "running")
    return "in_progress";
  if (status == "failed")
    return "failure";
  if (status == "canceled")
    return "cancelled";
  if (status == "created")
    return "queued";
  return std::string(status);  // success, blocked, ...
}

Status DecodeDeployment(const Delivery& d, WebhookResult* out) {
  GOODHART_ASSIGN_OR_RETURN(std::string project, ProjectPath(d));
  model::Deployment dep;
  dep.ref = d.ref;
  dep.repo = project;
  GOODHART_ASSIGN_OR_RETURN(std::string id, GetId(d.doc, "deployment_id", d.root));
  dep.id = fmt::format("gitlab:{}/deployments/{}", project, id);
  GOODHART_ASSIGN_OR_RETURN(std::string status, GetString(d.doc, "status", d.root));
  dep.status = DeploymentStatus(status);
  GOODHART_ASSIGN_OR_RETURN(int64_t changed_ms, GetTimestamp(d.doc, "status_changed_at", d.root));
  // The hook only dates the status change: the start when running, the finish when terminal.
  if (dep.status == "in_progress")
    dep.started_unix_ms = changed_ms;
  if (dep.status == "success" || dep.status == "failure" || dep.status == "cancelled")
    dep.finished_unix_ms = changed_ms;
  GOODHART_ASSIGN_OR_RETURN(dep.environment, GetOptString(d.doc, "environment", d.root));
  GOODHART_ASSIGN_OR_RETURN(dep.environment_tier, GetOptString(d.doc, "environment_tier", d.root));
  GOODHART_ASSIGN_OR_RETURN(dep.ref_name, GetOptString(d.doc, "ref", d.root));
  // Only the short sha is a field; the full one ends commit_url (".../-/commit/<sha>").
  GOODHART_ASSIGN_OR_RETURN(std::string commit_url, GetOptString(d.doc, "commit_url", d.root));
  std::string_view tail = commit_url;
  if (size_t slash = tail.rfind('/'); slash != std::string_view::npos)
    tail.remove_prefix(slash + 1);
  if (internal::IsFullSha(tail)) {
    dep.commit_sha = std::string(tail);
  } else {
    GOODHART_ASSIGN_OR_RETURN(dep.commit_sha, GetOptString(d.doc, "short_sha", d.root));
  }
  GOODHART_ASSIGN_OR_RETURN(dep.triggered_by, Username(d.doc, "user", d.root));
  out->batch.deployments.push_back(std::move(dep));
  return Status::Ok();
}

// ---- Pipeline Hook ----

Status DecodePipeline(const Delivery& d, WebhookResult* out) {
  GOODHART_ASSIGN_OR_RETURN(std::string project, ProjectPath(d));
  GOODHART_ASSIGN_OR_RETURN(const Json* attrs, GetObject(d.doc, "object_attributes", d.root));
  Where where = d.root.Child("object_attributes");
  model::PipelineRun p;
  p.ref = d.ref;
  p.repo = project;
  GOODHART_ASSIGN_OR_RETURN(std::string id, GetId(*attrs, "id", where));
  p.id = fmt::format("gitlab:{}/pipelines/{}", project, id);
  GOODHART_ASSIGN_OR_RETURN(p.name, GetOptString(*attrs, "name", where));
  GOODHART_ASSIGN_OR_RETURN(p.head_sha, GetOptString(*attrs, "sha", where));
  GOODHART_ASSIGN_OR_RETURN(p.head_branch, GetOptString(*attrs, "ref", where));
  GOODHART_ASSIGN_OR_RETURN(std::string status, GetString(*attrs, "status", where));
  // GitLab's statuses in GitHub's status/conclusion vocabulary, which PipelineRun uses.
  if (status == "success" || status == "failed" || status == "canceled" || status == "skipped") {
    p.status = "completed";
    p.conclusion = status == "failed" ? "failure" : status == "canceled" ? "cancelled" : status;
  } else if (status == "running") {
    p.status = "in_progress";
  } else if (status == "manual") {
    p.status = "waiting";
  } else {
    p.status = "queued";  // created, pending, preparing, scheduled, waiting_for_resource
  }
  GOODHART_ASSIGN_OR_RETURN(p.started_unix_ms, GetOptTimestamp(*attrs, "created_at", where));
  GOODHART_ASSIGN_OR_RETURN(p.finished_unix_ms, GetOptTimestamp(*attrs, "finished_at", where));
  out->batch.pipeline_runs.push_back(std::move(p));
  return Status::Ok();
}

// object_kind is authoritative (System Hooks share one header); the header names the rest.
std::string_view KindFromHeader(std::string_view header) {
  if (header == "Merge Request Hook")
    return "merge_request";
  if (header == "Push Hook")
    return "push";
  if (header == "Deployment Hook")
    return "deployment";
  if (header == "Pipeline Hook")
    return "pipeline";
  if (header == "Release Hook")
    return "release";
  return header;
}

}  // namespace

Result<WebhookResult> DecodeGitlab(std::string_view event_header, std::string_view idempotency_key,
                                   std::string_view body) {
  GOODHART_ASSIGN_OR_RETURN(Json doc, internal::ParseJsonBody(body, kComponent, true));
  Delivery d{.doc = doc};
  GOODHART_ASSIGN_OR_RETURN(std::string kind, GetOptString(doc, "object_kind", d.root));
  if (kind.empty() && event_header.empty())
    return Status::InvalidArgument("gitlab_webhook: X-Gitlab-Event header: missing");
  if (kind.empty())
    kind = KindFromHeader(event_header);
  std::string delivery =
      idempotency_key.empty() ? "body:" + Hash128Hex(body) : std::string(idempotency_key);
  d.ref = {"gitlab", delivery};

  WebhookResult out;
  out.source = "gitlab";
  out.event = event_header.empty() ? kind : std::string(event_header);
  out.dedupe_key = "gitlab:" + delivery;

  Status status;
  if (kind == "merge_request") {
    status = DecodeMergeRequest(d, &out);
  } else if (kind == "push") {
    status = DecodePush(d, &out);
  } else if (kind == "deployment") {
    status = DecodeDeployment(d, &out);
  } else if (kind == "pipeline") {
    status = DecodePipeline(d, &out);
  } else if (kind == "release") {
    status = DecodeRelease(d, &out);
  } else {
    out.ignored = true;  // tag_push (no time: releases come from the Release Hook), issue, note...
  }
  GOODHART_RETURN_IF_ERROR(status);
  return out;
}

}  // namespace goodhart::receivers::webhook
