#include "goodhart/receivers/webhook/github_decoder.h"

#include <fmt/format.h>

#include <array>
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
using internal::GetOptBool;
using internal::GetOptId;
using internal::GetOptInt;
using internal::GetOptObject;
using internal::GetOptString;
using internal::GetOptTimestamp;
using internal::GetString;
using internal::GetTimestamp;
using internal::Json;
using internal::Where;

constexpr std::string_view kComponent = "github_webhook";
constexpr std::string_view kZeroSha = "0000000000000000000000000000000000000000";

// What every record of one delivery shares.
struct Delivery {
  const Json& doc;
  model::SourceRef ref;
  std::string action;
  Where root{kComponent, ""};
};

Result<std::string> RepoName(const Delivery& d) {
  GOODHART_ASSIGN_OR_RETURN(const Json* repo, GetObject(d.doc, "repository", d.root));
  return GetString(*repo, "full_name", d.root.Child("repository"));
}

// The login of a user object at `key`, "" when absent.
Result<std::string> Login(const Json& obj, std::string_view key, const Where& where) {
  GOODHART_ASSIGN_OR_RETURN(const Json* user, GetOptObject(obj, key, where));
  if (user == nullptr)
    return std::string();
  return GetOptString(*user, "login", where.Child(key));
}

// ---- push ----

Result<model::Commit> CommitFromPush(const Json& c, const std::string& repo, const Delivery& d,
                                     const Where& where) {
  model::Commit commit;
  commit.ref = d.ref;
  commit.repo = repo;
  GOODHART_ASSIGN_OR_RETURN(commit.sha, GetString(c, "id", where));
  GOODHART_ASSIGN_OR_RETURN(std::string message, GetOptString(c, "message", where));
  GOODHART_ASSIGN_OR_RETURN(const Json* author, GetOptObject(c, "author", where));
  if (author != nullptr) {
    GOODHART_ASSIGN_OR_RETURN(commit.author_name,
                              GetOptString(*author, "name", where.Child("author")));
    GOODHART_ASSIGN_OR_RETURN(commit.author_email,
                              GetOptString(*author, "email", where.Child("author")));
  }
  GOODHART_ASSIGN_OR_RETURN(const Json* committer, GetOptObject(c, "committer", where));
  if (committer != nullptr) {
    GOODHART_ASSIGN_OR_RETURN(commit.committer_name,
                              GetOptString(*committer, "name", where.Child("committer")));
    GOODHART_ASSIGN_OR_RETURN(commit.committer_email,
                              GetOptString(*committer, "email", where.Child("committer")));
  }
  // A push carries one timestamp per commit, with the author's UTC offset; it stands for both.
  GOODHART_ASSIGN_OR_RETURN(commit.authored_unix_ms, GetTimestamp(c, "timestamp", where));
  commit.committed_unix_ms = commit.authored_unix_ms;

  internal::CommitMessage parsed = internal::ParseCommitMessage(message);
  commit.subject = std::move(parsed.subject);
  commit.trailers = std::move(parsed.trailers);
  commit.co_authors = std::move(parsed.co_authors);

  // Paths only: a push does not say how many lines changed, so added/deleted stay 0.
  for (std::string_view list : {"added", "removed", "modified"}) {
    GOODHART_ASSIGN_OR_RETURN(const Json* paths, GetOptArray(c, list, where));
    if (paths == nullptr)
      continue;
    for (size_t i = 0; i < paths->size(); ++i) {
      const Json& path = (*paths)[i];
      if (!path.is_string())
        return where.Child(list).Index(i).Error("", "expected a string");
      commit.files.push_back({.path = path.get<std::string>()});
    }
  }
  commit.ai_markers =
      processors::FindCommitMarkers(commit.author_name, commit.author_email, message);
  return commit;
}

