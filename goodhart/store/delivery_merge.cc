#include "goodhart/store/delivery_merge.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "goodhart/model/delivery_json.h"

namespace goodhart::store {
namespace {

using Json = nlohmann::json;

bool IsEmpty(const Json& v) {
  switch (v.type()) {
    case Json::value_t::null:
      return true;
    case Json::value_t::string:
      return v.get_ref<const std::string&>().empty();
    case Json::value_t::array:
    case Json::value_t::object:
      return v.empty();
    case Json::value_t::boolean:
      return !v.get<bool>();
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
      return v.get<int64_t>() == 0;
    case Json::value_t::number_float:
      return v.get<double>() == 0;
    default:
      return false;
  }
}

// Copies every non-empty field of `update` into `stored` (recursing into objects). With
// `fill_only`, only fields empty in `stored` are written.
bool MergeJson(Json& stored, const Json& update, bool fill_only) {
  bool changed = false;
  for (const auto& [key, value] : update.items()) {
    if (IsEmpty(value))
      continue;
    Json& slot = stored[key];
    if (value.is_object() && slot.is_object()) {
      changed |= MergeJson(slot, value, fill_only);
      continue;
    }
    if (fill_only && !IsEmpty(slot))
      continue;
    if (slot != value) {
      slot = value;
      changed = true;
    }
  }
  return changed;
}

template <typename T>
bool MergeFields(T& stored, const T& update, bool fill_only = false) {
  Json s = stored;
  if (!MergeJson(s, Json(update), fill_only))
    return false;
  T merged = s.template get<T>();
  if (merged == stored)
    return false;
  stored = std::move(merged);
  return true;
}

bool IsTerminalDeploymentStatus(const std::string& s) {
  return s == "success" || s == "failure" || s == "error" || s == "inactive" || s == "cancelled";
}

int ChangeStateRank(const model::Change& c) {
  if (c.merged || c.state == "merged")
    return 2;
  return c.state == "closed" ? 1 : 0;
}

}  // namespace

std::string DeliveryKey(const model::Commit& r) { return r.repo + "@" + r.sha; }
std::string DeliveryKey(const model::Change& r) { return r.id; }
std::string DeliveryKey(const model::Review& r) {
  return fmt::format("{}|{}|{}|{}", r.change_id, r.reviewer, r.submitted_unix_ms, r.state);
}
std::string DeliveryKey(const model::Release& r) { return r.repo + "@" + r.tag; }
std::string DeliveryKey(const model::PipelineRun& r) {
  return fmt::format("{}#{}", r.id, r.attempt);
}
std::string DeliveryKey(const model::Deployment& r) {
  return fmt::format("{}|{}|{}", r.id, r.repo, r.commit_sha);
}
std::string DeliveryKey(const model::Incident& r) { return r.id; }

int64_t DeliveryTimeMillis(const model::Commit& r) {
  return r.committed_unix_ms ? r.committed_unix_ms : r.authored_unix_ms;
}
int64_t DeliveryTimeMillis(const model::Change& r) {
  if (r.merged_unix_ms)
    return r.merged_unix_ms;
  return r.closed_unix_ms ? r.closed_unix_ms : r.created_unix_ms;
}
int64_t DeliveryTimeMillis(const model::Review& r) { return r.submitted_unix_ms; }
int64_t DeliveryTimeMillis(const model::Release& r) { return r.created_unix_ms; }
int64_t DeliveryTimeMillis(const model::PipelineRun& r) {
  return r.finished_unix_ms ? r.finished_unix_ms : r.started_unix_ms;
}
int64_t DeliveryTimeMillis(const model::Deployment& r) {
  return r.finished_unix_ms ? r.finished_unix_ms : r.started_unix_ms;
}
int64_t DeliveryTimeMillis(const model::Incident& r) {
  return r.started_unix_ms ? r.started_unix_ms : r.detected_unix_ms;
}

bool MergeDelivery(model::Commit& stored, const model::Commit& update) {
  bool webhook_over_import = stored.ref.source == "git" && update.ref.source != "git";
  return MergeFields(stored, update, /*fill_only=*/webhook_over_import);
}

bool MergeDelivery(model::Change& stored, const model::Change& update) {
  model::Change u = update;
  if (ChangeStateRank(u) < ChangeStateRank(stored))
    u.state.clear();
  return MergeFields(stored, u);
}

bool MergeDelivery(model::Review& stored, const model::Review& update) {
  return MergeFields(stored, update);
}

bool MergeDelivery(model::Release& stored, const model::Release& update) {
  return MergeFields(stored, update);
}

bool MergeDelivery(model::PipelineRun& stored, const model::PipelineRun& update) {
  model::PipelineRun u = update;
  if (stored.status == "completed" && u.status != "completed") {
    u.status.clear();
    u.conclusion.clear();
  }
  return MergeFields(stored, u);
}

bool MergeDelivery(model::Deployment& stored, const model::Deployment& update) {
  model::Deployment u = update;
  if (IsTerminalDeploymentStatus(stored.status) && !IsTerminalDeploymentStatus(u.status))
    u.status.clear();
  return MergeFields(stored, u);
}

bool MergeDelivery(model::Incident& stored, const model::Incident& update) {
  model::Incident u = update;
  bool reopened = false;
  // The first severity known stays in initial_severity; an update never rewrites it.
  bool first_severity = stored.initial_severity.empty() && !stored.severity.empty();
  if (first_severity)
    stored.initial_severity = stored.severity;
  u.initial_severity.clear();
  bool stored_resolved = stored.resolved_unix_ms != 0 || stored.status == "resolved";
  bool update_resolved = u.resolved_unix_ms != 0 || u.status == "resolved";
  if (stored_resolved && !update_resolved) {
    int64_t update_time = std::max(u.started_unix_ms, u.detected_unix_ms);
    bool reopens = stored.resolved_unix_ms != 0 && update_time > stored.resolved_unix_ms;
    if (!reopens) {
      u.status.clear();
    } else {
      stored.resolved_unix_ms = 0;  // reopened: the old resolution no longer holds
      reopened = true;
    }
  }
  bool changed = MergeFields(stored, u) || reopened;
  if (stored.initial_severity.empty() && !stored.severity.empty())
    stored.initial_severity = stored.severity;  // learnt from this update
  return changed || (first_severity && stored.initial_severity != stored.severity);
}

}  // namespace goodhart::store
