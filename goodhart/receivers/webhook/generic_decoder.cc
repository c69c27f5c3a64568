#include "goodhart/receivers/webhook/generic_decoder.h"

#include <fmt/format.h>

#include <string>

#include "goodhart/base/hash.h"
#include "goodhart/receivers/webhook/internal/json_fields.h"
#include "goodhart/receivers/webhook/internal/text.h"

namespace goodhart::receivers::webhook {
namespace {

using internal::Find;
using internal::GetId;
using internal::GetOptArray;
using internal::GetOptId;
using internal::GetOptString;
using internal::GetOptTimestamp;
using internal::GetString;
using internal::GetTimestamp;
using internal::Json;
using internal::Where;

constexpr std::string_view kDeployment = "generic_deployment";
constexpr std::string_view kIncident = "generic_incident";

// Upper case with '-' and ' ' as '_': "in-progress" -> "IN_PROGRESS".
std::string Token(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z')
      c = static_cast<char>(c - 'a' + 'A');
    else if (c == '-' || c == ' ')
      c = '_';
  }
  return out;
}

Result<std::string> DeploymentResult(const Json& doc, const Where& where) {
  GOODHART_ASSIGN_OR_RETURN(std::string result, GetOptString(doc, "result", where));
  std::string t = result.empty() ? "SUCCESS" : Token(result);
  if (t == "SUCCESS")
    return std::string("success");
  if (t == "FAILURE" || t == "FAILED")
    return std::string("failure");
  if (t == "ABORT" || t == "ABORTED" || t == "CANCELLED" || t == "CANCELED")
    return std::string("cancelled");
  return where.Error("result", "expected SUCCESS, FAILURE or ABORT");
}

// DevLake's environments; any other name is kept with an empty tier.
std::string Tier(std::string_view environment) {
  std::string lower = internal::AsciiLower(environment);
  if (lower == "production" || lower == "staging" || lower == "testing" || lower == "development")
    return lower;
  return "";
}

bool IsCommitId(std::string_view sha) {
  if (sha.size() < 7 || sha.size() > 64)
    return false;
  for (char c : sha) {
    bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (!hex)
      return false;
  }
  return true;
}

Status CheckCommit(const std::string& repo_url, const std::string& sha, std::string_view url_key,
                   std::string_view sha_key, const Where& where) {
  if (internal::RepoFromUrl(repo_url).empty())
    return where.Error(url_key, "no repository path in the URL");
  if (!IsCommitId(sha))
    return where.Error(sha_key, "not a hex commit id (7 to 64 digits)");
  return Status::Ok();
}

Status CheckOrder(int64_t started, int64_t finished, std::string_view finished_key,
                  const Where& where) {
  if (started != 0 && finished != 0 && finished < started)
    return where.Error(finished_key, "before the start");
  return Status::Ok();
}

// The legacy flat form: {repo_url, commit_sha, start_time, end_time, environment, id?, result?}.
Result<WebhookResult> DecodeLegacyDeployment(const Json& doc, std::string_view body) {
  Where root{kDeployment, ""};
  model::Deployment d;
  GOODHART_ASSIGN_OR_RETURN(std::string repo_url, GetString(doc, "repo_url", root));
  GOODHART_ASSIGN_OR_RETURN(d.commit_sha, GetString(doc, "commit_sha", root));
  GOODHART_RETURN_IF_ERROR(CheckCommit(repo_url, d.commit_sha, "repo_url", "commit_sha", root));
  d.repo = internal::RepoFromUrl(repo_url);
  GOODHART_ASSIGN_OR_RETURN(d.started_unix_ms, GetOptTimestamp(doc, "start_time", root));
  GOODHART_ASSIGN_OR_RETURN(d.finished_unix_ms, GetTimestamp(doc, "end_time", root));
  GOODHART_RETURN_IF_ERROR(CheckOrder(d.started_unix_ms, d.finished_unix_ms, "end_time", root));
  GOODHART_ASSIGN_OR_RETURN(d.environment, GetOptString(doc, "environment", root));
  if (d.environment.empty())
    d.environment = "PRODUCTION";
  d.environment_tier = Tier(d.environment);
  GOODHART_ASSIGN_OR_RETURN(d.status, DeploymentResult(doc, root));
  GOODHART_ASSIGN_OR_RETURN(d.service, GetOptString(doc, "service", root));
  GOODHART_ASSIGN_OR_RETURN(d.pipeline, GetOptString(doc, "pipeline", root));
  GOODHART_ASSIGN_OR_RETURN(std::string id, GetOptId(doc, "id", root));
  if (id.empty()) {
    // No id in the legacy form: the same repo, commit and end time are the same deployment.
    Hasher128 h;
    h.AddField(repo_url);
    h.AddField(d.commit_sha);
    h.AddField(std::to_string(d.finished_unix_ms));
    id = h.FinishHex();
  }
  d.id = "api:" + id;
  d.ref = {"api", id};
  WebhookResult out;
  out.source = "api";
  out.event = "deployment";
  out.dedupe_key = fmt::format("api:deployments:{}:{}", id, Hash128Hex(body));
  out.batch.deployments.push_back(std::move(d));
  return out;
}

}  // namespace