Status DecodePush(const Delivery& d, WebhookResult* out) {
  GOODHART_ASSIGN_OR_RETURN(std::string ref, GetString(d.doc, "ref", d.root));
  GOODHART_ASSIGN_OR_RETURN(std::string after, GetOptString(d.doc, "after", d.root));
  GOODHART_ASSIGN_OR_RETURN(bool deleted, GetOptBool(d.doc, "deleted", d.root));
  if (deleted || after == kZeroSha) {
    out->ignored = true;  // a branch or tag delete: nothing was delivered
    return Status::Ok();
  }
  GOODHART_ASSIGN_OR_RETURN(std::string repo, RepoName(d));
  GOODHART_ASSIGN_OR_RETURN(const Json* commits, GetOptArray(d.doc, "commits", d.root));
  if (commits != nullptr) {
    Where list = d.root.Child("commits");
    for (size_t i = 0; i < commits->size(); ++i) {
      const Json& c = (*commits)[i];
      if (!c.is_object())
        return list.Index(i).Error("", "expected an object");
      GOODHART_ASSIGN_OR_RETURN(model::Commit commit, CommitFromPush(c, repo, d, list.Index(i)));
      out->batch.commits.push_back(std::move(commit));
    }
  }
  GOODHART_ASSIGN_OR_RETURN(bool created, GetOptBool(d.doc, "created", d.root));
  constexpr std::string_view kTagPrefix = "refs/tags/";
  if (created && ref.starts_with(kTagPrefix) && ref.size() > kTagPrefix.size()) {
    model::Release release;
    release.ref = d.ref;
    release.repo = repo;
    release.tag = ref.substr(kTagPrefix.size());
    release.sha = after;
    // The push time (repository.pushed_at, Unix seconds here); the tagged commit's time else.
    GOODHART_ASSIGN_OR_RETURN(const Json* repository, GetObject(d.doc, "repository", d.root));
    GOODHART_ASSIGN_OR_RETURN(release.created_unix_ms, GetOptTimestamp(*repository, "pushed_at",
                                                                       d.root.Child("repository")));
    GOODHART_ASSIGN_OR_RETURN(const Json* head, GetOptObject(d.doc, "head_commit", d.root));
    if (release.created_unix_ms == 0 && head != nullptr) {
      GOODHART_ASSIGN_OR_RETURN(release.created_unix_ms,
                                GetOptTimestamp(*head, "timestamp", d.root.Child("head_commit")));
    }
    out->batch.releases.push_back(std::move(release));
  }
  return Status::Ok();
}

// ---- pull_request, pull_request_review ----

bool IsChangeAction(std::string_view action) {
  static constexpr std::array<std::string_view, 9> kActions = {
      "opened",  "edited",    "closed",           "reopened",          "synchronize",
      "labeled", "unlabeled", "ready_for_review", "converted_to_draft"};
  for (std::string_view a : kActions) {
    if (a == action)
      return true;
  }
  return false;
}

