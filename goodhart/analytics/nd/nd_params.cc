#include "goodhart/analytics/nd/nd_params.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <type_traits>
#include <variant>
#include <vector>

#include "goodhart/base/time.h"

namespace goodhart::analytics::nd {
namespace {

using FieldPtr = std::variant<std::string*, int64_t*, int*, double*, bool*>;

struct Field {
  const char* key;
  FieldPtr ptr;
};

std::vector<Field> Fields(NdParams& p) {
  return {
      {"definition_version", &p.definition_version},
      {"health_window_minutes", &p.health_window_minutes},
      {"fanout_window_minutes", &p.fanout_window_minutes},
      {"rollout_target_fraction", &p.rollout_target_fraction},
      {"rollback_lookback_days", &p.rollback_lookback_days},
      {"group_window_working_days", &p.group_window_working_days},
      {"group_file_jaccard", &p.group_file_jaccard},
      {"s_floor_lines", &p.s_floor_lines},
      {"ramp_rho", &p.ramp_rho},
      {"s_ref_window_days", &p.s_ref_window_days},
      {"s_ref_lag_days", &p.s_ref_lag_days},
      {"s_ref_floor_lines", &p.s_ref_floor_lines},
      {"s_ref_min_changes", &p.s_ref_min_changes},
      {"s_ref_fallback_lines", &p.s_ref_fallback_lines},
      {"s_max_multiple", &p.s_max_multiple},
      {"w_fail_days", &p.w_fail_days},
      {"hotfix_window_hours", &p.hotfix_window_hours},
      {"failure_max_severity", &p.failure_max_severity},
      {"t_prov_days", &p.t_prov_days},
      {"t_final_days", &p.t_final_days},
      {"break_glass_working_days", &p.break_glass_working_days},
      {"require_last_push_approval", &p.require_last_push_approval},
      {"remediation_floor", &p.remediation_floor},
      {"remediation_max_severity", &p.remediation_max_severity},
      {"group_logical_changes", &p.group_logical_changes},
      {"concave_credit", &p.concave_credit},
  };
}

Status Bad(std::string_view key, std::string_view what) {
  return Status::InvalidArgument(fmt::format("nd: params: {}: {}", key, what));
}

}  // namespace

int64_t NdParams::rollback_lookback_ms() const { return rollback_lookback_days * kMillisPerDay; }
int64_t NdParams::s_ref_window_ms() const { return s_ref_window_days * kMillisPerDay; }
int64_t NdParams::s_ref_lag_ms() const { return s_ref_lag_days * kMillisPerDay; }
int64_t NdParams::w_fail_ms() const { return w_fail_days * kMillisPerDay; }
int64_t NdParams::t_prov_ms() const { return t_prov_days * kMillisPerDay; }
int64_t NdParams::t_final_ms() const { return t_final_days * kMillisPerDay; }

Status NdParams::Validate() const {
  if (definition_version.empty())
    return Bad("definition_version", "empty");
  auto non_negative = [](const char* key, auto value) -> Status {
    if (value < 0)
      return Bad(key, fmt::format("{} is negative", value));
    return Status::Ok();
  };
  GOODHART_RETURN_IF_ERROR(non_negative("health_window_minutes", health_window_minutes));
  GOODHART_RETURN_IF_ERROR(non_negative("fanout_window_minutes", fanout_window_minutes));
  GOODHART_RETURN_IF_ERROR(non_negative("rollback_lookback_days", rollback_lookback_days));
  GOODHART_RETURN_IF_ERROR(non_negative("group_window_working_days", group_window_working_days));
  GOODHART_RETURN_IF_ERROR(non_negative("s_floor_lines", s_floor_lines));
  GOODHART_RETURN_IF_ERROR(non_negative("s_ref_lag_days", s_ref_lag_days));
  GOODHART_RETURN_IF_ERROR(non_negative("w_fail_days", w_fail_days));
  GOODHART_RETURN_IF_ERROR(non_negative("hotfix_window_hours", hotfix_window_hours));
  GOODHART_RETURN_IF_ERROR(non_negative("break_glass_working_days", break_glass_working_days));
  if (!(rollout_target_fraction > 0 && rollout_target_fraction <= 1))
    return Bad("rollout_target_fraction",
               fmt::format("{} is not in (0, 1]", rollout_target_fraction));
  if (!(group_file_jaccard >= 0 && group_file_jaccard <= 1))
    return Bad("group_file_jaccard", fmt::format("{} is not in [0, 1]", group_file_jaccard));
  if (!(ramp_rho > 0 && ramp_rho <= 1))
    return Bad("ramp_rho", fmt::format("{} is not in (0, 1]", ramp_rho));
  if (s_ref_window_days <= 0)
    return Bad("s_ref_window_days", fmt::format("{} is not positive", s_ref_window_days));
  if (!(s_ref_floor_lines > 0))
    return Bad("s_ref_floor_lines", fmt::format("{} is not positive", s_ref_floor_lines));
  if (s_ref_min_changes < 1)
    return Bad("s_ref_min_changes", fmt::format("{} is below 1", s_ref_min_changes));
  if (!(s_ref_fallback_lines >= s_ref_floor_lines)) {
    return Bad("s_ref_fallback_lines", fmt::format("{} is below s_ref_floor_lines {}",
                                                   s_ref_fallback_lines, s_ref_floor_lines));
  }
  if (!(s_max_multiple >= 1))
    return Bad("s_max_multiple", fmt::format("{} is below 1", s_max_multiple));
  if (failure_max_severity < 1)
    return Bad("failure_max_severity", fmt::format("{} is below 1", failure_max_severity));
  if (remediation_max_severity < 1)
    return Bad("remediation_max_severity", fmt::format("{} is below 1", remediation_max_severity));
  if (t_prov_days <= 0)
    return Bad("t_prov_days", fmt::format("{} is not positive", t_prov_days));
  if (t_final_days < t_prov_days) {
    return Bad("t_final_days",
               fmt::format("{} is before t_prov_days {}", t_final_days, t_prov_days));
  }
  if (w_fail_days > t_prov_days) {
    return Bad("w_fail_days", fmt::format("{} ends after t_prov_days {}: the provisional value "
                                          "would change after it is published",
                                          w_fail_days, t_prov_days));
  }
  if (!(remediation_floor >= 0 && remediation_floor <= 1))
    return Bad("remediation_floor", fmt::format("{} is not in [0, 1]", remediation_floor));
  return Status::Ok();
}

Result<NdParams> ParseNdParams(std::string_view yaml_text) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml_text));
  } catch (const YAML::Exception& e) {
    return Bad(fmt::format("line {}", e.mark.line + 1), e.msg);
  }
  NdParams params;
  if (root.IsNull() || (root.IsMap() && !root["nd"]))
    return params;
  if (!root.IsMap())
    return Bad("top level", "expected a mapping with an nd section");
  const YAML::Node section = root["nd"];
  if (!section.IsMap())
    return Bad("nd", "expected a mapping");
  std::vector<Field> fields = Fields(params);
  for (const auto& kv : section) {
    if (!kv.first.IsScalar())
      return Bad("nd", "a key that is not a name");
    auto key = kv.first.as<std::string>();
    auto it =
        std::find_if(fields.begin(), fields.end(), [&](const Field& f) { return key == f.key; });
    if (it == fields.end())
      return Bad("nd." + key, "unknown key");
    if (!kv.second.IsScalar())
      return Bad("nd." + key, "expected a value");
    try {
      std::visit([&](auto* out) { *out = kv.second.as<std::remove_pointer_t<decltype(out)>>(); },
                 it->ptr);
    } catch (const YAML::Exception&) {
      return Bad("nd." + key, fmt::format("wrong type ('{}')", kv.second.as<std::string>()));
    }
  }
  if (!section["definition_version"])
    return Bad("nd.definition_version", "missing: every parameter set names its version");
  NdParams defaults;
  defaults.definition_version = params.definition_version;
  if (params.definition_version == kNdDefinitionVersion && !(params == defaults)) {
    return Bad("nd.definition_version",
               fmt::format("the values differ from {}'s defaults; give them a new version",
                           kNdDefinitionVersion));
  }
  GOODHART_RETURN_IF_ERROR(params.Validate());
  return params;
}

}  // namespace goodhart::analytics::nd
