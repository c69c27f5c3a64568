#include "goodhart/detect/detect_params.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <type_traits>
#include <variant>

namespace goodhart::detect {
namespace {

using FieldPtr = std::variant<std::string*, int64_t*, double*, std::vector<std::string>*>;

struct Field {
  const char* key;
  FieldPtr ptr;
};

std::vector<Field> Fields(DetectParams& p) {
  return {
      {"version", &p.version},
      {"tier_b_z", &p.tier_b_z},
      {"tier_b_alone_z", &p.tier_b_alone_z},
      {"bh_q", &p.bh_q},
      {"p_max_z", &p.p_max_z},
      {"persistence_required", &p.persistence_required},
      {"persistence_window", &p.persistence_window},
      {"min_peer_group", &p.min_peer_group},
      {"mad_floor_share", &p.mad_floor_share},
      {"mad_floor_log", &p.mad_floor_log},
      {"materiality_nd_share", &p.materiality_nd_share},
      {"materiality_spend_share", &p.materiality_spend_share},
      {"materiality_cost_micros", &p.materiality_cost_micros},
      {"max_evidence", &p.max_evidence},
      {"orphan_window_days", &p.orphan_window_days},
      {"role_typical_release", &p.role_typical_release},
      {"role_typical_platform", &p.role_typical_platform},
      {"role_typical_sre", &p.role_typical_sre},
      {"research_labels", &p.research_labels},
      {"research_materiality_factor", &p.research_materiality_factor},
      {"d1_min_sessions", &p.d1_min_sessions},
      {"d2_min_share", &p.d2_min_share},
      {"d2_min_tokens_z", &p.d2_min_tokens_z},
      {"d3_min_jaccard", &p.d3_min_jaccard},
      {"d3_max_simhash_distance", &p.d3_max_simhash_distance},
      {"d3_min_tokens", &p.d3_min_tokens},
      {"d3_min_prompts", &p.d3_min_prompts},
      {"d3_min_share", &p.d3_min_share},
      {"d3_min_orphan_share", &p.d3_min_orphan_share},
      {"d3_template_users", &p.d3_template_users},
      {"d4_min_prompts_per_day", &p.d4_min_prompts_per_day},
      {"d4_max_cv", &p.d4_max_cv},
      {"d4_modal_share", &p.d4_modal_share},
      {"d4_modal_tolerance", &p.d4_modal_tolerance},
      {"d4_entropy_bits", &p.d4_entropy_bits},
      {"d4_entropy_min_prompts", &p.d4_entropy_min_prompts},
      {"d5_idle_runtime_hours", &p.d5_idle_runtime_hours},
      {"d5_cost_multiple", &p.d5_cost_multiple},
      {"d5_cost_quantile", &p.d5_cost_quantile},
      {"d5_min_sessions", &p.d5_min_sessions},
      {"d5_loop_min_repeats", &p.d5_loop_min_repeats},
      {"d6_min_noops", &p.d6_min_noops},
      {"d6_min_share", &p.d6_min_share},
      {"d6_config_pipelines", &p.d6_config_pipelines},
      {"d7_min_changes", &p.d7_min_changes},
      {"d7_ramp_rho", &p.d7_ramp_rho},
      {"d8_min_pairs", &p.d8_min_pairs},
      {"d8_reapply_window_days", &p.d8_reapply_window_days},
      {"d9_bypass_share", &p.d9_bypass_share},
      {"d9_min_changes", &p.d9_min_changes},
      {"d9_fast_approval_seconds", &p.d9_fast_approval_seconds},
      {"d9_fast_min_substance", &p.d9_fast_min_substance},
      {"d9_fast_min_count", &p.d9_fast_min_count},
      {"d9_ring_share", &p.d9_ring_share},
      {"d9_ring_min_approvals", &p.d9_ring_min_approvals},
      {"d10_min_changes", &p.d10_min_changes},
      {"d11_min_ratio", &p.d11_min_ratio},
      {"d11_min_shadow_failures", &p.d11_min_shadow_failures},
      {"d11_min_history", &p.d11_min_history},
      {"d11_min_downgrades", &p.d11_min_downgrades},
      {"d12_share_growth", &p.d12_share_growth},
      {"d12_s_ref_drop", &p.d12_s_ref_drop},
      {"d12_flat_tolerance", &p.d12_flat_tolerance},
      {"d12_min_changes", &p.d12_min_changes},
      {"d13_share", &p.d13_share},
      {"d13_min_changes", &p.d13_min_changes},
      {"threads", &p.threads},
  };
}

Status Bad(std::string_view key, std::string_view what) {
  return Status::InvalidArgument(fmt::format("detect: params: {}: {}", key, what));
}

Status Share(const char* key, double v) {
  if (!(v >= 0 && v <= 1)) {
    return Bad(key, fmt::format("{} is not in [0, 1]", v));
  }
  return Status::Ok();
}

Status Positive(const char* key, double v) {
  if (!(v > 0)) {
    return Bad(key, fmt::format("{} is not positive", v));
  }
  return Status::Ok();
}

Status AtLeastOne(const char* key, int64_t v) {
  if (v < 1) {
    return Bad(key, fmt::format("{} is below 1", v));
  }
  return Status::Ok();
}

}  // namespace

Status DetectParams::Validate() const {
  if (version.empty()) {
    return Bad("version", "empty");
  }
  GOODHART_RETURN_IF_ERROR(Positive("tier_b_z", tier_b_z));
  if (!(tier_b_alone_z >= tier_b_z)) {
    return Bad("tier_b_alone_z", fmt::format("{} is below tier_b_z {}", tier_b_alone_z, tier_b_z));
  }
  if (!(bh_q > 0 && bh_q < 1)) {
    return Bad("bh_q", fmt::format("{} is not in (0, 1)", bh_q));
  }
  GOODHART_RETURN_IF_ERROR(Positive("p_max_z", p_max_z));
  GOODHART_RETURN_IF_ERROR(AtLeastOne("persistence_required", persistence_required));
  if (persistence_window < persistence_required) {
    return Bad("persistence_window", fmt::format("{} is below persistence_required {}",
                                                 persistence_window, persistence_required));
  }
  GOODHART_RETURN_IF_ERROR(AtLeastOne("min_peer_group", min_peer_group));
  GOODHART_RETURN_IF_ERROR(Positive("mad_floor_share", mad_floor_share));
  GOODHART_RETURN_IF_ERROR(Positive("mad_floor_log", mad_floor_log));
  GOODHART_RETURN_IF_ERROR(Share("materiality_nd_share", materiality_nd_share));
  GOODHART_RETURN_IF_ERROR(Share("materiality_spend_share", materiality_spend_share));
  if (materiality_cost_micros < 0) {
    return Bad("materiality_cost_micros", fmt::format("{} is negative", materiality_cost_micros));
  }
  GOODHART_RETURN_IF_ERROR(AtLeastOne("max_evidence", max_evidence));
  GOODHART_RETURN_IF_ERROR(AtLeastOne("orphan_window_days", orphan_window_days));
  GOODHART_RETURN_IF_ERROR(Share("research_materiality_factor", research_materiality_factor));
  GOODHART_RETURN_IF_ERROR(AtLeastOne("d1_min_sessions", d1_min_sessions));
  GOODHART_RETURN_IF_ERROR(Share("d2_min_share", d2_min_share));
  GOODHART_RETURN_IF_ERROR(Share("d3_min_jaccard", d3_min_jaccard));
  if (d3_max_simhash_distance < 0 || d3_max_simhash_distance > 64) {
    return Bad("d3_max_simhash_distance",
               fmt::format("{} is not in [0, 64]", d3_max_simhash_distance));
  }
  GOODHART_RETURN_IF_ERROR(AtLeastOne("d3_min_prompts", d3_min_prompts));
  GOODHART_RETURN_IF_ERROR(Share("d3_min_share", d3_min_share));
  GOODHART_RETURN_IF_ERROR(Share("d3_min_orphan_share", d3_min_orphan_share));
  if (d3_template_users < 2) {
    return Bad("d3_template_users", fmt::format("{} is below 2", d3_template_users));
  }
  if (d4_min_prompts_per_day < 3) {
    return Bad("d4_min_prompts_per_day", fmt::format("{} is below 3", d4_min_prompts_per_day));
  }
  GOODHART_RETURN_IF_ERROR(Positive("d4_max_cv", d4_max_cv));
  GOODHART_RETURN_IF_ERROR(Share("d4_modal_share", d4_modal_share));
  GOODHART_RETURN_IF_ERROR(Share("d4_modal_tolerance", d4_modal_tolerance));
  GOODHART_RETURN_IF_ERROR(Positive("d5_idle_runtime_hours", d5_idle_runtime_hours));
  GOODHART_RETURN_IF_ERROR(Positive("d5_cost_multiple", d5_cost_multiple));
  GOODHART_RETURN_IF_ERROR(Share("d5_cost_quantile", d5_cost_quantile));
  GOODHART_RETURN_IF_ERROR(AtLeastOne("d5_min_sessions", d5_min_sessions));
  GOODHART_RETURN_IF_ERROR(AtLeastOne("d5_loop_min_repeats", d5_loop_min_repeats));
  GOODHART_RETURN_IF_ERROR(AtLeastOne("d6_min_noops", d6_min_noops));
  GOODHART_RETURN_IF_ERROR(Share("d6_min_share", d6_min_share));
  GOODHART_RETURN_IF_ERROR(AtLeastOne("d7_min_changes", d7_min_changes));
  if (!(d7_ramp_rho > 0 && d7_ramp_rho <= 1)) {
    return Bad("d7_ramp_rho", fmt::format("{} is not in (0, 1]", d7_ramp_rho));
  }
  GOODHART_RETURN_IF_ERROR(AtLeastOne("d8_min_pairs", d8_min_pairs));
  GOODHART_RETURN_IF_ERROR(AtLeastOne("d8_reapply_window_days", d8_reapply_window_days));
  GOODHART_RETURN_IF_ERROR(Share("d9_bypass_share", d9_bypass_share));
  GOODHART_RETURN_IF_ERROR(AtLeastOne("d9_min_changes", d9_min_changes));
  GOODHART_RETURN_IF_ERROR(AtLeastOne("d9_fast_approval_seconds", d9_fast_approval_seconds));
  GOODHART_RETURN_IF_ERROR(AtLeastOne("d9_fast_min_count", d9_fast_min_count));
  GOODHART_RETURN_IF_ERROR(Share("d9_ring_share", d9_ring_share));
  GOODHART_RETURN_IF_ERROR(AtLeastOne("d9_ring_min_approvals", d9_ring_min_approvals));
  GOODHART_RETURN_IF_ERROR(AtLeastOne("d10_min_changes", d10_min_changes));
  GOODHART_RETURN_IF_ERROR(Share("d11_min_ratio", d11_min_ratio));
  GOODHART_RETURN_IF_ERROR(AtLeastOne("d11_min_shadow_failures", d11_min_shadow_failures));
  if (d11_min_history < 2) {
    return Bad("d11_min_history", fmt::format("{} is below 2", d11_min_history));
  }
  if (!(d12_share_growth > 1)) {
    return Bad("d12_share_growth", fmt::format("{} is not above 1", d12_share_growth));
  }
  GOODHART_RETURN_IF_ERROR(Share("d12_s_ref_drop", d12_s_ref_drop));
  GOODHART_RETURN_IF_ERROR(Share("d12_flat_tolerance", d12_flat_tolerance));
  GOODHART_RETURN_IF_ERROR(AtLeastOne("d12_min_changes", d12_min_changes));
  GOODHART_RETURN_IF_ERROR(Share("d13_share", d13_share));
  GOODHART_RETURN_IF_ERROR(AtLeastOne("d13_min_changes", d13_min_changes));
  if (threads < 0) {
    return Bad("threads", fmt::format("{} is negative", threads));
  }
  return Status::Ok();
}

Result<DetectParams> ParseDetectParams(std::string_view text) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    return Bad(fmt::format("line {}", e.mark.line + 1), e.msg);
  }
  DetectParams params;
  if (root.IsNull() || (root.IsMap() && !root["detect"])) {
    return params;
  }
  if (!root.IsMap()) {
    return Bad("top level", "expected a mapping with a detect section");
  }
  const YAML::Node section = root["detect"];
  if (!section.IsMap()) {
    return Bad("detect", "expected a mapping");
  }
  std::vector<Field> fields = Fields(params);
  for (const auto& kv : section) {
    if (!kv.first.IsScalar()) {
      return Bad("detect", "a key that is not a name");
    }
    auto key = kv.first.as<std::string>();
    auto it =
        std::find_if(fields.begin(), fields.end(), [&](const Field& f) { return key == f.key; });
    if (it == fields.end()) {
      return Bad("detect." + key, "unknown key");
    }
    bool is_list = std::holds_alternative<std::vector<std::string>*>(it->ptr);
    if (is_list ? !kv.second.IsSequence() : !kv.second.IsScalar()) {
      return Bad("detect." + key, is_list ? "expected a list" : "expected a value");
    }
    try {
      std::visit([&](auto* out) { *out = kv.second.as<std::remove_pointer_t<decltype(out)>>(); },
                 it->ptr);
    } catch (const YAML::Exception&) {
      return Bad("detect." + key, "wrong type");
    }
  }
  if (!section["version"]) {
    return Bad("detect.version", "missing: every parameter set names its version");
  }
  DetectParams defaults;
  defaults.version = params.version;
  defaults.threads = params.threads;  // execution settings, not part of the definition
  defaults.run_informational = params.run_informational;
  if (params.version == kDetectParamsVersion && !(params == defaults)) {
    return Bad("detect.version", fmt::format("the values differ from {}'s defaults; give them a "
                                             "new version",
                                             kDetectParamsVersion));
  }
  GOODHART_RETURN_IF_ERROR(params.Validate());
  return params;
}

bool IsRoleTypical(const DetectParams& params, std::string_view role_family,
                   std::string_view detector_id) {
  const std::vector<std::string>* list = nullptr;
  if (role_family == "release") {
    list = &params.role_typical_release;
  } else if (role_family == "platform") {
    list = &params.role_typical_platform;
  } else if (role_family == "sre") {
    list = &params.role_typical_sre;
  }
  return list != nullptr && std::find(list->begin(), list->end(), detector_id) != list->end();
}

}  // namespace goodhart::detect