Result<model::Change> ChangeFromPullRequest(const Json& pr, const std::string& repo,
                                            const Delivery& d) {
  Where where = d.root.Child("pull_request");
  model::Change change;
  change.ref = d.ref;
  change.repo = repo;
  GOODHART_ASSIGN_OR_RETURN(change.number, GetOptInt(pr, "number", where));
  if (change.number <= 0)
    return where.Error("number", "missing or not positive");
  change.id = fmt::format("github:{}#{}", repo, change.number);
  GOODHART_ASSIGN_OR_RETURN(change.title, GetOptString(pr, "title", where));
  GOODHART_ASSIGN_OR_RETURN(const Json* user, GetOptObject(pr, "user", where));
  if (user != nullptr) {
    GOODHART_ASSIGN_OR_RETURN(change.author, GetOptString(*user, "login", where.Child("user")));
    GOODHART_ASSIGN_OR_RETURN(change.author_type, GetOptString(*user, "type", where.Child("user")));
  }
  // closed != merged: a closed, unmerged PR still has a merge_commit_sha (the test merge).
  GOODHART_ASSIGN_OR_RETURN(change.merged, GetOptBool(pr, "merged", where));
  GOODHART_ASSIGN_OR_RETURN(std::string state, GetOptString(pr, "state", where));
  change.state = change.merged ? "merged" : state;
  for (std::string_view side : {"base", "head"}) {
    GOODHART_ASSIGN_OR_RETURN(const Json* branch, GetOptObject(pr, side, where));
    if (branch == nullptr)
      continue;
    GOODHART_ASSIGN_OR_RETURN(std::string branch_ref,
                              GetOptString(*branch, "ref", where.Child(side)));
    if (side == "base") {
      change.base_ref = std::move(branch_ref);
    } else {
      change.head_ref = std::move(branch_ref);
      GOODHART_ASSIGN_OR_RETURN(change.head_sha, GetOptString(*branch, "sha", where.Child(side)));
    }
  }
  GOODHART_ASSIGN_OR_RETURN(change.created_unix_ms, GetOptTimestamp(pr, "created_at", where));
  GOODHART_ASSIGN_OR_RETURN(change.closed_unix_ms, GetOptTimestamp(pr, "closed_at", where));
  if (change.merged) {
    GOODHART_ASSIGN_OR_RETURN(change.merge_sha, GetOptString(pr, "merge_commit_sha", where));
    GOODHART_ASSIGN_OR_RETURN(change.merged_unix_ms, GetOptTimestamp(pr, "merged_at", where));
    if (change.merged_unix_ms == 0)
      change.merged_unix_ms = change.closed_unix_ms;
    GOODHART_ASSIGN_OR_RETURN(change.merged_by, Login(pr, "merged_by", where));
  }
  GOODHART_ASSIGN_OR_RETURN(const Json* labels, GetOptArray(pr, "labels", where));
  if (labels != nullptr) {
    for (size_t i = 0; i < labels->size(); ++i) {
      const Json& label = (*labels)[i];
      Where at = where.Child("labels").Index(i);
      if (!label.is_object())
        return at.Error("", "expected an object");
      GOODHART_ASSIGN_OR_RETURN(std::string name, GetOptString(label, "name", at));
      if (!name.empty())
        change.labels.push_back(std::move(name));
    }
  }
  GOODHART_ASSIGN_OR_RETURN(change.additions, GetOptInt(pr, "additions", where));
  GOODHART_ASSIGN_OR_RETURN(change.deletions, GetOptInt(pr, "deletions", where));
  GOODHART_ASSIGN_OR_RETURN(change.commit_count, GetOptInt(pr, "commits", where));
  GOODHART_ASSIGN_OR_RETURN(std::string body, GetOptString(pr, "body", where));
  change.ai_markers =
      processors::FindChangeMarkers(change.author, change.author_type, change.head_ref, body);
  return change;
}

Status DecodePullRequest(const Delivery& d, WebhookResult* out) {
  if (!IsChangeAction(d.action)) {
    out->ignored = true;  // assigned, review_requested, locked, ...: nothing goodhart keeps
    return Status::Ok();
  }
  GOODHART_ASSIGN_OR_RETURN(std::string repo, RepoName(d));
  GOODHART_ASSIGN_OR_RETURN(const Json* pr, GetObject(d.doc, "pull_request", d.root));
  GOODHART_ASSIGN_OR_RETURN(model::Change change, ChangeFromPullRequest(*pr, repo, d));
  out->batch.changes.push_back(std::move(change));
  return Status::Ok();
}

Status DecodePullRequestReview(const Delivery& d, WebhookResult* out) {
  if (d.action != "submitted" && d.action != "edited" && d.action != "dismissed") {
    out->ignored = true;
    return Status::Ok();
  }
  GOODHART_ASSIGN_OR_RETURN(std::string repo, RepoName(d));
  GOODHART_ASSIGN_OR_RETURN(const Json* pr, GetObject(d.doc, "pull_request", d.root));
  GOODHART_ASSIGN_OR_RETURN(int64_t number, GetOptInt(*pr, "number", d.root.Child("pull_request")));
  if (number <= 0)
    return d.root.Child("pull_request").Error("number", "missing or not positive");
  GOODHART_ASSIGN_OR_RETURN(const Json* review, GetObject(d.doc, "review", d.root));
  Where where = d.root.Child("review");
  model::Review r;
  r.ref = d.ref;
  r.change_id = fmt::format("github:{}#{}", repo, number);
  GOODHART_ASSIGN_OR_RETURN(r.reviewer, Login(*review, "user", where));
  GOODHART_ASSIGN_OR_RETURN(std::string state, GetString(*review, "state", where));
  r.state = internal::AsciiLower(state);  // the REST API says APPROVED, webhooks approved
  GOODHART_ASSIGN_OR_RETURN(r.commit_sha, GetOptString(*review, "commit_id", where));
  GOODHART_ASSIGN_OR_RETURN(r.submitted_unix_ms, GetOptTimestamp(*review, "submitted_at", where));
  out->batch.reviews.push_back(std::move(r));
  return Status::Ok();
}