Result<WebhookResult> DecodeGenericDeployment(std::string_view body) {
  GOODHART_ASSIGN_OR_RETURN(Json doc, internal::ParseJsonBody(body, kDeployment, true));
  Where root{kDeployment, ""};
  GOODHART_ASSIGN_OR_RETURN(const Json* commits, GetOptArray(doc, "deploymentCommits", root));
  if (commits == nullptr) {
    if (Find(doc, "commit_sha") != nullptr || Find(doc, "repo_url") != nullptr)
      return DecodeLegacyDeployment(doc, body);
    return root.Error("deploymentCommits", "missing (or send the legacy repo_url/commit_sha form)");
  }
  if (commits->empty())
    return root.Error("deploymentCommits", "empty: a deployment deploys at least one commit");

  GOODHART_ASSIGN_OR_RETURN(std::string id, GetId(doc, "id", root));
  GOODHART_ASSIGN_OR_RETURN(std::string status, DeploymentResult(doc, root));
  GOODHART_ASSIGN_OR_RETURN(std::string environment, GetOptString(doc, "environment", root));
  if (environment.empty())
    environment = "PRODUCTION";  // DevLake's default
  GOODHART_ASSIGN_OR_RETURN(std::string service, GetOptString(doc, "service", root));
  GOODHART_ASSIGN_OR_RETURN(std::string pipeline, GetOptString(doc, "pipeline", root));
  GOODHART_ASSIGN_OR_RETURN(int64_t started, GetOptTimestamp(doc, "startedDate", root));
  GOODHART_ASSIGN_OR_RETURN(int64_t finished, GetTimestamp(doc, "finishedDate", root));
  GOODHART_RETURN_IF_ERROR(CheckOrder(started, finished, "finishedDate", root));

  WebhookResult out;
  out.source = "api";
  out.event = "deployment";
  out.dedupe_key = fmt::format("api:deployments:{}:{}", id, Hash128Hex(body));
  Where list = root.Child("deploymentCommits");
  for (size_t i = 0; i < commits->size(); ++i) {
    const Json& c = (*commits)[i];
    Where where = list.Index(i);
    if (!c.is_object())
      return where.Error("", "expected an object");
    model::Deployment d;
    d.ref = {"api", id};
    d.id = "api:" + id;  // shared by every commit of the deployment
    d.status = status;
    d.environment = environment;
    d.environment_tier = Tier(environment);
    d.service = service;
    d.pipeline = pipeline;
    GOODHART_ASSIGN_OR_RETURN(std::string repo_url, GetString(c, "repoUrl", where));
    GOODHART_ASSIGN_OR_RETURN(d.commit_sha, GetString(c, "commitSha", where));
    GOODHART_RETURN_IF_ERROR(CheckCommit(repo_url, d.commit_sha, "repoUrl", "commitSha", where));
    d.repo = internal::RepoFromUrl(repo_url);
    GOODHART_ASSIGN_OR_RETURN(d.ref_name, GetOptString(c, "refName", where));
    GOODHART_ASSIGN_OR_RETURN(d.started_unix_ms, GetOptTimestamp(c, "startedDate", where));
    GOODHART_ASSIGN_OR_RETURN(d.finished_unix_ms, GetOptTimestamp(c, "finishedDate", where));
    if (d.started_unix_ms == 0)
      d.started_unix_ms = started;
    if (d.finished_unix_ms == 0)
      d.finished_unix_ms = finished;
    GOODHART_RETURN_IF_ERROR(
        CheckOrder(d.started_unix_ms, d.finished_unix_ms, "finishedDate", where));
    out.batch.deployments.push_back(std::move(d));
  }
  return out;
}

