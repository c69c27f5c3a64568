#include "goodhart/analytics/nd/nd_json.h"

#include <optional>
#include <string>

namespace goodhart::analytics::nd {
namespace {

using nlohmann::json;

json Optional(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }

json ToJson(const SRef& s) {
  return {{"service", s.service},
          {"quarter_start_unix_ms", s.quarter_start_unix_ms},
          {"window_from_unix_ms", s.window_from_unix_ms},
          {"window_to_unix_ms", s.window_to_unix_ms},
          {"value", s.value},
          {"median", s.median},
          {"changes", s.changes},
          {"pool", s.pool},
          {"floored", s.floored}};
}

json ToJson(const Credit& c) {
  return {{"s", c.s},
          {"s_credited", c.s_credited},
          {"s_ref", c.s_ref},
          {"s_max", c.s_max},
          {"over_s_max", c.over_s_max},
          {"band", CreditBandName(c.band)},
          {"g_formula", c.g_formula},
          {"g", c.g},
          {"remediation_incident_id", c.remediation_incident_id},
          {"floored", c.floored}};
}

json ToJson(const ReviewGate& r) {
  json approvals = json::array();
  for (const auto& a : r.approvals) {
    approvals.push_back({{"change_id", a.change_id},
                         {"review_id", a.review_id},
                         {"reviewer", a.reviewer},
                         {"submitted_unix_ms", a.submitted_unix_ms},
                         {"break_glass", a.break_glass}});
  }
  return {{"value", r.value}, {"approvals", approvals}, {"reason", r.reason}};
}

json ToJson(const FailureGate& f) {
  json events = json::array();
  for (const auto& e : f.events) {
    events.push_back({{"kind", e.kind},
                      {"change_id", e.change_id},
                      {"event_id", e.event_id},
                      {"at_unix_ms", e.at_unix_ms},
                      {"detail", e.detail}});
  }
  return {{"value", f.value}, {"events", events}, {"notes", f.notes}};
}

json ToJson(const Durability& d) {
  json losses = json::array();
  for (const auto& l : d.losses) {
    losses.push_back({{"commit_sha", l.commit_sha},
                      {"path", l.path},
                      {"lines", l.lines},
                      {"at_unix_ms", l.at_unix_ms},
                      {"by", l.by}});
  }
  return {{"measured", d.measured},
          {"lines", d.lines},
          {"lost_prov", d.lost_prov},
          {"lost_final", d.lost_final},
          {"prov", d.prov},
          {"final", d.final},
          {"survived_edits", d.survived_edits},
          {"losses", losses}};
}

json ToJson(const ChangePart& p) {
  return {{"change_id", p.change_id},
          {"repo", p.repo},
          {"number", p.number},
          {"title", p.title},
          {"direct_push", p.direct_push},
          {"author", p.author},
          {"owner", p.owner},
          {"merged_unix_ms", p.merged_unix_ms},
          {"commit_shas", p.commit_shas},
          {"duplicate_commit_shas", p.duplicate_commit_shas},
          {"revert_commit_shas", p.revert_commit_shas},
          {"substance", p.substance},
          {"deployment_id", p.deployment_id},
          {"delivered_unix_ms", p.delivered_unix_ms},
          {"rolled_back_deployment_id", p.rolled_back_deployment_id}};
}

}  // namespace

json ToJson(const DeploymentVerdict& v) {
  return {{"deployment_id", v.deployment_id},
          {"service", v.service},
          {"environment", v.environment},
          {"repo", v.repo},
          {"commit_sha", v.commit_sha},
          {"artifact_digest", v.artifact_digest},
          {"pipeline_id", v.pipeline_id},
          {"pipeline", v.pipeline},
          {"started_unix_ms", v.started_unix_ms},
          {"finished_unix_ms", v.finished_unix_ms},
          {"status", DeploymentStatusName(v.status)},
          {"reason", v.reason},
          {"related_deployment_id", v.related_deployment_id},
          {"rolled_back_by", v.rolled_back_by},
          {"rolled_back_unix_ms", v.rolled_back_unix_ms},
          {"landed", v.landed},
          {"prev_deployment_id", v.prev_deployment_id},
          {"prev_commit_sha", v.prev_commit_sha},
          {"commit_shas", v.commit_shas},
          {"change_set_complete", v.change_set_complete},
          {"substance", v.substance},
          {"delivered_change_ids", v.delivered_change_ids}};
}

json ToJson(const LogicalChangeCredit& l) {
  json parts = json::array();
  for (const auto& p : l.parts)
    parts.push_back(ToJson(p));
  json shares = json::array();
  for (const auto& s : l.shares) {
    shares.push_back({{"person_id", s.person_id},
                      {"resolved", s.resolved},
                      {"lines", s.lines},
                      {"share", s.share}});
  }
  return {{"id", l.id},
          {"service", l.service},
          {"owner", l.owner},
          {"parts", parts},
          {"grouping", l.grouping},
          {"first_merged_unix_ms", l.first_merged_unix_ms},
          {"last_merged_unix_ms", l.last_merged_unix_ms},
          {"delivered_unix_ms", l.delivered_unix_ms},
          {"delivered_by", l.delivered_by},
          {"stage", NdStageName(l.stage)},
          {"s", l.s},
          {"duplicate_of", l.duplicate_of},
          {"s_ref", ToJson(l.s_ref)},
          {"credit", ToJson(l.credit)},
          {"review", ToJson(l.review)},
          {"failure", ToJson(l.failure)},
          {"durability", ToJson(l.durability)},
          {"d", l.d},
          {"nd", l.nd},
          {"nd_provisional", Optional(l.nd_provisional)},
          {"nd_final", Optional(l.nd_final)},
          {"shares", shares},
          {"notes", l.notes}};
}

json ToJson(const PersonNd& p) {
  json contributions = json::array();
  for (const auto& c : p.contributions) {
    contributions.push_back({{"logical_change_id", c.logical_change_id},
                             {"share", c.share},
                             {"nd", c.nd},
                             {"stage", NdStageName(c.stage)}});
  }
  return {{"person_id", p.person_id},
          {"resolved", p.resolved},
          {"team", p.team},
          {"fte", p.fte},
          {"available_weeks", p.available_weeks},
          {"nd", p.nd},
          {"nd_final", p.nd_final},
          {"nd_pending", p.nd_pending},
          {"nd_rate", Optional(p.nd_rate)},
          {"contributions", contributions}};
}

json ToJson(const TeamNd& t) {
  return {{"team_id", t.team_id},
          {"name", t.name},
          {"members", t.members},
          {"contributors", t.contributors},
          {"nd", t.nd},
          {"nd_final", t.nd_final},
          {"engineer_weeks", t.engineer_weeks},
          {"nd_rate", Optional(t.nd_rate)},
          {"nd_rate_final", Optional(t.nd_rate_final)}};
}

json ToJson(const NdResult& r) {
  json deployments = json::array(), changes = json::array(), people = json::array(),
       teams = json::array(), s_refs = json::array();
  for (const auto& d : r.deployments)
    deployments.push_back(ToJson(d));
  for (const auto& l : r.changes)
    changes.push_back(ToJson(l));
  for (const auto& p : r.people)
    people.push_back(ToJson(p));
  for (const auto& t : r.teams)
    teams.push_back(ToJson(t));
  for (const auto& s : r.s_refs)
    s_refs.push_back(ToJson(s));
  return {{"definition_version", r.definition_version},
          {"as_of_unix_ms", r.as_of_unix_ms},
          {"period_from_unix_ms", r.period_from_unix_ms},
          {"period_to_unix_ms", r.period_to_unix_ms},
          {"deployments", deployments},
          {"changes", changes},
          {"people", people},
          {"teams", teams},
          {"s_refs", s_refs},
          {"unattributed_nd", r.unattributed_nd},
          {"undelivered_change_ids", r.undelivered_change_ids},
          {"warnings", r.warnings}};
}

}  // namespace goodhart::analytics::nd
