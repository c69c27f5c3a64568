#include "goodhart/receivers/webhook/cdevents_decoder.h"

#include <fmt/format.h>

#include <optional>

#include "goodhart/receivers/webhook/internal/json_fields.h"
#include "goodhart/receivers/webhook/internal/text.h"

namespace goodhart::receivers::webhook {
namespace {

using internal::Find;
using internal::GetObject;
using internal::GetOptObject;
using internal::GetOptString;
using internal::GetString;
using internal::GetTimestamp;
using internal::Json;
using internal::Where;

constexpr std::string_view kComponent = "cdevents";
constexpr std::string_view kTypePrefix = "dev.cdevents.";

// Standard base64 (padding optional, no whitespace); nullopt when malformed.
std::optional<std::string> DecodeBase64(std::string_view in) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z')
      return c - 'A';
    if (c >= 'a' && c <= 'z')
      return c - 'a' + 26;
    if (c >= '0' && c <= '9')
      return c - '0' + 52;
    if (c == '+')
      return 62;
    if (c == '/')
      return 63;
    return -1;
  };
  while (!in.empty() && in.back() == '=')
    in.remove_suffix(1);
  std::string out;
  out.reserve(in.size() * 3 / 4);
  uint32_t bits = 0;
  int count = 0;
  for (char c : in) {
    int v = value(c);
    if (v < 0)
      return std::nullopt;
    bits = (bits << 6) | static_cast<uint32_t>(v);
    count += 6;
    if (count >= 8) {
      count -= 8;
      out.push_back(static_cast<char>((bits >> count) & 0xFF));
    }
  }
  return out;
}

// "pkg:oci/myapp@sha256%3A0b31..." -> "sha256:0b31..."; "" when the version is not a digest.
std::string DigestFromPurl(std::string_view purl) {
  size_t at = purl.rfind('@');
  if (at == std::string_view::npos)
    return "";
  std::string_view version = purl.substr(at + 1);
  version = version.substr(0, version.find_first_of("?#"));
  std::string decoded = internal::UrlDecode(version);
  size_t colon = decoded.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == decoded.size())
    return "";
  return decoded;
}

// content.<key>.id, "" when absent.
Result<std::string> RefId(const Json& content, std::string_view key, const Where& where) {
  GOODHART_ASSIGN_OR_RETURN(const Json* obj, GetOptObject(content, key, where));
  if (obj == nullptr)
    return std::string();
  return GetOptString(*obj, "id", where.Child(key));
}

struct Event {
  std::string id, source, type, subject, predicate;
  int64_t timestamp_ms = 0;
  std::string subject_id;
  const Json* content = nullptr;
  const Json* custom_data = nullptr;
  Where content_where;
};

Status MapService(const Event& e, WebhookResult* out) {
  if (e.predicate != "deployed" && e.predicate != "upgraded" && e.predicate != "rolledback") {
    out->ignored = true;  // published, removed
    return Status::Ok();
  }
  model::Deployment d;
  d.ref = {"cdevents", e.id};
  // One event is one deployment; the key includes the type because ids repeat across types.
  d.id = out->dedupe_key;
  d.service = e.subject_id;
  GOODHART_ASSIGN_OR_RETURN(d.environment, RefId(*e.content, "environment", e.content_where));
  GOODHART_ASSIGN_OR_RETURN(std::string artifact,
                            GetOptString(*e.content, "artifactId", e.content_where));
  d.artifact_digest = DigestFromPurl(artifact);
  d.status = e.predicate == "rolledback" ? "rollback" : "success";
  d.started_unix_ms = e.timestamp_ms;
  d.finished_unix_ms = e.timestamp_ms;
  out->batch.deployments.push_back(std::move(d));
  return Status::Ok();
}

Status MapChange(const Event& e, WebhookResult* out) {
  std::string change_id = "cdevents:" + e.subject_id;
  if (e.predicate == "merged") {
    model::Change c;
    c.ref = {"cdevents", e.id};
    c.id = std::move(change_id);
    GOODHART_ASSIGN_OR_RETURN(c.repo, RefId(*e.content, "repository", e.content_where));
    c.state = "merged";
    c.merged = true;
    c.merged_unix_ms = e.timestamp_ms;
    c.closed_unix_ms = e.timestamp_ms;
    out->batch.changes.push_back(std::move(c));
  } else if (e.predicate == "reviewed") {
    model::Review r;
    r.ref = {"cdevents", e.id};
    r.change_id = std::move(change_id);
    r.state = "commented";
    r.submitted_unix_ms = e.timestamp_ms;
    out->batch.reviews.push_back(std::move(r));
  } else {
    out->ignored = true;  // created, updated, abandoned
  }
  return Status::Ok();
}

