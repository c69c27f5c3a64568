// JSON form of an NdResult, for the report command, the REST API and the dashboard: the struct
// field names of nd_result.h, times in unix milliseconds, enums as their names ("qpd", "final",
// "ramp"), unset optionals as null. Stable: fields are only ever added.
#pragma once

#include <nlohmann/json.hpp>

#include "goodhart/analytics/nd/nd_result.h"

namespace goodhart::analytics::nd {

nlohmann::json ToJson(const DeploymentVerdict& verdict);
nlohmann::json ToJson(const LogicalChangeCredit& change);
nlohmann::json ToJson(const PersonNd& person);
nlohmann::json ToJson(const TeamNd& team);
nlohmann::json ToJson(const NdResult& result);

}  // namespace goodhart::analytics::nd