// ---- deployment, deployment_status, workflow_run ----

std::string RunId(const std::string& repo, std::string_view run_id) {
  return fmt::format("github:{}/actions/runs/{}", repo, run_id);
}

Result<model::Deployment> DeploymentFrom(const Json& dep, const std::string& repo,
                                         const Delivery& d) {
  Where where = d.root.Child("deployment");
  model::Deployment out;
  out.ref = d.ref;
  out.repo = repo;
  GOODHART_ASSIGN_OR_RETURN(std::string id, GetId(dep, "id", where));
  out.id = fmt::format("github:{}/deployments/{}", repo, id);
  GOODHART_ASSIGN_OR_RETURN(out.commit_sha, GetOptString(dep, "sha", where));
  GOODHART_ASSIGN_OR_RETURN(out.ref_name, GetOptString(dep, "ref", where));
  GOODHART_ASSIGN_OR_RETURN(out.environment, GetOptString(dep, "environment", where));
  // production_environment may be null or absent; only an explicit true marks the tier.
  GOODHART_ASSIGN_OR_RETURN(bool production, GetOptBool(dep, "production_environment", where));
  if (production)
    out.environment_tier = "production";
  GOODHART_ASSIGN_OR_RETURN(out.started_unix_ms, GetOptTimestamp(dep, "created_at", where));
  GOODHART_ASSIGN_OR_RETURN(out.triggered_by, Login(dep, "creator", where));
  GOODHART_ASSIGN_OR_RETURN(const Json* run, GetOptObject(d.doc, "workflow_run", d.root));
  if (run != nullptr) {
    GOODHART_ASSIGN_OR_RETURN(std::string run_id, GetId(*run, "id", d.root.Child("workflow_run")));
    out.pipeline_id = RunId(repo, run_id);
    // The workflow is the pipeline whose runs deploy (D6 judges it; each run is one execution).
    GOODHART_ASSIGN_OR_RETURN(std::string workflow,
                              GetOptId(*run, "workflow_id", d.root.Child("workflow_run")));
    if (!workflow.empty())
      out.pipeline = fmt::format("github:{}/actions/workflows/{}", repo, workflow);
  }
  return out;
}

// GitHub's deployment states in goodhart's vocabulary (model::Deployment::status).
std::string DeploymentStatus(std::string_view state) {
  if (state == "pending")
    return "queued";
  return internal::AsciiLower(state);
}

bool IsTerminal(std::string_view status) {
  return status == "success" || status == "failure" || status == "error";
}

Status DecodeDeployment(const Delivery& d, WebhookResult* out) {
  GOODHART_ASSIGN_OR_RETURN(std::string repo, RepoName(d));
  GOODHART_ASSIGN_OR_RETURN(const Json* dep, GetObject(d.doc, "deployment", d.root));
  GOODHART_ASSIGN_OR_RETURN(model::Deployment deployment, DeploymentFrom(*dep, repo, d));
  deployment.status = "queued";  // a deployment starts without a status
  out->batch.deployments.push_back(std::move(deployment));
  return Status::Ok();
}