Status MapIncident(const Event& e, WebhookResult* out) {
  model::Incident i;
  i.ref = {"cdevents", e.id};
  i.id = "cdevents:" + e.subject_id;
  GOODHART_ASSIGN_OR_RETURN(i.title, GetOptString(*e.content, "description", e.content_where));
  GOODHART_ASSIGN_OR_RETURN(i.environment, RefId(*e.content, "environment", e.content_where));
  GOODHART_ASSIGN_OR_RETURN(i.service, RefId(*e.content, "service", e.content_where));
  if (e.predicate == "detected") {
    i.status = "open";
    i.started_unix_ms = e.timestamp_ms;
    i.detected_unix_ms = e.timestamp_ms;
  } else if (e.predicate == "reported") {
    i.status = "open";
    i.detected_unix_ms = e.timestamp_ms;
  } else if (e.predicate == "resolved") {
    i.status = "resolved";
    i.resolved_unix_ms = e.timestamp_ms;
  } else {
    out->ignored = true;
    return Status::Ok();
  }
  // Severity is not part of the spec; the conformance files carry it in customData.
  if (e.custom_data != nullptr) {
    const Json* severity = Find(*e.custom_data, "severity");
    if (severity != nullptr && severity->is_string())
      i.severity = severity->get<std::string>();
  }
  out->batch.incidents.push_back(std::move(i));
  return Status::Ok();
}

Status MapPipelineRun(const Event& e, WebhookResult* out) {
  if (e.predicate != "finished") {
    out->ignored = true;  // queued, started: the finish carries the outcome
    return Status::Ok();
  }
  model::PipelineRun p;
  p.ref = {"cdevents", e.id};
  p.id = "cdevents:" + e.subject_id;
  GOODHART_ASSIGN_OR_RETURN(p.name, GetOptString(*e.content, "pipelineName", e.content_where));
  // The run's link is `url` in 0.4 and `uri` from 0.5; both are checked, neither is kept
  // (model::PipelineRun has no url field).
  GOODHART_ASSIGN_OR_RETURN(std::string uri, GetOptString(*e.content, "uri", e.content_where));
  if (uri.empty()) {
    GOODHART_ASSIGN_OR_RETURN(uri, GetOptString(*e.content, "url", e.content_where));
  }
  p.status = "completed";
  GOODHART_ASSIGN_OR_RETURN(p.conclusion, GetOptString(*e.content, "outcome", e.content_where));
  p.finished_unix_ms = e.timestamp_ms;
  out->batch.pipeline_runs.push_back(std::move(p));
  return Status::Ok();
}

// One CDEvent ({context, subject, customData?}).
Result<WebhookResult> DecodeCdevent(const Json& doc, const Where& where) {
  if (!doc.is_object())
    return where.Error("", "expected a CDEvent object");
  GOODHART_ASSIGN_OR_RETURN(const Json* context, GetObject(doc, "context", where));
  Where cw = where.Child("context");
  // 0.4 says `version`, 0.5 and later `specversion`.
  GOODHART_ASSIGN_OR_RETURN(std::string version, GetOptString(*context, "specversion", cw));
  if (version.empty()) {
    GOODHART_ASSIGN_OR_RETURN(version, GetOptString(*context, "version", cw));
  }
  if (version.empty())
    return cw.Error("specversion", "missing (spec 0.4 calls it version)");
  Event e;
  GOODHART_ASSIGN_OR_RETURN(e.id, GetString(*context, "id", cw));
  GOODHART_ASSIGN_OR_RETURN(e.source, GetString(*context, "source", cw));
  GOODHART_ASSIGN_OR_RETURN(e.type, GetString(*context, "type", cw));
  GOODHART_ASSIGN_OR_RETURN(e.timestamp_ms, GetTimestamp(*context, "timestamp", cw));
  GOODHART_ASSIGN_OR_RETURN(const Json* subject, GetObject(doc, "subject", where));
  Where sw = where.Child("subject");
  GOODHART_ASSIGN_OR_RETURN(e.subject_id, GetString(*subject, "id", sw));
  GOODHART_ASSIGN_OR_RETURN(e.content, GetOptObject(*subject, "content", sw));
  static const Json kEmpty = Json::object();
  if (e.content == nullptr)
    e.content = &kEmpty;
  e.content_where = sw.Child("content");
  e.custom_data = Find(doc, "customData");

  WebhookResult out;
  out.source = "cdevents";
  out.event = e.type;
  out.dedupe_key = fmt::format("cdevents:{}|{}|{}", e.source, e.id, e.type);
  if (!e.type.starts_with(kTypePrefix)) {
    out.ignored = true;  // custom events (dev.cdeventsx.*) and foreign types
    return out;
  }
  // dev.cdevents.<subject>.<predicate>.<semver>; any version is accepted.
  std::string_view rest = std::string_view(e.type).substr(kTypePrefix.size());
  size_t dot1 = rest.find('.');
  size_t dot2 = dot1 == std::string_view::npos ? dot1 : rest.find('.', dot1 + 1);
  if (dot1 == 0 || dot2 == std::string_view::npos || dot2 == dot1 + 1 || dot2 + 1 >= rest.size())
    return cw.Error("type", "not dev.cdevents.<subject>.<predicate>.<version>");
  e.subject = std::string(rest.substr(0, dot1));
  e.predicate = std::string(rest.substr(dot1 + 1, dot2 - dot1 - 1));

  Status status;
  if (e.subject == "service") {
    status = MapService(e, &out);
  } else if (e.subject == "change") {
    status = MapChange(e, &out);
  } else if (e.subject == "incident") {
    status = MapIncident(e, &out);
  } else if (e.subject == "pipelinerun") {
    status = MapPipelineRun(e, &out);
  } else {
    out.ignored = true;  // artifact, build, testcaserun, ticket, ...
  }
  GOODHART_RETURN_IF_ERROR(status);
  return out;
}

