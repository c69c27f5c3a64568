// JSON form of the DORA metrics for the report, the REST API and the dashboard. The summary keys
// are fixed (null where a metric is undefined):
//   {"deployment_days_per_week", "deployment_count", "deployment_frequency_bucket",
//    "lead_time_hours_median", "change_failure_rate", "recovery_hours_median", "rework_rate"}
// plus "scope", "from_unix_ms", "to_unix_ms" and a "details" object with the counts behind them.
#pragma once

#include <nlohmann/json.hpp>

#include "goodhart/analytics/dora/dora_metrics.h"

namespace goodhart::analytics::dora {

nlohmann::json ToJson(const DoraMetrics& metrics);

}  // namespace goodhart::analytics::dora