Status DecodeDeploymentStatus(const Delivery& d, WebhookResult* out) {
  GOODHART_ASSIGN_OR_RETURN(std::string repo, RepoName(d));
  GOODHART_ASSIGN_OR_RETURN(const Json* dep, GetObject(d.doc, "deployment", d.root));
  GOODHART_ASSIGN_OR_RETURN(model::Deployment deployment, DeploymentFrom(*dep, repo, d));
  GOODHART_ASSIGN_OR_RETURN(const Json* status, GetObject(d.doc, "deployment_status", d.root));
  Where where = d.root.Child("deployment_status");
  GOODHART_ASSIGN_OR_RETURN(std::string state, GetString(*status, "state", where));
  deployment.status = DeploymentStatus(state);
  GOODHART_ASSIGN_OR_RETURN(std::string environment, GetOptString(*status, "environment", where));
  if (!environment.empty())
    deployment.environment = std::move(environment);
  if (IsTerminal(deployment.status)) {
    // Several statuses arrive per deployment; the terminal one's time is the finish.
    GOODHART_ASSIGN_OR_RETURN(deployment.finished_unix_ms,
                              GetTimestamp(*status, "created_at", where));
  }
  out->batch.deployments.push_back(std::move(deployment));
  return Status::Ok();
}

Status DecodeWorkflowRun(const Delivery& d, WebhookResult* out) {
  GOODHART_ASSIGN_OR_RETURN(std::string repo, RepoName(d));
  GOODHART_ASSIGN_OR_RETURN(const Json* run, GetObject(d.doc, "workflow_run", d.root));
  Where where = d.root.Child("workflow_run");
  model::PipelineRun p;
  p.ref = d.ref;
  p.repo = repo;
  GOODHART_ASSIGN_OR_RETURN(std::string id, GetId(*run, "id", where));
  p.id = RunId(repo, id);  // a re-run keeps the id; run_attempt tells attempts apart
  GOODHART_ASSIGN_OR_RETURN(p.attempt, GetOptInt(*run, "run_attempt", where, 1));
  GOODHART_ASSIGN_OR_RETURN(p.name, GetOptString(*run, "name", where));
  if (p.name.empty()) {
    GOODHART_ASSIGN_OR_RETURN(const Json* workflow, GetOptObject(d.doc, "workflow", d.root));
    if (workflow != nullptr) {
      GOODHART_ASSIGN_OR_RETURN(p.name, GetOptString(*workflow, "name", d.root.Child("workflow")));
    }
  }
  GOODHART_ASSIGN_OR_RETURN(p.head_sha, GetOptString(*run, "head_sha", where));
  GOODHART_ASSIGN_OR_RETURN(p.head_branch, GetOptString(*run, "head_branch", where));
  GOODHART_ASSIGN_OR_RETURN(p.status, GetOptString(*run, "status", where));
  GOODHART_ASSIGN_OR_RETURN(p.conclusion, GetOptString(*run, "conclusion", where));
  GOODHART_ASSIGN_OR_RETURN(p.started_unix_ms, GetOptTimestamp(*run, "run_started_at", where));
  if (p.started_unix_ms == 0) {
    GOODHART_ASSIGN_OR_RETURN(p.started_unix_ms, GetOptTimestamp(*run, "created_at", where));
  }
  if (p.status == "completed") {
    GOODHART_ASSIGN_OR_RETURN(p.finished_unix_ms, GetOptTimestamp(*run, "updated_at", where));
  }
  out->batch.pipeline_runs.push_back(std::move(p));
  return Status::Ok();
}

// ---- release, create ----