Result<WebhookResult> DecodeGenericIncident(std::string_view body) {
  GOODHART_ASSIGN_OR_RETURN(Json doc, internal::ParseJsonBody(body, kIncident, true));
  Where root{kIncident, ""};
  model::Incident i;
  GOODHART_ASSIGN_OR_RETURN(std::string id, GetId(doc, "id", root));
  i.id = "api:" + id;
  i.ref = {"api", id};
  GOODHART_ASSIGN_OR_RETURN(i.title, GetOptString(doc, "title", root));
  GOODHART_ASSIGN_OR_RETURN(i.service, GetOptString(doc, "service", root));
  GOODHART_ASSIGN_OR_RETURN(i.environment, GetOptString(doc, "environment", root));
  GOODHART_ASSIGN_OR_RETURN(i.severity, GetOptString(doc, "severity", root));
  GOODHART_ASSIGN_OR_RETURN(i.started_unix_ms, GetTimestamp(doc, "createdDate", root));
  i.detected_unix_ms = i.started_unix_ms;
  GOODHART_ASSIGN_OR_RETURN(i.resolved_unix_ms, GetOptTimestamp(doc, "resolutionDate", root));
  GOODHART_RETURN_IF_ERROR(
      CheckOrder(i.started_unix_ms, i.resolved_unix_ms, "resolutionDate", root));

  GOODHART_ASSIGN_OR_RETURN(std::string status, GetOptString(doc, "status", root));
  std::string t = Token(status);
  if (t.empty()) {
    i.status = i.resolved_unix_ms != 0 ? "resolved" : "open";
  } else if (t == "TODO" || t == "OPEN" || t == "NEW" || t == "TRIGGERED") {
    i.status = "open";
  } else if (t == "IN_PROGRESS" || t == "ACKNOWLEDGED") {
    i.status = "in_progress";
  } else if (t == "DONE" || t == "RESOLVED" || t == "CLOSED") {
    i.status = "resolved";
  } else {
    return root.Error("status", "expected TODO, IN_PROGRESS or DONE");
  }
  if (i.status == "resolved" && i.resolved_unix_ms == 0)
    return root.Error("resolutionDate", "required when the incident is resolved");
  if (i.status != "resolved" && i.resolved_unix_ms != 0)
    return root.Error("status", "an incident with a resolutionDate must be DONE");

  // A bare id names a deployment sent to /api/v1/deployments; "github:..." etc. pass through.
  GOODHART_ASSIGN_OR_RETURN(std::string deployment, GetOptId(doc, "deployment_id", root));
  if (deployment.empty()) {
    GOODHART_ASSIGN_OR_RETURN(deployment, GetOptId(doc, "deploymentId", root));
  }
  if (!deployment.empty())
    i.caused_by_deployment =
        deployment.find(':') == std::string::npos ? "api:" + deployment : deployment;

  WebhookResult out;
  out.source = "api";
  out.event = "incident";
  // The body hash makes a re-post identical, and a status update new.
  out.dedupe_key = fmt::format("api:incidents:{}:{}", id, Hash128Hex(body));
  out.batch.incidents.push_back(std::move(i));
  return out;
}

}  // namespace goodhart::receivers::webhook
