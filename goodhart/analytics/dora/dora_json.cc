#include "goodhart/analytics/dora/dora_json.h"

namespace goodhart::analytics::dora {
namespace {

template <typename T>
nlohmann::json OrNull(const std::optional<T>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

}  // namespace

nlohmann::json ToJson(const DoraMetrics& m) {
  nlohmann::json failed = nlohmann::json::array();
  for (const auto& f : m.failed_deployments) {
    nlohmann::json signals = nlohmann::json::array();
    for (const auto& s : f.signals) {
      signals.push_back({{"kind", s.kind},
                         {"evidence_id", s.evidence_id},
                         {"detected_unix_ms", s.detected_unix_ms},
                         {"restored_unix_ms", OrNull(s.restored_unix_ms)}});
    }
    failed.push_back({{"deployment_id", f.deployment_id},
                      {"service", f.service},
                      {"finished_unix_ms", f.finished_unix_ms},
                      {"qualifying", f.qualifying},
                      {"detected_unix_ms", f.detected_unix_ms},
                      {"restored_unix_ms", OrNull(f.restored_unix_ms)},
                      {"signals", std::move(signals)}});
  }
  return {
      {"scope", {{"kind", ScopeKindName(m.scope.kind)}, {"id", m.scope.id}}},
      {"from_unix_ms", m.from_unix_ms},
      {"to_unix_ms", m.to_unix_ms},
      {"deployment_days_per_week", OrNull(m.frequency.days_per_week_median)},
      {"deployment_count", m.frequency.deployment_count},
      {"deployment_frequency_bucket",
       m.frequency.bucket.empty() ? nlohmann::json(nullptr) : nlohmann::json(m.frequency.bucket)},
      {"lead_time_hours_median", OrNull(m.lead_time_hours_median)},
      {"change_failure_rate", OrNull(m.change_failure_rate)},
      {"recovery_hours_median", OrNull(m.recovery_hours_median)},
      {"rework_rate", OrNull(m.rework_rate)},
      {"details",
       {{"deployment_days", m.frequency.deployment_days},
        {"complete_weeks", m.frequency.weeks.size()},
        {"lead_time_changes", m.lead_times.size()},
        {"bot_only_changes", m.bot_only_changes},
        {"changes_without_commits", m.changes_without_commits},
        {"failed_deployment_count", m.failed_deployment_count},
        {"cfr_deployment_count", m.cfr_deployment_count},
        {"unrecovered_count", m.unrecovered_count},
        {"rework_deployment_count", m.rework_deployment_count},
        {"rework_denominator", m.rework_denominator},
        {"rework_deployment_ids", m.rework_deployment_ids},
        {"failed_deployments", std::move(failed)}}},
  };
}

}  // namespace goodhart::analytics::dora