Status DecodeRelease(const Delivery& d, WebhookResult* out) {
  GOODHART_ASSIGN_OR_RETURN(const Json* release, GetObject(d.doc, "release", d.root));
  Where where = d.root.Child("release");
  GOODHART_ASSIGN_OR_RETURN(bool draft, GetOptBool(*release, "draft", where));
  // "published" fires for releases and pre-releases, "released" also when a pre-release is
  // promoted; "created", "prereleased", "edited", "deleted" and drafts add nothing.
  if (draft || (d.action != "published" && d.action != "released")) {
    out->ignored = true;
    return Status::Ok();
  }
  GOODHART_ASSIGN_OR_RETURN(std::string repo, RepoName(d));
  model::Release r;
  r.ref = d.ref;
  r.repo = repo;
  GOODHART_ASSIGN_OR_RETURN(r.tag, GetString(*release, "tag_name", where));
  // target_commitish is often a branch name; only a full sha identifies the commit.
  GOODHART_ASSIGN_OR_RETURN(std::string target, GetOptString(*release, "target_commitish", where));
  if (internal::IsFullSha(target))
    r.sha = std::move(target);
  GOODHART_ASSIGN_OR_RETURN(r.prerelease, GetOptBool(*release, "prerelease", where));
  GOODHART_ASSIGN_OR_RETURN(r.created_unix_ms, GetOptTimestamp(*release, "published_at", where));
  if (r.created_unix_ms == 0) {
    GOODHART_ASSIGN_OR_RETURN(r.created_unix_ms, GetOptTimestamp(*release, "created_at", where));
  }
  out->batch.releases.push_back(std::move(r));
  return Status::Ok();
}

Status DecodeCreate(const Delivery& d, WebhookResult* out) {
  GOODHART_ASSIGN_OR_RETURN(std::string ref_type, GetOptString(d.doc, "ref_type", d.root));
  if (ref_type != "tag") {
    out->ignored = true;  // a new branch says nothing about delivery
    return Status::Ok();
  }
  GOODHART_ASSIGN_OR_RETURN(std::string repo, RepoName(d));
  model::Release r;
  r.ref = d.ref;
  r.repo = repo;
  GOODHART_ASSIGN_OR_RETURN(r.tag, GetString(d.doc, "ref", d.root));
  // A create event carries no sha and no time of its own; the repository's push time is the
  // closest. The push event for the same tag carries the sha.
  GOODHART_ASSIGN_OR_RETURN(const Json* repository, GetObject(d.doc, "repository", d.root));
  GOODHART_ASSIGN_OR_RETURN(r.created_unix_ms,
                            GetOptTimestamp(*repository, "pushed_at", d.root.Child("repository")));
  out->batch.releases.push_back(std::move(r));
  return Status::Ok();
}

}  // namespace

Result<WebhookResult> DecodeGithub(std::string_view event_name, std::string_view delivery_id,
                                   std::string_view body) {
  if (event_name.empty())
    return Status::InvalidArgument("github_webhook: X-GitHub-Event header: missing");
  std::string form_json;
  if (body.starts_with("payload=")) {  // a hook configured as application/x-www-form-urlencoded
    form_json = internal::UrlDecode(body.substr(8), /*plus_is_space=*/true);
    body = form_json;
  }
  GOODHART_ASSIGN_OR_RETURN(Json doc, internal::ParseJsonBody(body, kComponent, true));
  Delivery d{.doc = doc};
  GOODHART_ASSIGN_OR_RETURN(d.action, GetOptString(doc, "action", d.root));
  std::string delivery =
      delivery_id.empty() ? "body:" + Hash128Hex(body) : std::string(delivery_id);
  d.ref = {"github", delivery};

  WebhookResult out;
  out.source = "github";
  out.event =
      d.action.empty() ? std::string(event_name) : fmt::format("{}.{}", event_name, d.action);
  out.dedupe_key = "github:" + delivery;

  Status status;
  if (event_name == "push") {
    status = DecodePush(d, &out);
  } else if (event_name == "pull_request") {
    status = DecodePullRequest(d, &out);
  } else if (event_name == "pull_request_review") {
    status = DecodePullRequestReview(d, &out);
  } else if (event_name == "deployment") {
    status = DecodeDeployment(d, &out);
  } else if (event_name == "deployment_status") {
    status = DecodeDeploymentStatus(d, &out);
  } else if (event_name == "workflow_run") {
    status = DecodeWorkflowRun(d, &out);
  } else if (event_name == "release") {
    status = DecodeRelease(d, &out);
  } else if (event_name == "create") {
    status = DecodeCreate(d, &out);
  } else {
    out.ignored = true;  // ping, issues, check_run, delete, workflow_job, ...
  }
  GOODHART_RETURN_IF_ERROR(status);
  return out;
}

}  // namespace goodhart::receivers::webhook