// A structured-mode CloudEvent envelope whose data is a CDEvent.
Result<WebhookResult> DecodeEnvelope(const Json& envelope, const Where& where) {
  if (!envelope.is_object())
    return where.Error("", "expected a CloudEvent object");
  GOODHART_ASSIGN_OR_RETURN(std::string specversion, GetString(envelope, "specversion", where));
  if (specversion != "1.0")
    return where.Error("specversion", "only CloudEvents 1.0 is supported");
  GOODHART_ASSIGN_OR_RETURN(std::string ce_type, GetString(envelope, "type", where));
  if (!ce_type.starts_with("dev.cdevents")) {
    // A CloudEvent that is no CDEvent: accepted, ignored, deduplicated on its own identity.
    WebhookResult out;
    out.source = "cdevents";
    out.event = ce_type;
    out.ignored = true;
    GOODHART_ASSIGN_OR_RETURN(std::string id, GetString(envelope, "id", where));
    GOODHART_ASSIGN_OR_RETURN(std::string source, GetString(envelope, "source", where));
    out.dedupe_key = fmt::format("cdevents:{}|{}|{}", source, id, ce_type);
    return out;
  }
  if (const Json* data = Find(envelope, "data"); data != nullptr) {
    if (data->is_object())
      return DecodeCdevent(*data, where.Child("data"));
    if (data->is_string()) {  // JSON sent as a string by some SDKs
      GOODHART_ASSIGN_OR_RETURN(
          Json parsed, internal::ParseJsonBody(data->get<std::string>(), kComponent, true));
      return DecodeCdevent(parsed, where.Child("data"));
    }
    return where.Error("data", "expected a CDEvent object");
  }
  GOODHART_ASSIGN_OR_RETURN(std::string b64, GetOptString(envelope, "data_base64", where));
  if (!b64.empty()) {
    std::optional<std::string> bytes = DecodeBase64(b64);
    if (!bytes)
      return where.Error("data_base64", "not base64");
    GOODHART_ASSIGN_OR_RETURN(Json parsed, internal::ParseJsonBody(*bytes, kComponent, true));
    return DecodeCdevent(parsed, where.Child("data_base64"));
  }
  return where.Error("data", "missing");
}

std::string MediaType(std::string_view content_type) {
  content_type = content_type.substr(0, content_type.find(';'));
  while (!content_type.empty() && content_type.back() == ' ')
    content_type.remove_suffix(1);
  while (!content_type.empty() && content_type.front() == ' ')
    content_type.remove_prefix(1);
  return internal::AsciiLower(content_type);
}

const std::string* Header(const std::map<std::string, std::string>& headers,
                          std::string_view name) {
  for (const auto& [key, value] : headers) {
    if (internal::AsciiLower(key) == name)
      return &value;
  }
  return nullptr;
}

}  // namespace

Result<std::vector<WebhookResult>> DecodeCdevents(
    std::string_view content_type, const std::map<std::string, std::string>& ce_headers,
    std::string_view body) {
  std::string media = MediaType(content_type);
  Where root{kComponent, ""};
  std::vector<WebhookResult> results;
  if (media == "application/cloudevents-batch+json") {
    GOODHART_ASSIGN_OR_RETURN(Json doc, internal::ParseJsonBody(body, kComponent, false));
    if (!doc.is_array())
      return root.Error("", "a cloudevents-batch body must be a JSON array");
    for (size_t i = 0; i < doc.size(); ++i) {
      GOODHART_ASSIGN_OR_RETURN(WebhookResult r, DecodeEnvelope(doc[i], root.Index(i)));
      results.push_back(std::move(r));
    }
    return results;
  }
  GOODHART_ASSIGN_OR_RETURN(Json doc, internal::ParseJsonBody(body, kComponent, true));
  if (media == "application/cloudevents+json") {
    GOODHART_ASSIGN_OR_RETURN(WebhookResult r, DecodeEnvelope(doc, root));
    results.push_back(std::move(r));
    return results;
  }
  // Binary mode.
  if (const std::string* v = Header(ce_headers, "ce-specversion"); v != nullptr && *v != "1.0")
    return root.Error("ce-specversion header", "only CloudEvents 1.0 is supported");
  if (Find(doc, "context") == nullptr && Find(doc, "specversion") != nullptr) {
    GOODHART_ASSIGN_OR_RETURN(WebhookResult r,
                              DecodeEnvelope(doc, root));  // structured, mislabeled
    results.push_back(std::move(r));
    return results;
  }
  GOODHART_ASSIGN_OR_RETURN(WebhookResult r, DecodeCdevent(doc, root));
  results.push_back(std::move(r));
  return results;
}

}  // namespace goodhart::receivers::webhook
